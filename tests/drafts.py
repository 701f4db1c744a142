"""Test helper: a matcher on a lesson written in the test and imported as `lessonbot import` would."""

from __future__ import annotations

from pathlib import Path

from bot.importer import import_lesson
from bot.knowledge import load_lesson, parse_knowledge
from bot.matching import Matcher


def imported_matcher(folder: Path, lesson: Path) -> Matcher:
    """Import the Markdown `lesson` into `folder` as `lessonbot import` would; return a matcher on the draft."""
    target = folder / f"{lesson.stem}.yaml"
    import_lesson(lesson, output=target)
    return Matcher(parse_knowledge([load_lesson(target)]))


def draft_matcher(folder: Path, name: str, markdown: str) -> Matcher:
    """Write `markdown` as `folder/name.md`, import it to a draft next to it, and return a matcher on the draft."""
    lesson = folder / f"{name}.md"
    lesson.write_text(markdown, encoding="utf-8")
    return imported_matcher(folder, lesson)
