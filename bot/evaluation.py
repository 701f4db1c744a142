"""Score a question set (the format of shared/eval) against the matcher."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.matching import Answer, Matcher, NoMatch, Result, Suggestions
from bot.source import Problem, SourceError, YList, YMap, parse_yaml

_LANGS = {"ko", "en", "mixed"}


@dataclass(frozen=True)
class EvalItem:
    """One labelled question: acceptable ids (best first), or None when the bot must abstain."""

    question: str
    ids: tuple[str, ...] | None
    lang: str
    kind: str


@dataclass(frozen=True)
class EvalOutcome:
    """What the matcher did with one item."""

    item: EvalItem
    status: str
    got: str | None
    score: float
    correct: bool
    strict: bool
    latency_us: float


def parse_eval_set(text: str, *, path: str) -> list[EvalItem]:
    """Validate an eval file: a list of {q, ids, lang, kind}."""
    data = parse_yaml(text, path=path)
    if not isinstance(data, YList):
        raise SourceError([Problem(path, 1, "expected a list of questions")])
    items: list[EvalItem] = []
    problems: list[Problem] = []
    for index, raw in enumerate(data):
        line = data.line_of(index)
        if not isinstance(raw, YMap):
            problems.append(Problem(path, line, "expected a mapping {q, ids, lang, kind}"))
            continue
        question, ids, lang, kind = raw.get("q"), raw.get("ids"), raw.get("lang"), raw.get("kind")
        if not isinstance(question, str) or not question.strip():
            problems.append(Problem(path, line, "q: expected a non-empty question"))
            continue
        if ids is not None and (not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids)):
            problems.append(Problem(path, line, "ids: expected a non-empty list of ids, or null"))
            continue
        if lang not in _LANGS:
            problems.append(Problem(path, line, f"lang: expected one of ko, en, mixed, got {lang!r}"))
            continue
        items.append(EvalItem(question, tuple(ids) if ids else None, str(lang), str(kind or "unknown")))
    if problems:
        raise SourceError(problems)
    return items


def pick(result: Result) -> str | None:
    """Return the id the bot commits to: the answer, or the first suggestion; None when it abstains."""
    if isinstance(result, Answer):
        return result.candidate.entry_id
    if isinstance(result, Suggestions):
        return result.candidates[0].entry_id
    return None


def _score_of(result: Result) -> float:
    if isinstance(result, Answer):
        return result.candidate.score
    if isinstance(result, Suggestions):
        return result.candidates[0].score
    assert isinstance(result, NoMatch)
    return result.best.score if result.best is not None else 0.0


def run_eval(matcher: Matcher, items: Sequence[EvalItem]) -> list[EvalOutcome]:
    """Ask every question and judge the outcome (top-1 and strict)."""
    outcomes: list[EvalOutcome] = []
    for item in items:
        started = time.perf_counter_ns()
        result = matcher.ask(item.question)
        latency_us = (time.perf_counter_ns() - started) / 1000
        got = pick(result)
        if item.ids is None:
            correct = strict = got is None
        else:
            correct = got in item.ids
            strict = got == item.ids[0]
        outcomes.append(EvalOutcome(item, result.status, got, _score_of(result), correct, strict, latency_us))
    return outcomes


def _accuracy(outcomes: Sequence[EvalOutcome]) -> dict[str, Any]:
    count = len(outcomes)
    correct = sum(o.correct for o in outcomes)
    return {"n": count, "correct": correct, "accuracy": round(correct / count, 4) if count else None}


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the `fraction` quantile of `values` (nearest rank; 0 for no values)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def summarise(outcomes: Sequence[EvalOutcome]) -> dict[str, Any]:
    """Return accuracy overall, per lang, per kind, on null questions, strict, and latency p50/p99."""
    by_lang: dict[str, list[EvalOutcome]] = {}
    by_kind: dict[str, list[EvalOutcome]] = {}
    for outcome in outcomes:
        by_lang.setdefault(outcome.item.lang, []).append(outcome)
        by_kind.setdefault(outcome.item.kind, []).append(outcome)
    nulls = [o for o in outcomes if o.item.ids is None]
    answerable = [o for o in outcomes if o.item.ids is not None]
    latencies = [o.latency_us for o in outcomes]
    return {
        "overall": _accuracy(outcomes),
        "strict": round(sum(o.strict for o in outcomes) / len(outcomes), 4) if outcomes else None,
        "answerable": _accuracy(answerable),
        "abstain": _accuracy(nulls),
        "direct_answers": sum(o.status == "answer" for o in answerable),
        "by_lang": {k: _accuracy(v) for k, v in sorted(by_lang.items())},
        "by_kind": {k: _accuracy(v) for k, v in sorted(by_kind.items())},
        "latency_us": {"p50": round(percentile(latencies, 0.5), 1), "p99": round(percentile(latencies, 0.99), 1)},
    }


def format_summary(summary: dict[str, Any]) -> str:
    """Return the human-readable report of `summarise`."""

    def pct(block: dict[str, Any]) -> str:
        accuracy = block["accuracy"]
        shown = "  n/a" if accuracy is None else f"{accuracy * 100:5.1f}%"
        return f"{shown}  ({block['correct']}/{block['n']})"

    lines = [
        f"top-1 overall   {pct(summary['overall'])}",
        f"answerable      {pct(summary['answerable'])}   direct answers: {summary['direct_answers']}",
        f"abstain (null)  {pct(summary['abstain'])}",
        f"strict (ids[0]) {summary['strict'] * 100 if summary['strict'] is not None else 0:5.1f}%",
        "by lang:",
        *(f"  {k:<14}{pct(v)}" for k, v in summary["by_lang"].items()),
        "by kind:",
        *(f"  {k:<14}{pct(v)}" for k, v in summary["by_kind"].items()),
        f"latency p50 {summary['latency_us']['p50']:.0f} µs, p99 {summary['latency_us']['p99']:.0f} µs",
    ]
    return "\n".join(lines)
