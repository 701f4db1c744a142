"""Input files: YAML with line numbers, one validating reader, and the error type that carries file and line.

Every YAML input (knowledge, config, eval sets) goes through `parse_yaml`, and knowledge and config
are validated with `Reader`, so a mistake reads the same wherever it is made: `file:line: message`,
each problem once, never a traceback.

`parse_yaml` reads libyaml's event stream when PyYAML was built with it (about 10× faster than the
pure-Python parser) and the pure-Python one otherwise; it builds the values itself from the events,
so both paths give the same values and the same messages (on a syntax error the pure-Python parser
is asked for the message, so a file's error never depends on how PyYAML was installed). Building
from events, not from a node tree, also means no second copy of the document is ever held, and
lets hostile input be refused early: control characters, nesting deeper than `MAX_DEPTH`, numbers
longer than `MAX_NUMBER_DIGITS`, and aliases that expand to more than `MAX_ALIAS_VALUES` values
(a "billion laughs" anchor bomb is refused after a few thousand steps, in bounded memory).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from yaml import Mark

# PyYAML is imported when a file is parsed, not with this module: a run that reads every lesson
# from the cache never loads it.

# Deeper than any real file (a knowledge file nests 6 levels); Python's own stack is never at risk.
MAX_DEPTH: Final = 100
# A Discord id has 20 digits; anything near Python's 4,300-digit int/str limit is an accident or an attack.
MAX_NUMBER_DIGITS: Final = 100
# Values reachable through aliases, counted as if expanded: real files use a handful.
MAX_ALIAS_VALUES: Final = 100_000
# How much of a value a message quotes: a message names the value, it does not reprint it.
SHOWN_CHARS: Final = 60


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with an input file, located by file and 1-based line."""

    path: str
    line: int
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{self.path}:{self.line}: {prefix}{self.message}"


class SourceError(Exception):
    """An input file is invalid; carries every problem found, each with file and line."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        if not problems:
            raise ValueError("SourceError needs at least one problem")
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def path(self) -> str:
        """Return the file of the first problem."""
        return self.problems[0].path

    @property
    def line(self) -> int:
        """Return the line of the first problem."""
        return self.problems[0].line

    @property
    def message(self) -> str:
        """Return what is wrong, for the first problem."""
        return self.problems[0].message


class YMap(dict[str, Any]):
    """A YAML mapping that remembers where it and each of its keys stood."""

    line: int
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        """Return the line of `key`, or of the mapping itself when the key is absent."""
        return self.key_lines.get(key, self.line)


class YList(list[Any]):
    """A YAML sequence that remembers where it and each of its items stood."""

    line: int
    item_lines: list[int]

    def line_of(self, index: int) -> int:
        """Return the line of item `index`."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def empty_map(line: int) -> YMap:
    """Return an empty YMap standing at `line` (an absent section reads as an empty one)."""
    node = YMap()
    node.line, node.key_lines = line, {}
    return node


def shown(value: Any) -> str:
    """Return `value` for a message: its repr, cut short; never expensive, never raising.

    Only the first items of a container and the first characters of a text are looked at, so a
    value of any size (an anchor bomb, a 5,000-digit number) costs the same to name.
    """
    text = _short(value, 2)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def _short(value: Any, depth: int) -> str:
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return repr(value) if value.bit_length() <= 200 else "a very long number"
    if isinstance(value, str | bytes):
        return repr(value[:SHOWN_CHARS]) + ("…" if len(value) > SHOWN_CHARS else "")
    if isinstance(value, dict):
        if depth == 0:
            return "{…}"
        items = [f"{_short(k, depth - 1)}: {_short(v, depth - 1)}" for k, v in itertools.islice(value.items(), 4)]
        return "{" + ", ".join(items) + (", …}" if len(value) > 4 else "}")
    if isinstance(value, list | tuple | set | frozenset):
        if depth == 0:
            return "[…]"
        items = [_short(item, depth - 1) for item in itertools.islice(value, 4)]
        return "[" + ", ".join(items) + (", …]" if len(value) > 4 else "]")
    return repr(value)[:SHOWN_CHARS]


def describe(value: Any) -> str:
    """Return what kind of value `value` is, for "expected X, got Y" messages."""
    if value is None:
        return "nothing"
    if isinstance(value, YMap):
        return "a mapping"
    if isinstance(value, YList):
        return "a list"
    return f"{type(value).__name__} {shown(value)}"


