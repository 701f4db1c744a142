"""Stage 4 of normalisation, expand: 초성 words read as the lesson words with those initials.

"ㅋㅌㅇㄴ" becomes 컨테이너; initials several lesson words share become several readings, each less
certain; run-together initials ("ㅋㅌㅇㄴㅈㅈ") are split greedily into the longest known ones. The
glossary's canonical forms (`Vocabulary.canon`) are the other half of expansion: every reading any
stage produces goes through them, so 컨테이너/container/도커 meet as one word.
"""

from __future__ import annotations

import re

from bot.lexicon import CHOSEONG_FILLERS
from bot.tuning import MatcherTuning
from bot.vocabulary import Slot, Vocabulary

_LAUGHTER = re.compile(r"(?:ㅋ|ㅎ|ㅠ|ㅜ){2,}\Z")


class Expander:
    """Reads 초성 words against the lesson's vocabulary."""

    def __init__(self, vocabulary: Vocabulary, tuning: MatcherTuning) -> None:
        self.vocab = vocabulary
        self.tuning = tuning

    def choseong(self, word: str) -> list[Slot]:
        """Return the slots of a word of consonant jamo: none for chat (ㅋㅋ, ㅇㅋ), else its readings."""
        if len(word) == 1 or _LAUGHTER.match(word) or word in CHOSEONG_FILLERS:
            return []
        index = self.vocab.choseong_index
        if word in index:
            return [self._slot(index[word], word)]
        # Run-together 초성 (ㅋㅌㅇㄴㅈㅈ): split greedily into the longest known initials.
        slots: list[Slot] = []
        i = 0
        while i < len(word):
            for j in range(len(word), i + 1, -1):
                chunk = word[i:j]
                if chunk in index:
                    slots.append(self._slot(index[chunk], chunk))
                    i = j
                    break
            else:
                i += 1
        return slots

    def _slot(self, words: tuple[str, ...], surface: str) -> Slot:
        # Several words can share initials; each reading is less certain the more there are.
        readings = dict.fromkeys(self.vocab.canon(w) for w in words)
        tuning = self.tuning
        if len(readings) == 1:
            confidence = tuning.choseong_confidence
        else:
            confidence = max(tuning.choseong_floor, tuning.choseong_confidence - tuning.choseong_step * len(readings))
        return Slot(tuple((w, confidence) for w in readings), True, surface)
