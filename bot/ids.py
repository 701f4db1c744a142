"""The id grammar, written once: lesson ids, entry ids, table row keys and `lesson/entry` qualified ids.

Knowledge files, the config (curriculum, scoped channels) and the Discord adapter's button ids all
read ids with these patterns, so an id valid in one place is valid in all of them.
"""

from __future__ import annotations

import re

# A lesson id and a table row key: lowercase letters, digits and '-' (they appear in file names and URLs).
LESSON_ID = r"[a-z0-9][a-z0-9-]*"
# An entry id may also hold '.', which groups entries (compare.speed, value.cost).
ENTRY_ID = r"[a-z0-9][a-z0-9.-]*"
# A lesson id and an entry id: how an entry is named across lessons (feedback, buttons).
QUALIFIED_ID = rf"{LESSON_ID}/{ENTRY_ID}"

_LESSON_ID = re.compile(LESSON_ID)
_ENTRY_ID = re.compile(ENTRY_ID)


def is_lesson_id(text: str) -> bool:
    """Return whether `text` is a valid lesson id (also the grammar of a table row key)."""
    return _LESSON_ID.fullmatch(text) is not None


def is_entry_id(text: str) -> bool:
    """Return whether `text` is a valid entry id."""
    return _ENTRY_ID.fullmatch(text) is not None
