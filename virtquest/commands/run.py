"""`virtquest run FILE.s [--mode MODE|all] [--profile P] [-D NAME=VALUE]… [--json]`."""

from __future__ import annotations

from virtquest.commands.common import (
    add_json_option,
    add_profile_option,
    parse_defines,
    print_json,
)


def register(sub) -> None:
    p = sub.add_parser("run", help="run a guest program under one or all modes",
                       description="Assemble FILE.s, boot it (bare metal or on the mini-OS) and "
                                   "run it; report cycles, verdicts and where the cycles went.")
    p.add_argument("program", metavar="FILE.s", help="a VQ32 assembly program")
    p.add_argument("--mode", default="native", metavar="MODE|all",
                   help="native (default), trap-emulate, binary-translation, paravirt, "
                        "hardware-assist, or all")
    add_profile_option(p)
    p.add_argument("-D", dest="defines", action="append", metavar="NAME=VALUE",
                   help="override a symbol's .equ default (repeatable)")
    p.add_argument("--budget", type=int, default=None, metavar="CYCLES",
                   help="stop a run after this many cycles (default 50,000,000)")
    add_json_option(p)
    p.set_defaults(handler=handle)


def handle(args) -> int:
    from virtquest.content.profiles import load_profile
    from virtquest.emu.machine import DEFAULT_BUDGET
    from virtquest.emu.source import read_source
    from virtquest.hv.registry import get_mode, mode_ids
    from virtquest.hv.runner import run_modes

    profile = load_profile(args.profile)
    defines = parse_defines(args.defines)
    modes = mode_ids() if args.mode == "all" else [get_mode(args.mode).id]
    source = read_source(args.program)
    budget = args.budget if args.budget and args.budget > 0 else DEFAULT_BUDGET
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
    for run in runs:
        parts = ", ".join(f"{k} {v:,}" for k, v in run.result.breakdown.items() if v)
        lines.append(f"  {run.mode}: {parts}")
        if not run.result.finished:
            lines.append(f"  {run.mode}: {run.result.message}")
    return "\n".join(lines)


def _mark(ok: bool) -> str:
    return "yes" if ok else "NO"
