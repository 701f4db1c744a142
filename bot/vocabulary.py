"""What normalisation knows about the loaded lessons: their words, the glossary, and 초성.

Built once per index from the glossary groups and the knowledge side's own texts (see
`index.SearchIndex`), then read by every normalisation stage. Also the shared small types and
text primitives of those stages: `Slot`, `compact`, `term_atoms`, `fold`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot import hangul
from bot.lexicon import ENDINGS, ENGLISH_STOPWORDS, KOREAN_FILLERS, PARTICLES, strip_ending, strip_particles
from bot.trie_regex import trie_regex

WORD = re.compile(r"[0-9a-z]+|[가-힣]+|[ㄱ-ㅎ]+|[ㅏ-ㅣ]+")
HANGUL_SYLLABLE = re.compile(r"[가-힣]")
CHOSEONG_WORD = re.compile(r"[ㄱ-ㅎ]+\Z")
SEPARATOR = r"[\s\-_.·/]*"
_SEPARATORS = re.compile(r"[\s\-_.·/]+")


@dataclass(frozen=True)
class Slot:
    """One word of a question after normalisation: its possible canonical readings, with confidence."""

    readings: tuple[tuple[str, float], ...]
    known: bool
    surface: str

    @property
    def best(self) -> str:
        """Return the most confident reading."""
        return max(self.readings, key=lambda pair: pair[1])[0]


def known(word: str, surface: str) -> Slot:
    """Return the slot of a word read for certain as the lesson word `word`."""
    return Slot(((word, 1.0),), True, surface)


def compact(term: str) -> str:
    """Return the glossary key of a term: case-folded, NFC, without spaces, hyphens or dots."""
    folded = unicodedata.normalize("NFC", term).casefold()
    return re.sub(r"[\s\-_.·/]+", "", folded)


def jamo(word: str) -> str:
    """Return `word` as conjoining jamo: one mistyped vowel then costs one edit, not a syllable."""
    return unicodedata.normalize("NFD", word)


def term_atoms(term: str) -> list[str]:
    """Return regex atoms for a term: its characters, flexible separators between its words.

    Latin terms are anchored on word boundaries ("scale out" must not match inside "rescale
    outage"); Korean terms only at their start, since particles follow them directly.
    """
    words = [w for w in _SEPARATORS.split(unicodedata.normalize("NFC", term).casefold()) if w]
    atoms: list[str] = []
    if words and re.match(r"[0-9a-z]", words[0]):
        atoms.append(r"(?<![0-9a-z])")
    elif words:
        atoms.append(r"(?<![가-힣])")
    for number, word in enumerate(words):
        if number:
            atoms.append(SEPARATOR)
        atoms.extend(re.escape(char) for char in word)
    if words and re.search(r"[0-9a-z]\Z", words[-1]):
        atoms.append(r"(?![0-9a-z])")
    return atoms


def fold(text: str, pattern: re.Pattern[str] | None) -> str:
    """Return `text` case-folded, each glossary phrase in it joined into one word ("scale out" → scaleout)."""
    folded = text.casefold()
    if pattern is not None:
        folded = pattern.sub(lambda m: " " + compact(m.group(0)) + " ", folded)
    return folded


@dataclass(frozen=True)
class Vocabulary:
    """Everything the normaliser knows: canonical terms, the lesson's words, fillers and their 초성."""

    canonical: Mapping[str, str]
    words: frozenset[str]
    phrase_pattern: re.Pattern[str] | None
    korean_words: tuple[str, ...]
    korean_jamo: tuple[str, ...]
    latin_words: tuple[str, ...]
    choseong_index: Mapping[str, tuple[str, ...]]
    max_word_len: int
    compounds: tuple[str, ...] = ()

    def canon(self, word: str) -> str:
        """Return the glossary canonical form of `word` (itself when not in the glossary)."""
        return self.canonical.get(word, word)


def build_vocabulary(
    glossary: Iterable[Sequence[str]], corpus: Iterable[str], *, compound_min_chars: int
) -> Vocabulary:
    """Build the vocabulary from glossary groups and the knowledge side's own texts.

    Latin glossary terms of at least `compound_min_chars` letters are the compounds a learner may
    type as two words ("self healng").
    """
    canonical: dict[str, str] = {}
    phrases: set[str] = set()
    for group in glossary:
        head = compact(group[0])
        for term in group:
            key = compact(term)
            # The first group that claims a term wins, so a later, broader group cannot steal it.
            canonical.setdefault(key, head)
            folded = unicodedata.normalize("NFC", term).casefold().strip()
            if re.search(r"[\s\-_.·/]", folded):
                phrases.add(folded)
    pattern = _phrase_pattern(phrases)
    words: set[str] = set(canonical) | set(canonical.values())
    for text in corpus:
        for word in WORD.findall(fold(text, pattern)):
            if word in ENGLISH_STOPWORDS or CHOSEONG_WORD.match(word):
                continue
            if HANGUL_SYLLABLE.match(word):
                if word in PARTICLES or word in ENDINGS:
                    continue  # a particle split from a Latin word ("VM이랑" → "vm", "이랑")
                stem = strip_particles(word)
                # One-syllable words are left out: they are mostly particles and endings, and as
                # vocabulary they would let segmentation find "words" inside anything (안녕 → 안).
                if len(stem) >= 2 and stem not in KOREAN_FILLERS:
                    words.add(stem)
                    # The bare stem too (필요해 → 필요), so other inflections of it segment cleanly.
                    bare = strip_ending(stem, None)
                    if len(bare) >= 2 and bare not in KOREAN_FILLERS:
                        words.add(bare)
            elif len(word) > 1:
                words.add(word)
                if word.endswith("s") and len(word) > 3 and word not in canonical:
                    words.add(word[:-1])
    words -= KOREAN_FILLERS
    korean = tuple(sorted(w for w in words if HANGUL_SYLLABLE.match(w)))
    # Glossary terms first: a typo equally close to "kubernetes" and to some other word should
    # become the term the glossary knows.
    latin = tuple(
        sorted(
            (w for w in words if not HANGUL_SYLLABLE.match(w) and not CHOSEONG_WORD.match(w)),
            key=lambda w: (w not in canonical, w),
        )
    )
    by_choseong: dict[str, set[str]] = {}
    for word in korean:
        initials = hangul.choseong(word)
        if len(initials) >= 2:
            by_choseong.setdefault(initials, set()).add(word)
    return Vocabulary(
        canonical=canonical,
        words=frozenset(words),
        phrase_pattern=pattern,
        korean_words=korean,
        korean_jamo=tuple(jamo(w) for w in korean),
        latin_words=latin,
        choseong_index={k: tuple(sorted(v)) for k, v in by_choseong.items()},
        max_word_len=max((len(w) for w in korean), default=1),
        # Latin glossary phrases written as one word ("selfhealing", "rollingupdate").
        compounds=tuple(sorted(k for k in canonical if k.isascii() and k.isalpha() and len(k) >= compound_min_chars)),
    )


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = [term_atoms(phrase) for phrase in phrases]
    if not alternatives:
        return None
    return re.compile(trie_regex(alternatives))
