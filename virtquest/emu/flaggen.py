"""Python source for a compiled block's flags, made only when someone looks (a part of
blockgen.Generator, like memgen.py).

Computing EFLAGS after every `cmp`, `add` or `dec` costs more than the arithmetic itself, and most
of those flags are never looked at: the next instruction overwrites them, or a branch reads one
bit. So an instruction whose flags someone *may* see keeps only its operands (a snapshot: a couple
of local names) and owes the flags to `ef`. The debt is paid (the flag rule is applied to `ef`,
in order) exactly where the flags become visible:

- before an instruction that reads the flags (`adc`, `pushf`, a branch that cannot be fused);
- at every exit of the block (written back to the CPU) and at a fault (the handler applies the
  debts owed at the faulting instruction);
- on a region's branch to another block, unless that block overwrites those flags before
  anyone can see them.

A loop carries its debts across the back edge (those the next pass does not overwrite first): the
next pass owes them too, guarded by `done` (the passes before this one: 0 in the first pass,
which owes nothing yet; a bulk loop sets `carry` instead), and its snapshot names still hold the
last pass's operands until the instruction runs again.

A conditional branch right after the instruction whose flags it tests is *fused*: its condition
is computed from the snapshot (`a < b` as a borrow, a zero test, a sign bit), and the flags stay
owed. Flags nobody can see at all (overwritten before any reader, fault or exit) are not even
snapshotted — see blockgen's liveness.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from virtquest.emu.codegen import wrap_word
from virtquest.emu.isa import ARITH
from virtquest.emu.semantics import FLAG_RULES, Flags, If, Line

# Per flag rule, each flag as a Python expression over the rule's parameters, true when the flag
# is set ({a} {b} {t} {r} as in FLAG_RULES), and "SF xor OF" (signed less) in one expression.
_PREDICATES: dict[str, dict[str, str]] = {
    "sub": {"CF": "{t} < 0", "ZF": "not {t} & M", "SF": "{t} & SIGN",
            "OF": "({a} ^ {b}) & ({a} ^ {t}) & SIGN",
            "LESS": "({t} ^ ({a} ^ {b}) & ({a} ^ {t})) & SIGN"},
    "add": {"CF": "{t} >> 32", "ZF": "not {t} & M", "SF": "{t} & SIGN",
            "OF": "({a} ^ {t}) & ({b} ^ {t}) & SIGN",
            "LESS": "({t} ^ ({a} ^ {t}) & ({b} ^ {t})) & SIGN"},
    "logic": {"CF": "0", "ZF": "not {r}", "SF": "{r} & SIGN", "OF": "0", "LESS": "{r} & SIGN"},
    "inc": {"ZF": "not {r}", "SF": "{r} & SIGN", "OF": "{a} == 0x7fffffff",
            "LESS": "bool({r} & SIGN) != ({a} == 0x7fffffff)"},
    "dec": {"ZF": "not {r}", "SF": "{r} & SIGN", "OF": "{a} == SIGN",
            "LESS": "bool({r} & SIGN) != ({a} == SIGN)"},
}

# Each conditional jump as an expression over the flags (and LESS = SF != OF).
_BRANCHES: dict[str, str] = {
    "je": "{ZF}", "jz": "{ZF}", "jne": "not ({ZF})", "jnz": "not ({ZF})",
    "jb": "{CF}", "jae": "not ({CF})", "jbe": "{CF} or {ZF}", "ja": "not ({CF} or {ZF})",
    "js": "{SF}", "jns": "not ({SF})", "jo": "{OF}", "jno": "not ({OF})",
    "jl": "{LESS}", "jge": "not ({LESS})", "jle": "{ZF} or {LESS}",
    "jg": "not ({ZF} or {LESS})",
}


def fused_condition(mnemonic: str, rule: str, args: list[str]) -> str | None:
    """The branch's condition computed from the operands of the flag rule that set the flags it
    tests; None when the rule does not set all of them (or has no predicates here)."""
    predicates, branch = _PREDICATES.get(rule), _BRANCHES.get(mnemonic)
    if predicates is None or branch is None:
        return None
    if rule == "sub" and mnemonic in ("jbe", "ja"):
        # t = a - b (- CF) of two words lies in [-2**32, 2**32), where "CF or ZF" (t < 0, or
        # t & M == 0: t is 0 or -2**32) is t <= 0: an unsigned compare in one test
        t = args[FLAG_RULES[rule].params.index("t")]
        return f"{t} <= 0" if mnemonic == "jbe" else f"{t} > 0"
    names = dict(zip(FLAG_RULES[rule].params, args, strict=True))
    needed = {f for f in ("CF", "ZF", "SF", "OF", "LESS") if "{" + f + "}" in branch}
    if not needed <= predicates.keys():
        return None
    flags = {f: predicates[f].format(**names) for f in needed}
    if branch.startswith("not ({") and branch.count("{") == 1:   # one flag, negated
        flag = flags[branch[6:-2]]
        return flag[4:] if flag.startswith("not ") else f"not ({flag})"
    return branch.format(**{f: f"({v})" for f, v in flags.items()})


def _nested_flags(parts: list) -> bool:
    """Whether flags are set inside a condition (so only on some paths)."""
    for part in parts:
        if isinstance(part, If) and any(isinstance(p, Flags) or isinstance(p, If) and
                                        _nested_flags([p]) for p in part.body + part.orelse):
            return True
    return False


class Debt(NamedTuple):
    """Flags owed to `ef`: a flag rule and the snapshot of its operands (`setter`: the
    instruction's index), paid only under `guard` if there is one; or, when `chain` is given,
    whichever of those setters `dk` names (a region's branch carried it here: dk is the setter's
    index + 1, 0 when nothing was carried)."""

    rule: str
    names: tuple[str, ...]
    setter: int
    guard: str | None = None
    chain: tuple[Debt, ...] = ()

    @property
    def writes(self) -> int:
        return ARITH if self.chain else FLAG_RULES[self.rule].writes

    def payment(self) -> list[str]:
        """The lines that apply it to `ef`."""
        if self.chain:
            return [f"{'el' if i else ''}if dk == {d.setter + 1}: {d.payment()[0]}"
                    for i, d in enumerate(self.chain)]
        line = FLAG_RULES[self.rule].render("ef", list(self.names))
        return [f"if {self.guard}: {line}" if self.guard else line]


TEMPORARY = re.compile(r"v_(\w+)")       # as blockgen names them (v_t -> v3_t)
REGISTER = re.compile(r"r[0-7]")

# Flag rules whose first operand the others give back when the instruction computed its result
# from it alone: the line that did, as compiled code writes it, and a's value again.
_INVERSES: dict[str, tuple[str, str]] = {
    "add": ("{t} = {a} + {b}", "{t} - {b}"),
    "sub": ("{t} = {a} - {b}", "{t} + {b}"),
    "inc": ("{r} = " + wrap_word("{a}", "+", 1), "{r} - 1 & M"),
    "dec": ("{r} = " + wrap_word("{a}", "-", 1), "{r} + 1 & M"),
}


def _derived_operand(part: Flags, parts: list, kept: dict[str, str]) -> str | None:
    """The flag rule's first operand (a register, which a debt would otherwise have to copy) as
    the other operands give it back — `t - b` for `t = a + b` — from what the debt keeps of
    them (`kept`, by parameter: the instruction's own temporaries, numbers, or copies of
    registers), which keep their values."""
    inverse = _INVERSES.get(part.rule)
    if inverse is None:
        return None
    names = dict(zip(FLAG_RULES[part.rule].params, part.args, strict=True))
    if not all(TEMPORARY.fullmatch(v) or v.isdigit() or v.startswith("0x") or REGISTER.fullmatch(v)
               for p, v in names.items() if p != "a"):
        return None
    line, value = inverse
    if not any(isinstance(p, Line) and p.text == line.format(**names) for p in parts):
        return None
    return value.format(**kept)


class LazyFlags:
    """Mixed into blockgen.Generator, which provides codes, ins, live, emit, deferred."""

    def _lazy_init(self) -> None:
        self.owed: list[Debt] = []                      # in order, oldest first
        self.sites: list[tuple[int, list[Debt]]] = [(0, [])]   # see blockgen's _where
        self.carried: list[Debt] = []                   # owed at a loop's start
        self.fused: str | None = None
        self.nest = 0

    def cover(self, start: int, end: int) -> int:
        """The flags the instructions from `start` surely overwrite before anyone could see the
        flags as they were (a reader, a possible fault, a memory access, a branch, an exit)."""
        bits = 0
        for k in range(start, end):
            code = self.codes[k]
            if (code.may_fault or code.reads_flags or code.memory_accesses or code.flow
                    is not None or not code.compilable or self.hook_last and
                    k == len(self.ins) - 1):
                break
            bits |= code.flags_written
        return bits

    def _owe(self, k: int, part: Flags) -> None:
        """Instruction k's flags may be seen later: keep its operands, owe the flags."""
        names = [""] * len(part.args)
        params = FLAG_RULES[part.rule].params
        # the other operands first: the first may be given back by them (a = t - b)
        for i in [*range(1, len(part.args)), 0]:
            arg = part.args[i]
            derived = None if i else _derived_operand(
                part, self.codes[k].parts, dict(zip(params[1:], names[1:], strict=True)))
            if arg.isdigit() or arg.startswith("0x"):
                names[i] = arg
            elif TEMPORARY.fullmatch(arg):    # the instruction's own: nobody else assigns it
                names[i] = TEMPORARY.sub(rf"v{k}_\1", arg)
            elif derived is not None:
                names[i] = derived
            else:
                self.emit(f"f{k}_{i} = {arg}")
                names[i] = f"f{k}_{i}"
        writes = FLAG_RULES[part.rule].writes
        self.owed = [d for d in self.owed if d.writes & ~writes]
        self.owed.append(Debt(part.rule, tuple(names), k))

    def _pay(self, keep: int = 0, debts: list[Debt] | None = None) -> None:
        """Apply the owed flags to `ef` here; those in `keep` (overwritten before they can be
        seen on this path) are dropped instead. The debts are settled on this path only: the
        caller clears `owed` when this is the only path."""
        for debt in self.owed if debts is None else debts:
            if debt.writes & ~keep:
                for line in debt.payment():
                    self.emit(line)

    def _settle(self) -> None:
        """Pay every debt here, on the one path there is."""
        self._pay()
        self.owed = []

    def _before_reading(self, k: int) -> None:
        """Before instruction k: if it reads the flags, either fuse its branch with the owed
        flags it tests or pay them; conditionally set flags are made at once."""
        code, self.fused = self.codes[k], None
        if _nested_flags(code.parts):
            self._settle()
        if not code.reads_flags:
            return
        if code.flow is not None and code.flow.kind == "branch" and self.owed:
            last = self.owed[-1]
            if last.guard is None and not last.chain:
                self.fused = fused_condition(self.ins[k].row.mnemonic, last.rule,
                                             list(last.names))
                if self.fused is not None:
                    return
        self._settle()

    def back_edge(self, cover: int, guard: str) -> None:
        """A loop's back edge: the debts the next pass does not overwrite first go on, paid only
        where `guard` is true (not in the first pass: `done`, the passes before this one, or a
        `carry` set here)."""
        carried = [d._replace(guard=guard) for d in self.owed if d.writes & ~cover]
        if carried and guard == "carry":
            self.emit("carry = True")
        self.carried, self.owed = carried, []

    def condition(self, flow) -> str:
        """The branch's condition: fused with the owed flags, or over `ef`."""
        return self.fused if self.fused is not None else flow.condition

    def _fault_debts(self) -> list[str]:
        """The handler's lines that pay, for the place `s` where the fault was raised, what was
        owed there."""
        out, first = [], True
        for s, (_, owed) in enumerate(self.sites):
            if not owed:
                continue
            out.append(f"        {'if' if first else 'elif'} s == {s}:")
            out += [f"            {line}" for debt in owed for line in debt.payment()]
            first = False
        return out
