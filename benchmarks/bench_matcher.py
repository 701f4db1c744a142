"""Matcher benchmark: accuracy against two baselines, index build time, and latency (cold and warm).

    python benchmarks/bench_matcher.py [EVAL.yaml ...] [--knowledge PATH]

Defaults to the public dev set (../shared/eval/dev.yaml, when present) and the three independent
proxy sets (benchmarks/eval/proxy*.yaml). Baselines, on the same knowledge file and the same scoring:
  (a) rapidfuzz WRatio against the raw phrasings (titles + alternate questions) with default_process;
  (b) character 2-3-gram TF-IDF cosine against the same phrasings.
Each baseline gets its best abstain cutoff chosen on the very set it is scored on (an optimistic
upper bound for it); lessonbot uses its fixed, shipped defaults. Scores as `lessonbot eval`: strict
(answered right; null questions not answered) is the headline, first choice (the answer or the
first suggestion) beside it, abstain on the null questions. A baseline never suggests: it answers
whenever its best phrasing clears its cutoff, so its first choice is its strict accuracy.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from bot.evaluation import EvalItem, Judge, parse_eval_set, percentile, pick, run_eval, summarise
from bot.knowledge import Knowledge, default_knowledge_path, load_knowledge
from bot.matching import Matcher
from bot.source import read_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SETS = [
    ROOT.parent / "shared" / "eval" / "dev.yaml",
    ROOT / "benchmarks" / "eval" / "proxy.yaml",
    ROOT / "benchmarks" / "eval" / "proxy2.yaml",
    ROOT / "benchmarks" / "eval" / "proxy3.yaml",
]

# (lesson id, entry id) of the best phrasing and its score in 0..1; (None, 0) for nothing at all.
Guess = tuple[tuple[str, str] | None, float]


@dataclass(frozen=True)
class Rates:
    """Strict, first choice and abstain of one run on one set (abstain None: no null questions)."""

    strict: float
    first_choice: float
    abstain: float | None

    @classmethod
    def of(cls, summary: dict[str, Any]) -> Rates:
        """Return the rates of a `bot.evaluation.summarise` summary."""
        return cls(summary["strict"]["rate"], summary["first_choice"]["rate"], summary["abstain"]["rate"])


def phrasings(knowledge: Knowledge) -> list[tuple[str, str, str]]:
    """Return (lesson id, entry id, raw phrasing) for every title and alternate question."""
    rows: list[tuple[str, str, str]] = []
    for lesson, entry in knowledge.entries():
        for text in (*entry.title.texts(), *entry.questions.texts()):
            rows.append((lesson.id, entry.id, text))
    return rows


def wratio_baseline(knowledge: Knowledge) -> Callable[[str], Guess]:
    """Return baseline (a): best WRatio phrasing."""
    rows = phrasings(knowledge)
    choices = [text for _, _, text in rows]

    def guess(question: str) -> Guess:
        found = process.extractOne(question, choices, scorer=fuzz.WRatio, processor=utils.default_process)
        if found is None:
            return None, 0.0
        lesson_id, entry_id, _ = rows[found[2]]
        return (lesson_id, entry_id), float(found[1]) / 100

    return guess


def _grams(text: str) -> Counter[str]:
    compact = "".join(utils.default_process(text).split())
    return Counter(compact[i : i + n] for n in (2, 3) for i in range(len(compact) - n + 1))


def tfidf_baseline(knowledge: Knowledge) -> Callable[[str], Guess]:
    """Return baseline (b): character n-gram TF-IDF cosine against phrasings."""
    rows = phrasings(knowledge)
    docs = [_grams(text) for _, _, text in rows]
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    idf = {gram: math.log(1 + len(docs) / count) for gram, count in df.items()}

    def vector(grams: Counter[str]) -> dict[str, float]:
        weights = {g: c * idf.get(g, 0.0) for g, c in grams.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}

    # Postings (gram → phrasings with their weight): a question only visits phrasings it shares a gram with.
    postings: dict[str, list[tuple[int, float]]] = {}
    for number, doc in enumerate(docs):
        for gram, weight in vector(doc).items():
            postings.setdefault(gram, []).append((number, weight))

    def guess(question: str) -> Guess:
        scores: dict[int, float] = {}
        for gram, weight in vector(_grams(question)).items():
            for number, doc_weight in postings.get(gram, ()):
                scores[number] = scores.get(number, 0.0) + weight * doc_weight
        if not scores:
            return None, 0.0
        best = max(scores, key=lambda number: (scores[number], -number))
        lesson_id, entry_id, _ = rows[best]
        return (lesson_id, entry_id), scores[best]

    return guess


def baseline_rates(items: Sequence[EvalItem], guess: Callable[[str], Guess], judge: Judge) -> tuple[Rates, float]:
    """Return the baseline's rates at its best abstain cutoff for this set (by strict accuracy), and that cutoff.

    A baseline answers whenever its best phrasing scores at least the cutoff and never suggests, so
    its strict and first-choice accuracy are the same.
    """
    guesses = [guess(item.question) for item in items]
    right = [
        chosen is not None and judge.accepts(item, *chosen) for item, (chosen, _) in zip(items, guesses, strict=True)
    ]
    best: tuple[float, float, float | None] = (-1.0, 0.0, None)
    for step in range(101):
        cutoff = step / 100
        hits, null, abstained = 0, 0, 0
        for item, (chosen, score), ok in zip(items, guesses, right, strict=True):
            answers = chosen is not None and score >= cutoff
            if item.answerable:
                hits += answers and ok
            else:
                null += 1
                abstained += not answers
        strict = (hits + abstained) / len(items)
        if strict > best[0]:
            best = (strict, cutoff, abstained / null if null else None)
    strict, cutoff, abstain = best
    return Rates(strict, strict, abstain), cutoff


def latency(matcher: Matcher, items: Sequence[EvalItem]) -> list[float]:
    """Return per-question latency in microseconds, as `lessonbot eval` measures it."""
    return [outcome.latency_us for outcome in run_eval(matcher, items)]


def header(*names: str) -> str:
    """Return column headers, 8 characters each."""
    return "".join(f"{name:>8}" for name in names)


def cells(*rates: float | None) -> str:
    """Return rates as percentages, 8 characters each ("-" where there is nothing to measure)."""
    return "".join("       -" if rate is None else f"{rate * 100:>7.1f}%" for rate in rates)


def main() -> int:
    """Run the benchmark and print a report."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sets", nargs="*", type=Path)
    parser.add_argument("--knowledge", type=Path, default=default_knowledge_path())
    args = parser.parse_args()
    sets = args.sets or [p for p in DEFAULT_SETS if p.exists()]

    started = time.perf_counter()
    knowledge = load_knowledge(args.knowledge)
    loaded = time.perf_counter()
    builds = []
    for _ in range(5):
        t0 = time.perf_counter()
        matcher = Matcher(knowledge)
        builds.append(time.perf_counter() - t0)
    print(
        f"knowledge load {1000 * (loaded - started):.1f} ms; "
        f"index build median {1000 * statistics.median(builds):.1f} ms ({matcher.size} entries)"
    )

    wratio, tfidf = wratio_baseline(knowledge), tfidf_baseline(knowledge)
    print(f"\n{'':<17}{'lessonbot':<24}{'WRatio':<16}{'TF-IDF':<16}")
    print(f"{'set':<12}{'n':>5}{header('strict', 'first', 'abst')}{header('strict', 'abst')}{header('strict', 'abst')}")
    all_items: list[EvalItem] = []
    for path in sets:
        items = parse_eval_set(read_text(str(path)), path=str(path))
        all_items.extend(items)
        judge = Judge(knowledge, items)
        ours = Rates.of(summarise(run_eval(Matcher(knowledge), items, judge=judge)))
        (a, _), (b, _) = baseline_rates(items, wratio, judge), baseline_rates(items, tfidf, judge)
        print(
            f"{path.stem:<12}{len(items):>5}{cells(ours.strict, ours.first_choice, ours.abstain)}"
            f"{cells(a.strict, a.abstain)}{cells(b.strict, b.abstain)}"
        )
    print("strict: answered right (null: not answered); first: the answer or first suggestion; abst: null not answered")

    fresh = Matcher(knowledge)
    cold = latency(fresh, all_items)
    warm = [min(pair) for pair in zip(*(latency(fresh, all_items) for _ in range(3)), strict=True)]
    print(
        f"\nlatency over {len(all_items)} questions (µs): "
        f"cold p50 {percentile(cold, 0.5):.0f} p99 {percentile(cold, 0.99):.0f} max {max(cold):.0f} | "
        f"warm p50 {percentile(warm, 0.5):.0f} p99 {percentile(warm, 0.99):.0f} max {max(warm):.0f}"
    )
    statuses = Counter(fresh.ask(item.question).status for item in all_items)
    print(f"outcomes: {dict(statuses)}; picks: {sum(pick(fresh.ask(i.question)) is not None for i in all_items)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
