"""Custom content folders: an instructor's levels and quizzes load beside the built-in ones, a
level's program may live in its folder, and an id in two folders is an IdClashError naming both
files."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from virtquest.content.errors import ContentError, IdClashError
from virtquest.content.folders import (
    BUILTIN,
    ENV_VAR,
    ContentFolderError,
    content_folders,
    custom_folders,
    set_command_line_folders,
)
from virtquest.content.level_loader import load_level_folders, load_levels
from virtquest.content.levels import DEFAULT_LEVEL_DIR
from virtquest.content.quizzes import DEFAULT_QUIZ_DIR, load_quiz_bank
from virtquest.emu.errors import VirtQuestError
from virtquest.emu.resources import PROGRAMS

LEVEL_ID = "ch1-instructor-loop"
QUESTION_ID = "instructor.innocuous-direct"

QUESTION = f"""\
schema_version: 1
questions:
  - id: {QUESTION_ID}
    kind: true-false
    topic: trap-emulate
    concept: efficiency
    text:
      ko: 무해한 명령은 CPU가 게스트에서 직접 실행해도 결과가 같다.
      en: An innocuous instruction gives the same result when the CPU runs it for the guest.
    answer: true
    explanation:
      ko: 무해한 명령은 어느 링에서 실행해도 같은 결과를 내므로 직접 실행하는 것이 빠르다.
      en: An innocuous instruction behaves the same at any ring, so running it directly is fast.
