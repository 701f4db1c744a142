"""Pure rendering: match results → text blocks. The CLI prints them; the Discord layer makes embeds."""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge import Entry, Knowledge, Lang, Lesson, Table, TableRow
from bot.matching import Answer, Candidate, NoMatch, Result, Suggestions
from bot.texts import TEXTS


def ui_text(key: str, lang: Lang) -> str:
    """Return a fixed interface text in `lang` (from the one table in bot.texts)."""
    return TEXTS[key][lang]


@dataclass(frozen=True)
class RenderedAnswer:
    """An answer ready for display: the Discord layer maps these fields onto an embed."""

    qualified_id: str
    title: str
    body: str
    source: str
    lesson_title: str
    related: tuple[tuple[str, str], ...]
    lang: Lang


def format_row(table: Table, row: TableRow, lang: Lang) -> str:
    """Return one comparison row: its label, then each column's cell."""
    cells = "\n".join(
        f"• {column}: {cell}" for column, cell in zip(table.columns.get(lang), row.cells.get(lang), strict=True)
    )
    return f"**{row.label.get(lang)}**\n{cells}"


def format_table(table: Table, lang: Lang) -> str:
    """Return the whole table as one line per row (embeds have no tables, and phones are narrow)."""
    columns = table.columns.get(lang)
    lines = [f"**{table.caption.get(lang)}**"]
    for row in table.rows:
        cells = " / ".join(f"{c}: {v}" for c, v in zip(columns, row.cells.get(lang), strict=True))
        lines.append(f"• **{row.label.get(lang)}** — {cells}")
    return "\n".join(lines)


def format_summary(lesson: Lesson, lang: Lang) -> str:
    """Return the recap points as a bullet list."""
    return "\n".join(f"• {point}" for point in lesson.summary.get(lang))


def answer_body(lesson: Lesson, entry: Entry, lang: Lang) -> str:
    """Return an entry's answer text, rendering table- and summary-backed answers from their data."""
    parts: list[str] = []
    if entry.answer is not None:
        parts.append(entry.answer.get(lang))
    if entry.table is not None:
        table = lesson.table(entry.table)
        if entry.row is None:
            parts.append(format_table(table, lang))
        else:
            parts.append(format_row(table, table.row(entry.row), lang))
    if entry.summary:
        parts.append(format_summary(lesson, lang))
    return "\n\n".join(parts)


def english_missing(lesson: Lesson, entry: Entry) -> bool:
    """Return whether any text the entry's answer shows lacks English (only a draft lesson may)."""
    if not entry.title.has("en") or (entry.answer is not None and not entry.answer.has("en")):
        return True
    if entry.table is not None:
        table = lesson.table(entry.table)
        rows = table.rows if entry.row is None else (table.row(entry.row),)
        texts = [table.caption, table.header, *(row.label for row in rows)]
        lists = [table.columns, *(row.cells for row in rows)]
        if not all(t.has("en") for t in texts) or not all(t.has("en") for t in lists):
            return True
    return entry.summary and not lesson.summary.has("en")


def render_answer(knowledge: Knowledge, candidate: Candidate, lang: Lang) -> RenderedAnswer:
    """Return the display form of the entry behind `candidate`.

    Where a draft lesson has no English for it yet, an English reply is the Korean answer under a
    one-line note saying so.
    """
    lesson = knowledge.lesson(candidate.lesson_id)
    entry = lesson.entry(candidate.entry_id)
    related = tuple(
        (f"{lesson.id}/{rid}", lesson.entry(rid).title.get(lang)) for rid in entry.related if lesson.has_entry(rid)
    )
    body = answer_body(lesson, entry, lang)
    if lang == "en" and english_missing(lesson, entry):
        body = f"{ui_text('no_english', lang)}\n\n{body}"
    return RenderedAnswer(
        qualified_id=candidate.qualified_id,
        title=entry.title.get(lang),
        body=body,
        source=entry.source,
        lesson_title=f"{lesson.day}. {lesson.title.get(lang)}",
        related=related,
        lang=lang,
    )


def topic_titles(knowledge: Knowledge, lang: Lang) -> list[str]:
    """Return every entry title, for "here is what you can ask about"."""
    return [entry.title.get(lang) for _, entry in knowledge.entries()]


def no_match_text(result: NoMatch, lang: Lang) -> str:
    """Return the honest "not covered" sentence for a no-match."""
    if result.reason in ("empty", "chatter"):
        return ui_text(result.reason, lang)
    if result.topic is not None:
        return ui_text("none_topic", lang).format(topic=result.topic.get(lang))
    return ui_text("none", lang)


def format_result(knowledge: Knowledge, result: Result, *, lang: Lang | None = None, topics: bool = True) -> str:
    """Return the plain-text rendering of a result, as `lessonbot ask` prints it."""
    reply_lang = lang or result.lang
    if isinstance(result, Answer):
        answer = render_answer(knowledge, result.candidate, reply_lang)
        # A terminal shows Markdown literally: drop the bold markers meant for Discord.
        body = answer.body.replace("**", "")
        lines = [f"■ {answer.title}", "", body, "", f"{ui_text('source', reply_lang)}: {answer.source}"]
        if answer.related:
            lines.append(f"{ui_text('related', reply_lang)}: " + " · ".join(title for _, title in answer.related))
        return "\n".join(lines)
    if isinstance(result, Suggestions):
        lines = [ui_text("suggest", reply_lang)]
        lines += [f"  {n}) {c.title.get(reply_lang)}" for n, c in enumerate(result.candidates, start=1)]
        return "\n".join(lines)
    lines = [no_match_text(result, reply_lang)]
    if topics and result.reason != "chatter":
        lines += ["", ui_text("topics", reply_lang)]
        lines += [f"  • {title}" for title in topic_titles(knowledge, reply_lang)]
    return "\n".join(lines)
