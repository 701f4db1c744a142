"""Recap text and the daily schedule's arithmetic. Pure: `now` is always a parameter."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from bot.knowledge import Lang, Lesson
from bot.render import format_summary, ui_text


@dataclass(frozen=True)
class RecapText:
    """A recap ready for display: the Discord layer makes an embed of it."""

    title: str
    date: str
    points: tuple[str, ...]
    lesson_id: str


_KOREAN_DATE = re.compile(r"\s*(?:(\d{4})년\s*)?(\d{1,2})월\s*(\d{1,2})일\s*")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip


def lesson_date(text: str, lang: Lang) -> str:
    """Return a lesson's date (written in Korean, "7월 2일") in `lang`; other forms are shown as written."""
    found = _KOREAN_DATE.fullmatch(text)
    if lang == "ko" or found is None or not 1 <= int(found.group(2)) <= 12:
        return text
    year, month, day = found.groups()
    english = f"{_MONTHS[int(month) - 1]} {int(day)}"
    return f"{english}, {year}" if year else english


def format_recap(lesson: Lesson, lang: Lang) -> RecapText:
    """Return the recap of `lesson` in `lang`."""
    heading = f"{ui_text('recap', lang)} — {lesson.day}. {lesson.title.get(lang)}"
    return RecapText(title=heading, date=lesson.date, points=lesson.summary.get(lang), lesson_id=lesson.id)


def recap_text(lesson: Lesson, lang: Lang) -> str:
    """Return the recap as plain text (for the CLI)."""
    recap = format_recap(lesson, lang)
    return f"{recap.title}\n({lesson_date(recap.date, lang)})\n\n{format_summary(lesson, lang)}"


def _require_aware(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")


def scheduled_at(day: date, at: time, tz: tzinfo) -> datetime:
    """Return the aware instant of `at` local time on `day` in `tz`.

    A wall time skipped by a DST jump (02:30 on a spring-forward day) resolves, via `fold=0`, to
    the instant one offset later — the same wall-clock reading people would expect after the jump.
    A repeated wall time (autumn) is the first occurrence.
    """
    local = datetime.combine(day, at.replace(tzinfo=None, fold=0)).replace(tzinfo=tz)
    # Round-trip through UTC so a nonexistent local time is normalised to a real instant.
    return local.astimezone(UTC).astimezone(tz)


def next_run(now: datetime, at: time, tz: tzinfo) -> datetime:
    """Return the next instant strictly after `now` at which the daily recap is due."""
    _require_aware(now)
    local_day = now.astimezone(tz).date()
    for offset in range(3):
        candidate = scheduled_at(local_day + timedelta(days=offset), at, tz)
        if candidate > now:
            return candidate
    raise AssertionError("unreachable: a daily time recurs within three days")  # pragma: no cover


@dataclass(frozen=True)
class RecapDecision:
    """Whether to post now, for which local date, and why."""

    post: bool
    day: date
    reason: str


def recap_due(
    now: datetime,
    *,
    at: time,
    tz: tzinfo,
    grace: timedelta,
    last_posted: date | None,
) -> RecapDecision:
    """Decide whether the most recent scheduled recap should be posted at `now`.

    Due from the scheduled time until `grace` after it (a bot that was down at 09:00 and is back by
    12:00 still posts, once, late). The slot is the most recent one, whichever local day it fell
    on: with `23:00` and three hours' grace, a restart at 00:30 still posts yesterday's recap.
    Never twice for the same local date; after the grace window that day is skipped.
    """
    _require_aware(now)
    today = now.astimezone(tz).date()
    day = today
    slot = scheduled_at(today, at, tz)
    if now < slot:  # today's slot is still ahead: the most recent one was yesterday's
        day = today - timedelta(days=1)
        slot = scheduled_at(day, at, tz)
        if now - slot > grace:
            return RecapDecision(False, today, "not yet time")
    if last_posted is not None and last_posted >= day:
        return RecapDecision(False, day, "already posted today")
    if now - slot > grace:
        return RecapDecision(False, day, "missed: beyond the grace window")
    return RecapDecision(True, day, "due" if now - slot < timedelta(minutes=1) else "late, within grace")
