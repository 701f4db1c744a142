"""A disk cache of plain data (JSON), for work that is slow to redo and a pure function of file contents.

Each entry is one JSON file holding a header and the data. It is used only when the header names the
same cache format, kind, code version and content key the caller asks for; anything else — another
version of lessonbot, edited files, a truncated or corrupted file, one that is not JSON — is a miss,
and the caller rebuilds and overwrites it. Nothing but JSON is ever read (no pickle, no marshal:
a cache file can at worst be wrong data, which the header check and the caller's rebuild absorb).

Writes go to a temporary file in the same folder, then `os.replace`, so a reader sees the old entry
or the new one, never half of one. Every I/O failure (read-only home, full disk, no HOME) just
means no caching: the cache is an optimisation, and deleting its folder is always safe.

Location: `$XDG_CACHE_HOME/lessonbot`, else `~/.cache/lessonbot`; `LESSONBOT_CACHE=off` disables it.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import IO, Any, Final

try:
    # BLAKE2 from its own small module: `hashlib` loads OpenSSL, about 4 MB of memory for every
    # `lessonbot ask`, for a hash Python has built in anyway.
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

# Bump when the header or the way entries are named changes.
CACHE_FORMAT: Final = 1
CACHE_ENV: Final = "LESSONBOT_CACHE"
# Entries of one kind kept at most: every edit of a lesson leaves its old entry behind, so after a
# write the oldest beyond this are removed (300 lessons edited a few times each fit easily).
MAX_ENTRIES: Final = 2_000


def content_key(data: bytes) -> str:
    """Return the key of some content: its BLAKE2b-256 hash."""
    return blake2b(data, digest_size=32).hexdigest()


def code_version(*modules: ModuleType) -> str:
    """Return a hash of the source of `modules`: any change to the code that made an entry invalidates it."""
    digest = blake2b(f"lessonbot-cache-{CACHE_FORMAT}".encode(), digest_size=32)
    for module in modules:
        source = module.__file__
        if source is None:  # pragma: no cover - frozen or built-in modules have no source to hash
            digest.update(module.__name__.encode())
            continue
        digest.update(Path(source).read_bytes())
    return digest.hexdigest()


def user_cache_dir(environ: Mapping[str, str]) -> Path | None:
    """Return lessonbot's folder in the user's cache dir, or None when caching is off or there is no home."""
    if environ.get(CACHE_ENV, "").strip().lower() in {"0", "off", "no", "false"}:
        return None
    xdg = environ.get("XDG_CACHE_HOME", "")
    # The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "lessonbot"
    home = environ.get("HOME", "")
    if not home or not os.path.isabs(home):
        return None
    return Path(home) / ".cache" / "lessonbot"


class PlainCache:
    """JSON entries of one kind ("lesson"), made by one version of the code, looked up by content key."""

    def __init__(self, folder: Path, *, kind: str, code: str) -> None:
        self.folder = folder
        self.kind = kind
        self.code = code

    def _file(self, key: str) -> Path:
        # One file per (code, content): two versions of lessonbot side by side do not overwrite each other.
        name = blake2b(f"{self.code}\0{key}".encode(), digest_size=20).hexdigest()
        return self.folder / f"{self.kind}-{name}.json"

    def _header(self, key: str) -> dict[str, Any]:
        return {"lessonbot_cache": CACHE_FORMAT, "kind": self.kind, "code": self.code, "key": key}

    def get(self, key: str) -> Any | None:
        """Return the data stored for `key` by this code version, or None (absent, stale or corrupted)."""
        try:
            with self._file(key).open("rb") as handle:
                entry = json.load(handle)
        except (OSError, ValueError):  # absent, unreadable, not JSON, not UTF-8
            return None
        if not isinstance(entry, dict) or entry.get("header") != self._header(key) or "data" not in entry:
            return None
        return entry["data"]

    def put(self, key: str, data: Any) -> None:
        """Store `data` (JSON-able plain values) for `key`, atomically; give up quietly on any I/O failure.

        A top-level value of a dict `data` may be an iterator: it is written as a list, item by item, so
        a large list is never held whole as plain values (an error it raises is a failure like any other).
        """
        target = self._file(key)
        # Unique per process and write; O_EXCL: never write into a file someone else made.
        temporary = target.with_name(f".{target.name}.{os.getpid()}.{id(data):x}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError:
            return
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(f'{{"header":{_json(self._header(key))},"data":')
                _write_streamed(out, data)
                out.write("}")
            os.replace(temporary, target)
        except (OSError, ValueError, TypeError):  # also: text JSON cannot hold (a lone surrogate from "\ud800")
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            return
        self._prune()

    def _prune(self) -> None:
        """Remove the oldest entries beyond MAX_ENTRIES (only after a write: a miss, rare by design)."""
        try:
            entries = [(entry.stat().st_mtime, entry) for entry in self.folder.glob(f"{self.kind}-*.json")]
        except OSError:
            return
        if len(entries) <= MAX_ENTRIES:
            return
        entries.sort()
        for _, entry in entries[: len(entries) - MAX_ENTRIES]:
            with contextlib.suppress(OSError):
                entry.unlink()


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _write_streamed(out: IO[str], data: Any) -> None:
    """Write `data` as JSON, a top-level iterator of a dict `data` as a list written item by item."""
    if not isinstance(data, dict) or not any(isinstance(value, Iterator) for value in data.values()):
        out.write(_json(data))
        return
    out.write("{")
    for number, (name, value) in enumerate(data.items()):
        out.write(f"{',' if number else ''}{_json(name)}:")
        if not isinstance(value, Iterator):
            out.write(_json(value))
            continue
        out.write("[")
        for index, item in enumerate(value):
            out.write(f"{',' if index else ''}{_json(item)}")
        out.write("]")
    out.write("}")
