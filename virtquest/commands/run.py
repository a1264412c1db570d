"""`virtquest run FILE.s [--mode MODE|all] [--profile P] [-D NAME=VALUE]… [--json]`, or
`virtquest run LEVEL_ID [--assign FILE.json] [--json]`: a level under its own modes and choices.
A program that is not a file in the current folder may be one of the shipped examples, by name."""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from virtquest.commands.common import (
    add_json_option,
    add_profile_option,
    parse_defines,
    print_json,
)
from virtquest.emu.errors import VirtQuestError


class AssignmentFileError(VirtQuestError):
    pass


def register(sub) -> None:
    p = sub.add_parser("run", help="run a guest program under one or all modes",
                       description="Assemble FILE.s, boot it (bare metal or on the mini-OS) and "
                                   "run it; report cycles, verdicts and where the cycles went.")
    p.add_argument("program", metavar="FILE.s|LEVEL_ID",
                   help="a VQ32 assembly program (a shipped example by its name, e.g. "
                        "hello.s), or a level id (see `virtquest levels`)")
    p.add_argument("--assign", metavar="FILE.json",
                   help="with a level: the choices, {\"SLOT\": \"cpu\"|\"hypervisor\"|"
                        "\"guest\"}; slots not named take the level's default")
    p.add_argument("--mode", default="native", metavar="MODE|all",
                   help="native (default), trap-emulate, binary-translation, paravirt, "
                        "hardware-assist, or all")
    add_profile_option(p)
    p.add_argument("-D", dest="defines", action="append", metavar="NAME=VALUE",
                   help="override a symbol's .equ default (repeatable)")
    p.add_argument("--budget", type=_budget, default=None, metavar="CYCLES",
                   help="stop a run after this many cycles (default 50,000,000; at most 10^12)")
    add_json_option(p)
    p.set_defaults(handler=handle)


def _budget(text: str) -> int:
    """--budget: a whole number of cycles, 1 to 10^12 (argparse turns the error into one line)."""
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number of cycles") from None
    if not 1 <= value <= 10**12:
        raise argparse.ArgumentTypeError(f"{value:,} cycles: a budget is 1 to 10^12 cycles")
    return value


def handle(args) -> int:
    if _is_level(args.program):
        return run_level(args)
    if args.assign:
        raise AssignmentFileError("--assign needs a level id, not a program file")
    from virtquest.content.profiles import load_profile
    from virtquest.emu.machine import DEFAULT_BUDGET
    from virtquest.emu.source import read_source
    from virtquest.hv.registry import mode_class, mode_ids
    from virtquest.hv.runner import run_modes

    profile = load_profile(args.profile)
    defines = parse_defines(args.defines)
    modes = mode_ids() if args.mode == "all" else [mode_class(args.mode).id]
    source = read_source(program_path(args.program))
    budget = args.budget or DEFAULT_BUDGET
    runs = run_modes(source, modes, file=args.program, profile=profile, defines=defines,
                     budget=budget)
    if args.json:
        print_json({"program": args.program, "profile": profile.name,
                    "runs": [run.to_json() for run in runs]})
    else:
        print(summary(args.program, profile.name, runs))
    return 0 if all(run.result.finished for run in runs) else 1


def summary(program: str, profile: str, runs) -> str:
    lines = [f"{program} — profile {profile}", ""]
    first = runs[0].result
    if first.console:
        lines += ["console:", *("  " + line for line in first.console.splitlines()), ""]
    lines.append(f"{'mode':<20}{'cycles':>14}{'instructions':>14}{'overhead':>10}"
                 f"{'equivalent':>12}{'contained':>11}{'exit':>7}")
    for run in runs:
        r = run.result
        lines.append(f"{run.mode:<20}{r.cycles:>14,}{r.instructions:>14,}{run.overhead:>9.2f}x"
                     f"{_mark(run.equivalent):>12}{_mark(run.contained):>11}"
                     f"{'' if r.exit_code is None else r.exit_code:>7}")
    lines.append("")
    for run in runs:
        parts = ", ".join(f"{k} {v:,}" for k, v in run.result.breakdown.items() if v)
        lines.append(f"{run.mode}: {parts}")
        if not run.result.finished:
            lines.append(f"  stopped: {run.result.message}")
        holes = Counter((d["eip"], str(d["how"])) for d in run.divergences)
        for (eip, how), times in list(holes.items())[:3]:
            again = f" (×{times})" if times > 1 else ""
            lines.append(f"  x86 hole at {eip:#x}{again}: {how}")
        for v in run.violations[:3]:
            lines.append(f"  not contained: {v}")
        for r in run.refusals[:3]:
            lines.append(f"  refused by the hypervisor: {r}")
        if run.host is not None:
            lines += host_summary(run.host)
    return "\n".join(lines)


