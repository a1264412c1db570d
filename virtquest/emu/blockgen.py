"""Python source for one compiled block of guest code (see fastpath.py, which runs it).

Only decoded numbers and table opcodes go into the text: register numbers, immediates, costs and
addresses, all integers — never anything read from a file.
"""

from __future__ import annotations

from virtquest.emu import bulk
from virtquest.emu.encoding import Instruction
from virtquest.emu.isa import CF, INSTRUCTION_SIZE, NO_BASE, OF, SF, ZF, IClass
from virtquest.emu.memgen import MemoryCode

M = 0xFFFFFFFF
SIGN = 0x80000000
ARITH = CF | ZF | SF | OF

_ALU = {"add", "sub", "and", "or", "xor", "cmp", "test"}
_JCC = {"je": "ef & 64", "jz": "ef & 64", "jne": "not ef & 64", "jnz": "not ef & 64",
        "jb": "ef & 1", "jae": "not ef & 1",
        "jl": "(ef >> 7 ^ ef >> 11) & 1", "jge": "not (ef >> 7 ^ ef >> 11) & 1",
        "jle": "ef & 64 or (ef >> 7 ^ ef >> 11) & 1",
        "jg": "not ef & 64 and not (ef >> 7 ^ ef >> 11) & 1"}
SUPPORTED = _ALU | set(_JCC) | {"mov", "movb", "imul", "div", "inc", "dec", "neg", "not", "shl",
                                 "shr", "push", "pop", "jmp", "call", "ret", "loop", "nop"}
BRANCHES = set(_JCC) | {"jmp", "call", "ret", "loop"}


# `fast`, made by the dispatcher for each chain of blocks: the CPU's fast accessors, the TLB's
# lookup (an empty one when paging is off), RAM, its size, the pages holding watched code and the
# test of whether a write lands on watched code, whether the CPU is in a supervisor ring, and
# whether such a ring may write a read-only page.
FAST_PROLOGUE = "    rd, wr, tg, data, size, code_pages, touches, sup, wok = fast"


