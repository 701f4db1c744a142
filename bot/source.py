"""YAML with line numbers, and the problem/error types that carry file and line."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml


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


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings and sequences carry line numbers, and which rejects duplicate keys."""

    duplicate_keys: list[tuple[int, str]]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> YMap:  # type: ignore[override]
        result = YMap()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            # Keys are compared as text: `1:` and `"1":` are the same key to a human reader.
            key_text = str(key)
            line = key_node.start_mark.line + 1
            if key_text in result:
                self.duplicate_keys.append((line, key_text))
            result[key_text] = self.construct_object(value_node, deep=True)
            result.key_lines[key_text] = line
        return result

    def construct_yaml_seq_lines(self, node: yaml.SequenceNode) -> YList:
        result = YList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result

    def construct_yaml_map_lines(self, node: yaml.MappingNode) -> YMap:
        return self.construct_mapping(node)


_LineLoader.add_constructor("tag:yaml.org,2002:map", _LineLoader.construct_yaml_map_lines)
_LineLoader.add_constructor("tag:yaml.org,2002:seq", _LineLoader.construct_yaml_seq_lines)


def parse_yaml(text: str, *, path: str) -> Any:
    """Parse YAML text into YMap/YList/scalars; raise SourceError with line and column on bad YAML."""
    loader = _LineLoader(text)
    loader.duplicate_keys = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        raise SourceError([Problem(path, line, f"invalid YAML (column {column}): {what}")]) from None
    except yaml.YAMLError as exc:
        raise SourceError([Problem(path, 1, f"invalid YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if loader.duplicate_keys:
        raise SourceError([Problem(path, line, f"duplicate key {key!r}") for line, key in loader.duplicate_keys])
    return data


def read_text(path: str) -> str:
    """Read a UTF-8 file, turning I/O and decoding failures into a SourceError."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError as exc:
        raise SourceError([Problem(path, 1, f"not UTF-8 text: {exc.reason}")]) from None
    except OSError as exc:
        raise SourceError([Problem(path, 0, f"cannot read: {exc.strerror or exc}")]) from None
