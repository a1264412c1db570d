"""Korean particles that depend on the word before them.

A Korean particle changes with the last sound of its word: 레벨을 but 퀴즈를, 링이 but 모드가,
파일로 but 레벨로 (ㄹ) and 커널으로 never. A message with a placeholder cannot know which one to
write, so a translation writes both, in the usual dictionary notation — `%1을(를)`, `%1이(가)`,
`%1은(는)`, `%1과(와)`, `%1(으)로` — and `resolve_particles` picks the right one once the word is in
place. Words in Latin letters or digits (POPF, cli, ch3-popf, 2.1) are read the way a Korean
student reads them aloud: digits by their Korean names, capitals by their letter names, other words
by their last letter.
"""

from __future__ import annotations

import re

# (with a final consonant, without one) for each notation.
_PAIRS = {
    "을(를)": ("을", "를"), "를(을)": ("을", "를"),
    "이(가)": ("이", "가"), "가(이)": ("이", "가"),
    "은(는)": ("은", "는"), "는(은)": ("은", "는"),
    "과(와)": ("과", "와"), "와(과)": ("과", "와"),
    "(이)라는": ("이라는", "라는"), "(이)나": ("이나", "나"), "(이)라고": ("이라고", "라고"),
}
_RO = "(으)로"
_NOTATION = re.compile("|".join(re.escape(k) for k in [*_PAIRS, _RO]))
# Closing marks between a word and its particle: “POPF”를.
_CLOSERS = set("”’\"')]}›»」』")

# A digit's Korean name ends in: 영 일 이 삼 사 오 육 칠 팔 구 (True: a final consonant; "r": ㄹ).
_DIGITS = {"0": True, "1": "r", "2": False, "3": True, "4": False, "5": False, "6": True,
           "7": "r", "8": "r", "9": False}
# A capital letter's name: 엘 엠 엔 알 end in a consonant (L, R: ㄹ); the others (에이, 비, 에프 …)
# in a vowel.
_LETTER_NAMES = {"L": "r", "M": True, "N": True, "R": "r"}
# A word's last letter, read aloud: ... l (ㄹ), m, n, ng, and stops k t p b d g end in a consonant.
_WORD_ENDINGS = {"l": "r", "m": True, "n": True, "g": True, "k": True, "t": True, "p": True,
                 "b": True, "d": True, "c": True}


def final_sound(word: str) -> bool | str | None:
    """Whether `word`, read aloud in Korean, ends in a consonant: True, "r" for ㄹ, False for a
    vowel, None when it ends in no letter or digit at all."""
    text = word.rstrip()
    while text and text[-1] in _CLOSERS:
        text = text[:-1].rstrip()
    if not text:
        return None
    last = text[-1]
    if "가" <= last <= "힣":
        final = (ord(last) - 0xAC00) % 28
        return False if final == 0 else ("r" if final == 8 else True)
    if last in _DIGITS:
        return _DIGITS[last]
    if last.isascii() and last.isalpha():
        tail = re.search(r"[A-Za-z]+$", text).group()
        if tail.isupper():
            return _LETTER_NAMES.get(last, False)
        return _WORD_ENDINGS.get(last.lower(), False)
    return None


def particle(word: str, notation: str) -> str:
    """The particle `notation` (e.g. "을(를)", "(으)로") as it follows `word`."""
    sound = final_sound(word)
    if notation == _RO:
        return "으로" if sound is True else "로"
    with_final, without = _PAIRS[notation]
    return without if sound is False else with_final


def resolve_particles(text: str) -> str:
    """Every `을(를)`-style notation in `text` replaced by the particle its word takes. A notation
    after no word (at the start, after a space) is left as it is."""
    out, start = [], 0
    for match in _NOTATION.finditer(text):
        before = text[:match.start()]
        if not before or before[-1].isspace() or final_sound(before) is None:
            continue
        out.append(text[start:match.start()])
        out.append(particle(before, match.group()))
        start = match.end()
    out.append(text[start:])
    return "".join(out)
