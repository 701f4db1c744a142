"""Re-import: merge a fresh draft with the knowledge file it replaces, keeping what was written by hand.

For ids that stay, English texts, extra questions, related links and keywords are kept; the glossary
and out_of_scope are kept whole; entries with ids of the author's own are kept in place. The
`ImportReport` says what was added, removed, kept, and changed under kept English; `format_report`
prints it. Pure: the caller reads the old file and writes the result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.importer.draft import GENERATED_ID
from bot.importer.markdown import split_number
from bot.importer.text import compact


@dataclass
class ImportReport:
    """What an import did: entry ids added, removed, changed under kept English, and kept by hand."""

    lesson_id: str
    entries: int = 0
    tables: int = 0
    rows: int = 0
    points: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    # Entries whose Korean was edited by hand and kept, though the lesson's text differs: review.
    edited: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing_english: int = 0
    previous: bool = False


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _texts(value: Any) -> list[str] | None:
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _pair_of(node: Any, key: str) -> dict[str, Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def _keep_en(new: dict[str, Any], old: dict[str, Any], key: str) -> None:
    """Keep the old English of the bilingual text at new[key] (a string pair)."""
    english = _text(_pair_of(old, key).get("en"))
    if key in new and isinstance(new[key], dict) and english is not None:
        new[key]["en"] = english


def _keep_en_list(new: dict[str, Any], old: dict[str, Any], key: str) -> bool:
    """Keep the old English list at new[key] when it has as many items as the new Korean one."""
    english = _texts(_pair_of(old, key).get("en"))
    if key in new and english is not None and len(english) == len(new[key]["ko"]):
        new[key]["en"] = english
        return True
    return False


def _union(first: Iterable[str], second: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in [*first, *second]:
        if isinstance(item, str) and item not in out:
            out.append(item)
    return out


def korean_fingerprint(entry: Any) -> str:
    """Return a short hash of an entry's Korean title and answer, as the importer wrote them."""
    texts = [_pair_of(entry, "title").get("ko"), _pair_of(entry, "answer").get("ko")]
    return hashlib.sha256(json.dumps(texts, ensure_ascii=False).encode("utf-8")).hexdigest()[:10]


def entry_fingerprints(data: dict[str, Any]) -> dict[str, str]:
    """Return each entry id → the fingerprint of the Korean the lesson gives it."""
    return {entry["id"]: korean_fingerprint(entry) for entry in data["entries"]}


def merge_draft(
    new: dict[str, Any], old: Any, *, bases: Mapping[str, str] | None = None
) -> tuple[dict[str, Any], ImportReport]:
    """Merge a fresh draft with the data of the file it replaces; return the result and what changed.

    For entries, tables and rows whose id is unchanged the lesson's Korean is taken anew, and what was
    written by hand is kept: English texts, extra alternate questions, related links and keywords;
    the glossary and out_of_scope are kept whole. Entries and tables with ids outside the importer's
    scheme were written by hand and are kept. English kept under a changed Korean text is reported
    for review. `bases` maps entry ids to the fingerprint of the Korean the last import wrote (see
    `korean_fingerprint`): an entry whose Korean no longer matches it was edited by hand, and its
    Korean is kept too (reported when the lesson's text differs).
    """
    report = ImportReport(lesson_id=new["lesson"]["id"])
    if not isinstance(old, dict) or not isinstance(old.get("entries"), list):
        _finish_report(new, report)
        return new, report
    report.previous = True
    merged = new
    old_lesson: dict[str, Any] = old["lesson"] if isinstance(old.get("lesson"), dict) else {}
    if isinstance(old_lesson.get("id"), str) and old_lesson["id"].strip():
        merged["lesson"]["id"] = report.lesson_id = old_lesson["id"]
    for key in ("title", "subtitle"):
        _keep_en(merged["lesson"], old_lesson, key)
    if merged["lesson"]["date"] == "날짜 미상" and _text(old_lesson.get("date")):
        merged["lesson"]["date"] = old_lesson["date"]
    merged["glossary"] = _merge_glossary(old.get("glossary"), merged["glossary"])
    if isinstance(old.get("out_of_scope"), list):
        merged["out_of_scope"] = old["out_of_scope"]
    old_summary = _pair_of(old, "summary")
    if _keep_en_list(merged, old, "summary") and old_summary.get("ko") != merged["summary"]["ko"]:
        report.changed.append("summary")
    old_tables = {t.get("id"): t for t in old.get("tables") or [] if isinstance(t, dict)}
    for table in merged["tables"]:
        _merge_table(table, old_tables.get(table["id"]), report)
    new_table_ids = {table["id"] for table in merged["tables"]}
    for table_id, table in old_tables.items():
        # A table of one's own (its id is not one the importer makes) is hand-written: keep it.
        if isinstance(table_id, str) and table_id not in new_table_ids and not GENERATED_ID.match(table_id):
            merged["tables"].append(table)
    merged["entries"] = _merge_entries(merged["entries"], old["entries"], merged["tables"], report, bases or {})
    _finish_report(merged, report)
    return merged, report


