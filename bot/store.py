"""The bot's state in SQLite: recap days, feedback, unanswered questions and the heartbeat.

Every call runs on one worker thread that owns the connection, so the event loop never waits on
the disk and SQLite never sees two threads. WAL mode keeps `lessonbot health` (a separate process
reading the heartbeat) from blocking the bot. Timestamps are stored as aware ISO-8601 UTC text.
Never imports discord: `bot.health` reads the heartbeat through `read_heartbeat`.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

SCHEMA_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recap_posted (
    channel_id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    posted_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
    qualified_id TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    helpful INTEGER NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (qualified_id, user_id)
);
CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    asked_at TEXT NOT NULL,
    key TEXT NOT NULL,
    question TEXT NOT NULL,
    lang TEXT NOT NULL,
    channel_id INTEGER,
    user_id INTEGER,
    lesson_id TEXT
);
CREATE INDEX IF NOT EXISTS unanswered_key ON unanswered (key);
CREATE TABLE IF NOT EXISTS heartbeat (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at TEXT NOT NULL,
    pid INTEGER NOT NULL
);
"""


class StoreError(Exception):
    """The state database cannot be used (missing folder, read-only, not a database...)."""


@dataclass(frozen=True)
class UnansweredCount:
    """A question nobody could answer, how often it was asked about one lesson, and when last.

    `lesson_id` is the lesson it was asked about (the channel's, else the lesson of the day); None
    for questions logged before lessons were recorded.
    """

    question: str
    count: int
    last_asked: datetime
    lesson_id: str | None = None


@dataclass(frozen=True)
class FeedbackCount:
    """Votes on one answer."""

    helpful: int
    unhelpful: int


def _aware(now: datetime) -> str:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("timestamps must be timezone-aware")
    return now.astimezone(UTC).isoformat()


def question_key(question: str) -> str:
    """Return the grouping key of a question: case-folded, whitespace collapsed."""
    return " ".join(question.casefold().split())


def _connect(path: Path) -> sqlite3.Connection:
    folder = path.parent
    if not folder.is_dir():
        raise StoreError(f"{path}: the folder {folder} does not exist (storage.path)")
    if path.is_dir():
        raise StoreError(f"{path}: is a folder, not a database file (storage.path)")
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(f"{path}: the database file is read-only (storage.path)")
    if not os.access(folder, os.W_OK):
        raise StoreError(f"{path}: the folder {folder} is read-only; SQLite needs to write its journal there")
    try:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the database: {exc}") from None
    try:
        mode = connection.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"{path}: cannot switch the database to WAL mode (got {mode})")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.executescript(_SCHEMA)
        _migrate(connection)
        connection.execute(
            "INSERT INTO meta (key, value) VALUES ('schema', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (str(SCHEMA_VERSION),),
        )
    except sqlite3.Error as exc:
        connection.close()
        raise StoreError(f"{path}: cannot use the database: {exc}") from None
    except StoreError:
        connection.close()
        raise
    return connection


