"""Grading every kind of question, seeded shuffling, and quiz sessions."""

import pytest
from pydantic import TypeAdapter

from virtquest.content.quizzes import Question, load_quiz_bank
from virtquest.game.quiz import (
    AnswerError,
    QuizError,
    expected_answer,
    grade,
    present,
    start_session,
)

ADAPTER = TypeAdapter(Question)
COMMON = {
    "topic": "trap-emulate", "concept": "trap-cost",
    "text": {"ko": "질문이다.", "en": "A question."},
    "explanation": {"ko": "해설이다.", "en": "An explanation."},
}


def make(kind: str, **fields) -> Question:
    return ADAPTER.validate_python({"id": f"test.{kind}", "kind": kind, **COMMON, **fields})


SINGLE = make("single", choices={"a": "A", "b": "B", "c": "C"}, answer="b")
MULTIPLE = make("multiple", choices={"a": "A", "b": "B", "c": "C", "d": "D"}, answer=["a", "c"])
TRUE_FALSE = make("true-false", answer=False)
ORDERING = make("ordering", steps=["trap", "VM exit", "emulate", "VM entry"])
MATCHING = make("matching", left={"esxi": "ESXi", "hyperv": "Hyper-V", "xen": "Xen"},
                right={"full": "full", "para": "para", "bt": "BT only"},
                answer={"esxi": "full", "hyperv": "full", "xen": "para"})
CLASSIFY = make("classify", categories={"priv": "privileged", "sens": "sensitive"},
                items={"cli": "cli", "popf": "popf", "sidt": "sidt", "lidt": "lidt"},
                answer={"cli": "priv", "popf": "sens", "sidt": "sens", "lidt": "priv"})
ALL = (SINGLE, MULTIPLE, TRUE_FALSE, ORDERING, MATCHING, CLASSIFY)


# --- each kind -----------------------------------------------------------------------------------


def test_single_choice():
    assert grade(SINGLE, "b").correct and grade(SINGLE, "b").partial == 1.0
    wrong = grade(SINGLE, "a")
    assert not wrong.correct and wrong.partial == 0.0 and wrong.expected == "b"
    with pytest.raises(AnswerError, match="unknown choice 'z'"):
        grade(SINGLE, "z")


def test_multiple_choice_gives_partial_credit_and_punishes_guessing():
    assert grade(MULTIPLE, ["c", "a"]).correct
    half = grade(MULTIPLE, ["a"])
    assert not half.correct and half.partial == 0.5
    assert grade(MULTIPLE, ["a", "b"]).partial == 0.0  # one right, one wrong
    assert grade(MULTIPLE, ["a", "b", "c", "d"]).partial == 0.0  # ticking every box earns nothing
    assert grade(MULTIPLE, []).partial == 0.0
    with pytest.raises(AnswerError):
        grade(MULTIPLE, "a")


def test_true_false():
    assert grade(TRUE_FALSE, False).correct
    assert not grade(TRUE_FALSE, True).correct
    with pytest.raises(AnswerError):
        grade(TRUE_FALSE, "false")


def test_ordering_credits_pairs_in_order():
    assert grade(ORDERING, [0, 1, 2, 3]).correct
    swapped = grade(ORDERING, [1, 0, 2, 3])
    assert not swapped.correct and 0.8 < swapped.partial < 1.0
    assert grade(ORDERING, [3, 2, 1, 0]).partial == 0.0
    for bad in ([0, 1, 2], [0, 0, 1, 2], "0123", [0, 1, 2, 9]):
        with pytest.raises(AnswerError):
            grade(ORDERING, bad)


@pytest.mark.parametrize("question", [MATCHING, CLASSIFY], ids=["matching", "classify"])
def test_assignments_count_each_right_pair(question):
    right = dict(question.answer)
    assert grade(question, right).correct
    first = next(iter(right))
    other = next(k for k in _targets(question) if k != right[first])
    one_off = grade(question, {**right, first: other})
    assert not one_off.correct
    assert one_off.partial == pytest.approx((len(right) - 1) / len(right), abs=1e-4)
    missing = grade(question, {first: right[first]})
    assert missing.partial == pytest.approx(1 / len(right), abs=1e-4)
    with pytest.raises(AnswerError, match="unknown entry"):
        grade(question, {**right, "nope": right[first]})
    with pytest.raises(AnswerError, match="unknown match"):
        grade(question, {first: "nope"})


def _targets(question):
    return question.right if question.kind == "matching" else question.categories


def test_matching_lets_one_right_entry_serve_several_left_entries():
    assert grade(MATCHING, {"esxi": "full", "hyperv": "full", "xen": "para"}).correct


@pytest.mark.parametrize("question", ALL, ids=lambda q: q.kind)
def test_expected_answer_grades_as_correct(question):
    assert grade(question, expected_answer(question)).correct


