"""The shipped quiz bank is complete and bilingual; broken quiz files are reported, never fatal."""

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from virtquest.content.errors import ContentError
from virtquest.content.quizzes import (
    DEFAULT_QUIZ_DIR,
    KINDS,
    MIN_PER_KIND,
    TOPICS,
    load_quiz_bank,
    quiz_json_schema,
)
from virtquest.content.yamlload import MAX_BYTES, load_yaml, parse_yaml

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def bank():
    return load_quiz_bank()


# --- the shipped bank ----------------------------------------------------------------------------


def test_every_shipped_question_loads(bank):
    assert [str(error) for error in bank.errors] == []
    assert len(bank) >= 100


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_has_enough_questions(bank, kind):
    assert sum(q.kind == kind for q in bank.questions) >= MIN_PER_KIND


@pytest.mark.parametrize("topic", sorted(TOPICS))
def test_every_topic_meets_the_blueprint(bank, topic):
    minimum = TOPICS[topic][2]
    assert len(bank.by_topic(topic)) >= minimum


def test_ids_are_unique_across_files():
    ids = [q["id"] for path in sorted(DEFAULT_QUIZ_DIR.glob("*.yaml"))
           for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_every_file_holds_only_its_own_topic():
    for path in sorted(DEFAULT_QUIZ_DIR.glob("*.yaml")):
        topics = {q["topic"] for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]}
        assert topics == {path.stem}, path.name


def test_text_and_explanation_in_both_languages(bank):
    for q in bank.questions:
        for prose in (q.text, q.explanation):
            assert HANGUL.search(prose.ko), q.id
            assert not HANGUL.search(prose.en), q.id
        # An explanation that teaches both why and why-not takes more than a sentence.
        assert len(q.explanation.en) >= 200 and len(q.explanation.ko) >= 100, q.id


def option_letter_pattern(letters: str) -> re.Pattern[str]:
    """Ways an explanation can name an option by its letter: "c는", "b처럼", "(c)", "b)",
    "option b", "choice c", "d is wrong", "b holds too"."""
    letter = f"[{letters}]"
    bare = rf"(?<![\w.'’/#-]){letter}"
    return re.compile(
        rf"{bare}\s*(?:는|은|가|이|처럼|와|과|의|를|을|도|만|\))"
        rf"|{bare}\s+(?:is|are|holds|describes|reverses)\b"
        rf"|\({letter}\)"
        rf"|(?i:\b(?:options?|choices?|보기|선택지)\s*\(?{letter}\b)")


def test_option_letter_pattern_catches_each_form():
    pattern = option_letter_pattern("abcdefg")
    for text in ("그래서 c는 틀리다", "b처럼 생각하기 쉽다", "쓰기 추적(b)이나", "b도 맞다", "a) 틀림",
                 "so d is wrong", "b holds too", "(choice b)", "Option c describes", "보기 b는"):
        assert pattern.search(text), text
    for text in ("e.g. ARM", "e1000 에뮬레이션", "cr3 쓰기", "a trap is natural", "the IF bit",
                 "ring 0에서", "x86의 popf는", "VMware Tools(vmxnet3)", "(#GP)"):
        assert not pattern.search(text), text


def test_explanations_name_options_by_content_not_by_letter(bank):
    # Choices are shuffled and numbered on screen, and matching targets are lettered in shuffled
    # order: a letter from the file names nothing the learner can see.
    keys = {key for q in bank.questions for key in getattr(q, "choices", {}) if len(key) == 1}
    targets = max((len(q.right) for q in bank.questions if q.kind == "matching"), default=0)
    letters = "".join(sorted(keys | set("abcdefghijklmnopqrstuvwxyz"[:targets])))
    pattern = option_letter_pattern(letters)
    found = [f"{q.id} ({language}): {match.group(0)!r}" for q in bank.questions
             for language in ("ko", "en")
             for match in pattern.finditer(getattr(q.explanation, language))]
    assert found == []


def test_no_two_questions_alike(bank):
    for language in ("ko", "en"):
        texts = [getattr(q.text, language) for q in bank.questions]
        assert [t for t, n in Counter(texts).items() if n > 1] == []


def test_answers_are_not_always_the_same_choice(bank):
    multiples = [q for q in bank.questions if q.kind == "multiple"]
    truths = Counter(q.answer for q in bank.questions if q.kind == "true-false")
    # Choices are shuffled when shown, but "always true" or "always three boxes" teaches guessing.
    assert min(truths.values()) >= 5 and len(truths) == 2
    assert len({len(q.answer) for q in multiples}) >= 3


def test_json_schema_describes_the_quiz_file():
    schema = quiz_json_schema()
    text = json.dumps(schema)
    assert schema["properties"]["schema_version"]
    for kind in KINDS:
        assert f'"{kind}"' in text
    for topic in TOPICS:
        assert f'"{topic}"' in text


