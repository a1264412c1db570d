"""Assembler expressions: numbers, characters, symbols and integer operators, parsed by precedence.

Grammar (loosest first): comparisons `== != < > <= >=` (1 or 0), `|`, `^`, `&`, `<< >>`, `+ -`, `* / %`, unary `- ~ +`, atoms (decimal,
`0x` hex, `'c'`, symbol, `( expr )`). Nothing is ever handed to Python's eval.
"""

from __future__ import annotations

import re

from virtquest.emu.messages import Message, message

_TOKEN = re.compile(
    r"\s*(?:(?P<num>0[xX][0-9A-Fa-f]+|\d+)|(?P<chr>'(?:\\.|[^'\\])')"
    r"|(?P<name>[A-Za-z_.$][\w.$]*)|(?P<op><<|>>|==|!=|<=|>=|[-+*/%&|^~()<>]))"
)
_BINARY = [("==", "!=", "<", ">", "<=", ">="), ("|",), ("^",), ("&",), ("<<", ">>"), ("+", "-"), ("*", "/", "%")]
_CHAR_ESCAPES = {"n": 10, "t": 9, "r": 13, "0": 0, "\\": 92, "'": 39, '"': 34}
# Far beyond any real operand; they keep parsing and evaluation (both recursive) shallow.
MAX_TOKENS = 256
MAX_NESTING = 32


class ExprError(Exception):
    """What is wrong with an expression (`detail`) and where: `offset`, the 0-based column within
    the expression text."""

    def __init__(self, offset: int, detail: Message):
        super().__init__(offset, detail)
        self.offset, self.detail = offset, detail

    @property
    def message(self) -> str:
        """The English text."""
        return self.detail.text()

    def __str__(self) -> str:
        return self.message


def parse_expression(text: str):
    """Parse into a small tree of tuples: ("num", v) | ("sym", name, off) | (op, left, right)."""
    tokens = _tokenize(text)
    tree, pos = _parse_binary(tokens, 0, 0, text)
    if pos < len(tokens):
        raise ExprError(tokens[pos][2], message("expr.trailing-token", token=tokens[pos][1]))
    return tree


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens, pos, depth = [], 0, 0
    while pos < len(text):
        if not text[pos:].strip():
            break
        m = _TOKEN.match(text, pos)
        if not m:
            off = len(text[pos:]) - len(text[pos:].lstrip()) + pos
            raise ExprError(off, message("expr.unexpected-character", char=text[off]))
        kind = m.lastgroup
        tokens.append((kind, m.group(kind), m.start(kind)))
        pos = m.end()
        depth += {"(": 1, ")": -1}.get(m.group(kind), 0) if kind == "op" else 0
        if len(tokens) > MAX_TOKENS or depth > MAX_NESTING:
            raise ExprError(m.start(kind), message("expr.too-complex", tokens=MAX_TOKENS,
                                                   levels=MAX_NESTING))
    return tokens


def _parse_binary(tokens, pos, level, text):
    if level == len(_BINARY):
        return _parse_unary(tokens, pos, text)
    left, pos = _parse_binary(tokens, pos, level + 1, text)
    while pos < len(tokens) and tokens[pos][0] == "op" and tokens[pos][1] in _BINARY[level]:
        op, off = tokens[pos][1], tokens[pos][2]
        right, pos = _parse_binary(tokens, pos + 1, level + 1, text)
        left = (op, left, right, off)
    return left, pos


def _parse_unary(tokens, pos, text):
    if pos >= len(tokens):
        raise ExprError(len(text), message("expr.missing-operand"))
    kind, value, off = tokens[pos]
    if kind == "op" and value in "-~+":
        operand, pos = _parse_unary(tokens, pos + 1, text)
        return ("neg" if value == "-" else "inv" if value == "~" else "pos", operand), pos
    if kind == "op" and value == "(":
        inner, pos = _parse_binary(tokens, pos + 1, 0, text)
        if pos >= len(tokens) or tokens[pos][1] != ")":
            raise ExprError(len(text) if pos >= len(tokens) else tokens[pos][2],
                            message("expr.unclosed-parenthesis"))
        return inner, pos + 1
    if kind == "num":
        digits = value[2:] if value[:2].lower() == "0x" else value
        if len(digits.lstrip("0")) > 20:   # before int(): Python refuses very long numbers
            raise ExprError(off, message("expr.number-too-wide"))
        return ("num", int(value, 0) if not value.startswith("0") or value[:2].lower() == "0x"
                else int(value, 10)), pos + 1
    if kind == "chr":
        return ("num", _char_value(value, off)), pos + 1
    if kind == "name":
        return ("sym", value, off), pos + 1
    raise ExprError(off, message("expr.unexpected-token", token=value))


def _char_value(token: str, off: int) -> int:
    body = token[1:-1]
    if body.startswith("\\"):
        if body[1] not in _CHAR_ESCAPES:
            raise ExprError(off, message("expr.character-bad-escape", escape=body))
        return _CHAR_ESCAPES[body[1]]
    code = ord(body)
    if code > 255:
        raise ExprError(off, message("expr.character-too-wide"))
    return code


def evaluate(tree, symbols: dict[str, int], *, signed: bool = False) -> int:
    """The expression's value; unknown symbols raise ExprError naming them."""
    tag = tree[0]
    if tag == "num":
        return tree[1]
    if tag == "sym":
        if tree[1] not in symbols:
            raise ExprError(tree[2], message("expr.undefined-symbol", name=tree[1]))
        return symbols[tree[1]]
    if tag in ("neg", "inv", "pos"):
        v = evaluate(tree[1], symbols, signed=signed)
        return -v if tag == "neg" else ~v if tag == "inv" else v
    a = evaluate(tree[1], symbols, signed=signed)
    b = evaluate(tree[2], symbols, signed=signed)
    return _apply(tree[0], a, b, tree[3])


def _apply(op: str, a: int, b: int, off: int) -> int:
    if op in "/%" and b == 0:
        raise ExprError(off, message("expr.division-by-zero"))
    if op in ("<<", ">>") and not 0 <= b < 64:
        raise ExprError(off, message("expr.shift-out-of-range"))
    result = {
        "|": lambda: a | b, "^": lambda: a ^ b, "&": lambda: a & b,
        "<<": lambda: a << b, ">>": lambda: a >> b, "+": lambda: a + b, "-": lambda: a - b,
        "*": lambda: a * b, "==": lambda: int(a == b), "!=": lambda: int(a != b),
        "<": lambda: int(a < b), ">": lambda: int(a > b), "<=": lambda: int(a <= b),
        ">=": lambda: int(a >= b), "/": lambda: int(a / b), "%": lambda: a - b * int(a / b),
    }[op]()
    if abs(result) > (1 << 64):
        raise ExprError(off, message("expr.value-too-wide"))
    return result
