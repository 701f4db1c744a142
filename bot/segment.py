"""Stage 2 of normalisation, segment: a text into words, and Korean spacing made irrelevant.

Words are runs of one script (Latin and digits, syllables, consonant jamo, vowel jamo). Korean is
then re-spaced against the lesson's vocabulary, in three ways: run-together words are split
("가상머신이랑컨테이너는" → 가상머신, 컨테이너), compounds the lesson also writes spaced are split
("격리수준" → 격리, 수준), and a word broken by stray spaces is joined ("오토 스 케일이" → 오토스케일).
A particle typed straight after a Latin word ("VM이랑") is detached from the next word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from bot.lexicon import ENDINGS, KOREAN_FILLERS, PARTICLES, strip_particles
from bot.vocabulary import HANGUL_SYLLABLE, WORD, Vocabulary

_LATIN_END = re.compile(r"[0-9a-z]\Z")


class Word(NamedTuple):
    """A word of a folded text; `attached` when it follows a Latin word with no space ("VM이랑")."""

    text: str
    attached: bool


def split_words(folded: str) -> list[Word]:
    """Return the words of a case-folded text, in order."""
    matches = list(WORD.finditer(folded))
    return [
        Word(
            m.group(0),
            i > 0 and matches[i - 1].end() == m.start() and _LATIN_END.search(matches[i - 1].group(0)) is not None,
        )
        for i, m in enumerate(matches)
    ]


def detach_particle(word: str) -> str:
    """Return a Korean word typed right after a Latin one without the particle it starts with."""
    if word in PARTICLES:
        # "VM에서": the whole word is the particle (dropped as such), not 에 + a word 서.
        return word
    for size in (3, 2, 1):
        head = word[:size]
        if len(word) > size and head in PARTICLES and strip_particles(word) == word:
            return word[size:]
    return word


class Segmenter:
    """Splits and joins Korean words against the lesson's vocabulary."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocab = vocabulary
        # Every proper beginning of a lesson word of 3+ characters, made on the first question that needs it.
        self._prefixes: frozenset[str] | None = None

    def join(self, words: Sequence[str], index: int) -> tuple[str, int] | None:
        """Read Korean split by stray spaces ("오토 스 케일이") as the lesson word it spells.

        Returns the lesson word and how many words it took, or None.
        """
        vocab = self.vocab
        if not HANGUL_SYLLABLE.match(words[index]):
            return None
        if strip_particles(words[index]) in vocab.words and len(words[index]) > 1:
            return self._join_tail(words, index)
        joined = words[index]
        for used in (2, 3):
            if index + used > len(words) or not HANGUL_SYLLABLE.match(words[index + used - 1]):
                return None
            joined += words[index + used - 1]
            for candidate in (joined, strip_particles(joined)):
                if candidate in vocab.words and len(candidate) >= 3:
                    return candidate, used
        return None

    def may_join_tail(self, word: str) -> bool:
        """Return whether `_join_tail` could read `word` and a piece after it as a lesson word: a lesson word
        of 3+ characters begins `word` or begins with it (what it returns is a prefix of the two joined)."""
        if self._prefixes is None:
            self._prefixes = frozenset(
                known[:end] for known in self.vocab.words if len(known) >= 3 for end in range(1, len(known))
            )
        words = self.vocab.words
        return word in self._prefixes or any(word[:end] in words for end in range(3, len(word) + 1))

    def _join_tail(self, words: Sequence[str], index: int) -> tuple[str, int] | None:
        """Read a lesson word and a stray piece after it as the longer lesson word they spell (컨피그 맵).

        Korean writes the parts of a Latin compound apart (컨피그 맵 for ConfigMap); the first part is
        often a word of its own, the second (맵, 룹) is not, and together they are the lesson's term.
        A second part the lesson knows, or a particle or filler, keeps the words apart.
        """
        vocab = self.vocab
        if index + 1 >= len(words) or not HANGUL_SYLLABLE.match(words[index + 1]):
            return None
        tail = words[index + 1]
        if strip_particles(tail) in vocab.words or tail in PARTICLES or tail in ENDINGS or tail in KOREAN_FILLERS:
            return None
        joined = words[index] + tail
        for candidate in (joined, strip_particles(joined)):
            if candidate in vocab.words and len(candidate) >= 3:
                return candidate, 2
        return None

    def compound_parts(self, word: str) -> list[str] | None:
        """Split a compound the lesson also writes spaced ("격리수준" → 격리, 수준), so spacing never matters."""
        if word in self.vocab.canonical or len(word) < 4:
            return None  # a glossary term is one word, however it is built
        pieces = self.segment(word, whole=False)
        if pieces is None or not all(known for _, known in pieces) or len(pieces) < 2:
            return None
        if sum(len(piece) for piece, _ in pieces) < len(word) - 1:
            return None  # more than a trailing particle or ending between the parts: not a plain compound
        return [piece for piece, _ in pieces]

    def segment(self, word: str, *, whole: bool = True) -> list[tuple[str, bool]] | None:
        """Split run-together Korean into vocabulary words, skipping particles, endings and fillers.

        Returns (piece, is a lesson word) in order. Dynamic programming over positions minimising
        the number of characters left uncovered, then the number of pieces; None when less than
        half of the word is covered. With `whole` false the word itself is no answer.
        """
        vocab = self.vocab
        n = len(word)
        max_len = max(vocab.max_word_len, 4)
        inf = (n + 1, n + 1)
        best: list[tuple[int, int]] = [inf] * (n + 1)
        back: list[tuple[int, str]] = [(0, "")] * (n + 1)
        best[0] = (0, 0)
        for i in range(n):
            if best[i] == inf:
                continue
            uncovered, pieces = best[i]
            # One uncovered character: always possible, costs one.
            step = (uncovered + 1, pieces + 1)
            if step < best[i + 1]:
                best[i + 1], back[i + 1] = step, (i, "?")
            for j in range(i + 1, min(n, i + max_len) + 1):
                piece = word[i:j]
                if not whole and j - i == n:
                    continue
                if piece in vocab.words:
                    kind = "w"
                elif piece in KOREAN_FILLERS or (i > 0 and (piece in PARTICLES or piece in ENDINGS)):
                    # Particles and endings only follow something; a word never starts with one.
                    kind = "p"
                else:
                    continue
                step = (uncovered, pieces + 1)
                if step < best[j]:
                    best[j], back[j] = step, (i, kind)
        if best[n][0] * 2 > n:
            return None
        pieces_rev: list[tuple[str, str]] = []
        j = n
        while j > 0:
            i, kind = back[j]
            pieces_rev.append((word[i:j], kind))
            j = i
        result: list[tuple[str, bool]] = []
        pending = ""
        for piece, kind in reversed(pieces_rev):
            if kind == "?":
                pending += piece
                continue
            if pending:
                result.append((pending, False))
                pending = ""
            if kind == "w":
                result.append((piece, True))
        if pending and len(pending) > 1:
            result.append((pending, False))
        return result
