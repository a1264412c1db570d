"""Python text for the expressions of the instruction definitions (semantics.py): the same
expression back as source, with as few parentheses as Python's precedence allows, its names
replaced as the caller says (placeholders for operands, registers, temporaries)."""

from __future__ import annotations

import ast
import re


class DefinitionError(Exception):
    """A definition in the instruction table that the machine cannot use (a bug, found at
    import)."""


_PRECEDENCE = {ast.Or: 1, ast.And: 2, ast.Not: 3, ast.BitOr: 5, ast.BitXor: 6, ast.BitAnd: 7,
               ast.LShift: 8, ast.RShift: 8, ast.Add: 9, ast.Sub: 9, ast.Mult: 10, ast.Div: 10,
               ast.FloorDiv: 10, ast.Mod: 10, ast.USub: 11, ast.Invert: 11, ast.UAdd: 11}
_COMPARE = 4
_SYMBOLS = {ast.Or: "or", ast.And: "and", ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&",
            ast.LShift: "<<", ast.RShift: ">>", ast.Add: "+", ast.Sub: "-", ast.Mult: "*",
            ast.FloorDiv: "//", ast.Mod: "%", ast.USub: "-", ast.Invert: "~", ast.Not: "not ",
            ast.UAdd: "+", ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=",
            ast.Gt: ">", ast.GtE: ">="}


def atomic(text: str) -> bool:
    """Whether a piece of code needs no parentheses around it: a name, a number, `R[i.a]`."""
    return re.fullmatch(r"[\w.]+(\[[\w.]+\])?|\{\w+\}", text) is not None


class Unparser:
    """Python text for an expression of the definition language, with as few parentheses as
    precedence allows; names become what `name` says (placeholders, or themselves)."""

    def __init__(self, name, call=None):
        self.name, self.call = name, call

    def expr(self, node: ast.expr, outer: int = 0) -> str:
        text, level = self._expr(node)
        return f"({text})" if level < outer else text

    def _expr(self, node: ast.expr) -> tuple[str, int]:
        if isinstance(node, ast.Name):
            return self.name(node.id), 99
        if isinstance(node, ast.Constant):
            value = node.value
            return (hex(value) if isinstance(value, int) and value > 255 else repr(value)), 99
        if isinstance(node, ast.BinOp):
            level = _PRECEDENCE[type(node.op)]
            left = self.expr(node.left, level)
            right = self.expr(node.right, level + 1)
            return f"{left} {_SYMBOLS[type(node.op)]} {right}", level
        if isinstance(node, ast.UnaryOp):
            level = _PRECEDENCE[type(node.op)]
            return _SYMBOLS[type(node.op)] + self.expr(node.operand, level), level
        if isinstance(node, ast.BoolOp):
            level = _PRECEDENCE[type(node.op)]
            word = f" {_SYMBOLS[type(node.op)]} "
            return word.join(self.expr(v, level + 1) for v in node.values), level
        if isinstance(node, ast.Compare):
            parts = [self.expr(node.left, _COMPARE + 1)]
            for op, right in zip(node.ops, node.comparators, strict=True):
                parts += [_SYMBOLS[type(op)], self.expr(right, _COMPARE + 1)]
            return " ".join(parts), _COMPARE
        if isinstance(node, ast.IfExp):
            return (f"{self.expr(node.body, 1)} if {self.expr(node.test, 1)} else "
                    f"{self.expr(node.orelse, 0)}"), 0
        if isinstance(node, ast.Call):
            if self.call is not None:
                made = self.call(node)
                if made is not None:
                    return made, 99
            return f"{self.expr(node.func, 99)}({', '.join(self.expr(a) for a in node.args)})", 99
        if isinstance(node, ast.Attribute):
            return f"{self.expr(node.value, 99)}.{node.attr}", 99
        if isinstance(node, ast.Subscript):
            return f"{self.expr(node.value, 99)}[{self.expr(node.slice)}]", 99
        if isinstance(node, ast.Tuple):
            return "(" + ", ".join(self.expr(e) for e in node.elts) + ")", 99
        raise DefinitionError(f"not in the definition language: {ast.dump(node)}")
