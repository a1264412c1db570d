"""The sandbox's model: any program, run under every mode side by side, within a cycle budget."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from virtquest.content.profiles import DEFAULT_PROFILE, load_profile, profile_names
from virtquest.emu.resources import PROGRAMS
from virtquest.emu.source import read_source
from virtquest.game.comments import shown_source
from virtquest.hv.mode import ModeRun
from virtquest.hv.registry import mode_ids
from virtquest.hv.runner import run_mode, run_modes

DEFAULT_BUDGET = 5_000_000        # cycles per mode: a runaway program stops within seconds
BUDGETS = (1_000_000, 5_000_000, 20_000_000, 50_000_000)
EXAMPLES = PROGRAMS / "examples"
LARGE_OVERHEAD = 3.0     # binary translation's ratio is explained from this many times native …
TRANSLATION_SHARE = 0.5  # … when translating took at least this share of its cycles

STARTER = """\
; A user program on the mini-OS: `main:` runs at CPL 3.
.equ SYS_WRITE, 3

main:
    mov eax, SYS_WRITE
    mov ebx, text
    mov ecx, text_end - text
    int 0x80                ; write(text, length)
    mov eax, 0
    ret

text: .ascii "Hello, hypervisor!\\n"
text_end:
"""
# The same program for a Korean-speaking learner (only the comments differ).
STARTER_KO = """\
; mini-OS 위의 사용자 프로그램: `main:`은 CPL 3에서 실행
.equ SYS_WRITE, 3

main:
    mov eax, SYS_WRITE
    mov ebx, text
    mov ecx, text_end - text
    int 0x80                ; 시스템 콜 write(text, 길이)
    mov eax, 0
    ret

text: .ascii "Hello, hypervisor!\\n"
text_end:
"""
STARTERS = {"ko": STARTER_KO, "en": STARTER}


def starter(language: str) -> str:
    """The sandbox's first program, commented in `language` (ko or en)."""
    return STARTERS.get(language, STARTER)


@dataclass
class SandboxReport:
    """Every mode's run of one program, judged against the native run."""

    runs: list[ModeRun]
    profile: str
    budget: int

    @property
    def native(self) -> ModeRun:
        return self.runs[0]

    def run(self, mode: str) -> ModeRun | None:
        return next((r for r in self.runs if r.mode == mode), None)


@dataclass(frozen=True)
class TranslationCost:
    """Why binary translation's ratio is large on this run, in the run's own numbers."""

    overhead: float
    share: float          # of the run's cycles spent translating (0…1)
    translated: int       # instructions translated (each once, the first time it ran)
    executed: int         # instructions the whole run executed


def translation_cost(report: SandboxReport) -> TranslationCost | None:
    """The numbers behind a large binary-translation ratio that translating dominates: a run
    too short to amortize translating its code. None when there is nothing to explain."""
    run = report.run("binary-translation")
    if run is None or run.overhead < LARGE_OVERHEAD or run.result.cycles <= 0:
        return None
    result = run.result
    share = result.breakdown.get("translation", 0) / result.cycles
    if share < TRANSLATION_SHARE:
        return None
    return TranslationCost(run.overhead, share, result.events.get("instructions_translated", 0),
                           result.instructions)


def run_everywhere(source: str, *, file: str = "<source>", profile: str = DEFAULT_PROFILE,
                   budget: int = DEFAULT_BUDGET, defines: dict[str, int] | None = None,
                   cancel: Callable[[], bool] | None = None) -> SandboxReport:
    """Native first (the reference), then every other mode; raises AssemblyError and friends."""
    cost = load_profile(profile)
    native, guest = run_mode(source, "native", file=file, profile=cost, defines=defines,
                             budget=budget, cancel=cancel)
    reference = ModeRun("native", native, 1.0, True, not guest.machine.violations,
                        violations=list(guest.machine.violations))
    others = [m for m in mode_ids() if m != "native"]
    if cancel is not None and cancel():
        return SandboxReport([reference], profile, budget)
    runs = run_modes(source, others, file=file, profile=cost, defines=defines, budget=budget,
                     cancel=cancel, native=native)
    return SandboxReport([reference, *runs], profile, budget)


@dataclass
class SandboxModel:
    """What the sandbox holds: the text, where it came from, the profile and the budget, and the
    last report. The view changes it through these methods only."""

    source: str = STARTER
    path: Path | None = None
    profile: str = DEFAULT_PROFILE
    budget: int = DEFAULT_BUDGET
    modified: bool = False
    report: SandboxReport | None = field(default=None, repr=False)
    example: Path | None = None      # the shipped example the text came from, if any

    @property
    def file(self) -> str:
        return self.path.name if self.path else "sandbox.s"

    def open(self, path: str | Path) -> None:
        """Read a .s file (SourceError when it cannot be a program)."""
        path = Path(path)
        self.source = read_source(path)
        self.path, self.modified, self.report, self.example = path, False, None, None

    def open_example(self, path: str | Path, language: str) -> None:
        """A shipped example, its comments in `language` only (the `;ko:` convention), to be
        saved as a new file (SourceError when it cannot be a program)."""
        path = Path(path)
        self.source = shown_source(read_source(path), language).text
        self.path, self.modified, self.report, self.example = None, False, None, path

    def save(self, path: str | Path | None = None) -> Path:
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("no file name to save to")
        target.write_text(self.source, encoding="utf-8")
        self.path, self.modified, self.example = target, False, None
        return target

    def edit(self, source: str) -> None:
        if source != self.source:
            self.source, self.modified = source, True

    def open_starter(self, language: str) -> None:
        """The starter program with its comments in `language`, as a new, unmodified text (the
        last report stays: the program is the same)."""
        self.source, self.path, self.modified = starter(language), None, False

    def is_untouched_starter(self) -> bool:
        """The text is a starter program, never edited or saved (its comments may follow the
        language)."""
        return self.path is None and self.source in STARTERS.values()

    def set_run_settings(self, profile: str, budget: int) -> None:
        """The cost profile and cycle budget the next run uses."""
        self.profile, self.budget = profile, budget

    def accept_report(self, report: SandboxReport) -> None:
        """What the last run under every mode reported."""
        self.report = report

    @staticmethod
    def profiles() -> list[str]:
        return profile_names()

    @staticmethod
    def examples() -> list[Path]:
        return sorted(EXAMPLES.glob("*.s"))
