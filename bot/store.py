"""The bot's state in SQLite: recap claims, feedback, questions asked and unanswered, taught phrasings
and the heartbeat.

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
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path
from typing import IO, Literal, TypeVar

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")
Outcome = Literal["answered", "suggested", "declined"]

SCHEMA_VERSION = 3

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS recap_claims (
    channel_id INTEGER NOT NULL,
    day TEXT NOT NULL,
    lesson_id TEXT,
    claimed_at TEXT NOT NULL,
    PRIMARY KEY (channel_id, day)
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
CREATE TABLE IF NOT EXISTS asked (
    asked_at TEXT NOT NULL,
    lesson_id TEXT,
    outcome TEXT NOT NULL,
    qualified_id TEXT,
    source_id INTEGER,
    question TEXT
);
CREATE INDEX IF NOT EXISTS asked_source ON asked (source_id);
CREATE INDEX IF NOT EXISTS asked_at ON asked (asked_at);
CREATE TABLE IF NOT EXISTS learned (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lesson_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    question TEXT NOT NULL,
    key TEXT NOT NULL,
    lang TEXT NOT NULL,
    taught_by INTEGER NOT NULL,
    taught_at TEXT NOT NULL,
    UNIQUE (lesson_id, key)
);
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
    key: str = ""
    newest_id: int = 0  # the row of the newest asking (the wording shown)


@dataclass(frozen=True)
class FeedbackCount:
    """Votes on one answer."""

    qualified_id: str
    helpful: int
    unhelpful: int


@dataclass(frozen=True)
class DayCount:
    """Questions asked on one local day, by outcome."""

    day: date
    answered: int
    suggested: int
    declined: int

    @property
    def total(self) -> int:
        """Return every question of the day."""
        return self.answered + self.suggested + self.declined


@dataclass(frozen=True)
class Stats:
    """What /stats reports for a period."""

    days: tuple[DayCount, ...]
    top_unanswered: tuple[UnansweredCount, ...]
    votes: tuple[FeedbackCount, ...]


@dataclass(frozen=True)
class Learned:
    """A phrasing a moderator taught: `question` should have matched `lesson_id/entry_id`."""

    id: int
    lesson_id: str
    entry_id: str
    question: str
    lang: str
    taught_by: int
    taught_at: datetime

    @property
    def qualified_id(self) -> str:
        """Return `lesson/entry`."""
        return f"{self.lesson_id}/{self.entry_id}"


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
    # Covering index: /unanswered groups by (lesson, key) without reading the table (500k rows: ~0.2 s).
    connection.execute("DROP INDEX IF EXISTS unanswered_lesson_key")
    connection.execute("CREATE INDEX IF NOT EXISTS unanswered_grouped ON unanswered (lesson_id, key, asked_at, id)")
    connection.execute("CREATE INDEX IF NOT EXISTS unanswered_asked_at ON unanswered (asked_at)")
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "recap_posted" in tables:  # schema 2: the last posted day per channel, recorded after sending
        connection.execute(
            "INSERT OR IGNORE INTO recap_claims (channel_id, day, lesson_id, claimed_at) "
            "SELECT channel_id, day, NULL, posted_at FROM recap_posted"
        )
        connection.execute("DROP TABLE recap_posted")


class StateLocked(StoreError):
    """Another lessonbot process is using the same state database."""


def _lock(path: Path) -> IO[bytes] | None:
    """Take an exclusive lock beside the database, so two bots on one state refuse rather than both
    posting the recap. The lock is a separate file: SQLite's own (fcntl) locks on the database stay
    untouched, also on file systems that emulate flock with fcntl."""
    if fcntl is None:  # pragma: no cover - Windows: no second-process guard
        return None
    lock_path = path.with_name(path.name + ".lock")
    try:
        handle = open(lock_path, "a+b")  # noqa: SIM115 - held open for the store's lifetime
    except OSError as exc:
        raise StoreError(f"{lock_path}: cannot create the lock file: {exc.strerror}") from None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise StateLocked(
            f"{path}: another lessonbot is already running with this state database (storage.path)"
        ) from None
    return handle


class Store:
    """Async access to the state database; `open` before use, `close` to flush."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._executor: ThreadPoolExecutor | None = None
        self._connection: sqlite3.Connection | None = None
        self._lock: IO[bytes] | None = None

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

        def opening() -> sqlite3.Connection:
            connection = _connect(self.path)
            try:
                self._lock = _lock(self.path)
            except StoreError:
                connection.close()
                raise
            return connection

        try:
            self._connection = await self._submit(opening)
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

        lock, self._lock = self._lock, None

        def finish() -> None:
            try:
                if connection is not None:
                    try:
                        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    finally:
                        connection.close()
            finally:
                if lock is not None:
                    lock.close()  # closing the file releases the lock

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
        """Return the latest local date whose recap was claimed in `channel_id`, if any."""

        def work(db: sqlite3.Connection) -> date | None:
            row = db.execute("SELECT MAX(day) FROM recap_claims WHERE channel_id = ?", (channel_id,)).fetchone()
            return date.fromisoformat(row[0]) if row and row[0] else None

        return await self._run(work)

    async def claim_recap(self, channel_id: int, day: date, *, lesson_id: str | None, now: datetime) -> bool:
        """Claim the recap of local date `day` in `channel_id`; return False if it was claimed already.

        One conditional insert, taken *before* sending: two passes (or a manual /recap and the
        schedule) can never both win, and a crash after sending cannot lead to a second post.
        """
        at = _aware(now)

        def work(db: sqlite3.Connection) -> bool:
            cursor = db.execute(
                "INSERT OR IGNORE INTO recap_claims (channel_id, day, lesson_id, claimed_at) VALUES (?, ?, ?, ?)",
                (channel_id, day.isoformat(), lesson_id, at),
            )
            return cursor.rowcount == 1

        return await self._run(work)

    async def release_recap(self, channel_id: int, day: date) -> None:
        """Give a claim back after the post failed, so a later pass within the grace window retries."""

        def work(db: sqlite3.Connection) -> None:
            db.execute("DELETE FROM recap_claims WHERE channel_id = ? AND day = ?", (channel_id, day.isoformat()))

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

    # --- questions asked (for /stats; no text, no user) -----------------------------------------

    async def log_asked(
        self,
        outcome: Outcome,
        *,
        now: datetime,
        lesson_id: str | None,
        qualified_id: str | None = None,
        source_id: int | None = None,
        question: str | None = None,
    ) -> None:
        """Count one question: answered (with the entry), suggested or declined, about `lesson_id`.

        `source_id` (the interaction or message the reply answers) and the question's text let a
        moderator's 👎 on that reply teach the question to another entry.
        """
        at = _aware(now)

        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO asked (asked_at, lesson_id, outcome, qualified_id, source_id, question) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (at, lesson_id, outcome, qualified_id, source_id, question),
            )

        await self._run(work)

    async def asked_question(self, source_id: int) -> tuple[str, str | None] | None:
        """Return the question (and its lesson) that the reply to interaction or message `source_id`
        answered, if it is still kept."""

        def work(db: sqlite3.Connection) -> tuple[str, str | None] | None:
            row = db.execute(
                "SELECT question, lesson_id FROM asked WHERE source_id = ? AND question IS NOT NULL", (source_id,)
            ).fetchone()
            return None if row is None else (str(row[0]), None if row[1] is None else str(row[1]))

        return await self._run(work)

    async def stats(self, *, since: datetime, until: datetime, tz: tzinfo, lesson_id: str | None = None) -> Stats:
        """Return what /stats shows for questions asked after `since` up to `until`: per local day and outcome,
        the top unanswered questions and the votes per entry (votes cast in the period)."""
        low, high = _aware(since), _aware(until)

        def work(db: sqlite3.Connection) -> Stats:
            per_day: dict[date, dict[str, int]] = {}
            rows = db.execute(
                "SELECT asked_at, outcome FROM asked WHERE asked_at > ? AND asked_at <= ? "
                "AND (? IS NULL OR lesson_id = ?)",
                (low, high, lesson_id, lesson_id),
            )
            for at, outcome in rows:
                day = datetime.fromisoformat(at).astimezone(tz).date()
                counts = per_day.setdefault(day, {"answered": 0, "suggested": 0, "declined": 0})
                counts[outcome] = counts.get(outcome, 0) + 1
            votes = db.execute(
                "SELECT qualified_id, SUM(helpful), SUM(1 - helpful) FROM feedback WHERE at > ? AND at <= ? "
                "AND (? IS NULL OR qualified_id LIKE ? || '/%') GROUP BY qualified_id "
                "ORDER BY SUM(1 - helpful) DESC, SUM(helpful) DESC, qualified_id",
                (low, high, lesson_id, lesson_id),
            ).fetchall()
            days = tuple(
                DayCount(day, c["answered"], c["suggested"], c["declined"]) for day, c in sorted(per_day.items())
            )
            return Stats(
                days=days,
                top_unanswered=tuple(_top_unanswered(db, 5, lesson_id=lesson_id, since=low, until=high)),
                votes=tuple(FeedbackCount(str(q), int(up), int(down)) for q, up, down in votes),
            )

        return await self._run(work)

    # --- retention ---------------------------------------------------------------------------

    async def purge(self, older_than: datetime) -> int:
        """Delete unanswered questions (text, user), question counts and votes from before `older_than`;
        return the rows deleted."""
        cutoff = _aware(older_than)

        def work(db: sqlite3.Connection) -> int:
            deleted = 0
            for table, column in (("unanswered", "asked_at"), ("asked", "asked_at"), ("feedback", "at")):
                deleted += db.execute(f"DELETE FROM {table} WHERE {column} < ?", (cutoff,)).rowcount  # noqa: S608
            return deleted

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
        return await self._run(lambda db: _top_unanswered(db, limit, lesson_id=lesson_id))

    async def unanswered_row(self, row_id: int) -> UnansweredCount | None:
        """Return the logged question of row `row_id` with its group's count, if it is still kept."""

        def work(db: sqlite3.Connection) -> UnansweredCount | None:
            row = db.execute("SELECT question, key, lesson_id FROM unanswered WHERE id = ?", (row_id,)).fetchone()
            if row is None:
                return None
            question, key, lesson_id = row
            count, last = db.execute(
                "SELECT COUNT(*), MAX(asked_at) FROM unanswered WHERE key = ? AND lesson_id IS ?", (key, lesson_id)
            ).fetchone()
            lid = None if lesson_id is None else str(lesson_id)
            return UnansweredCount(str(question), int(count), datetime.fromisoformat(str(last)), lid, str(key), row_id)

        return await self._run(work)

    async def dismiss_unanswered(self, key: str, lesson_id: str | None) -> int:
        """Forget every logged asking of the question with grouping `key` about `lesson_id`."""

        def work(db: sqlite3.Connection) -> int:
            return db.execute("DELETE FROM unanswered WHERE key = ? AND lesson_id IS ?", (key, lesson_id)).rowcount

        return await self._run(work)

    # --- learned phrasings -------------------------------------------------------------------

    async def learn(
        self, question: str, *, lesson_id: str, entry_id: str, lang: str, taught_by: int, now: datetime
    ) -> Learned:
        """Record `question` as a phrasing of `lesson_id/entry_id` (a second teaching of the same
        question in the lesson moves it), and drop it from the unanswered log."""
        at = _aware(now)
        key = question_key(question)

        def work(db: sqlite3.Connection) -> Learned:
            db.execute("BEGIN IMMEDIATE")
            try:
                row = db.execute(
                    "INSERT INTO learned (lesson_id, entry_id, question, key, lang, taught_by, taught_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(lesson_id, key) DO UPDATE SET "
                    "entry_id = excluded.entry_id, question = excluded.question, lang = excluded.lang, "
                    "taught_by = excluded.taught_by, taught_at = excluded.taught_at RETURNING id",
                    (lesson_id, entry_id, question, key, lang, taught_by, at),
                ).fetchone()
                db.execute(
                    "DELETE FROM unanswered WHERE key = ? AND (lesson_id IS ? OR lesson_id IS NULL)", (key, lesson_id)
                )
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            return Learned(int(row[0]), lesson_id, entry_id, question, lang, taught_by, datetime.fromisoformat(at))

        return await self._run(work)

    async def unlearn(self, learned_id: int) -> Learned | None:
        """Undo one taught phrasing; return it, or None if it was already gone."""

        def work(db: sqlite3.Connection) -> Learned | None:
            row = db.execute(
                "DELETE FROM learned WHERE id = ? "
                "RETURNING id, lesson_id, entry_id, question, lang, taught_by, taught_at",
                (learned_id,),
            ).fetchone()
            return _learned(row) if row else None

        return await self._run(work)

    async def learned(self) -> list[Learned]:
        """Return every taught phrasing, oldest first."""
        return await self._run(_all_learned)

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


