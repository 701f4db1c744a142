"""The edge of `lessonbot import`: read the lesson's Markdown and the file it replaces, write the result.

Everything between reading and writing is the pure pipeline: parse_markdown → build_draft →
merge_draft → format_yaml, validated with `bot.knowledge.parse_lesson` before anything is written.

Knowledge is never lost: a file the importer wrote carries a fingerprint of its own text, so any hand
edit since (English, a comment, an entry of one's own) shows. Such a file, or one the importer never
wrote, is only replaced with `force`, and then a copy of it is kept beside it first.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from bot.importer.draft import build_draft
from bot.importer.lesson import ImportFailure, LessonDoc
from bot.importer.markdown import parse_markdown
from bot.importer.merge import ImportReport, entry_fingerprints, merge_draft
from bot.importer.roundtrip import RoundTripError, apply_to_file
from bot.importer.text import plain
from bot.importer.yaml_text import format_yaml, has_valid_fingerprint, read_fingerprints, with_fingerprint

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
# A lesson in Markdown is a few tens of KiB; the cap keeps `import /dev/zero` from eating memory.
MAX_MARKDOWN_BYTES = 4 * 1024 * 1024
MAX_KNOWLEDGE_BYTES = 16 * 1024 * 1024


class ImportRefused(Exception):
    """The import would replace hand-written work and `force` was not given: nothing was written."""


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
    # The replaced file's text (None: there was none), for `--dry-run`'s diff.
    previous_text: str | None = None
    # The previous file holds hand-written content: replacing it needs `force` and keeps a backup.
    hand_written: bool = False
    backup: str | None = None
    written: bool = False

    def diff(self) -> str:
        """Return the change to the target as a unified diff ('' when nothing changes)."""
        before = (self.previous_text or "").splitlines(keepends=True)
        after = self.text.splitlines(keepends=True)
        name = self.target
        lines = difflib.unified_diff(
            before, after, fromfile=name if self.previous_text is not None else "/dev/null", tofile=name
        )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def import_lesson(
    markdown_path: str | Path,
    *,
    output: str | Path | None = None,
    folder: str | Path = "knowledge",
    lesson_id: str | None = None,
    write: bool = True,
    force: bool = False,
    now: datetime | None = None,
) -> ImportResult:
    """Import a lesson's Markdown into a knowledge file, merging with the file it replaces.

    `output` "-" means no file (the caller prints the text). The result is validated as a knowledge
    file before anything is written; raise ImportFailure with the reason when it cannot be done, and
    ImportRefused when the file holds hand-written content and `force` is not given. With `force`, the
    replaced file is first copied to FILE.bak-<UTC time of `now`>.
    """
    from bot.knowledge import KnowledgeError, parse_lesson

    source = Path(markdown_path)
    doc = parse_markdown(_read_capped(source, MAX_MARKDOWN_BYTES, what="lesson"))
    to_stdout = output == "-"
    named = Path(output) if output is not None and not to_stdout else None
    # The id comes from --id, the file it replaces, the lesson's file name, else its day and title;
    # never from the output's name (`-o draft.yaml` must not make a lesson called "draft").
    ident = lesson_id or lesson_id_for(doc, source.stem)
    if not _SLUG.match(ident):
        raise ImportFailure(f"lesson id {ident!r} must be lowercase letters, digits and '-'")
    target = named if named is not None else Path(folder) / f"{ident}.yaml"
    if not to_stdout:
        target = _writable_target(target)
    previous_text = None if to_stdout else _read_previous_text(target)
    previous = None if previous_text is None else _previous_data(target, previous_text)
    fresh = build_draft(doc, lesson_id=ident)
    bases = entry_fingerprints(fresh)
    data, report = merge_draft(
        build_draft(doc, lesson_id=ident),
        previous,
        bases=read_fingerprints(previous_text) if previous_text is not None else {},
    )
    hand_written = previous_text is not None and not has_valid_fingerprint(previous_text)
    notes: list[str] = []
    text = format_yaml(data, source=source.name, fingerprints=bases)
    if previous_text is not None and hand_written:
        # Change the hand-written file in place: its comments and layout stay.
        try:
            text = apply_to_file(previous_text, data, fingerprints=bases)
        except RoundTripError as exc:
            notes.append(f"the file's comments could not be kept ({exc}); it is written anew")
    elif data == fresh:
        # Only a file with nothing but what the lesson gives carries the fingerprint; anything kept
        # by hand leaves it off, so the next import asks for --force again.
        text = with_fingerprint(text)
    shown = "-" if to_stdout else str(target)
    try:
        parse_lesson(text, path=shown)
    except KnowledgeError as exc:
        raise ImportFailure(f"the merged knowledge would not be valid, nothing written:\n{exc}") from None
    changed = previous_text != text
    report.notes.extend(notes)
    result = ImportResult(
        text=text, target=shown, report=report, previous_text=previous_text, hand_written=hand_written
    )
    if not write or to_stdout or not changed:
        return result
    if hand_written and not force:
        raise ImportRefused(
            f"{target} holds hand-written content (not the importer's own output); nothing written. "
            "See the changes with --dry-run; --force replaces it and keeps a backup"
        )
    backup = None
    if hand_written:
        stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup_path = target.with_name(f"{target.name}.bak-{stamp}")
        try:
            shutil.copy2(target, backup_path)
        except OSError as exc:
            reason = exc.strerror or exc
            raise ImportFailure(f"{backup_path}: cannot keep a backup, nothing written: {reason}") from None
        backup = str(backup_path)
    _write_whole(target, text)
    return ImportResult(
        text=text,
        target=shown,
        report=report,
        previous_text=previous_text,
        hand_written=hand_written,
        backup=backup,
        written=True,
    )


def _read_capped(path: Path, limit: int, *, what: str) -> str:
    """Read a regular UTF-8 file of at most `limit` bytes (never a device or a pipe that never ends)."""
    try:
        if not path.is_file():
            reason = "no such file" if not path.exists() else "not a regular file"
            raise ImportFailure(f"{path}: cannot read the {what}: {reason}")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise ImportFailure(f"{path}: cannot read the {what}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise ImportFailure(f"{path}: the {what} is larger than {limit // (1024 * 1024)} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailure(f"{path}:{line}: not UTF-8 text: {exc.reason}") from None


def _writable_target(target: Path) -> Path:
    """Return where to write `target`: through a symlink to its file; refuse devices, pipes and folders."""
    if target.exists() and not target.is_file():  # through any link: /dev/stdout is a pipe, not a file
        kind = "a folder" if target.is_dir() else "not a regular file"
        raise ImportFailure(f"{target}: is {kind}; give a file to write (or '-o -' for standard output)")
    if target.is_symlink():
        # Writing through the link keeps it a link (a rename would replace it with a plain file).
        target = Path(os.path.realpath(target))
    for parent in target.parents:
        if parent.exists():
            if not parent.is_dir():
                raise ImportFailure(f"{target}: cannot write there: {parent} is a file, not a folder")
            break
    return target


def _read_previous_text(target: Path) -> str | None:
    """Return the text of the file an import replaces, None when there is none yet."""
    if not target.exists():
        return None
    return _read_capped(target, MAX_KNOWLEDGE_BYTES, what="existing file")


def _previous_data(target: Path, text: str) -> Any:
    """Return the data of the knowledge file an import replaces."""
    from bot.source import SourceError

    try:
        previous = yaml.safe_load(text)
    except (SourceError, yaml.YAMLError, ValueError, RecursionError) as exc:
        raise ImportFailure(f"{target}: cannot read the existing file to keep its hand-written parts: {exc}") from None
    if not (isinstance(previous, dict) and isinstance(previous.get("entries"), list)):
        raise ImportFailure(f"{target}: exists and is not a knowledge file; move it away first")
    return previous


def _write_whole(target: Path, text: str) -> None:
    """Write the file whole or not at all: into a temporary file beside it, then renamed over it."""
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise ImportFailure(f"{target}: cannot write: {exc.strerror or exc}; nothing written") from None
