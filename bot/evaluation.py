"""Score a labelled question set against the matcher, the way a learner would judge the bot.

Two label formats (shared/eval/README.md), one question per list item:
- by id: `{q, ids, lang, kind}`: the entries that answer it (best first), or `ids: null`;
- by section: `{q, section, row?, lang, kind}`: the lesson heading that answers it, as written in the
  lesson's Markdown, and for a question about one row of a comparison table that row's label; or
  `section: null`. Imported drafts make their own ids, so sets for them name sections instead.
A `null` question is one the bot must not answer.

Scores:
- **strict** (the headline: what a learner gets): an answerable question is right only when the bot
  *answers* with an acceptable entry; a null question is right when it does not answer ("did you
  mean" suggestions alone are not an answer).
- **first choice** (how well it ranks): the answer, or else the first suggestion, is the bot's pick;
  right when acceptable; a null question is right only when nothing is picked.
- **abstain**: strict on the null questions alone.

A set is about one lesson: answers from another loaded lesson never count, even when that lesson
has an entry with the same id or heading (every lesson has a `summary`). Unless named, the lesson is
the one that holds most of the set's labels.
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.knowledge import Entry, Knowledge, Lesson
from bot.matching import Answer, Matcher, NoMatch, Result, Suggestions
from bot.scope import Scope
from bot.source import Problem, SourceError, YList, YMap, parse_yaml

_LANGS = ("ko", "en", "mixed")
_ITEM_KEYS = {"q", "ids", "section", "row", "lang", "kind"}
# "18일차 – …" / "Day 18: …" names the lesson itself rather than one of its sections.
_LESSON_HEADING = re.compile(r"\s*(?:(\d+)\s*일차|day\s*(\d+))", re.IGNORECASE)
_LEADING_NUMBER = re.compile(r"\A\d+")
# `source` of an entry below a section: "section · subsection" or "section · table row label".
_SOURCE_PARTS = " · "


@dataclass(frozen=True)
class EvalItem:
    """One labelled question: what answers it (ids, or a section and maybe a table row), or nothing."""

    question: str
    ids: tuple[str, ...] | None
    lang: str
    kind: str
    section: str | None = None
    row: str | None = None
    line: int = 0

    @property
    def answerable(self) -> bool:
        """Return whether some entry answers the question (False: the bot must not answer)."""
        return self.ids is not None or self.section is not None

    def label(self) -> list[str] | dict[str, str | None] | None:
        """Return the label as JSON: the ids, {section, row}, or None for a null question."""
        if self.ids is not None:
            return list(self.ids)
        if self.section is not None:
            return {"section": self.section, "row": self.row}
        return None

    def expected(self) -> str | None:
        """Return the label as one short text for reports: ids, or section (and row); None for null."""
        if self.ids is not None:
            return ",".join(self.ids)
        if self.section is not None:
            return self.section if self.row is None else f"{self.section} · {self.row}"
        return None


@dataclass(frozen=True)
class EvalOutcome:
    """What the matcher did with one item, and how it is judged."""

    item: EvalItem
    status: str
    got: str | None
    got_lesson: str | None
    score: float
    strict: bool
    first_choice: bool
    latency_us: float


# --- parsing -------------------------------------------------------------------------------------


def parse_eval_set(text: str, *, path: str) -> list[EvalItem]:
    """Validate an eval file: a list of {q, ids, lang, kind} or {q, section, row?, lang, kind}."""
    data = parse_yaml(text, path=path)
    if not isinstance(data, YList) or not data:
        raise SourceError([Problem(path, getattr(data, "line", 1), "expected a non-empty list of questions")])
    items: list[EvalItem] = []
    problems: list[Problem] = []
    for index, raw in enumerate(data):
        line = data.line_of(index)
        if not isinstance(raw, YMap):
            problems.append(Problem(path, line, "expected a mapping {q, ids, lang, kind} or {q, section, lang, kind}"))
            continue
        try:
            items.append(_parse_item(raw, line))
        except ValueError as exc:
            key, message = exc.args
            problems.append(Problem(path, raw.line_of(key), message))
    if problems:
        raise SourceError(problems)
    return items


def _parse_item(raw: YMap, line: int) -> EvalItem:
    """Return one item; a problem is raised as ValueError(key, message)."""
    unknown = sorted(set(raw) - _ITEM_KEYS)
    if unknown:
        raise ValueError(unknown[0], f"unknown key {unknown[0]!r} (expected q, ids or section, row, lang, kind)")
    question = raw.get("q")
    if not isinstance(question, str) or not question.strip():
        raise ValueError("q", "q: expected a non-empty question")
    if ("ids" in raw) == ("section" in raw):
        raise ValueError("q", "expected exactly one of `ids` (entry ids) or `section` (a lesson heading)")
    ids = raw.get("ids")
    well_formed = isinstance(ids, list) and ids and all(isinstance(i, str) and i.strip() for i in ids)
    if ids is not None and not well_formed:
        raise ValueError("ids", "ids: expected a non-empty list of entry ids, or null")
    section, row = raw.get("section"), raw.get("row")
    if section is not None and (not isinstance(section, str) or not section.strip()):
        raise ValueError("section", "section: expected a lesson heading, or null")
    if row is not None and (not isinstance(row, str) or not row.strip()):
        raise ValueError("row", "row: expected a table row label")
    if row is not None and section is None:
        raise ValueError("row", "row: needs the section whose table has that row")
    lang, kind = raw.get("lang"), raw.get("kind")
    if lang not in _LANGS:
        raise ValueError("lang", f"lang: expected one of {', '.join(_LANGS)}, got {lang!r}")
    if kind is not None and (not isinstance(kind, str) or not kind.strip()):
        raise ValueError("kind", "kind: expected a word such as plain, typo, near-miss")
    return EvalItem(
        question,
        tuple(ids) if isinstance(ids, list) else None,
        str(lang),
        kind or "unknown",
        section=section,
        row=row,
        line=line,
    )


# --- judging -------------------------------------------------------------------------------------


def heading_key(text: str) -> str:
    """Return a heading reduced for comparison: only letters and digits, case-folded, no leading number.

    Emoji, numbering (`1️⃣`, `1)`, `18.`), Markdown markup, punctuation and spaces all differ between a
    heading as a person copies it and as an importer stores it; the words do not.
    """
    kept = "".join(ch for ch in unicodedata.normalize("NFKC", text) if unicodedata.category(ch)[0] in "LN")
    return _LEADING_NUMBER.sub("", kept.casefold())


def _names_lesson(section: str, lesson: Lesson) -> bool:
    """Return whether a section label means the lesson itself ("18일차 – …", "Day 18", its title)."""
    found = _LESSON_HEADING.match(section)
    if found is not None and int(found.group(1) or found.group(2)) == lesson.day:
        return True
    return heading_key(section) in {heading_key(text) for text in lesson.title.texts()}


class Judge:
    """Decides whether an entry the bot chose is an acceptable answer to an item of one set.

    Public so that a calibration script can label every candidate, not only the bot's pick.
    """

    def __init__(self, knowledge: Knowledge, items: Sequence[EvalItem], *, lesson_id: str | None = None) -> None:
        if not knowledge.lessons:
            raise ValueError("no lessons loaded")
        if lesson_id is not None:
            try:
                self.lesson = knowledge.lesson(lesson_id)
            except KeyError:
                loaded = ", ".join(lesson.id for lesson in knowledge.lessons)
                raise ValueError(f"no lesson {lesson_id!r} is loaded (loaded: {loaded})") from None
        else:
            # The lesson holding most labels; ties go to the first loaded (the oldest).
            self.lesson = max(knowledge.lessons, key=lambda lesson: self._known(lesson, items))
        # (answerable questions whose label the lesson has, answerable questions)
        self.coverage = (self._known(self.lesson, items), sum(item.answerable for item in items))

    def accepts(self, item: EvalItem, lesson_id: str | None, entry_id: str | None) -> bool:
        """Return whether answering `item` with that entry is right (never for a null item)."""
        if lesson_id != self.lesson.id or entry_id is None or not self.lesson.has_entry(entry_id):
            return False
        return self._entry_answers(self.lesson, item, self.lesson.entry(entry_id))

    @staticmethod
    def _entry_answers(lesson: Lesson, item: EvalItem, entry: Entry) -> bool:
        if item.ids is not None:
            return entry.id in item.ids
        if item.section is None:
            return False
        parts = entry.source.split(_SOURCE_PARTS)
        if item.row is not None:
            # Only the row's own entry: the whole table does not answer one row's question.
            # A row's source is "section · [subsection ·] label": the label names the row, any heading before it
            # the section (a table in a `✅` subsection is labelled with the subsection or its parent).
            headings = {heading_key(part) for part in parts[:-1]}
            if entry.table is None or entry.row is None or heading_key(item.section) not in headings:
                return False
            try:
                label = lesson.table(entry.table).row(entry.row).label
            except KeyError:
                return False
            return heading_key(item.row) in {heading_key(text) for text in label.texts()}
        if entry.row is not None:
            return False
        wanted = heading_key(item.section)
        if heading_key(parts[-1]) == wanted:
            return True
        # The lesson's own heading is answered by the entry whose source is the lesson's title.
        title_keys = {heading_key(text) for text in lesson.title.texts()}
        return _names_lesson(item.section, lesson) and heading_key(entry.source) in title_keys

    def _known(self, lesson: Lesson, items: Iterable[EvalItem]) -> int:
        return sum(any(self._entry_answers(lesson, item, e) for e in lesson.entries) for item in items)

    def warnings(self, items: Sequence[EvalItem], *, path: str) -> list[Problem]:
        """Return one warning per label that no entry of the judged lesson has (it can never be right)."""
        missing: dict[str, list[int]] = {}
        for item in items:
            if item.ids is not None:
                for entry_id in item.ids:
                    if not self.lesson.has_entry(entry_id):
                        missing.setdefault(f"expected id {entry_id!r} is not an entry", []).append(item.line)
            elif item.section is not None and not self._known(self.lesson, [item]):
                what = f"section {item.section!r}" + (f" row {item.row!r}" if item.row is not None else "")
                missing.setdefault(f"{what} has no entry", []).append(item.line)
        problems: list[Problem] = []
        for message, lines in missing.items():
            also = f" (also line {', '.join(map(str, lines[1:]))})" if len(lines) > 1 else ""
            text = f"{message} of lesson {self.lesson.id}: those questions can never count as right{also}"
            problems.append(Problem(path, lines[0], text, severity="warning"))
        return problems


# --- running -------------------------------------------------------------------------------------


def pick(result: Result) -> tuple[str, str] | None:
    """Return (lesson id, entry id) the bot commits to: the answer, or the first suggestion; None if none."""
    if isinstance(result, Answer):
        return result.candidate.lesson_id, result.candidate.entry_id
    if isinstance(result, Suggestions):
        return result.candidates[0].lesson_id, result.candidates[0].entry_id
    return None


def _score_of(result: Result) -> float:
    if isinstance(result, Answer):
        return result.candidate.score
    if isinstance(result, Suggestions):
        return result.candidates[0].score
    assert isinstance(result, NoMatch)
    return result.best.score if result.best is not None else 0.0


def judge_result(judge: Judge, item: EvalItem, result: Result) -> tuple[bool, bool]:
    """Return (strict, first choice) for one result."""
    chosen = pick(result)
    if not item.answerable:
        return not isinstance(result, Answer), chosen is None
    first_choice = chosen is not None and judge.accepts(item, *chosen)
    return isinstance(result, Answer) and first_choice, first_choice


def run_eval(
    matcher: Matcher,
    items: Sequence[EvalItem],
    *,
    judge: Judge | None = None,
    prefer: str | None = None,
) -> list[EvalOutcome]:
    """Ask every question (no lesson scope; `prefer` names the current lesson) and judge the outcome."""
    judge = judge or Judge(matcher.knowledge, items)
    scope = Scope(prefer=prefer)
    outcomes: list[EvalOutcome] = []
    for item in items:
        started = time.perf_counter_ns()
        result = matcher.ask(item.question, scope=scope)
        latency_us = (time.perf_counter_ns() - started) / 1000
        chosen = pick(result)
        strict, first_choice = judge_result(judge, item, result)
        outcomes.append(
            EvalOutcome(
                item,
                result.status,
                chosen[1] if chosen else None,
                chosen[0] if chosen else None,
                _score_of(result),
                strict,
                first_choice,
                latency_us,
            )
        )
    return outcomes


# --- summaries and gates -------------------------------------------------------------------------


def _rate(hits: Sequence[bool]) -> dict[str, Any]:
    count, right = len(hits), sum(hits)
    return {"n": count, "right": right, "rate": round(right / count, 4) if count else None}


def _both(outcomes: Sequence[EvalOutcome]) -> dict[str, Any]:
    return {
        "strict": _rate([o.strict for o in outcomes]),
        "first_choice": _rate([o.first_choice for o in outcomes]),
    }


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the `fraction` quantile of `values` (nearest rank; 0 for no values)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summarise(outcomes: Sequence[EvalOutcome]) -> dict[str, Any]:
    """Return strict and first-choice rates overall, on answerable questions, per lang and per kind;
    abstain on null questions; the answer/suggest/none split; latency p50/p99."""
    by_lang: dict[str, list[EvalOutcome]] = {}
    by_kind: dict[str, list[EvalOutcome]] = {}
    for outcome in outcomes:
        by_lang.setdefault(outcome.item.lang, []).append(outcome)
        by_kind.setdefault(outcome.item.kind, []).append(outcome)
    answerable = [o for o in outcomes if o.item.answerable]
    nulls = [o for o in outcomes if not o.item.answerable]
    latencies = [o.latency_us for o in outcomes]
    return {
        **_both(outcomes),
        "answerable": _both(answerable),
        "abstain": _rate([o.strict for o in nulls]),
        "statuses": {status: sum(o.status == status for o in outcomes) for status in ("answer", "suggest", "none")},
        "by_lang": {key: _both(group) for key, group in sorted(by_lang.items())},
        "by_kind": {key: _both(group) for key, group in sorted(by_kind.items())},
        "latency_us": {"p50": round(percentile(latencies, 0.5), 1), "p99": round(percentile(latencies, 0.99), 1)},
    }


def _pct(block: dict[str, Any]) -> str:
    rate = block["rate"]
    shown = "   n/a" if rate is None else f"{rate * 100:5.1f}%"
    return f"{shown} ({block['right']}/{block['n']})"


def format_summary(summary: dict[str, Any]) -> str:
    """Return the human-readable report of `summarise`."""

    def pair(block: dict[str, Any]) -> str:
        return f"{_pct(block['strict']):<20}{_pct(block['first_choice'])}"

    statuses = summary["statuses"]
    lines = [
        f"{'':<16}{'strict':<20}first choice",
        f"{'overall':<16}{pair(summary)}",
        f"{'answerable':<16}{pair(summary['answerable'])}",
        f"{'abstain (null)':<16}{_pct(summary['abstain'])}",
        "by lang:",
        *(f"  {key:<14}{pair(block)}" for key, block in summary["by_lang"].items()),
        "by kind:",
        *(f"  {key:<14}{pair(block)}" for key, block in summary["by_kind"].items()),
        f"outcomes: answer {statuses['answer']}, suggest {statuses['suggest']}, none {statuses['none']}",
        f"latency p50 {summary['latency_us']['p50']:.0f} µs, p99 {summary['latency_us']['p99']:.0f} µs",
    ]
    return "\n".join(lines)


def check_floor(value: float, *, name: str) -> float:
    """Return a gate's floor, a rate between 0 and 1; ValueError for nan, infinities and out of range."""
    if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a number between 0 and 1, got {value!r}")
    return float(value)


def parse_floor(text: str, *, name: str = "floor") -> float:
    """Return the floor written in `text` ("0.95"); ValueError with one clear line otherwise."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} must be a number between 0 and 1, got {text!r}") from None
    return check_floor(value, name=name)


def gate(summary: dict[str, Any], *, min_strict: float | None = None, min_abstain: float | None = None) -> list[str]:
    """Return one line per floor the summary misses (empty: the gate passes).

    ValueError for an invalid floor, or an abstain floor on a set without null questions (it
    would pass without measuring anything).
    """
    failures: list[str] = []
    if min_strict is not None:
        floor = check_floor(min_strict, name="the strict floor")
        reached = summary["strict"]["rate"] or 0.0
        if reached < floor:
            failures.append(f"strict accuracy {reached:.4f} is below the floor {floor:.4f}")
    if min_abstain is not None:
        floor = check_floor(min_abstain, name="the abstain floor")
        reached = summary["abstain"]["rate"]
        if reached is None:
            raise ValueError("an abstain floor needs null questions, and this set has none")
        if reached < floor:
            failures.append(f"abstain on null questions {reached:.4f} is below the floor {floor:.4f}")
    return failures
