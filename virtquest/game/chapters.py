"""The chapter map's model: the chapters, their levels with stars and locks, what opens next.

Unlocking: a level opens when the one before it has at least one star — inside a chapter the
previous level, for a chapter's first level the last level of the chapter before. So chapter 1's
first level is open from the start. A level with stars stays open. The sandbox is always open.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

MAX_STARS = 3


@dataclass(frozen=True)
class ChapterInfo:
    """A chapter's number, title and one-line objective, in both languages."""

    number: int
    title: dict[str, str]
    objective: dict[str, str]


CHAPTERS: tuple[ChapterInfo, ...] = (
    ChapterInfo(1, {"ko": "특권과 링", "en": "Privilege and rings"},
                {"ko": "특권 명령과 무해한 명령, 링 0 밖에서 거부되는 특권 명령",
                 "en": "Privileged vs innocuous instructions; ring 0 and the CPU's refusal"}),
    ChapterInfo(2, {"ko": "트랩과 에뮬레이션", "en": "Trap & emulate"},
                {"ko": "트랩 → VM exit → 에뮬레이션 → VM entry, 그리고 그 비용",
                 "en": "Trap → VM exit → emulate → VM entry, and its price"}),
    ChapterInfo(3, {"ko": "x86의 구멍", "en": "The x86 holes"},
                {"ko": "트랩되지 않는 민감 명령이 동등성을 조용히 깨뜨린다 (Popek & Goldberg)",
                 "en": "Sensitive but unprivileged instructions silently break equivalence"}),
    ChapterInfo(4, {"ko": "이진 변환", "en": "Binary translation"},
                {"ko": "한 번 번역하고 캐시에서 실행하기, 번역 비용의 분산",
                 "en": "Translate once, run from the cache; amortised translation cost"}),
    ChapterInfo(5, {"ko": "반가상화", "en": "Paravirtualization"},
                {"ko": "트랩 대신 하이퍼콜, 대신 게스트 커널을 고쳐야 한다",
                 "en": "Hypercalls replace traps; the guest kernel must be modified"}),
    ChapterInfo(6, {"ko": "하드웨어 지원 가상화", "en": "Hardware-assisted (VT-x / AMD-V)"},
                {"ko": "루트 / 비루트 모드, 설정한 곳에서만 일어나는 exit, 세대별 비용",
                 "en": "Root / non-root; exits only where configured; cost by CPU generation"}),
    ChapterInfo(7, {"ko": "메모리 가상화", "en": "Memory virtualization"},
                {"ko": "섀도 페이지 테이블, 반가상화 직접 페이징, 중첩 페이징",
                 "en": "Shadow page tables, PV direct paging, nested paging"}),
    ChapterInfo(8, {"ko": "논문 재현", "en": "Replicate the papers"},
                {"ko": "Adams & Agesen 2006, Barham 외 2003의 수치를 에뮬레이터로 다시 재기",
                 "en": "Adams & Agesen 2006 and Barham et al. 2003, measured again"}),
    ChapterInfo(9, {"ko": "보스 레벨", "en": "Boss levels"},
                {"ko": "가장 좋은 기법이 서로 다른 혼합 워크로드",
                 "en": "Mixed workloads where the best technique differs"}),
    ChapterInfo(10, {"ko": "입출력 가상화", "en": "I/O virtualization"},
                {"ko": "에뮬레이션된 장치, virtio 링, 장치 직접 할당과 IOMMU",
                 "en": "Emulated devices, virtio rings, passthrough and the IOMMU"}),
    ChapterInfo(11, {"ko": "인터럽트 가상화", "en": "Interrupt virtualization"},
                {"ko": "인터럽트 주입, 인터럽트 창, EOI exit, 게시된 인터럽트, 게스트가 보는 시간",
                 "en": "Injection, interrupt windows, EOI exits, posted interrupts, guest time"}),
    ChapterInfo(12, {"ko": "여러 게스트, 하나의 호스트", "en": "Many guests, one host"},
                {"ko": "메모리 나눠 쓰기(벌루닝, 페이지 공유, 스와핑), 라이브 마이그레이션, 태그 TLB",
                 "en": "Sharing memory (ballooning, page sharing, swapping), live migration, "
                       "tagged TLBs"}),
)


class LevelLike(Protocol):
    """What the map needs of a level (content.levels.Level has it)."""

    id: str
    chapter: int
    order: int

    @property
    def title(self) -> object: ...


