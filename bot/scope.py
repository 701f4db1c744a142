"""Where a question is asked: which lessons are searched, and which one wins ties."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    """The lessons to search (None: all loaded lessons) and the current lesson, which wins ties.

    `yesterday` is the schedule's lesson of the previous local date ("어제 수업"); None without a
    schedule, where yesterday's lesson is the one before the current one.
    """

    lessons: frozenset[str] | None = None
    prefer: str | None = None
    yesterday: str | None = None

    def allows(self, lesson_id: str) -> bool:
        """Return whether `lesson_id` is searched in this scope."""
        return self.lessons is None or lesson_id in self.lessons


# Every loaded lesson, none preferred: the command line's scope.
EVERYWHERE = Scope()
