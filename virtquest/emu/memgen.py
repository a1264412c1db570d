"""Python source for a compiled block's memory accesses and its call of the hypervisor at a site
(a part of blockgen.Generator): the TLB hit path written out, runs of pushes and pops at once, and
the hypervisor asked about a block's last instruction. Like the rest of the generator, it writes
only numbers and its own words.

A TLB hit is a `TlbEntry` (mmu.py) for the page, usable at the current privilege: `e.user` or a
supervisor ring to read; for a write also `e.dirty` (the walk already set the dirty bit) and
`e.writable` unless a supervisor ring may write read-only pages (cr0.WP clear). Anything else — a
miss, a page edge, a frame beyond RAM, watched code — takes the CPU's own accessor (`rd`, `wr`),
after which `end_block` says whether the block must end (code written, a TLB entry pushed out, or
cycles charged on the way: a page walk, a hypervisor's hidden fault — the room the dispatcher
checked before the block counted only the instructions' own cycles, so a budget's end or the timer
may now fall at the next boundary, where the machine's loop must look, as after an interpreter
step).

Pages seen: compiled code keeps the pages whose TLB entry passed those checks — `rc`/`rb`
(readable) and `wc`/`wb` (writable too, and holding no code), for words and for bytes — so the
next access to the page is one dictionary subscript, one addition and one index into RAM (`W`,
its aligned words): the value kept is how far the page's addresses are from their frame's place
in RAM. A page not found raises KeyError, which takes the TLB path and keeps the page. A word's
key is its address with the offset's high bits cleared (so an unaligned word is never found), a
byte's its page number. The fast path keeps these from one block to the next, one set per
privilege (`ctx.pages`, see fastpath.py). They are copies of TLB entries: anything that drops or
changes one (an eviction, invlpg, a flush, a walk that replaces it) forgets them all and sets
`end_block` (mmu.on_evict) in a slow path, and the block ends after that instruction. Nothing
else can change an entry while a block runs: ring, paging and cr0.WP changes, like code
compilation, happen only between blocks.
"""

from __future__ import annotations

import re
import struct
import sys

from virtquest.emu.codegen import wrap_word
from virtquest.emu.memory import PAGE_MASK, PAGE_SHIFT, PAGE_SIZE
from virtquest.emu.semantics import If, Line, Load, Store

# An address's page and its offset's low two bits; its page. Written as negative numbers (the same
# bits for any 32-bit address): Python computes `a & mask` faster when the mask is small.
ALIGNED = -4093                  # ~0xFFC: 0xFFFFF003 on 32 bits
PAGE_BASE = -PAGE_SIZE           # 0xFFFFF000 on 32 bits
WORD_END = PAGE_SIZE - 4         # the last offset in a page where a whole word fits
# The last page of the address space is never kept among the pages seen: an address found there
# is below it, so adding up to a page to it needs no wrap to 32 bits (MemoryCode._after_step).
TOP_PAGE = (1 << 32) - PAGE_SIZE
# An aligned word is one item of RAM seen as native unsigned ints when the host is little-endian
# with 4-byte ints (x86, ARM, RISC-V hosts); elsewhere compiled code reads bytes as before.
WORDS = sys.byteorder == "little" and struct.calcsize("I") == 4


