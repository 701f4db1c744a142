"""The SQLite state: recap days, feedback, unanswered questions, the heartbeat; clear errors at start."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar
from zoneinfo import ZoneInfo

import pytest

from bot.store import Outcome, StateLocked, Store, StoreError, question_key, read_heartbeat, read_learned

T = TypeVar("T")
NOW = datetime(2025, 3, 3, 0, 0, tzinfo=UTC)


def with_store(path: Path, work: Callable[[Store], Awaitable[T]]) -> T:
    async def main() -> T:
        async with Store(path) as store:
            return await work(store)

    return asyncio.run(main())


def test_recap_days_per_channel_survive_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"

    async def first(store: Store) -> None:
        assert await store.last_recap(1) is None
        assert await store.claim_recap(1, date(2025, 3, 3), lesson_id="l", now=NOW)
        assert await store.claim_recap(2, date(2025, 3, 2), lesson_id="l", now=NOW)
        assert await store.claim_recap(1, date(2025, 3, 4), lesson_id="l", now=NOW + timedelta(days=1))

    async def second(store: Store) -> tuple[date | None, date | None, date | None]:
        return await store.last_recap(1), await store.last_recap(2), await store.last_recap(3)

    with_store(path, first)
    assert with_store(path, second) == (date(2025, 3, 4), date(2025, 3, 2), None)


def test_the_database_is_in_wal_mode_and_flushed_on_close(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"

    async def work(store: Store) -> None:
        await store.beat(NOW)

    with_store(path, work)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    wal = Path(f"{path}-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_work_runs_off_the_event_loop_thread(tmp_path: Path) -> None:
    loop_thread = threading.get_ident()
    seen: list[int] = []

    async def work(store: Store) -> None:
        def probe(db: sqlite3.Connection) -> None:
            seen.append(threading.get_ident())

        await store._run(probe)
        await store._run(probe)

    with_store(tmp_path / "s.sqlite3", work)
    assert len(set(seen)) == 1
    assert seen[0] != loop_thread


def test_a_recap_day_is_claimed_once_and_can_be_given_back(tmp_path: Path) -> None:
    async def work(store: Store) -> list[bool]:
        day = date(2025, 3, 3)
        first = await store.claim_recap(1, day, lesson_id="l", now=NOW)
        second = await store.claim_recap(1, day, lesson_id="l", now=NOW)  # a second pass or process
        other_channel = await store.claim_recap(2, day, lesson_id="l", now=NOW)
        await store.release_recap(1, day)  # the post failed: the next pass may retry
        again = await store.claim_recap(1, day, lesson_id="l", now=NOW)
        return [first, second, other_channel, again]

    assert with_store(tmp_path / "s.sqlite3", work) == [True, False, True, True]


def test_a_second_store_on_the_same_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"

    async def main() -> str:
        async with Store(path):
            with pytest.raises(StateLocked) as caught:
                await Store(path).open()
        async with Store(path):  # released on close
            pass
        return str(caught.value)

    message = asyncio.run(main())
    assert message == f"{path}: another lessonbot is already running with this state database (storage.path)"


def test_feedback_one_vote_per_user_and_answer_counted_in_stats(tmp_path: Path) -> None:
    async def work(store: Store) -> list[tuple[str, int, int]]:
        await store.record_feedback("l/cat", 1, helpful=True, now=NOW)
        await store.record_feedback("l/cat", 2, helpful=True, now=NOW)
        await store.record_feedback("l/cat", 1, helpful=False, now=NOW)  # changes the vote
        await store.record_feedback("l/dog", 1, helpful=True, now=NOW)
        await store.record_feedback("m/dog", 1, helpful=False, now=NOW)
        report = await store.stats(since=NOW - timedelta(days=1), until=NOW, tz=UTC, lesson_id="l")
        return [(v.qualified_id, v.helpful, v.unhelpful) for v in report.votes]

    assert with_store(tmp_path / "s.sqlite3", work) == [("l/cat", 1, 1), ("l/dog", 1, 0)]


def test_stats_count_questions_per_local_day_and_outcome(tmp_path: Path) -> None:
    seoul = ZoneInfo("Asia/Seoul")

    async def work(store: Store) -> list[tuple[date, int, int, int]]:
        asked: list[tuple[timedelta, Outcome, str]] = [
            (timedelta(hours=1), "answered", "l"),
            (timedelta(hours=2), "answered", "l"),
            (timedelta(hours=16), "declined", "l"),  # 01:00 the next day in Seoul
            (timedelta(hours=17), "suggested", "l"),
            (timedelta(hours=18), "answered", "other"),
            (timedelta(days=9), "answered", "l"),  # outside the period
        ]
        for offset, outcome, lesson in asked:
            await store.log_asked(outcome, now=NOW + offset, lesson_id=lesson)
        report = await store.stats(since=NOW, until=NOW + timedelta(days=7), tz=seoul, lesson_id="l")
        return [(d.day, d.answered, d.suggested, d.declined) for d in report.days]

    assert with_store(tmp_path / "s.sqlite3", work) == [(date(2025, 3, 3), 2, 0, 0), (date(2025, 3, 4), 0, 1, 1)]


def test_purge_forgets_questions_older_than_the_retention(tmp_path: Path) -> None:
    async def work(store: Store) -> tuple[int, list[str]]:
        await store.log_unanswered("old?", lang="en", now=NOW - timedelta(days=100), user_id=7)
        await store.log_unanswered("new?", lang="en", now=NOW - timedelta(days=10), user_id=7)
        await store.log_asked("declined", now=NOW - timedelta(days=100), lesson_id=None)
        deleted = await store.purge(NOW - timedelta(days=90))
        return deleted, [row.question for row in await store.top_unanswered()]

    assert with_store(tmp_path / "s.sqlite3", work) == (2, ["new?"])


def test_taught_phrasings_are_kept_moved_and_undone(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"

    async def work(store: Store) -> tuple[list[tuple[str, str]], list[str], list[tuple[str, str]]]:
        await store.log_unanswered("Kitty?", lang="en", now=NOW, lesson_id="l")
        first = await store.learn("kitty?", lesson_id="l", entry_id="dog", lang="en", taught_by=5, now=NOW)
        moved = await store.learn("Kitty?", lesson_id="l", entry_id="cat", lang="en", taught_by=6, now=NOW)
        other = await store.learn("냥이?", lesson_id="l", entry_id="cat", lang="ko", taught_by=6, now=NOW)
        kept = [(t.qualified_id, t.question) for t in await store.learned()]
        left = [row.question for row in await store.top_unanswered()]
        assert first.id == moved.id  # the same question in the same lesson is one phrasing
        assert (await store.unlearn(other.id)) is not None
        assert (await store.unlearn(other.id)) is None
        return kept, left, [(t.qualified_id, t.question) for t in await store.learned()]

    kept, left, after = with_store(path, work)
    assert kept == [("l/cat", "Kitty?"), ("l/cat", "냥이?")]
    assert left == []  # taught questions leave the unanswered log
    assert after == [("l/cat", "Kitty?")]
    assert [(t.qualified_id, t.taught_by) for t in read_learned(path)] == [("l/cat", 6)]


def test_unanswered_questions_are_grouped_and_counted(tmp_path: Path) -> None:
    async def work(store: Store) -> list[tuple[str, int]]:
        for minute, question in enumerate(
            ["What is a pod?", "what  is a POD?", "helm?", "what is a pod?", "helm?", "x"]
        ):
            await store.log_unanswered(question, lang="en", now=NOW + timedelta(minutes=minute), channel_id=1)
        return [(row.question, row.count) for row in await store.top_unanswered(2)]

    assert with_store(tmp_path / "s.sqlite3", work) == [("what is a pod?", 3), ("helm?", 2)]
    assert question_key("  What   IS a Pod? ") == "what is a pod?"


def test_unanswered_questions_are_counted_per_lesson_and_filtered(tmp_path: Path) -> None:
    async def work(store: Store) -> tuple[list[tuple[str, int, str | None]], list[tuple[str, int, str | None]]]:
        asked = [("helm?", "day17-k8s"), ("Helm?", "day17-k8s"), ("helm?", "day16-containers"), ("pods?", None)]
        for minute, (question, lesson_id) in enumerate(asked):
            await store.log_unanswered(question, lang="en", now=NOW + timedelta(minutes=minute), lesson_id=lesson_id)
        every = [(row.question, row.count, row.lesson_id) for row in await store.top_unanswered(10)]
        one = [
            (row.question, row.count, row.lesson_id) for row in await store.top_unanswered(10, lesson_id="day17-k8s")
        ]
        return every, one

    every, one = with_store(tmp_path / "s.sqlite3", work)
    assert every == [("Helm?", 2, "day17-k8s"), ("pods?", 1, None), ("helm?", 1, "day16-containers")]
    assert one == [("Helm?", 2, "day17-k8s")]


# The first released schema (version 1), before unanswered questions recorded their lesson.
_SCHEMA_1 = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema', '1');
CREATE TABLE unanswered (
    id INTEGER PRIMARY KEY AUTOINCREMENT, asked_at TEXT NOT NULL, key TEXT NOT NULL,
    question TEXT NOT NULL, lang TEXT NOT NULL, channel_id INTEGER, user_id INTEGER
);
CREATE INDEX unanswered_key ON unanswered (key);
INSERT INTO unanswered (asked_at, key, question, lang) VALUES ('2025-03-03T00:00:00+00:00', 'pods?', 'Pods?', 'en');
"""


