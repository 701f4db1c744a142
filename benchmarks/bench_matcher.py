"""Matcher benchmark: accuracy against two baselines, index build time, and latency (cold and warm).

    python benchmarks/bench_matcher.py [EVAL.yaml ...] [--knowledge PATH] [--day18-draft FILE | --one-lesson]

Defaults to the public dev set (../shared/eval/dev.yaml, when present) and the three independent
proxy sets (benchmarks/eval/proxy*.yaml). Baselines, on the same knowledge file and the same scoring:
  (a) rapidfuzz WRatio against the raw phrasings (titles + alternate questions) with default_process;
  (b) character 2-3-gram TF-IDF cosine against the same phrasings.
Each baseline gets its best abstain cutoff chosen on the very set it is scored on (an optimistic
upper bound for it); lessonbot uses its fixed, shipped defaults. Scores as `lessonbot eval`: strict
(answered right; null questions not answered) is the headline, first choice (the answer or the
first suggestion) beside it, abstain on the null questions. A baseline never suggests: it answers
whenever its best phrasing clears its cutoff, so its first choice is its strict accuracy.

Latency is measured on the knowledge alone, and (unless --one-lesson) in the same run on a curriculum:
the knowledge with a draft of day 18 beside it (--day18-draft, else ../shared/lessons/day18-k8s-objects.md
imported with `lessonbot import`, no edits), asked without and with a lesson of the day (the first
lesson of the knowledge, as a channel in its class asks): the lesson of the day may be asked twice,
once more loaded alone (`Matcher._own_answer`).
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process, utils

from bot.evaluation import EvalItem, Judge, parse_eval_set, percentile, pick, run_eval, summarise
from bot.knowledge import Knowledge, default_knowledge_path, load_knowledge, parse_knowledge
from bot.matching import Matcher
from bot.source import read_text

ROOT = Path(__file__).resolve().parent.parent
DAY18_LESSON = ROOT.parent / "shared" / "lessons" / "day18-k8s-objects.md"
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


def latency(matcher: Matcher, items: Sequence[EvalItem], *, prefer: str | None = None) -> list[float]:
    """Return per-question latency in microseconds, as `lessonbot eval` measures it."""
    return [outcome.latency_us for outcome in run_eval(matcher, items, prefer=prefer)]


def latency_line(label: str, matcher: Matcher, items: Sequence[EvalItem], *, prefer: str | None = None) -> str:
    """Return a report line of cold latency (a fresh matcher, first pass) and warm (best of three more)."""
    cold = latency(matcher, items, prefer=prefer)
    warm = [min(runs) for runs in zip(*(latency(matcher, items, prefer=prefer) for _ in range(3)), strict=True)]
    return (
        f"{label:<30} cold p50 {percentile(cold, 0.5):>5.0f} p99 {percentile(cold, 0.99):>6.0f} "
        f"max {max(cold):>7.0f} | warm p50 {percentile(warm, 0.5):>5.0f} p99 {percentile(warm, 0.99):>6.0f} "
        f"max {max(warm):>6.0f}"
    )


def day18_draft(given: Path | None, folder: Path) -> Path | None:
    """Return the day-18 draft: `given`, else the lesson imported with `lessonbot import` (None: no lesson)."""
    if given is not None:
        return given
    if not DAY18_LESSON.exists():
        return None
    target = folder / "day18-k8s-objects.yaml"
    command = [sys.executable, "-m", "bot", "import", str(DAY18_LESSON), "-o", str(target)]
    subprocess.run(command, capture_output=True, check=True)
    return target


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
    parser.add_argument("--day18-draft", type=Path, help="day 18 imported (default: imported now)")
    parser.add_argument("--one-lesson", action="store_true", help="latency on the knowledge alone only")
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
    print(f"\nlatency over {len(all_items)} questions (µs):")
    print(latency_line("the knowledge alone", fresh, all_items))
    if not args.one_lesson:
        with tempfile.TemporaryDirectory() as folder:
            draft = day18_draft(args.day18_draft, Path(folder))
            if draft is None:
                print(f"(no curriculum latency: {DAY18_LESSON} not found)")
            else:
                both = parse_knowledge([*knowledge.lessons, *load_knowledge(draft).lessons])
                day = knowledge.lessons[0].id
                print(f"(with the draft {draft.name}; lesson of the day {day})")
                print(latency_line("+ the draft", Matcher(both), all_items))
                print(latency_line("+ the draft, lesson of the day", Matcher(both), all_items, prefer=day))
    statuses = Counter(fresh.ask(item.question).status for item in all_items)
    print(f"outcomes: {dict(statuses)}; picks: {sum(pick(fresh.ask(i.question)) is not None for i in all_items)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
