"""The answer / suggest decision: features of a match and the logistic models that weigh them.

The index ranks; this module decides whether the top entry is said outright. A small logistic model
estimates P(the top entry is a right answer) from generic features of the match (`MatchFeatures`:
how high and how clear the top score is, how much of the question the entry explains, how many of
the question's words were unknown or guessed, IT concepts the lesson never names, …), never from
which entry or question it is. There are two: one for written lessons and one for drafts (imported,
not yet edited), whose generated phrasings score on another scale. Both are fitted offline on the
public labelled sets by `benchmarks/fit_decision.py`, which cross-validates them and writes the
coefficients and answer cutoffs to `bot/data/decision.json`; the bot only reads that file (once per
Matcher) and does the arithmetic. Pure apart from `load_decision_model`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, fields
from importlib import resources
from operator import attrgetter
from pathlib import Path
from typing import Any, cast

from bot.source import Problem, SourceError, read_text

DECISION_FORMAT = 2
_DATA_FILE = "decision.json"
_KEYS = ("format", "features", "written", "draft", "fitted_on")
_MODEL_KEYS = ("intercept", "coefficients", "answer_probability")
KINDS = ("written", "draft")


@dataclass(frozen=True)
class MatchFeatures:
    """What the decision knows about a match, each a plain number (flags are 0 or 1).

    Computed by `Matcher` at decision time from what ranking already produced; the field order is
    the order of the model's coefficients.
    """

    # The top entry's score, and how far it leads the best entry outside its family (a table and
    # its rows are one family) and the runner-up whatever it is.
    score: float
    margin: float
    gap: float
    # Share of the question's words (by weight) the top entry's vocabulary explains.
    coverage: float
    # Share of the question's words (by weight) no lesson uses.
    unknown_share: float
    # Share of the question's words read by a guess (typo, 초성, keyboard slip, a word inside a word).
    guessed_share: float
    # log(1 + number of words): long forum posts and two-word questions behave differently.
    log_words: float
    # 1 when the top entry came from reading a long post by its closing sentences.
    focused: float
    # 1 when the top entry is from the current lesson (the scope's preferred one) and an entry of
    # another lesson competes with it.
    preferred: float
    # The best score of an entry from another lesson than the top entry's (0 when none).
    other_lesson: float
    # 1 when the reply is in English.
    english: float
    # Share of the question's words that name an IT concept (an IT lexicon group: DaemonSet, 미니큐브,
    # monolith…) foreign to the top entry's lesson: none of its texts names it and its vocabulary cannot
    # read it. In a short question that concept is the topic, a near miss about something the lesson
    # does not teach; in a long post it is mostly context (our Java services, the staging server).
    # A name spelled as an identifier (ExternalName, VXLAN) that no lesson word reads counts as one too.
    foreign_concepts: float
    # Share of the IT concepts the question names that the top entry itself never names (0 when it
    # names none).
    uncovered_concepts: float
    # How much lesson content the question has: its words the top lesson knows that are not chat or
    # course talk (everyone, 수업, today), a guessed word counting half, capped at two, over two. "다들
    # 수업 끝나고 뭐 해요?" has none, however well it matches the lesson's overview entry.
    content_words: float
    # Share of those content words that neither the top entry's answer nor its title uses: words met
    # only in its phrasings, or nowhere in it ("쿠버네티스 설치는?" against why-Kubernetes).
    answer_unused: float
    # For a question that asks for a comparison: share of the IT concepts it names that the top entry's
    # title does not, when the entry is a comparison (its title asks one), or that the entry never
    # names, when it is not (0 otherwise). "image vs container" against the row "VM vs container: unit
    # of deployment" compares other things.
    uncompared: float
    # 1 when the question (its closing sentences, in a long post) asks how to do something — set up,
    # install, implement, whether one may, what it takes, how it works inside — and no phrasing of the
    # top entry asks that: "쿠버네티스 설치는 어떻게 해?" against why-Kubernetes names its topic, not its ask.
    how_to_unasked: float
    # margin / score: a lone weak match (the only entry with the question's one word) leads by all of
    # its score, which an absolute margin reads as a clear winner.
    relative_margin: float
    # How far the top score falls short of `answer_threshold` (0 above it): a draft's matches below it
    # are right about half the time, which a straight line in the score cannot say while it also
    # ranks the high scores.
    score_shortfall: float
    # Share of the content words typed in Hangul that only a guess reads as an English lesson word
    # (미니큐브 → "meaning of", 인그레스 → "increase"): a sound-alike guess across scripts, about a word
    # the lesson may never use, where a typo within one script (컨테이나) is mostly the word meant.
    cross_script_guess: float
    # 1 when at least one word in `MatcherTuning.foreign_topic_words` names such a foreign concept
    # (`foreign_concepts` that high): the question is about it, whatever else it matches. A step, as
    # the share's straight line cannot tell "데몬셋은 언제 써?" (a near miss) from a story naming its
    # stack in passing.
    foreign_topic: float
    # 1 when the question (its closing sentences, in a long post) asks for a detail of a family no text of
    # the top entry names: a default, a version, a port, installing, a command, how to configure it
    # ("롤링 업데이트 기본값은?" against what a rolling update is). Not weighed by a model: such an entry
    # never states what is asked (see `may_answer`).
    detail_unnamed: float
    # 1 when the top entry's lesson is an unedited import (`draft: true`). Not weighed by a model:
    # it says which model decides (see `Decision`).
    draft: float

    def vector(self) -> tuple[float, ...]:
        """Return the features in the order of the model's coefficients."""
        # Not dataclasses.astuple: its deep copy of every value took a seventh of a question's time.
        return cast(tuple[float, ...], _VECTOR(self))


