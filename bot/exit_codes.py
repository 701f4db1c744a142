"""The exit statuses of every `lessonbot` command: one table, documented in the README."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """What a `lessonbot` command's exit status means; the same for every command."""

    # The command did what was asked: answered or suggested, the files are valid, the bot is healthy.
    OK = 0
    # The command ran and the answer is "no": the lesson doesn't cover the question, `check` found
    # problems, the heartbeat is stale, `eval` is below its floor, `import` would overwrite hand-written
    # work without --force, the Discord connection failed or timed out.
    NO = 1
    # Nothing was done because an input is unusable: a flag, a question, a lesson or config file,
    # the token, a path to write. One line on stderr says what and where.
    USAGE = 2
    # Interrupted by Ctrl-C (128 + SIGINT, as shells report it).
    INTERRUPTED = 130
