"""Pieces several commands share: JSON output, -D parsing, the profile option."""

from __future__ import annotations

import json
import sys

from virtquest.emu.asm import parse_define


def print_json(document) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def add_profile_option(parser) -> None:
    parser.add_argument("--profile", default="modern", metavar="NAME|FILE",
                        help="cost profile: modern (default), p4-2006, core2-2008, "
                             "nehalem-2009, or a profile file")


def add_json_option(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON document")


def parse_defines(items: list[str] | None) -> dict[str, int]:
    return dict(parse_define(item) for item in items or [])