def _merge_glossary(old: Any, new: list[list[str]]) -> list[list[str]]:
    """Return the file's glossary with the draft's groups about terms it does not mention yet.

    A term the file uses inside a longer one counts as mentioned ("PC" in "내 PC"): whoever wrote that
    group decided about it.
    """
    groups = [list(g) for g in old if _texts(g)] if isinstance(old, list) else []
    known = {compact(term) for group in groups for term in group}
    known |= {compact(word) for group in groups for term in group for word in str(term).split()}
    for group in new:
        if not {compact(term) for term in group} & known:
            groups.append(group)
    return groups


def _merge_table(table: dict[str, Any], old: Any, report: ImportReport) -> None:
    if not isinstance(old, dict):
        return
    for key in ("caption", "header"):
        _keep_en(table, old, key)
    _keep_en_list(table, old, "columns")
    old_rows = {r.get("key"): r for r in old.get("rows") or [] if isinstance(r, dict)}
    for row in table["rows"]:
        previous = old_rows.get(row["key"])
        if not isinstance(previous, dict):
            continue
        _keep_en(row, previous, "label")
        _keep_en_list(row, previous, "cells")
        english = row["label"]["en"] is not None or row["cells"]["en"] is not None
        if english and (_pair_of(previous, "label").get("ko"), _pair_of(previous, "cells").get("ko")) != (
            row["label"]["ko"],
            row["cells"]["ko"],
        ):
            report.changed.append(f"{table['id']} row {row['key']}")


def _merge_entries(
    new: list[dict[str, Any]],
    old: list[Any],
    tables: list[dict[str, Any]],
    report: ImportReport,
    bases: Mapping[str, str],
) -> list[dict[str, Any]]:
    old_by_id: dict[str, dict[str, Any]] = {
        e["id"]: e for e in old if isinstance(e, dict) and isinstance(e.get("id"), str)
    }
    new_ids = [entry["id"] for entry in new]
    for entry in new:
        previous = old_by_id.get(entry["id"])
        if previous is None:
            report.added.append(entry["id"])
            continue
        _merge_entry(entry, previous, report, bases.get(entry["id"]))
    rows = {(t["id"], r["key"]) for t in tables for r in t.get("rows") or [] if isinstance(r, dict)}
    table_ids = {t["id"] for t in tables}
    result = list(new)
    for position, (entry_id, previous) in enumerate(old_by_id.items()):
        if entry_id in new_ids:
            continue
        if GENERATED_ID.match(entry_id):
            report.removed.append(entry_id)
            continue
        table, row = previous.get("table"), previous.get("row")
        if (table is not None and table not in table_ids) or (row is not None and (table, row) not in rows):
            report.removed.append(entry_id)
            report.notes.append(f"hand-written entry {entry_id!r} removed: its table or row is gone")
            continue
        # A hand-written entry goes back after the entry it followed.
        before = [e for e in list(old_by_id)[:position] if e in {x["id"] for x in result}]
        at = next((i + 1 for i, e in enumerate(result) if before and e["id"] == before[-1]), len(result))
        result.insert(at, dict(previous))
        report.kept.append(entry_id)
    _note_renumbered(new, old_by_id, report)
    ids = {entry["id"] for entry in result}
    for entry in result:
        related = entry.get("related")
        if isinstance(related, list):
            entry["related"] = [r for r in related if r in ids and r != entry["id"]]
        if entry.get("parent") is not None and entry["parent"] not in ids:
            del entry["parent"]
    return result