def test_bank_looks_up_by_id_and_concept(bank):
    question = bank.questions[0]
    assert bank.get(question.id) is question
    assert question in bank.by_concept(question.concept)
    assert bank.get("no.such-question") is None


# --- broken files --------------------------------------------------------------------------------

GOOD = """\
schema_version: 1
questions:
  - id: extra.good
    kind: true-false
    topic: memory
    concept: shadow-page-table
    text:
      ko: 섀도 페이지 테이블은 하이퍼바이저가 만든다.
      en: The hypervisor builds the shadow page table.
    answer: true
    explanation:
      ko: 참이다. 게스트는 그 존재를 모른다.
      en: True. The guest does not know it exists.
"""
SECOND = """\
  - id: extra.second
    kind: single
    topic: memory
    concept: shadow-page-table
    text: {ko: 두 번째 질문이다., en: The second question.}
    choices:
      a: {ko: 가, en: A}
      b: {ko: 나, en: B}
    answer: b
    explanation: {ko: 해설이다., en: An explanation.}
"""


@pytest.fixture(scope="module")
def shipped_count(bank):
    return len(bank)


def _bank_with(tmp_path: Path, text: str | bytes, name: str = "extra.yaml"):
    directory = tmp_path / "quizzes"
    shutil.copytree(DEFAULT_QUIZ_DIR, directory)
    target = directory / name
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return load_quiz_bank(directory)


def _only_error(bank) -> ContentError:
    assert len(bank.errors) == 1, [str(e) for e in bank.errors]
    return bank.errors[0]


def test_a_valid_extra_file_loads(tmp_path, shipped_count):
    bank = _bank_with(tmp_path, GOOD + SECOND)
    assert bank.errors == () and len(bank) == shipped_count + 2


@pytest.mark.parametrize(("mutate", "line", "field", "message"), [
    pytest.param(lambda t: t.replace("    explanation:\n      ko: 참이다. 게스트는 그 존재를 모른다.\n"
                                     "      en: True. The guest does not know it exists.\n", ""),
                 3, "questions[0].explanation", "required field is missing", id="missing-field"),
    pytest.param(lambda t: t.replace("answer: true", "answer: maybe"),
                 10, "questions[0].answer", "valid boolean", id="wrong-type"),
    pytest.param(lambda t: t.replace("kind: true-false", "kind: essay"),
                 4, "questions[0].kind", "unknown value 'essay'; expected one of", id="unknown-kind"),
    pytest.param(lambda t: t.replace("topic: memory", "topic: cooking"),
                 5, "questions[0].topic", "expected one of", id="unknown-topic"),
    pytest.param(lambda t: t.replace("    answer: true\n", "    answer: true\n    hint: none\n"),
                 11, "questions[0].hint", "unknown field", id="unknown-field"),
    pytest.param(lambda t: t.replace("en: The hypervisor builds", "en: 하이퍼바이저가 builds"),
                 9, "questions[0].text.en", "holds Hangul", id="untranslated"),
    pytest.param(lambda t: t.replace("The hypervisor builds the shadow page table.", "x" * 5000),
                 9, "questions[0].text.en", "at most 3000 characters", id="enormous-string"),
    pytest.param(lambda t: t.replace("id: extra.good", "id: Extra Good!"),
                 3, "questions[0].id", "should match pattern", id="bad-id"),
])
def test_a_broken_question_names_file_line_and_field(tmp_path, shipped_count, mutate, line,
                                                     field, message):
    bank = _bank_with(tmp_path, mutate(GOOD) + SECOND)
    error = _only_error(bank)
    assert (Path(error.path).name, error.line, error.field) == ("extra.yaml", line, field)
    assert message in error.message
    assert str(error).startswith(f"{error.path}:{line}: {field}: ")
    # The rest still loads: every shipped question and the file's other question.
    assert len(bank) == shipped_count + 1 and bank.get("extra.second")


def test_an_answer_outside_the_choices_is_named(tmp_path, shipped_count):
    bank = _bank_with(tmp_path, GOOD + SECOND.replace("answer: b", "answer: z"))
    error = _only_error(bank)
    assert (error.line, error.field) == (22, "questions[1].answer")
    assert "expected one of a, b" in error.message
    assert len(bank) == shipped_count + 1


def test_matching_answer_must_cover_every_left_entry(tmp_path):
    matching = GOOD.replace("kind: true-false", "kind: matching").replace(
        "    answer: true\n",
        "    left: {x: X, y: Y}\n    right: {p: P, q: Q}\n    answer: {x: p}\n")
    error = _only_error(_bank_with(tmp_path, matching))
    assert (error.line, error.field) == (12, "questions[0].answer")
    assert "no answer for the left: y" in error.message


