"""A program's comments in one language: the `;ko:` convention (docs/levels.md, "Comments in
two languages"). The English view hides the Korean, the Korean view shows it in the English
one's place, neither shows the marker, and every row keeps its source line number."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from virtquest.emu.asm import assemble
from virtquest.game.comments import shown_source, translations, untranslated

PROGRAM = """\
; A kernel that counts.
; It prints nothing.
;ko: 수를 세는 커널.
;ko: 아무것도 출력하지 않습니다.

_start:
    mov ecx, 3                  ; three rounds
                                ;ko: 세 바퀴
again:
    loop again                  ; slot `again`: innocuous ;ko: 슬롯 `again`: 무해한 명령
    iret                        ; sensitive: at ring 1 it
                                ; does not trap
                                ;ko: 민감 명령: 링 1에서는
                                ;ko: 트랩되지 않음
    hlt
"""


def rows(language: str) -> list[tuple[int, str]]:
    shown = shown_source(PROGRAM, language)
    return list(zip(shown.line_numbers, shown.text.split("\n"), strict=True))


def test_the_english_view_hides_the_korean_and_keeps_line_numbers():
    shown = rows("en")
    assert ";ko:" not in shown_source(PROGRAM, "en").text
    assert not any("수를" in text or "세 바퀴" in text or "무해" in text for _, text in shown)
    assert (1, "; A kernel that counts.") in shown
    assert (7, "    mov ecx, 3                  ; three rounds") in shown
    assert (10, "    loop again                  ; slot `again`: innocuous") in shown
    assert (12, "                                ; does not trap") in shown
    assert [n for n, _ in shown] == [1, 2, 5, 6, 7, 9, 10, 11, 12, 15, 16]


def test_the_korean_view_shows_the_korean_in_place_of_the_english():
    shown = rows("ko")
    text = shown_source(PROGRAM, "ko").text
    assert ";ko:" not in text and "ko:" not in text
    assert not any(word in text for word in ("counts", "three rounds", "innocuous", "trap"))
    assert (3, "; 수를 세는 커널.") in shown and (4, "; 아무것도 출력하지 않습니다.") in shown
    assert (7, "    mov ecx, 3                  ; 세 바퀴") in shown        # code keeps its line
    assert (10, "    loop again                  ; 슬롯 `again`: 무해한 명령") in shown
    assert (11, "    iret                        ; 민감 명령: 링 1에서는") in shown
    assert (14, "                                ; 트랩되지 않음") in shown
    assert shown_source(PROGRAM, "ko").row_for(7) == 5
    assert shown_source(PROGRAM, "ko").row_for(1) is None      # the English header is hidden


def test_a_comment_without_korean_shows_in_english_in_both_and_is_reported():
    source = "; only English\nnop            ; here too\n\n;ko: 한국어만\nnop ;ko: 이것도\n"
    assert shown_source(source, "ko").text.startswith("; only English\nnop            ; here too")
    assert untranslated(source) == [1, 2, 4, 5]    # two English comments, two Korean alone
    assert shown_source(source, "en").text.endswith("\nnop\n")
    assert untranslated(PROGRAM) == []
    assert untranslated("; ----\n;\nnop ; 1 + 2\n") == []   # nothing to translate
    assert translations(PROGRAM) == [
        (1, "A kernel that counts.\nIt prints nothing.", "수를 세는 커널.\n아무것도 출력하지 않습니다."),
        (7, "three rounds", "세 바퀴"), (10, "slot `again`: innocuous", "슬롯 `again`: 무해한 명령"),
        (11, "sensitive: at ring 1 it\ndoes not trap", "민감 명령: 링 1에서는\n트랩되지 않음")]


def test_quotes_and_semicolons_inside_strings_are_not_comments():
    source = 's: .asciz "a;ko: b" ; text ;ko: 글'
    assert shown_source(source, "en").text == 's: .asciz "a;ko: b" ; text'
    assert shown_source(source, "ko").text == 's: .asciz "a;ko: b" ; 글'


CODE = st.sampled_from(["nop", "  add eax, 2", "  mov eax, 1", "  .word 1", '  .ascii "x;y"', ""])
COMMENT = st.sampled_from(["", " ; note", " ; two words", " ; a ;ko: 한", ";ko: 가", " ;ko:"])


@given(st.lists(st.tuples(CODE, COMMENT), max_size=25))
@settings(max_examples=200, deadline=None, derandomize=True, database=None)
def test_both_views_assemble_to_the_same_program_and_never_show_the_marker(lines):
    source = "\n".join(code + comment for code, comment in lines)
    original = assemble(source)
    for language in ("en", "ko"):
        shown = shown_source(source, language)
        assert ";ko:" not in shown.text
        assert assemble(shown.text).image == original.image
        if not shown.line_numbers:          # everything was Korean, shown in English: nothing
            assert shown.text == "" and language == "en"
            continue
        assert len(shown.line_numbers) == len(shown.text.split("\n"))
        assert shown.line_numbers == sorted(set(shown.line_numbers))
        for number, row in zip(shown.line_numbers, shown.text.split("\n"), strict=True):
            code = source.split("\n")[number - 1]
            assert row.split(";")[0].rstrip() == code.split(";")[0].rstrip() or '"' in code