# --- parsing ---------------------------------------------------------------------------------------

# What YAML 1.1 allows in a stream (the same set PyYAML's reader checks): tab, newlines and printable text.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "backspace", 0x0B: "vertical tab", 0x0C: "form feed", 0x1B: "ESC"}
_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_TAG + name for name in ("str", "null", "bool", "int", "float", "timestamp", "binary"))
_MERGE_TAG = _TAG + "merge"


def parse_yaml(text: str, *, path: str, pure_python: bool = False) -> Any:
    """Parse YAML text into YMap/YList/scalars; raise SourceError with line and column on bad YAML.

    `pure_python` skips libyaml (tests use it to show both parsers give the same results).
    """
    import yaml

    _check_characters(text, path)
    # libyaml's parser where PyYAML was built with it, else (or when asked) the pure-Python one.
    loader_class = yaml.SafeLoader if pure_python else getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return _Builder(path, loader_class(text)).build()
    except yaml.MarkedYAMLError as exc:
        if loader_class is not yaml.SafeLoader:
            # libyaml words its syntax errors differently: ask the pure-Python parser, so the message is
            # the same however PyYAML was installed (only bad files pay for the second parse).
            return parse_yaml(text, path=path, pure_python=True)
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        raise SourceError([Problem(path, line, f"invalid YAML (column {column}): {what}")]) from None
    except yaml.YAMLError as exc:
        raise SourceError([Problem(path, 1, f"invalid YAML: {shown(str(exc))}")]) from None


def _check_characters(text: str, path: str) -> None:
    found = _NOT_PRINTABLE.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    code = ord(found.group())
    name = _CONTROL_NAMES.get(code, "a control character" if code < 0x20 or 0x7F <= code <= 0x9F else "a character")
    raise SourceError(
        [Problem(path, line, f"invalid YAML (column {column}): {name} (U+{code:04X}) is not allowed in a YAML file")]
    )


class _Frame:
    """A mapping or sequence being filled while its events arrive."""

    __slots__ = ("anchor", "key", "key_line", "value")

    def __init__(self, value: YMap | YList, anchor: str | None) -> None:
        self.value = value
        self.anchor = anchor
        self.key: Any = _NO_KEY
        self.key_line = 0


_NO_KEY = object()


