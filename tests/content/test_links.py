"""Every shipped quiz question has a home: some level lists it in `quizzes:`, and every id a level
lists is a question that exists (many questions were once unlocked by no level at all)."""

from __future__ import annotations

from pathlib import Path

import pytest

from virtquest.content.level_loader import load_levels
from virtquest.content.levels import DEFAULT_LEVEL_DIR
from virtquest.content.quizzes import DEFAULT_QUIZ_DIR, load_quiz_bank
from virtquest.content.yamlload import load_yaml

MOST_LINKS = 8      # a level unlocks a handful of questions, not a topic's worth


@pytest.fixture(scope="module")
def bank():
    bank = load_quiz_bank(DEFAULT_QUIZ_DIR)
    assert [str(error) for error in bank.errors] == []
    return bank


@pytest.fixture(scope="module")
def links() -> dict[str, list[str]]:
    """Level file name → the ids its `quizzes:` lists, read from the files themselves (so an
    unknown id is caught even when the loader turns the level away for it)."""
    found = {}
    for path in sorted(Path(DEFAULT_LEVEL_DIR).glob("*.yaml")):
        data, _lines = load_yaml(path)
        found[path.name] = list(data.get("quizzes") or [])
    assert found, f"no level files in {DEFAULT_LEVEL_DIR}"
    return found


def test_every_question_is_unlocked_by_some_level(bank, links):
    linked = {question_id for ids in links.values() for question_id in ids}
    homeless = [question.id for question in bank.questions if question.id not in linked]
    assert homeless == [], (f"{len(homeless)} question(s) no level lists in its quizzes: "
                            f"{', '.join(homeless)}")


def test_every_linked_id_is_a_question(bank, links):
    unknown = [f"{name}: {question_id}" for name, ids in links.items() for question_id in ids
               if bank.get(question_id) is None]
    assert unknown == [], "levels link questions that do not exist:\n" + "\n".join(unknown)


def test_a_level_links_a_question_once_and_not_too_many(links):
    wrong = [f"{name}: {len(ids)} links" for name, ids in links.items()
             if not 1 <= len(ids) <= MOST_LINKS]
    wrong += [f"{name}: {question_id} twice" for name, ids in links.items()
              for question_id in set(ids) if ids.count(question_id) > 1]
    assert wrong == []


def test_the_loaded_levels_agree_with_the_files(bank, links):
    levels = load_levels(DEFAULT_LEVEL_DIR, bank=bank)
    assert [str(error) for error in levels.errors] == []
    assert sorted(q for level in levels.levels for q in level.quizzes) == \
        sorted(q for ids in links.values() for q in ids)
