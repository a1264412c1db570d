"""The progress database in states tests/progress does not cover (docs/security.md): truncated in
the middle of a page, a symlink or a special file where the database should be, a data folder that
is a file, a database from a newer VirtQuest met on the command line. Damage is kept aside and the
learner is told; anything that cannot be opened is one clear error; nothing hangs; nothing is
lost."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from virtquest.cli import main
from virtquest.progress.errors import ProgressError
from virtquest.progress.migrations import SCHEMA_VERSION
from virtquest.progress.paths import database_path
from virtquest.progress.store import open_store

BACKUP = re.compile(r"progress\.sqlite3\.corrupt-\d{8}-\d{6}(-\d+)?$")
PAGE = 4096


def make_progress(path: Path, answers: int = 300) -> None:
    with open_store(path) as store:
        pid = store.current_profile_id()
        for i in range(answers):
            store.record_quiz_answer(pid, f"q{i % 40}", i % 3 == 0, answer=f"answer {i}" * 5)


def backups(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if BACKUP.match(p.name))


def assert_told_and_fresh(path: Path) -> Path:
    """Opening warns once, names the backup, and starts a working, empty database."""
    with open_store() as store:
        [warning] = store.warnings
        [backup] = backups(path.parent)
        assert backup.name in warning and "damaged" in warning
        assert store.quiz_answers(store.current_profile_id()) == []
        store.add_xp(store.current_profile_id(), 1, "quiz_wrong")
    with open_store() as store:
        assert store.warnings == ()
    return backup


@pytest.mark.parametrize("cut", [
    pytest.param(lambda size: size - 1, id="one-byte-short"),
    pytest.param(lambda size: 2 * PAGE + 1000, id="mid-third-page"),
    pytest.param(lambda size: size - PAGE // 2, id="mid-last-page"),
    pytest.param(lambda size: 101, id="header-and-one-byte"),
])
def test_a_database_truncated_mid_page_is_kept_aside(cut):
    path = database_path()
    make_progress(path)
    whole = path.read_bytes()
    assert len(whole) % PAGE == 0 and len(whole) > 4 * PAGE
    damaged = whole[:cut(len(whole))]
    path.write_bytes(damaged)
    backup = assert_told_and_fresh(path)
    assert backup.read_bytes() == damaged, "the damaged file is kept, byte for byte"


# --- what sits at the database's path ------------------------------------------------------------

def test_a_symlink_to_a_healthy_database_elsewhere_is_used():
    path, elsewhere = database_path(), database_path().parent.parent / "synced" / "p.sqlite3"
    elsewhere.parent.mkdir(parents=True)
    make_progress(elsewhere, answers=3)
    path.parent.mkdir(parents=True)
    path.symlink_to(elsewhere)
    with open_store() as store:
        assert store.warnings == ()
        assert len(store.quiz_answers(store.current_profile_id())) == 3
    assert path.is_symlink() and not backups(path.parent)


def test_a_symlink_to_a_damaged_file_keeps_the_file_and_starts_afresh():
    path = database_path()
    path.parent.mkdir(parents=True)
    target = path.parent / "notes.txt"
    target.write_bytes(b"my lecture notes, not a database\n" * 20)
    path.symlink_to(target)
    backup = assert_told_and_fresh(path)
    assert backup.is_symlink() and backup.resolve() == target.resolve()
    assert target.read_bytes() == b"my lecture notes, not a database\n" * 20


@pytest.mark.parametrize("make", [
    pytest.param(lambda p: p.symlink_to(p.parent / "gone" / "x.sqlite3"), id="dangling-symlink"),
    pytest.param(lambda p: p.symlink_to(p), id="symlink-loop"),
    pytest.param(lambda p: (p.parent / "folder").mkdir() or p.symlink_to(p.parent / "folder"),
                 id="symlink-to-a-folder"),
])
def test_a_path_sqlite_cannot_open_is_one_clear_error_and_nothing_is_moved(make):
    path = database_path()
    path.parent.mkdir(parents=True)
    make(path)
    with pytest.raises(ProgressError) as refused:
        open_store()
    assert str(path) in str(refused.value) and "\n" not in str(refused.value)
    assert path.is_symlink() and not backups(path.parent)


def test_a_data_folder_that_is_a_file_is_one_clear_error(tmp_path, monkeypatch, capsys):
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    monkeypatch.setenv("VIRTQUEST_HOME", str(home))
    assert main(["progress", "export", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot create the progress folder" in err
    assert home.read_text() == "not a folder"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("special", ["fifo", "/dev/zero", "/dev/null"])
def test_a_pipe_or_device_at_the_path_is_an_error_not_a_hang(tmp_path, special):
    """Reading a pipe can block for ever: a real process, with a deadline, proves it does not."""
    path = database_path()
    path.parent.mkdir(parents=True)
    if special == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(special)
    done = subprocess.run([sys.executable, "-m", "virtquest", "progress", "export",
                           str(tmp_path / "out.json")], capture_output=True, text=True,
                          timeout=30, env=dict(os.environ), stdin=subprocess.DEVNULL)
    assert done.returncode == 2, done.stderr
    assert done.stderr.count("\n") == 1 and str(path) in done.stderr
    assert "Traceback" not in done.stderr
    assert not backups(path.parent), "a device is not a damaged database to move aside"


def test_a_newer_database_on_the_command_line_is_one_line_and_untouched(capsys):
    path = database_path()
    make_progress(path, answers=2)
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    assert main(["progress", "export", str(path.parent / "out.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "newer" in err
    assert path.read_bytes() == before and not backups(path.parent)
