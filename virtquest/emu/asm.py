"""The VQ32 assembler (syntax: docs/isa.md, "Assembly source"): two passes over the source,
reading the instruction table.

Pass 1 lays out every statement and defines labels and `.equ` symbols, reading the files that
`.include` names (from the library shipped with the mini-OS, `source.library()`) where they
stand; pass 2 evaluates operands and emits bytes. Every error is an AssemblyError naming file,
line and column — the included file and its line when the mistake is in one — and saying what
was expected, as a Message (ids `asm.*` here, `expr.*` from the expressions).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from virtquest.emu.encoding import Instruction, encode
from virtquest.emu.errors import AssemblyError
from virtquest.emu.expr import ExprError, evaluate, parse_expression
from virtquest.emu.isa import (
    BY_MNEMONIC,
    CONTROL_REGISTERS,
    INSTRUCTION_SIZE,
    M32,
    NO_BASE,
    REG_INDEX,
    Operand,
    find_row,
)
from virtquest.emu.messages import Message, message
from virtquest.emu.source import LIBRARY_PREFIX, library

MAX_IMAGE = 64 * 1024 * 1024
MAX_IF_NESTING = 64
MAX_INCLUDE_DEPTH = 8
_LABEL = re.compile(r"\s*([A-Za-z_.$][\w.$]*)\s*:")
_NAME = re.compile(r"[A-Za-z_.$][\w.$]*\Z")
_INCLUDE_NAME = re.compile(r"[A-Za-z0-9_][\w.-]*\Z")    # a name in the library, never a path
_ESCAPES = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, '"': 34, "'": 39}


@dataclass
class Program:
    """An assembled image: bytes at `origin`, its symbols and where each address came from."""

    origin: int
    image: bytes
    symbols: dict[str, int]
    # address -> line of `source` (instructions); an included one maps to its `.include` line
    lines: dict[int, int] = field(default_factory=dict)
    code: list[int] = field(default_factory=list)           # addresses of instructions, in order
    file: str = "<source>"
    source: str = ""
    labels: frozenset[str] = frozenset()
    # address -> (library file, its line) for the instructions that came from an `.include`
    origins: dict[int, tuple[str, int]] = field(default_factory=dict)
    included: dict[str, str] = field(default_factory=dict)  # library file -> its text

    @property
    def end(self) -> int:
        return self.origin + len(self.image)

    def address_of(self, name: str) -> int:
        return self.symbols[name]

    def label_at(self) -> dict[int, str]:
        """Address → first label defined there (for listings and disassembly)."""
        out: dict[int, str] = {}
        for name, addr in sorted(self.symbols.items(), key=lambda kv: kv[1]):
            if name in self.labels:
                out.setdefault(addr, name)
        return out


@dataclass(frozen=True)
class _Line:
    """Where one line read during layout comes from."""

    file: str                  # "" for the program's own source, else the library file's name
    number: int                # its line in that file
    top: int                   # its line in the program's own source (the `.include` line)


@dataclass
class _Reading:
    """One file being read: its lines, the includes that led to it, the .if's open before it."""

    name: str
    lines: Iterator[tuple[int, str]]
    chain: tuple[str, ...]     # library files from the program's source down to this one
    conds: int
    top: int = 0


@dataclass
class _Stmt:
    line: int                  # an index into _Assembler.read (file and line of the statement)
    col: int
    kind: str            # "ins" | "data"
    addr: int
    text: str            # mnemonic or directive
    args: list[tuple[str, int]]  # (operand text, column)


