"""Which IT concepts a text names: the groups of the IT lexicon its words (and runs of words) spell.

The answer decision asks whether a question names an IT concept the entry it would answer with never
mentions ("difference between a DaemonSet and a Deployment?" against a lesson about Deployments only):
a near miss, about something the lesson does not teach. A concept is a lexicon group (pod/파드/팟 are
one), so the question and the lesson may spell it differently. Looking terms up word by word (and up
to four words joined, as `compact` joins them: "docker compose" = "docker-compose" = dockercompose),
with Korean particles off (파드는 → 파드), costs a few dictionary look-ups per word: no pattern to
compile. Pure: the groups are given.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from bot.lexicon import strip_particles
from bot.vocabulary import HANGUL_SYLLABLE, WORD, compact

# Terms of up to this many words are found ("multi stage build", "horizontal pod autoscaler").
_MAX_WORDS = 4


class TermFinder:
    """Finds the concepts (group numbers) a text names, by the terms of the given groups."""

    def __init__(self, groups: Iterable[Sequence[str]]) -> None:
        self._group_of: dict[str, int] = {}
        # The first words of terms of several words, joined ("docker", "dockercompose" of "docker compose
        # file"): a run of words that is none of these and no term ends the look-up there.
        self._heads: set[str] = set()
        for number, group in enumerate(groups):
            for term in group:
                key = compact(term)
                if key:
                    # A term in two groups belongs to the first, as in the lexicon.
                    self._group_of.setdefault(key, number)
                    words = WORD.findall(unicodedata.normalize("NFC", term).casefold())
                    self._heads.update("".join(words[:size]) for size in range(1, len(words)))

    def __len__(self) -> int:
        return len(self._group_of)

    def concepts(self, text: str) -> frozenset[int]:
        """Return the groups `text` names a term of."""
        return frozenset(self.terms(text))

    def terms(self, text: str) -> dict[int, str]:
        """Return the groups `text` names a term of, each with the words that named it (particles off).

        Longest term first, left to right: "docker compose" is Docker Compose, not also Docker and
        Compose; "bind mount" not also a mount.
        """
        words = WORD.findall(unicodedata.normalize("NFC", text).casefold())
        found: dict[int, str] = {}
        heads = self._heads
        start = 0
        while start < len(words):
            word = words[start]
            if word not in heads:
                # `_longest_at` for a word no longer term starts with (most words), without its loop.
                group, named = self._group_ending("", word)
                if group is not None:
                    found.setdefault(group, named)
                start += 1
                continue
            size, group, named = self._longest_at(words, start)
            if group is not None:
                found.setdefault(group, named)
            start += size
        return found

    def _longest_at(self, words: Sequence[str], start: int) -> tuple[int, int | None, str]:
        """Return (words spanned, group, its words) of the longest term at `start`; (1, None, "") when none."""
        best: tuple[int, int | None, str] = (1, None, "")
        joined = ""
        for size, word in enumerate(words[start : start + _MAX_WORDS], start=1):
            group, last = self._group_ending(joined, word)
            joined += word
            if group is not None:
                best = (size, group, " ".join([*words[start : start + size - 1], last]))
            if joined not in self._heads:
                break
        return best

    def _group_ending(self, before: str, word: str) -> tuple[int | None, str]:
        """Return the group of the term `before + word`, and `word` as read in it (a Korean word's
        particle off when only that makes a term: 파드가 → 파드)."""
        group = self._group_of.get(before + word)
        if group is None and HANGUL_SYLLABLE.match(word):
            last = strip_particles(word)
            return self._group_of.get(before + last), last
        return group, word
