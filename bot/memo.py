"""Bounded in-memory memos of pure functions: learners reuse a few hundred words and questions.

A memo is a plain dict owned by its caller; when it holds `limit` values it is emptied before the
next one is kept, so memory stays bounded without bookkeeping per hit (a burst of new words costs
one rebuild, and the words still in use come back at once). Pure: no I/O, no global state.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

_K = TypeVar("_K", bound=Hashable)
_V = TypeVar("_V")
_MISSING = object()


def remembered(memo: dict[_K, _V], key: _K, read: Callable[[_K], _V], *, limit: int) -> _V:
    """Return the value kept for `key`, else `read(key)`, kept (a memo holding `limit` values is emptied first).

    `read` must be pure for `key`: the value may be computed again after the memo is emptied.
    A kept `None` or `False` counts as found.
    """
    found = memo.get(key, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[return-value]
    if len(memo) >= limit:
        memo.clear()
    value = memo[key] = read(key)
    return value
