"""Helpers that build bare-metal test programs: an IDT whose handlers report the vector, error
code and faulting eip in registers, and a way into a less privileged ring."""

from __future__ import annotations

from virtquest.content.profiles import load_profile
from virtquest.emu.asm import assemble
from virtquest.emu.machine import Machine, RunResult

STACK_TOP = 0x80000
KERNEL_STACK = 0x70000
USER_STACK = 0x60000


def idt_source(vectors=range(0, 33), user_vectors=(0x80,)) -> str:
    """An IDT in which vector v's handler sets edi=v, esi=error, ebp=return eip and halts."""
    lines = ["idtr: .word idt, 256*8-1", "idt:"]
    handled = set(vectors) | set(user_vectors)
    for v in range(256):
        if v in handled:
            dpl = 3 if v in user_vectors else 0
            lines.append(f"  .word fault_{v}, {1 | dpl << 1}")
        else:
            lines.append("  .word 0, 0")
    for v in sorted(handled):
        lines.append(f"fault_{v}: mov edi, {v}")
        lines.append("  jmp report")
    lines += ["report:", "  mov esi, [esp]", "  mov ebp, [esp+4]", "  mov edx, [esp+8]",
              "  hlt"]
    return "\n".join(lines)


def bare(body: str, data: str = "", with_idt: bool = True) -> str:
    """A `_start` program: stack set, IDT loaded, then `body`, then hlt (exit code = eax)."""
    setup = ["_start:", f"  mov esp, {STACK_TOP}"]
    if with_idt:
        setup.append("  lidt [idtr]")
    return "\n".join([*setup, body, "  hlt", data, idt_source() if with_idt else ""]) + "\n"


def to_ring(ring: int, label: str = "user_code", eflags: int = 0x2) -> str:
    """Code that iret's into `label` at `ring`, with MSR 0x175 set to the kernel stack."""
    return f"""
  mov ecx, 0x175
  mov eax, {KERNEL_STACK}
  mov edx, 0
  wrmsr
  push {USER_STACK}
  push {eflags}
  push {8 * (ring + 1) | ring}
  push {label}
  iret
"""


def run_machine(source: str, profile: str = "modern", budget: int = 2_000_000,
                **kw) -> tuple[RunResult, Machine]:
    machine = Machine(load_profile(profile), **kw)
    machine.start_bare(assemble(source, file="test.s"))
    return machine.run(budget=budget), machine


def run_bare(body: str, data: str = "", **kw) -> RunResult:
    return run_machine(bare(body, data), **kw)[0]


def run_under(mode_id: str, source: str, profile: str = "modern", budget: int = 2_000_000,
              **kw) -> tuple[RunResult, Machine]:
    """A bare-metal program with a hypervisor of `mode_id` attached before the first instruction."""
    from virtquest.hv.registry import create

    machine = Machine(load_profile(profile), **kw)
    machine.start_bare(assemble(source, file="test.s"))
    create(mode_id, machine)
    return machine.run(budget=budget), machine
