"""Matcher benchmark: accuracy against two baselines, index build time, and latency (cold and warm).

    python benchmarks/bench_matcher.py [EVAL.yaml ...] [--knowledge PATH]

Defaults to the public dev set (../shared/eval/dev.yaml, when present) and the three independent
proxy sets (benchmarks/eval/proxy*.yaml). Baselines, on the same knowledge file and the same scoring:
  (a) rapidfuzz WRatio against the raw phrasings (titles + alternate questions) with default_process;
  (b) character 2-3-gram TF-IDF cosine against the same phrasings.
Each baseline gets its best abstain cutoff chosen on the very set it is scored on (an optimistic
upper bound for it); lessonbot uses its fixed, shipped defaults.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from rapidfuzz import fuzz, process, utils

from bot.evaluation import EvalItem, parse_eval_set, percentile, pick, run_eval, summarise
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

Guess = tuple[str | None, float]


def phrasings(knowledge: Knowledge) -> list[tuple[str, str]]:
    """Return (entry id, raw phrasing) for every title and alternate question."""
    rows: list[tuple[str, str]] = []
    for _, entry in knowledge.entries():
        for text in (*entry.title.texts(), *entry.questions.texts()):
            rows.append((entry.id, text))
    return rows


def wratio_baseline(knowledge: Knowledge) -> Callable[[str], Guess]:
    """Return baseline (a): best WRatio phrasing."""
    rows = phrasings(knowledge)
    choices = [text for _, text in rows]

    def guess(question: str) -> Guess:
        found = process.extractOne(question, choices, scorer=fuzz.WRatio, processor=utils.default_process)
        if found is None:
            return None, 0.0
        return rows[found[2]][0], float(found[1]) / 100

    return guess


def _grams(text: str) -> Counter[str]:
    compact = "".join(utils.default_process(text).split())
    return Counter(compact[i : i + n] for n in (2, 3) for i in range(len(compact) - n + 1))


def tfidf_baseline(knowledge: Knowledge) -> Callable[[str], Guess]:
    """Return baseline (b): character n-gram TF-IDF cosine against phrasings."""
    rows = phrasings(knowledge)
    docs = [_grams(text) for _, text in rows]
    df: Counter[str] = Counter()
    for doc in docs:
        df.update(doc.keys())
    idf = {gram: math.log(1 + len(docs) / count) for gram, count in df.items()}

    def vector(grams: Counter[str]) -> dict[str, float]:
        weights = {g: c * idf.get(g, 0.0) for g, c in grams.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        return {g: w / norm for g, w in weights.items()}

    vectors = [vector(doc) for doc in docs]

    def guess(question: str) -> Guess:
        query = vector(_grams(question))
        best, best_score = None, 0.0
        for (entry_id, _), doc in zip(rows, vectors, strict=True):
            score = sum(w * doc.get(g, 0.0) for g, w in query.items())
            if score > best_score:
                best, best_score = entry_id, score
        return best, best_score

    return guess


def baseline_accuracy(items: Sequence[EvalItem], guess: Callable[[str], Guess]) -> tuple[float, float]:
    """Return (accuracy at the best abstain cutoff for this set, that cutoff)."""
    guesses = [guess(item.question) for item in items]
    best = (0.0, 0.0)
    for step in range(101):
        cutoff = step / 100
        correct = 0
        for item, (entry_id, score) in zip(items, guesses, strict=True):
            chosen = entry_id if score >= cutoff else None
            correct += (chosen is None) if item.ids is None else (chosen in item.ids)
        best = max(best, (correct / len(items), cutoff))
    return best


def latency(matcher: Matcher, items: Sequence[EvalItem]) -> list[float]:
    """Return per-question latency in microseconds, as `lessonbot eval` measures it."""
    return [outcome.latency_us for outcome in run_eval(matcher, items)]


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
    print(f"\n{'set':<12}{'n':>5}{'lessonbot':>11}{'WRatio':>9}{'TF-IDF':>9}{'margin':>9}")
    all_items: list[EvalItem] = []
    for path in sets:
        items = parse_eval_set(read_text(str(path)), path=str(path))
        all_items.extend(items)
        ours = summarise(run_eval(Matcher(knowledge), items))["overall"]["accuracy"]
        (a, _), (b, _) = baseline_accuracy(items, wratio), baseline_accuracy(items, tfidf)
        print(
            f"{path.stem:<12}{len(items):>5}{ours * 100:>10.1f}%{a * 100:>8.1f}%{b * 100:>8.1f}%"
            f"{(ours - max(a, b)) * 100:>+8.1f}"
        )

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