def test_a_duplicate_id_is_an_error_and_the_first_one_stays(tmp_path, bank, shipped_count):
    taken = bank.questions[0]
    duplicated = _bank_with(tmp_path, GOOD.replace("id: extra.good", f"id: {taken.id}"))
    error = _only_error(duplicated)
    assert (Path(error.path).name, error.line, error.field) == ("extra.yaml", 3, "questions[0].id")
    assert f"duplicate id {taken.id!r}" in error.message and ".yaml:" in error.message
    assert len(duplicated) == shipped_count and duplicated.get(taken.id).text == taken.text


def test_broken_yaml_gives_its_line_and_the_rest_loads(tmp_path, shipped_count):
    broken = GOOD.replace("      en: The hypervisor builds the shadow page table.",
                          "      en: [The hypervisor builds")
    bank = _bank_with(tmp_path, broken)
    error = _only_error(bank)
    assert Path(error.path).name == "extra.yaml"
    assert error.line in (9, 10) and error.field.startswith("questions[0]")
    assert "broken YAML" in error.message
    assert len(bank) == shipped_count


def test_an_alias_bomb_is_refused(tmp_path, shipped_count):
    rows = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    rows += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    bomb = "schema_version: 1\n" + "\n".join(rows) + "\nquestions: *a8\n"
    bank = _bank_with(tmp_path, bomb)
    error = _only_error(bank)
    assert Path(error.path).name == "extra.yaml" and error.line is not None
    assert "aliases" in error.message and error.field
    assert len(bank) == shipped_count


def test_a_python_object_tag_is_refused_and_never_run(tmp_path, shipped_count):
    marker = tmp_path / "ran"
    evil = GOOD.replace("    text:\n", f'    text: !!python/object/apply:os.system ["touch {marker}"]\n'
                                      "    was_text:\n")
    bank = _bank_with(tmp_path, evil)
    error = _only_error(bank)
    assert (error.line, error.field) == (7, "questions[0].text")
    assert "!!python/object/apply:os.system is not allowed" in error.message
    assert not marker.exists()
    assert len(bank) == shipped_count


@pytest.mark.parametrize(("content", "line", "message"), [
    pytest.param(GOOD.encode() + b"\0\0\0", 14, "binary data", id="nul-bytes"),
    pytest.param(GOOD.replace("모른다", "X").encode() + "\n# caf\u00e9\n".encode("latin-1"), 15,
                 "not UTF-8", id="not-utf8"),
    pytest.param(GOOD + "#" * MAX_BYTES, None, "larger than", id="too-big"),
    pytest.param("", 1, "", id="empty"),
    pytest.param("- just\n- a list\n", 1, "", id="not-a-mapping"),
    pytest.param("schema_version: 2\nquestions: []\n", 1, "expected 1", id="future-version"),
])
def test_a_broken_file_is_reported_and_others_load(tmp_path, shipped_count, content, line,
                                                    message):
    bank = _bank_with(tmp_path, content)
    error = _only_error(bank)
    assert Path(error.path).name == "extra.yaml"
    assert error.line == line and message in error.message
    assert len(bank) == shipped_count


def test_a_directory_named_like_a_quiz_file_is_reported(tmp_path, shipped_count):
    directory = tmp_path / "quizzes"
    shutil.copytree(DEFAULT_QUIZ_DIR, directory)
    (directory / "folder.yaml").mkdir()
    bank = load_quiz_bank(directory)
    assert "is a directory" in _only_error(bank).message
    assert len(bank) == shipped_count


def test_a_missing_directory_is_an_error_not_a_crash(tmp_path):
    bank = load_quiz_bank(tmp_path / "nowhere")
    assert len(bank) == 0 and "no such quiz directory" in _only_error(bank).message


# --- the YAML loader on its own --------------------------------------------------------------------


def test_line_map_points_at_keys_and_items():
    data, lines = parse_yaml(GOOD + SECOND)
    assert data["questions"][1]["answer"] == "b"
    assert lines[("questions", 0)] == 3
    assert lines[("questions", 0, "answer")] == 10
    assert lines[("questions", 1, "choices", "b")] == 21


def test_duplicate_keys_are_refused():
    with pytest.raises(ContentError) as caught:
        parse_yaml("a: 1\nb: 2\na: 3\n", "dup.yaml")
    assert (caught.value.line, caught.value.field) == (3, "a")
    assert "duplicate key (first on line 1)" in caught.value.message


def test_a_self_referencing_alias_is_refused():
    with pytest.raises(ContentError, match="refers to the value that contains it"):
        parse_yaml("a: &x [1, *x]\n", "loop.yaml")


def test_deep_nesting_is_refused():
    with pytest.raises(ContentError, match="levels deep"):
        parse_yaml("x: " + "[" * 200 + "]" * 200 + "\n", "deep.yaml")


def test_merge_keys_keep_the_mapping_own_values():
    data, lines = parse_yaml("base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n")
    assert data["thing"] == {"x": 1, "y": 3}
    assert lines[("thing", "y")] == 4


def test_missing_file_is_a_content_error(tmp_path):
    with pytest.raises(ContentError, match="no such file"):
        load_yaml(tmp_path / "absent.yaml")
