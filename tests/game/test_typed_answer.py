"""Typed answers: what a learner types at the terminal, read in the question's own terms, and
input that is no answer explained in both languages."""

from __future__ import annotations

import string

import pytest

from virtquest.content.quizzes import load_quiz_bank
from virtquest.game.quiz import grade, present
from virtquest.game.typed_answer import LETTERS, PROBLEMS, InputError, parse_answer

BANK = load_quiz_bank()


def shown(kind: str):
    question = next(q for q in BANK.questions if q.kind == kind)
    return present(question, seed=3)


def test_numbers_and_letters_name_what_was_shown():
    single = shown("single")
    right = next(i for i, o in enumerate(single.options, 1) if o.key == single.question.answer)
    assert grade(single.question, parse_answer(single, f" {right} ")).correct
    matching = shown("matching")
    number = {o.key: i for i, o in enumerate(matching.options, 1)}
    letter = {o.key: LETTERS[i] for i, o in enumerate(matching.targets)}
    typed = ", ".join(f"{number[s]}-{letter[t]}" for s, t in matching.question.answer.items())
    assert parse_answer(matching, typed) == dict(matching.question.answer)
    assert parse_answer(shown("true-false"), "참") is True
    assert parse_answer(shown("true-false"), "X") is False


@pytest.mark.parametrize(("kind", "typed", "key", "english", "korean"), [
    ("single", "1,2", "one", "type exactly one number", "번호를 하나만 입력하세요"),
    ("single", "banana", "numbers", "type numbers, separated by commas", "쉼표로 구분한"),
    ("single", "99", "range", "numbers go from 1 to", "번호는 1부터"),
    ("multiple", "1,1", "repeat", "a number is repeated", "같은 번호가 두 번"),
    ("ordering", "1", "all_steps", "numbers once", "한 번씩 모두"),
    ("true-false", "maybe", "true_false", "type o (true) or x (false)", "o(참) 또는 x(거짓)"),
    ("matching", "hello", "pairs", "type pairs like 1b 2a", "1b 2a처럼"),
    ("matching", "1z", "letters", "letters go from a to", "글자는 a부터"),
    ("matching", "1a 1b", "paired_twice", "number 1 is paired twice", "1번을 두 번 짝지었습니다"),
    ("matching", "1a", "missing", "pair these numbers too: 2", "다음 번호도 짝지어 주세요: 2"),
])
def test_input_that_is_no_answer_says_what_to_type(kind, typed, key, english, korean):
    with pytest.raises(InputError) as caught:
        parse_answer(shown(kind), typed)
    assert caught.value.key == key
    assert english in str(caught.value) and english in caught.value.text("en")
    assert korean in caught.value.text("ko")


def test_every_problem_says_the_same_in_both_languages():
    for texts in PROBLEMS.values():
        fields = [{name for _, name, _, _ in string.Formatter().parse(texts[lang]) if name}
                  for lang in ("ko", "en")]
        assert fields[0] == fields[1] and texts["ko"] != texts["en"]
