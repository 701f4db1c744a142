"""The edge of `lessonbot import`: read the lesson's Markdown and the file it replaces, write the result.

Everything between reading and writing is the pure pipeline: parse_markdown → build_draft →
merge_draft → format_yaml, validated with `bot.knowledge.parse_lesson` before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.importer.draft import build_draft
from bot.importer.lesson import ImportFailure, LessonDoc
from bot.importer.markdown import parse_markdown
from bot.importer.merge import ImportReport, merge_draft
from bot.importer.text import plain
from bot.importer.yaml_text import format_yaml

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


def lesson_id_for(doc: LessonDoc, *names: str) -> str:
    """Return a lesson id: the first of `names` (file stems) that is a valid id, else day + title words."""
    for name in names:
        slug = re.sub(r"[\s_]+", "-", name.strip().lower())
        if _SLUG.match(slug):
            return slug
    words = re.findall(r"[a-z0-9]+", plain(doc.title).lower())
    return "-".join([f"day{doc.day}" if doc.day else "lesson", *words[:4]])


@dataclass(frozen=True)
class ImportResult:
    """What `import_lesson` produced: the file's text, where it goes, and the report."""

    text: str
    target: str
    report: ImportReport


def import_lesson(
    markdown_path: str | Path,
    *,
    output: str | Path | None = None,
    folder: str | Path = "knowledge",
    lesson_id: str | None = None,
    write: bool = True,
) -> ImportResult:
    """Import a lesson's Markdown into a knowledge file, merging with the file it replaces.

    `output` "-" means no file (the caller prints the text). The result is validated as a knowledge
    file before anything is written; raise ImportFailure with the reason when it cannot be done.
    """
    from bot.knowledge import KnowledgeError, parse_lesson
    from bot.source import SourceError, read_text

    source = Path(markdown_path)
    try:
        doc = parse_markdown(read_text(str(source)))
    except SourceError as exc:
        raise ImportFailure(str(exc)) from None
    to_stdout = output == "-"
    named = Path(output) if output is not None and not to_stdout else None
    out_name = named.stem if named is not None else ""
    ident = lesson_id or lesson_id_for(doc, *(n for n in (out_name, source.stem) if n))
    if not _SLUG.match(ident):
        raise ImportFailure(f"lesson id {ident!r} must be lowercase letters, digits and '-'")
    target = named if named is not None else Path(folder) / f"{ident}.yaml"
    previous = None if to_stdout else _read_previous(target)
    data, report = merge_draft(build_draft(doc, lesson_id=ident), previous)
    text = format_yaml(data, source=source.name)
    shown = "-" if to_stdout else str(target)
    try:
        parse_lesson(text, path=shown)
    except KnowledgeError as exc:
        raise ImportFailure(f"the merged knowledge would not be valid, nothing written:\n{exc}") from None
    if write and not to_stdout:
        _write_whole(target, text)
    return ImportResult(text=text, target=shown, report=report)


def _read_previous(target: Path) -> Any:
    """Return the data of the knowledge file an import replaces, None when there is none yet."""
    from bot.source import SourceError, read_text

    if not target.exists():
        return None
    try:
        previous = yaml.safe_load(read_text(str(target)))
    except (SourceError, yaml.YAMLError) as exc:
        raise ImportFailure(f"{target}: cannot read the existing file to keep its hand-written parts: {exc}") from None
    if not (isinstance(previous, dict) and isinstance(previous.get("entries"), list)):
        raise ImportFailure(f"{target}: exists and is not a knowledge file; move it away first")
    return previous


def _write_whole(target: Path, text: str) -> None:
    """Write the file whole or not at all: into a temporary file beside it, then renamed over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)
