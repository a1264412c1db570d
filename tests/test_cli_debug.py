"""`virtquest debug`: the code the emulator makes from the instruction table, for reading."""

from __future__ import annotations

import ast

import pytest

from virtquest.cli import main
from virtquest.emu import fastpath
from virtquest.emu.cache import Cache
from virtquest.emu.resources import PROGRAMS


def test_debug_handlers_shows_a_definition_and_the_code_made_from_it(capsys):
    assert main(["debug", "handlers", "adc r, [m]", "iret"]) == 0
    out, _ = capsys.readouterr()
    assert "#     t = a + b + (ef & CF)" in out and "def op_adc_r_m(cpu, i):" in out
    assert "cpu.interrupt_return()" in out
    ast.parse(out)                          # what it prints is Python (and comments)


def test_debug_handlers_of_an_unknown_form_is_one_clear_error(capsys):
    assert main(["debug", "handlers", "frobnicate"]) == 2
    _, err = capsys.readouterr()
    assert "no instruction form frobnicate" in err and err[-1] == "\n" and err.count("\n") == 1


def test_debug_blocks_shows_what_a_run_compiled(capsys, monkeypatch):
    _fresh_code_caches(monkeypatch)         # compile afresh in this process
    path = PROGRAMS / "bench" / "compute.s"
    assert main(["debug", "blocks", str(path), "-D", "N=300", "--limit", "3"]) == 0
    out, _ = capsys.readouterr()
    blocks = out.split("\n# <")[1:]
    assert len(blocks) == 3 and "pieces of code compiled" in out
    first = "# <" + blocks[0]
    assert "guest instructions" in first and "def block(cpu, R" in first
    ast.parse(first)


def test_blocks_are_written_to_a_folder_when_asked(tmp_path, monkeypatch):
    _fresh_code_caches(monkeypatch)
    monkeypatch.setenv("VIRTQUEST_DUMP_BLOCKS", str(tmp_path))
    path = PROGRAMS / "bench" / "compute.s"
    assert main(["run", str(path), "-D", "N=300", "--json"]) == 0
    written = sorted(tmp_path.glob("*.py"))
    assert written and all(ast.parse(p.read_text(encoding="utf-8")) for p in written)


@pytest.mark.parametrize("args", [["debug"], ["debug", "blocks"]])
def test_debug_without_what_to_show_is_a_usage_error(args, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2


def _fresh_code_caches(monkeypatch) -> None:
    monkeypatch.setattr(fastpath, "_CODE_CACHE", Cache(fastpath.CODE_CACHE_LIMIT))
    monkeypatch.setattr(fastpath, "_TEMPLATES", Cache(fastpath.CODE_CACHE_LIMIT))
