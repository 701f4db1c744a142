"""Lesson knowledge: frozen values, `parse_*` (validate, no I/O) and `load_*` (read files)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import bot.cache
import bot.ids
import bot.source
from bot.cache import PlainCache, code_version, content_key, user_cache_dir
from bot.ids import is_entry_id, is_lesson_id
from bot.source import (
    MISSING,
    Problem,
    Reader,
    SourceError,
    YMap,
    decode_text,
    describe,
    parse_yaml,
    read_bytes,
    shown,
)

Lang = Literal["ko", "en"]
LANGS: tuple[Lang, ...] = ("ko", "en")

# One language's value of a bilingual pair: a text or a list of texts.
V = TypeVar("V")


class KnowledgeError(SourceError):
    """A knowledge file is invalid: every problem with its file and line."""


@dataclass(frozen=True)
class _Bilingual(Generic[V]):
    """A value in both languages; `en` is None only in a draft whose English is not written yet."""

    ko: V
    en: V | None

    def get(self, lang: Lang) -> V:
        """Return the value in `lang`, or the Korean where the English is not written yet."""
        if lang == "en" and self.en is not None:
            return self.en
        return self.ko

    def has(self, lang: Lang) -> bool:
        """Return whether the value is written in `lang`."""
        return lang == "ko" or self.en is not None


@dataclass(frozen=True)
class Text(_Bilingual[str]):
    """A text in both languages; `en` is None only in a draft whose English is not written yet."""

    def texts(self) -> tuple[str, ...]:
        """Return the texts that are written, Korean first."""
        return (self.ko,) if self.en is None else (self.ko, self.en)


@dataclass(frozen=True)
class TextList(_Bilingual[tuple[str, ...]]):
    """A list of texts in both languages; `en` is None only in a draft whose English is not written yet."""

    def texts(self) -> tuple[str, ...]:
        """Return every written text, Korean first."""
        return self.ko + (self.en or ())


@dataclass(frozen=True)
class TableRow:
    """One comparison row: a label and one cell per column."""

    key: str
    label: Text
    cells: TextList


@dataclass(frozen=True)
class Table:
    """A comparison table kept as data, so every answer rendered from it agrees."""

    id: str
    caption: Text
    header: Text
    columns: TextList
    rows: tuple[TableRow, ...]

    def row(self, key: str) -> TableRow:
        """Return the row with `key`."""
        for row in self.rows:
            if row.key == key:
                return row
        raise KeyError(key)


@dataclass(frozen=True)
class OutOfScope:
    """A nearby topic the lesson does not answer, recognised by its terms."""

    topic: Text
    terms: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One answerable unit of a lesson."""

    id: str
    source: str
    title: Text
    questions: TextList
    answer: Text | None = None
    related: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    table: str | None = None
    row: str | None = None
    summary: bool = False
    parent: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Lesson:
    """A lesson: metadata, entries, tables, recap points and vocabulary."""

    id: str
    day: int
    date: str
    title: Text
    entries: tuple[Entry, ...]
    summary: TextList
    subtitle: Text | None = None
    tables: tuple[Table, ...] = ()
    glossary: tuple[tuple[str, ...], ...] = ()
    out_of_scope: tuple[OutOfScope, ...] = ()
    path: str = ""
    draft: bool = False
    warnings: tuple[Problem, ...] = field(default=(), compare=False)
    # The content hash of the file it was read from ("" when not read from a file): a reload reuses
    # the lesson it already holds for a file whose bytes did not change (see `load_knowledge`).
    source_key: str = field(default="", compare=False, repr=False)
    _by_id: Mapping[str, Entry] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {entry.id: entry for entry in self.entries})

    def entry(self, entry_id: str) -> Entry:
        """Return the entry with `entry_id` (KeyError if absent)."""
        return self._by_id[entry_id]

    def has_entry(self, entry_id: str) -> bool:
        """Return whether the lesson has an entry with `entry_id`."""
        return entry_id in self._by_id

    def parent_of(self, entry: Entry) -> Entry | None:
        """Return the overview entry that `entry` is part of: its `parent`, or its table's whole-table entry."""
        if entry.parent is not None:
            return self._by_id.get(entry.parent)
        if entry.table is not None and entry.row is not None:
            for other in self.entries:
                if other.table == entry.table and other.row is None:
                    return other
        return None

    def family(self, entry: Entry) -> frozenset[str]:
        """Return the ids of `entry`, its overview and the entries it is the overview of."""
        ids = {entry.id}
        parent = self.parent_of(entry)
        if parent is not None:
            ids.add(parent.id)
        ids.update(other.id for other in self.entries if self.parent_of(other) == entry)
        return frozenset(ids)

    def table(self, table_id: str) -> Table:
        """Return the table with `table_id`."""
        for table in self.tables:
            if table.id == table_id:
                return table
        raise KeyError(table_id)


