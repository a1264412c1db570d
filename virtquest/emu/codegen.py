"""Python code from instruction definitions (semantics.py): the interpreter's handlers, and the
pieces compiled blocks are made of.

A definition is lowered once per row into parts with placeholders ({A}, {EA}, {R4}, {EF} …). A
*binding* fills them in:

- for the interpreter, per row: operands come from the decoded instruction (`R[i.a]`, `i.imm`),
  the flags are `cpu.eflags`, memory goes through the CPU's accessors. The handler of a form is the
  code of a one-instruction block whose operands are read from the instruction at run time.
- for a compiled block, per instruction: registers are the block's locals `r0`…`r7`, the flags
  `ef`, operands are numbers; what depends only on numbers is worked out here (a shift by a
  constant count needs no test of the count), and memory goes through the block's fast path.

Both write the same parts the same way, through a `Writer`; only loads, stores and flags differ.
"""

from __future__ import annotations

import ast
import functools
import re
from dataclasses import dataclass

from virtquest.emu.cache import cached
from virtquest.emu.encoding import Instruction
from virtquest.emu.faults import CpuFault
from virtquest.emu.isa import INSTRUCTION_SIZE, M32, NO_BASE, ROWS, Operand, Row
from virtquest.emu.lowering import definition
from virtquest.emu.semantics import (
    FLAG_RULES,
    HELPERS,
    VOCABULARY,
    Definition,
    Fault,
    Flags,
    Flow,
    If,
    Line,
    Load,
    Store,
)

# Instructions whose code is kept, by instruction and address, for generating blocks (each piece
# is asked for many times while its blocks are made): a few hundred bytes each, so ~5 MB at most;
# solving every shipped level needs ~1,400 and the bench as many again. Keyed by the instruction's
# fields as numbers, which hash far quicker than the instruction itself.
CODE_CACHE_SIZE = 16384


@dataclass
class Code:
    """One instruction's code, filled in, and what a block generator must know of it."""

    parts: list
    flow: Flow | None
    regs_written: frozenset[int]
    flags_written: int          # the flags it always writes (mask)
    flags_touched: int          # the flags it may write (a shift by cl may not)
    reads_flags: bool           # whether it reads any flag (or may leave some as they were)
    may_fault: bool
    reads_memory: bool
    writes_memory: bool
    compilable: bool

    @property
    def static_target(self) -> int | None:
        """Where its control flow goes, when that is known without running it."""
        if self.flow is None or self.flow.kind == "return":
            return None
        try:
            return int(self.flow.target, 0)
        except ValueError:
            return None

    @property
    def memory_accesses(self) -> int:
        """Loads and stores in its code at the top level (words and bytes)."""
        return sum(isinstance(p, (Load, Store)) for p in self.parts)


def _number(value: int) -> str:
    return hex(value) if value > 255 else str(value)


def _register_fields(row: Row) -> dict[str, str]:
    """Which field of the encoding (a or b) holds each register operand."""
    fields, n = {}, 0
    for name, kind in zip("AB", row.operands, strict=False):
        if kind in (Operand.REG, Operand.CR):
            fields[name] = "ab"[n]
            n += 1
    return fields


class _Binding:
    """Fills placeholders; knows which temporaries have a value already (static)."""

    def __init__(self, values: dict[str, str], static: dict[str, int] | None = None):
        self.values = values
        self.static = static     # None: nothing is known before run time (the interpreter)

    def fill(self, text: str) -> str:
        return text.format_map(self.values)

    def evaluate(self, tree: ast.expr) -> int | None:
        """The value of an expression, if it depends only on numbers known now."""
        if self.static is None:
            return None
        return _evaluate(tree, self.static)


def _evaluate(node: ast.expr, known: dict[str, int]) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return node.value
    if isinstance(node, ast.Name):
        return known.get(node.id, VOCABULARY.get(node.id))
    if isinstance(node, ast.BinOp):
        left, right = _evaluate(node.left, known), _evaluate(node.right, known)
        if left is None or right is None:
            return None
        ops = {ast.Add: int.__add__, ast.Sub: int.__sub__, ast.BitAnd: int.__and__,
               ast.BitOr: int.__or__, ast.BitXor: int.__xor__, ast.Mult: int.__mul__,
               ast.LShift: lambda a, b: a << b if 0 <= b < 64 else None,
               ast.RShift: lambda a, b: a >> b if b >= 0 else None}
        fn = ops.get(type(node.op))
        return None if fn is None else fn(left, right)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.Invert)):
        value = _evaluate(node.operand, known)
        if value is None:
            return None
        return -value if isinstance(node.op, ast.USub) else ~value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
            and node.func.id == "signed" and len(node.args) == 1:
        value = _evaluate(node.args[0], known)
        return None if value is None else HELPERS["signed"](value & M32)
    return None


