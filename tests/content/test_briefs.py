"""A level's brief that quotes a number quotes its program: the loop count a student reads is the
one the guest runs (a brief once said "1 to 100" over a program that summed to 300)."""

from __future__ import annotations

import re

import yaml

from virtquest.emu.resources import ASSETS, LEVELS

EQU = re.compile(r"^\s*\.equ\s+\w+\s*,\s*(0x[0-9a-fA-F]+|\d+)\s*(?:;.*)?$", re.M)
# A whole number in running text (Korean particles may follow it: 300까지), not part of a name
# (ch3, x86), a version (2.1) or a hexadecimal address.
NUMBER = re.compile(r"(?<![0-9A-Za-z.,])\d{1,3}(?:,\d{3})+(?![0-9])|(?<![0-9A-Za-z.,])\d+(?![0-9.])")


def _quoted_numbers(text: str) -> list[int]:
    numbers = [int(n.replace(",", "")) for n in NUMBER.findall(text)]
    # Small counts ("1 hypercall", "4 exits") and years of papers are prose, not program values.
    return [n for n in numbers if n >= 10 and not 1960 <= n <= 2030]


def test_numbers_in_briefs_are_the_programs_values():
    wrong = []
    for path in sorted(LEVELS.glob("*.yaml")):
        level = yaml.safe_load(path.read_text(encoding="utf-8"))
        program = (ASSETS / level["program"]).read_text(encoding="utf-8")
        values = {int(v, 0) for v in EQU.findall(program)}
        values |= set((level.get("defines") or {}).values())
        values |= set(_host_numbers(level))
        for language, brief in level["brief"].items():
            wrong += [f"{path.name} ({language}): {n} is not a value of {level['program']}"
                      for n in _quoted_numbers(brief) if n not in values]
    assert wrong == []


def _host_numbers(level: dict) -> list[int]:
    """A level with a host may quote its host's numbers (frames, link bandwidth) and its goal's
    downtime bound."""
    host = level.get("host") or {}
    numbers = [v for v in host.values() if isinstance(v, int)]
    numbers += [v for v in (host.get("migration") or {}).values() if isinstance(v, int)]
    downtime = (level.get("goal") or {}).get("max_downtime")
    return numbers + ([downtime] if downtime else [])


def test_the_check_finds_a_number_in_korean_running_text():
    assert _quoted_numbers("게스트 커널이 1부터 100까지 더한 뒤 2006년 논문처럼 1,500번") == [100, 1500]