class MemoryCode:
    """Mixed into blockgen.Generator, which provides ins, addrs, costs, inline, hook_last, emit,
    indent, _dirty, _writeback, _sync, _where, _after_access and _one."""

    def _call_hook(self, k: int) -> None:
        """Before the last instruction: bring the CPU up to date and ask the hypervisor about
        the site there, as the interpreter's step() would; if it ran the instruction, the block
        is done."""
        e = self.emit
        self._settle()
        self._writeback(*self._dirty(len(self.ins)))
        before = sum(self.costs[:k])
        e(f"cpu.eip = {hex(self.addrs[k])}")
        e(f"cpu.cycles += {before}")
        e(f"cpu.instructions += {k}")
        self.synced = (before, k)
        e(f"h = cpu.sites.get({hex(self.addrs[k])})")
        self._where(-1)
        e("if h is not None and h(cpu):")
        e("    return")
        self._where(k)

    def _load(self, target: str, ea: str, width: int = 32, step: tuple | None = None) -> None:
        """target = the word (or byte) at ea: from a page seen before in this call, or a TLB hit
        read straight from RAM, anything else by the CPU's accessor. `step`: the line that moves
        the address register on by a number (a pop's esp), unwrapped and wrapped (see
        _after_step)."""
        e = self.emit
        if not self.inline:
            e("cy = cpu.cycles")
            e(f"{target} = {'rd' if width == 32 else 'rd8'}({ea})")
            e("end_block = ctx.end_block or cpu.cycles != cy")
            return
        if self._grouped(width, f"{target} = W[{{}}]", step):
            self._load(target, ea, width, step)
            self._group_end(step)
            return
        a = self._address(ea)
        e("try:")
        if width == 32:
            e(f"    {target} = {_word('rc', a)}")
            e("except KeyError:")
        else:
            e(f"    {target} = data[{_byte('rb', a)}]")
            e("except KeyError:")
        self._rewrap(a)
        if width == 32:
            e(f"    e = tg({a} >> PAGE_SHIFT)")
            e(f"    if e is not None and {a} & PAGE_MASK <= WORD_END and (e.user or sup) and "
              "e.frame < size:")
            e(f"        p = e.frame | {a} & PAGE_MASK")
            e(f"        {target} = frm(data[p:p + 4], LE)")
        else:
            e(f"    e = tg({a} >> PAGE_SHIFT)")
            e("    if e is not None and (e.user or sup) and e.frame < size:")
            e(f"        {target} = data[e.frame | {a} & PAGE_MASK]")
        e(f"        if {a} < TOP_PAGE: {_remember('rc', 'rb', a)}")
        e("    else:")
        e("        cy = cpu.cycles")
        e(f"        {target} = {'rd' if width == 32 else 'rd8'}({a})")
        self._slow_end()
        self._after_step(step)

    def _after_step(self, step: tuple | None) -> None:
        """The line after an access that adds a number of at most a page to its address
        register: after a page seen (never the last page of the address space, see _remember)
        the sum needs no wrapping; after the slow path it does."""
        if step is not None:
            self.emit(f"    {step[1]}")
            self.emit("else:")
            self.emit(f"    {step[0]}")

    def _store(self, ea: str, value: str, width: int = 32, step: tuple | None = None) -> None:
        """The word (or the low byte of) value to ea (`step` as for _load)."""
        e = self.emit
        if not self.inline:
            e("cy = cpu.cycles")
            e(f"{'wr' if width == 32 else 'wr8'}({ea}, {value})")
            e("end_block = ctx.end_block or cpu.cycles != cy")
            return
        if self._grouped(width, f"W[{{}}] = {value}", step):
            self._store(ea, value, width, step)
            self._group_end(step)
            return
        a = self._address(ea)
        rights = ("(e.user or sup) and (e.writable or wok) and e.frame < size")
        e("try:")
        if width == 32:
            if WORDS:
                e(f"    {_word('wc', a)} = {value}")
            else:
                e(f"    p = wc[{a} & ALIGNED] + {a}")
                e(f"    data[p:p + 4] = ({value}).to_bytes(4, LE)")
        else:
            e(f"    data[{_byte('wb', a)}] = {value} & 0xff")
        e("except KeyError:")
        self._rewrap(a)
        if width == 32:
            e(f"    e = tg({a} >> PAGE_SHIFT)")
            e(f"    if e is not None and e.dirty and {a} & PAGE_MASK <= WORD_END and {rights} and "
              f"(e.frame >> PAGE_SHIFT not in code_pages or not touches(e.frame | {a} & PAGE_MASK, "
              f"(e.frame | {a} & PAGE_MASK) + 3)):")
            e(f"        p = e.frame | {a} & PAGE_MASK")
            e(f"        data[p:p + 4] = ({value}).to_bytes(4, LE)")
        else:
            e(f"    e = tg({a} >> PAGE_SHIFT)")
            e(f"    if e is not None and e.dirty and {rights} and "
              f"(e.frame >> PAGE_SHIFT not in code_pages or not touches(e.frame | {a} & PAGE_MASK, "
              f"e.frame | {a} & PAGE_MASK)):")
            e(f"        data[e.frame | {a} & PAGE_MASK] = {value} & 0xff")
        e(f"        if e.frame >> PAGE_SHIFT not in code_pages and {a} < TOP_PAGE:")
        e(f"            {_remember('wc', 'wb', a)}")
        e(f"            {_remember('rc', 'rb', a)}")
        e("    else:")
        e("        cy = cpu.cycles")
        e(f"        {'wr' if width == 32 else 'wr8'}({a}, {value})")
        self._slow_end()
        self._after_step(step)

    # -- accesses off one register, found through one page ---------------------------------
    def _grouped(self, width: int, access: str, step) -> bool:
        """If the access being written is one of a group (see address_groups): the group's
        index into RAM, found at its first access, and this access through it; the access as
        usual after `except TypeError:` (the group's pages were not seen: the index is None).
        True when the caller is to write that usual access now (it is, once)."""
        k = self.temp_k
        if self.nest or width != 32 or not WORDS or k is None or getattr(self, "plain", False):
            return False
        groups = getattr(self, "groups", None)
        if groups is None:
            groups = self.groups = address_groups(self)
        member = groups.get(k)
        if member is None:
            return False
        leader, reg, lo, span, index, cache = member
        e, g = self.emit, f"g{leader}"
        if k == leader:
            base = f"r{reg}"
            if lo:
                e(f"a = {base} {'+' if lo > 0 else '-'} {abs(lo)}")
                base = "a"
            test = f" if {base} & PAGE_MASK <= {WORD_END - span} else None" if span else ""
            e("try:")
            e(f"    {g} = {cache}[{base} & ALIGNED] + ({base} >> 2){test}")
            e("except KeyError:")
            e(f"    {g} = None")
        e("try:")
        e("    " + access.format(f"{g} + {index}" if index else g))
        e("except TypeError:")
        self.indent += 1
        self.plain = True
        return True

    def _group_end(self, step) -> None:
        self.plain = False
        self.indent -= 1
        if step is not None:
            self.emit("else:")
            self.emit(f"    {step[0]}")

    def _address(self, ea: str) -> str:
        """A name or number for the address ea (a register or a temporary is used as it is; an
        expression is computed once into `a`). A register plus a number is not wrapped to 32
        bits (see unwrapped): the pages seen never hold the address it gives when it leaves
        them, and the slow path wraps it first."""
        if SIMPLE.fullmatch(ea):
            return ea
        plain = unwrapped(ea)
        self.emit(f"a = {plain or ea}")
        if plain:
            self.unwrapped_name = "a"
        return "a"

    def _rewrap(self, a: str) -> None:
        """At the top of an access's slow path: the address, if it was left unwrapped, as the
        32-bit word it stands for."""
        if getattr(self, "unwrapped_name", None) == a:
            self.emit(f"    {a} = {a} & M")
        self.unwrapped_name = None

    def _slow_end(self) -> None:
        """After the CPU's accessor: if the block must end, its pages are forgotten first (a TLB
        entry may have gone, and the instruction may access memory again before the end)."""
        e = self.emit
        e("        end_block = ctx.end_block or cpu.cycles != cy")
        e("        if end_block:")
        e("            rc.clear(); wc.clear(); rb.clear(); wb.clear()")

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