@dataclass(frozen=True)
class Knowledge:
    """Every loaded lesson, in a stable order (by day, then id)."""

    lessons: tuple[Lesson, ...]

    def lesson(self, lesson_id: str) -> Lesson:
        """Return the lesson with `lesson_id`."""
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(lesson_id)

    def entries(self) -> Iterator[tuple[Lesson, Entry]]:
        """Yield every (lesson, entry) pair."""
        for lesson in self.lessons:
            for entry in lesson.entries:
                yield lesson, entry


# --- parsing -------------------------------------------------------------------------------------

_TOP_KEYS = {"format", "draft", "lesson", "glossary", "out_of_scope", "summary", "tables", "entries"}
_LESSON_KEYS = {"id", "day", "date", "title", "subtitle"}
_ENTRY_KEYS = {
    "id",
    "source",
    "title",
    "answer",
    "questions",
    "related",
    "keywords",
    "table",
    "row",
    "summary",
    "parent",
}
_TABLE_KEYS = {"id", "caption", "header", "columns", "rows"}
_ROW_KEYS = {"key", "label", "cells"}
_OOS_KEYS = {"topic", "terms"}


class _LessonReader(Reader):
    """The shared reader plus the two kinds of value only knowledge has: bilingual texts and text lists."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        # In a file marked `draft: true` (what `lessonbot import` writes) an explicit `en: null` marks
        # an English text as not written yet: a warning. Anywhere else a missing language is an error.
        self.draft = False

    def absent(self, node: YMap, lang: Lang, what: str) -> bool:
        """Return whether `lang` of a pair is absent, reporting it: a warning for a draft's `en: null`."""
        if lang in node and node[lang] is not None:
            return False
        if lang == "en" and "en" in node and self.draft:
            self.warn(node.line_of("en"), f"{what}: English not written yet (en: null)")
        elif lang == "en" and "en" in node:
            self.fail(node.line_of("en"), f"{what}: missing 'en' (en: null is allowed only in a draft: true file)")
        else:
            self.fail(node.line, f"{what}: missing {lang!r}")
        return True

    def text(self, value: Any, line: int, what: str) -> Text | None:
        pair = self._bilingual(
            value, line, what, lambda node, lang: self.string(node[lang], node.line_of(lang), f"{what}.{lang}")
        )
        return None if pair is None else Text(ko=pair[0], en=pair[1])

    def text_list(self, value: Any, line: int, what: str) -> TextList | None:
        pair = self._bilingual(value, line, what, lambda node, lang: self._texts(node, lang, what))
        return None if pair is None else TextList(ko=pair[0], en=pair[1])

    def _texts(self, node: YMap, lang: Lang, what: str) -> tuple[str, ...] | None:
        items = self.strings(node[lang], node.line_of(lang), f"{what}.{lang}")
        if items is not None and not items:
            self.fail(node.line_of(lang), f"{what}.{lang}: is empty")
            return None
        return items

    def _bilingual(
        self, value: Any, line: int, what: str, read: Callable[[YMap, Lang], V | None]
    ) -> tuple[V, V | None] | None:
        """Return (ko, en) of a `{ko: …, en: …}` value, each read by `read`; en is None only where a
        draft has not written it yet. None if any part has a problem (reported)."""
        node = self.mapping(value, line, what, LANGS)
        if node is None:
            return None
        parts: dict[str, V | None] = {}
        for lang in LANGS:
            if self.absent(node, lang, what):
                parts[lang] = None
                continue
            item = read(node, lang)
            if item is not None:
                parts[lang] = item
        ko = parts.get("ko")
        if ko is None or "en" not in parts:
            return None
        return ko, parts["en"]


