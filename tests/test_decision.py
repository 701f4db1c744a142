"""The calibrated answer decision: the shipped model loads, behaves monotonically, and is wired in."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.decision import (
    FEATURE_NAMES,
    Decision,
    DecisionModel,
    MatchFeatures,
    decide,
    load_decision_model,
    parse_decision_model,
)
from bot.knowledge import load_knowledge
from bot.matching import Answer, Matcher, NoMatch, Suggestions
from bot.source import SourceError
from bot.tuning import MatcherTuning

FIXTURES = Path(__file__).parent / "fixtures"
PETS = FIXTURES / "discord" / "day1-pets.yaml"
CONTAINERS = FIXTURES / "matcher" / "containers.yaml"
SHIPPED = load_decision_model()

share = st.floats(min_value=0.0, max_value=1.0)
flag = st.sampled_from([0.0, 1.0])
features = st.builds(
    MatchFeatures,
    score=share,
    margin=share,
    gap=share,
    coverage=share,
    unknown_share=share,
    guessed_share=share,
    log_words=st.floats(min_value=0.0, max_value=6.0),
    focused=flag,
    preferred=flag,
    other_lesson=share,
    english=flag,
    foreign_concepts=share,
    uncovered_concepts=share,
    content_words=share,
    answer_unused=share,
    uncompared=share,
    how_to_unasked=flag,
    relative_margin=share,
    score_shortfall=share,
    cross_script_guess=share,
    foreign_topic=flag,
    detail_unnamed=flag,
    draft=flag,
)


def _clear_match(*, draft: float) -> MatchFeatures:
    """A strong, clear match: high score and margin, every word explained, nothing guessed."""
    values = dict.fromkeys(FEATURE_NAMES, 0.0)
    values.update(score=0.9, margin=0.5, gap=0.5, coverage=1.0, log_words=1.0, content_words=1.0)
    values.update(relative_margin=0.5, draft=draft)
    return MatchFeatures(**values)


def test_the_shipped_models_load_with_one_weight_per_feature_and_a_cutoff_between_0_and_1() -> None:
    for model in (SHIPPED.written, SHIPPED.draft):
        assert len(model.coefficients) == len(FEATURE_NAMES)
        assert 0.0 < model.answer_probability < 1.0


@given(features, share)
def test_naming_a_concept_the_lesson_never_names_never_makes_an_answer_likelier(
    match: MatchFeatures, raise_by: float
) -> None:
    foreign = dataclasses.replace(match, foreign_concepts=match.foreign_concepts + raise_by)
    uncovered = dataclasses.replace(match, uncovered_concepts=match.uncovered_concepts + raise_by)
    assert SHIPPED.probability(foreign) <= SHIPPED.probability(match)
    assert SHIPPED.probability(uncovered) <= SHIPPED.probability(match)


@given(features, share)
def test_a_higher_score_never_turns_an_answer_into_a_non_answer(match: MatchFeatures, raise_by: float) -> None:
    # A higher top score also leads its rivals by more.
    higher = dataclasses.replace(
        match, score=match.score + raise_by, margin=match.margin + raise_by, gap=match.gap + raise_by
    )
    assert SHIPPED.probability(higher) >= SHIPPED.probability(match)
    if SHIPPED.answers(match):
        assert SHIPPED.answers(higher)


@given(features, share)
def test_a_larger_margin_never_turns_an_answer_into_a_non_answer(match: MatchFeatures, raise_by: float) -> None:
    wider = dataclasses.replace(match, margin=match.margin + raise_by)
    if SHIPPED.answers(match):
        assert SHIPPED.answers(wider)


@given(features)
def test_small_talk_is_answered_only_as_an_exact_phrasing(match: MatchFeatures) -> None:
    # Whatever a model estimates: a question with no word of lesson content ("what is everyone doing
    # this weekend?") is not said outright unless it is one of an entry's phrasings as written.
    always = DecisionModel(intercept=50.0, coefficients=(0.0,) * len(FEATURE_NAMES), answer_probability=0.5)
    small_talk = dataclasses.replace(
        match, content_words=0.0, score=min(match.score, 0.99), margin=0.3, foreign_topic=0.0, detail_unnamed=0.0
    )
    assert not always.answers(small_talk)
    assert always.answers(dataclasses.replace(small_talk, score=1.0))
    assert always.answers(dataclasses.replace(small_talk, content_words=0.5))


@given(features, share)
def test_words_the_entry_never_teaches_comparing_other_things_or_a_low_score_never_make_an_answer_likelier(
    match: MatchFeatures, raise_by: float
) -> None:
    unused = dataclasses.replace(match, answer_unused=match.answer_unused + raise_by)
    uncompared = dataclasses.replace(match, uncompared=match.uncompared + raise_by)
    assert SHIPPED.probability(unused) <= SHIPPED.probability(match)
    assert SHIPPED.probability(uncompared) <= SHIPPED.probability(match)
    short = dataclasses.replace(match, score_shortfall=match.score_shortfall + raise_by)
    assert SHIPPED.probability(short) <= SHIPPED.probability(match)


@given(features)
def test_a_how_to_the_entry_is_never_asked_never_makes_an_answer_likelier(match: MatchFeatures) -> None:
    asked = dataclasses.replace(match, how_to_unasked=0.0)
    assert SHIPPED.probability(dataclasses.replace(asked, how_to_unasked=1.0)) <= SHIPPED.probability(asked)


@given(features)
def test_a_tie_with_another_entry_is_never_answered(match: MatchFeatures) -> None:
    assert not SHIPPED.answers(dataclasses.replace(match, margin=0.0, gap=0.0))


def _shipped_json() -> dict[str, object]:
    return dict(SHIPPED.to_json(fitted_on="test"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"features": ["score"]}, "features must be exactly"),
        ({"written": {"answer_probability": 1.5}}, "written: answer_probability must be a number between 0 and 1"),
        ({"draft": {"intercept": "high"}}, "draft: intercept must be a finite number"),
        ({"draft": []}, "'draft' must be an object"),
        ({"format": 1}, "format must be 2"),
        ({"extra": 1}, "unknown key 'extra'"),
    ],
)
def test_a_model_file_that_does_not_fit_this_code_is_refused(change: dict[str, object], message: str) -> None:
    data = _shipped_json()
    for key, value in change.items():
        # A model's keys replace the shipped model's one by one; anything else replaces the whole key.
        shipped = data.get(key)
        data[key] = {**shipped, **value} if isinstance(shipped, dict) and isinstance(value, dict) else value
    with pytest.raises(SourceError, match=message):
        parse_decision_model(json.dumps(data), path="decision.json")


def test_a_coefficient_that_is_no_number_is_refused() -> None:
    data = _shipped_json()
    written = dict(data["written"])  # type: ignore[call-overload]
    data["written"] = {**written, "coefficients": {**written["coefficients"], "score": None}}
    with pytest.raises(SourceError, match="written: coefficient 'score' must be a finite number"):
        parse_decision_model(json.dumps(data), path="decision.json")


def test_a_broken_model_file_fails_when_the_matcher_is_built(tmp_path: Path) -> None:
    broken = tmp_path / "decision.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(SourceError, match=r"decision\.json:1: not valid JSON"):
        Matcher(load_knowledge(PETS), tuning=MatcherTuning(decision_model=str(broken)))


def test_a_model_file_given_by_path_decides(tmp_path: Path) -> None:
    # The same model with a cutoff no match reaches: everything becomes a suggestion.
    cautious = tmp_path / "decision.json"
    data = _shipped_json()
    data["written"] = {**dict(data["written"]), "answer_probability": 0.999999}  # type: ignore[call-overload]
    cautious.write_text(json.dumps(data), encoding="utf-8")
    matcher = Matcher(load_knowledge(PETS), tuning=MatcherTuning(decision_model=str(cautious)))
    assert isinstance(Matcher(load_knowledge(PETS)).ask("what is a cat?"), Answer)
    assert isinstance(matcher.ask("what is a cat?"), Suggestions)


def test_two_entries_tied_on_a_question_are_offered_not_answered() -> None:
    # food.cat and food.dog share their phrasings: "pet food?" cannot pick one.
    result = Matcher(load_knowledge(PETS)).ask("pet food?")
    assert isinstance(result, Suggestions)
    assert {c.entry_id for c in result.candidates[:2]} == {"food.cat", "food.dog"}


def test_a_score_floor_from_the_caller_turns_a_likely_answer_into_suggestions() -> None:
    # Unprompted replies pass a score floor on top of the model (a passive message needs more).
    matcher = Matcher(load_knowledge(CONTAINERS))
    assessed = matcher.assess("why containers")
    assert assessed is not None
    top, _ = assessed
    assert top.score < 0.99
    assert isinstance(matcher.ask("why containers"), Answer)
    assert isinstance(matcher.ask("why containers", answer_threshold=top.score), Answer)
    assert isinstance(matcher.ask("why containers", answer_threshold=top.score + 0.01), Suggestions)


@pytest.mark.parametrize(
    "message",
    [
        "ㅇㅋ",
        "넵 감사합니다!",
        "thanks lol",
        "ㅋㅋㅋ",
        "👍",
        "hi everyone!",
        "좋은 아침이에요 여러분",
        "how's it going?",
    ],
)
def test_chat_noise_is_never_matched(message: str) -> None:
    matcher = Matcher(load_knowledge(CONTAINERS))
    result = matcher.ask(message)
    assert isinstance(result, NoMatch)
    assert result.reason == "chatter"
    assert matcher.assess(message) is None


def test_thanks_followed_by_a_real_question_is_answered() -> None:
    result = Matcher(load_knowledge(CONTAINERS)).ask("감사합니다! 근데 컨테이너가 뭐야?")
    assert isinstance(result, Answer)


@pytest.mark.parametrize(
    ("greeting", "question"),
    [
        ("안녕하세요 ", "컨테이너가 뭐예요?"),
        ("hi everyone, ", "what is a container?"),
        ("좋은 아침입니다 여러분! ", "컨테이너가 뭐야?"),
    ],
)
def test_a_greeting_before_a_question_changes_nothing(greeting: str, question: str) -> None:
    matcher = Matcher(load_knowledge(CONTAINERS))
    plain = matcher.ask(question)
    greeted = matcher.ask(greeting + question)
    assert isinstance(plain, Answer)
    assert isinstance(greeted, Answer)
    assert greeted.candidate == plain.candidate


def test_a_draft_is_decided_by_the_draft_model_and_a_written_lesson_by_the_written_one() -> None:
    never = DecisionModel(intercept=-50.0, coefficients=(0.0,) * len(FEATURE_NAMES), answer_probability=0.5)
    always = DecisionModel(intercept=50.0, coefficients=(0.0,) * len(FEATURE_NAMES), answer_probability=0.5)
    written = _clear_match(draft=0.0)
    draft = dataclasses.replace(written, draft=1.0)
    decision = Decision(written=never, draft=always)
    assert not decide(decision, written, answer_threshold=0.5, margin=0.06)
    assert decide(decision, draft, answer_threshold=0.5, margin=0.06)
    assert not decide(Decision(written=always, draft=never), draft, answer_threshold=0.5, margin=0.06)


def test_without_a_model_the_hand_set_rule_decides() -> None:
    clear = _clear_match(draft=0.0)
    assert decide(None, clear, answer_threshold=0.5, margin=0.06)
    assert not decide(None, dataclasses.replace(clear, margin=0.01), answer_threshold=0.5, margin=0.06)
    assert not decide(None, dataclasses.replace(clear, score=0.4), answer_threshold=0.5, margin=0.06)


def test_a_draft_never_answers_a_question_about_a_concept_its_lesson_never_names() -> None:
    sure = DecisionModel(intercept=50.0, coefficients=(0.0,) * len(FEATURE_NAMES), answer_probability=0.5)
    clear = _clear_match(draft=1.0)
    decision = Decision(written=sure, draft=sure)
    assert decide(decision, clear, answer_threshold=0.5, margin=0.06)
    about_another = dataclasses.replace(clear, foreign_concepts=0.5, foreign_topic=1.0)
    assert not decide(decision, about_another, answer_threshold=0.5, margin=0.06)
    # A written lesson's model weighs it (its phrasings and out_of_scope topics are written by hand).
    assert decide(decision, dataclasses.replace(about_another, draft=0.0), answer_threshold=0.5, margin=0.06)


@pytest.mark.parametrize("draft", [0.0, 1.0])
def test_a_detail_the_entry_never_names_is_never_answered_unless_asked_as_written(draft: float) -> None:
    sure = DecisionModel(intercept=50.0, coefficients=(0.0,) * len(FEATURE_NAMES), answer_probability=0.5)
    decision = Decision(written=sure, draft=sure)
    detail = dataclasses.replace(_clear_match(draft=draft), detail_unnamed=1.0)
    assert not decide(decision, detail, answer_threshold=0.5, margin=0.06)
    assert decide(decision, dataclasses.replace(detail, score=1.0), answer_threshold=0.5, margin=0.06)
