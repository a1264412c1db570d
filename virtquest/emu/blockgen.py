"""Python source for one compiled block of guest code (see fastpath.py, which runs it).

Each instruction's code comes from its definition in the instruction table (codegen.py); this
module adds what a block needs around it: registers in locals and written back before anything
that can fault, flags computed only where someone can see them, the accounting of cycles and
instructions at every exit, and loops that run many passes in one call. Only decoded numbers and
the table's own words go into the text — never anything read from a file.
"""

from __future__ import annotations

import re

from virtquest.emu import bulk
from virtquest.emu.codegen import Code, fold_wrap, instruction_code
from virtquest.emu.encoding import Instruction
from virtquest.emu.flaggen import LazyFlags
from virtquest.emu.isa import ARITH, INSTRUCTION_SIZE, M32
from virtquest.emu.memgen import NAMES as MEMORY_NAMES
from virtquest.emu.memgen import MemoryCode, address_step, unwrapped
from virtquest.emu.semantics import FLAG_RULES, VOCABULARY, Fault, Flags, If, Line, Load, Store

# What a block is given to run with (a BlockContext, see compiled.py), as the block names it.
CONTEXT_NAMES = {"rd": "read", "wr": "write", "tg": "tlb", "data": "ram", "W": "words",
                 "size": "ram_size",
                 "code_pages": "code_pages", "touches": "touches_code", "sup": "supervisor",
                 "wok": "supervisor_writes"}


# A definition's temporary (v_t, v_mb, …): each instruction gets its own (v3_t), so a flag
# snapshot can name it instead of copying it.
TEMPORARY = re.compile(r"\bv_(\w+)")

# Named constants a block may use, written as numbers (memgen's words and the definitions').
CONSTANTS = {**VOCABULARY, **MEMORY_NAMES}
_NUMBERS = {name: hex(v) if v > 255 else str(v) if v >= 0 else f"({v})"
            for name, v in CONSTANTS.items()}
_CONSTANT_NAME = re.compile(rf"(?<![\w.])({'|'.join(sorted(CONSTANTS, key=len, reverse=True))})"
                            r"(?!\w)")


def literal(source: str) -> str:
    """The source with each named constant written as its number: a block's code names them
    (M, ZF, PAGE_MASK …) to be read, and runs them as constants, which cost nothing to set up
    at each call (as locals they did: a dozen assignments, for blocks that often run a handful
    of instructions)."""
    return _CONSTANT_NAME.sub(lambda m: _NUMBERS[m.group(0)], source)


# An `if` that compares, whose body is longer than this many lines, is written as
# `if not (…): pass` / `else:` (see short_jumps).
LONG_BODY = 6
_COMPARES = re.compile(r"[<>]|==|!=")


def short_jumps(lines: list[str]) -> list[str]:
    """The lines with every `if C:` that compares, has a long body and no `else` written as
    `if not (C): pass` / `else:` and the body: the same statements, but CPython 3.11 specializes
    an integer compare (`COMPARE_OP_INT_JUMP`) only when the jump after it fits one byte — one
    that skips a long body needs an EXTENDED_ARG first, and then the compare stays generic (a
    rich compare, several times the cost). Written this way, each test jumps a few bytes, and the
    long jump that skips the body is an unconditional one, taken only when the test fails.
    Nothing moves: every line keeps its place relative to the marks of the fault table."""
    out = list(lines)
    for i in range(len(out) - 1, -1, -1):
        text = out[i].lstrip()
        if not (text.startswith("if ") and text.endswith(":")) or \
                not _COMPARES.search(text.replace("<<", "").replace(">>", "")):
            continue
        pad = len(out[i]) - len(text)
        end = i + 1
        while end < len(out) and (not out[end].strip() or
                                  len(out[end]) - len(out[end].lstrip()) > pad):
            end += 1
        after = out[end].lstrip() if end < len(out) else ""
        has_else = end < len(out) and len(out[end]) - len(after) == pad and (
            after == "else:" or after.startswith("elif "))
        if end - i - 1 <= LONG_BODY or has_else:
            continue
        out[i:i + 1] = [f"{' ' * pad}if not ({text[3:-1]}):", f"{' ' * pad}    pass",
                        f"{' ' * pad}else:"]
    return out