def parse_lesson(text: str, *, path: str) -> Lesson:
    """Validate a knowledge file's text and build its Lesson; raise KnowledgeError listing every problem."""
    try:
        data = parse_yaml(text, path=path)
    except SourceError as exc:
        raise KnowledgeError(exc.problems) from None
    check = _LessonReader(path)
    lesson = _parse_lesson(data, check)
    check.raise_problems(KnowledgeError)
    if lesson is None:  # pragma: no cover - a lesson is not built only when a problem was reported
        raise KnowledgeError([Problem(path, 1, "not a lesson")])
    return lesson


def _parse_lesson(data: Any, check: _LessonReader) -> Lesson | None:
    if data is None:
        check.fail(1, "the file is empty")
        return None
    top = check.mapping(data, 1, "file", _TOP_KEYS)
    if top is None:
        return None
    fmt = top.get("format")
    if fmt != 1:
        check.fail(top.line_of("format"), f"format: expected 1, got {describe(fmt)}")
    draft = check.boolean(top, "draft", "draft")
    check.draft = draft

    meta = check.mapping(check.required(top, "lesson", "file"), top.line_of("lesson"), "lesson", _LESSON_KEYS)
    lesson_id = day = date = title = subtitle = None
    if meta is not None:
        lesson_id = check.string(check.required(meta, "id", "lesson"), meta.line_of("id"), "lesson.id")
        if lesson_id is not None and not is_lesson_id(lesson_id):
            check.fail(meta.line_of("id"), f"lesson.id: {shown(lesson_id)} must be lowercase letters, digits and '-'")
        raw_day = check.required(meta, "day", "lesson")
        if raw_day is not MISSING:
            if isinstance(raw_day, bool) or not isinstance(raw_day, int) or raw_day < 1:
                check.fail(
                    meta.line_of("day"), f"lesson.day: expected a positive whole number, got {describe(raw_day)}"
                )
            else:
                day = raw_day
        date = check.string(check.required(meta, "date", "lesson"), meta.line_of("date"), "lesson.date")
        title = check.text(check.required(meta, "title", "lesson"), meta.line_of("title"), "lesson.title")
        if "subtitle" in meta:
            subtitle = check.text(meta["subtitle"], meta.line_of("subtitle"), "lesson.subtitle")

    glossary = _parse_glossary(top, check)
    out_of_scope = _parse_out_of_scope(top, check)
    summary = check.text_list(check.required(top, "summary", "file"), top.line_of("summary"), "summary")
    if summary is not None and summary.en is not None and len(summary.ko) != len(summary.en):
        check.fail(
            top.line_of("summary"),
            f"summary: {len(summary.ko)} Korean points but {len(summary.en)} English points",
        )
    tables = _parse_tables(top, check)
    entries = _parse_entries(top, check, tables)

    if check.problems:
        return None
    if draft and not check.warnings:
        check.warn(top.line_of("draft"), "draft: every English text is written; remove 'draft: true'")
    # Guarded above: no problems means every required value was read.
    assert lesson_id is not None
    assert day is not None
    assert date is not None
    assert title is not None
    assert summary is not None
    return Lesson(
        id=lesson_id,
        day=day,
        date=date,
        title=title,
        subtitle=subtitle,
        entries=entries,
        summary=summary,
        tables=tuple(tables.values()),
        glossary=glossary,
        out_of_scope=out_of_scope,
        path=check.path,
        draft=draft,
        warnings=tuple(sorted(set(check.warnings))),
    )


def _parse_glossary(top: YMap, check: _LessonReader) -> tuple[tuple[str, ...], ...]:
    # An absent optional list reads as MISSING, which `sequence` passes over without a problem.
    groups = check.sequence(top.get("glossary", MISSING), top.line_of("glossary"), "glossary")
    if groups is None:
        return ()
    result: list[tuple[str, ...]] = []
    for index, group in enumerate(groups):
        terms = check.strings(group, groups.line_of(index), f"glossary[{index}]")
        if terms is None:
            continue
        if len(terms) < 2:
            check.fail(groups.line_of(index), f"glossary[{index}]: a synonym group needs at least two terms")
            continue
        result.append(terms)
    return tuple(result)


