"""The timeline's model: a traced run's events as arrows between Guest, Hypervisor and CPU."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from virtquest.emu.asm import Program
from virtquest.emu.costs import CostProfile
from virtquest.emu.cpu import TraceEntry
from virtquest.emu.isa import INSTRUCTION_SIZE, M32, VEC_SYSCALL
from virtquest.emu.machine import RunResult
from virtquest.emu.messages import Message, message
from virtquest.emu.source import LIBRARY_PREFIX
from virtquest.hv.runner import load_for_mode

GUEST, HYPERVISOR, CPU = 0, 1, 2
TRACE_BUDGET = 20_000_000
ENTRY_LABELS = ("kernel_main", "main", "_start")

# kind -> (from lane, to lane): the article's diagrams, with the CPU as the hardware lane.
ROUTES: dict[str, tuple[int, int]] = {
    "trap": (GUEST, HYPERVISOR),
    "vm_exit": (GUEST, HYPERVISOR),
    "hypercall": (GUEST, HYPERVISOR),
    "callout": (GUEST, HYPERVISOR),
    "vm_entry": (HYPERVISOR, GUEST),
    "reflect": (HYPERVISOR, GUEST),
    "resume": (HYPERVISOR, GUEST),
    "emulate": (HYPERVISOR, HYPERVISOR),
    "translate": (HYPERVISOR, HYPERVISOR),
    "inline": (HYPERVISOR, HYPERVISOR),
    "hidden_fault": (CPU, HYPERVISOR),
    "exception": (CPU, GUEST),
    "interrupt": (CPU, GUEST),
}
# Events noted after the instruction's eip moved on (its address is eip - 8).
_AFTER_INSTRUCTION = frozenset({"emulate", "inline", "callout", "hypercall"})
_EXIT_AFTER_INSTRUCTION = frozenset({"io", "hlt", "cpuid", "cr_access", "invlpg", "vmcall"})
# After these the hypervisor hands control back without an event of its own: drawn as "resume".
_RESUMES_AFTER = frozenset({"emulate", "hidden_fault", "callout"})
_SHORT_VECTOR = {0: "#DE", 6: "#UD", 13: "#GP", 14: "#PF", 32: "timer", 128: "int 0x80"}
# The parameter an event's short label shows (a vector is shown by its symbol).
_DETAIL_PARAM = {"emulate": "instruction", "inline": "instruction", "callout": "instruction",
                 "hypercall": "name", "vm_exit": "reason", "vm_entry": "reason",
                 "translate": "count"}
NO_PARAMS: Mapping[str, object] = {}


@dataclass(frozen=True)
class TimelineEvent:
    """One event: when, which instruction, what kind, between which lanes, and what the trace
    recorded about it (`params`: vector, instruction, reason, …; `message` words it)."""

    index: int
    cycle: int
    address: int          # the instruction the event is about
    kind: str
    detail: str           # short: "#GP", "cli", "io", "mmu_update", …
    params: Mapping[str, object]
    source: int
    target: int
    derived: bool = False  # drawn for clarity (a resume), not recorded by the trace
    message_id: str = ""   # the message that describes it; "" for the kind's own, trace.<kind>

    @property
    def is_arrow(self) -> bool:
        return self.source != self.target

    @property
    def message(self) -> Message:
        """What happened, as a message id with the event's parameters (shown with
        `virtquest.gui.messages.message_text` in the UI's language)."""
        return message(self.message_id or f"trace.{self.kind}", **self.params)


@dataclass(frozen=True)
class SourceLine:
    """Where an address comes from: the program or the mini-OS, its line, and the text. An
    instruction of an included library file is at its `.include` line of the program; `library`
    and `library_line` say which file and line, and `text` ends with them."""

    where: str            # "program" | "kernel"
    line: int
    text: str
    library: str = ""     # the included file ("console.s"), or "" for the program's own lines
    library_line: int = 0


@dataclass
class Timeline:
    """A traced run of one mode, ready to draw."""

    mode: str
    events: list[TimelineEvent]
    program: Program | None = None
    kernel: Program | None = None
    start_cycle: int = 0              # the cycle at which the program's own code first ran
    result: RunResult | None = None
    truncated: bool = False
    counts: Counter = field(default_factory=Counter)

    def since_start(self) -> list[TimelineEvent]:
        """Events from the program's first instruction on (the mini-OS boot left out)."""
        return [e for e in self.events if e.cycle >= self.start_cycle]

    def source_line(self, address: int) -> SourceLine | None:
        for where, program in (("program", self.program), ("kernel", self.kernel)):
            if program is None or address not in program.lines:
                continue
            line = program.lines[address]
            if address in program.origins:
                library, number = program.origins[address]
                text = _line_text(program.included[library], number)
                return SourceLine(where, line, f"{text} — {LIBRARY_PREFIX}{library}:{number}",
                                  library, number)
            return SourceLine(where, line, _line_text(program.source, line))
        return None

    def first_at(self, address: int) -> TimelineEvent | None:
        return next((e for e in self.events if e.address == address), None)


