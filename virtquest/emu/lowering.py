"""Lowering: one row's definition (semantics.py) turned into the parts code is written from —
statements with placeholders for what a binding fills in (codegen.py) — and what the definition
needs (CPU services, the effective address).
"""

from __future__ import annotations

import ast
import functools

from virtquest.emu import isa
from virtquest.emu.isa import Operand, Row
from virtquest.emu.pytext import DefinitionError, Unparser
from virtquest.emu.semantics import (
    FLAG_RULES,
    HELPERS,
    REGISTER_NAMES,
    SERVICES,
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


class _Lowering:
    """Turns one row's definition into parts (see the module docstring)."""

    def __init__(self, row: Row):
        self.row = row
        self.kinds = {"a": row.operands[0] if row.operands else None,
                      "b": row.operands[1] if len(row.operands) > 1 else None}
        self.services: set[str] = set()
        self.uses_ea = False
        self.loads = 0
        self.temps: set[str] = set()

    def run(self) -> Definition:
        tree = ast.parse(self.row.definition)
        parts: list = []
        for name in ("a", "b"):     # a memory operand that is read is loaded first of all
            if self.kinds[name] is Operand.MEM and _reads_name(tree, name):
                parts.append(Load(f"{{M{name.upper()}}}", "{EA}", self.row.width))
                self.uses_ea = True
        for stmt in tree.body:
            self._statement(stmt, parts)
        for k, part in enumerate(parts):
            if isinstance(part, Flow) and k != len(parts) - 1:
                raise DefinitionError(f"{self.row.syntax}: control flow must come last")
        return Definition(self.row, parts, frozenset(self.services), self.uses_ea)

    # -- names -------------------------------------------------------------------------------
    def _name(self, name: str) -> str:
        if name in ("a", "b"):
            return self._operand_read(name)
        if name in REGISTER_NAMES:
            return f"{{R{REGISTER_NAMES[name]}}}"
        if name == "ef":
            return "{EF}"
        if name == "ea":
            self.uses_ea = True
            return "{EA}"
        if name == "next":
            return "{NEXT}"
        if name in VOCABULARY or name in HELPERS or name == "cpu":
            return name
        if name not in self.temps:
            raise DefinitionError(f"{self.row.syntax}: '{name}' is read before it is set")
        return f"{{T_{name}}}"

    def _operand_read(self, name: str) -> str:
        kind = self.kinds[name]
        if kind is None:
            raise DefinitionError(f"{self.row.syntax}: it has no operand '{name}'")
        if kind is Operand.MEM:
            return f"{{M{name.upper()}}}"
        if kind is Operand.CR:
            self.services.add("read_cr")
            return f"cpu.read_cr({{{name.upper()}}})"
        if kind is Operand.CS:
            return "cpu.cs"
        if kind is Operand.CL:
            return "{R1}"
        return f"{{{name.upper()}}}"

    # -- expressions -------------------------------------------------------------------------
    def _expr(self, node: ast.expr, parts: list) -> str:
        """Text of an expression; loads inside it (load32, pop) go into parts first."""
        def call(c: ast.Call) -> str | None:
            func = c.func
            if isinstance(func, ast.Name) and func.id == "load32":
                target = self._new_load()
                parts.append(Load(target, self._expr(c.args[0], parts)))
                return target
            if isinstance(func, ast.Name) and func.id == "pop":
                target = self._new_load()
                parts.append(Load(target, "{R4}"))
                parts.append(Line("{R4} = {R4} + 4 & M", ("R4",)))
                return target
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                    and func.value.id == "cpu":
                self._service(func.attr)
            return None
        return Unparser(self._name, call).expr(node)

    def _new_load(self) -> str:
        self.loads += 1
        return f"{{L{self.loads}}}"

    def _service(self, name: str) -> None:
        if name not in SERVICES:
            raise DefinitionError(f"{self.row.syntax}: the CPU offers no service '{name}'")
        self.services.add(name)

    # -- statements ---------------------------------------------------------------------------
    def _statement(self, stmt: ast.stmt, parts: list) -> None:
        if isinstance(stmt, ast.Pass):
            return
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            self._assign(stmt.targets[0], stmt.value, parts)
        elif isinstance(stmt, ast.If):
            test = self._expr(stmt.test, parts)
            part = If(test, stmt.test)
            for s in stmt.body:
                self._statement(s, part.body)
            for s in stmt.orelse:
                self._statement(s, part.orelse)
            parts.append(part)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            self._call(stmt.value, parts)
        else:
            raise DefinitionError(f"{self.row.syntax}: not in the definition language: "
                                  f"{ast.unparse(stmt)}")

    def _assign(self, target: ast.expr, value: ast.expr, parts: list) -> None:
        text = self._expr(value, parts)
        if isinstance(target, ast.Tuple):
            names = [self._write_name(t) for t in target.elts]
            parts.append(Line(f"{', '.join(names)} = {text}", tuple(n.strip("{}") for n in names)))
            return
        if isinstance(target, ast.Attribute):          # cpu.idtr = …
            parts.append(Line(f"cpu.{target.attr} = {text}"))
            return
        if not isinstance(target, ast.Name):
            raise DefinitionError(f"{self.row.syntax}: cannot assign to {ast.unparse(target)}")
        name = target.id
        kind = self.kinds.get(name)
        if name in ("a", "b") and kind is Operand.MEM:
            parts.append(Store("{EA}", text, self.row.width))
            self.uses_ea = True
        elif name in ("a", "b") and kind is Operand.CR:
            self._service("write_cr")
            parts.append(Line(f"cpu.write_cr({{{name.upper()}}}, {text})"))
        elif name in ("a", "b") and kind is not Operand.REG:
            raise DefinitionError(f"{self.row.syntax}: operand '{name}' cannot be written")
        else:
            place = self._write_name(target)
            temp = place.startswith("{T_")
            parts.append(Line(f"{place} = {text}", (place.strip("{}"),),
                              value if temp else None))

    def _write_name(self, target: ast.expr) -> str:
        if not isinstance(target, ast.Name):
            raise DefinitionError(f"{self.row.syntax}: cannot assign to {ast.unparse(target)}")
        name = target.id
        if name in ("a", "b"):
            return f"{{{name.upper()}}}"
        if name in REGISTER_NAMES:
            return f"{{R{REGISTER_NAMES[name]}}}"
        if name == "ef":
            return "{EF}"
        if name in VOCABULARY or name in HELPERS or name in ("cpu", "ea", "next"):
            raise DefinitionError(f"{self.row.syntax}: '{name}' cannot be assigned")
        self.temps.add(name)
        return f"{{T_{name}}}"

    def _call(self, node: ast.Call, parts: list) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else None
        args = node.args
        if name == "store32":
            address, value = (self._expr(a, parts) for a in args)
            parts.append(Store(address, value))
        elif name == "push":
            value = self._expr(args[0], parts)
            self.temps.add("sp")
            parts.append(Line("{T_sp} = {R4} - 4 & M", ("T_sp",)))
            parts.append(Store("{T_sp}", value))
            parts.append(Line("{R4} = {T_sp}", ("R4",)))
        elif name and name.startswith("flags_"):
            rule = name[len("flags_"):]
            if rule not in FLAG_RULES or len(args) != len(FLAG_RULES[rule].params):
                raise DefinitionError(f"{self.row.syntax}: no flag rule {name} with "
                                      f"{len(args)} arguments")
            parts.append(Flags(rule, [self._expr(a, parts) for a in args]))
        elif name == "fault":
            parts.append(Fault(self._expr(args[0], parts)))
        elif name == "jump" and isinstance(args[0], ast.Call) and \
                isinstance(args[0].func, ast.Name) and args[0].func.id == "pop":
            parts.append(Flow("return", self._expr(args[0], parts)))
        elif name in ("jump", "call"):
            target = self._expr(args[0], parts)
            if name == "call":                    # the target is read before the push
                self.temps.add("target")
                parts.append(Line(f"{{T_target}} = {target}", ("T_target",), args[0]))
                self._call(ast.Call(ast.Name("push"), [ast.Name("next")], []), parts)
                target = "{T_target}"
            parts.append(Flow(name, target))
        elif name == "branch":
            condition, target = (self._expr(a, parts) for a in args)
            parts.append(Flow("branch", target, condition))
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                and func.value.id == "cpu":
            parts.append(Line(self._expr(node, parts)))
        else:
            raise DefinitionError(f"{self.row.syntax}: unknown statement {ast.unparse(node)}")


def _reads_name(tree: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Load)
               for n in ast.walk(tree))


def check_precise(d: Definition) -> None:
    """A form the fast path compiles must write nothing (registers, flags) before the last thing
    that can fault, so a fault leaves the block's locals exactly as before the instruction."""
    if not d.compilable:
        return
    written = False
    for part in _flat(d.parts):
        if isinstance(part, (Load, Store, Fault)) and written:
            raise DefinitionError(f"{d.row.syntax}: it changes state before it can fault")
        if isinstance(part, Flags) or isinstance(part, Line) and any(
                not w.startswith("T_") for w in part.writes):
            written = True


def _flat(parts: list) -> list:
    out = []
    for part in parts:
        out.append(part)
        if isinstance(part, If):
            out += _flat(part.body) + _flat(part.orelse)
    return out


@functools.cache
def definition(row: Row) -> Definition:
    """The lowered definition of a row (made once, on first use; checked)."""
    lowered = _Lowering(row).run()
    check_precise(lowered)
    return lowered


DEFINITIONS: tuple[Definition, ...] = tuple(definition(row) for row in isa.ROWS)