def test_a_schema_1_database_is_migrated_and_keeps_its_rows(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(_SCHEMA_1)
    db.close()

    async def work(store: Store) -> list[tuple[str, int, str | None]]:
        await store.log_unanswered("pods?", lang="en", now=NOW + timedelta(hours=1), lesson_id="day17-k8s")
        return [(row.question, row.count, row.lesson_id) for row in await store.top_unanswered()]

    assert with_store(path, work) == [("pods?", 1, "day17-k8s"), ("Pods?", 1, None)]
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() == ("3",)
    db.close()


# Schema 2 recorded the last posted recap day per channel, after sending.
_SCHEMA_2_RECAPS = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO meta VALUES ('schema', '2');
CREATE TABLE recap_posted (channel_id INTEGER PRIMARY KEY, day TEXT NOT NULL, posted_at TEXT NOT NULL);
INSERT INTO recap_posted VALUES (7, '2025-03-03', '2025-03-03T00:00:00+00:00');
"""


def test_a_schema_2_database_keeps_its_posted_recap_days_as_claims(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(_SCHEMA_2_RECAPS)
    db.close()

    async def work(store: Store) -> tuple[date | None, bool]:
        return await store.last_recap(7), await store.claim_recap(7, date(2025, 3, 3), lesson_id="l", now=NOW)

    assert with_store(path, work) == (date(2025, 3, 3), False)  # already posted that day: not again


def test_naive_timestamps_are_refused(tmp_path: Path) -> None:
    async def work(store: Store) -> None:
        await store.beat(datetime(2025, 3, 3))  # noqa: DTZ001 - the point of the test

    with pytest.raises(ValueError, match="timezone-aware"):
        with_store(tmp_path / "s.sqlite3", work)


def test_heartbeat_written_read_and_cleared(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"

    async def work(store: Store) -> tuple[datetime | None, datetime | None, datetime | None]:
        await store.beat(NOW)
        written = await store.heartbeat()
        from_outside = await asyncio.to_thread(read_heartbeat, path)  # while the bot holds the database
        await store.clear_heartbeat()
        return written, from_outside, await store.heartbeat()

    assert with_store(path, work) == (NOW, NOW, None)
    assert read_heartbeat(path) is None  # after a clean close, read-only access still works


def test_read_heartbeat_of_a_missing_or_foreign_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no state database"):
        read_heartbeat(tmp_path / "nope.sqlite3")
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).close()
    with pytest.raises(StoreError, match="not a lessonbot state database"):
        read_heartbeat(other)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: tmp / "missing" / "state.sqlite3", "does not exist"),
        (lambda tmp: tmp, "is a folder"),
    ],
    ids=["missing-folder", "a-folder"],
)
def test_unusable_paths_fail_clearly_at_open(tmp_path: Path, make: Callable[[Path], Path], message: str) -> None:
    with pytest.raises(StoreError, match=message) as caught:
        with_store(make(tmp_path), lambda store: store.last_recap(1))
    assert str(caught.value).startswith(str(make(tmp_path)))


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not SQLite\n" * 100, encoding="utf-8")
    with pytest.raises(StoreError, match="cannot use the database"):
        with_store(path, lambda store: store.last_recap(1))


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="needs POSIX permissions and a non-root user")
def test_a_read_only_database_fails_clearly(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with_store(path, lambda store: store.last_recap(1))
    path.chmod(0o444)
    with pytest.raises(StoreError, match="read-only"):
        with_store(path, lambda store: store.last_recap(1))


def test_a_read_only_folder_fails_clearly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Permission bits do not bind root, so simulate what os.access reports for a read-only folder.
    folder = tmp_path / "ro"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == folder else real_access(p, mode))
    with pytest.raises(StoreError, match="read-only"):
        with_store(folder / "state.sqlite3", lambda store: store.last_recap(1))


def test_using_a_closed_store_is_an_error(tmp_path: Path) -> None:
    async def main() -> None:
        store = Store(tmp_path / "s.sqlite3")
        await store.open()
        await store.close()
        await store.close()  # twice is fine
        with pytest.raises(StoreError, match="not open"):
            await store.last_recap(1)

    asyncio.run(main())
