"""The recap text and the daily schedule's arithmetic: DST, the grace window, never twice a day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.knowledge import Lesson, load_knowledge
from bot.recap import format_recap, lesson_date, next_run, recap_due, recap_text, scheduled_at

PETS = Path(__file__).resolve().parent / "fixtures" / "discord" / "day1-pets.yaml"
SEOUL = ZoneInfo("Asia/Seoul")
NEW_YORK = ZoneInfo("America/New_York")
NINE = time(9, 0)
GRACE = timedelta(hours=3)


@pytest.fixture(scope="module")
def lesson() -> Lesson:
    return load_knowledge(PETS).lessons[0]


# --- text ------------------------------------------------------------------------------------------


def test_format_recap_in_both_languages(lesson: Lesson) -> None:
    korean = format_recap(lesson, "ko")
    assert korean.title == "오늘의 핵심 요약 — 1. 반려동물 기초"
    assert korean.date == "3월 2일"
    assert korean.points == ("고양이는 독립적인 반려동물이다.", "강아지는 산책이 필요하다.")
    assert korean.lesson_id == "day1-pets"
    english = format_recap(lesson, "en")
    assert english.title == "Today's key points — 1. Pet basics"
    assert english.points == ("A cat is an independent pet.", "A dog needs walks.")


def test_the_recap_text_is_title_date_then_bullets(lesson: Lesson) -> None:
    text = recap_text(lesson, "ko")
    assert text.startswith("오늘의 핵심 요약 — 1. 반려동물 기초\n(3월 2일)\n\n• ")


def test_the_english_recap_writes_the_date_in_english(lesson: Lesson) -> None:
    assert (
        recap_text(lesson, "en")
        == "Today's key points — 1. Pet basics\n(March 2)\n\n• A cat is an independent pet.\n• A dog needs walks."
    )
    assert lesson_date("2026년 7월 2일", "en") == "July 2, 2026"
    assert lesson_date("13월 2일", "en") == "13월 2일"  # not a date: shown as written
    assert lesson_date("날짜 미상", "en") == "날짜 미상"


# --- next_run --------------------------------------------------------------------------------------


def test_next_run_is_today_before_the_time_and_tomorrow_from_it() -> None:
    before = datetime(2025, 3, 3, 8, 59, tzinfo=SEOUL)
    assert next_run(before, NINE, SEOUL) == datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL)
    at = datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL)
    assert next_run(at, NINE, SEOUL) == datetime(2025, 3, 4, 9, 0, tzinfo=SEOUL)  # strictly after `now`


def test_next_run_takes_any_aware_now_and_answers_in_local_time() -> None:
    now_utc = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)  # 10:00 in Seoul
    run = next_run(now_utc, NINE, SEOUL)
    assert run == datetime(2025, 3, 4, 9, 0, tzinfo=SEOUL)
    assert run.utcoffset() == timedelta(hours=9)


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2025, 3, 3, 9, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone-aware"):
        next_run(naive, NINE, SEOUL)
    with pytest.raises(ValueError, match="timezone-aware"):
        recap_due(naive, at=NINE, tz=SEOUL, grace=GRACE, last_posted=None)


def test_spring_forward_keeps_the_wall_clock_time_and_the_day_is_23_hours() -> None:
    # America/New_York jumps from 02:00 EST to 03:00 EDT on 2025-03-09.
    saturday = datetime(2025, 3, 8, 9, 0, tzinfo=NEW_YORK)
    sunday = next_run(saturday, NINE, NEW_YORK)
    assert (sunday.year, sunday.month, sunday.day, sunday.hour, sunday.minute) == (2025, 3, 9, 9, 0)
    assert sunday.utcoffset() == timedelta(hours=-4)
    # (Subtracting two datetimes of the same zone compares wall clocks; compare instants instead.)
    assert sunday.astimezone(UTC) - saturday.astimezone(UTC) == timedelta(hours=23)


def test_a_time_skipped_by_spring_forward_runs_once_just_after_the_jump() -> None:
    at = time(2, 30)  # does not exist on 2025-03-09 in New York
    run = next_run(datetime(2025, 3, 9, 1, 0, tzinfo=NEW_YORK), at, NEW_YORK)
    assert run.astimezone(UTC) == datetime(2025, 3, 9, 7, 30, tzinfo=UTC)  # 03:30 EDT
    assert run.astimezone(NEW_YORK).hour == 3
    after = next_run(run, at, NEW_YORK)
    assert after.astimezone(NEW_YORK).date() == date(2025, 3, 10)
    assert (after.astimezone(NEW_YORK).hour, after.astimezone(NEW_YORK).minute) == (2, 30)


def test_fall_back_day_is_25_hours_and_a_repeated_time_runs_once() -> None:
    # New York falls back from 02:00 EDT to 01:00 EST on 2025-11-02.
    saturday = datetime(2025, 11, 1, 9, 0, tzinfo=NEW_YORK)
    sunday = next_run(saturday, NINE, NEW_YORK)
    assert sunday.utcoffset() == timedelta(hours=-5)
    assert sunday.astimezone(UTC) - saturday.astimezone(UTC) == timedelta(hours=25)

    at = time(1, 30)  # happens twice on 2025-11-02
    first = next_run(datetime(2025, 11, 2, 0, 0, tzinfo=NEW_YORK), at, NEW_YORK)
    assert first.astimezone(UTC) == datetime(2025, 11, 2, 5, 30, tzinfo=UTC)  # 01:30 EDT, the first one
    # After the first 01:30 the next run is the next day's, not the second 01:30 an hour later.
    second_occurrence = datetime(2025, 11, 2, 6, 0, tzinfo=UTC)  # 01:00 EST, before the repeated 01:30
    assert next_run(second_occurrence, at, NEW_YORK).astimezone(NEW_YORK).date() == date(2025, 11, 3)


def test_scheduled_at_is_the_local_wall_time() -> None:
    slot = scheduled_at(date(2025, 7, 1), NINE, NEW_YORK)
    assert slot.astimezone(UTC) == datetime(2025, 7, 1, 13, 0, tzinfo=UTC)


# --- recap_due -------------------------------------------------------------------------------------


def due(now: datetime, last: date | None = None, *, tz: ZoneInfo = SEOUL) -> tuple[bool, date, str]:
    decision = recap_due(now, at=NINE, tz=tz, grace=GRACE, last_posted=last)
    return decision.post, decision.day, decision.reason


def test_not_due_before_the_time() -> None:
    assert due(datetime(2025, 3, 3, 8, 59, 59, tzinfo=SEOUL)) == (False, date(2025, 3, 3), "not yet time")


def test_due_at_the_time() -> None:
    assert due(datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL)) == (True, date(2025, 3, 3), "due")


def test_late_within_the_grace_window_posts_once() -> None:
    now = datetime(2025, 3, 3, 11, 59, tzinfo=SEOUL)
    assert due(now) == (True, date(2025, 3, 3), "late, within grace")
    assert due(datetime(2025, 3, 3, 12, 0, tzinfo=SEOUL))[0] is True  # the window's end is included
    # ...and once it was posted, not again that day.
    assert due(now + timedelta(minutes=1), last=date(2025, 3, 3)) == (False, date(2025, 3, 3), "already posted today")


def test_beyond_the_grace_window_the_day_is_skipped() -> None:
    now = datetime(2025, 3, 3, 12, 0, 1, tzinfo=SEOUL)
    assert due(now) == (False, date(2025, 3, 3), "missed: beyond the grace window")
    # The next day's schedule applies as usual.
    assert due(datetime(2025, 3, 4, 9, 0, tzinfo=SEOUL), last=date(2025, 3, 2)) == (True, date(2025, 3, 4), "due")


def test_already_posted_today_is_never_posted_again() -> None:
    assert due(datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL), last=date(2025, 3, 3))[0] is False
    assert due(datetime(2025, 3, 3, 9, 0, tzinfo=SEOUL), last=date(2025, 3, 2))[0] is True


def test_the_day_is_the_local_date_not_the_utc_one() -> None:
    # 00:30 on March 4 in Seoul is still March 3 in UTC.
    now = datetime(2025, 3, 3, 15, 30, tzinfo=UTC)
    assert due(now)[1] == date(2025, 3, 4)


def test_due_on_dst_days_at_the_local_time() -> None:
    spring = datetime(2025, 3, 9, 13, 0, tzinfo=UTC)  # 09:00 EDT
    assert due(spring, tz=NEW_YORK) == (True, date(2025, 3, 9), "due")
    assert due(spring - timedelta(minutes=1), tz=NEW_YORK)[0] is False
    autumn = datetime(2025, 11, 2, 14, 0, tzinfo=UTC)  # 09:00 EST
    assert due(autumn, tz=NEW_YORK) == (True, date(2025, 11, 2), "due")
    assert due(autumn - timedelta(minutes=1), tz=NEW_YORK)[0] is False