def _heading_words(source: Any) -> str:
    return " · ".join(split_number(part)[1] for part in str(source).split(" · "))


def _note_renumbered(new: list[dict[str, Any]], old_by_id: dict[str, dict[str, Any]], report: ImportReport) -> None:
    """Point out removed and added entries with the same heading: a section renumbered in the lesson."""
    added = {_heading_words(e["source"]): e["id"] for e in new if e["id"] in report.added}
    for removed in report.removed:
        same = added.get(_heading_words(old_by_id[removed].get("source", "")))
        if same is not None:
            report.notes.append(
                f"{removed} → {same}: same heading under a new number; what was written by hand for "
                f"{removed} was not carried over (copy it from version control if you want it)"
            )


def _keep_edited_korean(entry: dict[str, Any], old: dict[str, Any], base: str | None, report: ImportReport) -> None:
    """Keep Korean edited by hand since the last import (it no longer matches that import's fingerprint)."""
    if base is not None and korean_fingerprint(old) == base:
        return  # untouched since the import: the lesson's text is taken anew
    edited = False
    for key in ("title", "answer"):
        korean = _text(_pair_of(old, key).get("ko"))
        if korean is not None and key in entry and isinstance(entry[key], dict) and entry[key].get("ko") != korean:
            entry[key]["ko"] = korean
            edited = True
    if edited:
        report.edited.append(entry["id"])


def _merge_entry(entry: dict[str, Any], old: dict[str, Any], report: ImportReport, base: str | None) -> None:
    _keep_edited_korean(entry, old, base, report)
    _keep_en(entry, old, "title")
    if "answer" in entry:
        _keep_en(entry, old, "answer")
    elif isinstance(old.get("answer"), dict):
        entry["answer"] = old["answer"]  # a lead-in written by hand above a table or summary
    old_questions = _pair_of(old, "questions")
    entry["questions"]["ko"] = _union(entry["questions"]["ko"], _texts(old_questions.get("ko")) or [])
    entry["questions"]["en"] = _texts(old_questions.get("en"))
    for key in ("related", "keywords"):
        if isinstance(old.get(key), list):
            entry[key] = _union(entry.get(key, []), old[key])
    has_english = any(
        isinstance(entry.get(key), dict) and entry[key].get("en") is not None for key in ("title", "answer")
    )
    korean_changed = old.get("source") != entry["source"] or _pair_of(old, "answer").get("ko") != _pair_of(
        entry, "answer"
    ).get("ko")
    if has_english and korean_changed:
        report.changed.append(entry["id"])


def _count_missing(node: Any) -> int:
    if isinstance(node, dict):
        own = 1 if set(node) == {"ko", "en"} and node["en"] is None else 0
        return own + sum(_count_missing(value) for value in node.values())
    if isinstance(node, list):
        return sum(_count_missing(value) for value in node)
    return 0


def _finish_report(data: dict[str, Any], report: ImportReport) -> None:
    report.entries = len(data["entries"])
    report.tables = len(data["tables"])
    report.rows = sum(len(t["rows"]) for t in data["tables"])
    report.points = len(data["summary"]["ko"])
    report.missing_english = _count_missing(data)
    if report.missing_english:
        data["draft"] = True
    else:
        data.pop("draft", None)


def format_report(report: ImportReport, target: str) -> str:
    """Return the short report `lessonbot import` prints."""
    verb = "re-imported" if report.previous else "imported"
    lines = [
        f"{verb} {report.lesson_id}: {report.entries} entries, {report.tables} table(s) with {report.rows} rows, "
        f"{report.points} summary points → {target}"
    ]
    if report.previous:
        lines.append(f"  added: {', '.join(report.added) or '-'}")
        lines.append(f"  removed: {', '.join(report.removed) or '-'}")
        if report.kept:
            lines.append(f"  kept (hand-written): {', '.join(report.kept)}")
        if report.changed:
            lines.append(f"  Korean changed, English kept (review): {', '.join(report.changed)}")
        if report.edited:
            lines.append(f"  your Korean kept, the lesson now says otherwise (review): {', '.join(report.edited)}")
    lines.extend(f"  note: {note}" for note in report.notes)
    if report.missing_english:
        lines.append(
            f"  draft: {report.missing_english} English text(s) to write (en: null); `lessonbot check` lists them"
        )
    return "\n".join(lines)