def _word(cache: str, a: str) -> str:
    """The aligned word at address `a` on a page in `cache` (KeyError otherwise): the key is `a`
    with its offset's high bits cleared (ALIGNED), so an unaligned address is never found; the
    value is what turns the address into the frame's place in RAM — seen as words (WORDS), the
    word index is the key's value plus a >> 2, else the byte offset is its value plus a."""
    if WORDS and a[0].isdigit():            # a number: the key and the index are too
        value = int(a, 0)
        return f"W[{cache}[{hex(value & ALIGNED)}] + {hex(value >> 2)}]"
    if WORDS:
        return f"W[{cache}[{a} & ALIGNED] + ({a} >> 2)]"
    return f"frm(data[{cache}[{a} & ALIGNED] + {a}:{cache}[{a} & ALIGNED] + {a} + 4], LE)"


def _byte(cache: str, a: str) -> str:
    """Where the byte at address `a` on a page in `cache` is in RAM (KeyError otherwise)."""
    if a[0].isdigit():
        value = int(a, 0)
        return f"{cache}[{hex(value >> PAGE_SHIFT)}] + {a}"
    return f"{cache}[{a} >> PAGE_SHIFT] + {a}"


def _remember(words: str, octets: str, a: str = "a") -> str:
    """The line that keeps the page of address `a` (TLB entry `e`) in a word cache and a byte
    cache: by how much an address on that page is moved to reach its place in RAM (in words for
    the word cache when RAM is seen as words)."""
    delta = f"e.frame - ({a} & PAGE_BASE)"
    return f"{words}[{a} & PAGE_BASE] = {f'({delta}) >> 2' if WORDS else delta}; " \
        f"{octets}[{a} >> PAGE_SHIFT] = {delta}"


