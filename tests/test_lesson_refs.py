"""A learner who names the lesson ("16일차", "day 2", "지난 시간") has chosen it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import Knowledge, load_knowledge
from bot.lesson_refs import find_lesson_reference, resolve_reference, without_reference

FIXTURES = Path(__file__).parent / "fixtures" / "discord"


@pytest.fixture(scope="module")
def two_lessons() -> Knowledge:
    return load_knowledge(FIXTURES)


@pytest.mark.parametrize(
    ("question", "day"),
    [
        ("16일차 요약 알려줘", 16),
        ("16 일차에 배운 거", 16),
        ("2강 내용 뭐였지", 2),
        ("what was day 16 about", 16),
        ("Day-2 summary?", 2),
        ("lesson 18 recap", 18),
        ("3번째 수업 정리", 3),
    ],
)
def test_a_day_number_is_a_reference(question: str, day: int) -> None:
    reference = find_lesson_reference(question)
    assert reference is not None
    assert (reference.kind, reference.day) == ("day", day)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("지난 시간에 배운 거 요약", "previous"),
        ("저번 수업 핵심", "previous"),
        ("what did we cover last lesson", "previous"),
        ("어제 수업 요약해줘", "yesterday"),
        ("yesterday's lesson in one line", "yesterday"),
        ("오늘 배운 거 정리", "today"),
        ("today's class key points", "today"),
        ("이번 수업 핵심이 뭐예요", "today"),
        ("what is this lesson about", "today"),
        ("다음 수업 뭐 배워요", "next"),
        ("내일 강의 주제", "next"),
        ("what's the next lesson about", "next"),
        ("tomorrow's class topic", "next"),
    ],
)
def test_relative_references(question: str, kind: str) -> None:
    reference = find_lesson_reference(question)
    assert reference is not None
    assert reference.kind == kind


@pytest.mark.parametrize(
    "question",
    [
        "어제 도커 설치했는데 안 돼요",
        "컨테이너 16개 띄우면?",
        "오늘 날씨 어때",
        "what is a VM",
        "k8s 왜 써",
        "1,000일차",
        "다음 내용 알려줘",  # the next part of this lesson, not the next lesson
        "부담 시간이 길어요",
        "보안은 VM이 더 안전한 거야?",  # 전 + 한 거 inside a word
        "완전 수업 잘 들었어요",
        "이번에 도커 처음 써봐요",
        "this class of problems",
    ],
)
def test_no_reference_without_a_lesson_word(question: str) -> None:
    assert find_lesson_reference(question) is None


def test_a_day_resolves_to_the_loaded_lesson_of_that_day(two_lessons: Knowledge) -> None:
    day1 = find_lesson_reference("1일차 요약")
    day9 = find_lesson_reference("9일차 요약")
    assert day1 is not None
    assert day9 is not None
    found = resolve_reference(day1, two_lessons, current="day2-birds")
    assert found is not None
    assert found.id == "day1-pets"
    assert resolve_reference(day9, two_lessons, current="day2-birds") is None


def test_previous_and_yesterday_count_back_from_the_current_lesson(two_lessons: Knowledge) -> None:
    previous = find_lesson_reference("지난 시간 요약")
    yesterday = find_lesson_reference("어제 수업 요약")
    today = find_lesson_reference("오늘 수업 요약")
    assert previous is not None
    assert yesterday is not None
    assert today is not None
    by_default = resolve_reference(previous, two_lessons, current=None)  # newest lesson is current
    assert by_default is not None
    assert by_default.id == "day1-pets"
    assert resolve_reference(previous, two_lessons, current="day1-pets") is None  # nothing before day 1
    scheduled = resolve_reference(yesterday, two_lessons, current="day1-pets", yesterday="day2-birds")
    assert scheduled is not None
    assert scheduled.id == "day2-birds"
    current = resolve_reference(today, two_lessons, current="day1-pets")
    assert current is not None
    assert current.id == "day1-pets"


def test_the_reference_is_cut_out_of_the_question() -> None:
    question = "16일차 요약 알려줘"
    reference = find_lesson_reference(question)
    assert reference is not None
    assert without_reference(question, reference).split() == ["요약", "알려줘"]


def test_next_counts_forward_from_the_current_lesson(two_lessons: Knowledge) -> None:
    upcoming = find_lesson_reference("다음 수업 요약")
    assert upcoming is not None
    found = resolve_reference(upcoming, two_lessons, current="day1-pets")
    assert found is not None
    assert found.id == "day2-birds"
    assert resolve_reference(upcoming, two_lessons, current="day2-birds") is None  # nothing after the newest
