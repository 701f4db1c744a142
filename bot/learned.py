"""Phrasings moderators taught from Discord: added to the knowledge as alternate questions, and
exported as YAML to merge into the lesson files. Pure: no Discord, no database (the store reads them).

A taught phrasing is a question that should have matched an entry. It is added to that entry's
questions in its language, so the matcher treats it like any written phrasing; nothing in the
matcher knows where it came from.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Protocol, TextIO

import yaml

from bot.config import load_config_or_report
from bot.knowledge import Entry, Knowledge, TextList
from bot.store import StoreError, read_learned

EXIT_OK, EXIT_USAGE = 0, 2


class Taught(Protocol):
    """One taught phrasing (the store's `Learned` has these fields)."""

    @property
    def lesson_id(self) -> str: ...
    @property
    def entry_id(self) -> str: ...
    @property
    def question(self) -> str: ...
    @property
    def lang(self) -> str: ...


def with_learned(knowledge: Knowledge, learned: Iterable[Taught]) -> Knowledge:
    """Return `knowledge` with each taught phrasing added to its entry's questions.

    Phrasings of lessons or entries no longer loaded are skipped (they stay stored and come back
    if the entry does); a phrasing the entry already has is not added twice.
    """
    extra: dict[tuple[str, str], list[Taught]] = {}
    for taught in learned:
        extra.setdefault((taught.lesson_id, taught.entry_id), []).append(taught)
    if not extra:
        return knowledge
    lessons = []
    for lesson in knowledge.lessons:
        if not any(lesson_id == lesson.id for lesson_id, _ in extra):
            lessons.append(lesson)
            continue
        entries = tuple(_with_questions(entry, extra.get((lesson.id, entry.id), ())) for entry in lesson.entries)
        lessons.append(replace(lesson, entries=entries))
    return Knowledge(tuple(lessons))


def _with_questions(entry: Entry, taught: Sequence[Taught]) -> Entry:
    if not taught:
        return entry
    ko, en = list(entry.questions.ko), None if entry.questions.en is None else list(entry.questions.en)
    for phrasing in taught:
        # A draft without English yet keeps every phrasing in its Korean list (en stays "not written").
        target = en if phrasing.lang == "en" and en is not None else ko
        if phrasing.question not in target:
            target.append(phrasing.question)
    return replace(entry, questions=TextList(tuple(ko), None if en is None else tuple(en)))


def export_yaml(learned: Iterable[Taught]) -> str:
    """Return the taught phrasings as YAML, per lesson and entry, ready to merge into the lesson files.

    Each entry lists its new `questions` by language, in the shape the lesson file uses, so they
    are pasted into the entry with the same id (then `lessonbot check` validates the result).
    """
    tree: dict[str, dict[str, dict[str, list[str]]]] = {}
    for taught in learned:
        lang = "en" if taught.lang == "en" else "ko"
        questions = tree.setdefault(taught.lesson_id, {}).setdefault(taught.entry_id, {})
        phrasings = questions.setdefault(lang, [])
        if taught.question not in phrasings:
            phrasings.append(taught.question)
    document = {
        "learned": [
            {
                "lesson": lesson_id,
                "entries": [
                    {"id": entry_id, "questions": {lang: questions[lang] for lang in ("ko", "en") if lang in questions}}
                    for entry_id, questions in sorted(entries.items())
                ],
            }
            for lesson_id, entries in sorted(tree.items())
        ]
    }
    head = (
        "# Phrasings moderators taught from Discord (lessonbot learned export).\n"
        "# Add each entry's questions to the entry with the same id in that lesson's file,\n"
        "# then run `lessonbot check`.\n"
    )
    return head + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)


def export_learned(config_path: str | os.PathLike[str], *, out: TextIO, err: TextIO) -> int:
    """`lessonbot learned export`: print the taught phrasings of the bot using `config_path` as YAML.

    Returns 0, or 2 (one line on `err`) if the config or its state database cannot be read.
    """
    config = load_config_or_report(config_path, err=err, environ={})
    if config is None:
        return EXIT_USAGE
    try:
        learned = read_learned(config.storage_path)
    except StoreError as exc:
        err.write(f"lessonbot: {exc}\n")
        return EXIT_USAGE
    out.write(export_yaml(learned))
    return EXIT_OK