def test_every_shipped_question_accepts_its_own_answer_and_rejects_a_wrong_one():
    for question in load_quiz_bank().questions:
        assert grade(question, expected_answer(question)).correct, question.id
        assert not grade(question, _a_wrong_answer(question)).correct, question.id


def _a_wrong_answer(question):
    if question.kind == "single":
        return next(k for k in question.choices if k != question.answer)
    if question.kind == "multiple":
        return [k for k in question.choices if k not in question.answer][:1]
    if question.kind == "true-false":
        return not question.answer
    if question.kind == "ordering":
        return list(reversed(range(len(question.steps))))
    targets = list(_targets(question))
    return {k: targets[(targets.index(v) + 1) % len(targets)] for k, v in question.answer.items()}


# --- shuffling -----------------------------------------------------------------------------------


@pytest.mark.parametrize("question", ALL, ids=lambda q: q.kind)
def test_presentation_is_deterministic_per_seed(question):
    assert present(question, 42) == present(question, 42)


def test_presentation_shuffles_but_keeps_every_option():
    orders = {tuple(o.key for o in present(MULTIPLE, seed).options) for seed in range(30)}
    assert len(orders) > 1
    assert all(sorted(order) == ["a", "b", "c", "d"] for order in orders)


def test_an_ordering_is_never_shown_already_solved():
    for seed in range(50):
        shown = [option.key for option in present(ORDERING, seed).options]
        assert shown != [0, 1, 2, 3] and sorted(shown) == [0, 1, 2, 3]


def test_classify_keeps_categories_in_written_order():
    shown = present(CLASSIFY, 3)
    assert [t.key for t in shown.targets] == ["priv", "sens"]
    assert sorted(o.key for o in shown.options) == sorted(CLASSIFY.items)


def test_grading_does_not_depend_on_the_shuffle():
    for seed in range(10):
        shown = present(ORDERING, seed)
        assert shown.grade([0, 1, 2, 3]).correct


# --- sessions ------------------------------------------------------------------------------------


def test_session_picks_n_questions_of_a_topic_reproducibly():
    bank = load_quiz_bank()
    first = start_session(bank.questions, count=5, topic="memory", seed=11)
    again = start_session(bank.questions, count=5, topic="memory", seed=11)
    ids = [p.question.id for p in first.presentations]
    assert ids == [p.question.id for p in again.presentations]
    assert len(set(ids)) == 5 and all(p.question.topic == "memory" for p in first.presentations)
    other = start_session(bank.questions, count=5, topic="memory", seed=12)
    assert ids != [p.question.id for p in other.presentations]


def test_session_never_asks_more_than_it_has():
    session = start_session(ALL, count=50, seed=1)
    assert len(session.presentations) == len(ALL)


def test_session_scores_answers_as_they_come():
    session = start_session(ALL, count=len(ALL), seed=5)
    results = []
    while session.current is not None:
        question = session.current.question
        answer = expected_answer(question) if question.kind != "ordering" else [1, 0, 2, 3]
        results.append(session.submit(answer))
    score = session.score()
    assert session.finished and score.total == score.answered == len(ALL)
    assert score.correct == len(ALL) - 1
    assert len(ALL) - 1 < score.points < len(ALL)
    with pytest.raises(QuizError, match="over"):
        session.submit("a")


def test_session_errors_are_clear():
    with pytest.raises(QuizError, match="no questions for topic 'papers'"):
        start_session(ALL, topic="papers")
    with pytest.raises(QuizError, match="at least one"):
        start_session(ALL, count=0)


def test_a_session_without_seed_still_records_one_to_replay():
    session = start_session(ALL, count=3)
    replay = start_session(ALL, count=3, seed=session.seed)
    assert session.presentations == replay.presentations


def test_a_new_session_does_not_open_with_the_questions_just_answered():
    ids = [q.id for q in ALL]
    for seed in range(40):
        # Enough others: the ones just answered are left out altogether.
        session = start_session(ALL, count=3, seed=seed, recent=ids[:3])
        assert {p.question.id for p in session.presentations} == set(ids[3:])
        # Every question asked again: the one answered last is never first, and the ones
        # answered longest ago are kept when some must go.
        session = start_session(ALL, count=len(ALL), seed=seed, recent=[ids[0]])
        assert session.presentations[0].question.id != ids[0]
        assert len(session.presentations) == len(ALL)
        session = start_session(ALL, count=2, seed=seed, recent=list(reversed(ids)))
        assert [p.question.id for p in session.presentations][0] == ids[0]
        assert {p.question.id for p in session.presentations} == set(ids[:2])


def test_recent_questions_keep_a_session_reproducible():
    recent = [ALL[0].id]
    first = start_session(ALL, count=4, seed=3, recent=recent)
    assert first.presentations == start_session(ALL, count=4, seed=3, recent=recent).presentations
