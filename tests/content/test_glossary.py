"""Korean text uses one term per concept (docs/glossary.md): no variant the glossary bans appears in
the levels, quizzes, choice matrix, achievements, the Korean strings of every module (chapter
titles, GUI messages, the terminal quiz and its answer hints, …), the Qt catalogue or the Korean
comments of the shipped programs."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import yaml

from virtquest.game.comments import translations

ROOT = Path(__file__).resolve().parents[2]
HANGUL = re.compile("[가-힣]")

# variant → the regex that finds it in Korean text
BANNED: dict[str, re.Pattern[str]] = {
    # 표 meaning a table; 표시, 표현, 발표, 대표, 목표, 표준, 표면, 따옴표, 화살표 are other words
    "표 (use 테이블)": re.compile(r"(?<![가-힣])표(?=[을를은는이가의에와과로뿐도만]|[\s'\"’)]|$)"),
    "그림자 (use 섀도)": re.compile("그림자"),
    "걷다 (use 페이지 워크 or 탐색)": re.compile(r"걷[다기게는고]|(?:테이블|표|단계)[을를] (?:함께 )?걸[어으]|걸으면"),
    "사건 (use 이벤트)": re.compile("사건"),
    "뜨거운 루프 (use 핫 루프)": re.compile("뜨거운 루프"),
    "숨은 값 (use 숨은 비용)": re.compile("숨은 값"),
    "Trap & Emulate (use 트랩 & 에뮬레이션)": re.compile(r"Trap (?:&|and) Emulate|트랩 앤 에뮬레이트", re.I),
    "레드필/빨간 약 (use 레드 필)": re.compile("레드필|빨간 ?약"),
    "민감한 명령 (use 민감 명령)": re.compile("민감한 명령"),
    "명령어 (use 명령, except 명령어 집합)": re.compile(r"명령어(?! ?집합)"),
    "서로 끌어당기는 관계 (use 상충(트레이드오프))": re.compile("끌어당기는 관계"),
    # the particle after a replacement that ends in a final consonant
    "particle (테이블을/은/이/과, 명령을/은/이/과/으로)": re.compile(
        r"(?:테이블|명령|에뮬레이션)['\"’]?(?:를|는|가|와)(?![가-힣])|(?:명령|에뮬레이션)['\"’]?로(?![가-힣])"),
}

# (file, text around the hit) where 표 is a table printed in a paper, not a data structure
ALLOWED = [("levels/quizzes/papers.yaml", "의 표(µs"), ("levels/quizzes/papers.yaml", "이 표에서")]


def _yaml_strings(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "en":
                continue
            yield from _yaml_strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _yaml_strings(item)
    elif isinstance(node, str) and HANGUL.search(node):
        yield node


def _python_strings(path: Path) -> Iterator[str]:
    """The Korean string constants of a module, docstrings aside (those are English and may
    name a Korean term beside its English one)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
                and HANGUL.search(node.value)):
            yield node.value


def _ts_strings(path: Path) -> Iterator[str]:
    for element in ET.parse(path).getroot().iter("translation"):
        text = "".join(element.itertext())
        if text:
            yield text


def korean_texts() -> Iterator[tuple[str, str]]:
    yamls = [*sorted((ROOT / "levels").glob("*.yaml")), *sorted((ROOT / "levels" / "quizzes").glob("*.yaml")),
             ROOT / "assets" / "choice-matrix.yaml", ROOT / "assets" / "achievements.yaml"]
    for path in yamls:
        for text in _yaml_strings(yaml.safe_load(path.read_text(encoding="utf-8"))):
            yield path.relative_to(ROOT).as_posix(), text
    for path in sorted((ROOT / "virtquest").rglob("*.py")):   # every module with Korean in it
        for text in _python_strings(path):
            yield path.relative_to(ROOT).as_posix(), text
    ts = ROOT / "assets" / "translations" / "virtquest_ko.ts"
    for text in _ts_strings(ts):
        yield ts.relative_to(ROOT).as_posix(), text
    for path in sorted((ROOT / "assets" / "programs").glob("*/*.s")):   # the `;ko:` comments
        for _, _, korean in translations(path.read_text(encoding="utf-8")):
            yield path.relative_to(ROOT).as_posix(), korean


def banned_hits() -> list[str]:
    hits = []
    for name, text in korean_texts():
        for variant, pattern in BANNED.items():
            for match in pattern.finditer(text):
                around = text[max(0, match.start() - 12):match.end() + 12]
                if any(name == file and snippet in around for file, snippet in ALLOWED):
                    continue
                hits.append(f"{name}: {variant}: …{around.strip()}…")
    return hits


def test_korean_text_follows_the_glossary():
    hits = banned_hits()
    assert not hits, "variants the glossary (docs/glossary.md) bans:\n" + "\n".join(hits)


def test_the_scan_sees_every_source():
    names = {name for name, _ in korean_texts()}
    for expected in ("levels/ch1-cli.yaml", "levels/quizzes/memory.yaml", "assets/choice-matrix.yaml",
                     "assets/achievements.yaml", "virtquest/game/chapters.py", "virtquest/gui/messages_ko.py",
                     "assets/translations/virtquest_ko.ts", "assets/programs/levels/ch3_popf.s",
                     "assets/programs/examples/syscalls.s"):
        assert expected in names
