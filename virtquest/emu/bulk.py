"""Fill and copy loops run many passes at once (a part of the fast path; see fastpath.py).

Kernels clear and copy pages with unrolled loops like

    fill:  mov [ebx], edx / mov [ebx+4], edx / … / add ebx, 32 / loop fill
    copy:  mov edx, [eax] / mov [ebx], edx / … / add eax, 32 / add ebx, 32 / loop copy

One pass of such a loop writes one stretch of `stride` bytes and moves its pointers on by the same
stride. When every pass of a run of passes hits the TLB on one page (with the rights the stores
need), touches no watched code and, for a copy, the two stretches do not overlap, running those
passes one by one can be seen only through the bytes they leave, the registers and the flags of the
last `add` — so the compiled block writes the bytes with one slice assignment and sets the registers
and flags as the last pass would. Cycle and instruction counts follow from the pass count exactly as
for any compiled loop. Everything else (a TLB miss, a page edge, the last pass that leaves the loop)
runs pass by pass, so faults, accessed/dirty bits and page walks stay the interpreter's.
"""

from __future__ import annotations

from dataclasses import dataclass

from virtquest.emu.encoding import Instruction
from virtquest.emu.isa import NO_BASE
from virtquest.emu.semantics import FLAG_RULES

ECX = 1
MAX_STRIDE = 512


@dataclass(frozen=True)
class BulkPlan:
    stride: int
    dst: int                       # the pointer register stored through
    src: int | None                # the pointer register loaded from (a copy); None: a fill
    values: tuple[int, ...]        # a fill: the register stored at offset 4·i
    temp: int | None               # a copy: the register each word passes through
    last_load: int                 # a copy: the offset of the pass's last load
    flag_pointer: int              # the register of the pass's last `add` (its flags survive)


def plan(instructions: list[Instruction]) -> BulkPlan | None:
    """The fill or copy a self-loop block performs, or None when it is something else."""
    if len(instructions) < 3 or instructions[-1].row.mnemonic != "loop":
        return None
    body = instructions[:-1]
    advances: dict[int, int] = {}
    order: list[int] = []
    moves = []
    for ins in body:
        syntax = ins.row.syntax
        if syntax == "add r, imm":
            if ins.a in advances:
                return None
            advances[ins.a] = ins.imm
            order.append(ins.a)
        elif syntax in ("mov [m], r", "mov r, [m]") and not advances and ins.base != NO_BASE:
            moves.append((syntax == "mov [m], r", ins.base, ins.imm, ins.a))
        else:
            return None
    strides = set(advances.values())
    if len(strides) != 1 or not moves:
        return None
    stride = strides.pop()
    if stride % 4 or not 4 <= stride <= MAX_STRIDE or ECX in advances:
        return None
    stores = [m for m in moves if m[0]]
    loads = [m for m in moves if not m[0]]
    offsets = sorted(m[2] for m in stores)
    if offsets != list(range(0, stride, 4)):
        return None
    dst = stores[0][1]
    if any(m[1] != dst for m in stores) or set(advances) != {dst} | {m[1] for m in loads}:
        return None
    if not loads:
        values = tuple(m[3] for m in sorted(stores, key=lambda m: m[2]))
        if set(values) & {dst, ECX}:
            return None
        return BulkPlan(stride, dst, None, values, None, 0, order[-1])
    # A copy: each load is followed at once by a store of the same word to the same offset.
    if len(moves) != 2 * len(stores):
        return None
    src = loads[0][1]
    temp = loads[0][3]
    if src == dst or temp in (src, dst, ECX):
        return None
    pairs = zip(moves[::2], moves[1::2], strict=True)
    for (first_stores, base, off, reg), (then_stores, _, soff, sreg) in pairs:
        if first_stores or not then_stores or base != src or reg != temp or sreg != temp \
                or soff != off:
            return None
    return BulkPlan(stride, dst, src, (), temp, moves[-2][2], order[-1])


def emit(plan_: BulkPlan, e) -> None:
    """Python lines (through `e`) that run as many whole passes as are safe, at the top of a pass.
    The block's prologue provides tlb, data, size, code_pages, user, wp_free; the fast path's
    namespace frm, LE and the vocabulary's constants."""
    s, d, src = plan_.stride, plan_.dst, plan_.src
    e(f"if r{ECX} > 2 and iterations - done > 2 and paging:")
    e(f"    ed = tlb.get(r{d} >> PAGE_SHIFT)")
    e("    if ed is not None and ed.dirty and (ed.user or not user) and (ed.writable or wp_free):")
    e(f"        od = r{d} & PAGE_MASK")
    if src is None:
        e(f"        n = min((PAGE_SIZE - od) // {s}, r{ECX} - 1, iterations - done - 1)")
        e("        pd = ed.frame | od")
        e(f"        if n > 1 and pd + n * {s} <= size and pd >> PAGE_SHIFT not in code_pages:")
        pattern = " + ".join(f"r{v}.to_bytes(4, LE)" for v in plan_.values)
        e(f"            data[pd:pd + n * {s}] = ({pattern}) * n")
        _advance(plan_, e)
        return
    e(f"        es = tlb.get(r{src} >> PAGE_SHIFT)")
    e("        if es is not None and (es.user or not user):")
    e(f"            os = r{src} & PAGE_MASK")
    e(f"            n = min((PAGE_SIZE - max(od, os)) // {s}, r{ECX} - 1, iterations - done - 1)")
    e("            pd, ps = ed.frame | od, es.frame | os")
    e(f"            if n > 1 and pd + n * {s} <= size and ps + n * {s} <= size and "
      f"pd >> PAGE_SHIFT not in code_pages and (pd + n * {s} <= ps or ps + n * {s} <= pd):")
    e(f"                data[pd:pd + n * {s}] = data[ps:ps + n * {s}]")
    e(f"                q = ps + (n - 1) * {s} + {plan_.last_load}")
    e(f"                r{plan_.temp} = frm(data[q:q + 4], LE)")
    _advance(plan_, e, indent="    ")


def _advance(plan_: BulkPlan, e, indent: str = "") -> None:
    s, pad = plan_.stride, "            " + indent
    pointers = [plan_.dst] + ([plan_.src] if plan_.src is not None else [])
    e(f"{pad}t = r{plan_.flag_pointer} + (n - 1) * {s} & M")
    # the flags of the last pass's `add pointer, stride`, by the add's own rule
    e(pad + FLAG_RULES["add"].render("ef", ["t", str(s), f"t + {s}"]))
    for p in pointers:
        e(f"{pad}r{p} = (r{p} + n * {s}) & M")
    e(f"{pad}r{ECX} -= n")
    e(f"{pad}done += n")
