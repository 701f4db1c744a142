"""Fit the answer decision (bot/decision.py) on the public labelled sets; cross-validate; ship it as data.

    python benchmarks/fit_decision.py [--check] [--out bot/data/decision.json] [--plot PATH]

Sets (never an unrun blind one): ../shared/eval/dev.yaml, benchmarks/eval/proxy.yaml, proxy2.yaml,
proxy3.yaml and benchmarks/blind/blind-1.yaml, blind-2.yaml, blind-3.yaml on the day-16 lesson; on
drafts imported with `lessonbot import`, no edits,
../shared/eval/day18.yaml, benchmarks/blind/blind-d18-1.yaml and blind-d18-2.yaml on the day-18 draft
(../shared/lessons/day18-k8s-objects.md), and benchmarks/blind/dayNN-questions.yaml on the draft of
benchmarks/blind/dayNN-lesson.md for days 19 to 23; the blind ones were first run long ago and are
seen sets now.
Each is asked in three configurations: its lesson alone, beside day 16 (day 16's sets beside the
day-18 draft; no lesson of the day), and the same with its lesson as the lesson of the day.

Every question that reaches the decision (not chat noise, not out of scope, top score at least
`suggest_threshold`) gives one sample: the features of its match (`MatchFeatures`) and the label
"the top entry is a right answer" per the eval's Judge (0 for a null question). Two models: one on
the samples whose top entry is from a written lesson, one on those from a draft (see `Decision`).
Each is a logistic model with a little L2 (on standardised features) fitted by Newton's method,
deterministic; the weights of score, margin and gap are kept ≥ 0 (a feature whose weight would go
negative is fixed at 0 and the rest refitted), so a higher score or margin never turns an answer
into a suggestion.

The answer cutoff on P(right) is chosen on *held-out* probabilities, never on the ones a model
gives its own training samples: each set's samples are scored by a model fitted on the other sets
of its kind (leave one set out; for drafts, leaving out day 19 or day 20 leaves the other two lessons:
the honest figure for a lesson the model never saw).
On those, the cutoff maximises utility = strict accuracy − `WRONG_COST` × wrong answers to
answerable questions (a wrong answer costs what a right one gains: both are said outright),
among cutoffs that keep `ABSTAIN_FLOOR` of the null questions unanswered (when one does); and not once but on
`BOOTSTRAPS` resamples of the questions, the median of their choices shipping. Utility is flat
over a wide range of cutoffs (few samples lie there), so the best single cutoff is an accident of
a few questions; the median of resampled choices is not, and dropping samples the model is sure
of (chat noise now caught before the decision) moves it little.

The table gives, per set and configuration, strict / abstain / wrong answers with the hand-set rule
(answer ≥ 0.50 leading by 0.06), with the models under nested cross-validation (honest: the held-out
questions chose neither the weights nor the cutoff), and with the shipped models (in-sample). Then
the models are refitted on all samples and written (`--check`: only compare with the shipped file,
exit 1 when it differs), and a reliability plot of the held-out probabilities goes to benchmarks/out/.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import operator
import random
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import reduce
from pathlib import Path

from bench_curriculum import import_draft
from plotting import reliability_plot

from bot.decision import (
    FEATURE_NAMES,
    Decision,
    DecisionModel,
    MatchFeatures,
    builtin_decision_path,
    decide,
    may_answer,
    parse_decision_model,
)
from bot.evaluation import EvalItem, Judge, parse_eval_set
from bot.knowledge import Knowledge, Lesson, load_lesson, parse_knowledge
from bot.matching import Matcher
from bot.scope import Scope
from bot.source import SourceError, read_text
from bot.tuning import MatcherTuning

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DAY16_SETS = (
    SHARED / "eval" / "dev.yaml",
    *(ROOT / "benchmarks" / "eval" / f"{n}.yaml" for n in ("proxy", "proxy2", "proxy3")),
    # Day 16's blind sets, run long ago (seen now): their near misses (how-to, set-up, implementation
    # questions) are the null questions the other sets lack; each is one more held-out fold.
    *(ROOT / "benchmarks" / "blind" / f"blind-{n}.yaml" for n in (1, 2, 3)),
)
DAY18_SETS = (SHARED / "eval" / "day18.yaml",)
BLIND = ROOT / "benchmarks" / "blind"
# Draft lessons (imported from Markdown, no edits) and their sets: the draft model rests on more than
# one lesson. blind-d18-1, blind-d18-2, day 19 and day 20 were first run long ago
# (benchmarks/blind/README.md): seen sets now. Day 19 and blind-d18-2 joined as a third lesson and
# two more folds: with two lessons, each fold's cutoff was chosen on held-out probabilities from a
# model that had seen one other lesson, over-confident on the held-out one, so the cutoff rose to
# 0.61-0.65 and the shipped one to 0.57; with three, the folds chose 0.48-0.58 and nested
# cross-validation gained on every day-18/day-20 set and configuration it had before (day 18 both
# 77.5 -> 78.7 %, blind-d18-1 alone 84.4 -> 85.6 %, day 20 both 74.4 -> 76.7 %). Days 21-23 joined
# later (six lessons, eight folds): on the day-18 sets no fit sees (blind-d18-3..6) strict alone went
# 81.8/83.6/81.8/90.0 -> 82.7/86.4/82.7/90.9 %; day 19 answered one more null question.
DRAFTS: tuple[tuple[Path, tuple[Path, ...]], ...] = (
    (
        SHARED / "lessons" / "day18-k8s-objects.md",
        (*DAY18_SETS, BLIND / "blind-d18-1.yaml", BLIND / "blind-d18-2.yaml"),
    ),
    (BLIND / "day19-lesson.md", (BLIND / "day19-questions.yaml",)),
    (BLIND / "day20-lesson.md", (BLIND / "day20-questions.yaml",)),
    (BLIND / "day21-lesson.md", (BLIND / "day21-questions.yaml",)),
    (BLIND / "day22-lesson.md", (BLIND / "day22-questions.yaml",)),
    (BLIND / "day23-lesson.md", (BLIND / "day23-questions.yaml",)),
)
DRAFT_SETS = frozenset(path.stem for _, paths in DRAFTS for path in paths)
CONFIGS = ("alone", "both", "both+own")
# Weights that must not go negative: more score, margin, lead or share of the question explained never
# means less likely right. And weights that must not go positive: naming what the lesson never names
# never makes a match likelier.
MONOTONE = ("score", "margin", "gap", "coverage", "content_words", "relative_margin")
ANTITONE = (
    "foreign_concepts",
    "uncovered_concepts",
    "answer_unused",
    "uncompared",
    "how_to_unasked",
    "score_shortfall",
    "cross_script_guess",
    "foreign_topic",
    "detail_unnamed",
)
# L2 strength on the standardised weights: enough to keep a weight from running off on a feature
# that separates a handful of samples, too little to matter where the data speak. The draft model
# learns from two lessons' ~800 correlated samples and needs more: of 1, 3, 10 and 30, nested
# cross-validation on day 18 (alone, then its only draft) gave strict / abstain 61.1/73.3, 62.2/73.3,
# 64.4/80.0, 65.6/86.7 %. With day 20 and blind-d18-1 added, 10, 30 and 100 differ by one question per
# set held out (day 20 alone 65.6, 65.6, 66.7 %); 30 keeps the shipped day-20 abstain at 93 % (10: 87 %).
L2 = {"written": 1.0, "draft": 30.0}
NEWTON_STEPS = 50
# Off-lesson questions must stay unanswered (issue 8: abstain ≥ 95 % on day 16): a cutoff is only
# chosen where the held-out null questions of the model's sets stay at least this unanswered (when
# some cutoff achieves it). Utility already counts a null answered as a loss; the floor only guards.
# None for drafts: held out, the draft's null questions reach 90 % unanswered only from a cutoff near
# 0.9, which cost the unseen drafts (day 20, blind-d18-1) 7 to 13 points of strict accuracy for one
# more null question left unanswered.
ABSTAIN_FLOOR = {"written": 0.95, "draft": 0.0}
# Cutoffs tried, and the resamples whose median choice ships (seeded: the fit is deterministic).
GRID = tuple(round(0.05 + 0.01 * step, 2) for step in range(91))
BOOTSTRAPS = 100
# What a wrong answer to an answerable question costs, against the 1 a right answer gains: it is said
# outright and misleads, where a suggestion would have offered the right entry among its choices. For
# a calibrated P(right), utility is then highest from P = WRONG_COST / (1 + WRONG_COST) on.
WRONG_COST = 1.0
SEED = 16
# The hand-set rule the models replace (MatcherTuning's answer_threshold and margin), for the table.
RULE = MatcherTuning()


@dataclass(frozen=True)
class Sample:
    """One question in one configuration: its features (None: it never reached the decision)."""

    set_name: str
    config: str
    question: str
    answerable: bool
    features: MatchFeatures | None
    right: bool  # the top entry is a right answer (never for a null question)
    # A null question of one lesson's set whose top entry is another loaded lesson's: the set cannot
    # say whether that lesson answers it ("what is a pod" is off day 16, on day 18's draft).
    unlabelled: bool = False

    @property
    def kind(self) -> str:
        """Which model decides it: "draft" when its top entry is from a draft, else "written"."""
        return "draft" if self.features is not None and self.features.draft else "written"


def collect(
    set_name: str, config: str, knowledge: Knowledge, items: Sequence[EvalItem], prefer: str | None
) -> list[Sample]:
    """Ask every question of a set; return one sample per question."""
    # Features do not depend on the decision: measure them with the hand-set rule, no model file.
    matcher = Matcher(knowledge, tuning=MatcherTuning(decision_model=None))
    judge = Judge(knowledge, items)
    scope = Scope(prefer=judge.lesson.id if prefer == "own" else None)
    samples: list[Sample] = []
    for item in items:
        assessed = matcher.assess(item.question, scope=scope)
        if assessed is None:
            samples.append(Sample(set_name, config, item.question, item.answerable, None, False))
            continue
        top, features = assessed
        right = item.answerable and judge.accepts(item, top.lesson_id, top.entry_id)
        unlabelled = not item.answerable and top.lesson_id != judge.lesson.id
        samples.append(Sample(set_name, config, item.question, item.answerable, features, right, unlabelled))
    return samples


def gather() -> list[Sample]:
    """Import the day-18 draft and collect the samples of every set in every configuration."""
    day16 = load_lesson(ROOT / "knowledge" / "day16-containers.yaml")
    configurations: list[tuple[tuple[Path, ...], Knowledge, Knowledge]] = []
    for markdown, paths in DRAFTS:
        with tempfile.TemporaryDirectory() as folder:
            draft: Lesson = load_lesson(import_draft(markdown, Path(folder)))
        both = parse_knowledge([day16, draft])
        configurations.append((paths, parse_knowledge([draft]), both))
    # Day 16's sets beside the day-18 draft, as before (the first draft's "both").
    configurations.insert(0, (DAY16_SETS, parse_knowledge([day16]), configurations[0][2]))
    samples: list[Sample] = []
    for paths, alone, both in configurations:
        for path in paths:
            items = parse_eval_set(read_text(str(path)), path=str(path))
            samples += collect(path.stem, "alone", alone, items, None)
            samples += collect(path.stem, "both", both, items, None)
            samples += collect(path.stem, "both+own", both, items, "own")
    return samples


# --- the logistic model, in plain Python (a dozen features, a few thousand samples) --------------


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve matrix · x = vector by Gaussian elimination with partial pivoting."""
    size = len(vector)
    rows = [[*matrix[i], vector[i]] for i in range(size)]
    for col in range(size):
        pivot = max(range(col, size), key=lambda r: abs(rows[r][col]))
        rows[col], rows[pivot] = rows[pivot], rows[col]
        for r in range(size):
            if r != col and rows[r][col]:
                factor = rows[r][col] / rows[col][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[col], strict=True)]
    return [rows[i][size] / rows[i][i] for i in range(size)]


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    odds = math.exp(z)
    return odds / (1.0 + odds)