class BestLike(Protocol):
    stars: int


@dataclass(frozen=True)
class LevelCell:
    """One level on the map. `locked_by` is the id of the level to clear first, if locked."""

    id: str
    chapter: int
    order: int
    title: dict[str, str]
    stars: int
    locked_by: str | None

    @property
    def unlocked(self) -> bool:
        return self.locked_by is None

    @property
    def cleared(self) -> bool:
        return self.stars >= 1


@dataclass(frozen=True)
class Chapter:
    """A chapter as shown: its info, its levels in order, and whether it is open."""

    info: ChapterInfo
    levels: tuple[LevelCell, ...]
    locked_by: str | None  # the level to clear before this chapter opens

    @property
    def unlocked(self) -> bool:
        return self.locked_by is None

    @property
    def stars(self) -> int:
        return sum(cell.stars for cell in self.levels)

    @property
    def max_stars(self) -> int:
        return MAX_STARS * len(self.levels)


@dataclass(frozen=True)
class Unlock:
    """Clearing `clear` would open `opens`."""

    clear: LevelCell
    opens: LevelCell


@dataclass(frozen=True)
class ChapterMap:
    """Every chapter with its levels; the first playable uncleared level; what unlocks next."""

    chapters: tuple[Chapter, ...]

    def cell(self, level_id: str) -> LevelCell | None:
        return next((c for c in self.cells() if c.id == level_id), None)

    def cells(self) -> list[LevelCell]:
        return [cell for chapter in self.chapters for cell in chapter.levels]

    def next_to_play(self) -> LevelCell | None:
        """The first open level without a star: where "Continue" goes."""
        return next((c for c in self.cells() if c.unlocked and not c.cleared), None)

    def next_unlocks(self) -> list[Unlock]:
        """Each locked level that clearing an open level would open right away."""
        cells = {cell.id: cell for cell in self.cells()}
        found = []
        for cell in self.cells():
            blocker = cells.get(cell.locked_by or "")
            if blocker is not None and blocker.unlocked:
                found.append(Unlock(blocker, cell))
        return found

    @property
    def total_stars(self) -> int:
        return sum(chapter.stars for chapter in self.chapters)

    @property
    def total_max_stars(self) -> int:
        return sum(chapter.max_stars for chapter in self.chapters)


def chapter_info(number: int) -> ChapterInfo:
    for info in CHAPTERS:
        if info.number == number:
            return info
    return ChapterInfo(number, {"ko": f"{number}장", "en": f"Chapter {number}"},
                       {"ko": "", "en": ""})


def build_chapter_map(levels: Iterable[LevelLike], best: Mapping[str, BestLike]) -> ChapterMap:
    """The map for a learner whose best results are `best` (level id → result with stars)."""
    by_chapter: dict[int, list[LevelLike]] = {info.number: [] for info in CHAPTERS}
    for level in levels:
        by_chapter.setdefault(level.chapter, []).append(level)
    chapters = []
    before: LevelCell | None = None  # the last level of the chapters so far
    for number in sorted(by_chapter):
        ordered = sorted(by_chapter[number], key=lambda lv: (lv.order, lv.id))
        cells = _cells(ordered, best, before)
        chapters.append(Chapter(chapter_info(number), cells,
                                cells[0].locked_by if cells else None))
        before = cells[-1] if cells else before
    return ChapterMap(tuple(chapters))


def _cells(levels: list[LevelLike], best: Mapping[str, BestLike],
           before: LevelCell | None) -> tuple[LevelCell, ...]:
    """Each level opens when the one before it (across chapters, in map order) has a star."""
    cells = []
    previous = before
    for level in levels:
        stars = _stars(best.get(level.id))
        opened = stars > 0 or previous is None or previous.cleared  # played ones stay open
        cell = LevelCell(level.id, level.chapter, level.order, _bilingual(level.title), stars,
                         None if opened else previous.id)
        cells.append(cell)
        previous = cell
    return tuple(cells)


def _stars(result: BestLike | None) -> int:
    return 0 if result is None else max(0, min(MAX_STARS, int(result.stars)))


def _bilingual(text: object) -> dict[str, str]:
    if isinstance(text, Mapping):
        return {"ko": str(text.get("ko", "")), "en": str(text.get("en", ""))}
    return {"ko": str(getattr(text, "ko", text)), "en": str(getattr(text, "en", text))}
