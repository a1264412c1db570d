"""Compiled code owes flags instead of making them (flaggen.py): a branch right after its flag
setter is computed from the operands, and the flags are made only where someone can see them — an
exit, a fault, a reader. These programs look exactly there, and must see what the interpreter
shows: the flags a fault pushes, the flags after a loop, a branch taken or not."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.emu.harness import bare, run_machine
from virtquest.emu.flaggen import fused_condition

SETTERS = ["cmp {a}, {b}", "sub {a}, {b}", "add {a}, {b}", "and {a}, {b}", "test {a}, {b}",
           "xor {a}, {b}", "or {a}, {b}", "inc {a}", "dec {a}", "neg {a}", "cmp {a}, {imm}",
           "sub {a}, {imm}", "add {a}, {imm}", "shl {a}, 3", "adc {a}, {b}", "sbb {a}, {b}"]
JCCS = ["je", "jne", "jb", "jae", "jbe", "ja", "jl", "jge", "jle", "jg", "js", "jns", "jo", "jno"]
REGS = ["eax", "ebx", "esi"]


def both(source: str):
    out = []
    for fast in (True, False):
        result, machine = run_machine(source, fast=fast)
        out.append((result, list(machine.cpu.regs), machine.cpu.eflags,
                    bytes(machine.memory.data)))
    return out


@st.composite
def looped_branches(draw):
    """A loop whose body sets flags and branches on them, counts what it took, and may divide
    by zero on some pass (a fault with flags owed: the handler reports the pushed EFLAGS)."""
    lines = []
    for i in range(draw(st.integers(1, 4))):
        a, b = draw(st.sampled_from(REGS)), draw(st.sampled_from(REGS))
        setter = draw(st.sampled_from(SETTERS)).format(a=a, b=b,
                                                       imm=draw(st.integers(0, 2**32 - 1)))
        lines += [f"  {setter}", f"  {draw(st.sampled_from(JCCS))} taken{i}",
                  "  add ebp, 1", f"taken{i}:", "  add ebp, 0x100",
                  f"  xor {a}, {draw(st.integers(0, 2**32 - 1))}"]
        if draw(st.booleans()):
            lines.append(f"  {draw(st.sampled_from(SETTERS)).format(a=a, b=b, imm=7)}")
            lines.append("  div edi")               # edi counts down: zero on the last pass
    return "\n".join(lines)


@given(looped_branches(), st.integers(1, 30), st.integers(0, 2**32 - 1))
@settings(max_examples=80, deadline=None)
def test_branches_and_faults_see_the_interpreters_flags(body, passes, seed):
    setup = "\n".join(f"  mov {r}, {(seed * (i + 5)) & 0xFFFFFFFF}" for i, r in enumerate(REGS))
    source = bare(f"{setup}\n  mov ecx, {passes}\n  mov edi, {passes}\n  xor ebp, ebp\n"
                  f"again:\n  push edx\n  xor edx, edx\n{body}\n  pop edx\n  dec edi\n"
                  "  loop again\n  pushf\n  pop eax")
    compiled, interpreted = both(source)
    assert compiled == interpreted


def test_a_fault_in_the_next_pass_shows_the_flags_the_last_pass_left():
    """The loop's compare is owed across the back edge; the next pass's first instruction
    faults (a division by zero once ebx has counted down to 0), and the frame holds the flags of
    that last compare, 0 with 0: ZF set, CF clear."""
    source = bare("""
  mov eax, divide_error
  mov [idt], eax
  mov ecx, 40
  mov ebx, 20
  xor esi, esi
again:
  xor edx, edx
  mov eax, 1000
  div ebx
  dec ebx
  cmp esi, ebx
  loop again
  mov eax, 0
""", """divide_error:
  mov eax, [esp+12]
  hlt""")
    compiled, interpreted = both(source)
    assert compiled[1][0] & 0x8C1 == 0x40, "eax = the EFLAGS #DE pushed: ZF=1, CF=SF=OF=0"
    assert compiled == interpreted


@pytest.mark.parametrize("rule, args", [("sub", ["a", "b", "t"]), ("add", ["a", "b", "t"]),
                                        ("logic", ["r"]), ("inc", ["a", "r"]),
                                        ("dec", ["a", "r"])])
def test_every_branch_fuses_with_the_rules_that_set_its_flags(rule, args):
    for jcc in JCCS:
        fused = fused_condition(jcc, rule, args)
        needs_cf = jcc in ("jb", "jae", "jbe", "ja")
        assert (fused is None) == (needs_cf and rule in ("inc", "dec")), (jcc, rule)


def test_a_fault_in_the_next_block_of_a_region_shows_the_flags_the_branch_carried():
    """In a region, the compare's flags are carried into the next block by the jump (named in
    `dk`); that block faults before it sets flags of its own, and the frame holds them."""
    source = bare("""
  mov eax, divide_error
  mov [idt], eax
  mov ecx, 400
  mov ebx, 200
  xor esi, esi
again:
  dec ebx
  cmp esi, ebx
  jmp next
  nop
next:
  mov edx, 0
  mov eax, 1000
  div ebx
  cmp ecx, 0
  jne more
more:
  loop again
  mov eax, 0
""", """divide_error:
  mov eax, [esp+12]
  hlt""")
    compiled, interpreted = both(source)
    assert compiled[1][0] & 0x8C1 == 0x40, "eax = the EFLAGS #DE pushed: ZF=1, CF=SF=OF=0"
    assert compiled == interpreted