class Generator(MemoryCode):
    """Python source for one block. Registers live in locals r0…r7 and flags in `ef`; both are
    written back before anything that can fault and at every exit."""

    def __init__(self, instructions, addrs, costs, loops, tail_step=False, hook_last=False):
        self.ins, self.addrs, self.costs, self.loops = instructions, addrs, costs, loops
        self.tail_step = tail_step     # after the last: the interpreter runs the next one
        self.hook_last = hook_last     # an exec hook may sit on the last: call it first
        self.synced = (0, 0)           # cycles and instructions already added to the CPU
        self.skip = 0                  # instructions before this one are already written
        self.lines: list[str] = []
        self.indent = 1
        self.deferred = self._deferrable()
        self.live = self._flag_liveness(live_out=self.deferred is None)
        self.written = [_registers_written(i) for i in instructions]
        self.flag_writer = [_flag_effect(i)[0] for i in instructions]
        self.bulk = bulk.plan(instructions) if loops else None
        # With two accesses or more, the TLB hit path is written out in the block (it pays for
        # the few names the block then needs); otherwise rd/wr (the CPU's fast accessors).
        self.inline = sum(not callout(i) and _may_fault(i) and i.row.mnemonic not in ("div", "movb")
                          for i in instructions) >= 2

    def _dirty(self, k: int) -> tuple[list[int], bool]:
        """Registers (and whether the flags) that may differ from the CPU's copy before
        instruction k: written earlier in this pass, or anywhere in the block if it loops."""
        upto = len(self.ins) if self.loops else k
        regs = sorted(set().union(*self.written[:upto])) if upto else []
        return regs, any(self.flag_writer[:upto])

    def _writeback(self, regs: list[int], flags: bool) -> None:
        if regs:
            targets = ", ".join(f"R[{r}]" for r in regs)
            values = ", ".join(f"r{r}" for r in regs)
            self.emit(f"{targets} = {values}")
        if flags:
            self.emit("cpu.eflags = ef")

    def _deferrable(self) -> int | None:
        """In a register-only loop whose next pass overwrites the flags before reading them, the
        last flag-setter's flags are needed only when the loop exits: compute them there."""
        if not self.loops or any(_may_fault(i) for i in self.ins):
            return None
        for ins in self.ins:                     # are the flags dead on the back edge?
            writes, reads = _flag_effect(ins)
            if reads:
                return None
            if writes:
                break
        else:
            return None
        writers = [k for k, i in enumerate(self.ins) if _flag_effect(i)[0]]
        k = writers[-1]
        if any(_flag_effect(i)[1] for i in self.ins[k + 1:]):
            return None
        return k if self.ins[k].row.mnemonic in _ALU else None

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.indent + line)

    def source(self) -> str:
        self.lines = []
        self.indent = 2 + bool(self.loops)
        if self.bulk is not None:
            bulk.emit(self.bulk, self.emit)
        for k, ins in enumerate(self.ins):
            self._instruction(k, ins)
        if self.ins[-1].row.mnemonic not in BRANCHES and not callout(self.ins[-1]):
            # the block just stops here
            self._exit(len(self.ins), str((self.addrs[-1] + INSTRUCTION_SIZE) & M), ended=False,
                       step=self.tail_step)
        body = self.lines
        text = "\n".join(body)
        out = ["def block(cpu, R, iterations, fast):",
               "    r0, r1, r2, r3, r4, r5, r6, r7 = R",
               "    ef = cpu.eflags",
               "    done = k = 0"]
        if "rd(" in text or "wr(" in text:
            out.append(FAST_PROLOGUE)
        if "rd8(" in text or "wr8(" in text:
            out.append("    rd8, wr8 = cpu.read8_current, cpu.write8_current")
        if "fp." in text:
            out.append("    fp = cpu._fastpath")
        if self.bulk is not None:
            out += ["    mmu, mem = cpu.mmu, cpu.mem",
                    "    tlb, paging, data, size = mmu.tlb, mmu.enabled, mem.data, mem.size",
                    "    code_pages, user = mem.code_pages, cpu.cpl == 3",
                    "    wp_free = not (user or mmu.write_protect)"]
        out.append("    try:")
        if self.loops:
            out.append("        while True:")
        out += body
        # A fault: everything before the faulting instruction is in the locals (no instruction
        # changes a register or the flags before it can no longer fault).
        out += ["    except _FAULTS:",
                "        R[:] = r0, r1, r2, r3, r4, r5, r6, r7",
                "        cpu.eflags = ef",
                "        cpu._fp = k",
                "        cpu._fi = done",
                "        raise"]
        return "\n".join(out) + "\n"

    # -- liveness of the flags ----------------------------------------------------------------
    def _flag_liveness(self, live_out: bool = True) -> list[bool]:
        """live[k]: whether the flags written by instruction k can be seen by anyone."""
        live_after = live_out
        result = [False] * len(self.ins)
        for k in range(len(self.ins) - 1, -1, -1):
            result[k], live_after = flag_step(self.ins[k], live_after)
        return result

    # -- one instruction -------------------------------------------------------------------------
    def _sync(self, k: int) -> None:
        """Before a possible fault: where we are (the handler writes the registers back)."""
        self.emit(f"k = {k}")

    def _ea(self, ins: Instruction) -> str:
        if ins.base == NO_BASE:
            return str(ins.imm)
        return f"(r{ins.base} + {ins.imm}) & M" if ins.imm else f"r{ins.base}"

    def _src(self, ins: Instruction) -> str:
        kinds = [o.value for o in ins.row.operands]
        if kinds[-1] == "imm":
            return str(ins.imm)
        if kinds[-1] == "m":
            self._load("b", self._ea(ins))
            return "b"
        return f"r{ins.b}"

    def _instruction(self, k: int, ins: Instruction) -> None:
        if k < self.skip:
            return                # written out with the stack run before it
        kind, n = self._stack_run(k)
        if n:
            self._stack_fast(k, kind, n)
            self.skip = k + n
            return
        self._one(k, ins)

    def _one(self, k: int, ins: Instruction) -> None:
        if self.hook_last and k == len(self.ins) - 1:
            self._call_hook(k)
        if callout(ins):          # the block's last: the interpreter runs it, then we are done
            self._exit(k, str(self.addrs[k]), ended=False, step=True)
            return
        m, a = ins.row.mnemonic, ins.a
        kinds = "".join(o.value[0] for o in ins.row.operands)
        live = self.live[k]
        if _may_fault(ins):
            self._sync(k)
        e = self.emit
        if m == "mov":
            if kinds == "rr":
                e(f"r{a} = r{ins.b}")
            elif kinds == "ri":
                e(f"r{a} = {ins.imm}")
            elif kinds == "rm":
                self._load(f"r{a}", self._ea(ins))
            else:
                self._store(self._ea(ins), f"r{a}", k=k)
        elif m == "movb":
            if kinds == "rm":
                e(f"r{a} = rd8({self._ea(ins)})")
            else:
                e(f"wr8({self._ea(ins)}, r{a})")
                self._after_store(k)
        elif m in _ALU:
            self._alu(m, a, self._src(ins), live, deferred=(k == self.deferred))
        elif m == "imul":
            e(f"t = _signed(r{a}) * _signed({self._src(ins)})")
            e(f"r{a} = t & M")
            if live:
                e(f"v = (t != _signed(r{a})) * {CF | OF}")
                e(f"ef = (ef & {~ARITH & M}) | v | _fl(r{a})")
        elif m == "div":
            e(f"if r{a} == 0: raise _div_zero()")
            e(f"r0, r2 = r0 // r{a}, r0 % r{a}") if a not in (0, 2) else \
                e(f"d = r{a}; r0, r2 = r0 // d, r0 % d")
        elif m in ("inc", "dec"):
            op, edge = ("+", 0x7FFFFFFF) if m == "inc" else ("-", SIGN)
            if live:
                e(f"v = (r{a} == {edge}) * {OF}")
            e(f"r{a} = (r{a} {op} 1) & M")
            if live:
                e(f"ef = (ef & {~(ZF | SF | OF) & M}) | v | _fl(r{a})")
        elif m == "neg":
            if live:
                e(f"v = (r{a} != 0) * {CF} | (r{a} == {SIGN}) * {OF}")
            e(f"r{a} = -r{a} & M")
            if live:
                e(f"ef = (ef & {~ARITH & M}) | v | _fl(r{a})")
        elif m == "not":
            e(f"r{a} = ~r{a} & M")
        elif m in ("shl", "shr"):
            self._shift(m, a, ins.imm & 31, live)
        elif m == "push":
            value = f"r{a}" if kinds == "r" else str(ins.imm)
            e("t = (r4 - 4) & M")
            self._store("t", value, then=("r4 = t",), k=k)
        elif m == "pop":
            self._load("t", "r4")
            e("r4 = (r4 + 4) & M")
            e(f"r{a} = t")
        elif m == "nop":
            pass
        else:
            self._branch(k, ins)
            return
        if _reads_memory(ins):
            self._after_store(k)      # a load that missed the TLB may have pushed code out

    def _alu(self, m: str, a: int, src: str, live: bool, deferred: bool = False) -> None:
        e = self.emit
        if src != "b":
            e(f"b = {src}")
        if deferred:        # keep the operands; the flags are made at the exit
            e(f"fa = r{a}")
            op = {"and": "&", "test": "&", "or": "|", "xor": "^", "add": "+", "sub": "-",
                  "cmp": "-"}[m]
            e(f"ft = fa {op} b")
            if m not in ("cmp", "test"):
                e(f"r{a} = ft & M")
            self.deferred_kind = m
            return
        # Flags written out (no call): CF bit 0, ZF bit 6, SF bit 7 (the sign, bit 31, >> 24),
        # OF bit 11 (a sign-bit expression >> 20).
        keep = ~ARITH & M
        if m in ("add",):
            e(f"t = r{a} + b")
            if live:
                e("q = t & M")
                e(f"ef = (ef & {keep}) | (t > M) | ((q == 0) << 6) | (q >> 24 & 128) | "
                  f"(((r{a} ^ q) & (b ^ q)) >> 20 & 2048)")
                e(f"r{a} = q")
            else:
                e(f"r{a} = t & M")
        elif m in ("sub", "cmp"):
            if live:
                e(f"q = (r{a} - b) & M")
                e(f"ef = (ef & {keep}) | (r{a} < b) | ((q == 0) << 6) | (q >> 24 & 128) | "
                  f"(((r{a} ^ b) & (r{a} ^ q)) >> 20 & 2048)")
                if m == "sub":
                    e(f"r{a} = q")
            elif m == "sub":
                e(f"r{a} = (r{a} - b) & M")
        else:
            op = {"and": "&", "test": "&", "or": "|", "xor": "^"}[m]
            if m == "test":
                if live:
                    e(f"q = r{a} & b")
                    e(f"ef = (ef & {keep}) | ((q == 0) << 6) | (q >> 24 & 128)")
                return
            e(f"r{a} = r{a} {op} b")
            if live:
                e(f"ef = (ef & {keep}) | ((r{a} == 0) << 6) | (r{a} >> 24 & 128)")

    def _shift(self, m: str, a: int, n: int, live: bool) -> None:
        if not n:
            return
        e = self.emit
        e(f"v = r{a}")
        if m == "shl":
            e(f"r{a} = (v << {n}) & M")
            if live:
                e(f"ef = (ef & {~ARITH & M}) | ((v >> {32 - n}) & 1) * {CF} | "
                  f"((r{a} ^ (v << {n - 1})) & {SIGN} != 0) * {OF} | _fl(r{a})")
        else:
            e(f"r{a} = v >> {n}")
            if live:
                of = f"(v & {SIGN} != 0) * {OF}" if n == 1 else "0"
                e(f"ef = (ef & {~ARITH & M}) | ((v >> {n - 1}) & 1) * {CF} | {of} | _fl(r{a})")

    def _after_store(self, k: int) -> None:
        """A store that changed code, or an access that pushed a TLB entry out, ends the block:
        the next instruction must be fetched anew (and its page maybe walked again)."""
        self.emit("if fp.stop:")
        self.indent += 1
        self._exit(k + 1, str((self.addrs[k] + INSTRUCTION_SIZE) & M), ended=False)
        self.indent -= 1

    def _branch(self, k: int, ins: Instruction) -> None:
        m, e = ins.row.mnemonic, self.emit
        kinds = "".join(o.value[0] for o in ins.row.operands)
        fall = (self.addrs[k] + INSTRUCTION_SIZE) & M
        if m == "jmp":
            target = f"r{ins.a}" if kinds == "r" else str(ins.imm)
            self._exit_or_loop(k, "True", target, None)
        elif m == "call":
            target = f"r{ins.a}" if kinds == "r" else str(ins.imm)
            e(f"nt = {target}")
            e("t = (r4 - 4) & M")
            self._store("t", str(fall), then=("r4 = t",))
            self._exit(k + 1, "nt", ended=True)
        elif m == "ret":
            self._load("nt", "r4")
            e("r4 = (r4 + 4) & M")
            self._exit(k + 1, "nt", ended=True)
        elif m == "loop":
            e("r1 = (r1 - 1) & M")
            self._exit_or_loop(k, "r1 != 0", str(ins.imm), fall)
        else:
            self._exit_or_loop(k, _JCC[m], str(ins.imm), fall)

    def _exit_or_loop(self, k: int, condition: str, target: str, fall: int | None) -> None:
        e = self.emit
        if self.loops:
            e("done += 1")
            if fall is not None:
                e(f"if not ({condition}):")
                self.indent += 1
                self._exit(k + 1, str(fall), ended=True)
                self.indent -= 1
            e("if done >= iterations:")
            self.indent += 1
            self._exit(k + 1, target, ended=True)
            self.indent -= 1
            return
        if fall is None:
            self._exit(k + 1, target, ended=True)
            return
        e(f"nt = {target} if {condition} else {fall}")
        self._exit(k + 1, "nt", ended=True)

    def _exit(self, count: int, next_eip: str, ended: bool, step: bool = False) -> None:
        """Leave the block after `count` instructions of this pass (with `step`, after the
        interpreter has run the next one)."""
        e = self.emit
        if self.deferred is not None:
            kind = self.ins[self.deferred].row.mnemonic
            if kind == "add":
                e(f"ef = (ef & {~ARITH & M}) | _add_flags(fa, b, ft)")
            elif kind in ("sub", "cmp"):
                e(f"ef = (ef & {~ARITH & M}) | _sub_flags(fa, b)")
            else:
                e(f"ef = (ef & {~ARITH & M}) | _fl(ft & M)")
        regs, flags = self._dirty(len(self.ins))
        self._writeback(regs, flags or self.deferred is not None)
        e(f"cpu.eip = {next_eip}")
        cost = sum(self.costs[:count])
        if self.loops:
            full = sum(self.costs)
            # `done` counts whole passes; at the branch it already includes this one.
            if ended:
                e(f"cpu.cycles += done * {full}")
                e(f"cpu.instructions += done * {len(self.ins)}")
            else:
                e(f"cpu.cycles += done * {full} + {cost}")
                e(f"cpu.instructions += done * {len(self.ins)} + {count}")
        else:
            e(f"cpu.cycles += {cost - self.synced[0]}")
            e(f"cpu.instructions += {count - self.synced[1]}")
        self._finish(ended, step)

    def _finish(self, ended: bool, step: bool) -> None:
        """The last lines of an exit: a new basic block starts (after a branch), the interpreter
        runs the next instruction (a block ending in one it does not compile), return."""
        if ended:
            self.emit("cpu.block_start = True")
        if step:
            self.emit("cpu.step()")
        self.emit("return")


