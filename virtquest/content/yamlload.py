"""Safe YAML loading for content files: size, alias and depth limits, line numbers, ContentErrors.

`load_yaml(path)` returns the data and a line map (location tuple → 1-based line) so that a pydantic
`ValidationError` can be reported as `file:line: field: message` by `validation_to_content_errors`.
"""

from __future__ import annotations

import re
from os import PathLike
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from virtquest.content.errors import ContentError

MAX_BYTES = 1_000_000
MAX_ALIASES = 100
# Counted with every alias expanded: a "billion laughs" file is small but expands past this.
MAX_NODES = 100_000
MAX_DEPTH = 50

Loc = tuple[str | int, ...]
LineMap = dict[Loc, int]

_MERGE_TAG = "tag:yaml.org,2002:merge"
_STD_TAG_PREFIX = "tag:yaml.org,2002:"


class _Refused(Exception):
    """Well-formed YAML that is too big or too tangled to accept, found at `loc`."""

    def __init__(self, loc: Loc, line: int, message: str):
        super().__init__(message)
        self.loc, self.line, self.message = loc, line, message


class ContentLoader(yaml.SafeLoader):
    """SafeLoader that bounds aliases and nesting while composing, before anything is expanded."""

    def __init__(self, stream: str):
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                self._refuse(f"more than {MAX_ALIASES} aliases; refused")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                self._refuse(f"nested more than {MAX_DEPTH} levels deep; refused")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _refuse(self, message: str) -> None:
        raise ComposerError(None, None, message, self.peek_event().start_mark)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        """A scalar Python cannot hold (an integer of 5,000 digits, the 30th of February) is a
        YAML error at its line, never a ValueError escaping the loader."""
        try:
            return super().construct_object(node, deep)
        except ValueError as exc:
            detail = "too many digits" if "digits" in str(exc) else str(exc)
            raise ConstructorError(None, None, f"a value that cannot be read ({detail}); refused",
                                   node.start_mark) from None


# --- reading -------------------------------------------------------------------------------------


def read_text(path: str | PathLike[str]) -> str:
    """The file's text, or a ContentError if it is missing, too big, binary or not UTF-8."""
    path = Path(path)
    if not path.exists():
        raise ContentError(path, None, "", "no such file")
    if not path.is_file():
        kind = "a directory" if path.is_dir() else "not a regular file"
        raise ContentError(path, None, "", f"is {kind}, not a content file")
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ContentError(path, None, "", f"cannot be read: {exc.strerror or exc}") from None
    return _decode(path, raw)


