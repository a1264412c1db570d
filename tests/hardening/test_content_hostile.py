"""Hostile content files beyond what tests/content already covers (docs/security.md): YAML tags that
try to build Python objects in a level file, alias bombs, enormous strings and numbers, a level
whose program never ends, cost profiles with absurd numbers. Each is a clear error naming file, line
and field, found quickly and in bounded memory; nothing in it runs; the other content still
loads."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from tests.content.test_levels import GOOD
from virtquest.cli import main
from virtquest.content.errors import ContentError
from virtquest.content.level_loader import load_levels
from virtquest.content.profiles import load_profile
from virtquest.content.quizzes import load_quiz_bank
from virtquest.content.yamlload import MAX_ALIASES
from virtquest.emu.errors import ProfileError
from virtquest.emu.resources import PROFILES, PROGRAMS

OTHER = GOOD.replace("ch1-test-level", "ch1-other").replace("order: 1", "order: 2")


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


BANK = load_quiz_bank()   # the shipped questions, which level files refer to


def load_with_a_good_one(tmp_path: Path, text: str, field: str | None = None,
                         memory: bool = False) -> tuple[ContentError, float, int | None]:
    """Load the hostile file beside a good one: the good one loads. Returns the hostile file's
    error (the first, or the one about `field`), the seconds the load took and, with `memory`,
    the peak bytes of a second load under tracemalloc (too slow to time the first one)."""
    bad, good = write(tmp_path, "bad.yaml", text), write(tmp_path, "good.yaml", OTHER)
    started = time.monotonic()
    levels = load_levels(paths=[bad, good], bank=BANK)
    seconds, peak = time.monotonic() - started, None
    if memory:
        tracemalloc.start()
        try:
            load_levels(paths=[bad], bank=BANK)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert levels.ids() == ["ch1-other"], "a hostile file never stops the others"
    errors = [e for e in levels.errors if e.path == str(bad)]
    assert errors, levels.errors
    error = next((e for e in errors if e.field == field), errors[0])
    assert error.line is not None and str(error).startswith(f"{bad}:{error.line}: ")
    assert "\n" not in str(error) and len(str(error)) < 400, str(error)[:600]
    return error, seconds, peak


def line_with(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# --- YAML that tries to be code ----------------------------------------------------------------

CODE_TAGS = {
    "apply": "!!python/object/apply:os.system ['touch {marker}']",
    "new": "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
    "name": "!!python/name:os.system",
    "module": "!!python/module:os",
    "object": "!!python/object:pathlib.Path {{}}",
    "local tag": "!include {marker}",
}


@pytest.mark.parametrize("tag", CODE_TAGS)
def test_a_python_tag_in_a_level_is_refused_and_never_run(tmp_path, tag):
    marker = tmp_path / "ran"
    text = GOOD.replace("title: {ko: 시험 레벨, en: A test level}",
                        "title:\n  ko: 시험 레벨\n  en: " + CODE_TAGS[tag].format(marker=marker))
    error, _, _ = load_with_a_good_one(tmp_path, text)
    assert (error.line, error.field) == (line_with(text, "  en: !"), "title.en"), error
    assert "is not allowed: content files hold data, never code" in error.message
    assert not marker.exists()


# --- alias bombs ---------------------------------------------------------------------------------

def laughs(levels: int, width: int) -> str:
    rows = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    rows += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]"
             for i in range(1, levels + 1)]
    return "\n".join(rows)


BOMBS = {   # name: (rows added at the top of the level, a field that uses them)
    "billion laughs": (laughs(8, 9), "hints: *a8\n"),    # in a list the model iterates
    "wide laughs": (laughs(3, 30), ""),                  # few aliases, each expanding a lot
    "many aliases": ("x: &x 1\nmany: [" + ", ".join(["*x"] * (MAX_ALIASES + 5)) + "]", ""),
    "merge laughs": ("m0: &m0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n" + "\n".join(
        f"m{i}: &m{i}\n" + "".join(f"  k{j}: *m{i - 1}\n" for j in range(8))
        for i in range(1, 8)), "explain: {<<: *m7, ko: 설명, en: An explanation.}\n"),
}


@pytest.mark.parametrize("name", BOMBS)
def test_an_alias_bomb_in_a_level_is_refused_quickly_in_bounded_memory(tmp_path, name):
    rows, use = BOMBS[name]
    text = GOOD.replace("order: 1\n", "order: 1\n" + rows + "\n") + use
    error, seconds, peak = load_with_a_good_one(tmp_path, text, memory=True)
    assert "refused" in error.message and error.field, error
    assert seconds < 5 and peak < 64 << 20, (seconds, peak)


# --- enormous values -----------------------------------------------------------------------------

@pytest.mark.parametrize(("field", "old", "new"), [
    ("title.en", "en: A test level", "en: " + "x" * 900_000),
    ("brief.ko", "ko: 짧은 설명입니다.", "ko: " + "가" * 300_000),
    ("program", "program: |", "program: " + "nop; " * 190_000 + "\nprogram_was: |"),
    ("order", "order: 1", "order: " + "9" * 5000),
    ("order", "order: 1", "order: 2024-02-30"),
    ("goal.stars[2]", "[2.0, 10.0, 1000.0]", "[2.0, 10.0, 1e999999]"),
])
def test_an_enormous_value_is_named_without_being_echoed(tmp_path, field, old, new):
    text = GOOD.replace(old, new, 1)
    assert len(text.encode()) < 1_000_000, "just under the file size limit"
    error, seconds, _ = load_with_a_good_one(tmp_path, text, field)
    assert error.field == field and error.line == line_with(text, new[:12]), error
    assert seconds < 5, seconds


# --- a level whose program never ends ------------------------------------------------------------

FOREVER = GOOD.replace("""  again:
  hot:
      add eax, ecx
      loop again
  print:
      out 0xE9, eax
      hlt""", """  hot:
      add eax, ecx
  print:
      out 0x80, eax          ; the slow legacy port: the budget is spent in a blink
      jmp hot""")


def test_a_level_that_never_ends_is_reported_by_the_check_not_hung_on(tmp_path, capsys):
    """`levels check --solve` runs every level: a program that never finishes is that level's
    problem (file, line, field), found within the cycle budget, and the next file is still
    checked — here one whose goal no assignment can reach."""
    forever = write(tmp_path, "forever.yaml", FOREVER)
    unreachable = write(tmp_path, "unreachable.yaml",
                        OTHER.replace("[2.0, 10.0, 1000.0]", "[1.0, 1.0, 1.0]"))
    started = time.monotonic()
    status = main(["levels", "check", str(forever), str(unreachable), "--solve"])
    assert time.monotonic() - started < 60
    out = capsys.readouterr().out
    assert status == 1
    [line] = [ln for ln in out.splitlines() if str(forever) in ln]
    assert line.startswith(f"{forever}:{line_with(FOREVER, 'program:')}: program: ")
    assert "does not finish" in line and "budget" in line
    assert any(ln.startswith(f"{unreachable}:") and "goal.stars" in ln
               for ln in out.splitlines()), out


# --- cost profiles -------------------------------------------------------------------------------

MODERN = (PROFILES / "modern.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("old", "new", "field"), [
    ("vm_exit: {cycles: 392", "vm_exit: {cycles: 1000000000000000000000000000000", "costs.vm_exit.cycles"),
    ("vm_exit: {cycles: 392", "vm_exit: {cycles: -392", "costs.vm_exit.cycles"),
    ("vm_exit: {cycles: 392", "vm_exit: {cycles: 1.0e308", "costs.vm_exit.cycles"),
    ("vm_exit: {cycles: 392", "vm_exit: {cycles: .nan", "costs.vm_exit.cycles"),
    ("vm_exit: {cycles: 392", "vm_exit: {cycles: true", "costs.vm_exit.cycles"),
    ("vm_exit: {cycles: 392", "vm_exit: {cycles: '392'", "costs.vm_exit.cycles"),
    ("vm_exit: {cycles: 392", "vm_exit: {cycles: " + "9" * 5000, "costs.vm_exit.cycles"),
    ("tlb_entries: 512", "tlb_entries: 1000000000", "hardware.tlb_entries"),
    ("tlb_entries: 512", "tlb_entries: 0", "hardware.tlb_entries"),
    ("schema_version: 1", "schema_version: 99999999999", "schema_version"),
    ("name: modern", "name: !!python/object/apply:os.getcwd []", "name"),
])
def test_a_profile_with_absurd_numbers_is_a_one_line_error_with_line_and_field(
        tmp_path, old, new, field):
    text = MODERN.replace(old, new, 1)
    assert text != MODERN
    path = write(tmp_path, "absurd.yaml", text)
    with pytest.raises(ProfileError) as caught:
        load_profile(str(path))
    message = str(caught.value)
    assert message.startswith(f"{path}:{line_with(text, new[:14])}: {field}: "), message
    assert "\n" not in message and len(message) < 300, message
    assert load_profile("modern").name == "modern", "the shipped profiles still load"


def test_a_profile_bomb_is_refused_quickly(tmp_path):
    text = MODERN.replace("hardware:", laughs(8, 9) + "\nhardware:", 1)
    path = write(tmp_path, "bomb.yaml", text)
    started = time.monotonic()
    with pytest.raises(ProfileError, match="refused"):
        load_profile(str(path))
    assert time.monotonic() - started < 5


def test_a_deeply_nested_profile_is_an_error_not_a_crash(tmp_path, capsys):
    path = write(tmp_path, "deep.yaml", MODERN + "deep: " + "[" * 5000 + "]" * 5000 + "\n")
    status = main(["run", str(PROGRAMS / "examples" / "hello.s"), "--profile", str(path)])
    err = capsys.readouterr().err
    assert status == 2 and err.startswith(f"virtquest: {path}:") and "deep" in err
    assert err.count("\n") == 1


# --- content is data, never code; nothing talks to the network -----------------------------------

NETWORK_MODULES = {"socket", "ssl", "http", "urllib", "ftplib", "smtplib", "requests", "httpx",
                   "aiohttp", "xmlrpc", "PySide6.QtNetwork", "PySide6.QtWebEngineCore"}
CODE_FROM_DATA = {"pickle", "marshal", "shelve", "dill"}
# compiled guest blocks (see blockgen.py) and the interpreter's handlers, made from the
# instruction table's own definitions (see codegen.py)
ALLOWED_EXEC = {("virtquest/emu/fastpath.py", "exec"), ("virtquest/emu/codegen.py", "exec")}


def test_no_module_evaluates_text_or_opens_the_network():
    """A static check of the whole package: no eval/exec (but the fast path's, built from
    numbers), no yaml.load/unsafe_load or pickle-like loaders, no network library."""
    import ast

    import virtquest

    root = Path(virtquest.__file__).parent
    problems = []
    for path in sorted(root.rglob("*.py")):
        where = path.relative_to(root.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                    [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
                for name in names:
                    if name.split(".")[0] in NETWORK_MODULES | CODE_FROM_DATA or \
                            name in NETWORK_MODULES:
                        problems.append(f"{where}:{node.lineno}: imports {name}")
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else \
                    func.attr if isinstance(func, ast.Attribute) else ""
                owner = func.value.id if isinstance(func, ast.Attribute) and \
                    isinstance(func.value, ast.Name) else ""
                if name in ("eval", "exec") and isinstance(func, ast.Name) and \
                        (where, name) not in ALLOWED_EXEC:
                    problems.append(f"{where}:{node.lineno}: calls {name}()")
                if owner == "yaml" and name in ("load", "unsafe_load", "full_load", "load_all"):
                    problems.append(f"{where}:{node.lineno}: calls yaml.{name}()")
    assert not problems, "\n".join(problems)
