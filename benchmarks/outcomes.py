"""Per-question matcher outcomes, one JSON line each, to prove a refactor changes no behaviour.

    python benchmarks/outcomes.py [-o FILE] [--day18-draft FILE]

Indexes come from the user's compiled-index cache when it holds them (run twice, and with
LESSONBOT_CACHE=off, to check a cached index answers exactly like a fresh one).

Run it before and after a change and `diff` the two files: identical output means every eval
question got the same status, entry, suggestions, score, reason and reply language. It covers

  * the bundled lessons with the public dev set and the three proxy sets;
  * a draft of day 18 (`lessonbot import ../shared/lessons/day18-k8s-objects.md -o FILE`, passed
    with --day18-draft) with its own eval set;
  * both together, every set asked unscoped, preferring each lesson, and scoped to each lesson;
  * autocomplete on the first half of every question (the dropdown while typing).

A record is a line so that a diff points at the very question that changed. The script runs
itself with PYTHONHASHSEED=0: sums over sets of words follow string hashing, so scores can differ
in the fourth decimal between processes, and a proof needs both sides summed in the same order.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from bot.evaluation import parse_eval_set
from bot.index_cache import index_cache
from bot.knowledge import load_knowledge
from bot.matching import Answer, Matcher, NoMatch, Result, Suggestions
from bot.scope import Scope
from bot.source import read_text

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
BUNDLED = ROOT / "knowledge"
DAY16_SETS = [
    SHARED / "eval" / "dev.yaml",
    ROOT / "benchmarks" / "eval" / "proxy.yaml",
    ROOT / "benchmarks" / "eval" / "proxy2.yaml",
    ROOT / "benchmarks" / "eval" / "proxy3.yaml",
]
DAY18_SET = SHARED / "eval" / "day18.yaml"


def outcome(result: Result) -> dict[str, Any]:
    """Return what a user sees of a result, as plain JSON values."""
    record: dict[str, Any] = {"status": result.status, "lang": result.lang}
    if isinstance(result, Answer):
        record.update(id=result.candidate.qualified_id, score=result.candidate.score)
    elif isinstance(result, Suggestions):
        record.update(
            id=result.candidates[0].qualified_id,
            score=result.candidates[0].score,
            suggestions=[[c.qualified_id, c.score] for c in result.candidates],
        )
    elif isinstance(result, NoMatch):
        record.update(reason=result.reason, topic=result.topic.ko if result.topic else None)
        if result.best is not None:
            record.update(best=result.best.qualified_id, score=result.best.score)
    return record


def questions(path: Path) -> list[str]:
    """Return the questions of an eval set."""
    return [item.question for item in parse_eval_set(read_text(str(path)), path=str(path))]


def run(name: str, matcher: Matcher, sets: Sequence[Path], *, scopes: bool) -> Iterator[dict[str, Any]]:
    """Yield one record per question (and per scope, when `scopes`) of every set."""
    lesson_ids = [lesson.id for lesson in matcher.knowledge.lessons]
    for path in sets:
        for number, question in enumerate(questions(path)):
            where = {"run": name, "set": path.name, "n": number}
            yield {**where, "mode": "ask", **outcome(matcher.ask(question))}
            if scopes:
                for lesson_id in lesson_ids:
                    preferred = matcher.ask(question, scope=Scope(prefer=lesson_id))
                    yield {**where, "mode": f"prefer={lesson_id}", **outcome(preferred)}
                    scoped = matcher.ask(question, scope=Scope(frozenset({lesson_id}), lesson_id))
                    yield {**where, "mode": f"only={lesson_id}", **outcome(scoped)}
            typed = question[: max(1, len(question) // 2)]
            completions = matcher.autocomplete(typed, lang="ko" if number % 2 else "en", limit=5)
            yield {**where, "mode": "autocomplete", "ids": [[c.qualified_id, c.score] for c in completions]}


def main(argv: Sequence[str] | None = None) -> int:
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.execve(sys.executable, [sys.executable, *sys.argv], {**os.environ, "PYTHONHASHSEED": "0"})
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-o", "--output", type=Path, help="write here instead of stdout")
    parser.add_argument("--day18-draft", type=Path, help="a knowledge file imported from day 18's lesson")
    args = parser.parse_args(argv)
    out = args.output.open("w", encoding="utf-8") if args.output else sys.stdout
    # The user's compiled-index cache, as `lessonbot ask` uses it (LESSONBOT_CACHE=off to build every index):
    # outcomes must not depend on whether an index was built or read back.
    cache = index_cache(os.environ)
    records: list[Iterator[dict[str, Any]]] = [
        run(
            "bundled",
            Matcher(load_knowledge(BUNDLED), cache=cache),
            [p for p in DAY16_SETS if p.exists()],
            scopes=False,
        )
    ]
    with tempfile.TemporaryDirectory() as folder:
        if args.day18_draft is not None:
            draft = Matcher(load_knowledge(args.day18_draft), cache=cache)
            both_dir = Path(folder)
            for lesson_file in sorted(BUNDLED.glob("*.yaml")):
                shutil.copy(lesson_file, both_dir / lesson_file.name)
            shutil.copy(args.day18_draft, both_dir / "day18-draft.yaml")
            both = Matcher(load_knowledge(both_dir), cache=cache)
            records.append(run("day18", draft, [DAY18_SET], scopes=False))
            records.append(run("both", both, [*(p for p in DAY16_SETS if p.exists()), DAY18_SET], scopes=True))
        for group in records:
            for record in group:
                out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    if args.output:
        out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