def _decode(path: Path, raw: bytes) -> str:
    if len(raw) > MAX_BYTES:
        raise ContentError(path, None, "", f"is larger than {MAX_BYTES:,} bytes; refused")
    if b"\0" in raw:
        line = raw[: raw.index(b"\0")].count(b"\n") + 1
        raise ContentError(path, line, "", "holds binary data (a NUL byte), not YAML text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start]
        raise ContentError(path, line, "", f"is not UTF-8 text (byte 0x{bad:02X})") from None


# --- parsing -------------------------------------------------------------------------------------


def load_yaml(path: str | PathLike[str]) -> tuple[Any, LineMap]:
    """Load one YAML document safely: (data, line map). Every problem is a ContentError."""
    return parse_yaml(read_text(path), path)


def parse_yaml(text: str, path: str | PathLike[str] = "<text>") -> tuple[Any, LineMap]:
    """Parse YAML text as `load_yaml` does; `path` only names the source in errors."""
    loader = ContentLoader(text)
    linemap: LineMap = {}
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {(): 1}
        linemap = _NodeWalker(loader).walk(node)
        return loader.construct_document(node), linemap
    except _Refused as exc:
        raise ContentError(path, exc.line, format_loc(exc.loc), exc.message) from None
    except yaml.MarkedYAMLError as exc:
        raise _marked_error(path, text, exc, linemap) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise ContentError(path, line, "", f"broken YAML: character {exc.character!r} is not allowed") from None
    except yaml.YAMLError as exc:
        raise ContentError(path, None, "", f"broken YAML: {exc}") from None
    except RecursionError:
        raise ContentError(path, None, "", "nested too deeply; refused") from None
    finally:
        loader.dispose()


class _NodeWalker:
    """Walks the composed node graph once: records lines, counts expanded nodes, finds
    duplicate keys and self-referencing aliases — all before anything is constructed."""

    def __init__(self, loader: ContentLoader):
        self.loader = loader
        self.linemap: LineMap = {}
        self.visits = 0
        self.on_path: set[int] = set()

    def walk(self, root: Node) -> LineMap:
        self.visit(root, (), _line(root), merged=False)
        return self.linemap

    def visit(self, node: Node, loc: Loc, line: int, merged: bool) -> None:
        self.visits += 1
        if self.visits > MAX_NODES:
            raise _Refused(loc, line, f"more than {MAX_NODES:,} values once aliases are expanded; refused")
        if len(loc) > MAX_DEPTH:
            raise _Refused(loc, line, f"nested more than {MAX_DEPTH} levels deep; refused")
        if merged:  # a key merged in with `<<` never hides the mapping's own key
            self.linemap.setdefault(loc, line)
        else:
            self.linemap[loc] = line
        if isinstance(node, ScalarNode):
            return
        with self._entered(node, loc, line):
            if isinstance(node, SequenceNode):
                for index, child in enumerate(node.value):
                    self.visit(child, (*loc, index), _line(child), merged)
            else:
                self.visit_mapping(node, loc, merged)

    def visit_mapping(self, node: MappingNode, loc: Loc, merged: bool) -> None:
        first_line: dict[object, int] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merges.append(value_node)
                continue
            key, key_line = self.key(key_node, loc), _line(key_node)
            if key in first_line:
                raise _Refused((*loc, key), key_line, f"duplicate key (first on line {first_line[key]})")
            first_line[key] = key_line
            self.visit(value_node, (*loc, key), key_line, merged)
        for merge in merges:
            sources = merge.value if isinstance(merge, SequenceNode) else [merge]
            for source in sources:
                if isinstance(source, MappingNode):
                    with self._entered(source, loc, _line(source)):
                        self.visit_mapping(source, loc, merged=True)

    def key(self, key_node: Node, loc: Loc) -> str | int:
        if not isinstance(key_node, ScalarNode):
            raise _Refused(loc, _line(key_node), "a key must be a plain value, not a list or mapping")
        return self.loader.construct_object(key_node, deep=True)

    def _entered(self, node: Node, loc: Loc, line: int) -> _OnPath:
        if id(node) in self.on_path:
            raise _Refused(loc, line, "an alias refers to the value that contains it; refused")
        return _OnPath(self.on_path, id(node))


class _OnPath:
    """Marks a node as being walked, so an alias back to it is seen as a cycle."""

    def __init__(self, on_path: set[int], node_id: int):
        self.on_path, self.node_id = on_path, node_id

    def __enter__(self) -> None:
        self.on_path.add(self.node_id)

    def __exit__(self, *exc_info: object) -> None:
        self.on_path.discard(self.node_id)


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _marked_error(path: str | PathLike[str], text: str, exc: yaml.MarkedYAMLError,
                  linemap: LineMap) -> ContentError:
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else None
    if line is None:
        field = ""
    elif linemap:
        field = format_loc(_loc_at_line(linemap, line))
    else:
        field = format_loc(_guess_loc(text, line))
    return ContentError(path, line, field, _yaml_message(exc))


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    tag = re.search(r"constructor for the tag '([^']*)'", problem)
    if tag:
        name = tag.group(1).replace(_STD_TAG_PREFIX, "!!")
        return f"the tag {name} is not allowed: content files hold data, never code"
    if "aliases" in problem or "levels deep" in problem or problem.endswith("refused"):
        return problem
    detail = ", ".join(part for part in (exc.context, problem) if part)
    return f"broken YAML: {detail}"


def _loc_at_line(linemap: LineMap, line: int) -> Loc:
    """The deepest key written on `line`, else the last location before it."""
    on_line = [loc for loc, at in linemap.items() if at == line]
    if on_line:
        # Prefer a mapping key (`text`) over list items inside its value (`text[0]`).
        keyed = [loc for loc in on_line if loc and isinstance(loc[-1], str)]
        return max(keyed or on_line, key=len)
    before = [(at, len(loc), loc) for loc, at in linemap.items() if at < line]
    return max(before)[2] if before else ()


_KEY_RE = re.compile(r"([A-Za-z_][\w.-]*)\s*:(?:\s|$)")
_BLOCK_SCALAR_RE = re.compile(r":\s*[|>][-+0-9]*\s*(?:#.*)?$")


def _guess_loc(text: str, line: int) -> Loc:
    """Best-effort location of `line` in block-style YAML that failed to parse, from indentation."""
    stack: list[list[Any]] = []  # [column, key or sequence index]
    block_column: int | None = None
    for raw in text.splitlines()[:line]:
        content = raw.lstrip(" ")
        column = len(raw) - len(content)
        if block_column is not None and (not content or column > block_column):
            continue  # inside a `|` or `>` block scalar
        block_column = None
        if not content or content.startswith("#"):
            continue
        while content == "-" or content.startswith("- "):
            _enter_item(stack, column)
            rest = content[1:].lstrip(" ")
            column += len(content) - len(rest)
            content = rest
        key = _KEY_RE.match(content)
        if key:
            _enter_key(stack, column, key.group(1))
            if _BLOCK_SCALAR_RE.search(content):
                block_column = column
    return tuple(part for _, part in stack)


def _enter_item(stack: list[list[Any]], column: int) -> None:
    while stack and stack[-1][0] > column:
        stack.pop()
    if stack and stack[-1][0] == column and isinstance(stack[-1][1], int):
        stack[-1][1] += 1
    else:
        stack.append([column, 0])


def _enter_key(stack: list[list[Any]], column: int, key: str) -> None:
    while stack and stack[-1][0] > column:
        stack.pop()
    if stack and stack[-1][0] == column and isinstance(stack[-1][1], int):
        stack.pop()  # a key at the column of a `- ` list ends that list
    if stack and stack[-1][0] == column:
        stack.pop()  # a sibling key
    stack.append([column, key])


# --- validation errors ---------------------------------------------------------------------------


def format_loc(loc: Loc) -> str:
    """`('questions', 3, 'answer')` → `questions[3].answer`."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validation_to_content_errors(path: str | PathLike[str], exc: ValidationError,
                                 linemap: LineMap, prefix: Loc = (),
                                 document: str = "key: value lines") -> list[ContentError]:
    """One ContentError per pydantic error, with the file line of the field it concerns.

    `prefix` is the location of the validated value inside the file (e.g. `('questions', 3)`).
    `document` says what the whole file should hold, for a file that is empty or holds no
    mapping at all (e.g. "a quiz file: schema_version and questions").
    """
    errors = []
    for error in exc.errors(include_url=False):
        loc = _file_loc((*prefix, *error["loc"]), error, linemap)
        if not loc and error["type"] in _MAPPING_ERRORS:
            message = _not_a_document(error.get("input"), document)
            errors.append(ContentError(path, line_of(linemap, loc) or 1, "", message))
            continue
        errors.append(ContentError(path, line_of(linemap, loc), format_loc(loc), _message(error)))
    return errors


# Pydantic's "not a mapping" errors, whose own messages name the model class (an internal name).
_MAPPING_ERRORS = frozenset({"model_type", "model_attributes_type", "dataclass_type",
                             "dataclass_exact_type", "dict_type"})


def _not_a_document(value: Any, document: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        return f"the file is empty; expected {document}"
    return f"expected {document}, not {_kind(value)}"


def _kind(value: Any) -> str:
    """A value's kind in the words of a file's author (never a Python class name)."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a piece of text"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "a value of another kind"


def line_of(linemap: LineMap, loc: Loc) -> int | None:
    """The line of `loc`, or of its nearest enclosing value that the file has."""
    for end in range(len(loc), -1, -1):
        if loc[:end] in linemap:
            return linemap[loc[:end]]
    return None


def _file_loc(loc: tuple, error: dict[str, Any], linemap: LineMap) -> Loc:
    """Keep the parts of a pydantic location that exist in the file. Pydantic adds parts that do
    not (a union member's tag, a validator's name); the one exception is the missing field itself."""
    kept: list[str | int] = []
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if (*kept, part) in linemap or (last and error["type"] == "missing"):
            kept.append(part)
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        kept.append(str(error.get("ctx", {}).get("discriminator", "")).strip("'\""))
    return tuple(kept)


_TYPE_ERROR_SUFFIXES = ("_type", "_parsing")


def _message(error: dict[str, Any]) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind in ("missing", "union_tag_not_found"):
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (not part of the format; a typo?)"
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        return f"expected one of {expected}" if " or " in expected else f"expected {expected}"
    if kind == "union_tag_invalid":
        return f"unknown value {ctx.get('tag')!r}; expected one of {ctx.get('expected_tags')}"
    if kind in _MAPPING_ERRORS:
        return f"expected a mapping (key: value lines), not {_kind(error.get('input'))}"
    message = str(error["msg"])
    if kind.endswith(_TYPE_ERROR_SUFFIXES):
        shown = repr(error.get("input"))
        if len(shown) <= 40:
            message += f" (got {shown})"
    return message