def _resolve(parts: list, binding: _Binding, code: dict, top: bool = True) -> list:
    """The parts with text filled in, static temporaries and tests worked out; facts into code."""
    out = []
    for part in parts:
        if isinstance(part, Line):
            if part.value is not None and binding.static is not None:
                value = binding.evaluate(part.value)
                if value is not None:
                    name = part.writes[0][2:]
                    binding.static[name] = value
                    binding.values[f"T_{name}"] = _number(value) if value >= 0 else f"({value})"
                    continue
            for w in part.writes:
                if w in code["reg_names"]:
                    code["regs"].add(code["reg_names"][w])
            code["reads_flags"] |= "{EF}" in part.text
            out.append(Line(binding.fill(part.text), part.writes, part.value))
        elif isinstance(part, If):
            value = binding.evaluate(part.tree)
            if value is not None:
                out += _resolve(part.body if value else part.orelse, binding, code, top)
                continue
            code["reads_flags"] |= "{EF}" in part.test
            out.append(If(binding.fill(part.test), part.tree,
                          _resolve(part.body, binding, code, False),
                          _resolve(part.orelse, binding, code, False)))
        elif isinstance(part, Flags):
            if top:
                code["flags"] |= FLAG_RULES[part.rule].writes
            else:
                code["reads_flags"] = True          # maybe written: the old ones may stay
            code["touched"] |= FLAG_RULES[part.rule].writes
            code["reads_flags"] |= any("{EF}" in a for a in part.args)
            out.append(Flags(part.rule, [binding.fill(a) for a in part.args]))
        elif isinstance(part, Load):
            code["fault"] = code["reads"] = True
            out.append(Load(binding.fill(part.target), binding.fill(part.address), part.width))
        elif isinstance(part, Store):
            code["fault"] = code["writes"] = True
            code["reads_flags"] |= "{EF}" in part.value
            out.append(Store(binding.fill(part.address), binding.fill(part.value), part.width))
        elif isinstance(part, Fault):
            code["fault"] = True
            out.append(Fault(binding.fill(part.vector)))
        elif isinstance(part, Flow):
            condition = None if part.condition is None else binding.fill(part.condition)
            code["reads_flags"] |= part.condition is not None and "{EF}" in part.condition
            out.append(Flow(part.kind, binding.fill(part.target), condition))
    return out


def _code(d: Definition, binding: _Binding, reg_names: dict[str, int]) -> Code:
    facts = {"regs": set(), "flags": 0, "touched": 0, "reads_flags": False,
             "fault": bool(d.services),
             "reads": False, "writes": False, "reg_names": reg_names}
    parts = _resolve(d.parts, binding, facts)
    flow = parts.pop() if parts and isinstance(parts[-1], Flow) else None
    return Code(parts, flow, frozenset(facts["regs"]), facts["flags"], facts["touched"],
                facts["reads_flags"] or bool(d.services), facts["fault"], facts["reads"],
                facts["writes"], d.compilable)


@cached(CODE_CACHE_SIZE, key=lambda ins, address: (ins.row.opcode, ins.a, ins.b, ins.base,
                                                   ins.imm, address))
def instruction_code(ins: Instruction, address: int) -> Code:
    """The code of one instruction at `address` in a compiled block (registers in r0…r7, flags
    in ef, its operands as numbers)."""
    d = definition(ins.row)
    fields = _register_fields(ins.row)
    values = {f"R{n}": f"r{n}" for n in range(8)}
    values |= {"EF": "ef", "MA": "v_ma", "MB": "v_mb", "NEXT": _number(
        (address + INSTRUCTION_SIZE) & M32)}
    static: dict[str, int] = {}
    reg_names = {f"R{n}": n for n in range(8)}
    for name, kind in zip("AB", ins.row.operands, strict=False):
        if kind is Operand.REG:
            reg = ins.a if fields[name] == "a" else ins.b
            values[name] = f"r{reg}"
            reg_names[name] = reg
        elif kind is Operand.CR:
            values[name] = str(ins.a if fields[name] == "a" else ins.b)
        elif kind in (Operand.IMM, Operand.LABEL):
            values[name] = _number(ins.imm)
            static[name.lower()] = ins.imm
    if ins.base == NO_BASE:
        values["EA"] = _number(ins.imm)
    else:
        values["EA"] = f"(r{ins.base} + {_number(ins.imm)} & M)" if ins.imm else f"r{ins.base}"
    code = _code(d, _Binding(_Defaulting(values), static), reg_names)
    code.parts = _wrap_words(code.parts)
    return code


