"""Which lessons a command serves: one rule for `ask`, `chat`, `check --config`, `run` and the rest.

Precedence, highest first: the `--knowledge` flag, the `LESSONBOT_KNOWLEDGE` environment variable,
the config file's `knowledge` key (for commands that read one), the lessons bundled with lessonbot.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ENVIRONMENT_VARIABLE = "LESSONBOT_KNOWLEDGE"
BUNDLED = "the bundled lessons"


@dataclass(frozen=True)
class KnowledgeChoice:
    """The lesson file or folder to load, and what chose it (for messages: "set by …")."""

    path: Path
    origin: str


def resolve_knowledge(
    *, flag: str | None, environ: Mapping[str, str], configured: Path | None = None
) -> KnowledgeChoice:
    """Return the lessons to load by the precedence above, with what chose them."""
    if flag:
        return KnowledgeChoice(Path(flag), "--knowledge")
    chosen = environ.get(ENVIRONMENT_VARIABLE, "").strip()
    if chosen:
        return KnowledgeChoice(Path(chosen), ENVIRONMENT_VARIABLE)
    if configured is not None:
        return KnowledgeChoice(configured, "the config's `knowledge`")
    # Imported here: the knowledge module is heavy and some callers only need a path.
    from bot.knowledge import default_knowledge_path

    return KnowledgeChoice(default_knowledge_path(), BUNDLED)


def resolve_knowledge_path(*, flag: str | None, environ: Mapping[str, str], configured: Path | None = None) -> Path:
    """Return the lesson file or folder to load, by the precedence above."""
    return resolve_knowledge(flag=flag, environ=environ, configured=configured).path