def _parse_out_of_scope(top: YMap, check: _LessonReader) -> tuple[OutOfScope, ...]:
    items = check.sequence(top.get("out_of_scope", MISSING), top.line_of("out_of_scope"), "out_of_scope")
    if items is None:
        return ()
    result: list[OutOfScope] = []
    for index, raw in enumerate(items):
        what = f"out_of_scope[{index}]"
        node = check.mapping(raw, items.line_of(index), what, _OOS_KEYS)
        if node is None:
            continue
        topic = check.text(check.required(node, "topic", what), node.line_of("topic"), f"{what}.topic")
        terms = check.strings(check.required(node, "terms", what), node.line_of("terms"), f"{what}.terms")
        if terms is not None and not terms:
            check.fail(node.line_of("terms"), f"{what}.terms: is empty")
        if topic is not None and terms:
            result.append(OutOfScope(topic=topic, terms=terms))
    return tuple(result)


def _parse_tables(top: YMap, check: _LessonReader) -> dict[str, Table]:
    tables: dict[str, Table] = {}
    items = check.sequence(top.get("tables", MISSING), top.line_of("tables"), "tables")
    if items is None:
        return tables
    for index, raw in enumerate(items):
        node = check.mapping(raw, items.line_of(index), f"tables[{index}]", _TABLE_KEYS)
        if node is None:
            continue
        table_id = check.string(check.required(node, "id", f"tables[{index}]"), node.line_of("id"), "table id")
        what = f"table {shown(table_id)}" if table_id else f"tables[{index}]"
        if table_id is not None and table_id in tables:
            check.fail(node.line_of("id"), f"duplicate table id {shown(table_id)}")
        caption = check.text(check.required(node, "caption", what), node.line_of("caption"), f"{what} caption")
        header = check.text(check.required(node, "header", what), node.line_of("header"), f"{what} header")
        columns = check.text_list(check.required(node, "columns", what), node.line_of("columns"), f"{what} columns")
        if columns is not None and columns.en is not None and len(columns.ko) != len(columns.en):
            check.fail(node.line_of("columns"), f"{what} columns: {len(columns.ko)} in ko but {len(columns.en)} in en")
        rows = _parse_rows(node, check, what, columns)
        if table_id and caption and header and columns and rows is not None:
            tables[table_id] = Table(table_id, caption, header, columns, rows)
    return tables


def _parse_rows(node: YMap, check: _LessonReader, what: str, columns: TextList | None) -> tuple[TableRow, ...] | None:
    items = check.sequence(check.required(node, "rows", what), node.line_of("rows"), f"{what} rows")
    if items is None:
        return None
    if not items:
        check.fail(node.line_of("rows"), f"{what} rows: is empty")
    rows: list[TableRow] = []
    seen: set[str] = set()
    for index, raw in enumerate(items):
        row = check.mapping(raw, items.line_of(index), f"{what} row {index + 1}", _ROW_KEYS)
        if row is None:
            continue
        key = check.string(check.required(row, "key", f"{what} row {index + 1}"), row.line_of("key"), "row key")
        label = f"{what} row {shown(key)}" if key else f"{what} row {index + 1}"
        if key is not None:
            if not is_lesson_id(key):
                check.fail(row.line_of("key"), f"{label}: key must be lowercase letters, digits and '-'")
            if key in seen:
                check.fail(row.line_of("key"), f"{what}: duplicate row key {shown(key)}")
            seen.add(key)
        row_label = check.text(check.required(row, "label", label), row.line_of("label"), f"{label} label")
        cells = check.text_list(check.required(row, "cells", label), row.line_of("cells"), f"{label} cells")
        if cells is not None and columns is not None:
            for lang in LANGS:
                if not cells.has(lang):
                    continue
                # (checked against the Korean columns while the English ones are not written)
                want, got = len(columns.get(lang)), len(cells.get(lang))
                if want != got:
                    check.fail(
                        row.line_of("cells"),
                        f"{label} cells.{lang}: expected {want} cells (one per column), got {got}",
                    )
        if key and row_label and cells:
            rows.append(TableRow(key, row_label, cells))
    return tuple(rows)


