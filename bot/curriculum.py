"""Which lesson is current: the curriculum's date → lesson schedule, and per-channel lesson scopes.

Pure: no I/O, never imports discord; `now` is always a parameter and must be timezone-aware. Dates
are local dates in the study group's time zone (the config's `recap.timezone`): at 00:30 in Seoul it
is already the next day there while UTC still has the previous one.

Rules:
- No schedule ("newest" mode): the current lesson is the newest loaded one (highest day, then id).
- With a schedule: the lesson of a date is the one scheduled on the latest scheduled date on or
  before it, so a lesson stays current until the next one starts (weekends, holidays, and after
  the last scheduled date). Before the first scheduled date there is no current lesson: nothing
  is posted as "the lesson of the day" before the course starts.
- A scheduled id that is not loaded is skipped (config validation reports it as `file:line`).
"""

from __future__ import annotations

import bisect
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from bot.knowledge import Knowledge, Lesson
from bot.scope import Scope


@dataclass(frozen=True, order=True)
class Scheduled:
    """One schedule line: from `day` on (local date), `lesson_id` is the lesson of the day."""

    day: date
    lesson_id: str
    line: int = 0


@dataclass(frozen=True)
class ChannelLesson:
    """A channel scoped to one lesson: questions there are answered only from that lesson."""

    channel_id: int
    lesson_id: str
    line: int = 0


@dataclass(frozen=True)
class Curriculum:
    """The schedule (sorted by date; empty: the newest lesson is always current) and channel scopes."""

    schedule: tuple[Scheduled, ...] = ()
    channels: tuple[ChannelLesson, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "schedule", tuple(sorted(self.schedule)))

    @property
    def mode(self) -> str:
        """Return "schedule" when dates are mapped to lessons, else "newest"."""
        return "schedule" if self.schedule else "newest"

    def channel_lesson(self, channel_ids: Iterable[int | None]) -> str | None:
        """Return the lesson a channel is scoped to; `channel_ids` is the channel, then its parent
        (a thread inherits its channel's scope)."""
        scoped = {item.channel_id: item.lesson_id for item in self.channels}
        for channel_id in channel_ids:
            if channel_id is not None and channel_id in scoped:
                return scoped[channel_id]
        return None


def local_date(now: datetime, tz: tzinfo) -> date:
    """Return the local date in `tz` at the aware instant `now`."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(tz).date()


def lesson_on(curriculum: Curriculum, knowledge: Knowledge, day: date) -> Lesson | None:
    """Return the lesson of local date `day`, or None (nothing loaded, or before the schedule starts)."""
    if not knowledge.lessons:
        return None
    if not curriculum.schedule:
        return knowledge.lessons[-1]
    loaded = {lesson.id: lesson for lesson in knowledge.lessons}
    days = [item.day for item in curriculum.schedule]
    # The last schedule line on or before `day`; walk back past lines naming lessons not loaded.
    for index in range(bisect.bisect_right(days, day) - 1, -1, -1):
        lesson = loaded.get(curriculum.schedule[index].lesson_id)
        if lesson is not None:
            return lesson
    return None


def current_lesson(curriculum: Curriculum, knowledge: Knowledge, *, now: datetime, tz: tzinfo) -> Lesson | None:
    """Return the lesson of the local date of `now` in `tz` (see the module's rules)."""
    return lesson_on(curriculum, knowledge, local_date(now, tz))


def scope_for(
    curriculum: Curriculum,
    knowledge: Knowledge,
    *,
    channel_ids: Sequence[int | None],
    now: datetime,
    tz: tzinfo,
) -> Scope:
    """Return the scope of a question asked in a channel (then its parent) at `now`.

    A scoped channel searches only its lesson; elsewhere every loaded lesson is searched and the
    current lesson wins ties.
    """
    scoped = curriculum.channel_lesson(channel_ids)
    if scoped is not None:
        return Scope(frozenset({scoped}), scoped)
    today = local_date(now, tz)
    current = lesson_on(curriculum, knowledge, today)
    # "어제 수업" with a schedule is the lesson of the previous date (a lesson stays current over a
    # weekend); without one, the matcher takes the lesson before the current one.
    yesterday = lesson_on(curriculum, knowledge, today - timedelta(days=1)) if curriculum.schedule else None
    return Scope(None, current.id if current is not None else None, yesterday.id if yesterday is not None else None)


def lessons_in_focus(knowledge: Knowledge, scope: Scope) -> list[Lesson]:
    """Return the lessons of a scope for listings: the preferred lesson first, then newest first."""
    lessons = [lesson for lesson in reversed(knowledge.lessons) if scope.allows(lesson.id)]
    return sorted(lessons, key=lambda lesson: lesson.id != scope.prefer)


def find_lesson(knowledge: Knowledge, wanted: str) -> Lesson | None:
    """Return the lesson a user named: its id, its day number, or its exact title (either language)."""
    key = " ".join(wanted.casefold().split())
    if not key:
        return None
    for lesson in knowledge.lessons:
        if lesson.id == key:
            return lesson
    if key.isdigit():
        days = [lesson for lesson in knowledge.lessons if lesson.day == int(key)]
        return days[-1] if days else None
    for lesson in knowledge.lessons:
        titles = {" ".join(t.casefold().split()) for t in lesson.title.texts()}
        if key in titles or key in {f"{lesson.day}. {t}" for t in titles}:
            return lesson
    return None


def unknown_lesson_ids(curriculum: Curriculum, lesson_ids: Collection[str]) -> list[tuple[int, str, str]]:
    """Return (line, where, lesson id) for every schedule line and channel naming a lesson not loaded."""
    missing: list[tuple[int, str, str]] = []
    for item in curriculum.schedule:
        if item.lesson_id not in lesson_ids:
            missing.append((item.line, f"curriculum.schedule {item.day.isoformat()}", item.lesson_id))
    for channel in curriculum.channels:
        if channel.lesson_id not in lesson_ids:
            missing.append((channel.line, f"lesson_channels {channel.channel_id}", channel.lesson_id))
    return sorted(missing)