def _register_offset(text: str) -> tuple[int, int] | None:
    """(n, c) for `rn`, `rn + c` or `rn - c` (c negative), else None."""
    found = _OFFSET.fullmatch(text)
    if found is None:
        return None
    c = int(found.group(3), 0) if found.group(3) else 0
    return int(found.group(1)), -c if found.group(2) == "-" else c


_OFFSET = re.compile(r"r([0-7])(?: ([+-]) (0x[0-9a-f]+|\d+))?")


def address_groups(gen) -> dict[int, tuple]:
    """Word accesses off one register, two or more in a straight run of a block (a region's
    block, or a block), while that register changes only by numbers (a push, a pop): [eax+4]
    then [eax]; push, push, call; pop, ret. The first finds the page of the lowest address
    among those seen, if the whole stretch lies on it, as an index into RAM seen as words
    (`g`); each then reads or writes RAM at that index plus its own distance, with no lookup of
    its own. Until the block ends, nothing can make that page's entry stale: anything that
    changes the TLB ends the block after the instruction that did (memgen's module docstring).
    Per instruction index: (the first's index, register, lowest offset from the register as the
    first found it, the stretch's span in bytes, this access's distance in words, cache)."""
    groups: dict[int, tuple] = {}
    for start, end in gen.segments():
        open_: dict[int, list] = {}           # register -> [moved by, members]
        k = start
        last = end - 1 if gen.hook_last else end
        while k < end:
            code = gen.codes[k]
            n = gen._stack_run(k)[1] if k < last else 0
            if n or k >= last or not code.compilable:
                for j in range(k, k + max(n, 1)):
                    for reg in (4, *gen.codes[j].regs_written):
                        _close(open_.pop(reg, None), groups)
                k += max(n, 1)
                continue
            where, moved = _scan(code.parts)
            if where is not None:
                reg, c = where
                group = open_.setdefault(reg, [0, []])
                group[1].append((k, reg, group[0], c,
                                 any(isinstance(p, Store) for p in code.parts)))
            for reg in code.regs_written:
                if moved.get(reg) is not None and reg in open_:
                    open_[reg][0] += moved[reg]
                else:
                    _close(open_.pop(reg, None), groups)
            k += 1
        for group in open_.values():
            _close(group, groups)
    return groups


