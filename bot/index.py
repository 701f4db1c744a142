"""The scoring index behind the matcher: entries, phrasings, word weights, and ranking.

Pure arithmetic over canonical words (see `normalize`): no I/O, no decisions. `matching.Matcher`
decides between answer, suggestions and no match from what `SearchIndex.rank` returns.

The index owns its corpus: it lists each entry's texts once (`EntryTexts`), builds the vocabulary
and the `Normaliser` from them, and normalises them into phrasings. Questions must go through the
same `SearchIndex.normaliser`, so both sides meet as the same words.

Scoring, in one paragraph: every knowledge phrasing becomes a set of canonical words, weighted by
how telling they are across entries (IDF). An entry's score blends how well its best phrasing
covers the question and is covered by it (an F-score whose balance shifts towards precision for
long questions), how much of the question its whole vocabulary explains, and whether its title
does; words the lessons never use lower confidence.
"""

from __future__ import annotations

import itertools
import math
import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from bot.glossary import load_paraphrases
from bot.it_lexicon import Lexicon, extended_by, merge_glossary
from bot.knowledge import LANGS, Entry, Knowledge, Lang, Lesson, Text
from bot.normalize import Normaliser, Slot
from bot.scope import EVERYWHERE, Scope
from bot.tuning import MatcherTuning
from bot.vocabulary import Vocabulary, assemble_vocabulary, build_vocabulary, compact, fold


@dataclass(frozen=True)
class Candidate:
    """A scored entry."""

    lesson_id: str
    entry_id: str
    score: float
    title: Text
    # Share of the question's known words (by weight) the entry's vocabulary explains: a feature of
    # the answer decision (see `decision`), not part of the candidate's identity.
    coverage: float = field(default=0.0, compare=False)

    @property
    def qualified_id(self) -> str:
        """Return `lesson/entry`, the id used wherever more than one lesson may be loaded."""
        return f"{self.lesson_id}/{self.entry_id}"


def _swap_scores(scored: list[Candidate], first: int, second: int) -> None:
    """Give two candidates of a ranking each other's score and coverage (the best score, so how sure the
    answer is, stays; only which entry holds it changes)."""
    one, other = scored[first], scored[second]
    scored[first] = replace(one, score=other.score, coverage=other.coverage)
    scored[second] = replace(other, score=one.score, coverage=one.coverage)


def _scored(lesson_id: str, entry_id: str, score: float, title: Text, coverage: float) -> Candidate:
    """Return `Candidate(lesson_id, entry_id, score, title, coverage)`, the same object, made faster.

    A frozen dataclass's `__init__` sets each field through `object.__setattr__`; a ranking makes a
    candidate per entry scored, for every question. The fields go straight into the new instance's
    `__dict__`, in field order, as `__init__` would leave them.
    """
    candidate = object.__new__(Candidate)
    fields = candidate.__dict__
    fields["lesson_id"] = lesson_id
    fields["entry_id"] = entry_id
    fields["score"] = score
    fields["title"] = title
    fields["coverage"] = coverage
    return candidate


@dataclass(frozen=True)
class _Shape:
    """A question as one lesson sees it: its words' weights in that lesson, and what follows from them."""

    weights: Sequence[float]
    total: float
    known_total: float
    unknown_penalty: float
    beta2: float
    unknown_share: float
    guessed_share: float


@dataclass(frozen=True)
class _LessonWeights:
    """How telling each word is within one lesson (IDF over its entries), and what an unknown word weighs.

    `idfs` holds every word the lesson's entries use (answer-only words at `default_idf`).
    """

    idfs: Mapping[str, float]
    default_idf: float
    unknown_weight: float

    @classmethod
    def of(cls, entries: Sequence[_EntryIndex], tuning: MatcherTuning) -> _LessonWeights:
        """Return the weights of the lesson whose entries are `entries`."""
        doc_freq: dict[str, int] = {}
        answer_only: set[str] = set()
        for index in entries:
            for token, factor in index.pool.items():
                if factor == 1.0:
                    doc_freq[token] = doc_freq.get(token, 0) + 1
                else:
                    answer_only.add(token)
        total = max(len(entries), 1)
        idfs = {token: math.log(1.0 + total / df) for token, df in doc_freq.items()}
        # fsum, here and for phrasing weights: exact whatever the (hash-seeded) order of the tokens,
        # so scores do not differ in their last digits between two runs.
        mean_idf = math.fsum(idfs.values()) / max(len(idfs), 1)
        default_idf = math.log(1.0 + total)
        for token in answer_only - idfs.keys():
            idfs[token] = default_idf
        return cls(idfs, default_idf, tuning.unknown_weight * mean_idf)

    def idf(self, token: str) -> float:
        return self.idfs.get(token, self.default_idf)


@dataclass(frozen=True)
class EntryTexts:
    """The texts of one entry, each listed once: what it is asked as, its keywords, what it answers."""

    lesson: Lesson
    entry: Entry
    phrasings: tuple[str, ...]
    keywords: tuple[str, ...]
    answers: tuple[str, ...]

    @classmethod
    def of(cls, lesson: Lesson, entry: Entry) -> EntryTexts:
        """Return the texts of `entry` (a table row's label and cells count as its own)."""
        phrasings = tuple(phrasing_texts(lesson, entry))
        return cls(lesson, entry, phrasings, entry.keywords, tuple(answer_texts(lesson, entry)))


def corpus_texts(knowledge: Knowledge, entries: Iterable[EntryTexts]) -> Iterable[str]:
    """Yield the texts the vocabulary is built from: phrasings, answers, and the not-covered terms."""
    for texts in entries:
        yield from texts.phrasings
        yield from texts.answers
    for lesson in knowledge.lessons:
        for item in lesson.out_of_scope:
            yield from item.terms


def glossary_groups(
    knowledge: Knowledge,
    lexicon: Lexicon | None = None,
    corpus: Iterable[str] = (),
    paraphrases: Lexicon | None = None,
) -> list[tuple[str, ...]]:
    """Return every synonym group: the lessons' own (they win a term), then the IT lexicon's and the
    paraphrase lexicon's (`glossary`), the latter extending the former where they share a term.

    Only the lexicon groups some lesson text (`corpus`) or glossary uses are active; a lesson group
    that shares a term with one absorbs it, keeping the lesson's canonical form (`merge_glossary`).
    """
    lesson_groups = [tuple(group) for lesson in knowledge.lessons for group in lesson.glossary]
    shared = lexicon if lexicon is not None else Lexicon.from_groups(())
    if paraphrases is not None:
        shared = extended_by(shared, paraphrases)
    if not len(shared):
        return list(lesson_groups)
    glossary_terms = (term for group in lesson_groups for term in group)
    active = shared.used_in(itertools.chain(corpus, glossary_terms))
    return list(merge_glossary(active, lesson_groups))


