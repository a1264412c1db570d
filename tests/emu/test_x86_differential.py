"""VQ32 against x86: random and hand-picked programs run on VQ32's reference interpreter, on its
compiled path and, translated to x86 machine code, in Unicorn; all three must agree.

Registers, the data area and CF ZF SF OF are compared. Flags x86 leaves undefined after the
instruction that last wrote them are masked; PF, AF and DF are not modelled by VQ32 and never
compared. The programs are made in differential_programs.py, run and compared in
differential_check.py; the x86 side is tests/emu/x86_oracle.py.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from tests.emu.differential_check import check, run_unicorn, run_vq32
from tests.emu.differential_programs import (
    EVERYTHING,
    FORMS,
    ITERATIONS,
    LBL,
    M32,
    STRAIGHT,
    Case,
    R,
    cases,
    have,
)
from tests.emu.x86_oracle import translate
from virtquest.emu.asm import assemble
from virtquest.emu.errors import AssemblyError
from virtquest.emu.isa import CF, OF, SF, ZF

FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(cases(STRAIGHT))
def test_random_straight_line_code_matches_x86(case):
    check(case)


@FAST
@given(cases(EVERYTHING))
def test_random_code_with_forward_jumps_matches_x86(case):
    check(case)


def _case(body: str, flags: int = 0, iterations: int = ITERATIONS, **init) -> Case:
    return Case(["  " + line.strip() for line in body.strip().splitlines()], init, flags,
                iterations=iterations)


EXAMPLES = {
    "add 0x7fffffff+1 (OF SF)": _case("add eax, 1", eax=0x7FFFFFFF),
    "inc 0x7fffffff keeps CF": _case("inc eax", flags=CF, eax=0x7FFFFFFF),
    "add 0xffffffff+1 (CF ZF)": _case("add eax, ebx", eax=0xFFFFFFFF, ebx=1),
    "sub with borrow 1-2": _case("sub eax, ebx", eax=1, ebx=2),
    "sub 0x80000000-1 (OF)": _case("sub eax, 1", eax=0x80000000),
    "cmp equal": _case("cmp eax, ebx", eax=5, ebx=5),
    "neg 0 and 0x80000000": _case("neg eax\nneg ebx", eax=0, ebx=0x80000000),
    "dec 0x80000000": _case("dec eax", flags=CF, eax=0x80000000),
    "imul overflow": _case("imul eax, 0x10000\nimul ebx, ecx", eax=0x10000, ebx=-3 & M32,
                           ecx=0x40000000),
    "shl by 1 and 31": _case("shl eax, 1\nshl ebx, 31", eax=0x80000001, ebx=3),
    "shl by 1 sets OF": _case("shl eax, 1", eax=0x40000000),
    "shr by 1 and 31": _case("shr eax, 1\nshr ebx, 31", eax=0x80000001, ebx=0x80000000),
    "shift by 0 keeps flags": _case("cmp eax, ebx\nshl eax, 0\nshr ebx, 32", eax=1, ebx=2),
    "sar by 1 and 31": _case("sar eax, 1\nsar ebx, 31", eax=0x80000001, ebx=0x80000000),
    "sar by cl": _case("mov ecx, 33\nsar eax, cl\nmov ecx, 31\nsar ebx, cl", eax=0x80000003,
                       ebx=0x40000000),
    "shl and shr by cl": _case("mov ecx, 1\nshl eax, cl\nmov ecx, 0\nshr ebx, cl",
                               eax=0xC0000000, ebx=3),
    "rol and ror by 1": _case("rol eax, 1\nror ebx, 1", eax=0x80000000, ebx=1),
    "rol by cl": _case("mov ecx, 4\nrol eax, cl", eax=0xF0000001),
    "adc chain (64-bit add)": _case("add eax, ecx\nadc edx, ebx", eax=0xFFFFFFFF, ecx=1,
                                    edx=0x7FFFFFFF, ebx=0),
    "adc with carry in and 0xffffffff": _case("cmp eax, ebx\nadc edi, 0xffffffff",
                                              eax=0, ebx=1, edi=0),
    "sbb chain (64-bit sub)": _case("sub eax, ecx\nsbb edx, ebx", eax=0, ecx=1, edx=0x80000000,
                                    ebx=0),
    "sbb with borrow in and 0xffffffff": _case("cmp eax, ebx\nsbb edi, 0xffffffff", eax=0, ebx=1,
                                               edi=0xFFFFFFFF),
    "mul high half": _case("mul ebx", eax=0xFFFFFFFF, ebx=0xFFFFFFFF),
    "div with edx": _case("and edx, 0xff\nor ebx, 0x100\ndiv ebx", eax=0x12345678, edx=0x42,
                          ebx=0x1000),
    "div with edx zero": _case("xor edx, edx\ndiv ebx", eax=100, ebx=7),
    "idiv negative": _case("cdq\nidiv ebx", eax=-100 & M32, ebx=7),
    "cdq": _case("cdq\nmov ecx, edx\nmov eax, 1\ncdq", eax=0x80000000),
    "xchg": _case("xchg eax, ebx\nxchg ecx, [esi-2]", eax=1, ebx=2, ecx=3),
    "word across a page boundary": _case("mov [esi-2], eax\nmov ebx, [esi-1]\nmovb ecx, [esi-1]",
                                         eax=0x11223344),
    "lea": _case("lea eax, [esi+0x10]\nlea ebx, [esp-4]"),
    "movb": _case("movb [esi], eax\nmovb [esi+1], ebx\nmovb ecx, [esi+1]\nmov edx, [esi]",
                  eax=0xFFFFFF41, ebx=0x80),
    "js jo ja": _case("cmp eax, ebx\njs one\ninc edi\none:\njo two\ninc edi\ntwo:\nja three\ninc edi\nthree:",
                      eax=0x80000000, ebx=1),
    "loop forward": _case("loop past\ninc edi\npast:", ecx=2),
}


@pytest.mark.parametrize("case", EXAMPLES.values(), ids=EXAMPLES.keys())
def test_tricky_cases_match_x86(case):
    try:
        assemble(case.source())
    except AssemblyError as exc:
        pytest.skip(f"a form VQ32 does not have yet: {exc}")
    check(case)


def test_the_oracle_sees_x86_flags():
    """The x86 side is really x86: 0x7FFFFFFF+1 overflows into the sign, 0xFFFFFFFF+1 carries."""
    case = _case("add eax, 1\nadd ebx, 1", iterations=1, eax=0x7FFFFFFF, ebx=0xFFFFFFFF)
    out = run_unicorn(translate(assemble(case.source())), case)
    assert out.registers["eax"] == 0x80000000 and out.registers["ebx"] == 0
    flags = out.eflags
    assert flags & CF and flags & ZF and not flags & SF and not flags & OF
    (first,) = out.passes()
    assert first["eflags"] & (CF | ZF | SF | OF) == CF | ZF
    assert first["eax"] == 0x80000000


def test_the_compiled_path_really_compiles_the_body():
    case = _case("add eax, ebx\nshl eax, 3\nxor ebx, eax\nmov [esi], ebx", eax=1, ebx=2)
    out = run_vq32(assemble(case.source()), case, fast=True)
    assert out.compiled, "the loop body ran compiled"
    check(case)


def test_every_drawable_form_is_available_or_pending():
    """The forms drawn today are exactly those VQ32 has; the others wait for their rows."""
    drawn = {(m, k) for m, k, b, _ in FORMS if b in EVERYTHING}
    assert ("add", (R, R)) in drawn and ("je", (LBL,)) in drawn
    for m, k in drawn:
        assert have(m, *k)
