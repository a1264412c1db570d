"""Korean particles follow the word that comes in: no 을(를) on screen."""

from __future__ import annotations

import pytest

from virtquest.game.hangul import final_sound, particle, resolve_particles


@pytest.mark.parametrize(("word", "notation", "expected"), [
    ("레벨", "을(를)", "을"), ("퀴즈", "을(를)", "를"),
    ("링", "이(가)", "이"), ("모드", "이(가)", "가"),
    ("커널", "(으)로", "로"), ("파일", "(으)로", "로"), ("레벨", "(으)로", "로"),
    ("책", "(으)로", "으로"), ("하드웨어", "(으)로", "로"),
    ("명령", "은(는)", "은"), ("트랩", "과(와)", "과"), ("게스트", "과(와)", "와"),
    ("“POPF”", "을(를)", "를"),            # 팝에프: a vowel
    ("SIDT", "은(는)", "는"), ("URL", "을(를)", "을"), ("VM", "이(가)", "이"),
    ("cli", "이(가)", "가"), ("iret", "을(를)", "을"), ("null call", "을(를)", "을"),
    ("13", "을(를)", "을"), ("2", "을(를)", "를"), ("0", "(으)로", "으로"), ("1", "(으)로", "로"),
])
def test_a_particle_follows_how_the_word_is_read(word, notation, expected):
    assert particle(word, notation) == expected


def test_whole_messages_lose_every_notation():
    text = "“핫 루프와 출력 한 줄”을(를) 클리어하면 “링 1에서 거부된 cli”이(가) 열립니다"
    assert resolve_particles(text) == ("“핫 루프와 출력 한 줄”을 클리어하면 "
                                       "“링 1에서 거부된 cli”가 열립니다")
    assert resolve_particles("IF=0(으)로 되돌리려") == "IF=0으로 되돌리려"
    assert resolve_particles("“시스템 콜 폭풍”을(를) 저장") == "“시스템 콜 폭풍”을 저장"


def test_a_notation_after_no_word_is_left_alone():
    assert resolve_particles("을(를) 쓰는 법") == "을(를) 쓰는 법"
    assert resolve_particles("No particles here.") == "No particles here."
    assert final_sound("“ ”") is None


def test_explanations_name_modes_as_the_ui_does_and_count_in_english():
    from virtquest.content.quizzes import Prose
    from virtquest.game.explain import MODE_NAMES, bilingual

    prose = Prose(ko="이 레벨의 {mode} 모드에서 {hypercalls}회", en="{mode}: {hypercalls:hypercall/hypercalls}")
    one = bilingual(prose, {"mode": MODE_NAMES["trap-emulate"], "hypercalls": 1})
    assert one == {"ko": "이 레벨의 트랩 & 에뮬레이션 모드에서 1회", "en": "trap & emulate: 1 hypercall"}
    assert bilingual(prose, {"mode": MODE_NAMES["paravirt"], "hypercalls": 3})["en"] == \
        "paravirtualization: 3 hypercalls"
