"""Finding and reading level files: every level of the content folders as one `LevelSet`, each file
validated against the model (levels.py) and checked (level_checks.py), with file, line and field.

A broken level never stops the others: `load_levels()` returns the good ones and a ContentError
for every problem it found. Besides the built-in `levels/`, it reads every custom content folder
(folders.py); a level id found in two folders is an IdClashError naming both files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from virtquest.content.errors import ContentError, IdClashError, raise_first_clash
from virtquest.content.folders import ContentFolder, content_folders
from virtquest.content.level_checks import LevelChecker
from virtquest.content.levels import LEVEL_DOCUMENT, Level
from virtquest.content.quizzes import QuizBank, load_quiz_bank, load_quiz_folders
from virtquest.content.yamlload import line_of, load_yaml, validation_to_content_errors


@dataclass(frozen=True)
class LevelSet:
    """Every level that loaded, in chapter order, and what was wrong with the rest."""

    levels: tuple[Level, ...] = ()
    errors: tuple[ContentError, ...] = ()
    _by_id: dict[str, Level] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({level.id: level for level in self.levels})

    def __len__(self) -> int:
        return len(self.levels)

    def get(self, level_id: str) -> Level | None:
        return self._by_id.get(level_id)

    def ids(self) -> list[str]:
        return [level.id for level in self.levels]


def load_levels(directory: str | Path | None = None, *,
                paths: list[Path] | None = None, bank: QuizBank | None = None) -> LevelSet:
    """Load `directory/*.yaml`, or just `paths`; with neither, the built-in levels and those of
    every custom content folder (folders.py). Never raises for bad content (see `.errors`),
    except that loading every folder raises IdClashError for an id defined in two of them."""
    if paths is not None:
        return _load_groups([list(paths)], [None], bank)
    if directory is not None:
        directory = Path(directory)
        if not directory.is_dir():
            return LevelSet(errors=(ContentError(directory, None, "", "no such level directory"),))
        return _load_groups([sorted(directory.glob("*.yaml"))], [None], bank)
    levels = load_level_folders(content_folders(), bank if bank is not None else load_quiz_bank())
    raise_first_clash(levels.errors)
    return levels


def load_level_folders(folders: tuple[ContentFolder, ...] | list[ContentFolder],
                       bank: QuizBank | None = None) -> LevelSet:
    """The levels of each folder in turn, checked against `bank` (default: the quizzes of the
    same folders). A level id that an earlier folder defined is an IdClashError in `.errors`
    naming both files, and the level is left out; nothing raises."""
    bank = bank if bank is not None else load_quiz_folders(folders)
    groups: list[list[Path]] = []
    errors: list[ContentError] = []
    for folder in folders:
        if not folder.levels.is_dir():
            errors.append(ContentError(folder.levels, None, "", "no such level directory"))
            groups.append([])
        else:
            groups.append(sorted(folder.levels.glob("*.yaml")))
    loaded = _load_groups(groups, list(folders), bank)
    return LevelSet(loaded.levels, tuple(errors) + loaded.errors)


def _load_groups(groups: list[list[Path]], folders: list[ContentFolder | None],
                 bank: QuizBank | None) -> LevelSet:
    """Load each group of files (one group per folder), drop clashes, sort by chapter."""
    bank = bank if bank is not None else load_quiz_bank()
    levels: list[tuple[Level, int]] = []
    errors: list[ContentError] = []
    for number, paths in enumerate(groups):
        for path in paths:
            level, problems = load_level_file(path, bank)
            errors.extend(problems)
            if level is not None:
                levels.append((level, number))
    kept, clashes = _without_clashes(levels, folders)
    errors.extend(clashes)
    kept.sort(key=lambda lv: (lv.chapter, lv.order, lv.id))
    return LevelSet(tuple(kept), tuple(errors))


def load_level_file(path: str | Path, bank: QuizBank | None = None
                    ) -> tuple[Level | None, list[ContentError]]:
    """One level file: the level (None when unusable) and every problem found in it."""
    path = Path(path)
    try:
        data, linemap = load_yaml(path)
    except ContentError as exc:
        return None, [exc]
    try:
        level = Level.model_validate(data)
    except ValidationError as exc:
        return None, validation_to_content_errors(path, exc, linemap, document=LEVEL_DOCUMENT)
    level._path = str(path)
    level._id_line = line_of(linemap, ("id",))
    errors = LevelChecker(level, path, linemap,
                          bank if bank is not None else load_quiz_bank()).check()
    return (None if errors else level), errors


def level_schema() -> dict[str, Any]:
    """JSON Schema of a level file, for `virtquest schema` and editors."""
    schema = Level.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "VirtQuest level file"
    return schema


def _without_clashes(levels: list[tuple[Level, int]], folders: list[ContentFolder | None]
                     ) -> tuple[list[Level], list[ContentError]]:
    """Two files may not share an id, nor a place (chapter, order) on the map. Each level comes
    with the number of its folder: an id repeated in another folder is an IdClashError."""
    kept: list[Level] = []
    errors: list[ContentError] = []
    ids: dict[str, tuple[Level, int]] = {}
    places: dict[tuple[int, int], Level] = {}
    for level, number in levels:
        same_id = ids.get(level.id)
        if same_id is not None and same_id[1] != number:
            first, owner = same_id[0], folders[same_id[1]]
            builtin = " (built-in)" if owner is not None and owner.builtin else ""
            errors.append(IdClashError(
                level.path or level.id, level._id_line, "id",
                f"level id {level.id!r} is already used by {_where(first)}{builtin}; give the "
                "level an id of its own", first=first.path or first.id))
            continue
        first = same_id[0] if same_id is not None else places.get((level.chapter, level.order))
        if first is not None:
            what = (f"id {level.id!r}" if first.id == level.id
                    else f"chapter {level.chapter}, order {level.order}")
            errors.append(ContentError(level.path or level.id, None, "id" if first.id == level.id
                                       else "order", f"{what} is already used by {first.path}"))
            continue
        ids[level.id] = (level, number)
        places[(level.chapter, level.order)] = level
        kept.append(level)
    return kept, errors


def _where(level: Level) -> str:
    path = level.path or level.id
    return path if level._id_line is None else f"{path}:{level._id_line}"
