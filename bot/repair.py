"""Stage 1 of normalisation, repair: the question as the learner meant to type it.

NFC (not NFKC, which would turn ㅋㅌㅇㄴ into conjoining jamo), controls, Discord markup, pasted code
and URLs out (a Markdown link keeps its text), a bounded length, then keyboard-slip repair in both
directions (see `hangul`): Latin letters that spell Korean typed in English mode, and jamo that
spell English typed in Korean mode. Runs on questions only; knowledge phrasings are written as meant.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Set as AbstractSet

from bot import hangul
from bot.knowledge import Lang
from bot.lexicon import LINK_LABELS

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_DISCORD_MARKUP = re.compile(r"<a?:\w+:\d+>|<(?:@[!&]?|#)\d+>|@everyone|@here")
_URL = re.compile(r"https?://\S+|www\.\S+")
# Code is not question words: a pasted snippet must not match on "import os". A fence left open is
# shown as typed (Discord does the same), so only closed fences count.
_FENCED_CODE = re.compile(r"```.*?```", re.DOTALL)
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
# A single term in backticks (`kubectl`, `self-healing`) names what is asked about: it stays.
_CODE_TERM = re.compile(r"[\w-]+")
_MARKDOWN_LINK = re.compile(r"\[([^\[\]\n]*)\]\(\s*<?[^()\s]*>?\s*\)")
_HANGUL_SYLLABLE = re.compile(r"[가-힣]")
_SPACE_RUN = re.compile(r"(\s+)")
_PUNCTUATION_AROUND = re.compile(r"^[^\w]+|[^\w]+$")


def clean_text(text: str, limit: int) -> str:
    """Return `text` as NFC with controls, Discord markup, code and URLs blanked, cut to `limit` characters.

    A Markdown link keeps its text unless that only says "link" or "here"; inline code keeps a
    single term, not a snippet.
    """
    text = unicodedata.normalize("NFC", text[: limit * 2])
    text = _CONTROL.sub(" ", text)
    text = _DISCORD_MARKUP.sub(" ", text)
    if "`" in text:
        text = _INLINE_CODE.sub(_code_term, _FENCED_CODE.sub(" ", text))
    if "](" in text:
        text = _MARKDOWN_LINK.sub(_link_text, text)
    text = _URL.sub(" ", text)
    return text[:limit]


def _code_term(found: re.Match[str]) -> str:
    code = found.group(1).strip()
    return f" {code} " if _CODE_TERM.fullmatch(code) else " "


def _link_text(found: re.Match[str]) -> str:
    label = found.group(1).strip()
    return " " if label.casefold() in LINK_LABELS else f" {label} "


def repair_keyboard(text: str) -> str:
    """Undo typing in the wrong IME mode: Latin-letter Korean words, and jamo that are English."""
    return hangul.repair_korean_mode_english(hangul.repair_slipped_words(text))


def detect_language(text: str) -> Lang:
    """Return 'ko' when the (repaired) question has any Hangul, else 'en': mixed questions get Korean."""
    if _HANGUL_SYLLABLE.search(text) or re.search(r"[ㄱ-ㅎ]{2,}", text):
        return "ko"
    return "en"


class Repair:
    """Cleans a question and repairs keyboard slips, word by word through a bounded cache."""

    def __init__(self, *, max_chars: int, cache_size: int, known: AbstractSet[str] = frozenset()) -> None:
        """`known` holds the lessons' own words (casefolded): a Latin word among them is typed on
        purpose, never a slip, however its letters would spell in Korean (env is no 둪)."""
        self.max_chars = max_chars
        self.cache_size = cache_size
        self.known = known
        # The repair is per word, and learners reuse the same few hundred words.
        self._cache: dict[str, str] = {}

    def __call__(self, question: str) -> str:
        """Return `question` cleaned and keyboard-repaired."""
        parts = _SPACE_RUN.split(clean_text(question, self.max_chars))
        cache = self._cache
        if len(cache) >= self.cache_size:
            cache.clear()
        for index in range(0, len(parts), 2):
            word = parts[index]
            fixed = cache.get(word)
            if fixed is None:
                letters = _PUNCTUATION_AROUND.sub("", word).casefold()
                fixed = cache[word] = word if letters in self.known else repair_keyboard(word)
            parts[index] = fixed
        return "".join(parts)
