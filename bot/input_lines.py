"""Questions read line by line from a byte stream (`ask --json -`, piped `chat`), within limits.

Bytes, not text: one invalid UTF-8 byte must damage one line, not end the run. Each line is read
up to a cap and the rest of an overlong line is skipped in bounded chunks, so `< /dev/zero` never
grows memory. Every input line yields exactly one `InputLine`, in order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

# Discord's own cap on a message; a real question is far shorter.
MAX_QUESTION_CHARS = 4000
# Enough bytes for MAX_QUESTION_CHARS characters of any script in UTF-8, plus the line break.
_MAX_LINE_BYTES = MAX_QUESTION_CHARS * 4 + 2
_SKIP_CHUNK = 64 * 1024


@dataclass(frozen=True)
class InputLine:
    """One input line: its number (from 1), its text, and what was wrong with it (None: nothing)."""

    number: int
    text: str
    problem: str | None = None
    too_long: bool = False


def question_problem(question: str) -> str | None:
    """Return why `question` cannot be asked (empty, or over the cap), None when it can."""
    if not question.strip():
        return "the question is empty"
    if len(question) > MAX_QUESTION_CHARS:
        return f"the question is {len(question):,} characters long; the limit is {MAX_QUESTION_CHARS:,}"
    return None


def read_lines(stream: IO[bytes]) -> Iterator[InputLine]:
    """Yield each line of `stream`, decoded with invalid UTF-8 replaced (U+FFFD) and capped in length."""
    number = 0
    while True:
        raw = stream.readline(_MAX_LINE_BYTES)
        if not raw:
            return
        number += 1
        too_long = not raw.endswith(b"\n") and len(raw) >= _MAX_LINE_BYTES
        skipped = 0
        while too_long:
            # Skip the rest of the line without holding it: a line without end costs time, not memory.
            rest = stream.readline(_SKIP_CHUNK)
            skipped += len(rest.removesuffix(b"\n"))
            if not rest or rest.endswith(b"\n"):
                break
        body = raw.rstrip(b"\n").removesuffix(b"\r")
        problems: list[str] = []
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            text = body.decode("utf-8", errors="replace")
            if not too_long:  # a cut line may end inside a character: that is not the input's fault
                problems.append("invalid UTF-8 replaced with U+FFFD")
        if too_long or len(text) > MAX_QUESTION_CHARS:
            size = f"{len(raw) + skipped:,} bytes" if too_long else f"{len(text):,} characters"
            problems.append(f"{size}, over the {MAX_QUESTION_CHARS:,}-character limit: not asked")
            text = text[:MAX_QUESTION_CHARS]
            too_long = True
        yield InputLine(number, text, "; ".join(problems) or None, too_long)