def _accumulate(terms: Iterable[float]) -> float:
    """Add `terms` one by one from 0.0, left to right, as a `+=` loop does (no compensation: the fit's
    floating-point results must not depend on how the loop is written)."""
    return reduce(operator.add, terms, 0.0)


def _newton(xs: list[list[float]], ys: list[float], active: list[int], l2: float) -> list[float]:
    """Return [intercept, weights of `active` columns] of L2-regularised logistic regression.

    Column-wise: each gradient and Hessian entry is one pass over the samples in C (`map`, `reduce`),
    adding the same products in the same order as a loop over samples would (identical results).
    """
    size = len(active) + 1
    rows = [[1.0, *(x[j] for j in active)] for x in xs]
    columns = [list(column) for column in zip(*rows, strict=True)] if rows else [[] for _ in range(size)]
    beta = [0.0] * size
    for _ in range(NEWTON_STEPS):
        ps = [_sigmoid(sum(map(operator.mul, beta, row))) for row in rows]
        residuals = [p - y for p, y in zip(ps, ys, strict=True)]
        ws = [p * (1.0 - p) for p in ps]
        gradient = [_accumulate(map(operator.mul, residuals, column)) for column in columns]
        hessian = [[0.0] * size for _ in range(size)]
        for i in range(size):
            weighted = list(map(operator.mul, ws, columns[i]))
            for k in range(i, size):
                hessian[i][k] = _accumulate(map(operator.mul, weighted, columns[k]))
        for i in range(size):
            for k in range(i):
                hessian[i][k] = hessian[k][i]
        for i in range(1, size):  # no penalty on the intercept
            gradient[i] += l2 * beta[i]
            hessian[i][i] += l2
        step = _solve(hessian, gradient)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-10:
            break
    return beta


