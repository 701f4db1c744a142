"""Curriculum benchmark: day 16 alone, the day-18 draft imported with no edits, and both loaded together.

    python benchmarks/bench_curriculum.py [EVAL.yaml ...] [--no-baselines] [--prefer none|own|newest] [-v]
                                          [--extra-lesson LESSON.md ...] [--floor SET@CONFIG:METRIC=X[,METRIC=X] ...]

Imports ../shared/lessons/day18-k8s-objects.md with `lessonbot import` (the command a user runs, into
a temporary folder, no edits) and scores each set (default: ../shared/eval/dev.yaml and day18.yaml,
and every benchmarks/eval/*.yaml), the way `lessonbot eval` does, on its own lesson alone and on
`both`: the day-16 sets on `day16` (the hand-written knowledge) and `both` (with the day-18 draft
loaded beside it); day-18 sets (section-labelled) on `day18` (the draft alone) and `both`. The lesson
a set labels decides which it is.
With `--extra-lesson` (e.g. benchmarks/blind/day20-lesson.md, a lesson nobody tuned on), each such
lesson is imported the same way, and every set is also measured with all lessons loaded (`all`: day
16, the day-18 draft and the extra drafts); a set labelling an extra lesson is measured on `extra`
(the extra drafts alone) and `all`.
One table: strict (answered right; null questions not answered), first choice (the answer or the
first suggestion), abstain (null questions not answered), strict per language, the change in strict
against the lesson alone, strict on answerable questions (`answerable`), the null questions another
loaded lesson answered and covers (the curriculum working: the set's lesson lists the topic as not
covered, the answering lesson does not, and names every IT concept the question names; decided
mechanically, see `covered_elsewhere`), strict with those counted right (`curriculum`), the
answerable questions answered from another lesson, and the two baselines of bench_matcher.py
(rapidfuzz WRatio, character n-gram TF-IDF; each with its best cutoff picked on the set itself, an optimistic bound).

Questions are asked as `lessonbot ask` asks them: every loaded lesson, no lesson of the day; with
`--prefer own` the set's lesson is the lesson of the day, with `--prefer newest` the newest loaded one.

With `--explain`, every question whose strict outcome changes between its lesson alone and a config
with more lessons is put in one of five kinds (counted per set, listed with -v): `covered elsewhere`
(an off-lesson question another loaded lesson answers and covers: see `covered_elsewhere`), `today's
lesson` (a summary or lesson entry of another lesson whose counterpart in the set's own lesson is
right: "today's summary" read as the lesson of the day's, or with none the newest's), `other
lesson wins` (another lesson's entry comes first, or its not-covered list claims the question), `read
differently` (asked in its own lesson only, inside the bigger index, the outcome already differs:
vocabulary or weights moved) and
`decision` (its own lesson's entry first, the answer/suggest decision changed by the competition).

As a CI gate: each `--floor` names a set (file name without .yaml), a configuration and floors for
strict, first_choice, abstain, answerable, curriculum or strict.ko / strict.en / strict.mixed, e.g.
`--floor day18@day18:strict=0.55,abstain=0.9 --floor dev@both:strict=0.85`. Exit 1 when a floor is
missed, 2 when the import fails or a floor names nothing that was measured.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench_matcher import baseline_rates, cells, header, tfidf_baseline, wratio_baseline

from bot.evaluation import (
    EvalItem,
    EvalOutcome,
    Judge,
    judge_result,
    parse_eval_set,
    parse_floor,
    pick,
    run_eval,
    summarise,
)
from bot.knowledge import Knowledge, load_lesson, parse_knowledge
from bot.matching import Matcher, NoMatch, Result
from bot.scope import Scope
from bot.source import read_text

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CONFIGS = ("day16", "day18", "extra", "both", "all")
METRICS = ("strict", "first_choice", "abstain", "answerable", "curriculum", "strict.ko", "strict.en", "strict.mixed")


@dataclass(frozen=True)
class Floor:
    """A minimum rate of one metric of one set in one configuration."""

    set_name: str
    config: str
    metric: str
    value: float


def parse_floor_spec(text: str) -> list[Floor]:
    """Return the floors of `SET@CONFIG:METRIC=X[,METRIC=X]`; ValueError with one clear line otherwise."""
    target, _, floors = text.partition(":")
    set_name, _, config = target.partition("@")
    if not set_name or config not in CONFIGS or not floors:
        raise ValueError(f"--floor {text!r}: expected SET@CONFIG:METRIC=X with CONFIG one of {', '.join(CONFIGS)}")
    parsed: list[Floor] = []
    for part in floors.split(","):
        metric, _, value = part.partition("=")
        if metric not in METRICS:
            raise ValueError(f"--floor {text!r}: metric {metric!r} is not one of {', '.join(METRICS)}")
        parsed.append(Floor(set_name, config, metric, parse_floor(value, name=f"--floor {text!r}: {metric}")))
    return parsed


def metric_of(summary: dict[str, Any], metric: str) -> float | None:
    """Return one metric of a `summarise` summary (None: nothing to measure, e.g. no null questions)."""
    if metric.startswith("strict."):
        by_lang = summary["by_lang"].get(metric.split(".", 1)[1])
        block = None if by_lang is None else by_lang["strict"]
    elif metric == "answerable":
        block = summary["answerable"]["strict"]
    elif metric == "curriculum":
        block = summary.get("curriculum", summary["strict"])
    else:
        block = summary[metric]
    rate = None if block is None else block["rate"]
    return None if rate is None else float(rate)


def import_draft(lesson: Path, folder: Path) -> Path:
    """Run `lessonbot import` on the Markdown lesson, as a user would; return the draft's path."""
    target = folder / f"{lesson.stem}.yaml"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "import", str(lesson), "-o", str(target)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"lessonbot import {lesson} failed (exit {done.returncode}): {done.stderr.strip()}")
    return target


