"""Stage 3 of normalisation, correct: typos read as the lesson word they are closest to.

Edit distance (optimal string alignment, so a swapped pair is one edit) against the lesson's own
vocabulary: on letters for Latin words, on jamo for Korean (컨테이녀 is one edit from 컨테이너). Short
words are left alone, and long ones get a second edit only: a learner who typed a real word must
not be "corrected" into a different topic. For the same reason a short word changes one letter only
to a neighbouring key (a finger slip); a far one makes another word (game / same). Also two Latin
words that are one mistyped glossary compound ("self healng"), and Latin letters that are Korean
typed in English mode ("dydir" = 요약). Everyday paraphrase words no lesson writes are a last resort,
for long words with letters dropped or added only ("dissapear").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from bot import hangul
from bot.lexicon import ENGLISH_STOPWORDS
from bot.memo import remembered
from bot.tuning import MatcherTuning
from bot.vocabulary import Vocabulary, jamo


class Corrector:
    """Finds the lesson word a mistyped word stands for."""

    def __init__(self, vocabulary: Vocabulary, tuning: MatcherTuning) -> None:
        self.vocab = vocabulary
        self.tuning = tuning
        # Candidates bucketed by length: an edit distance of k can only bridge a length difference
        # of k, so most of the vocabulary is never compared. English stop words are candidates too,
        # so a mistyped "waht" becomes a stop word, not a lesson word.
        # Everyday paraphrase words last: "containr" is container, though "contain" is as close.
        latin = [w for w in vocabulary.latin_words if w not in vocabulary.plain_words]
        self._latin_by_length = _by_length((*latin, *sorted(ENGLISH_STOPWORDS)))
        self._plain_by_length = _by_length(w for w in vocabulary.latin_words if w in vocabulary.plain_words)
        # Paraphrase words no lesson writes, a last resort for long words only: "dissapear" is
        # disappear, while a short word one edit from an everyday word is as often another real word.
        self._everyday_by_length = _by_length(
            sorted(
                word
                for word in vocabulary.exact_only
                # Only those the glossary reads: the others are kept from the lessons' reading.
                if word in vocabulary.canonical
                and word.isascii()
                and word.isalpha()
                and len(word) >= _LONG_EVERYDAY_WORD
            )
        )
        self._korean_by_length = _by_length(vocabulary.korean_jamo)
        self._korean_word_of = dict(zip(vocabulary.korean_jamo, vocabulary.korean_words, strict=True))
        # Word pairs read before (bounded like the normaliser's word cache): the fuzzy search over
        # every compound is the costliest step of reading a Latin-heavy question.
        self._compound_of: dict[tuple[str, str], str | None] = {}

    def _edit_limit(self, length: int) -> int:
        return 1 if length <= self.tuning.one_edit_max_chars else 2

    def latin(self, word: str) -> tuple[str, float] | None:
        """Return the word (lesson word or stop word) a mistyped Latin word stands for, with confidence."""
        if len(word) < self.tuning.typo_min_chars or word.isdigit():
            return None
        limit = self._edit_limit(len(word))
        choices = _near_lengths(self._latin_by_length, len(word), limit)
        choices += _near_lengths(self._plain_by_length, len(word), limit)
        if len(word) <= _SHORT_WORD:
            # Only the slips a finger makes: most one-letter changes of a short word are another real
            # word (game / same, code / node, look / loop), not a typo of the lesson's. Closest first,
            # then in `choices` order, as `extractOne` picks.
            near = process.extract(word, choices, scorer=OSA.distance, score_cutoff=limit, limit=None)
            match = next((found for found in near if _finger_slip(word, found[0])), None)
        else:
            match = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
        if match is None and len(word) >= _LONG_EVERYDAY_WORD:
            everyday = _near_lengths(self._everyday_by_length, len(word), limit)
            # Letters dropped or added only (dissapear: one s too many, one p too few), never one
            # replaced: a real word one letter from another (connection / collection) or a slip onto
            # a neighbouring key (shortcominks) is too weak a guess for a word no lesson writes. A
            # replacement costs one edit to OSA and two to Indel, so the two agree only without one.
            near = process.extract(word, everyday, scorer=Indel.distance, score_cutoff=limit, limit=None)
            match = next((found for found in near if OSA.distance(word, found[0]) == found[1]), None)
        if match is None:
            return None
        tuning = self.tuning
        return match[0], tuning.latin_one_edit_confidence if match[1] <= 1 else tuning.latin_two_edit_confidence

    def korean(self, word: str) -> str | None:
        """Return the lesson word a mistyped Korean word stands for, judged on jamo."""
        letters = jamo(word)
        limit = self._edit_limit(len(letters))
        if len(letters) < self.tuning.typo_min_chars:
            return None
        choices = _near_lengths(self._korean_by_length, len(letters), limit)
        if len(word) <= _SHORT_KOREAN_WORD:
            # A two-syllable word with another first consonant is another word (바로 / 따로, 알고 / 말고):
            # like Latin typists, Korean ones get a short word's first key right.
            near = process.extract(letters, choices, scorer=OSA.distance, score_cutoff=limit, limit=None)
            match = next((found for found in near if found[0][0] == letters[0]), None)
        else:
            match = process.extractOne(letters, choices, scorer=OSA.distance, score_cutoff=limit)
        if match is None:
            return None
        return self._korean_word_of[match[0]]

    def compound(self, first: str, second: str) -> str | None:
        """Return the glossary compound two Latin words mistype ("self healng" → selfhealing), if any."""
        vocab = self.vocab
        if not (first.isalpha() and second.isalpha() and first.isascii() and second.isascii()):
            return None
        if first in vocab.words and second in vocab.words:
            return None
        if first in ENGLISH_STOPWORDS or second in ENGLISH_STOPWORDS:
            return None
        joined = first + second
        if len(joined) < self.tuning.compound_min_chars:
            return None
        limit = self.tuning.compound_max_edits

        def search(_: tuple[str, str]) -> str | None:
            match = process.extractOne(joined, vocab.compounds, scorer=OSA.distance, score_cutoff=limit)
            return None if match is None else match[0]

        return remembered(self._compound_of, (first, second), search, limit=self.tuning.word_cache_size)


# Latin words up to this long are corrected only by a finger slip (see `_finger_slip`).
_SHORT_WORD = 5
# Latin words from this long may be corrected to a paraphrase word no lesson writes (see `Corrector`).
_LONG_EVERYDAY_WORD = 8
# Korean words up to this many syllables keep their first consonant when corrected.
_SHORT_KOREAN_WORD = 2
_QWERTY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_KEY_POSITION = {char: (row, column) for row, keys in enumerate(_QWERTY_ROWS) for column, char in enumerate(keys)}


def _keys_adjacent(a: str, b: str) -> bool:
    """Whether two letters are neighbours on a QWERTY keyboard (same row, or the row above or below)."""
    if a not in _KEY_POSITION or b not in _KEY_POSITION:
        return False
    (row_a, col_a), (row_b, col_b) = sorted((_KEY_POSITION[a], _KEY_POSITION[b]))
    if row_a == row_b:
        return abs(col_a - col_b) == 1
    # Rows are staggered: a key touches the key below it and the one below-left.
    return row_b == row_a + 1 and col_b in (col_a - 1, col_a)


def _finger_slip(word: str, candidate: str) -> bool:
    """Whether `candidate` differs from `word` as a typing slip can: a letter left out, doubled in, two
    swapped, or one replaced by a neighbouring key, past the first letter (or the first two swapped).
    A letter replaced by a far key, or another first letter, makes another word."""
    if word[0] != candidate[0] and word[:2] != candidate[1::-1]:
        return False  # typists get a short word's first letter right (stop is no "top", five no "give")
    if len(word) != len(candidate):
        return True
    changed = [(a, b) for a, b in zip(word, candidate, strict=True) if a != b]
    if len(changed) != 1:
        return True  # a swap (two letters) or no change; the edit limit judges the rest
    return _keys_adjacent(*changed[0])


def slipped_korean(word: str) -> str | None:
    """Return the Hangul a Latin word spells when typed with the IME stuck in English mode, if it does.

    The keyboard repair before normalisation only converts words that cannot be English; short
    ones ("wha" = 좀, "dydir" = 요약) slip through. The caller lets the lesson decide: the reading is
    taken only when it is a lesson word or an empty filler.
    """
    if not (word.isascii() and word.isalpha() and len(word) >= 3):
        return None
    converted = hangul.qwerty_to_hangul(word)
    return converted if _is_syllables(converted) else None


def _is_syllables(text: str) -> bool:
    return bool(text) and all("가" <= char <= "힣" for char in text)


def _by_length(words: Iterable[str]) -> dict[int, tuple[str, ...]]:
    buckets: dict[int, list[str]] = {}
    for word in words:
        buckets.setdefault(len(word), []).append(word)
    return {length: tuple(bucket) for length, bucket in buckets.items()}


def _near_lengths(buckets: Mapping[int, tuple[str, ...]], length: int, limit: int) -> list[str]:
    # Exact length first: among equally close words, a same-length one is the likelier typo.
    order = sorted(range(length - limit, length + limit + 1), key=lambda n: abs(n - length))
    return [word for n in order for word in buckets.get(n, ())]