FEATURE_NAMES: tuple[str, ...] = tuple(field.name for field in fields(MatchFeatures))
_VECTOR = attrgetter(*FEATURE_NAMES)


def may_answer(features: MatchFeatures) -> bool:
    """Return whether a match may be answered at all, whatever a model estimates.

    Not a tie with an entry outside the top's family (the order between the two is then only their
    ids), and not small talk: a question with no word of lesson content ("다들 수업 끝나고 뭐 해요?")
    is answered only when it is one of an entry's own phrasings, asked as written (score 1). Nor, from
    a draft, a question about an IT concept its lesson never names (`foreign_topic`: "데몬셋은 언제
    써?"): a draft's generated phrasings match the rest of such a question loosely, and no hand-written
    out_of_scope topic catches it (one of its phrasings asked as written still is). Nor a question
    about a detail the entry never names (`detail_unnamed`: its default, version, port, installing, a
    command): the entry explains the topic, not what is asked of it.
    """
    if features.score < 1.0 and (features.detail_unnamed or (features.draft and features.foreign_topic)):
        return False
    return features.margin > 0 and (features.content_words > 0 or features.score >= 1.0)


@dataclass(frozen=True)
class DecisionModel:
    """A fitted logistic model and the probability from which the top entry is answered outright."""

    intercept: float
    coefficients: tuple[float, ...]
    answer_probability: float

    def probability(self, features: MatchFeatures) -> float:
        """Return the estimated probability that the top entry is a right answer."""
        z = self.intercept
        for weight, value in zip(self.coefficients, features.vector(), strict=True):
            z += weight * value
        # Both branches stay finite for any z: exp of a large positive number would overflow.
        if z >= 0:
            return 1.0 / (1.0 + math.exp(-z))
        odds = math.exp(z)
        return odds / (1.0 + odds)

    def answers(self, features: MatchFeatures, probability: float | None = None) -> bool:
        """Return whether the top entry is sure enough to be answered outright.

        A tie with an entry outside the top's family is never answered, however high, nor small
        talk (`may_answer`): the learner chooses ("did you mean"). `probability`: this model's
        `probability(features)` when the caller already has it.
        """
        if not may_answer(features):
            return False
        return (self.probability(features) if probability is None else probability) >= self.answer_probability

    def to_json(self) -> dict[str, Any]:
        """Return the model as the data file stores it."""
        return {
            "intercept": self.intercept,
            "coefficients": dict(zip(FEATURE_NAMES, self.coefficients, strict=True)),
            "answer_probability": self.answer_probability,
        }


