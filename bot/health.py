"""`lessonbot health`: exit 0 only while a running bot's heartbeat is fresh. Never imports discord.

The bot writes a heartbeat to its SQLite state about every 30 seconds while its gateway connection
is up, and deletes it when it stops; a container health check runs this command against the same
config to learn whether the bot is connected.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime, timedelta
from typing import TextIO

from bot.config import load_config_or_report
from bot.exit_codes import ExitCode
from bot.store import StoreError, read_heartbeat

EXIT_HEALTHY, EXIT_UNHEALTHY, EXIT_USAGE = ExitCode.OK, ExitCode.NO, ExitCode.USAGE


def heartbeat_verdict(heartbeat: datetime | None, *, now: datetime, max_age: timedelta) -> tuple[bool, str]:
    """Return whether a heartbeat is fresh at `now`, and a one-line explanation."""
    if heartbeat is None:
        return False, "unhealthy: no heartbeat (the bot is not connected, or has stopped)"
    age = now - heartbeat
    if age < -timedelta(seconds=5):
        return False, f"unhealthy: the heartbeat is {-age.total_seconds():.0f} s in the future (clock skew?)"
    seconds = max(age.total_seconds(), 0.0)
    if age > max_age:
        return False, f"unhealthy: last heartbeat {seconds:.0f} s ago (limit {max_age.total_seconds():.0f} s)"
    return True, f"healthy: last heartbeat {seconds:.0f} s ago"


def check_health(
    config_path: str | os.PathLike[str],
    *,
    max_age: float = 90.0,
    out: TextIO,
    err: TextIO | None = None,
    now: datetime | None = None,
) -> int:
    """Print the bot's health to `out`; return 0 if healthy, 1 if not, 2 if the config is unusable."""
    errors = sys.stderr if err is None else err
    config = load_config_or_report(config_path, err=errors, environ={})
    if config is None:
        return EXIT_USAGE
    try:
        heartbeat = read_heartbeat(config.storage_path)
    except StoreError as exc:
        out.write(f"unhealthy: {exc}\n")
        return EXIT_UNHEALTHY
    healthy, message = heartbeat_verdict(
        heartbeat, now=now if now is not None else datetime.now(UTC), max_age=timedelta(seconds=max_age)
    )
    out.write(message + "\n")
    return EXIT_HEALTHY if healthy else EXIT_UNHEALTHY