def _top_unanswered(
    db: sqlite3.Connection,
    limit: int,
    *,
    lesson_id: str | None,
    since: str | None = None,
    until: str | None = None,
) -> list[UnansweredCount]:
    # Group on the covering index, then read the newest wording of only the rows shown.
    groups = db.execute(
        "SELECT lesson_id, key, COUNT(*), MAX(asked_at), MAX(id) FROM unanswered "
        "WHERE (? IS NULL OR lesson_id = ?) AND (? IS NULL OR asked_at > ?) AND (? IS NULL OR asked_at <= ?) "
        "GROUP BY lesson_id, key ORDER BY COUNT(*) DESC, MAX(asked_at) DESC, key, lesson_id LIMIT ?",
        (lesson_id, lesson_id, since, since, until, until, limit),
    ).fetchall()
    found: list[UnansweredCount] = []
    for lid, key, count, last, newest in groups:
        (question,) = db.execute("SELECT question FROM unanswered WHERE id = ?", (newest,)).fetchone()
        found.append(
            UnansweredCount(
                str(question),
                int(count),
                datetime.fromisoformat(str(last)),
                None if lid is None else str(lid),
                str(key),
                int(newest),
            )
        )
    return found


def _learned(row: tuple[object, ...]) -> Learned:
    id_, lesson_id, entry_id, question, lang, taught_by, at = row
    return Learned(
        int(str(id_)), str(lesson_id), str(entry_id), str(question), str(lang), int(str(taught_by)),
        datetime.fromisoformat(str(at)),
    )  # fmt: skip