@dataclass(frozen=True)
class Decision:
    """What ships: a model for written lessons and one for drafts (imported, not yet edited).

    A draft's generated phrasings score on another scale than written ones: fitted on both, one
    model ranked drafts' right answers below their wrong ones. So the top entry's lesson says which
    model decides.
    """

    written: DecisionModel
    draft: DecisionModel

    def model_for(self, features: MatchFeatures) -> DecisionModel:
        """Return the model that decides a match."""
        return self.draft if features.draft else self.written

    def probability(self, features: MatchFeatures) -> float:
        """Return the estimated probability that the top entry is a right answer."""
        return self.model_for(features).probability(features)

    def answers(self, features: MatchFeatures, probability: float | None = None) -> bool:
        """Return whether the top entry is sure enough to be answered outright (`probability`: as above)."""
        return self.model_for(features).answers(features, probability)

    def to_json(self, *, fitted_on: str) -> dict[str, Any]:
        """Return the decision as the data file stores it (`fitted_on` says what it was fitted on)."""
        return {
            "format": DECISION_FORMAT,
            "features": list(FEATURE_NAMES),
            "written": self.written.to_json(),
            "draft": self.draft.to_json(),
            "fitted_on": fitted_on,
        }


def decide(
    model: Decision | None,
    features: MatchFeatures,
    *,
    answer_threshold: float,
    margin: float,
    probability: float | None = None,
) -> bool:
    """Return whether the top entry is answered outright.

    Without a model (a config that sets its own cutoffs), the hand-set rule decides: a clear winner
    above `answer_threshold` by `margin`. `probability`: the model's estimate, when already computed.
    """
    if model is None:
        return features.score >= answer_threshold and features.margin >= margin
    return model.answers(features, probability)


def _finite(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def parse_decision_model(text: str, *, path: str) -> Decision:
    """Validate decision JSON and return the decision; raise SourceError naming what is wrong.

    The file names its features: a model fitted for other features than this code computes is
    refused rather than applied to the wrong numbers.
    """

    def fail(message: str) -> SourceError:
        return SourceError([Problem(path, 1, message)])

    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceError([Problem(path, exc.lineno, f"not valid JSON: {exc.msg}")]) from None
    if not isinstance(data, dict):
        raise fail("expected a JSON object with " + ", ".join(_KEYS))
    unknown = sorted(set(data) - set(_KEYS))
    if unknown:
        raise fail(f"unknown key {unknown[0]!r} (expected {', '.join(_KEYS)})")
    if data.get("format") != DECISION_FORMAT:
        raise fail(
            f"format must be {DECISION_FORMAT}, got {data.get('format')!r} (refit with benchmarks/fit_decision.py)"
        )
    if data.get("features") != list(FEATURE_NAMES):
        raise fail(f"features must be exactly {', '.join(FEATURE_NAMES)} (refit with benchmarks/fit_decision.py)")
    written, draft = (_parse_model(data.get(kind), kind, fail) for kind in KINDS)
    return Decision(written=written, draft=draft)


def _parse_model(data: Any, kind: str, fail: Callable[[str], SourceError]) -> DecisionModel:
    if not isinstance(data, dict):
        raise fail(f"{kind!r} must be an object with " + ", ".join(_MODEL_KEYS))
    unknown = sorted(set(data) - set(_MODEL_KEYS))
    if unknown:
        raise fail(f"{kind}: unknown key {unknown[0]!r} (expected {', '.join(_MODEL_KEYS)})")
    coefficients = data.get("coefficients")
    if not isinstance(coefficients, dict) or sorted(coefficients) != sorted(FEATURE_NAMES):
        raise fail(f"{kind}: coefficients must give one number per feature")
    bad = [name for name in FEATURE_NAMES if not _finite(coefficients[name])]
    if bad:
        raise fail(f"{kind}: coefficient {bad[0]!r} must be a finite number, got {coefficients[bad[0]]!r}")
    intercept: Any = data.get("intercept")
    if not _finite(intercept):
        raise fail(f"{kind}: intercept must be a finite number, got {intercept!r}")
    cutoff: Any = data.get("answer_probability")
    if not _finite(cutoff) or not 0.0 < cutoff < 1.0:
        raise fail(f"{kind}: answer_probability must be a number between 0 and 1 (exclusive), got {cutoff!r}")
    return DecisionModel(
        intercept=float(intercept),
        coefficients=tuple(float(coefficients[name]) for name in FEATURE_NAMES),
        answer_probability=float(cutoff),
    )


def builtin_decision_path() -> str:
    """Return the path of the packaged decision model (written by benchmarks/fit_decision.py)."""
    return str(resources.files("bot").joinpath("data", _DATA_FILE))


def load_decision_model(path: str | Path | None = None) -> Decision:
    """Read and validate a decision model (default: the packaged one); raise SourceError when invalid."""
    where = str(path) if path is not None else builtin_decision_path()
    return parse_decision_model(read_text(where), path=where)
