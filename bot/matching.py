"""Question → answer | suggestions | no match. Pure: no I/O, never imports discord.

Scoring, in one paragraph: the question and every knowledge phrasing become canonical tokens
(see `normalize`). Tokens are weighted by how telling they are across entries (IDF). An entry's
score blends how well its best phrasing covers the question and is covered by it (a weighted F1)
with how much of the question its whole vocabulary explains. Words the lesson has never seen
pull confidence down, which is how "what is a pod" ends as an honest no-match instead of a guess
about containers. The top entry is answered only when it clears a threshold by a margin over the
best entry outside its own family (a table row and the whole table are one family); otherwise the
top three are offered as suggestions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.knowledge import LANGS, Entry, Knowledge, Lang, Lesson, Text
from bot.normalize import Normaliser, Slot, build_vocabulary, clean_text, compact, detect_language, repair_keyboard

NoMatchReason = Literal["empty", "out_of_scope", "unknown"]


@dataclass(frozen=True)
class MatchSettings:
    """Cutoffs of the answer/suggest/none split; the defaults are calibrated on the eval sets."""

    answer_threshold: float = 0.50
    suggest_threshold: float = 0.30
    margin: float = 0.06
    max_suggestions: int = 3

    def __post_init__(self) -> None:
        for name in ("answer_threshold", "suggest_threshold", "margin"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")
        if self.suggest_threshold > self.answer_threshold:
            raise ValueError("suggest_threshold must not be above answer_threshold")
        if not 1 <= self.max_suggestions <= 25:
            raise ValueError("max_suggestions must be between 1 and 25")


@dataclass(frozen=True)
class Candidate:
    """A scored entry."""

    lesson_id: str
    entry_id: str
    score: float
    title: Text

    @property
    def qualified_id(self) -> str:
        """Return `lesson/entry`, the id used wherever more than one lesson may be loaded."""
        return f"{self.lesson_id}/{self.entry_id}"


@dataclass(frozen=True)
class Answer:
    """A clear winner."""

    candidate: Candidate
    lang: Lang
    runners_up: tuple[Candidate, ...] = ()
    status: Literal["answer"] = "answer"


@dataclass(frozen=True)
class Suggestions:
    """No clear winner: the best few, best first ("did you mean …")."""

    candidates: tuple[Candidate, ...]
    lang: Lang
    status: Literal["suggest"] = "suggest"


@dataclass(frozen=True)
class NoMatch:
    """The lesson does not answer this; `topic` names a nearby topic it explicitly does not cover."""

    lang: Lang
    reason: NoMatchReason
    topic: Text | None = None
    best: Candidate | None = None
    status: Literal["none"] = "none"


Result = Answer | Suggestions | NoMatch


@dataclass(frozen=True)
class _Phrasing:
    tokens: frozenset[str]
    weight: float


@dataclass(frozen=True)
class _Shape:
    weights: Sequence[float]
    total: float
    known_total: float
    unknown_penalty: float
    beta2: float


@dataclass
class _EntryIndex:
    lesson: Lesson
    entry: Entry
    phrasings: list[_Phrasing] = field(default_factory=list)
    pool: dict[str, float] = field(default_factory=dict)


# How much an answer-only word counts when asking "does this entry explain the question's words".
_ANSWER_WORD_FACTOR = 0.6
# Words that occur in a question but nowhere in the lessons: their weight relative to the mean IDF.
_UNKNOWN_WEIGHT = 0.9
_UNKNOWN_PENALTY = 0.6
# Questions up to this many words count as short (see `rank`).
_SHORT_QUESTION = 6
_OOS_TOKEN = re.compile(r"[0-9a-z가-힣ㄱ-ㅎ]+")


class Matcher:
    """An index over every loaded lesson; `ask` is pure and safe to call concurrently."""

    def __init__(self, knowledge: Knowledge, *, settings: MatchSettings | None = None) -> None:
        self.knowledge = knowledge
        self.settings = settings or MatchSettings()
        glossary = [group for lesson in knowledge.lessons for group in lesson.glossary]
        corpus: list[str] = []
        for lesson, entry in knowledge.entries():
            corpus.extend(_phrasing_texts(lesson, entry))
            corpus.extend(_answer_texts(lesson, entry))
        for lesson in knowledge.lessons:
            for item in lesson.out_of_scope:
                corpus.extend(item.terms)
        self.normaliser = Normaliser(build_vocabulary(glossary, corpus))
        self._entries: list[_EntryIndex] = []
        self._postings: dict[str, list[int]] = {}
        self._oos: list[tuple[re.Pattern[str], Lesson, int]] = []
        self._oos_words: dict[str, tuple[Lesson, int]] = {}
        self._build()

    def _build(self) -> None:
        norm = self.normaliser
        for lesson, entry in self.knowledge.entries():
            index = _EntryIndex(lesson, entry)
            for text in _phrasing_texts(lesson, entry):
                tokens = frozenset(norm.phrasing_tokens(text))
                if tokens:
                    index.phrasings.append(_Phrasing(tokens, 0.0))
                    for token in tokens:
                        index.pool[token] = 1.0
            for keyword in entry.keywords:
                for token in norm.phrasing_tokens(keyword):
                    index.pool[token] = 1.0
            for text in _answer_texts(lesson, entry):
                for token in norm.phrasing_tokens(text):
                    index.pool.setdefault(token, _ANSWER_WORD_FACTOR)
            self._entries.append(index)
        doc_freq: dict[str, int] = {}
        for index in self._entries:
            for token, factor in index.pool.items():
                if factor == 1.0:
                    doc_freq[token] = doc_freq.get(token, 0) + 1
        total = max(len(self._entries), 1)
        self._idf = {token: math.log(1.0 + total / df) for token, df in doc_freq.items()}
        self._default_idf = math.log(1.0 + total)
        mean_idf = sum(self._idf.values()) / max(len(self._idf), 1)
        self._unknown_weight = _UNKNOWN_WEIGHT * mean_idf
        for position, index in enumerate(self._entries):
            index.phrasings = [
                _Phrasing(p.tokens, sum(self.idf(t) for t in p.tokens)) for p in index.phrasings
            ]
            for token in index.pool:
                self._postings.setdefault(token, []).append(position)
        for lesson in self.knowledge.lessons:
            for number, item in enumerate(lesson.out_of_scope):
                for term in item.terms:
                    self._oos.append((_term_pattern(term), lesson, number))
                    if _OOS_TOKEN.fullmatch(compact(term)):
                        self._oos_words.setdefault(compact(term), (lesson, number))

    def idf(self, token: str) -> float:
        """Return how telling `token` is: rarer across entries means more telling."""
        return self._idf.get(token, self._default_idf)

    @property
    def size(self) -> int:
        """Return the number of indexed entries."""
        return len(self._entries)

    def ask(self, question: str, *, lang: Lang | None = None, answer_threshold: float | None = None) -> Result:
        """Match one question; `lang` overrides the detected reply language."""
        repaired = repair_keyboard(clean_text(question))
        reply_lang = lang or detect_language(repaired)
        slots = self.normaliser.question_slots(question)
        if not slots:
            return NoMatch(reply_lang, "empty")
        topic = self._out_of_scope(slots, repaired)
        if topic is not None:
            return NoMatch(reply_lang, "out_of_scope", topic=topic)
        ranked = self.rank(slots)
        if not ranked or ranked[0].score < self.settings.suggest_threshold:
            return NoMatch(reply_lang, "unknown", best=ranked[0] if ranked else None)
        top = ranked[0]
        threshold = self.settings.answer_threshold if answer_threshold is None else answer_threshold
        family = self._family(top)
        rival = next((c for c in ranked[1:] if c.entry_id not in family or c.lesson_id != top.lesson_id), None)
        rival_score = rival.score if rival is not None else 0.0
        if top.score >= threshold and top.score - rival_score >= self.settings.margin:
            return Answer(top, reply_lang, tuple(ranked[1 : self.settings.max_suggestions]))
        return Suggestions(tuple(ranked[: self.settings.max_suggestions]), reply_lang)

    def rank(self, slots: Sequence[Slot]) -> list[Candidate]:
        """Score every entry sharing a word with the question, best first."""
        weights = [self._slot_weight(slot) for slot in slots]
        total = sum(weights)
        if total <= 0:
            return []
        known_total = sum(w for w, s in zip(weights, slots, strict=True) if s.known)
        # Long, forum-style questions carry a story around the question: words the lesson never
        # uses are context there, but in a five-word question they are likely the real topic.
        focus = min(1.0, _SHORT_QUESTION / max(len(slots), 1))
        shape = _Shape(
            weights=weights,
            total=total,
            known_total=known_total,
            unknown_penalty=_UNKNOWN_PENALTY * focus * (1.0 - known_total / total),
            beta2=focus * focus,
        )
        positions: set[int] = set()
        for slot in slots:
            for token, _ in slot.readings:
                positions.update(self._postings.get(token, ()))
        scored: list[Candidate] = []
        for position in positions:
            index = self._entries[position]
            score = self._score(index, slots, shape)
            if score > 0:
                scored.append(Candidate(index.lesson.id, index.entry.id, round(score, 4), index.entry.title))
        scored.sort(key=lambda c: (-c.score, c.lesson_id, c.entry_id))
        return scored

    def _slot_weight(self, slot: Slot) -> float:
        if not slot.known:
            # A lone unknown syllable (a stray ending the stripper missed) says little.
            return self._unknown_weight * (0.5 if len(slot.best) == 1 else 1.0)
        return max(self.idf(token) for token, _ in slot.readings)

    def _phrasing_score(self, phrasing: _Phrasing, slots: Sequence[Slot], shape: _Shape) -> float:
        covered = 0.0
        hit: set[str] = set()
        for slot, weight in zip(slots, shape.weights, strict=True):
            match = 0.0
            for token, confidence in slot.readings:
                if token in phrasing.tokens and confidence > match:
                    match = confidence
                    hit.add(token)
            covered += weight * match
        if not covered or not phrasing.weight:
            return 0.0
        recall = covered / shape.total
        precision = sum(self.idf(t) for t in hit) / phrasing.weight
        # F-beta: short questions must be covered by the phrasing (recall and precision alike);
        # long ones are judged mostly by whether a whole phrasing appears inside them.
        return (1 + shape.beta2) * precision * recall / (shape.beta2 * precision + recall)

    def _score(self, index: _EntryIndex, slots: Sequence[Slot], shape: _Shape) -> float:
        best_phrasing = max((self._phrasing_score(p, slots, shape) for p in index.phrasings), default=0.0)
        pooled = 0.0
        if shape.known_total:
            for slot, weight in zip(slots, shape.weights, strict=True):
                if slot.known:
                    pooled += weight * max((c * index.pool.get(t, 0.0) for t, c in slot.readings), default=0.0)
            pooled /= shape.known_total
        # The title is the entry's own name for itself: between two entries that both contain the
        # question, the one whose title it is wins ("컨테이너가 뭐야" → 컨테이너란?, not 컨테이너 안에는?).
        title = self._phrasing_score(index.phrasings[0], slots, shape) if index.phrasings else 0.0
        score = 0.5 * best_phrasing + 0.4 * pooled + 0.1 * title
        return score * (1.0 - shape.unknown_penalty)

    def _family(self, candidate: Candidate) -> frozenset[str]:
        lesson = self.knowledge.lesson(candidate.lesson_id)
        return lesson.family(lesson.entry(candidate.entry_id))

    def _out_of_scope(self, slots: Sequence[Slot], repaired: str) -> Text | None:
        # The question as typed (after keyboard repair): the glossary must not turn "도커 설치" into
        # "컨테이너 설치" before we look for the words that mark a topic the lesson does not cover.
        folded = repaired.casefold()
        for pattern, lesson, number in self._oos:
            if pattern.search(folded):
                return lesson.out_of_scope[number].topic
        # A mistyped term ("dockerfle") is caught after typo correction.
        for slot in slots:
            for token, confidence in slot.readings:
                if confidence < 0.8:
                    continue  # an uncertain 초성 reading is no evidence of an off-lesson topic
                hit = self._oos_words.get(token)
                if hit is not None:
                    return hit[0].out_of_scope[hit[1]].topic
        return None

    def autocomplete(self, prefix: str, *, lang: Lang, limit: int = 25) -> list[Candidate]:
        """Return entries for a partly typed question: best matches first, then titles containing it."""
        limit = max(1, min(limit, 25))
        results: list[Candidate] = []
        seen: set[tuple[str, str]] = set()
        if prefix.strip():
            slots = self.normaliser.question_slots(prefix)
            for candidate in self.rank(slots):
                if candidate.score >= self.settings.suggest_threshold / 2:
                    results.append(candidate)
                    seen.add((candidate.lesson_id, candidate.entry_id))
        needle = compact(repair_keyboard(clean_text(prefix)))
        for index in self._entries:
            key = (index.lesson.id, index.entry.id)
            if key in seen:
                continue
            title = index.entry.title.get(lang)
            if not needle or needle in compact(title):
                results.append(Candidate(index.lesson.id, index.entry.id, 0.0, index.entry.title))
                seen.add(key)
        return results[:limit]


def _term_pattern(term: str) -> re.Pattern[str]:
    """Return a pattern for an out-of-scope term: flexible spacing; Latin ends on word boundaries."""
    parts = [re.escape(p) for p in re.split(r"[\s\-_.·/]+", term.casefold()) if p]
    body = r"[\s\-_.·/]*".join(parts)
    start = r"(?<![0-9a-z])" if re.match(r"[0-9a-z]", parts[0] if parts else "") else r"(?<![가-힣])"
    end = r"(?![0-9a-z])" if re.search(r"[0-9a-z]\Z", term.casefold()) else ""
    return re.compile(start + body + end)


def _phrasing_texts(lesson: Lesson, entry: Entry) -> Iterable[str]:
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


def _answer_texts(lesson: Lesson, entry: Entry) -> Iterable[str]:
    if entry.answer is not None:
        yield entry.answer.ko
        yield entry.answer.en
    if entry.table is not None:
        table = lesson.table(entry.table)
        rows = table.rows if entry.row is None else (table.row(entry.row),)
        for row in rows:
            for lang in LANGS:
                yield from row.cells.get(lang)
    if entry.summary:
        yield from lesson.summary.ko
        yield from lesson.summary.en
