"""What a learner types for an answer at the terminal — a number for a choice, numbers for several
choices or an order of steps, number-letter pairs for matching and classify, o/x for true or
false — read as an answer in the question's own terms (what `quiz.grade` takes). Input that is
not an answer is an `InputError` that says, in Korean and English, what to type instead.
"""

from __future__ import annotations

import re

from virtquest.emu.errors import VirtQuestError
from virtquest.game.quiz import Presentation

LETTERS = "abcdefghijklmnopqrstuvwxyz"      # the right-hand entries and categories, as shown
TRUE_WORDS = {"o", "t", "true", "1", "y", "yes", "참", "예", "맞다"}
FALSE_WORDS = {"x", "f", "false", "2", "n", "no", "거짓", "아니오", "틀리다"}

# What is wrong with typed input, and what to type instead.
PROBLEMS: dict[str, dict[str, str]] = {
    "one": {"ko": "번호를 하나만 입력하세요", "en": "type exactly one number"},
    "numbers": {"ko": "쉼표로 구분한 번호를 입력하세요",
                "en": "type numbers, separated by commas"},
    "range": {"ko": "번호는 1부터 {count}까지입니다", "en": "numbers go from 1 to {count}"},
    "repeat": {"ko": "같은 번호가 두 번 들어 있습니다", "en": "a number is repeated"},
    "all_steps": {"ko": "{count}개의 번호를 한 번씩 모두 입력하세요",
                  "en": "type each of the {count} numbers once"},
    "true_false": {"ko": "o(참) 또는 x(거짓)를 입력하세요", "en": "type o (true) or x (false)"},
    "pairs": {"ko": "1b 2a처럼 번호와 글자를 짝지어 입력하세요", "en": "type pairs like 1b 2a"},
    "letters": {"ko": "글자는 a부터 {last}까지입니다", "en": "letters go from a to {last}"},
    "paired_twice": {"ko": "{number}번을 두 번 짝지었습니다",
                     "en": "number {number} is paired twice"},
    "missing": {"ko": "다음 번호도 짝지어 주세요: {numbers}",
                "en": "pair these numbers too: {numbers}"},
}


class InputError(VirtQuestError):
    """Typed input that is not an answer; `key` names the problem in PROBLEMS."""

    def __init__(self, key: str, **values: object):
        self.key, self.values = key, values
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        return PROBLEMS[self.key][lang].format(**self.values)


def parse_answer(shown: Presentation, text: str) -> object:
    """Turn typed input into an answer in the question's terms; InputError says what is wrong."""
    kind = shown.question.kind
    if kind == "true-false":
        return _parse_true_false(text)
    if kind in ("matching", "classify"):
        return _parse_pairs(shown, text)
    numbers = _parse_numbers(text, len(shown.options))
    keys = [shown.options[n - 1].key for n in numbers]
    if kind == "single":
        if len(keys) != 1:
            raise InputError("one")
        return keys[0]
    if kind == "ordering" and len(set(numbers)) != len(shown.options):
        raise InputError("all_steps", count=len(shown.options))
    return keys


def _parse_true_false(text: str) -> bool:
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise InputError("true_false")


def _parse_numbers(text: str, count: int) -> list[int]:
    tokens = [token for token in re.split(r"[\s,;]+", text) if token]
    if not tokens or not all(token.isdigit() for token in tokens):
        raise InputError("numbers")
    numbers = [int(token) for token in tokens]
    if any(not 1 <= n <= count for n in numbers):
        raise InputError("range", count=count)
    if len(set(numbers)) != len(numbers):
        raise InputError("repeat")
    return numbers


_PAIR = re.compile(r"(\d+)\s*[-:=>]*\s*([a-z])")


def _parse_pairs(shown: Presentation, text: str) -> dict[str, str]:
    cleaned = text.lower()
    pairs = _PAIR.findall(cleaned)
    if not pairs or _PAIR.sub("", cleaned).strip(" ,;\t"):
        raise InputError("pairs")
    answer: dict[str, str] = {}
    for number, letter in pairs:
        index, target = int(number), LETTERS.find(letter)
        if not 1 <= index <= len(shown.options):
            raise InputError("range", count=len(shown.options))
        if not 0 <= target < len(shown.targets):
            raise InputError("letters", last=LETTERS[len(shown.targets) - 1])
        source = str(shown.options[index - 1].key)
        if source in answer:
            raise InputError("paired_twice", number=index)
        answer[source] = str(shown.targets[target].key)
    missing = [str(i) for i, o in enumerate(shown.options, 1) if str(o.key) not in answer]
    if missing:
        raise InputError("missing", numbers=", ".join(missing))
    return answer