def callout(ins: Instruction) -> bool:
    """An instruction a block does not compile but may end with: the interpreter's step() runs
    it in place (privileged and sensitive ones, I/O, int, iret, …), exactly as it would have."""
    return ins.row.iclass is not IClass.INNOCUOUS or ins.row.mnemonic not in SUPPORTED


def _registers_written(ins: Instruction) -> set[int]:
    if callout(ins):
        return set()
    m = ins.row.mnemonic
    kinds = "".join(o.value[0] for o in ins.row.operands)
    if m in ("mov", "movb"):
        return {ins.a} if kinds[0] == "r" else set()
    if m in ("cmp", "test", "nop", "jmp") or m in _JCC:
        return set()
    if m == "div":
        return {0, 2}
    if m in ("push", "call", "ret"):
        return {4}
    if m == "pop":
        return {ins.a, 4}
    if m == "loop":
        return {1}
    return {ins.a}


def _flag_effect(ins: Instruction) -> tuple[bool, bool]:
    """(writes the arithmetic flags entirely, reads them)."""
    if callout(ins):
        return False, True
    m = ins.row.mnemonic
    if m in _ALU or m in ("imul", "neg"):
        return True, False
    if m in ("inc", "dec"):
        return True, True          # they keep CF: the old flags flow through
    if m in ("shl", "shr"):
        return bool(ins.imm & 31), False
    if m in _JCC:
        return False, True
    return False, False


def flag_step(ins: Instruction, live_after: bool) -> tuple[bool, bool]:
    """One step back through the flags' liveness: whether the flags `ins` writes can be seen,
    and whether the flags before it can be."""
    writes, reads = _flag_effect(ins)
    faults = _may_fault(ins)
    if faults:                      # a fault shows the flags as they are
        return writes and live_after, True
    if writes and not reads:
        return live_after, False
    return writes and live_after, live_after or reads


def _reads_memory(ins: Instruction) -> bool:
    kinds = [o.value for o in ins.row.operands]
    return ins.row.mnemonic == "pop" or (len(kinds) > 1 and kinds[-1] == "m")


def _may_fault(ins: Instruction) -> bool:
    if callout(ins):
        return True
    m = ins.row.mnemonic
    kinds = [o.value for o in ins.row.operands]
    return m in ("push", "pop", "call", "ret", "div") or "m" in kinds