def _parse_entries(top: YMap, check: _LessonReader, tables: Mapping[str, Table]) -> tuple[Entry, ...]:
    items = check.sequence(check.required(top, "entries", "file"), top.line_of("entries"), "entries")
    if items is None:
        return ()
    if not items:
        check.fail(top.line_of("entries"), "entries: the lesson has no entries")
    entries: list[Entry] = []
    first_line: dict[str, int] = {}
    # Every entry written, valid or not, by id: a broken entry is reported once, not again by every
    # entry that links to it; and links are reported on their own line.
    declared: dict[str, YMap] = {
        str(raw["id"]): raw for raw in items if isinstance(raw, YMap) and isinstance(raw.get("id"), str | int)
    }
    for index, raw in enumerate(items):
        entry = _parse_entry(raw, items.line_of(index), index, check, tables)
        if entry is None:
            continue
        if entry.id in first_line:
            check.fail(
                entry.line, f"duplicate entry id {shown(entry.id)} (first defined on line {first_line[entry.id]})"
            )
            continue
        first_line[entry.id] = entry.line
        entries.append(entry)
    for entry in entries:
        node = declared[entry.id]
        if entry.parent is not None and (entry.parent == entry.id or entry.parent not in declared):
            check.fail(
                node.line_of("parent"),
                f"entry {shown(entry.id)}: parent {shown(entry.parent)} is not another entry of this lesson",
            )
        for related in entry.related:
            if related == entry.id:
                check.fail(node.line_of("related"), f"entry {shown(entry.id)}: related names the entry itself")
            elif related not in declared:
                check.fail(
                    node.line_of("related"),
                    f"entry {shown(entry.id)}: related id {shown(related)} is not an entry of this lesson",
                )
    return tuple(entries)


def _parse_entry(raw: Any, line: int, index: int, check: _LessonReader, tables: Mapping[str, Table]) -> Entry | None:
    node = check.mapping(raw, line, f"entries[{index}]")
    if node is None:
        return None
    entry_id = check.string(check.required(node, "id", f"entries[{index}]"), node.line_of("id"), "entry id")
    what = f"entry {shown(entry_id)}" if entry_id else f"entries[{index}]"
    check.mapping(node, line, what, _ENTRY_KEYS)
    if entry_id is not None and not is_entry_id(entry_id):
        check.fail(node.line_of("id"), f"{what}: id must be lowercase letters, digits, '.' and '-'")
    source = check.string(check.required(node, "source", what), node.line_of("source"), f"{what} source")
    title = check.text(check.required(node, "title", what), node.line_of("title"), f"{what} title")
    questions = check.text_list(check.required(node, "questions", what), node.line_of("questions"), f"{what} questions")
    answer = None
    if "answer" in node:
        answer = check.text(node["answer"], node.line_of("answer"), f"{what} answer")
    related = _optional_strings(node, "related", what, check)
    keywords = _optional_strings(node, "keywords", what, check)
    table_id = row_key = None
    if "table" in node:
        table_id = check.string(node["table"], node.line_of("table"), f"{what} table")
        if table_id is not None and table_id not in tables:
            check.fail(node.line_of("table"), f"{what}: table {shown(table_id)} is not defined under 'tables'")
    if "row" in node:
        row_key = check.string(node["row"], node.line_of("row"), f"{what} row")
        if table_id is None and "table" not in node:
            check.fail(node.line_of("row"), f"{what}: 'row' needs 'table'")
        elif table_id is not None and table_id in tables and row_key is not None:
            try:
                tables[table_id].row(row_key)
            except KeyError:
                check.fail(node.line_of("row"), f"{what}: table {shown(table_id)} has no row {shown(row_key)}")
    parent = None
    if "parent" in node:
        parent = check.string(node["parent"], node.line_of("parent"), f"{what} parent")
    summary = check.boolean(node, "summary", f"{what} summary")
    if answer is None and table_id is None and not summary and "answer" not in node and "table" not in node:
        check.fail(node.line, f"{what}: has no answer (give 'answer', 'table', or 'summary: true')")
    if entry_id is None or source is None or title is None or questions is None:
        return None
    return Entry(
        id=entry_id,
        source=source,
        title=title,
        questions=questions,
        answer=answer,
        related=related,
        keywords=keywords,
        table=table_id,
        row=row_key,
        summary=summary,
        parent=parent,
        line=node.line_of("id"),
    )


def _optional_strings(node: YMap, key: str, what: str, check: _LessonReader) -> tuple[str, ...]:
    if key not in node or node[key] is None:
        return ()
    return check.strings(node[key], node.line_of(key), f"{what} {key}") or ()