class Ranking(NamedTuple):
    """Ranked candidates, best first, and what the question's words were like (shares by weight)."""

    candidates: list[Candidate]
    # Words no lesson uses, and words read only by a guess (typo, 초성, slip, a word inside a word).
    unknown_share: float
    guessed_share: float


class _EntryIndex(NamedTuple):
    lesson: Lesson
    entry: Entry
    # The entry's phrasings: their ids in the index's phrasing columns.
    phrasings: range
    # Every word the entry uses, with its factor (see `EntryTerms.pool`).
    pool: Mapping[str, float]
    # The entry's title per language, compacted (`LANGS` order), for substring search.
    title_keys: tuple[str, ...]


@dataclass(frozen=True)
class EntryTerms:
    """What one entry brings to the index, as normalised words: its distinct phrasings and its word pool.

    The expensive, derived part of an index (every text normalised), and plain data: `index_to_plain`
    writes it to the compiled-index cache and `index_from_plain` reads it back. `SearchIndex` keeps
    these very sets and this dict (read-only once built), so building it from them copies nothing.
    """

    # The canonical words of each distinct phrasing, in text order.
    phrasings: tuple[frozenset[str], ...]
    # Per phrasing, 1 when it is a title, else 0 (a column, as the index keeps it: no object per phrasing).
    titles: bytes
    # Every word the entry uses, with its factor (1.0, or `answer_word_factor` for answer-only words).
    pool: Mapping[str, float]


def entry_terms(texts: EntryTexts, norm: Normaliser, tuning: MatcherTuning, folded: Iterator[str]) -> EntryTerms:
    """Return the normalised words of one entry's texts; `folded` yields its phrasings, then its answers, as
    `fold` with the vocabulary's phrases makes them (and as `corpus_texts` lists them)."""
    titles = {texts.entry.title.ko, texts.entry.title.en}
    phrasings: list[frozenset[str]] = []
    is_title = bytearray()
    seen: dict[frozenset[str], int] = {}
    pool: dict[str, float] = {}
    for text in texts.phrasings:
        tokens = frozenset(norm.reference_tokens(next(folded)))
        if not tokens:
            continue
        # Phrasings that normalise alike score alike: keep one (a title if either is).
        if tokens in seen:
            if text in titles:
                is_title[seen[tokens]] = 1
            continue
        seen[tokens] = len(phrasings)
        phrasings.append(tokens)
        is_title.append(text in titles)
        for token in tokens:
            pool[token] = 1.0
    # Repeated tokens change nothing below: a dict keeps its first insertion's place.
    for keyword in texts.keywords:
        for token in norm.reference_tokens(fold(keyword, norm.vocab.phrase_pattern)):
            pool[token] = 1.0
    for _ in texts.answers:
        for token in norm.reference_tokens(next(folded)):
            pool.setdefault(token, tuning.answer_word_factor)
    return EntryTerms(tuple(phrasings), bytes(is_title), pool)


def subsection_labels(entry: Entry) -> tuple[str, ...]:
    """Return the names a subsection's "X: what it does" title gives it ("requests", "롤백"), by language.

    Such a title names its subject before the colon; the rest describes it (see
    `SearchIndex._named_subsection_first`).
    """
    if entry.parent is None:
        return ()
    labels = (text.split(":", 1)[0].strip() for text in (entry.title.ko, entry.title.en) if text and ":" in text)
    return tuple(label for label in labels if label)


# A heading's subject: "X(Alias)…", "X: what it does", "X란?" / "X이란?" (X of at most three words).
_HEADING_SUBJECT = re.compile(r"^\s*([^():?]{1,40}?)\s*(?:\(([^()]*)\)|(?:이)?란\s*\?|:)")


def _subject(heading: str) -> str:
    """Return what a heading is about, its alias too ("스테이트풀셋 StatefulSet"); "" for a heading naming none."""
    found = _HEADING_SUBJECT.match(heading)
    if found is None or len(found.group(1).split()) > 3:
        return ""
    return " ".join(part for part in found.groups() if part)


def _name_forms(label: str) -> list[str]:
    """Return a name's forms: "라이브니스 프로브(Liveness Probe)" → the name outside and inside the brackets."""
    inside = re.findall(r"\(([^()]*)\)", label)
    outside = re.sub(r"\([^()]*\)", " ", label).strip()
    return [form for form in (outside, *inside) if form.strip()]


@dataclass(frozen=True)
class IndexData:
    """The derived plain data an index is built from: its vocabulary and every entry's words."""

    vocabulary: Vocabulary
    entries: tuple[EntryTerms, ...]

    @classmethod
    def build(
        cls,
        knowledge: Knowledge,
        *,
        tuning: MatcherTuning,
        lexicon: Lexicon | None = None,
        paraphrases: Lexicon | None = None,
        previous: SearchIndex | None = None,
    ) -> IndexData:
        """Normalise every text of `knowledge` (the slow part of building an index); an entry's word sets
        and pool equal to those of `previous` (the index a reload replaces) are taken from it.

        `paraphrases` defaults to the built-in paraphrase lexicon (`glossary.load_paraphrases`); an
        empty `Lexicon.from_groups(())` turns it off."""
        if paraphrases is None:
            paraphrases = load_paraphrases()
        entries = [EntryTexts.of(lesson, entry) for lesson, entry in knowledge.entries()]
        # Paraphrase-only terms (not a lesson's glossary nor the IT lexicon's) are exact-only words.
        claimed = {compact(t) for lesson in knowledge.lessons for group in lesson.glossary for t in group}
        if lexicon is not None:
            claimed.update(compact(t) for group in lexicon.groups() for t in group)
        joined = bytearray()  # per corpus text, whether folding it joined a glossary phrase
        vocabulary = build_vocabulary(
            glossary_groups(knowledge, lexicon, corpus_texts(knowledge, entries), paraphrases),
            # Read again rather than held in a list: at 300 lessons the list alone is megabytes, and a
            # reload builds while the serving index still stands.
            corpus_texts(knowledge, entries),
            compound_min_chars=tuning.compound_min_chars,
            loanword_min_sounds=tuning.loanword_min_sounds,
            exact_only={compact(t) for group in paraphrases.groups() for t in group} - claimed,
            joined=joined,
        )
        if previous is not None and previous.normaliser.vocab == vocabulary:
            # The serving index's equal vocabulary: this copy goes now, not when the build ends.
            vocabulary = previous.normaliser.vocab
        # A normaliser for the build only: its per-word memo of the knowledge side is released with it.
        norm = Normaliser(vocabulary, tuning)
        shared = SharedParts.of(previous)
        # The texts again, folded as the vocabulary read them: the phrase scan, the slow part of folding,
        # runs again only on the texts where it found a phrase.
        pattern = vocabulary.phrase_pattern
        folded = (
            fold(text, pattern) if was_joined else text.casefold()
            for text, was_joined in zip(corpus_texts(knowledge, entries), joined, strict=True)
        )
        return cls(
            vocabulary,
            tuple(shared.terms(t.lesson.id, t.entry, entry_terms(t, norm, tuning, folded)) for t in entries),
        )


