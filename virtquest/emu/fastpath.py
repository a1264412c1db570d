"""The emulator's own binary translation: basic blocks of innocuous guest code compiled into Python
functions, cached by physical address — the same idea VMware's translator applies to guest kernel
code, used here to make the emulator fast.

A block is generated only from validated numbers and enum values (register numbers, immediates,
opcodes from the instruction table), never from the text of a file. It must be indistinguishable
from the reference interpreter: the same registers, flags, memory, cycles and instruction counts,
the same faults at the same instruction, the same timer interrupt points, the same budget stop.
So it runs only when no interrupt can fall due inside it, computes flags only where they are read
(or could be seen by a fault), keeps faulting instructions precise, and stops after a store that
changed code. Everything it cannot compile runs in the interpreter.
"""

from __future__ import annotations

from virtquest.emu.cpu import CpuFault
from virtquest.emu.encoding import Instruction, decode
from virtquest.emu.isa import CF, INSTRUCTION_SIZE, NO_BASE, OF, SF, VEC_DE, ZF, IClass
from virtquest.emu.memory import BusError
from virtquest.emu.mmu import PageFault

M = 0xFFFFFFFF
SIGN = 0x80000000
ARITH = CF | ZF | SF | OF
MAX_BLOCK = 48
MAX_PASSES = 20_000
CHAIN = 64               # blocks run back to back before returning to the machine's loop
HOT = 4                  # dispatches of a block start before it is compiled
_CODE_CACHE: dict[tuple, object] = {}   # (address, bytes, costs) -> compiled code, shared
CODE_CACHE_LIMIT = 8192
MISSING = object()

_ALU = {"add", "sub", "and", "or", "xor", "cmp", "test"}
_JCC = {"je": "ef & 64", "jz": "ef & 64", "jne": "not ef & 64", "jnz": "not ef & 64",
        "jb": "ef & 1", "jae": "not ef & 1",
        "jl": "(ef >> 7 ^ ef >> 11) & 1", "jge": "not (ef >> 7 ^ ef >> 11) & 1",
        "jle": "ef & 64 or (ef >> 7 ^ ef >> 11) & 1",
        "jg": "not ef & 64 and not (ef >> 7 ^ ef >> 11) & 1"}
_SUPPORTED = _ALU | set(_JCC) | {"mov", "movb", "imul", "div", "inc", "dec", "neg", "not", "shl",
                                 "shr", "push", "pop", "jmp", "call", "ret", "loop", "nop"}
_BRANCHES = set(_JCC) | {"jmp", "call", "ret", "loop"}


def _fl(r: int) -> int:
    return (ZF if r == 0 else 0) | (SF if r & SIGN else 0)


def _add_flags(a: int, b: int, full: int) -> int:
    r = full & M
    return (CF if full > M else 0) | _fl(r) | (OF if (a ^ r) & (b ^ r) & SIGN else 0)


def _sub_flags(a: int, b: int) -> int:
    r = (a - b) & M
    return (CF if a < b else 0) | _fl(r) | (OF if (a ^ b) & (a ^ r) & SIGN else 0)


def _signed(v: int) -> int:
    return v - (1 << 32) if v & SIGN else v


def _div_zero() -> CpuFault:
    return CpuFault(VEC_DE)


class CompiledBlock:
    __slots__ = ("fn", "start", "addrs", "count", "cost", "prefix", "loops", "page", "inner")

    def __init__(self, fn, start, addrs, costs, loops, page):
        self.fn, self.start, self.addrs, self.loops, self.page = fn, start, addrs, loops, page
        self.count = len(addrs)
        self.prefix = [sum(costs[:k]) for k in range(len(costs) + 1)]
        self.cost = self.prefix[-1]
        self.inner = self.prefix[-2]          # cycles up to the block's last boundary