@dataclass(frozen=True)
class Row:
    """One set measured in one configuration."""

    set_name: str
    config: str
    summary: dict[str, Any]
    baselines: tuple[tuple[float, float | None], ...]
    # Null questions answered by another loaded lesson that covers their topic (see `covered_elsewhere`),
    # and answerable questions answered from another lesson (not counted right, whatever it says).
    covered: int = 0
    answered_elsewhere: int = 0


class Solo:
    """One matcher per loaded lesson alone: what each lesson says of a question by itself."""

    def __init__(self, knowledge: Knowledge) -> None:
        self._knowledge = knowledge
        self._matchers: dict[str, Matcher] = {}

    def matcher(self, lesson_id: str) -> Matcher:
        found = self._matchers.get(lesson_id)
        if found is None:
            found = self._matchers[lesson_id] = Matcher(parse_knowledge([self._knowledge.lesson(lesson_id)]))
        return found

    def excludes(self, lesson_id: str, question: str) -> bool:
        """Return whether the lesson, loaded alone, says it does not cover the question (`out_of_scope`)."""
        result = self.matcher(lesson_id).ask(question)
        return isinstance(result, NoMatch) and result.reason == "out_of_scope"


def covered_elsewhere(outcome: EvalOutcome, own_lesson: str, matcher: Matcher, solo: Solo) -> bool:
    """Return whether a null question was answered by another lesson that covers its topic.

    Decided mechanically, never by labelling questions: the question is null for its lesson because
    that lesson lists its topic as not covered (alone, it says so); another loaded lesson answered it;
    that lesson does not list the topic as not covered; and it names every IT concept the question
    names ("DaemonSet vs Deployment" answered from a lesson about Deployments alone is not covered).
    """
    item, answered_by = outcome.item, outcome.got_lesson
    if item.answerable or outcome.status != "answer" or answered_by is None or answered_by == own_lesson:
        return False
    if not solo.excludes(own_lesson, item.question) or solo.excludes(answered_by, item.question):
        return False
    return matcher.unnamed_concepts(item.question, answered_by) == 0


def curriculum_summary(
    outcomes: Sequence[EvalOutcome], own_lesson: str, matcher: Matcher, solo: Solo
) -> tuple[dict[str, Any], int, int]:
    """Return the summary with `curriculum` (strict, nulls covered elsewhere counted right), how many
    nulls were covered elsewhere, and how many answerable questions were answered from another lesson."""
    summary = summarise(outcomes)
    covered = [covered_elsewhere(o, own_lesson, matcher, solo) for o in outcomes]
    right = sum(o.strict or hit for o, hit in zip(outcomes, covered, strict=True))
    summary["curriculum"] = {"n": len(outcomes), "right": right, "rate": round(right / len(outcomes), 4)}
    other = sum(o.item.answerable and o.status == "answer" and o.got_lesson not in (None, own_lesson) for o in outcomes)
    return summary, sum(covered), other