class _Builder:
    """Builds YMap/YList/scalars from a loader's event stream, refusing what could exhaust memory or stack."""

    def __init__(self, path: str, loader: Any) -> None:
        from yaml import MarkedYAMLError
        from yaml.constructor import SafeConstructor
        from yaml.nodes import ScalarNode

        self.scalar_node = ScalarNode
        self.marked_error = MarkedYAMLError
        self.path = path
        self.loader = loader
        self.constructor = SafeConstructor()
        # The first characters the loader's implicit resolvers look at: a plain scalar starting with
        # any other is text without asking `resolve` (None: resolvers of another kind are registered).
        resolvers = loader.yaml_implicit_resolvers
        plain = None not in resolvers and not getattr(loader, "yaml_path_resolvers", None)
        self.resolved_starts: frozenset[str] | None = frozenset(resolvers) if plain else None
        # anchor -> (value, values it stands for when expanded)
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.sizes: dict[int, int] = {}
        self.alias_values = 0
        self.duplicates: list[Problem] = []

    def build(self) -> Any:
        try:
            result = self._run()
        finally:
            self.loader.dispose()
        if self.duplicates:
            raise SourceError(self.duplicates)
        return result

    def fail(self, mark: Mark, message: str) -> SourceError:
        return SourceError([Problem(self.path, mark.line + 1, f"invalid YAML (column {mark.column + 1}): {message}")])

    def _run(self) -> Any:
        from yaml.events import (
            AliasEvent,
            DocumentStartEvent,
            MappingEndEvent,
            MappingStartEvent,
            ScalarEvent,
            SequenceEndEvent,
            SequenceStartEvent,
            StreamEndEvent,
        )

        get_event = self.loader.get_event
        stack: list[_Frame] = []
        result: Any = None
        documents = 0
        while True:
            event = get_event()
            kind = type(event)
            size = 1
            if kind is ScalarEvent:
                value = self._scalar(event)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(event.start_mark, f"nested more than {MAX_DEPTH} levels deep")
                stack.append(_Frame(self._collection(event), event.anchor))
                continue
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                frame = stack.pop()
                value = frame.value
                size = self.sizes.pop(id(value), 1)
                if frame.anchor is not None:
                    self.anchors[frame.anchor] = (value, size)
                event = None
            elif kind is AliasEvent:
                if event.anchor not in self.anchors:
                    inside = any(frame.anchor == event.anchor for frame in stack)
                    problem = "refers to the value it is part of" if inside else "is not defined before it is used"
                    raise self.fail(event.start_mark, f"the alias *{shown(event.anchor)[1:-1]} {problem}")
                value, size = self.anchors[event.anchor]
                self.alias_values += size
                if self.alias_values > MAX_ALIAS_VALUES:
                    raise self.fail(
                        event.start_mark, f"aliases expand to more than {MAX_ALIAS_VALUES:,} values (an anchor bomb?)"
                    )
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.fail(event.start_mark, "expected a single document in the stream, found another")
                continue
            elif kind is StreamEndEvent:
                return result
            else:  # stream start, document end
                continue
            if not stack:
                result = value
                continue
            self._add(stack[-1], value, size, event)

    def _add(self, frame: _Frame, value: Any, size: int, event: Any) -> None:
        parent = frame.value
        self.sizes[id(parent)] = self.sizes.get(id(parent), 1) + size
        # A finished collection's line is where it started; a scalar's or alias's, its own.
        line = value.line if event is None else event.start_mark.line + 1
        if isinstance(parent, YList):
            parent.append(value)
            parent.item_lines.append(line)
            return
        if frame.key is _NO_KEY:
            # Keys are compared as text: `1:` and `"1":` are the same key to a human reader.
            frame.key = value if isinstance(value, str) else str(value)
            frame.key_line = line
            return
        key, frame.key = frame.key, _NO_KEY
        if key in parent:
            self.duplicates.append(Problem(self.path, frame.key_line, f"duplicate key {shown(key)}"))
        parent[key] = value
        parent.key_lines[key] = frame.key_line

    def _collection(self, event: Any) -> YMap | YList:
        mapping = event.__class__.__name__ == "MappingStartEvent"
        tag = event.tag
        if tag is not None and tag != "!" and tag != _TAG + ("map" if mapping else "seq"):
            raise self.fail(event.start_mark, f"the tag {shown(tag)} is not supported here")
        value: YMap | YList
        if mapping:
            value = YMap()
            value.key_lines = {}
        else:
            value = YList()
            value.item_lines = []
        value.line = event.start_mark.line + 1
        return value

    def _scalar(self, event: Any) -> Any:
        text = event.value
        tag = event.tag
        if tag is None or tag == "!":
            starts = self.resolved_starts
            if text and event.implicit[0] and starts is not None and text[0] not in starts:
                return text  # what `resolve` would say: the default tag, str
            tag = self.loader.resolve(self.scalar_node, text, event.implicit)
        if tag == _TAG + "str" or tag == _MERGE_TAG:
            # `<<` merge keys are read as the plain key they look like: validation names it as unknown.
            return text
        if tag not in _SCALAR_TAGS:
            raise self.fail(event.start_mark, f"the tag {shown(tag)} is not supported here")
        if tag == _TAG + "int" and len(text) > MAX_NUMBER_DIGITS:
            raise self.fail(event.start_mark, f"a number of {len(text):,} digits is too long")
        node = self.scalar_node(tag, text, event.start_mark, event.end_mark)
        try:
            value = self.constructor.yaml_constructors[tag](self.constructor, node)
        except self.marked_error:
            raise
        except (ValueError, OverflowError, TypeError) as exc:
            # e.g. a date that looks like one but is not (2026-13-45)
            raise self.fail(event.start_mark, f"cannot read {shown(text)}: {shown(str(exc))}") from None
        if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 4 * MAX_NUMBER_DIGITS:
            raise self.fail(event.start_mark, "the number is too large")  # sexagesimal 1:2:3:… grows fast
        return value


def read_text(path: str) -> str:
    """Read a UTF-8 file, turning I/O and decoding failures into a SourceError."""
    return decode_text(read_bytes(path), path=path)


