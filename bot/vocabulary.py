"""What normalisation knows about the loaded lessons: their words, the glossary, and 초성.

Built once per index from the glossary groups and the knowledge side's own texts (see
`index.SearchIndex`), then read by every normalisation stage. Also the shared small types and
text primitives of those stages: `Slot`, `compact`, `term_atoms`, `fold`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot import hangul
from bot.lexicon import ENDINGS, ENGLISH_STOPWORDS, KOREAN_FILLERS, PARTICLES, strip_ending, strip_particles
from bot.loanword import hangul_skeleton, latin_skeletons, plausible_loanword
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
    # ASCII needs no NFC and folds by lower(); the fast path of every lexicon load and index build.
    folded = term.lower() if term.isascii() else unicodedata.normalize("NFC", term).casefold()
    return _SEPARATORS.sub("", folded)


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
    # Consonant skeletons (see `loanword`) of the lessons' Latin words, for Hangul spellings of them
    # ("도커파일" → dockerfile), and of their Hangul words, for Latin spellings; each to a canonical form.
    # Each skeleton maps to (canonical form, one spelling in the lessons).
    latin_by_sound: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    hangul_by_sound: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    # The glossary phrases `phrase_pattern` joins (sorted), kept so the vocabulary can be rebuilt from plain data.
    phrases: tuple[str, ...] = ()
    # Words known only as paraphrases (bot/data/paraphrase.yaml), never written in a lesson: read when
    # typed, but no 초성 and no typo is read as one of them ("containr" stays container, not "contain"),
    # except a long typo no lesson word is near (see `Corrector`).
    exact_only: frozenset[str] = frozenset()
    # Every paraphrase-only glossary key: everyday words, which a typo equally close to a lesson term
    # must not become (unlike the domain terms of the glossary, which win such ties).
    plain_words: frozenset[str] = frozenset()

    def canon(self, word: str) -> str:
        """Return the glossary canonical form of `word` (itself when not in the glossary)."""
        return self.canonical.get(word, word)

    def loanword_of_hangul(self, word: str) -> str | None:
        """Return the canonical form of the lesson's Latin word a Hangul word spells, if exactly one."""
        found = self.latin_by_sound.get(hangul_skeleton(word)) if len(word) >= 2 else None
        return found[0] if found is not None and plausible_loanword(word, found[1]) else None

    def hangul_variant(self, word: str) -> str | None:
        """Return the canonical form of the lesson's Hangul loanword that `word` spells another way, if one.

        Loanwords reach Hangul with unsettled vowels and clipped ends (리플리카셋 / 레플리카셋, 로드발란서 /
        로드밸런서, 컨트롤룹 / 컨트롤루프) but with the same consonants: two loanword-shaped words of one
        consonant skeleton, long enough to tell words apart, and as many voiced syllables give or take
        one, are one word. Native words pack consonants into finals and rarely pass `_loanword_shaped`.
        """
        if len(word) < 3 or not _loanword_shaped(word):
            return None
        found = self.hangul_by_sound.get(hangul_skeleton(word))
        if found is None or found[1] == word or not _loanword_shaped(found[1]):
            return None
        spelling = found[1]
        if abs(_voiced(word) - _voiced(spelling)) > 1 or not _same_onset(word[0], spelling[0]):
            return None
        # The canonical form as linking left it (`link_by_sound` joins a Hangul spelling to its Latin word).
        return self.canon(spelling)

    def loanword_of_latin(self, word: str) -> str | None:
        """Return the canonical form of the lesson's Hangul word a Latin word spells, if exactly one."""
        if not _spelled_by_sound(word):
            return None
        found = {self.hangul_by_sound[s] for s in latin_skeletons(word) if s in self.hangul_by_sound}
        if len(found) != 1:
            return None
        target, spelling = found.pop()
        return target if plausible_loanword(spelling, word) else None


