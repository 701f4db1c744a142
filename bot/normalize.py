"""Text normalisation shared by questions and knowledge phrasings: four stages and the reader joining them.

The same steps run on both sides, so whatever a learner's spelling, spacing, particles or
keyboard mode, the question and the lesson meet as the same canonical tokens:

1. repair (`repair`, questions only): NFC, controls, mentions and URLs out, keyboard slips undone;
2. segment (`segment`): case fold, glossary phrases joined, words; Korean split and joined against
   the lesson's vocabulary;
3. correct (`correct`, questions only): typos read as the nearest lesson word;
4. expand (`expand`): 초성 read as lesson words; every reading mapped to its glossary canonical form.

Per word, `Normaliser` also drops what carries no topic (stop words, fillers, particles and
endings; the word lists are in `lexicon`). Each stage is a small class or function that can be
read and tested alone; this module decides, per word, which of them runs and in what order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import chain

from bot.correct import Corrector, slipped_korean
from bot.expand import Expander
from bot.lexicon import (
    ENDINGS,
    ENGLISH_STOPWORDS,
    PARTICLES,
    auxiliary_main,
    english_variants,
    infinitive_stem,
    is_korean_filler,
    nominal_stems,
    strip_ending,
    strip_particles,
)
from bot.memo import remembered
from bot.repair import Repair, clean_text, detect_language
from bot.segment import Segmenter, Word, detach_particle
from bot.tuning import MatcherTuning
from bot.vocabulary import CHOSEONG_WORD, HANGUL_SYLLABLE, Slot, Vocabulary, compact, fold, known

__all__ = ["Normaliser", "Slot", "clean_text", "compact", "detect_language", "strip_particles"]

_VOWEL_JAMO = re.compile(r"[ㅏ-ㅣ]")
_HANGUL_THEN_LATIN = re.compile(r"[가-힣][a-z]")
_GLUED_PAIR = re.compile(r"([가-힣]+)(?=([a-z]+))")
# `vocabulary.WORD`'s words, each in the first group when it follows a Latin word with no space
# (`Word.attached`: only a non-Latin word can, since a Latin run is one word), else in the second.
_KEYED_WORD = re.compile(r"(?<=[0-9a-z])([가-힣]+|[ㄱ-ㅎ]+|[ㅏ-ㅣ]+)|([0-9a-z]+|[가-힣]+|[ㄱ-ㅎ]+|[ㅏ-ㅣ]+)")


class Normaliser:
    """Turns texts into canonical tokens (knowledge side) or slots (question side)."""

    def __init__(self, vocabulary: Vocabulary, tuning: MatcherTuning) -> None:
        self.vocab = vocabulary
        self.tuning = tuning
        self.repair = Repair(
            max_chars=tuning.max_question_chars, cache_size=tuning.word_cache_size, known=vocabulary.words
        )
        self.segmenter = Segmenter(vocabulary)
        self.corrector = Corrector(vocabulary, tuning)
        self.expander = Expander(vocabulary, tuning)
        # Per-word results, for questions only: learners reuse the same few hundred words, and a
        # word's slots depend on nothing but the word. Bounded, then started afresh.
        self._word_cache: dict[str, list[Slot]] = {}
        # Per word, whether a reading of several words may start at it (`_may_lead_run`): most words
        # start none, and the three readings' tests need not run again for each.
        self._leads_run: dict[str, bool] = {}
        # The knowledge side (no typo correction) repeats its words across thousands of phrasings:
        # per word, as `_KEYED_WORD` finds it (so whether it follows a Latin one), the tokens it gives.
        self._reference_tokens: dict[tuple[str, str], tuple[str, ...]] = {}
        # The glossary's spaced terms as canonical words (`_spaced_terms`), read when first needed.
        self._spaced: frozenset[str] | None = None
        self._halves: frozenset[str] | None = None

    def phrasing_tokens(self, text: str) -> tuple[str, ...]:
        """Return the canonical tokens of a knowledge phrasing (no typo correction: it is the reference)."""
        return tuple(dict.fromkeys(self.reference_tokens(fold(text, self.vocab.phrase_pattern))))

    def reference_tokens(self, folded: str) -> Iterator[str]:
        """Yield the canonical tokens of a folded (`fold`) knowledge text, in order, repeats kept.

        Each word is read as a question's would be, without typo correction (the knowledge side is the
        reference) and without joining words: an index build reads hundreds of thousands of texts, so
        each word's tokens come from a memo, looked up without a Python step per word.
        """
        memo = self._reference_tokens
        words = _KEYED_WORD.findall(folded)
        try:
            found = list(map(memo.__getitem__, words))
        except KeyError:  # a word not read before
            for after_latin, word in words:
                if (after_latin, word) not in memo:
                    memo[after_latin, word] = self._reference_word_tokens(Word(after_latin or word, bool(after_latin)))
            found = list(map(memo.__getitem__, words))
        return chain.from_iterable(found)

    def _reference_word_tokens(self, word: Word) -> tuple[str, ...]:
        return tuple(slot.best for slot in self._word_slots(word, correct=False) if slot.known or slot.best)

    def question_slots(self, text: str) -> tuple[Slot, ...]:
        """Return the slots of a question: repaired, then read with typo correction."""
        return self.repaired_slots(self.repair(text))

    def repaired_slots(self, repaired: str) -> tuple[Slot, ...]:
        """Return the slots of a question already repaired (`repair`)."""
        return tuple(self._slots(repaired))

    def _slots(self, text: str) -> list[Slot]:
        # The matcher's second-hottest loop: stages are called directly, and each word's slots come
        # from the cache when the word was read before.
        # The words as `split_words` gives them, without a `Word` per word: most are read from the cache.
        folded = fold(text, self.vocab.phrase_pattern)
        keyed = _KEYED_WORD.findall(folded)
        texts = [after_latin or word for after_latin, word in keyed]
        slots: list[Slot] = []
        # Hangul typed straight before a Latin word (클러스터IP): the two may be halves of one term.
        glued = _glued_pairs(folded) if _HANGUL_THEN_LATIN.search(folded) else frozenset()
        index = 0
        leads = self._leads_run
        while index < len(texts):
            text = texts[index]
            if text in _BARE_PLACE_NOUNS and slots and slots[-1].known:
                place = self._bare_place(text, texts[index + 1] if index + 1 < len(texts) else None)
                if place is not None:
                    slots.append(place)
                    index += 1
                    continue
            if glued and index + 1 < len(texts) and (text, texts[index + 1]) in glued:
                pair = self._glued_compound(
                    Word(text, bool(keyed[index][0])), Word(texts[index + 1], bool(keyed[index + 1][0]))
                )
                if pair is not None:
                    slots.append(pair)
                    index += 2
                    continue
            lead = leads.get(text)
            if lead is None:
                lead = remembered(leads, text, self._may_lead_run, limit=self.tuning.word_cache_size)
            if lead:
                spaced = self._spaced_choseong(texts, index)
                if spaced is not None:
                    found, used = spaced
                    slots.extend(found)
                    index += used
                    continue
                if index + 1 < len(texts):
                    # A word read with the next one or two as one: a mistyped Latin compound, or split Korean.
                    compound = self.corrector.compound(text, texts[index + 1])
                    if compound is not None:
                        surface = f"{text} {texts[index + 1]}"
                        slots.append(
                            Slot(((self.vocab.canon(compound), self.tuning.compound_confidence),), True, surface)
                        )
                        index += 2
                        continue
                    joined = self.segmenter.join(texts, index)
                    if joined is not None:
                        lesson_word, used = joined
                        slots.append(known(self.vocab.canon(lesson_word), " ".join(texts[index : index + used])))
                        index += used
                        continue
                    term = self._mistyped_term(text, texts[index + 1])
                    if term is not None:
                        slots.append(term)
                        index += 2
                        continue
            slots.extend(self._cached_slots(text, attached=bool(keyed[index][0])))
            index += 1
        return slots

    def _bare_place(self, word: str, following: str | None) -> Slot | None:
        """Read 안/속 typed bare after a noun ("컨테이너 안 뭐 있음") as the place word the lesson writes (안에).

        Chat drops the particle, leaving 안 spelt like the negation; but negation goes before a verb
        ("안 돼", "안 뜸"), while the place word follows a noun and is followed by what is asked about it
        (뭐, 무엇, 어떤 …) or by nothing. Only then, and only when the lesson writes that place word.
        """
        if following is not None and following not in _PLACE_QUESTION_WORDS:
            return None
        for form in (word + "에", word + "의"):
            if form in self.vocab.words:
                return known(self.vocab.canon(form), word)
        return None

    def _mistyped_term(self, first: str, second: str) -> Slot | None:
        """Read two Korean words as the lesson's two-word term they spell with a typo in it.

        The lesson's two-word terms (롤링 업데이트, 컨트롤 루프, 레디니스 프로브) are one word on both sides,
        so a typo in either half (롤링 업데잇, 컨트롤 룹, 리디니스 프로브) leaves two words that match neither
        it nor anything else: 롤링 alone is no lesson word. Read apart, one of them is unknown or a guess;
        read together, the typo corrector finds the term. Only a term the glossary writes as two words counts,
        so two words that each stand alone are never merged into a near lesson word.
        """
        if len(first) < 2 or len(second) < 2 or not (_ALL_HANGUL.match(first) and _ALL_HANGUL.match(second)):
            return None
        # One half is typed right (a typo in both is no term we could tell): a set lookup spares the
        # typo corrector the many pairs of words that are no half of any term.
        halves = self._spaced_halves()
        if first not in halves and second not in halves and strip_particles(second) not in halves:
            return None
        first_slots = self._cached_slots(first, attached=False)
        second_slots = self._cached_slots(second, attached=False)
        if not first_slots or not second_slots:
            return None  # a filler or an ending ("다루는 거예요"): no half of a term
        apart = [*first_slots, *second_slots]
        if all(slot.known and min(c for _, c in slot.readings) >= 1.0 for slot in apart):
            return None
        together = self._cached_slots(first + second, attached=False)
        if len(together) != 1 or not together[0].known:
            return None
        [slot] = together
        if not all(token in self._spaced_terms() for token, _ in slot.readings):
            return None
        return Slot(slot.readings, True, f"{first} {second}")

    def _spaced_terms(self) -> frozenset[str]:
        """Return the canonical words of the glossary terms written as two words or more (롤링 업데이트)."""
        if self._spaced is None:
            vocab = self.vocab
            self._spaced = frozenset(vocab.canon(compact(phrase)) for phrase in self._spaced_phrases())
        return self._spaced

    def _spaced_halves(self) -> frozenset[str]:
        """Return the words of the glossary terms written as two words or more (롤링, 업데이트)."""
        if self._halves is None:
            self._halves = frozenset(part for phrase in self._spaced_phrases() for part in phrase.split())
        return self._halves

    def _spaced_phrases(self) -> list[str]:
        # Terms of Korean words of two syllables or more each: "하나씩 더" or "다른 점" are phrases of
        # everyday words, which a mistyped pair of ordinary words would too easily come near.
        return [
            phrase
            for phrase in self.vocab.phrases
            if " " in phrase and all(len(part) >= 2 and _ALL_HANGUL.match(part) for part in phrase.split())
        ]

    def _cached_slots(self, text: str, *, attached: bool) -> list[Slot]:
        """Return a question word's slots (typo correction on), from the per-word cache when read before."""
        cache = self._word_cache
        key = f"+{text}" if attached else text
        cached = cache.get(key)
        if cached is None:
            if len(cache) >= self.tuning.word_cache_size:
                cache.clear()
            cached = cache[key] = self._word_slots(Word(text, attached), correct=True)
        return cached

    def _may_lead_run(self, word: str) -> bool:
        """Return whether a reading of several words may start at `word` (see `_slots`): spaced 초성, a
        mistyped Latin compound, or Korean split by stray spaces. False only where each of those would
        decline at its first word's test, so skipping them changes nothing."""
        if CHOSEONG_WORD.match(word):
            return True  # `_spaced_choseong` (a chat shorthand too: ㄱㅅ is also 가상's initials)
        if word.isalpha() and word.isascii() and word not in ENGLISH_STOPWORDS:
            return True  # `Corrector.compound`
        # `Segmenter.join`: a Korean word, unless it is a lesson word (its particle off) of 2+ syllables
        # that no longer lesson word starts with or is started by (컨피그 + 맵: `Segmenter.may_join_tail`).
        if HANGUL_SYLLABLE.match(word) is None:
            return False
        return not (strip_particles(word) in self.vocab.words and len(word) > 1) or self.segmenter.may_join_tail(word)

    def _glued_compound(self, hangul_word: Word, latin_word: Word) -> Slot | None:
        """Return one slot for a Hangul loanword and a Latin word typed on to it (클러스터IP) that spell a term."""
        first = self._cached_slots(hangul_word.text, attached=hangul_word.attached)
        second = self._cached_slots(latin_word.text, attached=latin_word.attached)
        if len(first) != 1 or len(second) != 1 or not (first[0].known and second[0].known):
            return None
        return _compound_slot(first[0], second[0], self.vocab, hangul_word.text + latin_word.text)

    def _spaced_choseong(self, texts: Sequence[str], index: int) -> tuple[list[Slot], int] | None:
        """Read 초성 words typed apart ("ㅅㅌㅌㅇ ㅍㄹㅂ") as the lesson's term of two or three words.

        The lesson's multi-word terms (스타트업 프로브, 롤링 업데이트) are one word on both sides, so
        their initials read word by word would give two words neither matching it; the joined initials
        read it, when they are only the initials of such terms. Returns the slots and how many words they used.
        """
        if not CHOSEONG_WORD.match(texts[index]):
            return None  # every run starts with this word: most words end the search here
        index_of = self.vocab.choseong_index
        for used in (3, 2):
            if index + used > len(texts):
                continue
            parts = texts[index : index + used]
            if not all(CHOSEONG_WORD.match(part) for part in parts):
                continue
            # A chat shorthand (ㄱㅅ, ㅁㅇ) counts only where the parts spell a term together: then it
            # was the term's initials (ㄱㅅ ㅁㅅ, 가상 머신), never "thanks".
            joined = "".join(parts)
            # The last part may carry a particle's or copula's initial (ㄱㅅ ㅁㅅㅇ: 가상 머신이), as
            # a run-together word may (`Expander.choseong` skips what it cannot read).
            for term in (joined, joined[:-1] if joined[-1] in _PARTICLE_INITIALS else None):
                # Only a term the lesson keeps as one word (a glossary term): 격리수준 is only "격리 수준"
                # written together, still two words on the lesson's side.
                if term and term in index_of and all(word in self.vocab.canonical for word in index_of[term]):
                    return self.expander.choseong(term), used
        return None

    def _word_slots(self, word: Word, *, correct: bool) -> list[Slot]:
        vocab = self.vocab
        text = word.text
        if text in vocab.canonical:
            return [known(vocab.canon(text), text)]
        if CHOSEONG_WORD.match(text):
            return self.expander.choseong(text)
        if HANGUL_SYLLABLE.match(text):
            return self._korean_slots(detach_particle(text) if word.attached else text, correct=correct)
        if _VOWEL_JAMO.match(text):
            return []
        return self._latin_slots(text, correct=correct)

    def _latin_slots(self, word: str, *, correct: bool) -> list[Slot]:
        vocab = self.vocab
        if word in ENGLISH_STOPWORDS or (len(word) == 1 and not word.isdigit()):
            return []
        for candidate in english_variants(word):
            if candidate in vocab.words:
                return [known(vocab.canon(candidate), word)]
        if correct:
            slipped = self._slipped_korean(word)
            if slipped is not None:
                return slipped
            fixed = self.corrector.latin(word)
            if fixed is not None:
                fixed_word, confidence = fixed
                # A mistyped stop word is dropped like the stop word, unless the glossary reads that
                # word (why → reason, vs → difference): "whyy" still asks why.
                if fixed_word in ENGLISH_STOPWORDS and fixed_word not in vocab.canonical:
                    return []
                return [Slot(((vocab.canon(fixed_word), confidence),), True, word)]
            linked = vocab.loanword_of_latin(word)
            if linked is not None:
                return [Slot(((linked, self.tuning.loanword_confidence),), True, word)]
        return [Slot(((word, 1.0),), False, word)]

    def _slipped_korean(self, word: str) -> list[Slot] | None:
        """Read a Latin word as Korean typed in English mode when, so read, it says something."""
        converted = slipped_korean(word)
        if converted is None:
            return None
        slots = self._korean_slots(converted, correct=False)
        if not all(slot.known for slot in slots):
            return None
        confidence = self.tuning.slip_confidence
        return [Slot(tuple((t, c * confidence) for t, c in s.readings), True, word) for s in slots]

    def _korean_slots(self, word: str, *, correct: bool) -> list[Slot]:
        vocab = self.vocab
        if word in PARTICLES or word in ENDINGS or is_korean_filler(word):
            return []
        stem = strip_particles(word)
        for candidate in (word, stem):
            if candidate in vocab.words:
                parts = self.segmenter.compound_parts(candidate)
                if parts:
                    return [known(vocab.canon(part), part) for part in parts]
                if candidate not in vocab.canonical:
                    # 빨라짐 is a lesson word, and also "fast" (빨라) said as a chat ending.
                    candidate = next((s for s in nominal_stems(candidate) if s in vocab.canonical), candidate)
                return [known(vocab.canon(candidate), word)]
        # An ending off a lesson stem (무겁다고 → 무겁) is an exact reading: it goes before any typo guess.
        # The ending may look like a particle too (정리하면: 면), so the whole word is tried as well.
        for inflected in (stem, word):
            bare = strip_ending(inflected, vocab.words)
            if bare != inflected and len(bare) >= 2:
                return [known(vocab.canon(bare), word)]
        main = auxiliary_main(stem)
        if main is not None:
            # 띄워놨는데 asks about 띄워 (놓다 only says it was left so); 해놨는데 is 하다 alone: no topic.
            slots = self._korean_slots(main, correct=correct)
            verb = infinitive_stem(main)
            if verb is None or all(slot.known for slot in slots):
                return slots
            # The lesson may hold the verb by another form than the 아/어 one (띄워 → 띄우 → 띄울).
            others = self._korean_slots(verb, correct=correct)
            return others if any(slot.known for slot in others) else slots
        if correct:
            variant = vocab.hangul_variant(stem)
            if variant is not None:
                # Before typo correction: the edit distance of a vowel or clipped ending of a loanword
                # ties it with unrelated words (컨트롤룹 is as near 컨트롤러 as 컨트롤루프).
                return [Slot(((variant, self.tuning.loanword_confidence),), True, word)]
        if correct and len(stem) >= 2:
            # The stem first; then the word as typed, ending and all: stripping an ending off a
            # misspelt word (쫒겨나 → 쫒겨) can leave a stem too far from the lesson's (쫓겨나) to correct.
            fixed = self.corrector.korean(stem)
            if fixed is None and word != stem:
                fixed = self.corrector.korean(word)
            if fixed is not None:
                return [Slot(((vocab.canon(fixed), self.tuning.korean_typo_confidence),), True, word)]
            linked = vocab.loanword_of_hangul(stem)
            if linked is not None:
                return [Slot(((linked, self.tuning.loanword_confidence),), True, word)]
        pieces = self.segmenter.segment(word)
        if pieces is not None:
            return self._segmented_slots(pieces, correct=correct)
        stem = strip_ending(stem, vocab.words)
        if stem in vocab.words:
            return [known(vocab.canon(stem), word)]
        # Chat endings (빨라짐?, 힘듦?) read as the predicate the lesson uses.
        nominal = next((s for s in nominal_stems(stem) if s in vocab.words), None)
        if nominal is not None:
            return [known(vocab.canon(nominal), word)]
        return [Slot(((stem, 1.0),), False, word)]

    def _segmented_slots(self, pieces: list[tuple[str, bool]], *, correct: bool) -> list[Slot]:
        vocab, tuning = self.vocab, self.tuning
        # A word found inside a longer, partly unknown word is slightly less certain.
        certainty = 1.0 if all(k for _, k in pieces) else tuning.segment_confidence
        slots: list[Slot] = []
        for piece, is_word in pieces:
            if is_word:
                parts = self.segmenter.compound_parts(piece)
                slots.extend(Slot(((vocab.canon(part), certainty),), True, part) for part in parts or (piece,))
                continue
            if correct and len(piece) >= 2:
                fixed = self.corrector.korean(piece)
                if fixed is not None:
                    slots.append(Slot(((vocab.canon(fixed), tuning.segment_typo_confidence),), True, piece))
                    continue
            slots.append(Slot(((piece, 1.0),), False, piece))
        return _joined_loanwords(slots, vocab)


