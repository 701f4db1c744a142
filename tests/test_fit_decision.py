"""The decision fit's cutoff choice (benchmarks/fit_decision.py): chosen on utility, not on the edge of a floor."""

from __future__ import annotations

import random
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bot.decision import FEATURE_NAMES, MatchFeatures

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture
def fit(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import fit_decision

    return fit_decision


def _features() -> MatchFeatures:
    values = dict.fromkeys(FEATURE_NAMES, 0.0)
    values.update(score=0.7, margin=0.2, gap=0.2, coverage=1.0, log_words=1.0, content_words=1.0)
    values.update(relative_margin=0.3)
    return MatchFeatures(**values)


def _samples(fit: ModuleType, seed: int) -> tuple[list[Any], dict[int, float]]:
    """Two sets of questions whose top entry is right with probability P (calibrated), plus nulls."""
    rng = random.Random(seed)
    samples, probabilities = [], {}
    for set_name in ("a", "b"):
        for number in range(300):
            p = rng.random()
            answerable = number % 10 != 0
            right = answerable and rng.random() < p
            sample = fit.Sample(set_name, "alone", f"q{number}", answerable, _features(), right)
            samples.append(sample)
            probabilities[id(sample)] = p if answerable else rng.random() * 0.3
    return samples, probabilities


def test_a_calibrated_model_gets_the_cutoff_where_a_wrong_answer_outweighs_a_right_one(fit: ModuleType) -> None:
    samples, probabilities = _samples(fit, seed=1)
    # Utility counts a wrong answer as much as a right one: answering pays from P = 1/2 on.
    assert 0.4 <= fit.choose_cutoff(samples, probabilities, floor=0.0) <= 0.6


def test_null_questions_the_model_is_sure_of_do_not_move_the_cutoff(fit: ModuleType) -> None:
    # Chat noise caught earlier takes such questions out of the decision: they were answered at any
    # cutoff, so every cutoff loses them alike and the choice stays.
    samples, probabilities = _samples(fit, seed=2)
    before = fit.choose_cutoff(samples, probabilities, floor=0.9)
    sure = [fit.Sample("a", "alone", f"hi {n}", False, _features(), False) for n in range(15)]
    with_sure = samples + sure
    probabilities.update({id(sample): 0.99 for sample in sure})
    assert abs(fit.choose_cutoff(with_sure, probabilities, floor=0.9) - before) <= 0.03


def _varied_samples(fit: ModuleType) -> list[Any]:
    """Three sets whose questions' scores say something about whether their top entry is right."""
    rng = random.Random(3)
    samples = []
    for set_name in ("a", "b", "c"):
        for number in range(60):
            score = rng.random()
            values = dict.fromkeys(FEATURE_NAMES, 0.0)
            values.update(score=score, margin=score * rng.random(), gap=rng.random() * 0.3, log_words=rng.random())
            right = rng.random() < score
            samples.append(fit.Sample(set_name, "alone", f"q{number}", True, MatchFeatures(**values), right))
    return samples


def test_cross_validation_fits_each_training_set_once_and_reuses_the_same_models(fit: ModuleType) -> None:
    # Nested cross-validation trains on "all but a and b" when leaving a out, then b, and again when
    # leaving b out, then a: the fit is deterministic, so each distinct training set is fitted once.
    samples = _varied_samples(fit)
    fits = fit.Fits()
    held = fit.held_out(samples, "written", fits)
    said = fit.nested(samples, "written", fits)
    # Folds left out: each one (3), each pair (3); asked for 3 + 3 × (2 pairs + 1 one-out).
    assert (fits.asked, fits.fitted) == (12, 6)
    assert held == fit.held_out(samples, "written")
    assert said == fit.nested(samples, "written")
    assert fits.weights(samples[60:], "written") == fit.fit_weights(samples[60:], "written")