# -- a word's wrap-around, without the mask ------------------------------------------------------
# `x + y & M` keeps a sum to 32 bits; M is a 33-bit number to Python (past its one-digit ints),
# so the mask costs more than the sum. When x and y are words (registers, loaded words, numbers),
# the sum wraps at most once, and a test and a subtraction give the same word faster. Compiled
# code only: the interpreter's handlers keep the definition's text.
WORD = 1 << 32
_OPERAND = r"(r[0-7]|v_\w+|\d+|0x[0-9a-f]+)"
_SUM = re.compile(rf"{_OPERAND} ([+-]) {_OPERAND}")
_MASKED = re.compile(rf"{_OPERAND} ([+-]) {_OPERAND} & M")
_NAME_MASKED = re.compile(r"(v_\w+) & M")


def wrap_word(x: str, op: str, c: int) -> str:
    """`x op c & M` for a word x and a number 0 < c < 2**32, as a test and one addition."""
    if op == "-" and c == 1:
        return f"{x} - 1 if {x} else M"
    if op == "+" and c == 1:
        return f"{x} + 1 if {x} < M else 0"
    if op == "+":
        return f"{x} + {_number(c)} if {x} < {_number(WORD - c)} else {x} - {_number(WORD - c)}"
    return f"{x} - {_number(c)} if {x} >= {_number(c)} else {x} + {_number(WORD - c)}"


def _wrap_words(parts: list) -> list:
    """The parts with `x ± c & M` (x a word, c a number) and `t & M` (t = x ± y, both words)
    written without the mask, on the right of an assignment and in an address."""
    words = {f"r{n}" for n in range(8)}
    sums: dict[str, str] = {}        # temporary -> "+" or "-": a sum or difference of two words
    out = []
    for part in parts:
        if isinstance(part, Load):
            out.append(Load(part.target, _wrapped(part.address, words, sums), part.width))
            words.add(part.target)
        elif isinstance(part, Store):
            out.append(Store(_wrapped(part.address, words, sums), part.value, part.width))
        elif isinstance(part, Line) and " = " in part.text and part.writes:
            target, expression = part.text.split(" = ", 1)
            found = _SUM.fullmatch(expression)
            if found and target.startswith("v_") and all(
                    _is_word(v, words) for v in (found.group(1), found.group(3))):
                sums[target] = found.group(2)
            out.append(Line(f"{target} = {_wrapped(expression, words, sums)}", part.writes,
                            part.value))
        else:
            out.append(part)
    return out


def fold_wrap(parts: list) -> list:
    """`t = x ± c` then `a = <t wrapped>` (what add and sub with a number leave when nobody
    needs their flags) as one line, `a = <x ± c wrapped>`, when nothing else reads t."""
    out: list = []
    for part in parts:
        last = out[-1] if out else None
        if isinstance(part, Line) and isinstance(last, Line) and " = " in last.text \
                and " = " in part.text:
            t, expression = last.text.split(" = ", 1)
            found = _SUM.fullmatch(expression)
            target, value = part.text.split(" = ", 1)
            wrapped = (f"{t} - {hex(WORD)} if {t} > M else {t}", f"{t} + {hex(WORD)} if {t} < 0 "
                       f"else {t}")
            if found and t.startswith("v_") and found.group(3)[0].isdigit() and \
                    value == wrapped[found.group(2) == "-"] and 0 < int(found.group(3), 0) < WORD \
                    and not any(t in text for text in _all_texts(parts, last, part)):
                out[-1] = Line(f"{target} = "
                               f"{wrap_word(found.group(1), found.group(2), int(found.group(3), 0))}",
                               part.writes, None)
                continue
        out.append(part)
    return out


def _all_texts(parts: list, *skip) -> list[str]:
    """The text of every part but those in skip (to see whether a name is read elsewhere)."""
    texts = []
    for part in parts:
        if any(part is s for s in skip):
            continue
        for name in ("text", "address", "value", "test", "target", "vector"):
            value = getattr(part, name, None)
            if isinstance(value, str):
                texts.append(value)
        texts += list(getattr(part, "args", []))
        for nested in ("body", "orelse"):
            texts += _all_texts(getattr(part, nested, []))
    return texts


def _is_word(operand: str, words: set[str]) -> bool:
    if operand[0].isdigit():
        return 0 <= int(operand, 0) <= M32
    return operand in words