def measure(
    set_name: str,
    config: str,
    knowledge: Knowledge,
    items: Sequence[EvalItem],
    *,
    baselines: bool,
    prefer: str,
    verbose: bool,
) -> Row:
    """Score one set on one configuration (and the baselines on the same knowledge)."""
    judge = Judge(knowledge, items)
    chosen = {"none": None, "own": judge.lesson.id, "newest": knowledge.lessons[-1].id}[prefer]
    matcher = Matcher(knowledge)
    outcomes = run_eval(matcher, items, judge=judge, prefer=chosen)
    solo = Solo(knowledge)
    summary, covered, other = curriculum_summary(outcomes, judge.lesson.id, matcher, solo)
    if verbose:
        for outcome in outcomes:
            if not outcome.strict:
                want = outcome.item.expected() or "∅"
                if covered_elsewhere(outcome, judge.lesson.id, matcher, solo):
                    want += " (covered elsewhere)"
                print(
                    f"    ✗ {set_name}@{config}:{outcome.item.line} [{outcome.item.kind}] {outcome.item.question!r}"
                    f" want {want} got {outcome.got_lesson}/{outcome.got} ({outcome.status} {outcome.score})"
                )
    rates: list[tuple[float, float | None]] = []
    if baselines:
        for make in (wratio_baseline, tfidf_baseline):
            rate, _ = baseline_rates(items, make(knowledge), judge)
            rates.append((rate.strict, rate.abstain))
    return Row(set_name, config, summary, tuple(rates), covered, other)


MOVES = ("covered elsewhere", "today's lesson", "other lesson wins", "read differently", "decision")
# Entries every lesson has: a request for "today's summary" gets one of them from whichever lesson is today.
ROLE_ENTRIES = frozenset({"lesson", "summary"})


def move_kind(
    item: EvalItem,
    loaded: Result,
    own_lesson: str,
    *,
    own_only_changed: bool,
    covers: bool = True,
    counterpart_right: bool = False,
) -> str:
    """Return why a question's strict outcome differs with more lessons loaded (see `MOVES`).

    `loaded` is the result with every lesson searched; `own_only_changed` whether asking the same
    index with only the question's own lesson in scope already gives another outcome than alone;
    `covers` whether the lesson that answered a null question covers its topic (`covered_elsewhere`);
    `counterpart_right` whether the chosen entry is another lesson's summary or lesson entry whose
    counterpart in the set's own lesson would be right: "오늘 수업 요약" answered from the lesson taken
    as today's, where the set's labels assume its own lesson is today's. Still a miss in strict.
    """
    chosen = pick(loaded)
    elsewhere = chosen is not None and chosen[0] != own_lesson
    if not item.answerable and elsewhere and loaded.status == "answer" and covers:
        return "covered elsewhere"
    if item.answerable and elsewhere and counterpart_right:
        return "today's lesson"
    if own_only_changed:
        return "read differently"
    if elsewhere or (isinstance(loaded, NoMatch) and loaded.reason == "out_of_scope"):
        return "other lesson wins"
    return "decision"


