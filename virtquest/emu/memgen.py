"""Python source for a compiled block's memory accesses and exec-hook calls (a part of
blockgen.Generator): the TLB hit path written out, runs of pushes and pops at once, and the call of
a hook on a block's last instruction. Like the rest of the generator, it writes only numbers and
its own words.
"""

from __future__ import annotations


class MemoryCode:
    """Mixed into blockgen.Generator, which provides ins, addrs, costs, inline, hook_last, emit,
    indent, _dirty, _writeback, _sync, _after_store and _one."""

    def _call_hook(self, k: int) -> None:
        """Before the last instruction: bring the CPU up to date and call the exec hook there,
        as the interpreter's step() would; if it ran the instruction, the block is done."""
        e = self.emit
        self._writeback(*self._dirty(len(self.ins)))
        before = sum(self.costs[:k])
        e(f"cpu.eip = {self.addrs[k]}")
        e(f"cpu.cycles += {before}")
        e(f"cpu.instructions += {k}")
        self.synced = (before, k)
        e(f"h = cpu.exec_hooks.get({self.addrs[k]})")
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
            return
        e(f"a = {ea}")
        e("e = tg(a >> 12)")
        e("if e is not None and a & 4095 < 4093 and (e[2] or sup) and e[0] < size:")
        e("    p = e[0] | a & 4095")
        e(f"    {target} = frm(data[p:p + 4], LE)")
        e("else:")
        e(f"    {target} = rd(a)")

    def _store(self, ea: str, value: str, then: tuple[str, ...] = (), k: int | None = None) -> None:
        """The word value to ea (then the lines `then`); with k, a store that changed code
        ends the block after instruction k."""
        e = self.emit
        if not self.inline:
            e(f"wr({ea}, {value})")
            for line in then:
                e(line)
            if k is not None:
                self._after_store(k)
            return
        e(f"a = {ea}")
        e("e = tg(a >> 12)")
        e("if e is not None and e[3] and a & 4095 < 4093 and (e[2] or sup) and (e[1] or wok) "
          "and e[0] < size and (e[0] >> 12 not in code_pages or "
          "not touches(e[0] | a & 4095, (e[0] | a & 4095) + 3)):")
        e("    p = e[0] | a & 4095")
        e(f"    data[p:p + 4] = ({value}).to_bytes(4, LE)")
        for line in then:
            e("    " + line)
        e("else:")
        self.indent += 1
        e(f"wr(a, {value})")
        for line in then:
            e(line)
        if k is not None:
            self._after_store(k)
        self.indent -= 1

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
            e(f"a = (r4 - {4 * n}) & M")
            e("e = tg(a >> 12)")
            e(f"if r4 >= {4 * n} and a & 4095 <= {4096 - 4 * n} and e is not None and e[3] and "
              "(e[2] or sup) and (e[1] or wok) and e[0] < size and "
              "e[0] >> 12 not in code_pages:")
            e("    p = e[0] | a & 4095")
            e(f"    data[p:p + {4 * n}] = " + " + ".join(f"r{r}.to_bytes(4, LE)"
                                                         for r in reversed(regs)))
            e("    r4 = a")
        else:
            e("e = tg(r4 >> 12)")
            e(f"if r4 <= {(1 << 32) - 4 * n} and r4 & 4095 <= {4096 - 4 * n} and e is not None "
              "and (e[2] or sup) and e[0] < size:")
            e("    p = e[0] | r4 & 4095")
            for i, r in enumerate(regs):
                e(f"    r{r} = frm(data[p + {4 * i}:p + {4 * i + 4}], LE)")
            e(f"    r4 = r4 + {4 * n}")
        e("else:")
        self.indent += 1
        for i in range(n):
            self._one(k + i, self.ins[k + i])
        self.indent -= 1