def _all_learned(db: sqlite3.Connection) -> list[Learned]:
    rows = db.execute(
        "SELECT id, lesson_id, entry_id, question, lang, taught_by, taught_at FROM learned ORDER BY id"
    ).fetchall()
    return [_learned(row) for row in rows]


def _read_only(
    path: str | os.PathLike[str], read: Callable[[sqlite3.Connection], T], *, missing: str, unread: str
) -> T:
    """Run `read` on the database at `path` opened read-only (a command beside a running bot must not
    write or lock it); StoreError says `missing` or `unread` (with SQLite's reason) when it cannot."""
    target = Path(path)
    if not target.is_file():
        raise StoreError(f"{target}: {missing}")
    try:
        connection = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True, timeout=5.0)
    except sqlite3.Error as exc:
        raise StoreError(f"{target}: cannot open the database: {exc}") from None
    try:
        return read(connection)
    except sqlite3.Error as exc:
        raise StoreError(f"{target}: {unread}: {exc}") from None
    finally:
        connection.close()


def read_learned(path: str | os.PathLike[str]) -> list[Learned]:
    """Return the taught phrasings in the database at `path`, read-only (for `lessonbot learned export`).

    Raises StoreError if the file is missing or is not a lessonbot database.
    """
    return _read_only(
        path, _all_learned, missing="no state database (storage.path)", unread="no taught phrasings in this database"
    )


def read_heartbeat(path: str | os.PathLike[str]) -> datetime | None:
    """Return the heartbeat in the database at `path` without writing anything (for `lessonbot health`).

    Raises StoreError if the file is missing or is not a lessonbot database.
    """
    row = _read_only(
        path,
        lambda db: db.execute("SELECT at FROM heartbeat WHERE id = 1").fetchone(),
        missing="no state database (is the bot running with this config?)",
        unread="not a lessonbot state database",
    )
    return datetime.fromisoformat(row[0]) if row else None