def explain(
    set_name: str,
    config: str,
    alone: Knowledge,
    loaded: Knowledge,
    items: Sequence[EvalItem],
    *,
    prefer: str,
    verbose: bool,
) -> str:
    """Return one line counting, per kind of move, the questions lost and gained with more lessons loaded."""
    judge_alone, judge_loaded = Judge(alone, items), Judge(loaded, items)
    own = judge_alone.lesson.id
    # The lesson of the day as `measure` picks it: the set's own lesson, or the newest loaded one.
    scope = Scope(prefer={"none": None, "own": own, "newest": loaded.lessons[-1].id}[prefer])
    only = Scope(frozenset({own}), scope.prefer)
    solo, many, solo_loaded = Matcher(alone), Matcher(loaded), Solo(loaded)
    counts = {(kind, way): 0 for kind in MOVES for way in ("lost", "gained")}
    lines: list[str] = []
    for item in items:
        before = judge_result(judge_alone, item, solo.ask(item.question, scope=scope))[0]
        result = many.ask(item.question, scope=scope)
        after = judge_result(judge_loaded, item, result)[0]
        if before == after:
            continue
        own_only = judge_result(judge_loaded, item, many.ask(item.question, scope=only))[0]
        chosen = pick(result)
        outcome = EvalOutcome(item, result.status, None, chosen[0] if chosen else None, 0.0, after, after, 0.0)
        covers = covered_elsewhere(outcome, own, many, solo_loaded)
        counterpart = chosen is not None and chosen[1] in ROLE_ENTRIES and judge_alone.accepts(item, own, chosen[1])
        kind = move_kind(
            item, result, own, own_only_changed=own_only != before, covers=covers, counterpart_right=counterpart
        )
        way = "gained" if after else "lost"
        counts[(kind, way)] += 1
        if verbose:
            chosen = pick(result)
            got = "/".join(chosen) if chosen else "-"
            lines.append(
                f"    {'+' if after else '-'} {kind}: {set_name}:{item.line} {item.question!r} → {result.status} {got}"
            )
    summary = ", ".join(
        f"{kind} −{counts[(kind, 'lost')]}/+{counts[(kind, 'gained')]}"
        for kind in MOVES
        if counts[(kind, "lost")] or counts[(kind, "gained")]
    )
    return "\n".join([f"{set_name}@{config}: {summary or 'nothing moved'}", *lines])