def index_to_plain(data: IndexData, tuning: MatcherTuning) -> dict[str, Any]:
    """Return `data` as JSON-able plain values (see `index_from_plain`); its entries as an iterator, made
    one by one as `cache.PlainCache.put` writes them (it raises ValueError on one it cannot hold)."""
    vocabulary = data.vocabulary
    return {
        "canonical": dict(vocabulary.canonical),
        "words": sorted(vocabulary.words),
        "phrases": list(vocabulary.phrases),
        "latin_by_sound": {k: list(v) for k, v in vocabulary.latin_by_sound.items()},
        "hangul_by_sound": {k: list(v) for k, v in vocabulary.hangul_by_sound.items()},
        "exact_only": sorted(vocabulary.exact_only),
        "plain_words": sorted(vocabulary.plain_words),
        "entries": (_entry_to_plain(terms, tuning) for terms in data.entries),
    }


def _entry_to_plain(terms: EntryTerms, tuning: MatcherTuning) -> list[str]:
    """Return an entry's words as four strings: few JSON objects are quick to read and light to hold.

    Phrasings one per line, words split by spaces; their title flags as "0"/"1"; the pool's words of
    factor 1.0 and those of `answer_word_factor`. Canonical words never hold a space or a line break
    (they are runs of letters and digits, or compacted glossary terms); one that did would raise.
    """
    words = [token for tokens in terms.phrasings for token in tokens]
    words.extend(terms.pool)
    if any(not token or " " in token or "\n" in token for token in words):
        raise ValueError("a canonical word with a space or line break cannot be stored")
    if any(factor not in (1.0, tuning.answer_word_factor) for factor in terms.pool.values()):
        raise ValueError("a word pool factor other than 1.0 and answer_word_factor")
    return [
        "\n".join(" ".join(sorted(tokens)) for tokens in terms.phrasings),
        "".join("1" if is_title else "0" for is_title in terms.titles),
        " ".join(token for token, factor in terms.pool.items() if factor == 1.0),
        " ".join(token for token, factor in terms.pool.items() if factor != 1.0),
    ]


# Title flags as stored ("0"/"1") to the bytes `EntryTerms.titles` holds.
_TITLE_FLAGS = bytes.maketrans(b"01", b"\x00\x01")


def _entry_from_plain(plain: Any, tuning: MatcherTuning, sets: dict[str, frozenset[str]]) -> EntryTerms:
    """Read one entry's four strings; `sets` maps a phrasing line read before to its word set (shared)."""
    intern = sys.intern  # old and new index of a reload then share their word strings
    phrasings_text, titles, full, answer = (_text(part) for part in plain)
    lines = phrasings_text.split("\n") if phrasings_text else []
    if len(lines) != len(titles) or set(titles) - {"0", "1"}:
        raise ValueError("phrasings and title flags differ in number")
    phrasings: list[frozenset[str]] = []
    for line in lines:
        # Lessons repeat phrasings ("핵심 요약", a table's column names): one set for each distinct one.
        words = sets.get(line)
        if words is None:
            words = sets[line] = frozenset(intern(t) for t in line.split(" "))
        phrasings.append(words)
    pool = dict.fromkeys((intern(t) for t in full.split(" ") if t), 1.0)
    pool.update(dict.fromkeys((intern(t) for t in answer.split(" ") if t), tuning.answer_word_factor))
    return EntryTerms(tuple(phrasings), titles.encode().translate(_TITLE_FLAGS), pool)


def index_from_plain(
    plain: Any, *, tuning: MatcherTuning, knowledge: Knowledge, previous: SearchIndex | None = None
) -> IndexData:
    """Read back what `index_to_plain` wrote; raise ValueError, TypeError or KeyError on anything else.

    The cache checks the code version and content key before this runs; the shape checks here only
    turn a damaged entry into an error the caller answers by rebuilding, never into a wrong index.
    Parts equal to those of `previous` are taken from it, as in `IndexData.build`.
    """
    pairs = list(knowledge.entries())
    entry_count = len(pairs)
    shared = SharedParts.of(previous)
    intern = sys.intern  # old and new index of a reload then share their word strings
    canonical = {_text(k): intern(_text(v)) for k, v in plain["canonical"].items()}
    words = [intern(_text(w)) for w in plain["words"]]
    phrases = tuple(_text(p) for p in plain["phrases"])
    by_sound = [
        {_text(k): (intern(_text(target)), _text(spelling)) for k, (target, spelling) in plain[name].items()}
        for name in ("latin_by_sound", "hangul_by_sound")
    ]
    vocabulary = assemble_vocabulary(
        canonical,
        words,
        phrases,
        by_sound[0],
        by_sound[1],
        compound_min_chars=tuning.compound_min_chars,
        exact_only=frozenset(intern(_text(w)) for w in plain["exact_only"]),
        plain_words=frozenset(intern(_text(w)) for w in plain["plain_words"]),
    )
    stored = plain["entries"]
    if len(stored) != entry_count:
        raise ValueError(f"cached index has {len(stored)} entries, the knowledge {entry_count}")
    entries: list[EntryTerms] = []
    sets: dict[str, frozenset[str]] = {}
    for number, entry in enumerate(stored):
        lesson, known = pairs[number]
        entries.append(shared.terms(lesson.id, known, _entry_from_plain(entry, tuning, sets)))
        stored[number] = None  # the plain form goes as its terms come: both are never held whole
    if len(entries) != entry_count:
        raise ValueError(f"cached index has {len(entries)} entries, the knowledge {entry_count}")
    return IndexData(vocabulary, tuple(entries))


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