def fit_weights(samples: Sequence[Sample], kind: str) -> DecisionModel:
    """Fit a logistic model on `samples` (those that reached the decision and whose label says
    something); its cutoff is a placeholder (see `choose_cutoff`)."""
    decided = [s for s in samples if s.features is not None and not s.unlabelled]
    raw = [list(s.features.vector()) for s in decided if s.features is not None]
    ys = [1.0 if s.right else 0.0 for s in decided]
    count = len(raw)
    means = [math.fsum(x[j] for x in raw) / count for j in range(len(FEATURE_NAMES))]
    spreads = [math.sqrt(math.fsum((x[j] - means[j]) ** 2 for x in raw) / count) or 1.0 for j in range(len(means))]
    xs = [[(x[j] - means[j]) / spreads[j] for j in range(len(means))] for x in raw]
    # `draft` is not weighed: it says which model decides; nor `detail_unnamed`, which keeps any lesson
    # from answering (`may_answer`); nor `foreign_topic`, which keeps a draft
    # from answering at all (`may_answer`) and is left to `foreign_concepts` in a written lesson,
    # whose hand-written phrasings and out_of_scope topics already meet near misses.
    active = [j for j, name in enumerate(FEATURE_NAMES) if name not in ("draft", "foreign_topic", "detail_unnamed")]
    while True:
        beta = _newton(xs, ys, active, L2[kind])
        wrong_sign = [
            j
            for j, b in zip(active, beta[1:], strict=True)
            if (FEATURE_NAMES[j] in MONOTONE and b < 0) or (FEATURE_NAMES[j] in ANTITONE and b > 0)
        ]
        if not wrong_sign:
            break
        active = [j for j in active if j not in wrong_sign]
    weights = [0.0] * len(FEATURE_NAMES)
    for j, b in zip(active, beta[1:], strict=True):
        weights[j] = b / spreads[j]
    intercept = beta[0] - math.fsum(weights[j] * means[j] for j in range(len(means)))
    return DecisionModel(intercept=intercept, coefficients=tuple(weights), answer_probability=0.5)


