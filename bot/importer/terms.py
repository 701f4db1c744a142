"""A lesson's technical vocabulary: its English terms, and the synonym groups a draft's glossary starts with.

The draft's glossary joins four sources, all pure functions of the lesson's text:
- the `한국어(English)` pairs the lesson writes itself (`bot.importer.draft.find_glossary`);
- the built-in IT lexicon's groups that the lesson uses (pod/파드/팟 when it says 파드);
- loanword links between the lesson's own Hangul and Latin words that neither of the above knows
  (도커파일 ↔ Dockerfile), found by `bot.loanword.link_loanwords`;
- the Hangul letter names of its acronyms (PVC ↔ 피브이씨), as learners type them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache

from bot.glossary import load_paraphrases
from bot.it_lexicon import Lexicon, merge_glossary
from bot.lexicon import is_korean_filler, strip_ending
from bot.loanword import link_loanwords
from bot.vocabulary import compact

# Particles and endings a Hangul word of the text may carry; stripped before loanword linking so that
# 도커파일을 and 도커파일 are one word (longest first).
_PARTICLE_ENDS = (
    "에서는", "으로는", "이라고", "이라는", "에서", "으로", "이랑", "이란", "이나", "까지", "부터", "처럼", "보다",
    "에게", "마다", "들은", "들이", "들을", "들의", "이다", "입니다",
    "은", "는", "이", "가", "을", "를", "의", "에", "로", "과", "와", "랑", "도", "만", "란", "들",
)  # fmt: skip
# Latin words of a heading that name no concept ("파드 vs 노드").
_FUNCTION_WORDS = frozenset({"vs", "and", "or", "the", "of", "a", "an", "to", "in", "on", "with"})
_HANGUL_WORD = re.compile(r"[가-힣]{2,}")
_LATIN_WORD = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]+(?![A-Za-z0-9])")  # base64, k8s, ec2 too


def hangul_stems(text: str) -> list[str]:
    """Return the Hangul words of text, without a trailing particle and as written, in order of appearance."""
    stems: list[str] = []
    for word in _HANGUL_WORD.findall(text):
        stem = _without_particle(word)
        if stem != word:
            stems.append(stem)
        # The word as written too: its last syllable may be its own, not a particle (워크플로).
        stems.append(word)
    return list(dict.fromkeys(stems))


@cache
def _everyday_korean() -> frozenset[str]:
    """Return the Hangul words of the paraphrase lexicon (빠르, 느려, 워크플로)."""
    return frozenset(term for group in load_paraphrases().groups() for term in group if _HANGUL_WORD.fullmatch(term))


def _inflected(word: str, stems: frozenset[str]) -> bool:
    """Whether a Hangul word is one of `stems` with a verb ending (빠르게, 빠르지: 빠르)."""
    stem = strip_ending(word, None)
    return stem != word and stem in stems


def _without_particle(word: str) -> str:
    for end in _PARTICLE_ENDS:
        if word.endswith(end) and len(word) - len(end) >= 2:
            return word[: -len(end)]
    return word


def latin_words(text: str) -> list[str]:
    """Return the Latin words of text (two letters or more), in order of first appearance."""
    return list(dict.fromkeys(_LATIN_WORD.findall(text)))


def loanword_pairs(text: str, known: Iterable[str] = ()) -> list[list[str]]:
    """Return [Hangul, Latin] pairs of the text's words that spell each other and `known` does not link.

    A Hangul word already in a known group (the lexicon or the lesson's own pairs), with or without a
    particle, is left out: they decided about it.
    """
    known_keys = {compact(term) for term in known}
    everyday = _everyday_korean()
    hangul = [
        w
        for w in hangul_stems(text)
        if compact(w) not in known_keys
        and compact(_without_particle(w)) not in known_keys
        # A native word (그런데, 빠르게) may share an English word's consonants (current, public): chat
        # fillers and inflections of the paraphrase lexicon's everyday stems (빠르 + 게) are no loanwords.
        and not is_korean_filler(w)
        and not _inflected(w, everyday)
    ]
    latin = latin_words(text)
    return [[link.hangul, link.latin] for link in link_loanwords(hangul, latin)]


# How Korean learners spell out the letters of an acronym (PVC → 피브이씨, DB → 디비).
_LETTER_NAMES = {
    "A": "에이", "B": "비", "C": "씨", "D": "디", "E": "이", "F": "에프", "G": "지", "H": "에이치", "I": "아이",
    "J": "제이", "K": "케이", "L": "엘", "M": "엠", "N": "엔", "O": "오", "P": "피", "Q": "큐", "R": "알",
    "S": "에스", "T": "티", "U": "유", "V": "브이", "W": "더블유", "X": "엑스", "Y": "와이", "Z": "지",
}  # fmt: skip
_ACRONYM = re.compile(r"(?<![A-Za-z0-9_])[A-Z]{2,5}(?![A-Za-z0-9_])")


def acronym_readings(text: str) -> list[list[str]]:
    """Return [ACRONYM, its letters in Hangul] for the acronyms a lesson writes: [PVC, 피브이씨, 피브이시].

    Learners type an acronym as they say it; C is written 씨 and 시 alike.
    """
    pairs: list[list[str]] = []
    for acronym in dict.fromkeys(_ACRONYM.findall(text)):
        if len(acronym) > 3 and sum(letter in "AEIOU" for letter in acronym) > 1:
            continue  # a word in capitals (ERROR, DEBUG), said as a word, not letter by letter
        spelled = "".join(_LETTER_NAMES[letter] for letter in acronym)
        pairs.append(list(dict.fromkeys([acronym, spelled, spelled.replace("씨", "시")])))
    return pairs


def draft_glossary(lexicon: Lexicon, lesson_pairs: Sequence[Sequence[str]], text: str) -> list[list[str]]:
    """Return a draft's glossary: the lesson's pairs and loanword links.

    Each lesson pair absorbs the lexicon groups it shares a term with, so the lesson's spelling
    stays canonical and a learner's variant (팟, 리플리카) meets it. Lexicon groups no pair touches
    are left out: every Matcher applies the built-in lexicon to every lesson anyway, and copying it
    into each file would only make a hand-edited glossary harder to read and re-import.
    Deterministic: the order follows the lesson and the lexicon file.
    """
    used = Lexicon.from_groups(lexicon.groups_in(text))
    known = [term for group in (*lesson_pairs, *used.groups()) for term in group]
    pairs = [list(p) for p in lesson_pairs] + loanword_pairs(text, known)
    for reading in acronym_readings(text):
        # Into the lesson's own group for the acronym when it has one: one term is claimed by one group.
        home = next((p for p in pairs if compact(reading[0]) in {compact(term) for term in p}), None)
        if home is None:
            pairs.append(reading)
        else:
            home.extend(term for term in reading[1:] if term not in home)
    return [list(group) for group in merge_glossary(used, pairs)[: len(pairs)]]


def english_forms(text: str, lexicon: Lexicon) -> list[str]:
    """Return the English names of the concepts a phrase mentions: '롤링 업데이트' → ['rolling update'].

    Latin words of the phrase are kept as written; Hangul terms are looked up in the lexicon, longest
    first, and give the group's canonical (English) form.
    """
    written = [word for word in latin_words(text) if word.casefold() not in _FUNCTION_WORDS]
    written_keys = {compact(word) for word in written}
    found: list[str] = []
    for group in lexicon.groups_in(text):
        # The lesson's own spelling of an English term wins over the lexicon's (ReplicaSet, not replicaset).
        if any(compact(term) in written_keys for term in group):
            continue
        english = group[0]
        if re.fullmatch(r"[a-z0-9][a-z0-9 .\-/]*", english):
            found.append(english)
    forms = [*written, *found]
    # Drop a form contained in a longer one ("update" inside "rolling update").
    keys = [compact(form) for form in forms]
    return [
        form for form, key in zip(forms, keys, strict=True) if not any(key != other and key in other for other in keys)
    ]
