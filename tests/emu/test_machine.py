"""The whole machine: devices, the timer, halting, budgets, cancelling, determinism, costs."""

from tests.emu.harness import bare, run_machine
from virtquest.content.profiles import load_profile
from virtquest.emu.asm import assemble
from virtquest.emu.machine import Machine

TIMER_HANDLER = """
tick:
  inc esi
  add esp, 4
  iret
"""


def timer_program(period: int, ticks: int) -> str:
    return bare(f"""
  mov eax, tick
  mov [idt+32*8], eax
  mov eax, {period}
  out 0x40, eax
  mov esi, 0
  sti
wait:
  hlt
  cmp esi, {ticks}
  jne wait
  cli
  mov eax, esi
""", TIMER_HANDLER)


def test_console_prints_characters():
    result, _ = run_machine(bare("mov eax, 'o'\n  out 0xE9, eax\n  mov eax, 'k'\n  out 0xE9, eax"))
    assert result.console == "ok"


def test_power_off_port_gives_the_exit_code():
    result, _ = run_machine(bare("mov eax, 42\n  out 0xF4, eax\n  mov eax, 1"))
    assert (result.stop, result.exit_code) == ("exit", 42)


def test_bare_metal_halt_exit_code_is_eax():
    result, _ = run_machine(bare("mov eax, -3"))
    assert (result.stop, result.exit_code) == ("halted", -3)


def test_timer_interrupts_wake_hlt_and_count():
    result, machine = run_machine(timer_program(1000, 5))
    assert result.exit_code == 5 and machine.timer.ticks == 5
    assert result.breakdown["idle"] > 3000, "waiting in hlt is idle time"


def test_timer_stays_pending_while_interrupts_are_off():
    result, _ = run_machine(bare("""
  mov eax, tick
  mov [idt+32*8], eax
  mov eax, 300
  out 0x40, eax
  mov esi, 0
  mov ecx, 1000
spin:
  loop spin
  mov ebx, esi      ; no tick yet: IF is 0
  sti
  nop
  cli
  mov eax, esi
""", TIMER_HANDLER))
    assert result.registers["ebx"] == 0, "no tick while IF is 0"
    assert result.exit_code == 1, "the missed ticks coalesce into one pending interrupt"


def test_legacy_port_is_slow_and_counted_as_device_time():
    fast, _ = run_machine(bare("in eax, 0xE9"), profile="p4-2006")
    slow, _ = run_machine(bare("in eax, 0x80"), profile="p4-2006")
    assert slow.cycles - fast.cycles == 3200 - 100
    assert slow.breakdown["device"] == 3200


def test_runaway_guest_stops_at_the_budget_with_a_clear_message():
    result, _ = run_machine(bare("forever:\n  jmp forever"), budget=100_000)
    assert result.stop == "budget" and not result.finished
    assert "budget" in result.message and "100,000" in result.message
    assert 100_000 <= result.cycles < 101_000


def test_cancel_stops_a_run():
    machine = Machine(load_profile())
    machine.start_bare(assemble(bare("forever:\n  jmp forever")))
    result = machine.run(budget=10**12, cancel=lambda: True)
    assert result.stop == "cancelled"


def test_runs_are_deterministic():
    a, _ = run_machine(timer_program(777, 7))
    b, _ = run_machine(timer_program(777, 7))
    assert a == b


def test_triple_fault_stops_the_machine():
    result, _ = run_machine("_start:\n  mov eax, 1\n  mov ebx, 0\n  div ebx\n")
    assert result.stop == "triple-fault" and "IDT" in result.message


def test_self_modifying_code_runs_the_new_instruction():
    result, _ = run_machine(bare("""
  mov ecx, 2
again:
  call patched
  mov ebx, [replacement]
  mov [patched], ebx
  mov ebx, [replacement+4]
  mov [patched+4], ebx
  loop again
""", """
patched: mov eax, 1
  ret
replacement: mov eax, 2
"""))
    assert result.exit_code == 2


def test_costs_come_from_the_profile():
    body = "mov ecx, 100\nagain:\n  imul eax, 3\n  loop again"
    base, _ = run_machine(bare(body))
    machine = Machine(load_profile().with_costs(mul=load_profile()["mul"] + 10))
    machine.start_bare(assemble(bare(body)))
    dearer = machine.run()
    assert dearer.cycles - base.cycles == 100 * 10
    assert dearer.instructions == base.instructions