def parse_knowledge(lessons: Iterable[Lesson]) -> Knowledge:
    """Combine lessons, checking that lesson ids are unique; order them by day then id."""
    seen: dict[str, str] = {}
    problems: list[Problem] = []
    ordered = sorted(lessons, key=lambda lesson: (lesson.day, lesson.id))
    for lesson in ordered:
        if lesson.id in seen:
            problems.append(Problem(lesson.path, 1, f"lesson id {shown(lesson.id)} is also used by {seen[lesson.id]}"))
        seen[lesson.id] = lesson.path
    if problems:
        raise KnowledgeError(problems)
    return Knowledge(lessons=tuple(ordered))


# --- plain data (for the cache) --------------------------------------------------------------------
# A Lesson as JSON-able lists and dicts, and back. Only what `lesson_to_plain` wrote is ever read back
# (the cache checks code version and content first); a mismatch raises, and the caller rebuilds.


def _text_plain(text: Text | None) -> list[str | None] | None:
    return None if text is None else [text.ko, text.en]


def _text(plain: Any) -> Text:
    ko, en = plain
    return Text(ko=ko, en=en)


def _text_list_plain(texts: TextList) -> list[list[str] | None]:
    return [list(texts.ko), None if texts.en is None else list(texts.en)]


def _text_list(plain: Any) -> TextList:
    ko, en = plain
    return TextList(ko=tuple(ko), en=None if en is None else tuple(en))


def lesson_to_plain(lesson: Lesson) -> dict[str, Any]:
    """Return `lesson` as plain JSON-able data (its path is not part of it: the cache is by content)."""
    return {
        "id": lesson.id,
        "day": lesson.day,
        "date": lesson.date,
        "title": _text_plain(lesson.title),
        "subtitle": _text_plain(lesson.subtitle),
        "summary": _text_list_plain(lesson.summary),
        "draft": lesson.draft,
        "glossary": [list(group) for group in lesson.glossary],
        "out_of_scope": [[_text_plain(item.topic), list(item.terms)] for item in lesson.out_of_scope],
        "tables": [
            [
                table.id,
                _text_plain(table.caption),
                _text_plain(table.header),
                _text_list_plain(table.columns),
                [[row.key, _text_plain(row.label), _text_list_plain(row.cells)] for row in table.rows],
            ]
            for table in lesson.tables
        ],
        "entries": [
            [
                entry.id,
                entry.source,
                _text_plain(entry.title),
                _text_list_plain(entry.questions),
                _text_plain(entry.answer),
                list(entry.related),
                list(entry.keywords),
                entry.table,
                entry.row,
                entry.summary,
                entry.parent,
                entry.line,
            ]
            for entry in lesson.entries
        ],
        "warnings": [[warning.line, warning.message, warning.severity] for warning in lesson.warnings],
    }


def lesson_from_plain(plain: Mapping[str, Any], *, path: str) -> Lesson:
    """Return the Lesson `lesson_to_plain` described, read from the file at `path`."""
    entries = tuple(
        Entry(
            id=entry_id,
            source=source,
            title=_text(title),
            questions=_text_list(questions),
            answer=None if answer is None else _text(answer),
            related=tuple(related),
            keywords=tuple(keywords),
            table=table,
            row=row,
            summary=summary,
            parent=parent,
            line=line,
        )
        for entry_id, source, title, questions, answer, related, keywords, table, row, summary, parent, line in plain[
            "entries"
        ]
    )
    tables = tuple(
        Table(
            id=table_id,
            caption=_text(caption),
            header=_text(header),
            columns=_text_list(columns),
            rows=tuple(TableRow(key=key, label=_text(label), cells=_text_list(cells)) for key, label, cells in rows),
        )
        for table_id, caption, header, columns, rows in plain["tables"]
    )
    subtitle = plain["subtitle"]
    return Lesson(
        id=plain["id"],
        day=plain["day"],
        date=plain["date"],
        title=_text(plain["title"]),
        subtitle=None if subtitle is None else _text(subtitle),
        entries=entries,
        summary=_text_list(plain["summary"]),
        tables=tables,
        glossary=tuple(tuple(group) for group in plain["glossary"]),
        out_of_scope=tuple(
            OutOfScope(topic=_text(topic), terms=tuple(terms)) for topic, terms in plain["out_of_scope"]
        ),
        path=path,
        draft=plain["draft"],
        warnings=tuple(Problem(path, line, message, severity) for line, message, severity in plain["warnings"]),
    )