class Fits:
    """Fitted weights, by kind and the exact samples fitted on (the same objects, in the same order).

    Cross-validation fits the same training folds many times over: leaving fold A out and then fold
    B in the nested loop trains on what leaving B then A does, and each outer fit is a held-out fit of
    the final one. `fit_weights` is deterministic in its samples and kind (L2 and the feature set are
    constants), so each distinct training set is fitted once and its model reused: the same result,
    fit for fit.
    """

    def __init__(self) -> None:
        # Values hold the samples themselves: their ids in the key can then never be reused by others.
        self._fitted: dict[tuple[str, tuple[int, ...]], tuple[tuple[Sample, ...], DecisionModel]] = {}
        self.asked = 0  # fits asked for
        self.fitted = 0  # fits that ran (the rest were reused)

    def weights(self, samples: Sequence[Sample], kind: str) -> DecisionModel:
        """Return `fit_weights(samples, kind)`, fitted once per distinct training set."""
        self.asked += 1
        key = (kind, tuple(map(id, samples)))
        found = self._fitted.get(key)
        if found is None:
            self.fitted += 1
            found = self._fitted[key] = (tuple(samples), fit_weights(samples, kind))
        return found[1]


# --- which samples each model decides, and its folds ----------------------------------------------


def pool(samples: Sequence[Sample], kind: str) -> list[Sample]:
    """Return the samples `kind`'s model decides, and the null questions of its sets (written lessons:
    day 16's; drafts: day 18's) that never reached a decision: they count, unanswered, in its abstain."""
    drafts = DRAFT_SETS
    # A day-16 question whose top entry is the draft's is in neither: it says only that the draft is
    # not day 16 (every such answer is wrong), and would teach the draft model to fear any competing
    # lesson; the written model never decides it.
    return [
        s
        for s in samples
        if not s.unlabelled
        and (s.features is None or s.kind == kind)
        and (s.set_name in drafts if kind == "draft" else s.features is not None or s.set_name not in drafts)
    ]


