"""`make translations`: update the Korean catalogue from the gui's tr() strings and compile it,
keeping the Korean of every string that only moved.

lupdate files a string under its class (its context). When code moves to another class — a view
split into parts — lupdate sees the string as new (unfinished, no Korean) and, with
-no-obsolete, drops the old entry with its translation. So this runs lupdate, gives each new
unfinished entry the translation its source text had before (in the same context, else in any
context where that text had exactly one translation), runs lupdate again so the file keeps its
own layout, and compiles the .qm with lrelease. What is still unfinished is listed: translate
those by hand (CONTRIBUTING.md, "Adding or changing a translation").

    .venv/bin/python scripts/translations.py
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TS = ROOT / "assets" / "translations" / "virtquest_ko.ts"
QM = TS.with_suffix(".qm")
BIN = Path(sys.executable).parent

Key = tuple[str, str | None]          # source text, disambiguating comment


def finished(path: Path) -> tuple[dict[tuple[str, str, str | None], str], dict[Key, set[str]]]:
    """The translations a catalogue has: by context and text, and every one a text has."""
    by_context: dict[tuple[str, str, str | None], str] = {}
    by_text: dict[Key, set[str]] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") or not (translation.text or ""):
                continue
            key = (message.findtext("source") or "", message.findtext("comment"))
            by_context[(name, *key)] = translation.text
            by_text.setdefault(key, set()).add(translation.text)
    return by_context, by_text


def lupdate() -> None:
    sources = sorted(str(p) for p in (ROOT / "virtquest" / "gui").glob("*.py"))
    subprocess.run([str(BIN / "pyside6-lupdate"), "-no-obsolete", *sources, "-ts", str(TS)],
                   check=True, cwd=ROOT)


def carry_over(by_context, by_text) -> list[str]:
    """Fill the unfinished entries whose text had a translation; the ones left, as lines."""
    tree = ET.parse(TS)
    left = []
    for context in tree.getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            if translation is None or translation.get("type") != "unfinished":
                continue
            key = (message.findtext("source") or "", message.findtext("comment"))
            known = by_context.get((name, *key))
            if known is None and len(by_text.get(key, ())) == 1:
                known = next(iter(by_text[key]))
            if known is None:
                left.append(f"{name}: {key[0]}")
                continue
            translation.text = known
            del translation.attrib["type"]
    tree.write(TS, encoding="utf-8", xml_declaration=True)
    return left


def main() -> int:
    before = finished(TS)
    lupdate()
    left = carry_over(*before)
    lupdate()                       # lupdate's own layout again (and nothing else changes)
    subprocess.run([str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(QM)], check=True,
                   cwd=ROOT)
    for line in left:
        print(f"to translate: {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