# --- loading (I/O) -------------------------------------------------------------------------------


def lesson_files(path: str | os.PathLike[str]) -> list[Path]:
    """Return the lesson files at `path`: the file itself, or every *.yaml/*.yml in the folder."""
    target = Path(path)
    if target.is_dir():
        return sorted(p for p in target.iterdir() if p.suffix in {".yaml", ".yml"} and p.is_file())
    return [target]


def load_lesson(
    path: str | os.PathLike[str], *, cache: PlainCache | None = None, previous: Mapping[str, Lesson] | None = None
) -> Lesson:
    """Read and validate one lesson file; with `cache`, reuse the lesson validated from the same bytes.

    `previous` maps content hashes to lessons already held (see `load_knowledge`): one read from the
    same path and bytes is returned as it is.
    """
    name = os.fspath(path)
    try:
        data = read_bytes(name)
        key = content_key(data)
        held = previous.get(key) if previous is not None else None
        if held is not None and held.path == name:
            return held
        if cache is not None:
            lesson = _cached_lesson(cache, key, name)
            if lesson is not None:
                return _read_from(lesson, key)
        text = decode_text(data, path=name)
    except SourceError as exc:
        raise KnowledgeError(exc.problems) from None
    # The bytes are no longer needed: the text alone is held while the lesson is built.
    del data
    lesson = parse_lesson(text, path=name)
    if cache is not None:
        cache.put(key, lesson_to_plain(lesson))
    return _read_from(lesson, key)


def _read_from(lesson: Lesson, key: str) -> Lesson:
    # Set on the lesson just built, before anyone else holds it (a copy would double it for a moment).
    object.__setattr__(lesson, "source_key", key)
    return lesson


def _cached_lesson(cache: PlainCache, key: str, path: str) -> Lesson | None:
    plain = cache.get(key)
    if plain is None:
        return None
    try:
        return lesson_from_plain(plain, path=path)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None  # an entry that passed the header check but is not what we write: rebuild it


def load_knowledge(
    path: str | os.PathLike[str], *, cache: PlainCache | None = None, previous: Knowledge | None = None
) -> Knowledge:
    """Read and validate a lesson file or a folder of them; raise KnowledgeError listing every problem.

    With `cache` (see `lesson_cache`), a file whose bytes were validated before by this version of the
    code is not parsed again: its lesson is read back from the cache. With `previous` (the knowledge a
    reload replaces), a file with the same path and bytes gives the very lesson it gave then, so the
    two knowledges share it instead of holding two copies.
    """
    files = lesson_files(path)
    if not files:
        raise KnowledgeError([Problem(os.fspath(path), 0, "no lesson files (*.yaml) found")])
    if not Path(path).exists():
        raise KnowledgeError([Problem(os.fspath(path), 0, "no such file or folder")])
    lessons: list[Lesson] = []
    problems: list[Problem] = []
    held = {lesson.source_key: lesson for lesson in previous.lessons if lesson.source_key} if previous else None
    for file in files:
        try:
            lessons.append(load_lesson(file, cache=cache, previous=held))
        except KnowledgeError as exc:
            problems.extend(exc.problems)
    if problems:
        raise KnowledgeError(problems)
    return parse_knowledge(lessons)


def lesson_cache(environ: Mapping[str, str]) -> PlainCache | None:
    """Return the user's cache of validated lessons (None when caching is off or there is no home)."""
    folder = user_cache_dir(environ)
    if folder is None:
        return None
    # The lesson a file gives depends on this module, the reader and the id grammar: a change to any
    # of them must invalidate what was cached.
    return PlainCache(folder, kind="lesson", code=code_version(sys.modules[__name__], bot.source, bot.ids, bot.cache))


def default_knowledge_path() -> Path:
    """Return the bundled lessons: inside the installed package, else the source checkout's knowledge/."""
    here = Path(__file__).resolve().parent
    installed = here / "knowledge"
    if installed.is_dir():
        return installed
    return here.parent / "knowledge"
