"""Concept quiz questions (docs/quizzes.md): pydantic models for the six kinds and the bank loader.

A quiz file `levels/quizzes/TOPIC.yaml` holds `schema_version: 1` and `questions: [...]`; a broken
file or question is reported as a ContentError and never stops the others from loading. Custom
content folders (folders.py) add their own `quizzes/` to the built-in bank.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from virtquest.content.errors import ContentError, IdClashError, raise_first_clash
from virtquest.content.folders import ContentFolder, content_folders
from virtquest.content.yamlload import LineMap, line_of, load_yaml, validation_to_content_errors
from virtquest.emu.resources import QUIZZES

SCHEMA_VERSION = 1
QUIZ_DOCUMENT = "a quiz file: schema_version and a list of questions"
DEFAULT_QUIZ_DIR = QUIZZES

# The quiz blueprint (docs/curriculum.md, "Quiz topics"): topic id → (Korean title, English title,
# minimum questions).
TOPICS: dict[str, tuple[str, str, int]] = {
    "hypervisor-types": ("하이퍼바이저 유형", "Hypervisor types", 6),
    "full-virtualization": ("전가상화", "Full virtualization", 12),
    "trap-emulate": ("트랩과 에뮬레이션", "Trap & emulate", 12),
    "binary-translation": ("이진 변환", "Binary translation", 8),
    "paravirtualization": ("반가상화", "Paravirtualization", 10),
    "hardware-assist": ("하드웨어 지원 가상화", "Hardware-assisted virtualization", 10),
    "popek-goldberg": ("Popek과 Goldberg", "Popek & Goldberg", 10),
    "x86-holes": ("x86의 구멍", "The x86 holes", 8),
    "memory": ("메모리 가상화", "Memory virtualization", 10),
    "exit-costs": ("세대별 VM exit 비용", "Exit costs by generation", 5),
    "papers": ("논문의 결과", "The papers' results", 6),
    "pv-on-hav": ("HAV 위의 반가상화 드라이버", "PV drivers on HAV", 3),
    "interrupts": ("인터럽트 가상화", "Interrupt virtualization", 12),
    "io": ("입출력 가상화", "I/O virtualization", 12),
    "hosts": ("여러 게스트, 하나의 호스트", "Many guests, one host", 15),
}
KINDS: dict[str, tuple[str, str]] = {
    "single": ("단일 선택", "Single choice"),
    "multiple": ("복수 선택", "Multiple choice"),
    "true-false": ("참/거짓", "True or false"),
    "ordering": ("순서 맞추기", "Ordering"),
    "matching": ("짝 맞추기", "Matching"),
    "classify": ("분류하기", "Classify"),
}
MIN_PER_KIND = 8

Topic = Literal[
    "hypervisor-types", "full-virtualization", "trap-emulate", "binary-translation",
    "paravirtualization", "hardware-assist", "popek-goldberg", "x86-holes", "memory",
    "exit-costs", "papers", "pv-on-hav", "interrupts", "io", "hosts",
]

_HANGUL = re.compile(r"[\uac00-\ud7a3]")

QuestionId = Annotated[str, StringConstraints(
    pattern=r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$", min_length=3, max_length=80)]
Concept = Annotated[str, StringConstraints(
    pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=2, max_length=60)]
# Keys name choices, items and categories inside one question (`a`, `popf`, `privileged`).
Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=40)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=3000)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Prose(_Strict):
    """A question text or an explanation, written in both languages."""

    ko: LongText
    en: LongText

    @field_validator("ko")
    @classmethod
    def _korean_is_korean(cls, value: str) -> str:
        if not _HANGUL.search(value):
            raise PydanticCustomError("not_korean", "the Korean text holds no Hangul")
        return value

    @field_validator("en")
    @classmethod
    def _english_is_english(cls, value: str) -> str:
        if _HANGUL.search(value):
            raise PydanticCustomError("not_english", "the English text holds Hangul")
        return value


class Label(_Strict):
    """A short label (a choice, a step, an item). A plain string serves both languages."""

    ko: ShortText
    en: ShortText


def _label_from_string(value: object) -> object:
    return {"ko": value, "en": value} if isinstance(value, str) else value


_LABEL_SCHEMA = {
    "anyOf": [
        {"type": "string", "minLength": 1, "maxLength": 300},
        {"type": "object", "additionalProperties": False, "required": ["ko", "en"],
         "properties": {"ko": {"type": "string"}, "en": {"type": "string"}}},
    ],
}
AnyLabel = Annotated[Label, BeforeValidator(_label_from_string), WithJsonSchema(_LABEL_SCHEMA)]
Options = Annotated[dict[Key, AnyLabel], Field(min_length=2, max_length=12)]


class QuestionBase(_Strict):
    """What every kind of question has."""

    id: QuestionId
    topic: Topic
    concept: Concept
    text: Prose
    explanation: Prose


def _require_known(value: str, known: Iterable[str], what: str) -> str:
    names = list(known)
    if value not in names:
        raise PydanticCustomError(
            "unknown_key", "{value!r} is not one of the {what}: expected one of {expected}",
            {"value": value, "what": what, "expected": ", ".join(names)})
    return value


def _require_distinct(labels: Iterable[Label], what: str) -> None:
    seen: set[str] = set()
    for label in labels:
        if label.en in seen:
            raise PydanticCustomError("duplicate_label", "two {what} read the same: {label!r}",
                                      {"what": what, "label": label.en})
        seen.add(label.en)


class SingleChoice(QuestionBase):
    """Pick the one right choice. `answer` is a choice's key."""

    kind: Literal["single"]
    choices: Options
    answer: Key

    @field_validator("answer")
    @classmethod
    def _answer_is_a_choice(cls, value: str, info: ValidationInfo) -> str:
        return _require_known(value, info.data.get("choices") or {}, "choices")

    @model_validator(mode="after")
    def _distinct(self) -> SingleChoice:
        _require_distinct(self.choices.values(), "choices")
        return self