def _line_text(source: str, line: int) -> str:
    lines = source.split("\n")
    return lines[line - 1].split(";", 1)[0].strip() if 0 < line <= len(lines) else ""


def build_events(trace: Iterable[TraceEntry]) -> list[TimelineEvent]:
    """Trace entries (cycle, eip, kind, params) → events, with a derived resume where the
    hypervisor returned to the guest without recording it."""
    trace = list(trace)
    events: list[TimelineEvent] = []
    for position, (cycle, eip, kind, params) in enumerate(trace):
        source, target = ROUTES.get(kind, (HYPERVISOR, HYPERVISOR))
        address = instruction_address(kind, eip, params)
        events.append(TimelineEvent(len(events), cycle, address, kind,
                                    short_detail(kind, params), params, source, target))
        if kind == "vm_exit" and _exit_handled(trace, position):
            events.append(TimelineEvent(len(events), cycle, address, "emulate",
                                        short_detail(kind, params), params,
                                        HYPERVISOR, HYPERVISOR, derived=True,
                                        message_id="trace.exit_handler"))
        if kind in _RESUMES_AFTER and _needs_resume(trace, position):
            following = trace[position + 1].cycle if position + 1 < len(trace) else cycle
            events.append(TimelineEvent(len(events), min(cycle, following), address, "resume",
                                        "", NO_PARAMS, HYPERVISOR, GUEST, derived=True))
    return events


def _exit_handled(trace: Sequence[TraceEntry], position: int) -> bool:
    """A VM exit followed by its VM entry: the handler ran in between (drawn as a box)."""
    if position + 1 >= len(trace):
        return False
    following = trace[position + 1]
    return (following.kind == "vm_entry"
            and following.params.get("reason") == trace[position].params.get("reason"))


def _needs_resume(trace: Sequence[TraceEntry], position: int) -> bool:
    """No resume when the hypervisor goes on working (another emulate, a reflect, …)."""
    if position + 1 >= len(trace):
        return True
    following = trace[position + 1]
    busy = (following.kind in ("reflect", "emulate", "inline")
            and following.cycle == trace[position].cycle)
    return not busy


def instruction_address(kind: str, eip: int, params: Mapping[str, object]) -> int:
    """The address of the instruction an event is about (some are noted after eip moved on:
    an emulated instruction, a hypercall, an exit for an instruction, a system call's `int`)."""
    after = (kind in _AFTER_INSTRUCTION
             or (kind in ("vm_exit", "vm_entry")
                 and params.get("reason") in _EXIT_AFTER_INSTRUCTION)
             or (kind in ("trap", "interrupt") and params.get("vector") == VEC_SYSCALL))
    return (eip - INSTRUCTION_SIZE) & M32 if after else eip


def short_detail(kind: str, params: Mapping[str, object]) -> str:
    """The event's short label: a vector's symbol ("#GP", "timer", "int 0x80"), the
    instruction, the hypercall or the exit reason ("cli", "mmu_update", "io")."""
    vector = params.get("vector")
    if vector is not None:
        return _SHORT_VECTOR.get(vector, str(vector))
    if kind == "hidden_fault":
        return "#PF"
    name = _DETAIL_PARAM.get(kind)
    return str(params[name]) if name in params else ""


def traced_run(source: str, mode: str, *, file: str, profile: CostProfile,
               defines: dict[str, int] | None = None, choices: dict[str, str] | None = None,
               budget: int = TRACE_BUDGET,
               cancel: Callable[[], bool] | None = None) -> Timeline:
    """Run once under `mode` with the trace on; note when the program's own code starts."""
    guest = load_for_mode(source, mode, file=file, profile=profile, defines=defines,
                          choices=choices)
    cpu = guest.machine.cpu
    cpu.trace = []
    start = _watch_entry(guest)
    result = guest.run(budget=budget, cancel=cancel)
    events = build_events(cpu.trace)
    return Timeline(mode, events, guest.program, guest.kernel, start[0] if start else 0, result,
                    truncated=len(cpu.trace) >= cpu.trace_limit,
                    counts=Counter(e.kind for e in events if not e.derived))


def _watch_entry(guest) -> list[int]:
    """A hook on the program's entry that remembers the first cycle it ran (keeps any hook a
    mode put there)."""
    program, cpu = guest.program, guest.machine.cpu
    entry = next((program.symbols[n] for n in ENTRY_LABELS if n in program.labels), None)
    seen: list[int] = []
    if entry is None:
        return seen
    previous = cpu.sites.get(entry)

    def hook(machine_cpu) -> bool:
        if not seen:
            seen.append(machine_cpu.cycles)
        return previous(machine_cpu) if previous is not None else False

    cpu.sites[entry] = hook
    return seen
