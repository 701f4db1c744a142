"""The lesson of the day (newest, or by a date schedule in the group's time zone) and channel scopes."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.curriculum import (
    ChannelLesson,
    Curriculum,
    Scheduled,
    current_lesson,
    find_lesson,
    lesson_on,
    lessons_in_focus,
    local_date,
    scope_for,
    unknown_lesson_ids,
)
from bot.knowledge import Knowledge, Lesson, Text, TextList, parse_knowledge
from bot.scope import Scope

SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")


def lesson(lesson_id: str, day: int, ko: str = "제목", en: str = "Title") -> Lesson:
    return Lesson(
        id=lesson_id,
        day=day,
        date=f"{day}일차",
        title=Text(ko=ko, en=en),
        entries=(),
        summary=TextList(ko=("요약",), en=("Summary",)),
    )


KNOWLEDGE = parse_knowledge(
    [
        lesson("day17-kubernetes", 17, "쿠버네티스", "Kubernetes"),
        lesson("day16-containers", 16, "왜 컨테이너인가", "Why containers?"),
        lesson("day18-helm", 18, "헬름", "Helm"),
    ]
)
SCHEDULE = Curriculum(
    schedule=(
        Scheduled(date(2026, 7, 3), "day17-kubernetes", 5),
        Scheduled(date(2026, 7, 2), "day16-containers", 4),  # given out of order: sorted by date
        Scheduled(date(2026, 7, 6), "day18-helm", 6),
    )
)


def ids(lessons: list[Lesson]) -> list[str]:
    return [item.id for item in lessons]


# --- newest mode -----------------------------------------------------------------------------------


def test_without_a_schedule_the_newest_lesson_is_current_every_day() -> None:
    newest = Curriculum()
    assert newest.mode == "newest"
    for day in (date(2020, 1, 1), date(2026, 7, 2), date(2030, 12, 31)):
        found = lesson_on(newest, KNOWLEDGE, day)
        assert found is not None
        assert found.id == "day18-helm"  # the highest day, whatever order the files came in


def test_no_lessons_loaded_means_no_current_lesson() -> None:
    assert lesson_on(Curriculum(), Knowledge(lessons=()), date(2026, 7, 2)) is None
    assert lesson_on(SCHEDULE, Knowledge(lessons=()), date(2026, 7, 2)) is None


# --- schedule mode ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 7, 1), None),  # before the course starts: no lesson of the day
        (date(2026, 7, 2), "day16-containers"),
        (date(2026, 7, 3), "day17-kubernetes"),
        (date(2026, 7, 4), "day17-kubernetes"),  # the weekend keeps Friday's lesson
        (date(2026, 7, 5), "day17-kubernetes"),
        (date(2026, 7, 6), "day18-helm"),
        (date(2027, 1, 1), "day18-helm"),  # after the last date, the last lesson stays
    ],
)
def test_the_lesson_of_a_date_is_the_latest_scheduled_on_or_before_it(day: date, expected: str | None) -> None:
    assert SCHEDULE.mode == "schedule"
    found = lesson_on(SCHEDULE, KNOWLEDGE, day)
    assert (found.id if found is not None else None) == expected


def test_a_scheduled_lesson_that_is_not_loaded_is_skipped() -> None:
    without_17 = parse_knowledge([item for item in KNOWLEDGE.lessons if item.id != "day17-kubernetes"])
    found = lesson_on(SCHEDULE, without_17, date(2026, 7, 4))
    assert found is not None
    assert found.id == "day16-containers"


def test_dates_are_local_to_the_groups_time_zone() -> None:
    # 00:30 on 3 July in Seoul is still 2 July in UTC (15:30) and in New York (11:30).
    instant = datetime(2026, 7, 2, 15, 30, tzinfo=UTC)
    assert local_date(instant, SEOUL) == date(2026, 7, 3)
    assert local_date(instant, UTC) == date(2026, 7, 2)
    in_seoul = current_lesson(SCHEDULE, KNOWLEDGE, now=instant, tz=SEOUL)
    in_new_york = current_lesson(SCHEDULE, KNOWLEDGE, now=instant, tz=NEW_YORK)
    assert in_seoul is not None
    assert in_seoul.id == "day17-kubernetes"
    assert in_new_york is not None
    assert in_new_york.id == "day16-containers"
    # The same instant written with a different offset is the same moment.
    assert current_lesson(SCHEDULE, KNOWLEDGE, now=instant.astimezone(NEW_YORK), tz=SEOUL) == in_seoul


def test_now_must_be_aware() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        current_lesson(SCHEDULE, KNOWLEDGE, now=datetime(2026, 7, 3, 9, 0), tz=SEOUL)  # noqa: DTZ001


# --- scopes ----------------------------------------------------------------------------------------

SCOPED = Curriculum(schedule=SCHEDULE.schedule, channels=(ChannelLesson(111, "day16-containers", 9),))
FRIDAY = datetime(2026, 7, 3, 10, 0, tzinfo=SEOUL)


def test_a_scoped_channel_searches_only_its_lesson() -> None:
    scope = scope_for(SCOPED, KNOWLEDGE, channel_ids=(111, None), now=FRIDAY, tz=SEOUL)
    assert scope == Scope(frozenset({"day16-containers"}), "day16-containers")
    assert scope.allows("day16-containers")
    assert not scope.allows("day17-kubernetes")


def test_a_thread_follows_its_parent_channels_scope() -> None:
    scope = scope_for(SCOPED, KNOWLEDGE, channel_ids=(222, 111), now=FRIDAY, tz=SEOUL)
    assert scope.lessons == frozenset({"day16-containers"})


def test_elsewhere_every_lesson_is_searched_and_the_lesson_of_the_day_wins_ties() -> None:
    scope = scope_for(SCOPED, KNOWLEDGE, channel_ids=(222, None), now=FRIDAY, tz=SEOUL)
    assert scope == Scope(None, "day17-kubernetes", yesterday="day16-containers")
    assert scope.allows("day18-helm")
    before = scope_for(SCOPED, KNOWLEDGE, channel_ids=(222, None), now=datetime(2026, 6, 1, tzinfo=SEOUL), tz=SEOUL)
    assert before == Scope(None, None)


def test_yesterdays_lesson_is_the_schedules_lesson_of_the_previous_local_date() -> None:
    # Monday 2026-07-06 in Seoul starts day 18; Sunday still had day 17, current since Friday.
    monday = datetime(2026, 7, 5, 16, 30, tzinfo=ZoneInfo("UTC"))
    scope = scope_for(SCOPED, KNOWLEDGE, channel_ids=(None,), now=monday, tz=SEOUL)
    assert (scope.prefer, scope.yesterday) == ("day18-helm", "day17-kubernetes")
    # Without a schedule there is no dated yesterday: the matcher takes the lesson before the current one.
    unscheduled = scope_for(Curriculum(), KNOWLEDGE, channel_ids=(None,), now=monday, tz=SEOUL)
    assert (unscheduled.prefer, unscheduled.yesterday) == ("day18-helm", None)


def test_listings_put_the_preferred_lesson_first_then_the_newest() -> None:
    assert ids(lessons_in_focus(KNOWLEDGE, Scope(None, "day16-containers"))) == [
        "day16-containers",
        "day18-helm",
        "day17-kubernetes",
    ]
    assert ids(lessons_in_focus(KNOWLEDGE, Scope(None, None))) == ["day18-helm", "day17-kubernetes", "day16-containers"]
    assert ids(lessons_in_focus(KNOWLEDGE, Scope(frozenset({"day17-kubernetes"}), "day17-kubernetes"))) == [
        "day17-kubernetes"
    ]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("day17-kubernetes", "day17-kubernetes"),
        ("17", "day17-kubernetes"),
        ("Kubernetes", "day17-kubernetes"),
        ("  왜   컨테이너인가 ", "day16-containers"),
        ("18. Helm", "day18-helm"),
        ("day99", None),
        ("", None),
    ],
)
def test_a_lesson_is_found_by_id_day_or_title(typed: str, expected: str | None) -> None:
    found = find_lesson(KNOWLEDGE, typed)
    assert (found.id if found is not None else None) == expected


def test_unknown_lesson_ids_are_listed_with_their_lines() -> None:
    curriculum = Curriculum(
        schedule=(Scheduled(date(2026, 7, 2), "day16-containers", 4), Scheduled(date(2026, 7, 3), "day17-k8s", 5)),
        channels=(ChannelLesson(111, "day99", 9),),
    )
    assert unknown_lesson_ids(curriculum, {"day16-containers"}) == [
        (5, "curriculum.schedule 2026-07-03", "day17-k8s"),
        (9, "lesson_channels 111", "day99"),
    ]