def fold_of(kind: str) -> Callable[[Sample], str]:
    """Return how `kind`'s samples are split for cross-validation: by set (written lessons: day 16's
    seven sets and the draft sets' questions a written lesson decides; drafts: eight sets on six
    draft lessons), a question's configurations together."""
    return lambda s: s.set_name


def held_out(samples: Sequence[Sample], kind: str, fits: Fits | None = None) -> dict[int, float]:
    """Return, per sample (by id), P(right) from a `kind` model fitted without its fold."""
    if fits is None:
        fits = Fits()
    probabilities: dict[int, float] = {}
    folds = fold_of(kind)
    for fold in sorted({folds(s) for s in samples}):
        model = fits.weights([s for s in samples if folds(s) != fold], kind)
        for s in samples:
            if folds(s) == fold and s.features is not None:
                probabilities[id(s)] = model.probability(s.features)
    return probabilities


# --- the cutoff ------------------------------------------------------------------------------------


def _answered_prefix(sample: Sample, probability: float) -> int:
    """Return how many of GRID's cutoffs (ascending) answer `sample`: those up to its probability.
    A tie or small talk is never answered, whatever the cutoff (`DecisionModel.answers`)."""
    if sample.features is None or not may_answer(sample.features):
        return 0
    return bisect.bisect_right(GRID, probability)


def choose_cutoff(samples: Sequence[Sample], probabilities: dict[int, float], floor: float) -> float:
    """Return the median over `BOOTSTRAPS` resamples of the cutoff maximising mean utility per set
    (strict − wrong answers, on held-out `probabilities`) among those keeping `floor` of the null
    questions unanswered (see the module docstring)."""
    # Per set, per question: utility and nulls answered at each cutoff of GRID, as vectors.
    by_set: dict[str, dict[str, list[Sample]]] = {}
    for s in samples:
        by_set.setdefault(s.set_name, {}).setdefault(s.question, []).append(s)
    utility: dict[str, list[list[float]]] = {}
    null_answers: dict[str, list[list[int]]] = {}
    nulls: dict[str, list[int]] = {}
    for name, groups in by_set.items():
        utility[name], null_answers[name], nulls[name] = [], [], []
        for group in groups.values():
            gains = [0.0] * len(GRID)
            answered_nulls = [0] * len(GRID)
            for s in group:
                # Answered at the cutoffs up to its probability (`_answered`): a prefix of GRID.
                said = _answered_prefix(s, probabilities.get(id(s), 0.0))
                unsaid = len(GRID) - said
                if s.answerable:
                    gain = [1.0 if s.right else -WRONG_COST] * said + [0.0] * unsaid
                else:
                    gain = [-1.0] * said + [1.0] * unsaid
                    answered_nulls = list(map(operator.add, answered_nulls, [1] * said + [0] * unsaid))
                gains = list(map(operator.add, gains, gain))
            utility[name].append(gains)
            null_answers[name].append(answered_nulls)
            nulls[name].append(sum(not s.answerable for s in group))
    rng = random.Random(SEED)
    choices = []
    for _ in range(BOOTSTRAPS):
        total = [0.0] * len(GRID)
        answered = [0] * len(GRID)
        null_count = 0
        for name in by_set:
            count = len(utility[name])
            for position in (rng.randrange(count) for _ in range(count)):
                total = list(map(operator.add, total, utility[name][position]))
                answered = list(map(operator.add, answered, null_answers[name][position]))
                null_count += nulls[name][position]
        abstain = [1.0 - a / null_count if null_count else 1.0 for a in answered]
        # The floor guards; where no cutoff reaches it (null questions the model is sure of), the
        # cutoff cannot help and utility alone decides, rather than whichever cutoff comes closest.
        feasible = [k for k in range(len(GRID)) if abstain[k] >= floor] or list(range(len(GRID)))
        choices.append(GRID[max(feasible, key=lambda k: (round(total[k], 9), GRID[k]))])
    return statistics.median(choices)


