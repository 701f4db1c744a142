"""Hangul ↔ Latin loanword matching: does 도커파일 spell "Dockerfile", 레플리카 "replica"?

Both words are reduced to a *consonant skeleton* over a few sound classes that Korean loanword
spelling keeps apart (K, T, P, S, L, M, N, H): vowels are dropped because English vowels reach Hangul
unpredictably (pod → 파드, docker → 도커), while consonants survive with few, regular changes:

- b/p/f/v → P (Korean has no f or v: file → 파일, volume → 볼륨); d/t → T; g/k/c/q → K;
  s/z/j/ch → S (ㅅ, ㅈ and ㅊ are one class); l/r → L; final ㅇ and "ng" → N.
- r is silent after a vowel before a consonant or at the end (server → 서버, port → 포트).
- a final ㅅ/ㄷ/ㅈ/ㅊ/ㅌ is the unreleased t of English (pod → 팟, set → 셋).
- letters English spells two ways get both readings (g in "git" / "image", th, ch, ng) and the
  closest one counts.

The skeletons are compared by edit distance. Pure functions, no state; tuned for precision (a wrong
link merges two topics, a missing one only misses a synonym): short skeletons must agree exactly,
and the first sound must agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import product

from rapidfuzz.distance import OSA

from bot.hangul import decompose

# Default cut-off of `loanword_match` for a link: measured on the built-in lexicon (see
# `python benchmarks/bench_loanword.py`): best-match precision ≥ 98 % on held-out lexicon groups.
DEFAULT_CUTOFF = 0.85
# Skeletons this short carry too little to tell words apart: under it no match, at it only identical.
_SHORT = 3
_MAX_VARIANTS = 32

_CHO_CLASS = {
    "ㄱ": "K", "ㄲ": "K", "ㅋ": "K",
    "ㄴ": "N",
    "ㄷ": "T", "ㄸ": "T", "ㅌ": "T",
    "ㄹ": "L",
    "ㅁ": "M",
    "ㅂ": "P", "ㅃ": "P", "ㅍ": "P",
    "ㅅ": "S", "ㅆ": "S", "ㅈ": "S", "ㅉ": "S", "ㅊ": "S",
    "ㅇ": "",
    "ㅎ": "H",
}  # fmt: skip
_JONG_CLASS = {
    "": "",
    "ㄱ": "K", "ㄲ": "K", "ㅋ": "K", "ㄳ": "K", "ㄺ": "K",
    "ㄴ": "N", "ㄵ": "N", "ㄶ": "N",
    "ㄷ": "T", "ㅅ": "T", "ㅆ": "T", "ㅈ": "T", "ㅊ": "T", "ㅌ": "T",
    "ㄹ": "L", "ㄼ": "L", "ㄽ": "L", "ㄾ": "L", "ㅀ": "L",
    "ㅁ": "M", "ㄻ": "M",
    "ㅂ": "P", "ㅍ": "P", "ㅄ": "P", "ㄿ": "P",
    "ㅇ": "N",
    "ㅎ": "",
}  # fmt: skip
_VOWELS = frozenset("aeiouy")
# Latin spellings of several letters → the sound classes Korean writes for them, longest first; a
# tuple lists readings. They are read before any letter of theirs on its own: the c of "check" is
# not a k, nor the w of "while" a vowel. (gh depends on its place: see `_latin_units`.)
_LATIN_CLUSTERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tion", ("SN",)),
    ("sion", ("SN",)),
    ("sch", ("SK", "S")),
    ("tch", ("S",)),
    ("ph", ("P",)),
    ("th", ("S", "T", "TH")),
    ("sh", ("S",)),
    ("ch", ("S", "K")),
    ("ck", ("K",)),
    ("qu", ("K",)),
    ("wh", ("H", "")),
    ("wr", ("L",)),
    ("kn", ("N",)),
)
# Single letters the rules of `_latin_units` (vowels, c, g, r, w, d/t before u) leave to one reading.
_LATIN_LETTERS: dict[str, tuple[str, ...]] = {
    "x": ("KS",),
    "b": ("P",), "p": ("P",), "f": ("P",), "v": ("P",),
    "d": ("T",), "t": ("T",),
    "k": ("K",), "q": ("K",),
    "j": ("S",), "z": ("S",), "s": ("S",),
    "l": ("L",), "m": ("M",), "n": ("N",), "h": ("H",),
}  # fmt: skip
_HANGUL_WORD = re.compile(r"[가-힣]+")
_LATIN_WORD = re.compile(r"[a-z]+")


def _collapse(sounds: str) -> str:
    """Merge repeated sounds: 클러스터 (ㄹㄹ) and "cluster" both give one L."""
    return re.sub(r"(.)\1+", r"\1", sounds)


def hangul_skeleton(word: str) -> str:
    """Return the consonant skeleton of a Hangul word: '도커파일' → 'TKPL', '쿠버네티스' → 'KPNTS'.

    Characters other than Hangul syllables are ignored.
    """
    sounds: list[str] = []
    for char in word:
        if not _HANGUL_WORD.fullmatch(char):
            continue
        cho, _, jong = decompose(char)
        sounds.append(_CHO_CLASS[cho] + _JONG_CLASS[jong])
    return _collapse("".join(sounds))


def _latin_units(word: str) -> list[tuple[str, ...]]:
    """Return, per spelled sound of a lowercase Latin word, the skeleton readings it may have."""
    letters = re.sub(r"(.)\1+", r"\1", re.sub(r"[^a-z]", "", word))
    units: list[tuple[str, ...]] = []
    i = 0
    while i < len(letters):
        rest = letters[i:]
        char = letters[i]
        after = letters[i + 1] if i + 1 < len(letters) else ""
        cluster = next((c for c in _LATIN_CLUSTERS if rest.startswith(c[0])), None)
        if cluster is not None:
            units.append(cluster[1])
            i += len(cluster[0])
            continue
        if char == "g" and after == "h" and (i == 0 or letters[i - 1] in _VOWELS):
            # Initial gh is a ㄱ (ghost → 고스트); after a vowel it is silent (light → 라이트, high → 하이).
            units.append(("K",) if i == 0 else ("",))
            i += 2
            continue
        if char in _VOWELS or char == "w":
            i += 1
            continue
        if char == "r":
            # Non-rhotic: Korean writes no ㄹ for an r after a vowel unless a vowel follows (server → 서버).
            before_vowel = after in _VOWELS and after != ""
            after_vowel = i > 0 and letters[i - 1] in _VOWELS
            units.append(("L",) if before_vowel or not after_vowel else ("",))
            i += 1
            continue
        if char in ("d", "t") and after == "u":
            units.append(("T", "S"))  # schedule → 스케줄, actual → 액추얼
            i += 1
            continue
        if char == "c":
            units.append(("S",) if after in ("e", "i", "y") else ("K",))
            i += 1
            continue
        if char == "g":
            if i > 0 and letters[i - 1] == "n":
                # After n, g is final ㅇ (rolling → 롤링) or a ㄱ of its own (ingress → 인그레스).
                units.append(("", "K", "S") if after in ("e", "i", "y") else ("", "K"))
            elif after in ("e", "i", "y"):
                units.append(("K", "S"))  # git → 깃, image → 이미지
            else:
                units.append(("K",))
            i += 1
            continue
        if char in _LATIN_LETTERS:
            units.append(_LATIN_LETTERS[char])
        i += 1
    return units


def latin_skeletons(word: str) -> tuple[str, ...]:
    """Return the consonant skeletons a Latin word may have in Hangul: 'image' → ('MK', 'MS').

    Letters other than a-z (digits, dots, hyphens) are ignored; the result is capped to a few dozen
    readings, the most literal first.
    """
    units = _latin_units(word.casefold())
    out: list[str] = []
    for choice in product(*units):
        skeleton = _collapse("".join(choice))
        if skeleton not in out:
            out.append(skeleton)
        if len(out) >= _MAX_VARIANTS:
            break
    return tuple(out)


def _similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    if len(a) < _SHORT or len(b) < _SHORT:
        return 0.0  # one or two sounds (레이어: L, 샤드: ST) match half the dictionary: the lexicon links those
    if a[0] != b[0]:
        return 0.0  # the first sound survives every loanword spelling; differing, it is another word
    longest = max(len(a), len(b))
    if longest <= _SHORT:
        return 1.0 if a == b else 0.0
    return 1.0 - OSA.distance(a, b) / longest


def _latin_vowel_groups(word: str) -> int:
    letters = re.sub(r"[^a-z]", "", word.casefold())
    if len(letters) > 3 and re.search(r"[^aeiouy]e\Z", letters):
        letters = letters[:-1]  # a silent final e: "file" → 파일, two syllables, not three
    return len(re.findall(r"[aeiouy]+", letters))


def plausible_loanword(hangul: str, latin: str) -> bool:
    """Return whether a Hangul word is shaped like a spelling of a Latin word, beyond its consonants.

    Loanwords are written mostly in open syllables, one per English vowel, plus an 으 for a lone
    consonant (도커파일, 디스커버리, 인스톨); native words pack consonants into final positions
    (목적, 반드시) and differ in syllable count. A filter on top of an exact skeleton match: it
    drops most coincidences between native words and English words (가벼운가 / copying).
    """
    syllables = [decompose(char) for char in hangul if _HANGUL_WORD.fullmatch(char)]
    if not syllables:
        return False
    sounds = len(hangul_skeleton(hangul))
    if sounds > len(syllables) + 1:
        return False
    voiced = sum(1 for _, vowel, _ in syllables if vowel != "ㅡ")
    return abs(voiced - _latin_vowel_groups(latin)) <= 1


def _hangul_beats(word: str) -> int:
    """Return the syllables of a Hangul word that carry a vowel of the source word (not an added ㅡ)."""
    return sum(1 for char in word if _HANGUL_WORD.fullmatch(char) and decompose(char)[1] != "ㅡ")


def _latin_beats(word: str) -> int:
    """Return the vowel groups of a Latin word, without a silent final e (image: i, a)."""
    letters = re.sub(r"[^a-z]", "", word.casefold())
    groups = re.findall(r"[aeiouy]+", letters)
    if len(groups) > 1 and re.search(r"[^aeiouy]e\Z", letters):
        groups.pop()
    return len(groups)


def _beat_factor(hangul: str, latin: str, sounds: int) -> float:
    """Weigh a skeleton match by how far the words' syllable counts are apart.

    Korean adds syllables for English diphthongs (table → 테이블) and some finals (image → 이미지), so
    one syllable of difference is common in long words; two, or one in a three-sound word, is
    another word that happens to share consonants (수집기 / spec, 별도 / prod).
    """
    gap = abs(_hangul_beats(hangul) - _latin_beats(latin))
    if gap == 0:
        return 1.0
    if gap == 1:
        return 0.9 if sounds > _SHORT else 0.8
    return 0.5


def loanword_match(hangul: str, latin: str) -> float:
    """Return how well a Hangul word spells a Latin word as a loanword, from 0.0 (not at all) to 1.0.

    '도커파일' / 'Dockerfile' → 1.0; '레지스트리' / 'registry' → 1.0; '파드' / 'node' → 0.0. Spaces
    and hyphens are ignored ('롤링 업데이트' / 'rolling-update'). Words without a Hangul syllable on
    the one side or a Latin letter on the other score 0.0.
    """
    korean = hangul_skeleton(hangul)
    if not korean:
        return 0.0
    best = max((_similarity(korean, skeleton) for skeleton in latin_skeletons(latin)), default=0.0)
    return best * _beat_factor(hangul, latin, len(korean)) if best else 0.0


@dataclass(frozen=True)
class LoanwordLink:
    """A Hangul word and the Latin word it spells, with the match score."""

    hangul: str
    latin: str
    score: float


def _is_hangul_word(word: str) -> bool:
    return bool(_HANGUL_WORD.fullmatch(word.replace(" ", ""))) and len(word.replace(" ", "")) >= 2


def _is_latin_word(word: str) -> bool:
    """Whether word is a Latin word Korean would spell by sound: letters with a vowel ('SDK' is read by letters)."""
    return (
        bool(re.fullmatch(r"[A-Za-z][A-Za-z .\-]*", word))
        and sum(c.isalpha() for c in word) >= 3
        and bool(re.search(r"[aeiouyAEIOUY]", word))
        and not word.isupper()
    )


def _best(
    word: str,
    candidates: Iterable[str],
    score: Callable[[str, str], float],
    cutoff: float,
) -> tuple[str, float] | None:
    """Return the best-scoring candidate above `cutoff`, or None when two candidates tie for best."""
    best: tuple[str, float] | None = None
    tied = False
    for candidate in sorted(set(candidates)):
        value = score(word, candidate)
        if value < cutoff:
            continue
        if best is None or value > best[1]:
            best, tied = (candidate, value), False
        elif value == best[1]:
            known, other = best[0].casefold(), candidate.casefold()
            if other.startswith(known) or known.startswith(other):
                # One word with and without a particle (도커파일 / 도커파일을): the same link, keep the shorter.
                best = (candidate, value) if len(candidate) < len(best[0]) else best
            else:
                tied = True
    return None if tied else best


def best_latin_match(hangul: str, vocabulary: Iterable[str], *, cutoff: float = DEFAULT_CUTOFF) -> LoanwordLink | None:
    """Return the Latin word of `vocabulary` that `hangul` spells best, or None below `cutoff` or on a tie.

    A tie between two different words means the sounds cannot tell them apart; no link is safer.
    """
    if not _is_hangul_word(hangul):
        return None
    found = _best(hangul, (w for w in vocabulary if _is_latin_word(w)), loanword_match, cutoff)
    return LoanwordLink(hangul, found[0], found[1]) if found else None


def best_hangul_match(latin: str, vocabulary: Iterable[str], *, cutoff: float = DEFAULT_CUTOFF) -> LoanwordLink | None:
    """Return the Hangul word of `vocabulary` that spells `latin` best, or None below `cutoff` or on a tie."""
    if not _is_latin_word(latin):
        return None
    found = _best(latin, (w for w in vocabulary if _is_hangul_word(w)), lambda a, b: loanword_match(b, a), cutoff)
    return LoanwordLink(found[0], latin, found[1]) if found else None


def link_loanwords(
    hangul_words: Sequence[str], latin_words: Sequence[str], *, cutoff: float = DEFAULT_CUTOFF
) -> list[LoanwordLink]:
    """Return the Hangul/Latin pairs that are each other's best match (both ways) above `cutoff`.

    Requiring the match both ways keeps a Latin word from collecting several Hangul words that merely
    share its consonants: of 도커 and 도커파일, only 도커파일 is Dockerfile's best match.
    """
    links: list[LoanwordLink] = []
    for hangul in dict.fromkeys(hangul_words):
        forward = best_latin_match(hangul, latin_words, cutoff=cutoff)
        if forward is None:
            continue
        backward = best_hangul_match(forward.latin, hangul_words, cutoff=cutoff)
        if backward is not None and backward.hangul == hangul:
            links.append(forward)
    return links