def _wrapped(expression: str, words: set[str], sums: dict[str, str]) -> str:
    inner = expression[1:-1] if expression.startswith("(") and expression.endswith(")") \
        else None
    text = inner if inner is not None else expression
    found = _MASKED.fullmatch(text)
    new = None
    if found and found.group(1) in words and found.group(3)[0].isdigit():
        c = int(found.group(3), 0)
        if 0 < c < WORD:
            new = wrap_word(found.group(1), found.group(2), c)
    found = _NAME_MASKED.fullmatch(text)
    if found and found.group(1) in sums:
        t = found.group(1)
        new = f"{t} - {hex(WORD)} if {t} > M else {t}" if sums[t] == "+" \
            else f"{t} + {hex(WORD)} if {t} < 0 else {t}"
    if new is None:
        return expression
    return f"({new})" if inner is not None else new


class _Defaulting(dict):
    """Placeholders not bound yet: temporaries (T_x -> v_x) and loads (L1 -> v_l1)."""

    def __missing__(self, key: str) -> str:
        if key.startswith("T_"):
            return f"v_{key[2:]}"
        if key.startswith("L"):
            return f"v_l{key[1:]}"
        raise KeyError(key)


# -- the interpreter --------------------------------------------------------------------------
class StepWriter:
    """Writes an instruction's parts as the interpreter runs them: memory through the CPU's
    accessors at the current privilege, flags straight into cpu.eflags."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.indent = 1

    def emit(self, text: str) -> None:
        self.lines.append("    " * self.indent + text)

    def write(self, parts: list) -> None:
        for part in parts:
            if isinstance(part, Line):
                self.emit(part.text)
            elif isinstance(part, Load):
                reader = "cpu.read32" if part.width == 32 else "cpu.read8_current"
                self.emit(f"{part.target} = {reader}({part.address})")
            elif isinstance(part, Store):
                writer = "cpu.write32" if part.width == 32 else "cpu.write8_current"
                self.emit(f"{writer}({part.address}, {part.value})")
            elif isinstance(part, Flags):
                self.emit(FLAG_RULES[part.rule].render("cpu.eflags", part.args))
            elif isinstance(part, Fault):
                self.emit(f"raise CpuFault({part.vector})")
            elif isinstance(part, If):
                self.emit(f"if {part.test}:")
                self._block(part.body)
                if part.orelse:
                    self.emit("else:")
                    self._block(part.orelse)

    def _block(self, parts: list) -> None:
        self.indent += 1
        start = len(self.lines)
        self.write(parts)
        if len(self.lines) == start:
            self.emit("pass")
        self.indent -= 1

    def flow(self, flow: Flow | None) -> None:
        if flow is None:
            return
        if flow.condition is None:
            self.emit(f"cpu.eip = {flow.target}")
        else:
            self.emit(f"if {flow.condition}:")
            self.emit(f"    cpu.eip = {flow.target}")


def handler_name(row: Row) -> str:
    words = row.syntax.replace("[m]", "m").replace(",", "").split()
    return "_".join(["op", *words])


def step_source(row: Row) -> str:
    """The interpreter's handler for a form: `handler(cpu, i)` runs the decoded instruction `i`
    (eip already points past it)."""
    d = definition(row)
    fields = _register_fields(row)
    values = _Defaulting({f"R{n}": f"R[{n}]" for n in range(8)})
    values |= {"EF": "cpu.eflags", "MA": "v_ma", "MB": "v_mb", "NEXT": "cpu.eip", "EA": "v_ea"}
    for name, kind in zip("AB", row.operands, strict=False):
        if kind is Operand.REG:
            values[name] = f"R[i.{fields[name]}]"
        elif kind is Operand.CR:
            values[name] = f"i.{fields[name]}"
        elif kind in (Operand.IMM, Operand.LABEL):
            values[name] = "i.imm"
    code = _code(d, _Binding(values), {})
    writer = StepWriter()
    writer.write(code.parts)
    writer.flow(code.flow)
    body = writer.lines or ["    pass"]
    text = "\n".join(body)
    head = [f"def {handler_name(row)}(cpu, i):",
            f'    """{row.syntax}: {row.summary_en}"""'.replace("\\", "")]
    if "R[" in text or d.uses_ea:
        head.append("    R = cpu.regs")
    if d.uses_ea:
        head.append("    v_ea = i.imm if i.base == NO_BASE else R[i.base] + i.imm & M")
    return "\n".join(head + body) + "\n"


def namespace() -> dict:
    """What generated code may name: the vocabulary, the helpers, the fault."""
    return {**VOCABULARY, **HELPERS, "CpuFault": CpuFault}


@functools.cache
def step_handlers() -> tuple:
    """The interpreter's handler for every row, by opcode (made once per process)."""
    env = namespace()
    handlers = []
    for row in ROWS:
        source = step_source(row)
        exec(compile(source, f"<{row.syntax}>", "exec"), env)  # noqa: S102 - our own table
        handlers.append(env[handler_name(row)])
    return tuple(handlers)
