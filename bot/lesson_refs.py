"""Explicit references to a lesson inside a question: "16일차", "day 16", "지난 시간", "어제 수업".

In a growing curriculum the same words recur across lessons ("요약", "장점"), and a learner who
names the lesson has already said which one they mean. These references steer the search to that
lesson; without one, every lesson in scope is searched and the lesson of the day wins only ties.
Pure: no I/O; the current and yesterday's lesson come from the caller (the schedule is theirs).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot.knowledge import Knowledge, Lesson

ReferenceKind = Literal["day", "today", "previous", "yesterday", "next"]

# A lesson noun must follow "지난/어제/오늘/다음": "어제 도커 설치했는데" names no lesson.
_LESSON_NOUN = r"(?:수업|강의|시간|차시|내용|공부|배운|배웠던|한\s*거|나온|레슨|lesson|class|session)"
_PATTERNS: tuple[tuple[ReferenceKind, re.Pattern[str]], ...] = (
    (
        "day",
        re.compile(
            r"(?<![0-9,.])([0-9]{1,3})\s*(?:일\s*차|일째|강의?|회차|차시|번째\s*(?:수업|강의|시간)|th\s+(?:day|lesson|class))"
        ),
    ),
    ("day", re.compile(r"\b(?:day|lesson|class|lecture)\s*[-#]?\s*([0-9]{1,3})(?![0-9])")),
    # Not inside a word: "안전한 거" holds 전 and 한 거 but names no lesson.
    ("previous", re.compile(rf"(?<![가-힣])(?:지난|저번|전|이전)\s*{_LESSON_NOUN}")),
    ("previous", re.compile(r"\b(?:last|previous|prior)\s+(?:lesson|class|session|lecture|time)\b")),
    ("yesterday", re.compile(rf"(?<![가-힣])어제\s*{_LESSON_NOUN}")),
    ("yesterday", re.compile(r"\byesterday'?s?\s+(?:lesson|class|session|lecture)\b|\b(?:lesson|class)\s+yesterday\b")),
    ("today", re.compile(rf"(?<![가-힣])(?:오늘|이번)\s*{_LESSON_NOUN}")),
    # Not "다음 내용" (the next part of this lesson): only the nouns that name a class.
    ("next", re.compile(r"(?<![가-힣])(?:다음|내일|담)\s*(?:번\s*)?(?:수업|강의|시간|차시|레슨|lesson|class|session)")),
    ("next", re.compile(r"\b(?:next|tomorrow'?s?)\s+(?:lesson|class|session|lecture)\b")),
    ("today", re.compile(r"\btoday'?s?\s+(?:lesson|class|session|lecture)\b")),
    # Not "this class": "this class of problems" names no lesson.
    ("today", re.compile(r"\bthis\s+(?:lesson|session|lecture)\b")),
)


@dataclass(frozen=True)
class LessonReference:
    """A lesson named in a question, and where: `day` is set for "16일차" / "day 16"."""

    kind: ReferenceKind
    start: int
    end: int
    day: int | None = None


def find_lesson_reference(text: str) -> LessonReference | None:
    """Return the first explicit lesson reference in `text`, or None."""
    folded = unicodedata.normalize("NFC", text).casefold()
    found: LessonReference | None = None
    for kind, pattern in _PATTERNS:
        match = pattern.search(folded)
        if match is None or (found is not None and found.start <= match.start()):
            continue
        day = int(match.group(1)) if kind == "day" else None
        found = LessonReference(kind, match.start(), match.end(), day)
    return found


def resolve_reference(
    reference: LessonReference,
    knowledge: Knowledge,
    *,
    current: str | None,
    yesterday: str | None = None,
) -> Lesson | None:
    """Return the loaded lesson a reference names, or None when it names no loaded lesson.

    `current` is the lesson of the day (None: the newest loaded lesson stands in); `yesterday` is the
    schedule's lesson of the previous local date, when there is a schedule. Without one, "어제 수업" is
    the lesson before the current one, as lessons come a day apart. "다음 수업" is the one after it.
    """
    lessons: Sequence[Lesson] = sorted(knowledge.lessons, key=lambda lesson: (lesson.day, lesson.id))
    if not lessons:
        return None
    if reference.kind == "day":
        same_day = [lesson for lesson in lessons if lesson.day == reference.day]
        return same_day[-1] if same_day else None
    by_id = {lesson.id: lesson for lesson in lessons}
    today = by_id.get(current) if current is not None else None
    if today is None:
        today = lessons[-1]
    if reference.kind == "today":
        return today
    if reference.kind == "yesterday" and yesterday is not None:
        return by_id.get(yesterday)
    if reference.kind == "next":
        later = [lesson for lesson in lessons if (lesson.day, lesson.id) > (today.day, today.id)]
        return later[0] if later else None
    earlier = [lesson for lesson in lessons if (lesson.day, lesson.id) < (today.day, today.id)]
    return earlier[-1] if earlier else None


def without_reference(text: str, reference: LessonReference) -> str:
    """Return `text` with the reference cut out ("16일차 요약 알려줘" → " 요약 알려줘").

    The reference has done its work by choosing the lesson; left in, "16" and "일차" would be
    matched as question words.
    """
    folded = unicodedata.normalize("NFC", text)
    if len(folded.casefold()) != len(folded):
        # Case folding changed the length (ß → ss): offsets do not carry over; keep the text whole.
        return text
    return f"{folded[: reference.start]} {folded[reference.end :]}"