def _scan(parts: list) -> tuple[tuple[int, int] | None, dict[int, int | None]]:
    """An instruction's one word access, as (register, number) when its address is a register
    plus a number and no register changed before it; and how each register it writes moves
    (by a number, or None: otherwise). Anything it cannot read makes no access and no move."""
    temps: dict[str, tuple[int, int]] = {}
    moved: dict[int, int | None] = {}
    accesses = [p for p in parts if isinstance(p, (Load, Store))]
    if any(isinstance(p, If) for p in parts) or len(accesses) > 1:
        return None, {}
    where = None
    for part in parts:
        if isinstance(part, (Load, Store)):
            if not moved and part.width == 32:
                where = temps.get(part.address) or _register_offset(
                    unwrapped(part.address) or part.address)
            if isinstance(part, Load) and not part.target.startswith("v_"):
                return None, {}
        elif isinstance(part, Line) and part.writes:
            target, _, expression = part.text.partition(" = ")
            plain = unwrapped(expression)
            offset = _register_offset(plain) if plain else None
            if all(w.startswith("T_") for w in part.writes):
                if target.startswith("v_") and offset:
                    temps[target] = offset
                continue
            if len(part.writes) != 1 or not _REGISTER.fullmatch(target):
                return None, {}
            reg = int(target[1:])
            now = temps.get(expression) or offset
            moved[reg] = now[1] if now and now[0] == reg and reg not in moved else None
    return where, moved


_REGISTER = re.compile(r"r[0-7]")


def _close(group: list | None, groups: dict[int, tuple]) -> None:
    if group is None or len(group[1]) < 2:
        return
    members = group[1]
    # each access's address: the register as the group opened, moved on, plus its number
    offsets = [moved + c for _, _, moved, c, _ in members]
    lo, hi = min(offsets), max(offsets)
    if any((off - lo) % 4 for off in offsets) or hi - lo > PAGE_SIZE - 4:
        return
    leader, reg, moved_then = members[0][0], members[0][1], members[0][2]
    cache = "wc" if any(m[4] for m in members) else "rc"
    for (k, *_), off in zip(members, offsets, strict=True):
        # the lowest address is the register as the first access finds it, plus lo - moved_then
        groups[k] = (leader, reg, lo - moved_then, hi - lo, (off - lo) // 4, cache)


def address_step(line: str, address: str) -> tuple[str, str] | None:
    """For `x = <x + c wrapped>` right after an access at x (a register; 0 < c <= a page): the
    line unwrapped and as it is (see MemoryCode._after_step)."""
    if " = " not in line or not SIMPLE.fullmatch(address) or address[0].isdigit():
        return None
    target, expression = line.split(" = ", 1)
    plain = unwrapped(expression)
    if target != address or plain is None or not plain.startswith(f"{address} + "):
        return None
    if int(plain.split(" + ", 1)[1], 0) > PAGE_SIZE:
        return None
    return f"{target} = {plain}", line


def unwrapped(expression: str) -> str | None:
    """`x + c` or `x - c` for an address written as a word plus a number wrapped to 32 bits (as
    codegen.wrap_word writes it), else None. The sum left unwrapped is below 0 or 2**32 and
    above exactly when the wrapped one differs from it; no page seen is found at such a sum (a
    word's key keeps the bits above 32 and the sign, a byte's page number is above 2**20 or
    negative), so the access takes its slow path, which wraps it first (MemoryCode._rewrap)."""
    text = expression[1:-1] if expression.startswith("(") and expression.endswith(")") \
        else expression
    found = _WRAPPED.match(text)
    if found is None:
        return None
    x, op, c = found.group(1), found.group(2), int(found.group(3), 0)
    if not 0 < c < 1 << 32 or wrap_word(x, op, c) != text:
        return None
    if op == "+" and c >= 1 << 31:         # a negative displacement
        op, c = "-", (1 << 32) - c
    return f"{x} {op} {hex(c) if c > 255 else c}"


_WRAPPED = re.compile(r"(r[0-7]|v\w*) ([+-]) (0x[0-9a-f]+|\d+) if ")


# An address written as it is into the memory code: a name (register, temporary) or a number.
SIMPLE = re.compile(r"[A-Za-z_]\w*|0x[0-9a-f]+|\d+")


# Names the memory code uses, for the namespace compiled blocks run in.
NAMES = {"PAGE_SHIFT": PAGE_SHIFT, "PAGE_SIZE": PAGE_SIZE, "PAGE_MASK": PAGE_MASK,
         "WORD_END": WORD_END, "ALIGNED": ALIGNED, "PAGE_BASE": PAGE_BASE, "TOP_PAGE": TOP_PAGE}