def fit(
    samples: Sequence[Sample],
    kind: str,
    *,
    probabilities: dict[int, float] | None = None,
    fits: Fits | None = None,
) -> DecisionModel:
    """Fit `kind`'s model on `samples` (its pool) and choose its cutoff on held-out probabilities."""
    if fits is None:
        fits = Fits()
    mine = pool(samples, kind)
    if probabilities is None:
        probabilities = held_out(mine, kind, fits)
    weights = fits.weights(mine, kind)
    cutoff = choose_cutoff(mine, probabilities, ABSTAIN_FLOOR[kind])
    return DecisionModel(weights.intercept, weights.coefficients, cutoff)


def fit_decision(samples: Sequence[Sample], fits: Fits | None = None) -> tuple[Decision, dict[int, float]]:
    """Return the decision fitted on every sample, and the held-out probabilities it chose its cutoffs on."""
    if fits is None:
        fits = Fits()
    probabilities: dict[int, float] = {}
    models = {}
    for kind in ("written", "draft"):
        mine = pool(samples, kind)
        held = held_out(mine, kind, fits)
        probabilities.update(held)
        models[kind] = fit(samples, kind, probabilities=held, fits=fits)
    return Decision(written=models["written"], draft=models["draft"]), probabilities


def nested(samples: Sequence[Sample], kind: str, fits: Fits | None = None) -> dict[int, bool]:
    """Return, per sample of `kind`'s pool (by id), whether a model that never saw its fold answers it.

    Nested cross-validation: for each fold, the weights are fitted and the cutoff is chosen (on
    held-out probabilities within the other folds) without it.
    """
    if fits is None:
        fits = Fits()
    mine = pool(samples, kind)
    folds = fold_of(kind)
    said: dict[int, bool] = {}
    cutoffs: list[str] = []
    for fold in sorted({folds(s) for s in mine}):
        train = [s for s in mine if folds(s) != fold]
        model = fit(train, kind, fits=fits)
        cutoffs.append(f"{fold}: {model.answer_probability:.2f}")
        for s in mine:
            if folds(s) == fold:
                said[id(s)] = s.features is not None and model.answers(s.features)
    print(f"{kind} model, cutoff chosen without each fold: {', '.join(cutoffs)}")
    return said


# --- scoring -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rates:
    """Strict on all questions, abstain on the null ones, wrong answers to answerable ones."""

    strict: float
    abstain: float | None
    wrong_answers: int
    n: int


def rates(samples: Sequence[Sample], answers: Sequence[bool]) -> Rates:
    """Score each sample given whether the bot answers it."""
    strict = sum((s.right if answered else not s.answerable) for s, answered in zip(samples, answers, strict=True))
    nulls = [answered for s, answered in zip(samples, answers, strict=True) if not s.answerable]
    wrong = sum(answered and s.answerable and not s.right for s, answered in zip(samples, answers, strict=True))
    abstain = (len(nulls) - sum(nulls)) / len(nulls) if nulls else None
    return Rates(strict / len(samples), abstain, wrong, len(samples))


def rule_answers(samples: Sequence[Sample]) -> list[bool]:
    """Return what the hand-set rule does: answer at `answer_threshold` leading by `margin`."""
    return [
        s.features is not None and s.features.score >= RULE.answer_threshold and s.features.margin >= RULE.margin
        for s in samples
    ]


def model_answers(decision: Decision, samples: Sequence[Sample]) -> list[bool]:
    """Return what the shipped decision does with each sample."""
    return [
        s.features is not None
        and decide(decision, s.features, answer_threshold=RULE.answer_threshold, margin=RULE.margin)
        for s in samples
    ]


def _cell(rate: Rates) -> str:
    abstain = "   n/a" if rate.abstain is None else f"{rate.abstain * 100:5.1f}%"
    return f"{rate.strict * 100:5.1f}% {abstain} {rate.wrong_answers:>3}"