"""


def level_text(level_id: str = LEVEL_ID, *, order: int = 10,
               program: str = "programs/loop.s", question: str | None = QUESTION_ID) -> str:
    """The shipped ch1-hot-loop level under another id and place, with its own program, and
    unlocking `question` too (unless None)."""
    text = (DEFAULT_LEVEL_DIR / "ch1-hot-loop.yaml").read_text(encoding="utf-8")
    for old, new in (("id: ch1-hot-loop\n", f"id: {level_id}\n"),
                     ("order: 1\n", f"order: {order}\n"),
                     ("program: programs/levels/ch1_hot_loop.s\n", f"program: {program}\n"),
                     ("\nquizzes:\n", f"\nquizzes:\n  - {question}\n" if question else None)):
        if new is None:
            continue
        assert text.count(old) == 1, f"ch1-hot-loop.yaml changed: no single {old!r}"
        text = text.replace(old, new)
    return text


def make_content_folder(root: Path, *, level: str | None = None,
                        question: str | None = QUESTION) -> Path:
    """A content folder: one level file (its program in programs/) and one quiz file."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "programs").mkdir(exist_ok=True)
    shutil.copy(PROGRAMS / "levels" / "ch1_hot_loop.s", root / "programs" / "loop.s")
    (root / "instructor-loop.yaml").write_text(level or level_text(), encoding="utf-8")
    if question is not None:
        (root / "quizzes").mkdir(exist_ok=True)
        (root / "quizzes" / "trap-emulate.yaml").write_text(question, encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def _no_configured_content(monkeypatch):
    """No content folder from the environment or an earlier command line."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    previous = set_command_line_folders([])
    yield
    set_command_line_folders(previous)


@pytest.fixture
def builtin_counts() -> tuple[int, int]:
    return len(load_levels(DEFAULT_LEVEL_DIR)), len(load_quiz_bank(DEFAULT_QUIZ_DIR))


def test_without_custom_folders_only_the_builtin_content_loads(builtin_counts):
    assert content_folders() == (BUILTIN,)
    assert (len(load_levels()), len(load_quiz_bank())) == builtin_counts


def test_a_folder_from_the_environment_adds_its_level_and_question(tmp_path, monkeypatch,
                                                                   builtin_counts):
    folder = make_content_folder(tmp_path / "course")
    monkeypatch.setenv(ENV_VAR, str(folder))
    bank = load_quiz_bank()
    levels = load_levels()
    assert not bank.errors and not levels.errors, [*bank.errors, *levels.errors]
    assert (len(levels), len(bank)) == (builtin_counts[0] + 1, builtin_counts[1] + 1)
    level = levels.get(LEVEL_ID)
    assert level is not None and bank.get(QUESTION_ID) is not None
    assert bank.file_of(QUESTION_ID) == folder / "quizzes" / "trap-emulate.yaml"
    # The chapter map's order: after the shipped levels of chapter 1.
    chapter_one = [lv.id for lv in levels.levels if lv.chapter == 1]
    assert chapter_one[-1] == LEVEL_ID


def test_the_environment_variable_lists_several_folders(tmp_path, monkeypatch):
    first = make_content_folder(tmp_path / "a")
    second = tmp_path / "b"
    second.mkdir()
    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(first), "", str(second), str(first)]))
    assert [f.path for f in custom_folders()] == [first, second]   # empty and repeated: once


def test_command_line_folders_come_before_the_environment(tmp_path, monkeypatch):
    first, second = tmp_path / "cli", tmp_path / "env"
    first.mkdir()
    second.mkdir()
    monkeypatch.setenv(ENV_VAR, str(second))
    set_command_line_folders([first])
    assert [f.path for f in content_folders()] == [BUILTIN.path, first, second]


def test_the_builtin_folder_named_again_counts_once(monkeypatch):
    monkeypatch.setenv(ENV_VAR, str(DEFAULT_LEVEL_DIR))
    assert content_folders() == (BUILTIN,)


@pytest.mark.parametrize("kind", ["missing", "file"])
def test_a_missing_or_non_folder_is_a_one_line_error(tmp_path, monkeypatch, kind):
    path = tmp_path / "course"
    if kind == "file":
        path.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(path))
    with pytest.raises(ContentFolderError) as caught:
        load_levels()
    message = str(caught.value)
    assert message.startswith(f"{ENV_VAR}: {path}: ") and "\n" not in message
    assert ("no such content folder" if kind == "missing" else "not a folder") in message
    assert caught.value.exit_status == 2


def test_a_program_is_found_in_the_level_files_folder(tmp_path):
    folder = make_content_folder(tmp_path / "course")
    level = load_level_folders([BUILTIN, *custom_folders_of(folder)]).get(LEVEL_ID)
    assert level is not None
    assert level.program_file == str(folder / "programs" / "loop.s")
    assert "loop" in level.source


def test_a_program_may_still_be_a_shipped_one(tmp_path):
    folder = make_content_folder(
        tmp_path / "course", level=level_text(program="programs/levels/ch1_hot_loop.s"))
    levels = load_level_folders([BUILTIN, *custom_folders_of(folder)])
    assert not levels.errors, levels.errors
    assert levels.get(LEVEL_ID).program_file == "assets/programs/levels/ch1_hot_loop.s"


def test_a_program_may_not_leave_the_folder(tmp_path):
    outside = tmp_path / "secret.s"
    shutil.copy(PROGRAMS / "levels" / "ch1_hot_loop.s", outside)
    folder = make_content_folder(tmp_path / "course", level=level_text(program="../secret.s"))
    levels = load_level_folders([BUILTIN, *custom_folders_of(folder)])
    assert levels.get(LEVEL_ID) is None
    (error,) = [e for e in levels.errors if e.path == str(folder / "instructor-loop.yaml")]
    assert error.field == "program" and "in the level file's folder or under assets/" in \
        error.message


def test_a_missing_program_names_both_places_looked(tmp_path):
    folder = make_content_folder(tmp_path / "course", level=level_text(program="programs/x.s"))
    levels = load_level_folders([BUILTIN, *custom_folders_of(folder)])
    (error,) = levels.errors
    assert error.field == "program" and f"no such program in {folder} nor under assets/" in \
        error.message


def test_a_folder_without_quizzes_is_fine(tmp_path, monkeypatch, builtin_counts):
    folder = make_content_folder(tmp_path / "course", question=None,
                                 level=level_text(question=None))
    monkeypatch.setenv(ENV_VAR, str(folder))
    assert len(load_quiz_bank()) == builtin_counts[1]
    assert LEVEL_ID in load_levels().ids()


def test_a_builtin_level_id_in_a_custom_folder_raises_naming_both_files(tmp_path, monkeypatch):
    folder = make_content_folder(tmp_path / "course", level=level_text("ch1-hot-loop"))
    monkeypatch.setenv(ENV_VAR, str(folder))
    with pytest.raises(IdClashError) as caught:
        load_levels()
    error = caught.value
    custom, builtin = folder / "instructor-loop.yaml", DEFAULT_LEVEL_DIR / "ch1-hot-loop.yaml"
    assert isinstance(error, ContentError) and isinstance(error, VirtQuestError)
    assert (error.path, error.line, error.field) == (str(custom), 2, "id")
    assert error.first == str(builtin)
    assert str(error).startswith(f"{custom}:2: id: level id 'ch1-hot-loop' is already used by "
                                 f"{builtin}:2 (built-in)")
    assert "\n" not in str(error)


def test_a_builtin_question_id_in_a_custom_folder_raises_naming_both_files(tmp_path,
                                                                           monkeypatch):
    folder = make_content_folder(tmp_path / "course",
                                 question=QUESTION.replace(QUESTION_ID, "trap.definition"))
    monkeypatch.setenv(ENV_VAR, str(folder))
    with pytest.raises(IdClashError) as caught:
        load_quiz_bank()
    message = str(caught.value)
    assert message.startswith(f"{folder / 'quizzes' / 'trap-emulate.yaml'}:3: questions[0].id: "
                              "question id 'trap.definition' is already used by "
                              f"{DEFAULT_QUIZ_DIR / 'trap-emulate.yaml'}:")
    assert "(built-in)" in message


def test_two_custom_folders_may_not_share_an_id(tmp_path, monkeypatch):
    first = make_content_folder(tmp_path / "a")
    second = make_content_folder(tmp_path / "b", level=level_text(order=11), question=None)
    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(first), str(second)]))
    with pytest.raises(IdClashError) as caught:
        load_levels()
    assert str(caught.value).startswith(
        f"{second / 'instructor-loop.yaml'}:2: id: level id {LEVEL_ID!r} is already used by "
        f"{first / 'instructor-loop.yaml'}:2;")


def test_the_clash_is_an_error_entry_when_loading_folder_by_folder(tmp_path):
    folder = make_content_folder(tmp_path / "course", level=level_text("ch1-hot-loop"))
    levels = load_level_folders([BUILTIN, *custom_folders_of(folder)])
    assert levels.get("ch1-hot-loop").path == str(DEFAULT_LEVEL_DIR / "ch1-hot-loop.yaml")
    assert [type(e) for e in levels.errors] == [IdClashError]


def test_a_place_taken_by_a_builtin_level_is_reported_not_raised(tmp_path, monkeypatch):
    folder = make_content_folder(tmp_path / "course", level=level_text(order=1))
    monkeypatch.setenv(ENV_VAR, str(folder))
    levels = load_levels()
    assert LEVEL_ID not in levels.ids()
    (error,) = levels.errors
    assert error.field == "order" and "chapter 1, order 1 is already used by " in error.message
    assert str(DEFAULT_LEVEL_DIR / "ch1-hot-loop.yaml") in error.message


def test_the_apps_content_includes_the_custom_folder(tmp_path, monkeypatch):
    pytest.importorskip("PySide6")
    from virtquest.gui.models import load_content

    folder = make_content_folder(tmp_path / "course")
    monkeypatch.setenv(ENV_VAR, str(folder))
    content = load_content()
    assert not content.errors
    assert LEVEL_ID in content.levels.ids() and content.bank.get(QUESTION_ID) is not None


def test_the_app_reports_a_clash_instead_of_failing(tmp_path, monkeypatch):
    pytest.importorskip("PySide6")
    from virtquest.gui.models import load_content

    folder = make_content_folder(tmp_path / "course",
                                 question=QUESTION.replace(QUESTION_ID, "trap.definition"))
    monkeypatch.setenv(ENV_VAR, str(folder))
    content = load_content()
    (error,) = content.errors
    assert "trap.definition" in error and str(folder) in error and str(DEFAULT_QUIZ_DIR) in error


def custom_folders_of(path: Path):
    from virtquest.content.folders import custom_folder

    return (custom_folder(path),)