class MultipleChoice(QuestionBase):
    """Pick every right choice. `answer` lists the keys of all the right ones."""

    kind: Literal["multiple"]
    choices: Options
    answer: Annotated[list[Key], Field(min_length=1)]

    @field_validator("answer")
    @classmethod
    def _answers_are_choices(cls, value: list[str], info: ValidationInfo) -> list[str]:
        choices = info.data.get("choices") or {}
        for key in value:
            _require_known(key, choices, "choices")
        if len(set(value)) != len(value):
            raise PydanticCustomError("duplicate_answer", "a choice is listed twice")
        return value

    @model_validator(mode="after")
    def _distinct(self) -> MultipleChoice:
        _require_distinct(self.choices.values(), "choices")
        return self


class TrueFalse(QuestionBase):
    """Is the statement in `text` true?"""

    kind: Literal["true-false"]
    answer: StrictBool


class Ordering(QuestionBase):
    """Put the steps in order. `steps` are written in the right order; the game shuffles them."""

    kind: Literal["ordering"]
    steps: Annotated[list[AnyLabel], Field(min_length=3, max_length=10)]

    @model_validator(mode="after")
    def _distinct(self) -> Ordering:
        _require_distinct(self.steps, "steps")
        return self


def _check_assignment(answer: dict[str, str], sources: dict[str, Label],
                      targets: dict[str, Label], source_name: str, target_name: str) -> None:
    missing = [key for key in sources if key not in answer]
    if missing:
        raise PydanticCustomError("answer_incomplete", "no answer for the {what}: {keys}",
                                  {"what": source_name, "keys": ", ".join(missing)})
    for source, target in answer.items():
        _require_known(source, sources, source_name)
        _require_known(target, targets, target_name)