# The initials of the particles and copula typed on to a term's 초성 (이/은/을/의, 는, 를, 가).
_PARTICLE_INITIALS = frozenset("ㅇㄴㄹㄱ")
# Place nouns chat types without their particle after a noun ("<noun> 안 뭐 있음"): `_bare_place`.
_BARE_PLACE_NOUNS = frozenset(("안", "속"))
# The words that ask what is in a place, after a bare place noun: 안 before them is no negation.
_PLACE_QUESTION_WORDS = frozenset(
    "뭐 뭐가 뭘 뭐뭐 무엇 무엇이 무엇을 무슨 어떤 머 머가 뭐임 뭐야 뭐있음 뭐들어감 뭐들어가".split()
)


# A word of Hangul syllables only (the halves of a Korean two-word term).
_ALL_HANGUL = re.compile(r"[가-힣]+\Z")


def _joined_loanwords(slots: list[Slot], vocab: Vocabulary) -> list[Slot]:
    """Read the loanwords of one run-together Hangul word as the lesson's Latin compound they spell.

    Korean writes a Latin compound as its parts' loanwords (클러스터아이피 for ClusterIP): the word
    segments into two lesson words, each read as its own Latin word, and the lesson's term is only
    their concatenation. Spaced parts are left apart: 로드밸런서 서비스 is a service of that type, and
    "pod ip" two words, not "podip".
    """
    merged: list[Slot] = []
    for slot in slots:
        previous = merged[-1] if merged else None
        if previous is not None and previous.known and slot.known:
            compound = _compound_slot(previous, slot, vocab, previous.surface + slot.surface)
            if compound is not None:
                merged[-1] = compound
                continue
        merged.append(slot)
    return merged


def _compound_slot(first: Slot, second: Slot, vocab: Vocabulary, surface: str) -> Slot | None:
    """Return one slot for the lesson's Latin term two slots' readings spell together, if any
    (as sure as the less sure of the two)."""
    head, tail = first.best, second.best
    if not (head.isascii() and tail.isascii() and head.isalpha() and tail.isalpha()):
        return None
    joined = head + tail
    if joined not in vocab.canonical and joined not in vocab.words:
        return None
    confidence = min(max(c for _, c in s.readings) for s in (first, second))
    return Slot(((vocab.canon(joined), confidence),), True, surface)


def _glued_pairs(folded: str) -> frozenset[tuple[str, str]]:
    """Return the (Hangul word, Latin word) pairs of a folded text typed with no space between them."""
    return frozenset((m.group(1), m.group(2)) for m in _GLUED_PAIR.finditer(folded))
