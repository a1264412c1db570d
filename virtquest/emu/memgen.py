"""Python source for a compiled block's memory accesses and its call of the hypervisor at a site
(a part of blockgen.Generator): the TLB hit path written out, runs of pushes and pops at once, and
the hypervisor asked about a block's last instruction. Like the rest of the generator, it writes
only numbers and its own words.

A TLB hit is a `TlbEntry` (mmu.py) for the page, usable at the current privilege: `e.user` or a
supervisor ring to read; for a write also `e.dirty` (the walk already set the dirty bit) and
`e.writable` unless a supervisor ring may write read-only pages (cr0.WP clear). Anything else — a
miss, a page edge, a frame beyond RAM, watched code — takes the CPU's own accessor (`rd`, `wr`),
after which `stop` says whether the block must end (code written, a TLB entry pushed out).
"""

from __future__ import annotations

from virtquest.emu.memory import PAGE_MASK, PAGE_SIZE

WORD_END = PAGE_SIZE - 4         # the last offset in a page where a whole word fits


class MemoryCode:
    """Mixed into blockgen.Generator, which provides ins, addrs, costs, inline, hook_last, emit,
    indent, _dirty, _writeback, _sync, _after_access and _one."""

    def _call_hook(self, k: int) -> None:
        """Before the last instruction: bring the CPU up to date and ask the hypervisor about
        the site there, as the interpreter's step() would; if it ran the instruction, the block
        is done."""
        e = self.emit
        self._writeback(*self._dirty(len(self.ins)))
        before = sum(self.costs[:k])
        e(f"cpu.eip = {hex(self.addrs[k])}")
        e(f"cpu.cycles += {before}")
        e(f"cpu.instructions += {k}")
        self.synced = (before, k)
        e(f"h = cpu.sites.get({hex(self.addrs[k])})")
        e("if h is not None:")
        e("    k = -1")
        e("    if h(cpu):")
        e("        return")
        e(f"k = {k}")

    def _load(self, target: str, ea: str) -> None:
        """target = the word at ea: a TLB hit read straight from RAM, anything else by rd."""
        e = self.emit
        if not self.inline:
            e(f"{target} = rd({ea})")
            e("stop = ctx.stop")
            return
        e(f"a = {ea}")
        e("e = tg(a >> PAGE_SHIFT)")
        e("if e is not None and a & PAGE_MASK <= WORD_END and (e.user or sup) and "
          "e.frame < size:")
        e("    p = e.frame | a & PAGE_MASK")
        e(f"    {target} = frm(data[p:p + 4], LE)")
        e("else:")
        e(f"    {target} = rd(a)")
        e("    stop = ctx.stop")

    def _store(self, ea: str, value: str) -> None:
        """The word value to ea."""
        e = self.emit
        if not self.inline:
            e(f"wr({ea}, {value})")
            e("stop = ctx.stop")
            return
        e(f"a = {ea}")
        e("e = tg(a >> PAGE_SHIFT)")
        e("if e is not None and e.dirty and a & PAGE_MASK <= WORD_END and (e.user or sup) and "
          "(e.writable or wok) and e.frame < size and (e.frame >> PAGE_SHIFT not in code_pages "
          "or not touches(e.frame | a & PAGE_MASK, (e.frame | a & PAGE_MASK) + 3)):")
        e("    p = e.frame | a & PAGE_MASK")
        e(f"    data[p:p + 4] = ({value}).to_bytes(4, LE)")
        e("else:")
        e(f"    wr(a, {value})")
        e("    stop = ctx.stop")

    def _stack_run(self, k: int) -> tuple[str, int]:
        """A run of pushes (or pops) of registers other than esp starting at k: its kind and
        length (0 when there is none worth writing out)."""
        if not self.inline:
            return "", 0
        kind = self.ins[k].row.syntax
        if kind not in ("push r", "pop r"):
            return "", 0
        end = self._run_limit(k)
        n = 0
        while k + n < end and self.ins[k + n].row.syntax == kind and self.ins[k + n].a != 4:
            n += 1
        return kind, n if n >= 3 else 0

    def _run_limit(self, k: int) -> int:
        """Where a run of instructions starting at k must stop (the hooked last one excluded)."""
        return len(self.ins) - 1 if self.hook_last else len(self.ins)

    def _stack_fast(self, k: int, kind: str, n: int) -> None:
        """n pushes or pops at once when the whole stretch of stack is one page the TLB already
        lets us use (the interpreter would hit it n times, changing nothing else); else one by
        one as usual."""
        e = self.emit
        regs = [self.ins[k + i].a for i in range(n)]
        self._sync(k)
        if kind == "push r":
            e(f"a = r4 - {4 * n} & M")
            e("e = tg(a >> PAGE_SHIFT)")
            e(f"if r4 >= {4 * n} and a & PAGE_MASK <= {PAGE_SIZE - 4 * n} and e is not None and "
              "e.dirty and (e.user or sup) and (e.writable or wok) and e.frame < size and "
              "e.frame >> PAGE_SHIFT not in code_pages:")
            e("    p = e.frame | a & PAGE_MASK")
            e(f"    data[p:p + {4 * n}] = " + " + ".join(f"r{r}.to_bytes(4, LE)"
                                                         for r in reversed(regs)))
            e("    r4 = a")
        else:
            e("e = tg(r4 >> PAGE_SHIFT)")
            e(f"if r4 <= {(1 << 32) - 4 * n} and r4 & PAGE_MASK <= {PAGE_SIZE - 4 * n} and "
              "e is not None and (e.user or sup) and e.frame < size:")
            e("    p = e.frame | r4 & PAGE_MASK")
            for i, r in enumerate(regs):
                e(f"    r{r} = frm(data[p + {4 * i}:p + {4 * i + 4}], LE)")
            e(f"    r4 = r4 + {4 * n}")
        e("else:")
        self.indent += 1
        for i in range(n):
            self._one(k + i, self.ins[k + i])
        self.indent -= 1


# Names the memory code uses, for the namespace compiled blocks run in.
NAMES = {"PAGE_SHIFT": 12, "PAGE_SIZE": PAGE_SIZE, "PAGE_MASK": PAGE_MASK, "WORD_END": WORD_END}
