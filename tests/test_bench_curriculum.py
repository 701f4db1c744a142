"""The curriculum benchmark's CI floors (benchmarks/bench_curriculum.py): what `--floor` accepts."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from bot.evaluation import EvalItem, EvalOutcome
from bot.index import Candidate
from bot.knowledge import Text, load_lesson, parse_knowledge
from bot.matching import Answer, Matcher, NoMatch, Result, Suggestions

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import bench_curriculum

    return bench_curriculum


def test_a_floor_names_a_set_a_configuration_and_metrics(bench: ModuleType) -> None:
    floors = bench.parse_floor_spec("day18@both:strict=0.5,abstain=0.9,strict.en=0.25")
    assert [(f.set_name, f.config, f.metric, f.value) for f in floors] == [
        ("day18", "both", "strict", 0.5),
        ("day18", "both", "abstain", 0.9),
        ("day18", "both", "strict.en", 0.25),
    ]


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("day18:strict=0.5", "expected SET@CONFIG"),
        ("day18@day17:strict=0.5", "expected SET@CONFIG"),
        ("day18@both", "expected SET@CONFIG"),
        ("day18@both:accuracy=0.5", "metric 'accuracy'"),
        ("day18@both:strict=nan", "between 0 and 1"),
        ("day18@both:abstain=1.5", "between 0 and 1"),
    ],
)
def test_a_bad_floor_is_one_clear_error(bench: ModuleType, spec: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        bench.parse_floor_spec(spec)


def test_metrics_read_from_a_summary(bench: ModuleType) -> None:
    summary = {
        "strict": {"rate": 0.8},
        "first_choice": {"rate": 0.9},
        "abstain": {"rate": None},
        "by_lang": {"ko": {"strict": {"rate": 0.7}}},
    }
    assert bench.metric_of(summary, "strict") == 0.8
    assert bench.metric_of(summary, "strict.ko") == 0.7
    assert bench.metric_of(summary, "strict.en") is None  # no English questions: nothing to gate
    assert bench.metric_of(summary, "abstain") is None
    summary["answerable"] = {"strict": {"rate": 0.95}}
    assert bench.metric_of(summary, "answerable") == 0.95
    # Without covered null questions measured, the curriculum figure is plain strict.
    assert bench.metric_of(summary, "curriculum") == 0.8
    summary["curriculum"] = {"rate": 0.85}
    assert bench.metric_of(summary, "curriculum") == 0.85


def _candidate(lesson: str, entry: str) -> Candidate:
    return Candidate(lesson, entry, 0.7, Text("제목", "Title"))


def test_an_off_lesson_question_the_answering_lesson_does_not_cover_is_no_curriculum_gain(bench: ModuleType) -> None:
    item = EvalItem("질문", None, "ko", "near-miss")
    loaded = Answer(_candidate("day18", "pods"), "ko")
    assert bench.move_kind(item, loaded, "day16", own_only_changed=False, covers=False) == "other lesson wins"


@pytest.mark.parametrize(
    ("answerable", "loaded", "own_only_changed", "kind"),
    [
        # An off-lesson question the other lesson teaches: answered there.
        (False, Answer(_candidate("day18", "pods"), "ko"), False, "covered elsewhere"),
        # The question's own lesson, asked alone inside the bigger index, already answers differently.
        (True, Suggestions((_candidate("day16", "vm"),), "ko"), True, "read differently"),
        (True, Answer(_candidate("day18", "rollback"), "ko"), False, "other lesson wins"),
        (True, NoMatch("ko", "out_of_scope"), False, "other lesson wins"),
        # Same lesson first, only the answer/suggest decision moved.
        (True, Suggestions((_candidate("day16", "vm"), _candidate("day18", "s1")), "ko"), False, "decision"),
    ],
)
def test_a_moved_question_is_put_in_one_kind(
    bench: ModuleType, answerable: bool, loaded: Result, own_only_changed: bool, kind: str
) -> None:
    item = EvalItem("질문", ("vm",) if answerable else None, "ko", "plain")
    assert bench.move_kind(item, loaded, "day16", own_only_changed=own_only_changed) == kind


def test_today_s_summary_from_the_lesson_taken_as_today_is_told_apart(bench: ModuleType) -> None:
    item = EvalItem("오늘 수업 요약", ("summary",), "ko", "plain")
    loaded = Answer(_candidate("day18", "summary"), "ko")
    assert bench.move_kind(item, loaded, "day16", own_only_changed=False, counterpart_right=True) == "today's lesson"
    # Another lesson's section is no counterpart of anything: the other lesson won.
    section = Answer(_candidate("day18", "s3-4"), "ko")
    assert bench.move_kind(item, section, "day16", own_only_changed=False) == "other lesson wins"


FIXTURES = Path(__file__).parent / "fixtures" / "curriculum"


def _answered_by(lesson: str, question: str, *, answerable: bool = False) -> EvalOutcome:
    item = EvalItem(question, ("container",) if answerable else None, "ko", "near-miss")
    return EvalOutcome(item, "answer", "pod", lesson, 0.8, False, False, 0.0)


@pytest.mark.parametrize(
    ("question", "covered"),
    [
        # Day 1 lists pods as not covered; day 2 teaches them: the curriculum working, not a miss.
        ("파드가 뭐야", True),
        # Helm is a concept day 2 never names: its pod entry does not answer what is asked.
        ("헬름으로 파드 배포하는 법", False),
        # Day 1 does not leave this topic out: a null question for another reason (off-topic, chat).
        ("주말에 뭐 해요", False),
    ],
)
def test_a_null_question_counts_as_covered_elsewhere_only_by_what_the_lessons_say(
    bench: ModuleType, question: str, covered: bool
) -> None:
    knowledge = parse_knowledge(
        [load_lesson(FIXTURES / "day1-containers.yaml"), load_lesson(FIXTURES / "day2-pods.yaml")]
    )
    matcher, solo = Matcher(knowledge), bench.Solo(knowledge)
    outcome = _answered_by("day2-pods", question)
    assert bench.covered_elsewhere(outcome, "day1-containers", matcher, solo) is covered
    # An answerable question answered from another lesson is never "covered": it is a miss.
    answerable = _answered_by("day2-pods", question, answerable=True)
    assert not bench.covered_elsewhere(answerable, "day1-containers", matcher, solo)