class _Assembler:
    def __init__(self, source: str, file: str, origin: int, defines: dict[str, int],
                 files: Mapping[str, str]):
        self.file, self.origin, self.source = file, origin, source
        self.files = files
        self.overrides = dict(defines)
        self.symbols: dict[str, int] = dict(defines)
        self.labels: set[str] = set()
        self.stmts: list[_Stmt] = []
        self.read: list[_Line] = []         # every line read, in order (statements point here)
        self.included: dict[str, str] = {}
        self.include_request: tuple[str, int, int] | None = None

    # -- errors --------------------------------------------------------------------------------
    def error(self, at: int, col: int, detail: Message) -> AssemblyError:
        """An error at the line read `at`-th: in the program's file, or in an included one."""
        where = self.read[at] if 0 <= at < len(self.read) else _Line("", at, at)
        file = f"{LIBRARY_PREFIX}{where.file}" if where.file else self.file
        return AssemblyError(file, where.number, col, detail)

    # -- pass 1 --------------------------------------------------------------------------------
    def layout(self) -> None:
        pc = self.origin
        conds: list[list] = []  # [enclosing_active, taken, in_else, at] per open .if
        reading = [_Reading("", enumerate(self.source.split("\n"), start=1), (), 0)]
        while reading:
            current = reading[-1]
            number, raw = next(current.lines, (0, None))
            if raw is None:
                reading.pop()
                if len(conds) > current.conds:     # a file closes the .if's it opens
                    raise self.error(conds[-1][3], 1, message("asm.if-unclosed"))
                continue
            at = len(self.read)
            self.read.append(_Line(current.name, number, current.top if current.name else number))
            text = self._strip(raw)
            head = text.split(None, 1)[0].lower() if text.strip() else ""
            if head in (".if", ".else", ".endif"):
                self._conditional(head, text, at, conds, current.conds)
                continue
            if not self._active(conds) or not text.strip():
                continue
            pc = self._layout_line(text, at, pc)
            if pc - self.origin > MAX_IMAGE:   # many .zero lines must not exhaust the host's memory
                raise self.error(at, 1, message("asm.program-too-big", mib=MAX_IMAGE >> 20))
            if self.include_request is not None:
                opened = self._open_include(current, conds)
                if opened is not None:
                    reading.append(opened)

    def _open_include(self, current: _Reading, conds: list) -> _Reading | None:
        """The file an `.include` names, to read next (None: already included once)."""
        name, at, col = self.include_request
        self.include_request = None
        if name in current.chain:
            cycle = " → ".join((*current.chain[current.chain.index(name):], name))
            raise self.error(at, col, message("asm.include-cycle", cycle=cycle))
        if len(current.chain) >= MAX_INCLUDE_DEPTH:
            raise self.error(at, col, message("asm.include-too-deep", limit=MAX_INCLUDE_DEPTH))
        if name in self.included:
            return None
        text = self.files.get(name) if _INCLUDE_NAME.match(name) else None
        if text is None:
            raise self.error(at, col, message("asm.include-unknown", name=name,
                                              names=", ".join(sorted(self.files))))
        self.included[name] = text
        top = current.top if current.name else self.read[at].number
        return _Reading(name, enumerate(text.replace("\r\n", "\n").split("\n"), start=1),
                        (*current.chain, name), len(conds), top)

    @staticmethod
    def _active(conds) -> bool:
        return all(c[0] and (c[1] != c[2]) for c in conds)

    def _conditional(self, head: str, text: str, number: int, conds: list, outer: int) -> None:
        col = text.lower().index(head) + 1
        if head == ".if":
            if len(conds) >= MAX_IF_NESTING:   # each line checks every open .if
                raise self.error(number, col, message("asm.if-too-deep", limit=MAX_IF_NESTING))
            enclosing = self._active(conds)
            expr = text[col - 1 + 3:]
            if not expr.strip():
                raise self.error(number, col, message("asm.if-without-condition"))
            taken = bool(self._const(expr, number, col + 3)) if enclosing else False
            conds.append([enclosing, taken, False, number])
        elif len(conds) <= outer:      # none open, or only the including file's
            raise self.error(number, col, message("asm.if-unmatched", directive=head))
        elif head == ".else":
            if conds[-1][2]:
                raise self.error(number, col, message("asm.if-second-else"))
            conds[-1][2] = True
        else:
            conds.pop()

    @staticmethod
    def _strip(raw: str) -> str:
        """Remove a `;` comment (outside quotes); columns of what is left are unchanged."""
        out, quote = [], None
        for ch in raw:
            if quote:
                out.append(ch)
                if ch == quote and (len(out) < 2 or out[-2] != "\\"):
                    quote = None
            elif ch in "\"'":
                quote = ch
                out.append(ch)
            elif ch == ";":
                break
            else:
                out.append(ch)
        return "".join(out).rstrip()

    def _layout_line(self, text: str, number: int, pc: int) -> int:
        pos = 0
        while m := _LABEL.match(text, pos):
            name = m.group(1)
            if name.lower() in REG_INDEX or name.lower() in BY_MNEMONIC:
                break
            self._define_label(name, pc, number, m.start(1) + 1)
            pos = m.end()
        rest = text[pos:]
        if not rest.strip():
            return pc
        col = pos + len(rest) - len(rest.lstrip()) + 1
        m = re.match(r"(\S+)(\s*)(.*)", rest.strip())
        word, tail = m.group(1), m.group(3)
        tail_col = col + len(word) + len(m.group(2))
        args = self._split_args(tail, tail_col, number) if tail.strip() else []
        op = word.lower()
        if op.startswith("."):
            return self._directive(op, args, number, col, pc)
        if op not in BY_MNEMONIC:
            raise self.error(number, col, message("asm.unknown-statement", word=word))
        self.stmts.append(_Stmt(number, col, "ins", pc, op, args))
        return pc + INSTRUCTION_SIZE

    def _define_label(self, name: str, value: int, line: int, col: int) -> None:
        if name in self.labels or (name in self.symbols and name not in self.overrides):
            raise self.error(line, col, message("asm.symbol-redefined", name=name))
        self.labels.add(name)
        self.symbols[name] = value

    def _split_args(self, text: str, col: int, line: int) -> list[tuple[str, int]]:
        args, depth, quote, start = [], 0, None, 0
        for i, ch in enumerate(text + ","):
            if quote:
                if ch == quote and text[i - 1] != "\\":
                    quote = None
                continue
            if ch in "\"'":
                quote = ch
            elif ch in "[(":
                depth += 1
            elif ch in "])":
                depth -= 1
            elif ch == "," and depth == 0:
                piece = text[start:i]
                stripped = piece.strip()
                lead = len(piece) - len(piece.lstrip())
                if not stripped:
                    raise self.error(line, col + i, message("asm.empty-operand"))
                args.append((stripped, col + start + lead))
                start = i + 1
        if quote:
            raise self.error(line, col + len(text), message("asm.unclosed-quote", quote=quote))
        if depth > 0:
            raise self.error(line, col + len(text), message("asm.unclosed-bracket"))
        return args

    def _directive(self, op: str, args, line: int, col: int, pc: int) -> int:
        if op == ".equ":
            return self._equ(args, line, col, pc)
        if op in (".word", ".byte"):
            if not args:
                raise self.error(line, col, message("asm.data-without-values", directive=op))
            self.stmts.append(_Stmt(line, col, "data", pc, op, args))
            return pc + len(args) * (4 if op == ".word" else 1)
        if op in (".ascii", ".asciz"):
            if len(args) != 1:
                raise self.error(line, col, message("asm.string-expected", directive=op))
            data = self._string(args[0], line) + (b"\0" if op == ".asciz" else b"")
            self.stmts.append(_Stmt(line, col, "bytes", pc, op, [(data.hex(), 0)]))
            return pc + len(data)
        if op == ".zero":
            n = self._const_arg(args, line, col, op)
            if not 0 <= n <= MAX_IMAGE:
                raise self.error(line, col, message("asm.zero-size-out-of-range", limit=MAX_IMAGE))
            self.stmts.append(_Stmt(line, col, "bytes", pc, op, [("00" * n, 0)]))
            return pc + n
        if op == ".align":
            n = self._const_arg(args, line, col, op)
            if n <= 0 or n & (n - 1) or n > 1 << 16:
                raise self.error(line, col, message("asm.align-not-power-of-two"))
            pad = (-pc) % n
            self.stmts.append(_Stmt(line, col, "bytes", pc, op, [("00" * pad, 0)]))
            return pc + pad
        if op == ".org":
            target = self._const_arg(args, line, col, op)
            if target < pc:
                raise self.error(line, col, message("asm.org-backwards", current=pc, target=target))
            if target - self.origin > MAX_IMAGE:
                raise self.error(line, col, message("asm.org-too-far", mib=MAX_IMAGE >> 20))
            self.stmts.append(_Stmt(line, col, "bytes", pc, op, [("00" * (target - pc), 0)]))
            return target
        if op == ".include":
            if len(args) != 1:
                raise self.error(line, col, message("asm.include-syntax"))
            name = self._string(args[0], line).decode("utf-8", "replace")
            self.include_request = (name, line, args[0][1])
            return pc
        raise self.error(line, col, message("asm.unknown-directive", directive=op))

    def _equ(self, args, line, col, pc) -> int:
        if len(args) != 2 or not _NAME.match(args[0][0]):
            raise self.error(line, col, message("asm.equ-syntax"))
        name = args[0][0]
        if name in self.overrides:
            return pc  # -D NAME=VALUE wins over the file's default
        if name in self.symbols:
            raise self.error(line, args[0][1], message("asm.symbol-redefined", name=name))
        self.symbols[name] = self._const(args[1][0], line, args[1][1])
        return pc

    def _const_arg(self, args, line, col, op) -> int:
        if len(args) != 1:
            raise self.error(line, col, message("asm.one-value-expected", directive=op))
        return self._const(args[0][0], line, args[0][1])

    def _const(self, text: str, line: int, col: int) -> int:
        """A value needed during layout: every symbol in it must already be defined."""
        try:
            return evaluate(parse_expression(text), self.symbols, signed=True)
        except ExprError as exc:
            raise self.error(line, col + exc.offset, exc.detail) from None

    def _string(self, arg: tuple[str, int], line: int) -> bytes:
        text, col = arg
        if len(text) < 2 or text[0] != '"' or text[-1] != '"':
            raise self.error(line, col, message("asm.string-unquoted"))
        out, i, body = bytearray(), 0, text[1:-1]
        while i < len(body):
            ch = body[i]
            if ch == "\\" and i + 1 < len(body):
                nxt = body[i + 1]
                if nxt == "x" and re.match(r"[0-9a-fA-F]{2}", body[i + 2:i + 4]):
                    out.append(int(body[i + 2:i + 4], 16))
                    i += 4
                    continue
                if nxt not in _ESCAPES:
                    raise self.error(line, col + i + 1, message("asm.string-bad-escape", escape=nxt))
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            out.extend(ch.encode("utf-8"))
            i += 1
        return bytes(out)

    # -- pass 2 --------------------------------------------------------------------------------
    def emit(self) -> Program:
        end = max((s.addr + self._size(s) for s in self.stmts), default=self.origin)
        image = bytearray(end - self.origin)
        lines, code, origins = {}, [], {}
        for stmt in self.stmts:
            data = self._emit_stmt(stmt)
            off = stmt.addr - self.origin
            image[off:off + len(data)] = data
            if stmt.kind == "ins":
                where = self.read[stmt.line]
                lines[stmt.addr] = where.top
                if where.file:
                    origins[stmt.addr] = (where.file, where.number)
                code.append(stmt.addr)
        return Program(self.origin, bytes(image), dict(self.symbols), lines, code, self.file,
                       self.source, frozenset(self.labels), origins, dict(self.included))

    @staticmethod
    def _size(stmt: _Stmt) -> int:
        if stmt.kind == "ins":
            return INSTRUCTION_SIZE
        if stmt.kind == "bytes":
            return len(stmt.args[0][0]) // 2
        return len(stmt.args) * (4 if stmt.text == ".word" else 1)

    def _emit_stmt(self, stmt: _Stmt) -> bytes:
        if stmt.kind == "bytes":
            return bytes.fromhex(stmt.args[0][0])
        if stmt.kind == "data":
            width = 4 if stmt.text == ".word" else 1
            out = bytearray()
            for text, col in stmt.args:
                value = self._value(text, stmt.line, col, bits=8 * width)
                out += value.to_bytes(width, "little")
            return bytes(out)
        return encode(self._instruction(stmt))

    def _value(self, text: str, line: int, col: int, bits: int = 32) -> int:
        try:
            value = evaluate(parse_expression(text), self.symbols, signed=True)
        except ExprError as exc:
            raise self.error(line, col + exc.offset, exc.detail) from None
        if not -(1 << (bits - 1)) <= value < (1 << bits):
            raise self.error(line, col, message("asm.value-too-wide", bits=bits, value=value))
        return value & ((1 << bits) - 1)

    def _instruction(self, stmt: _Stmt) -> Instruction:
        parsed = [self._operand(text, stmt.line, col) for text, col in stmt.args]
        kinds = tuple(p[0] for p in parsed)
        row = find_row(stmt.text, kinds)
        if row is None:
            forms = " | ".join(r.syntax for r in BY_MNEMONIC[stmt.text])
            found = (message("asm.operands-mismatch", forms=forms, mnemonic=stmt.text,
                             operands=", ".join(k.value for k in kinds)) if kinds
                     else message("asm.operands-missing", forms=forms, mnemonic=stmt.text))
            raise self.error(stmt.line, stmt.col, found)
        regs, base, imm = [], 0, 0
        for kind, value in parsed:
            if kind in (Operand.REG, Operand.CR):
                regs.append(value)
            elif kind is Operand.MEM:
                base, imm = value
            elif kind is Operand.IMM:
                imm = value
        regs += [0, 0]
        return Instruction(row, regs[0], regs[1], base, imm)

    def _operand(self, text: str, line: int, col: int):
        low = text.lower()
        if low in REG_INDEX:
            return Operand.REG, REG_INDEX[low]
        if low == "cs":
            return Operand.CS, 0
        if low == "cl":
            return Operand.CL, 0
        if re.fullmatch(r"cr\d+", low):
            n = int(low[2:])
            if n not in CONTROL_REGISTERS:
                raise self.error(line, col, message("asm.control-register"))
            return Operand.CR, n
        if text.startswith("["):
            return Operand.MEM, self._memory(text, line, col)
        return Operand.IMM, self._value(text, line, col)

    def _memory(self, text: str, line: int, col: int) -> tuple[int, int]:
        if not text.endswith("]"):
            raise self.error(line, col + len(text), message("asm.memory-unclosed"))
        inner = text[1:-1]
        m = re.match(r"\s*([A-Za-z]{3})\b\s*(?:([+-])(.*))?\Z", inner)
        if m and m.group(1).lower() in REG_INDEX:
            base = REG_INDEX[m.group(1).lower()]
            if m.group(2) is None:
                return base, 0
            rest_col = col + 1 + m.start(3)
            if not m.group(3).strip():
                raise self.error(line, rest_col, message("asm.displacement-missing"))
            disp = self._value(m.group(3), line, rest_col)
            return base, (-disp if m.group(2) == "-" else disp) & M32
        if not inner.strip():
            raise self.error(line, col + 1, message("asm.memory-empty"))
        return NO_BASE, self._value(inner, line, col + 1)


def assemble(
    source: str,
    *,
    file: str = "<source>",
    origin: int = 0,
    defines: dict[str, int] | None = None,
    files: Mapping[str, str] | None = None,
) -> Program:
    """Assemble VQ32 source into a Program. Raises AssemblyError with file, line and column.
    `.include "NAME"` reads NAME from `files` (default: the library shipped with the mini-OS)."""
    if "\0" in source:
        line = source[: source.index("\0")].count("\n") + 1
        raise AssemblyError(file, line, 1, message("asm.nul-byte"))
    asm = _Assembler(source.replace("\r\n", "\n"), file, origin, defines or {},
                     library() if files is None else files)
    asm.layout()
    return asm.emit()


def parse_define(text: str) -> tuple[str, int]:
    """NAME=VALUE from the command line's -D (VALUE: decimal, 0x hex or 'c')."""
    name, sep, value = text.partition("=")
    if not sep or not _NAME.match(name.strip()):
        raise AssemblyError("-D", 1, 1, message("asm.define-syntax", text=text))
    try:
        return name.strip(), evaluate(parse_expression(value), {}, signed=True)
    except ExprError as exc:
        raise AssemblyError("-D", 1, len(name) + 2 + exc.offset, exc.detail) from None