class Matching(QuestionBase):
    """Match each `left` entry to a `right` entry; a right entry may serve several or none."""

    kind: Literal["matching"]
    left: Options
    right: Options
    answer: dict[Key, Key]

    @field_validator("answer")
    @classmethod
    def _answer_matches(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        if "left" in info.data and "right" in info.data:
            _check_assignment(value, info.data["left"], info.data["right"], "left", "right")
        return value


class Classify(QuestionBase):
    """Put each item into one of the categories."""

    kind: Literal["classify"]
    categories: Annotated[dict[Key, AnyLabel], Field(min_length=2, max_length=6)]
    items: Options
    answer: dict[Key, Key]

    @field_validator("answer")
    @classmethod
    def _answer_classifies(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        if "categories" in info.data and "items" in info.data:
            _check_assignment(value, info.data["items"], info.data["categories"],
                              "items", "categories")
        return value


Question = Annotated[
    SingleChoice | MultipleChoice | TrueFalse | Ordering | Matching | Classify,
    Field(discriminator="kind"),
]
_QUESTION = TypeAdapter(Question)


class QuizFile(_Strict):
    """One quiz file: a schema version and its questions."""

    schema_version: Literal[1]
    questions: list[Question]


class _QuizFileEnvelope(_Strict):
    """The file without its questions checked, so each question can fail on its own."""

    schema_version: Literal[1]
    questions: list[Any]


def quiz_json_schema() -> dict[str, Any]:
    """JSON Schema of a quiz file, for `virtquest schema` and editors."""
    schema = QuizFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "VirtQuest quiz file"
    return schema


# --- the bank ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuizBank:
    """All valid questions, in file order, and what was wrong with the rest."""

    questions: tuple[Question, ...] = ()
    errors: tuple[ContentError, ...] = ()
    _by_id: dict[str, Question] = field(default_factory=dict, repr=False, compare=False)
    files: dict[str, Path] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({question.id: question for question in self.questions})

    def __len__(self) -> int:
        return len(self.questions)

    def get(self, question_id: str) -> Question | None:
        return self._by_id.get(question_id)

    def file_of(self, question_id: str) -> Path:
        """The file a question was read from (KeyError for an id the bank does not hold)."""
        return self.files[question_id]

    def by_topic(self, topic: str | None) -> tuple[Question, ...]:
        """Questions of one topic; all of them when `topic` is None."""
        return tuple(q for q in self.questions if topic is None or q.topic == topic)

    def by_concept(self, concept: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.concept == concept)


def load_quiz_bank(directory: str | Path | None = None) -> QuizBank:
    """Load every `*.yaml` file of `directory`; without one, the built-in quizzes and those of
    every custom content folder (folders.py). Never raises for bad content (see `.errors`),
    except that a question id defined in two content folders raises IdClashError."""
    if directory is not None:
        return _load_directories([(Path(directory), None)])
    bank = load_quiz_folders(content_folders())
    raise_first_clash(bank.errors)
    return bank


def load_quiz_folders(folders: Iterable[ContentFolder]) -> QuizBank:
    """The questions of each folder's quizzes/ in turn (a custom folder may have none). An id
    that an earlier folder defined is an IdClashError in `.errors` naming both files, and the
    question is left out; nothing raises."""
    return _load_directories([(folder.quizzes, folder) for folder in folders])


def _load_directories(directories: list[tuple[Path, ContentFolder | None]]) -> QuizBank:
    questions: list[Question] = []
    errors: list[ContentError] = []
    files: dict[str, Path] = {}
    seen: dict[str, tuple[Path, int | None, int]] = {}  # id → file, line of its id, directory
    for number, (directory, folder) in enumerate(directories):
        if not directory.is_dir():
            if folder is None or folder.builtin:
                errors.append(ContentError(directory, None, "", "no such quiz directory"))
            continue
        for path in sorted(directory.glob("*.yaml")):
            for question, where, id_line in _load_file(path, errors):
                first = seen.get(question.id)
                if first is None:
                    seen[question.id] = (path, id_line, number)
                    questions.append(question)
                    files[question.id] = path
                    continue
                first_path, first_line, first_number = first
                if first_number == number:
                    errors.append(ContentError(path, id_line, f"{where}.id",
                                               f"duplicate id {question.id!r} (first in "
                                               f"{first_path.name}:{first_line})"))
                    continue
                owner = directories[first_number][1]
                builtin = " (built-in)" if owner is not None and owner.builtin else ""
                errors.append(IdClashError(
                    path, id_line, f"{where}.id",
                    f"question id {question.id!r} is already used by {first_path}:{first_line}"
                    f"{builtin}; give the question an id of its own", first=first_path))
    return QuizBank(tuple(questions), tuple(errors), files=files)


def _load_file(path: Path, errors: list[ContentError]) -> list[tuple[Question, str, int | None]]:
    """The file's valid questions, each with its location and the line of its id."""
    try:
        data, linemap = load_yaml(path)
        envelope = _QuizFileEnvelope.model_validate(data)
    except ContentError as exc:
        errors.append(exc)
        return []
    except ValidationError as exc:
        errors.extend(validation_to_content_errors(path, exc, linemap, document=QUIZ_DOCUMENT))
        return []
    loaded = []
    for index, raw in enumerate(envelope.questions):
        question = _validate_question(path, raw, linemap, index, errors)
        if question is not None:
            loaded.append((question, f"questions[{index}]",
                           line_of(linemap, ("questions", index, "id"))))
    return loaded


def _validate_question(path: Path, raw: object, linemap: LineMap, index: int,
                       errors: list[ContentError]) -> Question | None:
    try:
        return _QUESTION.validate_python(raw)
    except ValidationError as exc:
        errors.extend(validation_to_content_errors(path, exc, linemap, ("questions", index)))
        return None