def host_summary(host: dict) -> list[str]:
    """The host's part of a run of several guests (or a migration), a few lines."""
    frames, work = host["frames"], host["work"]
    total = "as many as needed" if frames["total"] is None else frames["total"]
    lines = [f"  host: {len(host['guests'])} guest(s), frames {total}, in use {frames['used']}, "
             f"peak {frames['peak']}; reclaim {host['reclaim']}, sharing "
             f"{'on' if host['sharing'] else 'off'}"]
    counts = [f"{name.replace('_', ' ')} {work[key]}" for key, name in (
        ("swap_outs", "swapped out"), ("swap_ins", "swapped in"), ("ballooned", "ballooned"),
        ("shares", "shared"), ("cow_faults", "copy-on-write faults"),
        ("world_switches", "world switches")) if work.get(key)]
    if counts:
        lines.append("  " + ", ".join(counts))
    for guest in host["guests"]:
        pages = ", ".join(f"{k} {v}" for k, v in guest["pages"].items() if v)
        lines.append(f"  guest {guest['index']}: {guest['stop']}, "
                     f"{'same as native' if guest['equivalent'] else 'NOT as native'}; {pages}")
    migration = host.get("migration")
    if migration:
        rounds = ", ".join(str(r["pages"]) for r in migration["rounds"]) or "none"
        lines.append(f"  migration: pre-copy rounds (pages) {rounds}; sent {migration['pages_sent']} "
                     f"pages; total {migration['total']:,} cycles, downtime "
                     f"{migration['downtime']:,} cycles"
                     f"{'' if migration['converged'] else ' (did not converge)'}")
    return lines


def _mark(ok: bool) -> str:
    return "yes" if ok else "NO"


def program_path(name: str) -> str:
    """A program file as given, or else a shipped example of that name (`virtquest run hello.s`
    works from any folder); a missing file names the examples there are."""
    from virtquest.emu.resources import PROGRAMS
    from virtquest.emu.source import SourceError

    path = Path(name)
    if path.exists():
        return name
    shipped = PROGRAMS / "examples" / path.name
    if path.parent == Path(".") and shipped.is_file():
        return str(shipped)
    examples = ", ".join(sorted(p.name for p in (PROGRAMS / "examples").glob("*.s")))
    raise SourceError(f"{name}: no such file (shipped examples, runnable by name: {examples})")


def _is_level(name: str) -> bool:
    return not name.endswith(".s") and not Path(name).exists()


MAX_ASSIGNMENT_BYTES = 1 << 20
ASSIGNMENT_SHAPE = 'a JSON object like {"SLOT": "cpu"}'


def read_assignment(path: str | None) -> dict[str, str]:
    if path is None:
        return {}
    file = Path(path)
    try:
        if file.is_dir():
            raise IsADirectoryError
        with file.open("rb") as stream:
            raw = stream.read(MAX_ASSIGNMENT_BYTES + 1)
    except FileNotFoundError:
        raise AssignmentFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise AssignmentFileError(f"{path}: is a directory, not an assignment file "
                                  f"({ASSIGNMENT_SHAPE})") from None
    except OSError as exc:
        raise AssignmentFileError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if len(raw) > MAX_ASSIGNMENT_BYTES:
        raise AssignmentFileError(f"{path}: too large for an assignment file "
                                  f"(at most {MAX_ASSIGNMENT_BYTES:,} bytes)")
    if not raw.strip():
        raise AssignmentFileError(f"{path}: the file is empty; expected {ASSIGNMENT_SHAPE}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AssignmentFileError(f"{path}: not UTF-8 text (byte {exc.start}); expected "
                                  f"{ASSIGNMENT_SHAPE}") from None
    try:
        data = json.loads(text)
    except ValueError as exc:   # not JSON, or a number Python refuses to read
        raise AssignmentFileError(f"{path}: not a JSON document ({exc})") from None
    if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise AssignmentFileError(f"{path}: expected {ASSIGNMENT_SHAPE}")
    return data


def run_level(args) -> int:
    """A level under its own modes, hardware and the given choices; the level's verdict too."""
    from virtquest.commands.solve import find_level
    from virtquest.game.play import play

    level = find_level(args.program)
    result = play(level, read_assignment(args.assign))
    if args.json:
        print_json({"program": level.program_file, "profile": level.cost_profile().name,
                    "runs": [run.to_json() for run in result.runs],
                    "level": result.verdict_json()})
    else:
        print(summary(f"{level.id} ({level.program_file})", level.cost_profile().name,
                      result.runs))
        print(f"\nstars {result.stars}/3, overhead {result.overhead:.2f}x "
              f"(worst mode {result.assessment.worst.mode})")
        for outcome in result.slots:
            for note in outcome.notes:
                print(f"  {outcome.label} [{note.choice}] {note.mode}: {note.text['en']}")
    return 0