def code_of(ins: Instruction, address: int) -> Code:
    return instruction_code(ins, address)


def callout(ins: Instruction) -> bool:
    """An instruction a block does not compile but may end with: the interpreter's step() runs
    it in place (privileged and sensitive ones, I/O, int, iret, …), exactly as it would have."""
    return not code_of(ins, 0).compilable


def ends_block(ins: Instruction) -> bool:
    """Whether a basic block ends with it: it changes the flow of control."""
    return code_of(ins, 0).flow is not None


def flag_step(code: Code, live_after: int) -> tuple[bool, int]:
    """One step back through the flags' liveness: whether the flags the instruction writes can be
    seen by anyone, and which flags can be seen before it."""
    needed = bool(code.flags_touched & live_after)
    if code.may_fault:                 # a fault shows the flags as they are
        return needed, ARITH
    before = live_after & ~code.flags_written | (ARITH if code.reads_flags else 0)
    return needed, before


class Generator(MemoryCode, LazyFlags):
    """Python source for one block. Registers live in locals r0…r7 and flags in `ef`; both are
    written back before anything that can fault and at every exit."""

    def __init__(self, instructions, addrs, costs, loops, tail_step=False, hook_last=False):
        self.ins, self.addrs, self.costs, self.loops = instructions, addrs, costs, loops
        self.codes = [code_of(i, a) for i, a in zip(instructions, addrs, strict=True)]
        self.tail_step = tail_step     # after the last: the interpreter runs the next one
        self.hook_last = hook_last     # a site may sit on the last: ask the hypervisor first
        self.synced = (0, 0)           # cycles and instructions already added to the CPU
        self.skip = 0                  # instructions before this one are already written
        self.lines: list[str] = []
        self.indent = 1
        self.deferred = self._deferrable()
        self.snapshots: list[str] = []         # the deferred flags' operands, by name
        self.deferred_rule = ""
        self.touched = False                   # the instruction being written accessed memory
        self.live = self._flag_liveness(live_out=ARITH if self.deferred is None else 0)
        self.written = [c.regs_written for c in self.codes]
        self.flag_writer = [bool(c.flags_touched) for c in self.codes]
        self.bulk = bulk.plan(instructions) if loops else None
        # A loop without a bulk plan counts its passes with a for statement; its exit when the
        # passes run out comes after the loop (these lines, made with the branch).
        self.counted: list[str] | None = [] if loops and self.bulk is None else None
        # Where the block accesses memory twice or more, or once in a loop, the accesses are
        # written out (pages seen before, the TLB hit path: they pay for the names the block
        # then binds); a lone access calls the CPU's accessor.
        accessing = sum(c.compilable and c.memory_accesses > 0 for c in self.codes)
        self.inline = accessing >= 2 or bool(loops) and accessing >= 1
        self._lazy_init()
        self.temp_k: int | None = None     # whose temporaries lines name (see emit)
        self.start_cover = self.cover(0, len(self.ins))     # the back edge's free flags

    def segments(self) -> list[tuple[int, int]]:
        """The straight runs of instructions, as index ranges (a block is one)."""
        return [(0, len(self.ins))]

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
        """In a register-only loop whose next pass overwrites every flag before reading one, the
        last flag-setter's flags are needed only when the loop exits: compute them there."""
        if not self.loops or any(c.may_fault for c in self.codes):
            return None
        written = 0
        for code in self.codes:                  # are the flags dead on the back edge?
            if code.reads_flags and ARITH & ~written:
                return None
            written |= code.flags_written
            if written == ARITH:
                break
        else:
            return None
        writers = [k for k, c in enumerate(self.codes) if c.flags_written]
        k = writers[-1]
        if any(c.reads_flags for c in self.codes[k + 1:]):
            return None
        return k if self.codes[k].flags_written == ARITH else None

    def emit(self, line: str) -> None:
        if self.temp_k is not None and "v_" in line:   # the instruction's temporaries
            line = TEMPORARY.sub(rf"v{self.temp_k}_\1", line)
        self.lines.append("    " * self.indent + line)

    def source(self) -> str:
        self._body()
        if self.carried:           # a loop carries flags: again, owing them from the start
            self._body(self.carried)
        body = self.lines
        out = ["def block(cpu, R, iterations, ctx):",
               "    r0, r1, r2, r3, r4, r5, r6, r7 = R",
               "    ef = cpu.eflags",
               "    done = 0"] + (["    carry = False"] if self.carried and self.counted is None
                                 else [])
        out += self.prologue("\n".join(body))
        if self.bulk is not None:
            out += ["    mmu, mem = cpu.mmu, cpu.mem",
                    "    tlb, paging, data, size = mmu.tlb, mmu.enabled, mem.data, mem.size",
                    "    code_pages, user = mem.code_pages, cpu.cpl == 3",
                    "    wp_free = not (user or mmu.write_protect)"]
        out.append("    try:")
        if self.loops:
            # `done`: the passes finished before this one (the for statement counts them; a
            # bulk fill or copy runs many at once, so it counts them itself)
            out.append("        for done in range(iterations):" if self.counted is not None
                       else "        while True:")
        out += short_jumps(body)
        if self.counted is not None:
            if not any(line.strip() and not line.strip().startswith("#") for line in body):
                out.append("            pass")      # a jump to itself: nothing but passes
            out += self.counted        # every pass ran: leave at the loop's start
        # A fault: everything before the faulting instruction is in the locals (no instruction
        # changes a register or the flags before it can no longer fault).
        out += ["    except _FAULTS as x:", *fault_table(out, self.sites), *self._fault_debts(),
                "        R[:] = r0, r1, r2, r3, r4, r5, r6, r7",
                "        cpu.eflags = ef",
                "        ctx.fault_index = k",
                "        ctx.fault_passes = done",
                "        raise"]
        return literal("\n".join(out)) + "\n"

    def _body(self, owed: list | None = None) -> None:
        self.lines, self.skip, self.synced = [], 0, (0, 0)
        self.indent = 2 + bool(self.loops)
        self.owed, self.sites = list(owed or []), [(0, [])]
        if self.bulk is not None:
            bulk.emit(self.bulk, self.emit)
        for k, ins in enumerate(self.ins):
            self._instruction(k, ins)
        last = self.codes[-1]
        if last.flow is None and last.compilable:
            # the block just stops here
            self._exit(len(self.ins), hex((self.addrs[-1] + INSTRUCTION_SIZE) & M32),
                       ended=False, step=self.tail_step)

    @staticmethod
    def prologue(text: str) -> list[str]:
        """The names from its context that the block's body uses, and the end-of-block flag
        (`end_block`). (Its named constants become numbers: see literal.)"""
        words = set(re.findall(r"[A-Za-z_]\w*", text))
        out = []
        used = [name for name in CONTEXT_NAMES if name in words]
        if used:
            out.append(f"    {', '.join(used)} = "
                       f"{', '.join('ctx.' + CONTEXT_NAMES[n] for n in used)}")
        if "end_block" in text:
            out.append("    end_block = False")
        if "rd8(" in text or "wr8(" in text:
            out.append("    rd8, wr8 = cpu.read8_current, cpu.write8_current")
        if "rc[" in text:
            out.append("    rc, wc, rb, wb = ctx.pages")
        return out

    # -- liveness of the flags ----------------------------------------------------------------
    def _flag_liveness(self, live_out: int = ARITH) -> list[bool]:
        """live[k]: whether the flags written by instruction k can be seen by anyone."""
        live_after = live_out
        result = [False] * len(self.ins)
        for k in range(len(self.ins) - 1, -1, -1):
            result[k], live_after = flag_step(self.codes[k], live_after)
        return result

    # -- one instruction -------------------------------------------------------------------------
    def _sync(self, k: int) -> None:
        """Before a possible fault: where we are (the handler writes the registers back and
        pays the flags owed here)."""
        self._where(k, self.owed)

    def _where(self, k: int, owed: list | None = None) -> None:
        """The lines from here on are instruction k's (-1: the hypervisor's, at a site), owing
        these flags, until the next such mark: a comment, which costs nothing when the block
        runs; a fault finds where it was from the line it was raised at (fault_table). The
        same instruction may be written in several places (a region's block copied into each
        branch to it), each a place of its own."""
        self.sites.append((k, list(owed or [])))
        self.emit(f"{WHERE}{len(self.sites) - 1}")

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
        outer, self.temp_k = self.temp_k, k
        try:
            self._one_instruction(k, ins)
        finally:
            self.temp_k = outer

    def _one_instruction(self, k: int, ins: Instruction) -> None:
        if self.hook_last and k == len(self.ins) - 1:
            self._call_hook(k)
        code = self.codes[k]
        if not code.compilable:   # the block's last: the interpreter runs it, then we are done
            self._exit(k, hex(self.addrs[k]), ended=False, step=True)
            return
        self._before_reading(k)
        if code.may_fault:
            self._sync(k)
        self.touched = False
        self._parts(k, self._needed(k, code.parts))
        if code.flow is not None:
            self._branch(k, code)
        elif self.touched:
            self._after_access(k)

    def _needed(self, k: int, parts: list) -> list:
        """The parts worth writing: a temporary only the dropped flag computation reads is not
        computed (`cmp` whose flags nobody sees)."""
        if self.live[k] or k == self.deferred or not any(isinstance(p, Flags) for p in parts):
            return parts
        kept = fold_wrap([p for p in parts if not isinstance(p, Flags)])
        out = []
        for i, part in enumerate(kept):
            if isinstance(part, Line) and part.writes and all(
                    w.startswith("T_") for w in part.writes):
                later = " ".join(_texts(kept[i + 1:]))
                if not any(re.search(rf"\bv_{w[2:]}\b", later) for w in part.writes):
                    continue
            out.append(part)
        return out

    def _parts(self, k: int, parts: list) -> None:
        skip = None
        for i, part in enumerate(parts):
            after = parts[i + 1] if i + 1 < len(parts) else None
            if part is skip:
                continue
            if isinstance(part, Line):
                self._line(part, after)
            elif isinstance(part, (Load, Store)):
                self.touched = True
                # a pop's esp + 4 after it: unwrapped after a page seen (memgen._after_step)
                step = address_step(after.text, part.address) \
                    if self.inline and isinstance(after, Line) else None
                if step is not None:
                    skip = after
                if isinstance(part, Load):
                    self._load(part.target, part.address, part.width, step)
                else:
                    self._store(part.address, part.value, part.width, step)
            elif isinstance(part, Flags):
                self._flags(k, part)
            elif isinstance(part, Fault):
                self.emit(f"raise CpuFault({part.vector})")
            elif isinstance(part, If):
                self.emit(f"if {part.test}:")
                self._nested(k, part.body)
                if part.orelse:
                    self.emit("else:")
                    self._nested(k, part.orelse)

    def _line(self, part: Line, after) -> None:
        """A line; a temporary that is only the address of the access right after it (a push's
        new esp) left unwrapped, as an address is (memgen.unwrapped)."""
        if self.inline and isinstance(after, (Load, Store)) and part.writes and \
                " = " in part.text:
            target, expression = part.text.split(" = ", 1)
            plain = unwrapped(expression)
            if plain and target == after.address and part.writes == (f"T_{target[2:]}",):
                self.emit(f"{target} = {plain}")
                self.unwrapped_name = target
                return
        self.emit(part.text)

    def _nested(self, k: int, parts: list) -> None:
        self.indent += 1
        self.nest += 1
        start = len(self.lines)
        self._parts(k, parts)
        if len(self.lines) == start:
            self.emit("pass")
        self.indent -= 1
        self.nest -= 1

    def _flags(self, k: int, part: Flags) -> None:
        if k == self.deferred:        # keep the operands; the flags are made at the exit
            names = []
            for i, arg in enumerate(part.args):
                if arg.isdigit() or arg.startswith("0x"):
                    names.append(arg)
                else:
                    self.emit(f"fd{i} = {arg}")
                    names.append(f"fd{i}")
            self.snapshots = names
            self.deferred_rule = part.rule
        elif self.live[k]:
            if self.nest:          # set on some paths only: made now (nothing is owed)
                self.emit(FLAG_RULES[part.rule].render("ef", part.args))
            else:
                self._owe(k, part)

    def _after_access(self, k: int) -> None:
        """An access that took the slow path may have changed code or pushed a TLB entry out
        (maybe the block's own code page): the block ends after this instruction, and the next
        one is fetched anew."""
        self.emit("if end_block:")
        self.indent += 1
        self._exit(k + 1, hex((self.addrs[k] + INSTRUCTION_SIZE) & M32), ended=False)
        self.indent -= 1

    def _branch(self, k: int, code: Code) -> None:
        flow = code.flow
        fall = (self.addrs[k] + INSTRUCTION_SIZE) & M32
        if flow.kind == "jump":
            self._exit_or_loop(k, "True", flow.target, None)
        elif flow.kind == "branch":
            self._exit_or_loop(k, self.condition(flow), flow.target, fall)
        else:                               # call, return: always leave
            self._exit(k + 1, flow.target, ended=True)

    def _exit_or_loop(self, k: int, condition: str, target: str, fall: int | None) -> None:
        e = self.emit
        if self.counted is not None:
            if fall is not None:
                e(f"if not ({condition}):")
                self.indent += 1
                self._exit(k + 1, hex(fall), ended=True, passes="(done + 1)")
                self.indent -= 1
            body, indent = self.lines, self.indent
            self.lines, self.indent = [], 2
            self._exit(k + 1, target, ended=True, passes="(done + 1)")
            self.counted, self.lines, self.indent = self.lines, body, indent
            self.back_edge(self.start_cover, guard="done")
            return
        if self.loops:
            e("done += 1")
            if fall is not None:
                e(f"if not ({condition}):")
                self.indent += 1
                self._exit(k + 1, hex(fall), ended=True)
                self.indent -= 1
            e("if done >= iterations:")
            self.indent += 1
            self._exit(k + 1, target, ended=True)
            self.indent -= 1
            self.back_edge(self.start_cover, guard="carry")
            return
        if fall is None:
            self._exit(k + 1, target, ended=True)
            return
        e(f"nt = {target} if {condition} else {hex(fall)}")
        self._exit(k + 1, "nt", ended=True)

    def _exit(self, count: int, next_eip: str, ended: bool, step: bool = False,
              passes: str = "done") -> None:
        """Leave the block after `count` instructions of this pass (with `step`, after the
        interpreter has run the next one); a loop that leaves at its branch has run `passes`
        whole passes."""
        e = self.emit
        self._pay()
        if self.deferred is not None:
            e(FLAG_RULES[self.deferred_rule].render("ef", self.snapshots))
        regs, flags = self._dirty(len(self.ins))
        self._writeback(regs, flags or self.deferred is not None)
        e(f"cpu.eip = {next_eip}")
        cost = sum(self.costs[:count])
        if self.loops:
            full = sum(self.costs)
            # at the branch, `passes` counts this one too
            if ended:
                e(f"cpu.cycles += {passes} * {full}")
                e(f"cpu.instructions += {passes} * {len(self.ins)}")
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