def format_table(rows: Sequence[Row], *, baselines: bool) -> str:
    """Return the table: one line per set and configuration."""
    width = max([10, *(len(row.set_name) + 2 for row in rows)])
    columns = header(
        "strict", "first", "abstain", "ko", "en", "mixed", "Δ alone", "answ", "cover", "curric", "Δ curr", "→other"
    )
    head = f"{'set':<{width}}{'config':<8}{'n':>5}{columns}"
    if baselines:
        head += f"  {header('WRatio', 'abst')}  {header('TF-IDF', 'abst')}"
    lines = [head]
    alone = {row.set_name: row for row in rows if row.config not in ("both", "all")}
    for row in rows:
        summary = row.summary
        by_lang = [metric_of(summary, f"strict.{lang}") for lang in ("ko", "en", "mixed")]
        line = (
            f"{row.set_name:<{width}}{row.config:<8}{summary['strict']['n']:>5}"
            f"{cells(summary['strict']['rate'], summary['first_choice']['rate'], summary['abstain']['rate'], *by_lang)}"
        )
        reference = alone.get(row.set_name)
        many = row.config in ("both", "all") and reference is not None
        if many and reference is not None:
            change = summary["strict"]["rate"] - reference.summary["strict"]["rate"]
            line += f"{change * 100:>+7.1f} "
        else:
            line += f"{'':>8}"
        line += cells(metric_of(summary, "answerable"))
        nulls = summary["abstain"]["n"]
        line += f"{f'{row.covered}/{nulls}' if many else '':>8}"
        line += cells(metric_of(summary, "curriculum"))
        if many and reference is not None:
            change = summary["curriculum"]["rate"] - reference.summary["strict"]["rate"]
            line += f"{change * 100:>+7.1f} "
        else:
            line += f"{'':>8}"
        line += f"{row.answered_elsewhere if many else '':>8}"
        for strict, abstain in row.baselines:
            line += f"  {cells(strict, abstain)}"
        lines.append(line)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; with floors, exit 1 when one is missed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--day16", type=Path, default=ROOT / "knowledge" / "day16-containers.yaml")
    parser.add_argument("--day18-lesson", type=Path, default=SHARED / "lessons" / "day18-k8s-objects.md")
    parser.add_argument(
        "--extra-lesson",
        type=Path,
        action="append",
        default=[],
        metavar="LESSON.md",
        help="another lesson to import as a draft: sets are then also measured with every lesson loaded (`all`)",
    )
    parser.add_argument("sets", type=Path, nargs="*", help="default: dev.yaml, day18.yaml, benchmarks/eval/*.yaml")
    parser.add_argument("--no-baselines", action="store_true", help="skip the baselines (faster, for CI)")
    parser.add_argument("--prefer", choices=["none", "own", "newest"], default="none")
    parser.add_argument("--floor", action="append", default=[], metavar="SET@CONFIG:METRIC=X[,METRIC=X]")
    parser.add_argument("--explain", action="store_true", help="why questions move when more lessons are loaded")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every question not strictly right")
    args = parser.parse_args(argv)
    try:
        floors = [floor for spec in args.floor for floor in parse_floor_spec(spec)]
    except ValueError as exc:
        parser.error(str(exc))
    sets = args.sets or [
        path for path in (SHARED / "eval" / "dev.yaml", SHARED / "eval" / "day18.yaml") if path.exists()
    ] + sorted((ROOT / "benchmarks" / "eval").glob("*.yaml"))

    with tempfile.TemporaryDirectory() as folder:
        try:
            draft_path = import_draft(args.day18_lesson, Path(folder))
        except RuntimeError as exc:
            print(f"bench_curriculum: {exc}", file=sys.stderr)
            return 2
        draft = load_lesson(draft_path)
        try:
            extras = [load_lesson(import_draft(path, Path(folder))) for path in args.extra_lesson]
        except RuntimeError as exc:
            print(f"bench_curriculum: {exc}", file=sys.stderr)
            return 2
    day16 = load_lesson(args.day16)
    configs = {
        "day16": parse_knowledge([day16]),
        "day18": parse_knowledge([draft]),
        "both": parse_knowledge([day16, draft]),
    }
    if extras:
        configs["extra"] = parse_knowledge(extras)
        configs["all"] = parse_knowledge([day16, draft, *extras])
    print(
        f"day 16: {args.day16.name} ({len(day16.entries)} entries); day 18: {args.day18_lesson.name} imported "
        f"with no edits ({len(draft.entries)} entries, {len(draft.warnings)} English texts to write); "
        f"lesson of the day: {args.prefer}"
    )
    rows: list[Row] = []
    for path in sets:
        items = parse_eval_set(read_text(str(path)), path=str(path))
        # Each set is measured on its own lesson alone and on both: which lesson it labels decides.
        judged = Judge(configs.get("all", configs["both"]), items).lesson.id
        alone = "day18" if judged == draft.id else "day16"
        if any(judged == extra.id for extra in extras):
            alone = "extra"
        wanted = [alone] + (["both"] if alone != "extra" else []) + (["all"] if extras else [])
        for config in wanted:
            rows.append(
                measure(
                    path.stem,
                    config,
                    configs[config],
                    items,
                    baselines=not args.no_baselines,
                    prefer=args.prefer,
                    verbose=args.verbose,
                )
            )
        if args.explain:
            for config in wanted[1:]:
                print(
                    explain(
                        path.stem,
                        config,
                        configs[alone],
                        configs[config],
                        items,
                        prefer=args.prefer,
                        verbose=args.verbose,
                    )
                )
    print()
    print(format_table(rows, baselines=not args.no_baselines))
    print(
        "strict: answered right (null: not answered); first: the answer or the first suggestion; abstain: null\n"
        "questions not answered; ko/en/mixed: strict per language; Δ alone: strict with both lessons loaded minus\n"
        "strict with the set's lesson alone; answ: strict on answerable questions; cover: null questions another\n"
        "loaded lesson answered and covers (its own lesson lists the topic as not covered, the answering one does\n"
        "not, and names every IT concept the question names); curric: strict with those counted right; Δ curr:\n"
        "curric minus strict alone; →other: answerable questions answered from another lesson (wrong in strict);\n"
        "baselines: strict and abstain at their best cutoff for the set."
    )
    measured = {(row.set_name, row.config): row for row in rows}
    failed = False
    for floor in floors:
        row = measured.get((floor.set_name, floor.config))
        reached = None if row is None else metric_of(row.summary, floor.metric)
        if reached is None:
            print(
                f"bench_curriculum: --floor {floor.set_name}@{floor.config}:{floor.metric}: not measured",
                file=sys.stderr,
            )
            return 2
        verdict = "ok" if reached >= floor.value else "BELOW THE FLOOR"
        failed |= reached < floor.value
        print(f"floor {floor.set_name}@{floor.config} {floor.metric} ≥ {floor.value:.3f}: {reached:.3f} {verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
