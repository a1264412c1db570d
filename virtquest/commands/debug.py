"""`virtquest debug blocks FILE.s|LEVEL_ID [--mode M] …` and `virtquest debug handlers [FORM…]`:
the Python the emulator makes from the instruction table — every block and region a run compiles,
or the interpreter's handler of a form — for reading (and debugging the fast path)."""

from __future__ import annotations

from virtquest.commands.common import add_profile_option, parse_defines
from virtquest.emu.errors import VirtQuestError


class UnknownForm(VirtQuestError):
    pass


def register(sub) -> None:
    p = sub.add_parser("debug", help="show the code the emulator makes from the instruction table",
                       description="Show the Python the emulator generates from the instruction "
                                   "definitions in virtquest/emu/isa.py: the compiled blocks of "
                                   "a run, or the interpreter's handler of an instruction form. "
                                   "(VIRTQUEST_DUMP_BLOCKS=DIR writes every compiled block of "
                                   "any run, the app's too, to files in DIR.)")
    what = p.add_subparsers(dest="what", metavar="blocks|handlers", required=True)
    blocks = what.add_parser("blocks", help="every block and region a run of a program compiles")
    blocks.add_argument("program", metavar="FILE.s", help="a VQ32 assembly program")
    blocks.add_argument("--mode", default="native", metavar="MODE",
                        help="the mode to run it under (default native)")
    add_profile_option(blocks)
    blocks.add_argument("-D", dest="defines", action="append", metavar="NAME=VALUE",
                        help="override a symbol's .equ default (repeatable)")
    blocks.add_argument("--limit", type=int, default=20, metavar="N",
                        help="show at most N pieces of code (default 20; 0 for all)")
    blocks.set_defaults(handler=handle_blocks)
    handlers = what.add_parser("handlers", help="the interpreter's handler of each form")
    handlers.add_argument("forms", nargs="*", metavar="FORM",
                          help='forms to show, as the ISA page writes them ("add r, imm", '
                               '"iret"); a mnemonic shows all its forms; none: every form')
    handlers.set_defaults(handler=handle_handlers)


def handle_blocks(args) -> int:
    from virtquest.content.profiles import load_profile
    from virtquest.emu import fastpath
    from virtquest.emu.source import read_source
    from virtquest.hv.runner import run_mode

    shown: list[str] = []

    def record(name, listing, source) -> None:
        shown.append(fastpath.dump_text(name, listing, source))

    fastpath.COMPILE_LISTENERS.append(record)
    try:
        result, _ = run_mode(read_source(args.program), args.mode, file=args.program,
                             profile=load_profile(args.profile),
                             defines=parse_defines(args.defines))
    finally:
        fastpath.COMPILE_LISTENERS.remove(record)
    limit = args.limit or len(shown)
    print(f"# {args.program} under {args.mode}: {result.instructions:,} instructions, "
          f"{len(shown)} pieces of code compiled (blocks run at least "
          f"{fastpath.HOT} times, regions {fastpath.REGION_HOT}); showing {min(limit, len(shown))}")
    for text in shown[:limit]:
        print()
        print(text, end="")
    return 0


def handle_handlers(args) -> int:
    from virtquest.emu import codegen
    from virtquest.emu.isa import ROWS

    rows = [row for row in ROWS if not args.forms or row.syntax in args.forms
            or row.mnemonic in args.forms]
    if not rows:
        raise UnknownForm(f"no instruction form {', '.join(args.forms)}: see docs/isa.md")
    for row in rows:
        print(f"# {row.syntax} — definition:")
        print("".join(f"#     {line}\n" for line in row.definition.splitlines()), end="")
        print(codegen.step_source(row))
    return 0