# The mark before the lines of one place in the code (see Generator._where).
WHERE = "# place "


def fault_table(lines: list[str], sites: list[tuple[int, list]]) -> list[str]:
    """The fault handler's first lines: `s`, the place whose lines hold the line `x` (the fault)
    was raised at — the last mark (WHERE) above it in the function's source `lines`, place 0
    above the first — and `k`, that place's instruction. The marks become blank lines (the source
    holds no comments: only numbers and the generators' words), which keeps every line where it
    was."""
    starts, which = [0], [0]
    for number, line in enumerate(lines, start=1):
        text = line.strip()
        if text.startswith(WHERE):
            starts.append(number)
            which.append(int(text[len(WHERE):]))
            lines[number - 1] = ""
    return [f"        s = {tuple(which)}[bisect({tuple(starts)}, x.__traceback__.tb_lineno) - 1]",
            f"        k = {tuple(k for k, _ in sites)}[s]"]


def _texts(parts: list) -> list[str]:
    """Every piece of code in parts (for seeing which names they read)."""
    out = []
    for part in parts:
        if isinstance(part, Line):
            out.append(part.text.split("=", 1)[-1] if part.writes else part.text)
        elif isinstance(part, Load):
            out.append(part.address)
        elif isinstance(part, Store):
            out += [part.address, part.value]
        elif isinstance(part, Flags):
            out += part.args
        elif isinstance(part, Fault):
            out.append(part.vector)
        elif isinstance(part, If):
            out += [part.test, *_texts(part.body), *_texts(part.orelse)]
    return out