def read_bytes(path: str) -> bytes:
    """Read a file's bytes, turning I/O failures into a SourceError."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise SourceError([Problem(path, 0, f"cannot read: {exc.strerror or exc}")]) from None
    except ValueError as exc:  # e.g. a path with a NUL byte
        raise SourceError([Problem(path, 0, f"cannot read: {exc}")]) from None


def decode_text(data: bytes, *, path: str) -> str:
    """Decode a file's bytes as UTF-8 text with newlines as "\\n" (as text-mode reading gives them)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError([Problem(path, line, f"not UTF-8 text: {exc.reason}")]) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


# --- validation ------------------------------------------------------------------------------------

# Stands for a required value already reported missing, so one omission yields one message.
MISSING: Final[Any] = object()


class Reader:
    """Validates parsed YAML for one file, collecting every problem (each once) instead of stopping.

    The checks take the value, the line to blame and `what` (the name the message uses); they return
    the checked value, or None after reporting why not. `required` returns MISSING for an absent key
    after reporting it, and every check passes MISSING through quietly: one omission, one message.
    Knowledge and config extend it with their own kinds of value.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def fail(self, line: int, message: str) -> None:
        """Report a problem at `line`."""
        self.problems.append(Problem(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        """Report a warning at `line` (shown by `check`, not fatal)."""
        self.warnings.append(Problem(self.path, line, message, severity="warning"))

    def raise_problems(self, error: type[SourceError]) -> None:
        """Raise `error` with every problem found, sorted and each once, if there is any."""
        if self.problems:
            raise error(sorted(set(self.problems)))

    def required(self, node: YMap, key: str, what: str) -> Any:
        """Return node[key], or report it missing and return MISSING."""
        if key not in node or node[key] is None:
            self.fail(node.line, f"{what}: missing {key!r}")
            return MISSING
        return node[key]

    def unknown_key(self, node: YMap, key: str, what: str, allowed: Collection[str]) -> None:
        """Report `key` as not one of `allowed` (config words this differently)."""
        known = ", ".join(sorted(allowed))
        self.fail(node.line_of(key), f"{what}: unknown key {shown(key)} (expected one of: {known})")

    def mapping(self, value: Any, line: int, what: str, allowed: Collection[str] | None = None) -> YMap | None:
        """Return `value` if it is a mapping whose keys are all `allowed`; else report it."""
        if value is MISSING:
            return None
        if not isinstance(value, YMap):
            self.fail(line, f"{what}: expected a mapping, got {describe(value)}")
            return None
        if allowed is not None:
            for key in value:
                if key not in allowed:
                    self.unknown_key(value, key, what, allowed)
        return value

    def sequence(self, value: Any, line: int, what: str) -> YList | None:
        """Return `value` if it is a list; else report it."""
        if value is MISSING:
            return None
        if not isinstance(value, YList):
            self.fail(line, f"{what}: expected a list, got {describe(value)}")
            return None
        return value

    def string(self, value: Any, line: int, what: str) -> str | None:
        """Return `value` as stripped, non-empty text (a number reads as text); else report it."""
        if value is MISSING:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(line, f"{what}: expected text, got {describe(value)}")
            return None
        text = str(value).strip()
        if not text:
            self.fail(line, f"{what}: is empty")
            return None
        return text

    def strings(self, value: Any, line: int, what: str) -> tuple[str, ...] | None:
        """Return a list of texts; report each item that is not text."""
        items = self.sequence(value, line, what)
        if items is None:
            return None
        result: list[str] = []
        for index, item in enumerate(items):
            # The common case without `string`'s message and line lookup (lessons hold thousands of these).
            text: str | None = item.strip() if type(item) is str else ""
            if not text:
                text = self.string(item, items.line_of(index), f"{what}[{index}]")
            if text is not None:
                result.append(text)
        return tuple(result)

    def boolean(self, node: YMap, key: str, what: str, *, default: bool = False) -> bool:
        """Return node[key] as true/false (absent: `default`); else report it and return `default`."""
        value = node.get(key, default)
        if not isinstance(value, bool):
            self.fail(node.line_of(key), f"{what}: expected true or false, got {describe(value)}")
            return default
        return value

    def choice(self, node: YMap, key: str, what: str, choices: Collection[str], default: str | None) -> str | None:
        """Return node[key] if it is one of `choices` (absent: `default`); else report it and return `default`."""
        value = node.get(key, default)
        if value is None or (isinstance(value, str) and value in choices):
            return value
        self.fail(node.line_of(key), f"{what}: expected {' or '.join(choices)}, got {shown(value)}")
        return default
