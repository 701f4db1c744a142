"""Small text helpers shared by the importer's steps: spaces squashed, quotes and emoji stripped,
bracketed parts split off, and compact keys for comparing phrases.
"""

from __future__ import annotations

import re

_QUOTES = "“”‘’\"'「」『』"


def squash(text: str) -> str:
    """Return text with each run of whitespace as one space, trimmed."""
    return re.sub(r"\s+", " ", text).strip()


def plain(text: str) -> str:
    """Return text without quotes, emoji or brackets around it, spaces squashed."""
    text = "".join(char for char in text if char not in _QUOTES)
    text = "".join(char for char in text if char.isalnum() or char.isspace() or char in "()/·,.-+:&?!%~")
    return squash(text).strip(" ,.:·-")


def plain_keep_parens(text: str) -> str:
    """Return text without quote marks, spaces squashed; brackets, emoji and other marks stay."""
    return squash("".join(char for char in text if char not in _QUOTES))


def without_parens(text: str) -> tuple[str, list[str]]:
    """Return text without its bracketed parts, and those: '컨테이너(Container)란' → '컨테이너란', ['Container']."""
    inside = [squash(part) for part in re.findall(r"\(([^()]*)\)", text) if part.strip()]
    outside = squash(re.sub(r"\s*\([^()]*\)", "", text))
    return outside, inside


def compact(text: str) -> str:
    """Return the key phrases are compared by: plain, case-folded, without spaces, '-', '_', '.', '·', '/'."""
    return re.sub(r"[\s\-_.·/]+", "", plain(text).casefold())


def has_hangul(text: str) -> bool:
    """Whether text has a Hangul syllable."""
    return bool(re.search(r"[가-힣]", text))


def is_latin_word(text: str) -> bool:
    """Whether text is a Latin word or name: 'Docker', 'C++', 'Node.js', 'Spring Boot' (not 'CI/CD')."""
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9 .+#-]*", text))