class SharedParts:
    """The previous index's per-entry structures, found by (lesson id, entry id), reused when equal."""

    def __init__(self, previous: SearchIndex | None, positions: Mapping[tuple[str, str], int]) -> None:
        self.previous = previous
        self.positions = positions

    @classmethod
    def of(cls, previous: SearchIndex | None) -> SharedParts:
        if previous is None:
            return cls(None, {})
        positions = {(index.lesson.id, index.entry.id): n for n, index in enumerate(previous._entries)}
        return cls(previous, positions)

    def _old(self, lesson_id: str, entry: Entry) -> _EntryIndex | None:
        if self.previous is None:
            return None
        position = self.positions.get((lesson_id, entry.id))
        return None if position is None else self.previous._entries[position]

    def weights(self, entries: Sequence[_EntryIndex], tuning: MatcherTuning) -> _LessonWeights:
        """Return a lesson's word weights: the previous index's when its entries and pools are the very
        same (a reload after editing one lesson recomputes that lesson's weights only)."""
        previous = self.previous
        if previous is not None and previous.tuning == tuning and entries:
            lesson_id = entries[0].lesson.id
            number = previous._lesson_number.get(lesson_id)
            old = previous._positions_by_lesson.get(lesson_id, [])
            if (
                number is not None
                and len(old) == len(entries)
                and all(
                    previous._entries[o].entry is e.entry and previous._entries[o].pool is e.pool
                    for o, e in zip(old, entries, strict=True)
                )
            ):
                return previous._lessons[number]
        return _LessonWeights.of(entries, tuning)

    def terms(self, lesson_id: str, entry: Entry, terms: EntryTerms) -> EntryTerms:
        """Return `terms` with the previous index's word sets and pool for this entry wherever equal."""
        old = self._old(lesson_id, entry)
        if old is None or self.previous is None:
            return terms
        pool = old.pool if old.pool == terms.pool else terms.pool
        if len(old.phrasings) != len(terms.phrasings):
            return EntryTerms(terms.phrasings, terms.titles, pool)
        old_tokens = self.previous._phrasing_tokens
        phrasings = tuple(
            old_tokens[pid] if old_tokens[pid] == tokens else tokens
            for pid, tokens in zip(old.phrasings, terms.phrasings, strict=True)
        )
        return EntryTerms(phrasings, terms.titles, pool)

    def titles(self, lesson_id: str, entry: Entry) -> tuple[str, ...] | None:
        old = self._old(lesson_id, entry)
        return old.title_keys if old is not None and old.entry.title == entry.title else None