def _same(current: Decision, fresh: Decision) -> bool:
    # Within 1e-6: another platform's libm may differ in the last digits, not in a decision.
    return all(
        math.isclose(a, b, abs_tol=1e-6)
        for kind in ("written", "draft")
        for a, b in zip(
            (
                getattr(current, kind).answer_probability,
                getattr(current, kind).intercept,
                *getattr(current, kind).coefficients,
            ),
            (
                getattr(fresh, kind).answer_probability,
                getattr(fresh, kind).intercept,
                *getattr(fresh, kind).coefficients,
            ),
            strict=True,
        )
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Fit, cross-validate, print the table, write the model and the plot."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path(builtin_decision_path()))
    parser.add_argument("--plot", type=Path, default=ROOT / "benchmarks" / "out" / "decision_reliability.png")
    parser.add_argument("--check", action="store_true", help="do not write: exit 1 when the shipped model differs")
    args = parser.parse_args(argv)

    samples = gather()
    # One cache for the final fit and the nested cross-validation: they share most training sets.
    fits = Fits()
    final, held_probability = fit_decision(samples, fits)
    honest: dict[int, bool] = {}
    for kind in ("written", "draft"):
        honest.update(nested(samples, kind, fits))
    print(f"{fits.asked} fits, {fits.fitted} of them distinct (each run once)")
    set_names = list(dict.fromkeys(s.set_name for s in samples))
    lines = [
        "strict / abstain / wrong answers to answerable questions, per set and configuration",
        f"{'set':<16}{'config':<10}{'n':>5}   {'hand-set rule':<20}{'models, nested CV':<22}"
        f"{'shipped (in-sample)':<20}",
    ]
    totals: dict[str, list[tuple[Sample, list[bool]]]] = {}
    for name in set_names:
        for config in CONFIGS:
            test = [s for s in samples if s.set_name == name and s.config == config and not s.unlabelled]
            cv = [honest.get(id(s), False) for s in test]
            rule, shipped = rule_answers(test), model_answers(final, test)
            lines.append(
                f"{name:<16}{config:<10}{len(test):>5}   {_cell(rates(test, rule)):<20}{_cell(rates(test, cv)):<22}"
                f"{_cell(rates(test, shipped)):<20}"
            )
            totals.setdefault(config, []).extend(
                (sample, [by_rule, by_cv, by_final])
                for sample, by_rule, by_cv, by_final in zip(test, rule, cv, shipped, strict=True)
            )
    for config, rows in totals.items():
        test = [row[0] for row in rows]
        cells = [_cell(rates(test, [row[1][k] for row in rows])) for k in (0, 1, 2)]
        lines.append(f"{'all':<16}{config:<10}{len(test):>5}   {cells[0]:<20}{cells[1]:<22}{cells[2]:<20}")
    print("\n".join(lines))
    print("\nshipped models (fitted on every sample of their kind): P(right) = sigmoid(intercept + Σ weight·feature)")
    print(f"  {'':<20}{'written':>10}{'draft':>10}")
    print(f"  {'intercept':<20}{final.written.intercept:>+10.4f}{final.draft.intercept:>+10.4f}")
    for position, name in enumerate(FEATURE_NAMES):
        print(f"  {name:<20}{final.written.coefficients[position]:>+10.4f}{final.draft.coefficients[position]:>+10.4f}")
    print(
        f"  {'answer when P ≥':<20}{final.written.answer_probability:>10.4f}{final.draft.answer_probability:>10.4f}"
        f"   (median of {BOOTSTRAPS} resampled choices on held-out probabilities)"
    )

    fitted_on = "; ".join(
        f"{name} ({sum(s.set_name == name and s.features is not None for s in samples)} decisions)"
        for name in set_names
    )
    text = json.dumps(final.to_json(fitted_on=f"{fitted_on}; configs {', '.join(CONFIGS)}"), indent=2) + "\n"
    parse_decision_model(text, path=str(args.out))  # what ships must load
    if args.check:
        try:
            current = parse_decision_model(read_text(str(args.out)), path=str(args.out))
        except SourceError as error:
            print(f"\n{error}")
            return 1
        same = _same(current, final)
        print(f"\n{args.out}: {'up to date' if same else 'DIFFERS from a fresh fit'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"\nwrote {args.out}")
    decided = [s for s in samples if s.features is not None and id(s) in held_probability]
    plot = reliability_plot(
        [held_probability[id(s)] for s in decided],
        [s.right for s in decided],
        args.plot,
        title="Answer decision: P(top entry right), held out (sets; draft: question folds)",
    )
    print(f"wrote {plot}" if plot is not None else "no plot: matplotlib is not installed (pip install -e '.[bench]')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