class FastPath:
    """Finds, compiles and runs blocks for one CPU."""

    def __init__(self, cpu):
        self.cpu = cpu
        self.blocks: dict[int, CompiledBlock | None] = {}
        self.pages: dict[int, list[int]] = {}
        self.code_written = False
        self.heat: dict[int, int] = {}
        cpu.code_listeners.append(self.forget_page)
        self.env = {"_fl": _fl, "_add_flags": _add_flags, "_sub_flags": _sub_flags,
                    "_signed": _signed, "_div_zero": _div_zero, "M": M}
        self.accessors = cpu.fast_accessors()
        cpu._fastpath = self

    def forget_page(self, ppn: int) -> None:
        for pa in self.pages.pop(ppn, ()):
            self.blocks.pop(pa, None)
        self.code_written = True

    # -- running -------------------------------------------------------------------------------
    def try_run(self, limit: int) -> bool:
        """Run compiled blocks from eip, one after another while they are safe (the machine's own
        checks — budget, a due interrupt — are made between them); False when not even one
        could run, so the interpreter takes the step."""
        cpu, timer = self.cpu, self.cpu.timer
        if not self._run_one(limit):
            return False
        for _ in range(CHAIN):
            if cpu.cycles >= limit:
                break
            if 0 <= timer.next_fire <= cpu.cycles - cpu.hidden and cpu.interrupts_enabled():
                break
            if not self._run_one(limit):
                break
        return True

    def _run_one(self, limit: int) -> bool:
        cpu = self.cpu
        eip = cpu.eip
        if eip & 0xFFF > 0x1000 - INSTRUCTION_SIZE:
            return False
        try:
            pa = cpu.mmu.translate(eip, False, cpu.cpl == 3)
        except (PageFault, BusError):
            return False
        block = self.blocks.get(pa, MISSING)
        if block is MISSING:
            heat = self.heat.get(pa, 0) + 1     # cold code stays in the interpreter
            self.heat[pa] = heat
            if heat < HOT:
                return False
            block = self.compile(eip, pa)
        if block is None or block.start != eip:
            return False
        hooks = cpu.exec_hooks
        if hooks and any(a in hooks for a in block.addrs):
            return False
        room = limit - cpu.cycles
        timer = cpu.timer
        if timer.next_fire >= 0:
            room = min(room, timer.next_fire - (cpu.cycles - cpu.hidden))
        # Every instruction boundary inside the block must come before the interrupt or budget.
        inner = block.inner
        if inner >= room:
            return False
        hook_needed = cpu.block_hook is not None and cpu.cpl in cpu.block_hook_rings
        if hook_needed and cpu.block_start:
            cpu.block_start = False
            cpu.block_hook(cpu, eip)
            if cpu.eip != eip or cpu.exec_hooks and any(a in cpu.exec_hooks for a in block.addrs):
                return True
        self.code_written = False
        passes = 1
        if block.loops and not hook_needed:
            # pass i starts at i * cost; a cap keeps cancel requests answered promptly
            passes = min((room - inner - 1) // block.cost + 1, MAX_PASSES)
        cpu._fp = cpu._fi = 0
        try:
            block.fn(cpu, cpu.regs, passes, self.accessors)
        except (PageFault, BusError, CpuFault) as exc:
            self._fault(block, exc)
        return True

    def _fault(self, block: CompiledBlock, exc) -> None:
        """A fault inside a block: account exactly the instructions before it, then let the CPU
        deliver it as the interpreter would have."""
        cpu = self.cpu
        k, done = cpu._fp, cpu._fi
        cpu.cycles += done * block.cost + block.prefix[k]
        cpu.instructions += done * block.count + k
        cpu.eip = block.addrs[k]
        if k == 0 and done:
            cpu.block_start = True
        cpu.recover(exc)

    # -- compiling -----------------------------------------------------------------------------
    def compile(self, eip: int, pa: int) -> CompiledBlock | None:
        cpu = self.cpu
        mem = cpu.mem
        instructions: list[Instruction] = []
        addr, paddr = eip, pa
        while len(instructions) < MAX_BLOCK and (paddr & 0xFFF) <= 0x1000 - INSTRUCTION_SIZE:
            if paddr + INSTRUCTION_SIZE > mem.size:
                break
            ins = decode(mem.data[paddr:paddr + INSTRUCTION_SIZE])
            if ins is None or not _compilable(ins):
                break
            instructions.append(ins)
            if ins.row.mnemonic in _BRANCHES:
                break
            addr, paddr = (addr + INSTRUCTION_SIZE) & M, paddr + INSTRUCTION_SIZE
        self.pages.setdefault(pa >> 12, []).append(pa)
        mem.code_pages.add(pa >> 12)
        if not instructions:
            self.blocks[pa] = None
            return None
        block = self._build(eip, instructions)
        self.blocks[pa] = block
        return block

    def _build(self, eip: int, instructions: list[Instruction]) -> CompiledBlock:
        addrs = [(eip + INSTRUCTION_SIZE * k) & M for k in range(len(instructions))]
        costs = [self.cpu.cost[i.row.opcode] for i in instructions]
        last = instructions[-1]
        loops = last.row.mnemonic in _BRANCHES and bool(last.row.operands) and \
            last.row.operands[0].value == "label" and last.imm == eip
        key = (eip, tuple(instructions), tuple(costs))
        fn = _CODE_CACHE.get(key)
        if fn is None:
            source = _Generator(instructions, addrs, costs, loops).source()
            namespace = dict(self.env)
            exec(compile(source, f"<block {eip:#x}>", "exec"), namespace)  # noqa: S102 - module doc
            fn = namespace["block"]
            if len(_CODE_CACHE) >= CODE_CACHE_LIMIT:
                _CODE_CACHE.clear()
            _CODE_CACHE[key] = fn
        return CompiledBlock(fn, eip, addrs, costs, loops, addrs[0] >> 12)


def _compilable(ins: Instruction) -> bool:
    row = ins.row
    return row.iclass is IClass.INNOCUOUS and row.mnemonic in _SUPPORTED


class _Generator:
    """Python source for one block. Registers live in locals r0…r7 and flags in `ef`; both are
    written back before anything that can fault and at every exit."""

    def __init__(self, instructions, addrs, costs, loops):
        self.ins, self.addrs, self.costs, self.loops = instructions, addrs, costs, loops
        self.lines: list[str] = []
        self.indent = 1
        self.deferred = self._deferrable()
        self.live = self._flag_liveness(live_out=self.deferred is None)
        self.written = [_registers_written(i) for i in instructions]
        self.flag_writer = [_flag_effect(i)[0] for i in instructions]

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
        out = ["def block(cpu, R, iterations, fast):",
               "    r0, r1, r2, r3, r4, r5, r6, r7 = R",
               "    ef = cpu.eflags",
               "    rd, wr = fast",
               "    rd8, wr8 = cpu.read8_current, cpu.write8_current",
               "    fp = cpu._fastpath",
               "    done = 0"]
        self.lines = out
        if self.loops:
            self.emit("while True:")
            self.indent += 1
        for k, ins in enumerate(self.ins):
            self._instruction(k, ins)
        if self.ins[-1].row.mnemonic not in _BRANCHES:   # the block just stops here
            self._exit(len(self.ins), str((self.addrs[-1] + INSTRUCTION_SIZE) & M), ended=False)
        return "\n".join(self.lines) + "\n"

    # -- liveness of the flags ----------------------------------------------------------------
    def _flag_liveness(self, live_out: bool = True) -> list[bool]:
        """live[k]: whether the flags written by instruction k can be seen by anyone."""
        live_after = live_out
        result = [False] * len(self.ins)
        for k in range(len(self.ins) - 1, -1, -1):
            ins = self.ins[k]
            writes, reads = _flag_effect(ins)
            result[k] = writes and live_after
            faults = _may_fault(ins)
            if writes and not reads:
                live_after = faults
            else:
                live_after = live_after or reads or faults
            if faults:
                live_after = True
        return result

    # -- one instruction -------------------------------------------------------------------------
    def _sync(self, k: int) -> None:
        """Before a possible fault: registers and flags back in the CPU, and where we are."""
        self._writeback(*self._dirty(k))
        self.emit(f"cpu._fp = {k}")
        if self.loops:
            self.emit("cpu._fi = done")

    def _ea(self, ins: Instruction) -> str:
        if ins.base == NO_BASE:
            return str(ins.imm)
        return f"(r{ins.base} + {ins.imm}) & M" if ins.imm else f"r{ins.base}"

    def _src(self, ins: Instruction) -> str:
        kinds = [o.value for o in ins.row.operands]
        if kinds[-1] == "imm":
            return str(ins.imm)
        if kinds[-1] == "m":
            return f"rd({self._ea(ins)})"
        return f"r{ins.b}"

    def _instruction(self, k: int, ins: Instruction) -> None:
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
                e(f"r{a} = rd({self._ea(ins)})")
            else:
                e(f"wr({self._ea(ins)}, r{a})")
                self._after_store(k)
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
            e(f"wr(t, {value})")
            e("r4 = t")
            self._after_store(k)
        elif m == "pop":
            e("t = rd(r4)")
            e("r4 = (r4 + 4) & M")
            e(f"r{a} = t")
        elif m == "nop":
            pass
        else:
            self._branch(k, ins)

    def _alu(self, m: str, a: int, src: str, live: bool, deferred: bool = False) -> None:
        e = self.emit
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
        if m in ("add",):
            e(f"t = r{a} + b")
            if live:
                e(f"ef = (ef & {~ARITH & M}) | _add_flags(r{a}, b, t)")
            e(f"r{a} = t & M")
        elif m in ("sub", "cmp"):
            if live:
                e(f"ef = (ef & {~ARITH & M}) | _sub_flags(r{a}, b)")
            if m == "sub":
                e(f"r{a} = (r{a} - b) & M")
        else:
            op = {"and": "&", "test": "&", "or": "|", "xor": "^"}[m]
            if m == "test":
                if live:
                    e(f"ef = (ef & {~ARITH & M}) | _fl(r{a} & b)")
                return
            e(f"r{a} = r{a} {op} b")
            if live:
                e(f"ef = (ef & {~ARITH & M}) | _fl(r{a})")

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
        """A store that changed code ends the block: the next instruction must be fetched anew."""
        self.emit("if fp.code_written:")
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
            e(f"wr(t, {fall})")
            e("r4 = t")
            self._exit(k + 1, "nt", ended=True)
        elif m == "ret":
            e("nt = rd(r4)")
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

    def _exit(self, count: int, next_eip: str, ended: bool) -> None:
        """Leave the block after `count` instructions of this pass."""
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
            e(f"cpu.cycles += {cost}")
            e(f"cpu.instructions += {count}")
        if ended:
            e("cpu.block_start = True")
        e("return")


def _registers_written(ins: Instruction) -> set[int]:
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


def _may_fault(ins: Instruction) -> bool:
    m = ins.row.mnemonic
    kinds = [o.value for o in ins.row.operands]
    return m in ("push", "pop", "call", "ret", "div") or "m" in kinds
