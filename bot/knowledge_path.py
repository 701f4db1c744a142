"""Which lessons a command serves: one rule for `ask`, `chat`, `check --config`, `run` and the rest.

Precedence, highest first: the `--knowledge` flag, the `LESSONBOT_KNOWLEDGE` environment variable,
the config file's `knowledge` key (for commands that read one), the lessons bundled with lessonbot.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

ENVIRONMENT_VARIABLE = "LESSONBOT_KNOWLEDGE"


def resolve_knowledge_path(*, flag: str | None, environ: Mapping[str, str], configured: Path | None = None) -> Path:
    """Return the lesson file or folder to load, by the precedence above."""
    if flag:
        return Path(flag)
    chosen = environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if chosen:
        return Path(chosen)
    if configured is not None:
        return configured
    # Imported here: the knowledge module is heavy and some callers only need a path.
    from bot.knowledge import default_knowledge_path

    return default_knowledge_path()