class SearchIndex:
    """Entries of every loaded lesson, indexed for ranking a question's slots."""

    def __init__(
        self,
        knowledge: Knowledge,
        *,
        tuning: MatcherTuning,
        lexicon: Lexicon | None = None,
        data: IndexData | None = None,
        previous: SearchIndex | None = None,
    ) -> None:
        """Index `knowledge`; `data`, when given, is its `IndexData` (from the cache), else it is built.

        `previous` is the index being replaced (a reload): what the two would hold alike (an unchanged
        entry's word sets, its word pool, the normaliser of an unchanged vocabulary) is taken from it
        rather than held twice while both exist."""
        self.knowledge = knowledge
        self.tuning = tuning
        if data is None:
            data = IndexData.build(knowledge, tuning=tuning, lexicon=lexicon, previous=previous)
        shared = SharedParts.of(previous)
        vocabulary = data.vocabulary
        if previous is not None and previous.tuning == tuning and previous.normaliser.vocab == vocabulary:
            # The same words read the same way: the serving index's normaliser (and its memo) serves both.
            self.normaliser: Normaliser = previous.normaliser
        else:
            self.normaliser = Normaliser(vocabulary, tuning)
        self._entries: list[_EntryIndex] = []
        self._postings: dict[str, list[tuple[int, float]]] = {}
        # Phrasings, column by column (compact, and the hot loop in `_best_phrasings` indexes them).
        # Positions and phrasing ids as C ints ("i", 4 bytes, not the 8 of "l"): a reload builds these
        # beside the serving index's, so their size counts twice at its peak.
        self._phrasing_tokens: list[frozenset[str]] = []
        self._phrasing_entry = array("i")
        self._phrasing_lesson = array("i")  # the lesson number of each phrasing
        self._phrasing_weight = array("d")
        self._phrasing_is_title = bytearray()
        self._phrasing_postings: dict[str, array[int]] = {}
        self._positions_by_lesson: dict[str, list[int]] = {}
        self._entry_lesson = array("i")  # the lesson number of each entry position
        self._lessons: list[_LessonWeights] = []
        self._lesson_number: dict[str, int] = {}
        # Per entry, the canonical words of its title (`title_words`), read when first asked for.
        self._titles: dict[tuple[str, str], frozenset[str]] = {}
        self._build(data.entries, shared)
        self._aspects = self._row_aspects()
        self._named_children = self._subsection_names()
        self._table_rows = self._row_names()

    def _build(self, entries: Sequence[EntryTerms], shared: SharedParts) -> None:
        pairs = list(self.knowledge.entries())
        if len(pairs) != len(entries):
            raise ValueError(f"index data for {len(entries)} entries, the knowledge has {len(pairs)}")
        for (lesson, entry), terms in zip(pairs, entries, strict=True):
            first = len(self._phrasing_tokens)
            self._phrasing_tokens.extend(terms.phrasings)
            self._phrasing_is_title.extend(terms.titles)
            pool = terms.pool
            titles = shared.titles(lesson.id, entry) or tuple(compact(entry.title.get(lang)) for lang in LANGS)
            self._entries.append(_EntryIndex(lesson, entry, range(first, len(self._phrasing_tokens)), pool, titles))
        # Word weights are per lesson: how telling a word is among the entries of its own lesson, so
        # loading another lesson changes no score inside this one (a growing curriculum must not
        # move the answers of yesterday's questions). A word the lesson never uses is unknown to it,
        # whatever other lessons say (see `rank_explained`).
        by_lesson: dict[str, list[_EntryIndex]] = {}
        for index in self._entries:
            by_lesson.setdefault(index.lesson.id, []).append(index)
        self._lesson_number = {lesson_id: number for number, lesson_id in enumerate(by_lesson)}
        self._entry_lesson.extend(self._lesson_number[index.lesson.id] for index in self._entries)
        self._lessons = [shared.weights(indexes, self.tuning) for indexes in by_lesson.values()]
        postings = self._phrasing_postings
        # A set's weight, by the set (equal sets are often one object, see `index_from_plain`), per lesson.
        weights: dict[frozenset[str], float] = {}
        current: _LessonWeights | None = None
        for position, index in enumerate(self._entries):
            self._positions_by_lesson.setdefault(index.lesson.id, []).append(position)
            lesson_idf = self._lessons[self._entry_lesson[position]]
            if lesson_idf is not current:
                current, weights = lesson_idf, {}
            for pid in index.phrasings:
                tokens = self._phrasing_tokens[pid]
                self._phrasing_entry.append(position)
                self._phrasing_lesson.append(self._entry_lesson[position])
                weight = weights.get(tokens)
                if weight is None:
                    weight = weights[tokens] = math.fsum(lesson_idf.idf(t) for t in tokens)
                self._phrasing_weight.append(weight)
                for token in tokens:
                    found = postings.get(token)
                    if found is None:
                        found = postings[token] = array("i")
                    found.append(pid)
            # One (position, factor) pair per factor, shared by every posting of the entry.
            factors: dict[float, tuple[int, float]] = {}
            for token, factor in index.pool.items():
                pair = factors.get(factor)
                if pair is None:
                    pair = factors[factor] = (position, factor)
                self._postings.setdefault(token, []).append(pair)
        self._inherited = self._parent_subjects()
        for position, tokens in self._inherited.items():
            pair = (position, self.tuning.inherited_word_factor)
            for token in tokens:
                self._postings.setdefault(token, []).append(pair)

    def _parent_subjects(self) -> dict[int, frozenset[str]]:
        """Return, per subsection entry position, the words of its parent's subject its own texts do not use.

        A subsection is about its parent's subject ("고정된 이름과 순번" under "스테이트풀셋이란?") without
        naming it: a question naming that subject and asking what the subsection explains is the
        subsection's, and its vocabulary explains the subject too (at `inherited_word_factor`). Only the
        index's postings hold these: how telling a word is (its weight) is the lesson's own texts' matter.
        """
        positions = {(index.lesson.id, index.entry.id): position for position, index in enumerate(self._entries)}
        inherited: dict[int, frozenset[str]] = {}
        for position, index in enumerate(self._entries):
            entry = index.entry
            parent = positions.get((index.lesson.id, entry.parent)) if entry.parent is not None else None
            if parent is None:
                continue
            title = self._entries[parent].entry.title
            words = {token for text in title.texts() for token in self.normaliser.phrasing_tokens(_subject(text))}
            if own := frozenset(words - index.pool.keys()):
                inherited[position] = own
        return inherited

    def _row_labels(self) -> tuple[dict[int, frozenset[str]], dict[tuple[str, str], list[int]]]:
        """Return the words of each table-row entry's label (by position), and the row positions per table."""
        labels: dict[int, frozenset[str]] = {}
        tables: dict[tuple[str, str], list[int]] = {}
        for position, index in enumerate(self._entries):
            entry = index.entry
            if entry.table is None or entry.row is None:
                continue
            try:
                label = index.lesson.table(entry.table).row(entry.row).label
            except KeyError:
                continue
            words = {w for lang in LANGS for w in self.normaliser.phrasing_tokens(label.get(lang) or "")}
            labels[position] = frozenset(words)
            tables.setdefault((index.lesson.id, entry.table), []).append(position)
        return labels, tables

    def _row_aspects(self) -> dict[int, frozenset[str]]:
        """Return, per table-row entry position, the words of its row label no sibling row's label uses."""
        labels, tables = self._row_labels()
        # A row's phrasings name its aspect in the learners' words too (부팅 for "시작 속도"): a word
        # several of them use and no sibling row's phrasings do is the row's as much as its label.
        used: dict[int, Counter[str]] = {
            position: Counter(t for pid in self._entries[position].phrasings for t in self._phrasing_tokens[pid])
            for position in labels
        }
        aspects: dict[int, frozenset[str]] = {}
        for positions in tables.values():
            for position in positions:
                siblings = [p for p in positions if p != position]
                others = set().union(*(labels[p] for p in siblings))
                spoken = set().union(*(used[p] for p in siblings))
                own_words = {t for t, n in used[position].items() if n >= 2 and t not in spoken}
                if own := (labels[position] | own_words) - others:
                    aspects[position] = frozenset(own)
        return aspects

    def _row_names(self) -> dict[int, list[tuple[int, frozenset[str]]]]:
        """Return, per entry position holding a whole table, its rows and the words of each row's label that no
        sibling row's label uses (the row's name: 업데이트, 파드 이름). Only the label: the words a row's
        phrasings add (see `_row_aspects`) are also a story's ("서버 늘릴 때 뭐가 빨라").
        """
        labels, tables = self._row_labels()
        owners: dict[tuple[str, str], int] = {}
        for position, index in enumerate(self._entries):
            if index.entry.table is not None and index.entry.row is None:
                owners.setdefault((index.lesson.id, index.entry.table), position)
        named: dict[int, list[tuple[int, frozenset[str]]]] = {}
        for key, positions in tables.items():
            owner = owners.get(key)
            if owner is None:
                continue
            for position in positions:
                others = set().union(*(labels[p] for p in positions if p != position))
                if own := labels[position] - others:
                    named.setdefault(owner, []).append((position, frozenset(own)))
        return named

    def _named_row_first(self, scored: list[Candidate], said: set[str]) -> list[Candidate]:
        """Put a table's row first over the whole table when the question names that row alone.

        A comparison table's entry holds every row's words, so it outscores the row a question is about
        ("A랑 B 업데이트 방식 비교해줘" → the whole table, not its 업데이트 row). Naming one row (its label's own
        words, see `_row_names`), and no other, asks about that row: when the table is the lesson's best
        entry and the row within `named_subsection_window` of it, the two swap scores (how sure the answer
        is stays). A question naming no row, or several, asks for the whole comparison.
        """
        if not self._table_rows or not scored:
            return scored
        best: dict[str, int] = {}
        for number, candidate in enumerate(scored):
            if candidate.lesson_id not in best or candidate.score > scored[best[candidate.lesson_id]].score:
                best[candidate.lesson_id] = number
        at = {(c.lesson_id, c.entry_id): number for number, c in enumerate(scored)}
        window = self.tuning.named_subsection_window
        for table, rows in self._table_rows.items():
            index = self._entries[table]
            table_at = at.get((index.lesson.id, index.entry.id))
            if table_at is None or best.get(index.lesson.id) != table_at:
                continue
            named = [row for row, words in rows if not words.isdisjoint(said)]
            if len(named) != 1:
                continue
            row_at = at.get((index.lesson.id, self._entries[named[0]].entry.id))
            if row_at is None:
                continue
            if scored[table_at].score - scored[row_at].score <= window:
                _swap_scores(scored, table_at, row_at)
        return scored

    def _subsection_names(self) -> dict[int, list[tuple[int, frozenset[str]]]]:
        """Return, per parent entry position, its subsections named in their titles and their names' words.

        Only parents with two such subsections or more: the name then tells the subsection from its
        siblings ("emptyDir: …", "hostPath: …" under 볼륨). A name's words are those of any one of its
        forms ("라이브니스 프로브(Liveness Probe)": the Korean or the English).
        """
        positions = {(index.lesson.id, index.entry.id): position for position, index in enumerate(self._entries)}
        named: dict[int, list[tuple[int, frozenset[str]]]] = {}
        for position, index in enumerate(self._entries):
            entry = index.entry
            parent = positions.get((index.lesson.id, entry.parent)) if entry.parent is not None else None
            if parent is None:
                continue
            for label in subsection_labels(entry):
                for form in _name_forms(label):
                    words = frozenset(self.normaliser.phrasing_tokens(form))
                    if words:
                        named.setdefault(parent, []).append((position, words))
        return {parent: children for parent, children in named.items() if len({p for p, _ in children}) >= 2}

    def _named_subsection_first(self, scored: list[Candidate], said: set[str]) -> list[Candidate]:
        """Put first the subsection a question names alone, over a near entry whose title does not name it.

        A parent section previews its subsections and shares their words, and a comparison row's cells
        mention them too ("replicas로 개수 지정"), so either often outscores the very subsection a
        question is about ("emptyDir은 컨테이너가 죽어도 남아?" → the 볼륨 section). Naming one subsection
        ("emptyDir: …"), and none of its siblings, asks about that one: within `named_subsection_window`
        of the lesson's best entry whose title does not name it too, the two swap scores (the best score
        is unchanged, so is how sure the answer is). Naming several asks about the parent's topic.
        """
        if not self._named_children or not scored:
            return scored
        at = {(c.lesson_id, c.entry_id): number for number, c in enumerate(scored)}
        window = self.tuning.named_subsection_window
        for parent, children in self._named_children.items():
            index = self._entries[parent]
            parent_at = at.get((index.lesson.id, index.entry.id))
            if parent_at is None:
                continue
            said_children = {child for child, words in children if words <= said}
            if len(said_children) != 1:
                continue
            child_entry = self._entries[next(iter(said_children))].entry
            child_at = at.get((index.lesson.id, child_entry.id))
            if child_at is None:
                continue
            named_words = next(words for child, words in children if child in said_children)
            # The lesson's best entry that does not name the subsection's subject in its own title.
            rival_at = max(
                (
                    number
                    for number, c in enumerate(scored)
                    if c.lesson_id == index.lesson.id and number != child_at and not named_words <= self.title_words(c)
                ),
                key=lambda number: scored[number].score,
                default=None,
            )
            if rival_at is None:
                continue
            top, named = scored[rival_at], scored[child_at]
            if named.score < top.score and top.score - named.score <= window:
                _swap_scores(scored, rival_at, child_at)
        return scored

    def title_words(self, candidate: Candidate) -> frozenset[str]:
        """Return the canonical words of a candidate's title, in every language (read once per entry)."""
        key = (candidate.lesson_id, candidate.entry_id)
        found = self._titles.get(key)
        if found is None:
            tokens = self.normaliser.phrasing_tokens
            found = self._titles[key] = frozenset(t for text in candidate.title.texts() for t in tokens(text))
        return found

    def uses(self, token: str, lesson_id: str) -> bool:
        """Return whether an entry of the lesson uses the canonical word `token`."""
        return token in self._lessons[self._lesson_number[lesson_id]].idfs

    def idf(self, token: str, lesson_id: str) -> float:
        """Return how telling `token` is in a lesson: rarer across its entries means more telling."""
        return self._lessons[self._lesson_number[lesson_id]].idf(token)

    @property
    def size(self) -> int:
        """Return the number of indexed entries."""
        return len(self._entries)

    @property
    def phrasing_count(self) -> int:
        """Return the number of distinct indexed phrasings."""
        return len(self._phrasing_tokens)

    def entry_at(self, position: int) -> tuple[Lesson, Entry]:
        """Return the lesson and entry at an index position."""
        index = self._entries[position]
        return index.lesson, index.entry

    def title_key(self, position: int, lang: Lang) -> str:
        """Return the compacted title of the entry at `position`, for substring search."""
        return self._entries[position].title_keys[LANGS.index(lang)]

    def ordered(self, candidates: Iterable[Candidate], scope: Scope) -> list[Candidate]:
        """Return candidates best first; the current lesson's win when within `prefer_bonus`."""
        bonus = self.tuning.prefer_bonus

        def order(candidate: Candidate) -> tuple[float, str, str]:
            lift = bonus if candidate.lesson_id == scope.prefer else 0.0
            return (-(candidate.score + lift), candidate.lesson_id, candidate.entry_id)

        return sorted(candidates, key=order)

    def rank(self, slots: Sequence[Slot], *, scope: Scope = EVERYWHERE) -> list[Candidate]:
        """Score every entry (of the lessons in scope) sharing a word with the question, best first."""
        return self.rank_explained(slots, scope=scope).candidates

    def rank_explained(self, slots: Sequence[Slot], *, scope: Scope = EVERYWHERE) -> Ranking:
        """Rank like `rank`, also returning the shares of unknown and guessed words the decision weighs."""
        tuning = self.tuning
        # A word said twice is still one word: "컨테이너 ... 컨테이너" must not double its pull.
        slots = list({slot.readings: slot for slot in slots}.values())
        # Long, forum-style questions carry a story around the question: words the lesson never
        # uses are context there, but in a five-word question they are likely the real topic.
        focus = min(1.0, tuning.short_question_words / max(len(slots), 1))
        # Each lesson weighs the question by its own words (see `_LessonWeights`): a lesson's scores
        # are the ones it would give loaded alone, whatever else is loaded beside it. Only lessons
        # that could score are weighed: in a large curriculum, those of the candidate entries.
        large = len(self._entries) > tuning.direct_limit
        positions = self._candidates(slots, scope) if large else None
        numbers = (
            self._lessons_touched(slots, scope) if positions is None else {self._entry_lesson[p] for p in positions}
        )
        if not numbers:
            # No lesson uses a word of the question: the shares are the first lesson in scope's.
            numbers = {n for lesson_id, n in self._lesson_number.items() if scope.allows(lesson_id)}
            numbers = set(sorted(numbers)[:1])
        shapes: dict[int, _Shape] = {}
        seen: _Shape | None = None
        for number in sorted(numbers):
            shape = self._shape(slots, number, focus)
            if shape is None:
                continue
            if seen is None or shape.unknown_share < seen.unknown_share:
                seen = shape
            if shape.known_total >= tuning.min_known_share * shape.total:
                # Below that share: mostly words the lesson never uses, a question about something else.
                shapes[number] = shape
        if seen is None:
            return Ranking([], 1.0, 0.0)
        if not shapes:
            return Ranking([], seen.unknown_share, seen.guessed_share)
        if positions is not None:
            kept = (p for p in positions if self._entry_lesson[p] in shapes)
            phrasing_best, pooled = self._score_candidates(kept, slots, shapes)
        else:
            phrasing_best = self._best_phrasings(slots, shapes)
            pooled = self._pooled(slots, shapes)
        scored: list[Candidate] = []
        said = (
            {token for slot in slots for token, _ in slot.readings} if self._aspects or self._named_children else set()
        )
        for position in set(phrasing_best) | set(pooled):
            index = self._entries[position]
            shape = shapes.get(self._entry_lesson[position])
            if shape is None:
                continue
            best_phrasing, title = phrasing_best.get(position, (0.0, 0.0))
            coverage = pooled.get(position, 0.0) / shape.known_total if shape.known_total else 0.0
            # The title is the entry's own name for itself: between two entries that both contain
            # the question, the one whose title it is wins ("컨테이너가 뭐야" → 컨테이너란?).
            score = (
                tuning.phrasing_weight * best_phrasing + tuning.coverage_weight * coverage + tuning.title_weight * title
            ) * (1.0 - shape.unknown_penalty)
            aspect = self._aspects.get(position)
            if aspect is not None and aspect.isdisjoint(said):
                score *= 1.0 - tuning.unnamed_aspect_penalty
            if score > 0:
                scored.append(
                    _scored(index.lesson.id, index.entry.id, round(score, 4), index.entry.title, round(coverage, 4))
                )
        scored = self._named_subsection_first(scored, said)
        if len(slots) < tuning.long_question_words:
            # A forum-style post names aspects in its story ("격리도 강하고 익숙해서"), not only in what it asks.
            scored = self._named_row_first(scored, said)
        ordered = self.ordered(scored, scope)
        # The shares the decision weighs are those of the lesson the top entry is from.
        top = shapes[self._lesson_number[ordered[0].lesson_id]] if ordered else seen
        return Ranking(ordered, top.unknown_share, top.guessed_share)

    def _lessons_touched(self, slots: Sequence[Slot], scope: Scope) -> set[int]:
        """Return the numbers of the lessons in scope whose entries use one of the question's readings."""
        lesson_of = self._entry_lesson
        numbers: set[int] = set()
        if len(self._lessons) == 1:
            # One lesson: touched as soon as one reading is in an entry (no posting need be walked).
            postings = self._postings
            if any(token in postings for slot in slots for token, _ in slot.readings):
                numbers.add(0)
        else:
            for slot in slots:
                for token, _ in slot.readings:
                    numbers.update(lesson_of[position] for position, _ in self._postings.get(token, ()))
        if scope.lessons is None:
            return numbers
        return {n for lesson_id, n in self._lesson_number.items() if n in numbers and scope.allows(lesson_id)}

    def _shape(self, slots: Sequence[Slot], number: int, focus: float) -> _Shape | None:
        """Return the question as lesson `number` weighs it; None when its words weigh nothing."""
        tuning = self.tuning
        lesson = self._lessons[number]
        weights: list[float] = []
        known_total = guessed = 0.0
        idfs, postings = lesson.idfs, self._postings
        for slot in slots:
            if slot.known and len(slot.readings) == 1:
                # Most words have one reading: the general case below without its lists and generators.
                token, confidence = slot.readings[0]
                if token in idfs or token not in postings:
                    weight = lesson.idf(token)
                    weights.append(weight)
                    known_total += weight
                    if confidence < 1.0:
                        guessed += weight
                    continue
            # A reading is foreign to the lesson when another lesson's entries use it and this one's do not.
            own = (
                [(t, c) for t, c in slot.readings if t in lesson.idfs or t not in self._postings] if slot.known else []
            )
            if not own:
                # So does a number-ish token ("3am", "20개") or a lone unknown syllable (a stray ending).
                telling = len(slot.best) > 1 and not any(char.isdigit() for char in slot.best)
                weights.append(lesson.unknown_weight * (1.0 if telling else tuning.untelling_unknown_factor))
                continue
            weight = max(lesson.idf(token) for token, _ in own)
            weights.append(weight)
            known_total += weight
            if max(c for _, c in slot.readings) < 1.0:
                guessed += weight
        total = sum(weights)
        if total <= 0:
            return None
        known = known_total / total
        return _Shape(
            weights=weights,
            total=total,
            known_total=known_total,
            # A question mostly made of words no lesson uses is about something else, whatever its length.
            unknown_penalty=tuning.unknown_penalty * focus * (1.0 - known)
            + tuning.mostly_unknown_penalty * max(0.0, tuning.mostly_unknown_share - known),
            beta2=focus * focus,
            unknown_share=1.0 - known,
            guessed_share=guessed / total,
        )

    def _best_phrasings(self, slots: Sequence[Slot], shapes: Mapping[int, _Shape]) -> dict[int, tuple[float, float]]:
        """Return, per entry position, its best phrasing's F-beta and its best title's F-beta.

        Walks the postings of the question's words only, so the cost follows the question, not the
        size of the knowledge. Each phrasing is weighed by its own lesson's shape of the question.
        """
        # Dense arrays indexed by phrasing: list indexing is the cheapest accumulator Python has,
        # and this loop is the matcher's hot path.
        covered = [0.0] * len(self._phrasing_tokens)
        hit_idf = [0.0] * len(self._phrasing_tokens)
        touched: set[int] = set()
        postings = self._phrasing_postings
        lesson_of = self._phrasing_lesson
        lessons = self._lessons
        numbers = range(len(lessons))
        # Per lesson number, the slot weights (0 for lessons not scored: nothing of theirs gains).
        zero = [0.0] * len(slots)
        weights_by = [shapes[n].weights if n in shapes else zero for n in numbers]
        counted: set[str] = set()
        single = len(lessons) == 1
        for position, slot in enumerate(slots):
            if len(slot.readings) == 1:
                # The common case, kept tight: one reading, every phrasing holding it gains.
                token, confidence = slot.readings[0]
                again = token in counted
                counted.add(token)
                pids = postings.get(token, ())
                touched.update(pids)
                if single and pids:
                    # One lesson: the same gain and IDF for every phrasing holding the word.
                    gain = weights_by[0][position] * confidence
                    if again:
                        for pid in pids:
                            covered[pid] += gain
                    else:
                        idf = lessons[0].idfs[token]
                        for pid in pids:
                            covered[pid] += gain
                            hit_idf[pid] += idf
                    continue
                gains = [weights_by[n][position] * confidence for n in numbers]
                for pid in pids:
                    number = lesson_of[pid]
                    covered[pid] += gains[number]
                    if not again:
                        hit_idf[pid] += lessons[number].idfs[token]
                continue
            weights = [weights_by[n][position] for n in numbers]
            best: dict[int, tuple[float, str]] = {}
            for token, confidence in slot.readings:
                for pid in postings.get(token, ()):
                    if confidence > best.get(pid, (0.0, ""))[0]:
                        best[pid] = (confidence, token)
            touched.update(best)
            for pid, (confidence, token) in best.items():
                number = lesson_of[pid]
                covered[pid] += weights[number] * confidence
                if token not in counted:
                    hit_idf[pid] += lessons[number].idfs[token]
            counted.update(token for token, _ in slot.readings)
        beta2 = next(iter(shapes.values())).beta2
        lift = 1 + beta2
        scale = [1.0 / shapes[n].total if n in shapes else 0.0 for n in numbers]
        entry_of, weight_of, title_of = self._phrasing_entry, self._phrasing_weight, self._phrasing_is_title
        # Dense per entry position too (0: no phrasing of the entry scored).
        best_any = [0.0] * len(self._entries)
        best_title = [0.0] * len(self._entries)
        for pid in touched:
            amount = covered[pid]
            if not amount:
                continue
            entry = entry_of[pid]
            precision = hit_idf[pid] / weight_of[pid]
            if lift * precision < best_any[entry] and not title_of[pid]:
                # F-beta below is at most lift × precision (recall / (beta2 × precision + recall) ≤ 1),
                # and as computed at most one float above it: this phrasing cannot beat its entry's best.
                # A long question touches most phrasings of a lesson, through a word or two of each:
                # most are skipped here, before the arithmetic.
                continue
            if precision > 1.0:
                precision = 1.0
            recall = amount * scale[lesson_of[pid]]
            # F-beta: short questions must be covered by the phrasing (recall and precision alike);
            # long ones are judged mostly by whether a whole phrasing appears inside them.
            score = lift * precision * recall / (beta2 * precision + recall)
            if score > best_any[entry]:
                best_any[entry] = score
            if title_of[pid] and score > best_title[entry]:
                best_title[entry] = score
        return {entry: (score, best_title[entry]) for entry, score in enumerate(best_any) if score > 0.0}

    def _candidates(self, slots: Sequence[Slot], scope: Scope) -> set[int]:
        """Return the entry positions worth scoring in a large index: those sharing a telling word.

        Words found in few entries pick the candidates; words found everywhere ("컨테이너" across
        a container curriculum) still count in the score but would only add entries that cannot
        win. With no telling word at all, the rarest word's entries are the candidates — cut to the
        current lesson's plus those whose vocabulary explains most of the question.
        """
        frequencies = sorted(
            (len(self._postings.get(token, ())), token) for slot in slots if slot.known for token, _ in slot.readings
        )
        positions: set[int] = set()
        for frequency, token in frequencies:
            if frequency == 0:
                continue
            if frequency > self.tuning.candidate_df and positions:
                break
            positions.update(position for position, _ in self._postings[token])
            if frequency > self.tuning.candidate_df:
                break
        if scope.lessons is not None:
            positions = {p for p in positions if scope.allows(self._entries[p].lesson.id)}
        limit = self.tuning.max_candidates
        if len(positions) <= limit:
            return positions
        # A first cut only (the kept entries are then scored exactly), by how telling each word is
        # across the whole index: no lesson's weights are computed for entries that are not scored.
        pooled = self._pooled(slots, None)
        ranked = sorted(positions, key=lambda p: -pooled.get(p, 0.0))
        kept = set(ranked[:limit])
        if scope.prefer is not None:
            kept.update(p for p in positions if self._entries[p].lesson.id == scope.prefer)
        return kept

    def _score_candidates(
        self, positions: Iterable[int], slots: Sequence[Slot], shapes: Mapping[int, _Shape]
    ) -> tuple[dict[int, tuple[float, float]], dict[int, float]]:
        """Score the given entries directly (same arithmetic as the postings walk, per entry)."""
        best: dict[int, tuple[float, float]] = {}
        pooled: dict[int, float] = {}
        for position in positions:
            index = self._entries[position]
            number = self._entry_lesson[position]
            shape = shapes[number]
            idf, beta2 = self._lessons[number].idfs, shape.beta2
            pairs = list(zip(slots, shape.weights, strict=True))
            best_any = best_title = 0.0
            for pid in index.phrasings:
                phrasing_tokens = self._phrasing_tokens[pid]
                covered = hit_idf = 0.0
                counted: set[str] = set()
                for slot, weight in pairs:
                    match, token_hit = 0.0, ""
                    for token, confidence in slot.readings:
                        if confidence > match and token in phrasing_tokens:
                            match, token_hit = confidence, token
                    if match:
                        covered += weight * match
                        if token_hit not in counted:
                            counted.add(token_hit)
                            hit_idf += idf[token_hit]
                if not covered:
                    continue
                recall = covered / shape.total
                precision = min(1.0, hit_idf / self._phrasing_weight[pid])
                score = (1 + beta2) * precision * recall / (beta2 * precision + recall)
                best_any = max(best_any, score)
                if self._phrasing_is_title[pid]:
                    best_title = max(best_title, score)
            best[position] = (best_any, best_title)
            amount = 0.0
            for slot, weight in pairs:
                if slot.known:
                    amount += weight * max((c * self._pool_factor(position, t) for t, c in slot.readings), default=0.0)
            pooled[position] = amount
        return best, pooled

    def _pool_factor(self, position: int, token: str) -> float:
        """Return how far an entry's vocabulary explains a word: its own factor, or the one it inherits."""
        factor = self._entries[position].pool.get(token)
        if factor is not None:
            return factor
        return self.tuning.inherited_word_factor if token in self._inherited.get(position, ()) else 0.0

    def _pooled(self, slots: Sequence[Slot], shapes: Mapping[int, _Shape] | None) -> dict[int, float]:
        """Return, per entry position, the weight of the question's known words its vocabulary explains.

        Weighed by each entry's lesson's `shapes`; with None, by how rare the word is across the index.
        """
        pooled: dict[int, float] = {}
        lesson_of = self._entry_lesson
        entries = max(len(self._entries), 1)
        for number_in_question, slot in enumerate(slots):
            if not slot.known:
                continue
            best: dict[int, float] = {}
            for token, confidence in slot.readings:
                for position, factor in self._postings.get(token, ()):
                    gain = confidence * factor
                    if gain > best.get(position, 0.0):
                        best[position] = gain
            if shapes is None:
                # The rarest reading's document frequency (a word no entry uses: 1, the rarest possible).
                found = min(max(len(self._postings.get(token, ())), 1) for token, _ in slot.readings)
                weight = math.log(1.0 + entries / found)
                for position, gain in best.items():
                    pooled[position] = pooled.get(position, 0.0) + weight * gain
                continue
            for position, gain in best.items():
                shape = shapes.get(lesson_of[position])
                if shape is not None:
                    pooled[position] = pooled.get(position, 0.0) + shape.weights[number_in_question] * gain
        return pooled

    def browse_order(self, prefer: str | None) -> Iterable[int]:
        """Yield entry positions: the preferred lesson's, then the other lessons' newest first."""
        by_lesson = self._positions_by_lesson
        if prefer in by_lesson:
            yield from by_lesson[prefer]
        for lesson in reversed(self.knowledge.lessons):
            if lesson.id != prefer:
                yield from by_lesson.get(lesson.id, ())


def phrasing_texts(lesson: Lesson, entry: Entry) -> Iterable[str]:
    for lang in LANGS:
        yield entry.title.get(lang)
        yield from entry.questions.get(lang)
    if entry.table is not None:
        table = lesson.table(entry.table)
        if entry.row is None:
            for lang in LANGS:
                yield table.caption.get(lang)
                yield " ".join(table.columns.get(lang))
        else:
            row = table.row(entry.row)
            for lang in LANGS:
                label = row.label.get(lang)
                yield label
                for column in table.columns.get(lang):
                    yield f"{column} {label}"


def answer_texts(lesson: Lesson, entry: Entry) -> Iterable[str]:
    if entry.answer is not None:
        yield from entry.answer.texts()
    if entry.table is not None:
        table = lesson.table(entry.table)
        rows = table.rows if entry.row is None else (table.row(entry.row),)
        for row in rows:
            for lang in LANGS:
                yield from row.cells.get(lang)
    if entry.summary:
        yield from lesson.summary.ko
        yield from lesson.summary.en or ()