def build_vocabulary(
    glossary: Iterable[Sequence[str]],
    corpus: Iterable[str],
    *,
    compound_min_chars: int,
    loanword_min_sounds: int = 0,
    exact_only: Iterable[str] = (),
    joined: bytearray | None = None,
) -> Vocabulary:
    """Build the vocabulary from glossary groups and the knowledge side's own texts.

    Latin glossary terms of at least `compound_min_chars` letters are the compounds a learner may
    type as two words ("self healng"). With `loanword_min_sounds`, Hangul and Latin words whose
    consonant skeletons of at least that many sounds agree exactly are linked as one loanword
    (see `link_by_sound`); 0 turns loanword linking off. Of the glossary keys in `exact_only` (the
    paraphrase lexicon's), those the texts never write are known only as typed (`Vocabulary.exact_only`).
    With `joined`, one byte per corpus text is appended to it, 1 when `fold` joined a glossary phrase
    in the text: a second pass over the same texts then folds only those (the others only need
    `str.casefold`).
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
    # What a word adds depends on the word alone, and lessons repeat theirs thousands of times.
    read: set[str] = set()
    for text in corpus:
        folded = fold(text, pattern)
        read.update(WORD.findall(folded))
        if joined is not None:
            # A joined phrase always changes the text: its replacement starts with a space, the phrase does not.
            joined.append(folded != text.casefold())
    written: set[str] = set()  # the words the texts themselves use
    for word in read:
        if word in ENGLISH_STOPWORDS or CHOSEONG_WORD.match(word):
            continue
        if HANGUL_SYLLABLE.match(word):
            if word in PARTICLES or word in ENDINGS:
                continue  # a particle split from a Latin word ("VM이랑" → "vm", "이랑")
            stem = strip_particles(word)
            # One-syllable words are left out: they are mostly particles and endings, and as
            # vocabulary they would let segmentation find "words" inside anything (안녕 → 안).
            if len(stem) >= 2 and stem not in KOREAN_FILLERS:
                written.add(stem)
                # The bare stem too (필요해 → 필요), so other inflections of it segment cleanly.
                bare = strip_ending(stem, None)
                if len(bare) >= 2 and bare not in KOREAN_FILLERS:
                    written.add(bare)
        elif len(word) > 1:
            written.add(word)
            if word.endswith("s") and len(word) > 3 and word not in canonical:
                written.add(word[:-1])
    words |= written
    words -= KOREAN_FILLERS
    unwritten = frozenset(key for key in exact_only if key not in written)
    latin_by_sound: dict[str, tuple[str, str]] = {}
    hangul_by_sound: dict[str, tuple[str, str]] = {}
    if loanword_min_sounds:
        latin_by_sound, hangul_by_sound = link_by_sound(
            words, canonical, min_sounds=loanword_min_sounds, everyday=frozenset(exact_only)
        )
    return assemble_vocabulary(
        canonical,
        words,
        tuple(sorted(phrases)),
        latin_by_sound,
        hangul_by_sound,
        compound_min_chars=compound_min_chars,
        exact_only=unwritten,
        plain_words=frozenset(exact_only),
        phrase_pattern=pattern,
    )


def assemble_vocabulary(
    canonical: dict[str, str],
    words: Iterable[str],
    phrases: tuple[str, ...],
    latin_by_sound: dict[str, tuple[str, str]],
    hangul_by_sound: dict[str, tuple[str, str]],
    *,
    compound_min_chars: int,
    exact_only: frozenset[str] = frozenset(),
    plain_words: frozenset[str] = frozenset(),
    phrase_pattern: re.Pattern[str] | None = None,
) -> Vocabulary:
    """Return the vocabulary of these gathered words: the sorted lists and lookup tables derived from them.

    The expensive part of `build_vocabulary` is reading the corpus into `words` and `canonical`; what
    is derived here is cheap, so an index read back from its cache (see `index`) rebuilds it. Words in
    `exact_only` are left out of the lists typo correction and 초성 read against, and `plain_words`
    lose the precedence glossary terms have in typo correction.
    """
    words = frozenset(words)
    korean = tuple(sorted(w for w in words if HANGUL_SYLLABLE.match(w) and w not in exact_only))
    # Glossary terms first: a typo equally close to "kubernetes" and to some other word should
    # become the term the glossary knows.
    latin = tuple(
        sorted(
            (w for w in words if not HANGUL_SYLLABLE.match(w) and not CHOSEONG_WORD.match(w) and w not in exact_only),
            key=lambda w: (w not in canonical or w in plain_words, w),
        )
    )
    by_choseong: dict[str, set[str]] = {}
    for word in korean:
        initials = hangul.choseong(word)
        if len(initials) >= 2:
            by_choseong.setdefault(initials, set()).add(word)
    return Vocabulary(
        canonical=canonical,
        words=words,
        # `build_vocabulary` passes the pattern it joined the corpus with (the same phrases): built once.
        phrase_pattern=phrase_pattern if phrase_pattern is not None else _phrase_pattern(phrases),
        korean_words=korean,
        korean_jamo=tuple(jamo(w) for w in korean),
        latin_words=latin,
        choseong_index={k: tuple(sorted(v)) for k, v in by_choseong.items()},
        max_word_len=max((len(w) for w in korean), default=1),
        # Latin glossary phrases written as one word ("selfhealing", "rollingupdate").
        compounds=tuple(sorted(k for k in canonical if k.isascii() and k.isalpha() and len(k) >= compound_min_chars)),
        latin_by_sound=latin_by_sound,
        hangul_by_sound=hangul_by_sound,
        phrases=phrases,
        exact_only=exact_only,
        plain_words=plain_words,
    )


def _voiced(word: str) -> int:
    """Return the syllables of a Hangul word that carry a vowel of their own (not an added ㅡ)."""
    return sum(1 for char in word if HANGUL_SYLLABLE.match(char) and hangul.decompose(char)[1] != "ㅡ")


# Vowels one loanword's first syllable is written with by different people (리플리카 / 레플리카,
# 큐브 / 쿠베, 컨 / 콘): the first syllable of two spellings differs at most within one of these.
_VOWEL_VARIANTS = ("ㅣㅔㅐㅖㅒ", "ㅏㅐ", "ㅓㅗㅏ", "ㅜㅠㅡ", "ㅗㅛ", "ㅓㅕ", "ㅏㅑ")


def _same_onset(first: str, other: str) -> bool:
    """Whether two first syllables can spell the same English sound: one consonant, kindred vowels, one final.

    The consonant skeleton puts ㅅ, ㅈ and ㅊ in one class and drops vowels; on the first syllable,
    which English speakers and Korean spelling keep most stable, that would pair 자가치유 with 스케줄러.
    """
    cho, vowel, final = hangul.decompose(first)
    other_cho, other_vowel, other_final = hangul.decompose(other)
    if cho != other_cho or final != other_final:
        return False
    return vowel == other_vowel or any(vowel in group and other_vowel in group for group in _VOWEL_VARIANTS)


def _loanword_shaped(word: str) -> bool:
    """Whether a Hangul word is written like a loanword: about one consonant sound per syllable.

    Loanwords spell English consonant clusters with added syllables (스트, 프로); native words pack
    consonants into finals (목적지: five sounds in three syllables).
    """
    if not all(HANGUL_SYLLABLE.match(char) for char in word):
        return False
    return len(hangul_skeleton(word)) <= len(word) + 1


def _spelled_by_sound(word: str) -> bool:
    """Whether a lowercase Latin word is one Korean would spell by sound: letters with a vowel, 3 or more."""
    return word.isascii() and word.isalpha() and len(word) >= 3 and any(c in "aeiouy" for c in word)


def link_by_sound(
    words: Iterable[str], canonical: dict[str, str], *, min_sounds: int, everyday: frozenset[str] = frozenset()
) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """Link the lessons' Hangul and Latin spellings of one loanword; return the two sound indexes.

    Precision first (a wrong link merges two topics): a skeleton counts only with `min_sounds` or
    more sounds, when it names exactly one canonical word, and when the Hangul word is shaped like a
    loanword of the Latin one (`loanword.plausible_loanword`). A Hangul and a Latin word of the lessons
    linked so, one of them outside the glossary, join the other's canonical form in `canonical`
    (updated in place), and only when the skeleton has a sound more (lessons hold many native words).
    The indexes map a skeleton to (canonical form, a spelling), for question words the lessons never
    use ("도커파일" when the draft only says "Dockerfile"). Latin words in `everyday` (the paraphrase
    lexicon's plain English: links, changed, efficient) take no part: learners write technical terms in
    Hangul, not everyday English, so a Hangul word sharing such a word's consonants is a native word or
    another term (리눅스 is not "links").
    """
    latin_words = sorted(w for w in words if _spelled_by_sound(w) and w not in ENGLISH_STOPWORDS and w not in everyday)
    hangul_words = sorted(w for w in words if HANGUL_SYLLABLE.match(w) and len(w) >= 2)
    latin_by_sound = _by_sound(((w, s) for w in latin_words for s in latin_skeletons(w)), canonical, min_sounds)
    hangul_by_sound = _by_sound(((w, hangul_skeleton(w)) for w in hangul_words), canonical, min_sounds)
    spellings: dict[str, list[str]] = {}
    for word in (*latin_words, *hangul_words):
        spellings.setdefault(canonical.get(word, word), []).append(word)
    for skeleton, (hangul_target, hangul_word) in hangul_by_sound.items():
        latin = latin_by_sound.get(skeleton)
        if latin is None or latin[0] == hangul_target or len(skeleton) <= min_sounds:
            continue
        latin_target, latin_word = latin
        if not plausible_loanword(hangul_word, latin_word):
            continue
        # The lesson writes one word in Hangul and in Latin: the side outside the glossary joins the other.
        if not any(w in canonical for w in spellings[hangul_target]):
            for word in spellings[hangul_target]:
                canonical[word] = latin_target
        elif not any(w in canonical for w in spellings[latin_target]):
            for word in spellings[latin_target]:
                canonical[word] = hangul_target
    return latin_by_sound, hangul_by_sound


def _by_sound(
    pairs: Iterable[tuple[str, str]], canonical: Mapping[str, str], min_sounds: int
) -> dict[str, tuple[str, str]]:
    """Return skeleton → (canonical form, first spelling) for skeletons naming exactly one canonical form."""
    targets: dict[str, dict[str, str]] = {}
    for word, skeleton in pairs:
        if len(skeleton) >= min_sounds:
            targets.setdefault(skeleton, {}).setdefault(canonical.get(word, word), word)
    return {s: next(iter(t.items())) for s, t in targets.items() if len(t) == 1}


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = [term_atoms(phrase) for phrase in phrases]
    if not alternatives:
        return None
    return re.compile(trie_regex(alternatives))