def _migrate(connection: sqlite3.Connection) -> None:
    """Bring a database written by an older lessonbot up to SCHEMA_VERSION (columns are only added)."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(unanswered)")}
    if "lesson_id" not in columns:  # schema 1: unanswered questions without their lesson
        connection.execute("ALTER TABLE unanswered ADD COLUMN lesson_id TEXT")
    connection.execute("CREATE INDEX IF NOT EXISTS unanswered_lesson_key ON unanswered (lesson_id, key)")


class Store:
    """Async access to the state database; `open` before use, `close` to flush."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._executor: ThreadPoolExecutor | None = None
        self._connection: sqlite3.Connection | None = None

    async def __aenter__(self) -> Store:
        await self.open()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def open(self) -> None:
        """Open (creating if needed) the database; raise StoreError with a clear reason."""
        if self._executor is not None:
            return
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lessonbot-db")
        try:
            self._connection = await self._submit(lambda: _connect(self.path))
        except BaseException:
            self._executor.shutdown(wait=True)
            self._executor = None
            raise

    async def close(self) -> None:
        """Checkpoint the WAL into the database file and close; safe to call twice."""
        executor = self._executor
        if executor is None:
            return
        connection = self._connection

        def finish() -> None:
            if connection is not None:
                try:
                    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                finally:
                    connection.close()

        try:
            await self._submit(finish)
        finally:
            self._connection = None
            self._executor = None
            executor.shutdown(wait=True)

    async def _submit(self, work: Callable[[], T]) -> T:
        if self._executor is None:
            raise StoreError(f"{self.path}: the store is not open")
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        def call() -> T:
            if self._connection is None:
                raise StoreError(f"{self.path}: the store is not open")
            return work(self._connection)

        return await self._submit(call)

    # --- recap -------------------------------------------------------------------------------

    async def last_recap(self, channel_id: int) -> date | None:
        """Return the local date of the last recap posted in `channel_id`, if any."""

        def work(db: sqlite3.Connection) -> date | None:
            row = db.execute("SELECT day FROM recap_posted WHERE channel_id = ?", (channel_id,)).fetchone()
            return date.fromisoformat(row[0]) if row else None

        return await self._run(work)

    async def mark_recap(self, channel_id: int, day: date, *, now: datetime) -> None:
        """Record that the recap for local date `day` was posted in `channel_id`."""
        at = _aware(now)

        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO recap_posted (channel_id, day, posted_at) VALUES (?, ?, ?) "
                "ON CONFLICT(channel_id) DO UPDATE SET day = excluded.day, posted_at = excluded.posted_at",
                (channel_id, day.isoformat(), at),
            )

        await self._run(work)

    # --- feedback ----------------------------------------------------------------------------

    async def record_feedback(self, qualified_id: str, user_id: int, *, helpful: bool, now: datetime) -> None:
        """Store one user's vote on an answer (a second vote replaces the first)."""
        at = _aware(now)

        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO feedback (qualified_id, user_id, helpful, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT(qualified_id, user_id) "
                "DO UPDATE SET helpful = excluded.helpful, at = excluded.at",
                (qualified_id, user_id, int(helpful), at),
            )

        await self._run(work)

    async def feedback(self, qualified_id: str) -> FeedbackCount:
        """Return the votes on one answer."""

        def work(db: sqlite3.Connection) -> FeedbackCount:
            row = db.execute(
                "SELECT COALESCE(SUM(helpful), 0), COALESCE(SUM(1 - helpful), 0) FROM feedback WHERE qualified_id = ?",
                (qualified_id,),
            ).fetchone()
            return FeedbackCount(int(row[0]), int(row[1]))

        return await self._run(work)

    # --- unanswered --------------------------------------------------------------------------

    async def log_unanswered(
        self,
        question: str,
        *,
        lang: str,
        now: datetime,
        channel_id: int | None = None,
        user_id: int | None = None,
        lesson_id: str | None = None,
    ) -> None:
        """Log a question the lessons did not answer, with the lesson it was asked about (if any)."""
        at = _aware(now)
        key = question_key(question)

        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO unanswered (asked_at, key, question, lang, channel_id, user_id, lesson_id) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (at, key, question, lang, channel_id, user_id, lesson_id),
            )

        await self._run(work)

    async def top_unanswered(self, limit: int = 10, *, lesson_id: str | None = None) -> list[UnansweredCount]:
        """Return the most frequently unanswered questions per lesson, most frequent (then most recent)
        first; only those asked about `lesson_id` when it is given."""

        def work(db: sqlite3.Connection) -> list[UnansweredCount]:
            rows = db.execute(
                "SELECT (SELECT question FROM unanswered AS u2 WHERE u2.key = u.key AND u2.lesson_id IS u.lesson_id "
                "ORDER BY u2.id DESC LIMIT 1), "
                "COUNT(*), MAX(asked_at), lesson_id FROM unanswered AS u "
                "WHERE ? IS NULL OR lesson_id = ? GROUP BY lesson_id, key "
                "ORDER BY COUNT(*) DESC, MAX(asked_at) DESC, key, lesson_id LIMIT ?",
                (lesson_id, lesson_id, limit),
            ).fetchall()
            return [
                UnansweredCount(str(q), int(n), datetime.fromisoformat(str(at)), None if lid is None else str(lid))
                for q, n, at, lid in rows
            ]

        return await self._run(work)

    # --- heartbeat ---------------------------------------------------------------------------

    async def beat(self, now: datetime) -> None:
        """Record that the bot is alive and connected at `now`."""
        at = _aware(now)
        pid = os.getpid()

        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO heartbeat (id, at, pid) VALUES (1, ?, ?) "
                "ON CONFLICT(id) DO UPDATE SET at = excluded.at, pid = excluded.pid",
                (at, pid),
            )

        await self._run(work)

    async def clear_heartbeat(self) -> None:
        """Forget the heartbeat: the bot is stopping or disconnected."""

        def work(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM heartbeat")

        await self._run(work)

    async def heartbeat(self) -> datetime | None:
        """Return the last heartbeat written, if any."""

        def work(db: sqlite3.Connection) -> datetime | None:
            row = db.execute("SELECT at FROM heartbeat WHERE id = 1").fetchone()
            return datetime.fromisoformat(row[0]) if row else None

        return await self._run(work)


def read_heartbeat(path: str | os.PathLike[str]) -> datetime | None:
    """Return the heartbeat in the database at `path` without writing anything (for `lessonbot health`).

    Raises StoreError if the file is missing or is not a lessonbot database.
    """
    target = Path(path)
    if not target.is_file():
        raise StoreError(f"{target}: no state database (is the bot running with this config?)")
    try:
        connection = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise StoreError(f"{target}: cannot open the database: {exc}") from None
    try:
        row = connection.execute("SELECT at FROM heartbeat WHERE id = 1").fetchone()
    except sqlite3.Error as exc:
        raise StoreError(f"{target}: not a lessonbot state database: {exc}") from None
    finally:
        connection.close()
    return datetime.fromisoformat(row[0]) if row else None
