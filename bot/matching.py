"""Question → answer | suggestions | no match. Never imports discord; `ask` is pure.

The question is normalised (see `normalize`) and ranked against every entry (see `index`); this
module makes the decisions. Chat noise ("ㅇㅋ", "thanks lol") is never matched at all. Words the
lessons never use pull confidence down, and topics a lesson lists as not covered end in an honest
no-match, which is how "what is a pod" is not a guess about containers. Rules about meaning come
first; then a top entry above `suggest_threshold` is answered outright only when the calibrated
decision model (see `decision`; read once when the Matcher is built) finds it likely right, from
generic features such as its margin over the best entry outside its own family (a table row and
the whole table are one family); otherwise the top three are offered as suggestions ("did you mean").
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass
from typing import Literal, TypeVar

from bot.cache import PlainCache
from bot.chatter import (
    ChatReading,
    addresses_bot,
    is_about_bot_word,
    is_small_talk_word,
    names_course_logistics,
    read_chatter,
    without_vocative,
)
from bot.decision import Decision, MatchFeatures, decide, load_decision_model
from bot.index import Candidate, EntryTexts, IndexData, Ranking, SearchIndex
from bot.index_cache import index_data, safe_index_key
from bot.it_lexicon import Lexicon, load_lexicon_groups
from bot.it_terms import TermFinder
from bot.knowledge import Entry, Knowledge, Lang, Lesson, Text, parse_knowledge
from bot.lesson_refs import LessonReference, find_lesson_reference, resolve_reference, without_reference
from bot.memo import remembered
from bot.normalize import Slot, detect_language
from bot.question_kind import asks_comparison, asks_how_to, details_named, named_identifiers, without_denied
from bot.scope import EVERYWHERE, Scope
from bot.trie_regex import trie_regex
from bot.tuning import PACKAGED_MODEL, MatcherTuning
from bot.vocabulary import HANGUL_SYLLABLE, compact, term_atoms

_T = TypeVar("_T")

__all__ = ["Answer", "Candidate", "Matcher", "MatcherTuning", "NoMatch", "Result", "Scope", "Suggestions"]

# chatter: acknowledgements, thanks, laughter, greetings (see `chatter`): never answered.
NoMatchReason = Literal["empty", "chatter", "out_of_scope", "unknown"]


@dataclass(frozen=True)
class Answer:
    """A clear winner."""

    candidate: Candidate
    lang: Lang
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


# The ids every lesson file gives its entry about the lesson itself and its summary (the importer
# reserves them, bot/importer/draft.py; the hand-written lessons follow it).
_ROLE_ENTRY_IDS = frozenset({"lesson", "summary"})
# References that can only mean another lesson than the current one, when it is not loaded.
_NAMES_ANOTHER_DAY = frozenset({"day", "next"})
# Lessons of the day kept loaded alone at once (a few channels may each have their own).
_MAX_ALONE = 4
# Texts whose readings are kept per kind (see `Matcher._remembered`): a question's sentences, several times over.
_MAX_READINGS = 32
# Relative references a question can name the day by with no lesson of the day (newest: today).
_NAMES_A_DAY = frozenset({"today", "previous", "yesterday"})
_TODAY = LessonReference("today", 0, 0)
# Words that alone say "today's lesson" in a request every lesson fits alike ("오늘 핵심 요약").
_TODAY_WORDS = "오늘 today 이번"
_SENTENCE_END = re.compile(r"(?<=[.?!。？！])\s+|\n+")
_OOS_TOKEN = re.compile(r"[0-9a-z가-힣ㄱ-ㅎ]+")


@dataclass(frozen=True)
class _Reading:
    """How a result's top entry was reached: the decision model's P(right), the share of unknown words."""

    confidence: float
    unknown_share: float
    # The shared ranking the decision saw (best first; empty when none was made).
    ranked: tuple[Candidate, ...] = ()


def _same_index(previous: Matcher, knowledge: Knowledge, key: str) -> bool:
    """Whether `previous` indexes the very lessons of `knowledge` (same objects) with the same key."""
    lessons = previous.knowledge.lessons
    same_lessons = len(lessons) == len(knowledge.lessons) and all(
        old is new for old, new in zip(lessons, knowledge.lessons, strict=True)
    )
    return same_lessons and previous.index_key == key


def _unknown_names(text: str, slots: Sequence[Slot]) -> int:
    """Return how many technical names (`named_identifiers`: ExternalName, VXLAN) a question spells that no
    loaded lesson's words read: a concept no lesson names, like an IT lexicon concept foreign to it."""
    names = named_identifiers(text)
    if not names:
        return 0
    unknown = [slot.surface for slot in slots if not slot.known]
    return sum(any(surface.startswith(name) for surface in unknown) for name in names)


class Matcher:
    """An index over every loaded lesson; `ask` is pure and safe to call concurrently."""

    def __init__(
        self,
        knowledge: Knowledge,
        *,
        tuning: MatcherTuning | None = None,
        lexicon: Lexicon | None = None,
        cache: PlainCache | None = None,
        previous: Matcher | None = None,
    ) -> None:
        """Index `knowledge`; `lexicon` is the IT lexicon every lesson shares (default: the built-in one,
        read from the package's data file; an empty `Lexicon.from_groups(())` turns it off).

        With `cache` (see `index_cache.index_cache`) and the built-in lexicon, the index's derived data
        is read back from the cache when the lessons, tuning, data files and code are the same. `previous`
        is the matcher this one replaces (a reload): what they would hold alike is shared, not copied."""
        self.knowledge = knowledge
        self.tuning = tuning or MatcherTuning()
        # Read and validated once per matcher: a bad model file fails here, not mid-question.
        self.decision: Decision | None = self._load_decision(self.tuning)
        # Only the built-in lexicon is covered by the key (a matcher given its own never caches or shares).
        wanted = lexicon is None and (cache is not None or previous is not None)
        self.index_key = safe_index_key(knowledge, self.tuning) if wanted else ""
        same = previous is not None and bool(self.index_key) and _same_index(previous, knowledge, self.index_key)
        if previous is not None and same:
            # Nothing the index depends on changed: the serving index (never mutated) is this one too.
            self.index: SearchIndex = previous.index
        else:
            if lexicon is None:
                old = None if previous is None else previous.index
                data = index_data(knowledge, self.tuning, cache, self.index_key, previous=old)
            else:
                data = IndexData.build(knowledge, tuning=self.tuning, lexicon=lexicon)
            self.index = SearchIndex(
                knowledge, tuning=self.tuning, data=data, previous=None if previous is None else previous.index
            )
            del data  # build-time data: the index keeps only what it ranks with
        # The index normalised the knowledge; questions must go through the very same normaliser.
        self.normaliser = self.index.normaliser
        # The IT concepts questions and entries name (a feature of the answer decision), whole lexicon:
        # a concept no lesson uses is the point. What each entry names is read when first needed.
        self._builtin_terms = lexicon is None
        if previous is not None and lexicon is None and previous._builtin_terms:
            self._terms: TermFinder = previous._terms
        else:
            self._terms = TermFinder(load_lexicon_groups() if lexicon is None else lexicon.groups())
        self._concepts_of_entry: dict[tuple[str, str], frozenset[int]] = {}
        self._concepts_of_lesson: dict[str, frozenset[int]] = {}
        self._read_terms: dict[tuple[str, str], bool] = {}
        self._taught: dict[tuple[str, str], frozenset[str]] = {}
        # Per word as typed: learners reuse a few hundred words (bounded like the normaliser's cache).
        self._small_talk: dict[str, bool] = {}
        self._titled: dict[tuple[str, str], frozenset[int]] = {}
        self._how_to: dict[tuple[str, str], bool] = {}
        self._families: dict[tuple[str, str], frozenset[str]] = {}
        self._details_of_entry: dict[tuple[str, str], frozenset[str]] = {}
        self._comparing: dict[tuple[str, str], bool] = {}
        self._oos_groups: dict[str, tuple[Lesson, int]] = {}
        self._oos_pattern: re.Pattern[str] | None = None
        self._oos_words: dict[str, tuple[Lesson, int]] = {}
        self._oos_covered_by: dict[tuple[str, int], frozenset[str]] = {}
        # The lesson of the day loaded alone, built when first asked for (see `_own_answer`): a channel
        # has one lesson of the day, so at most a few of these ever exist, whatever the curriculum.
        self._cache = cache
        self._lexicon = lexicon
        self._alone: dict[str, Matcher] = {}
        # What a lesson alone decided for the question being asked (its own answer and the routing both ask).
        self._alone_memo: dict[tuple[str, str, Lang | None, float | None], tuple[Result, _Reading]] = {}
        # The question being asked is read again per lesson searched (`_routed_answer`, `_own_answer`)
        # and per concept count: its readings, which no scope changes, are kept for a few texts.
        self._repaired_of: dict[str, str] = {}
        self._chatter_of: dict[str, ChatReading] = {}
        self._slots_of: dict[str, tuple[Slot, ...]] = {}
        self._terms_of: dict[str, dict[int, str]] = {}
        self._topic_words: dict[str, frozenset[str]] = {}
        self._today: frozenset[str] | None = None
        if previous is not None and same:
            # The very same lessons: so are their not-covered topics (read-only once built).
            self._oos_groups, self._oos_pattern = previous._oos_groups, previous._oos_pattern
            self._oos_words, self._oos_covered_by = previous._oos_words, previous._oos_covered_by
        else:
            self._build_out_of_scope()

    @staticmethod
    def _load_decision(tuning: MatcherTuning) -> Decision | None:
        if tuning.decision_model is None:
            return None
        return load_decision_model(None if tuning.decision_model == PACKAGED_MODEL else tuning.decision_model)

    def _build_out_of_scope(self) -> None:
        # Per distinct term (as regex atoms), the group that reports it: of the same term in several
        # lessons, the group whose name sorts first — the trie emits branches sorted, so that group's
        # empty branch is the one that would match; the others could never be reached, only compiled.
        groups: dict[tuple[str, ...], str] = {}
        atoms_of: dict[str, tuple[str, ...]] = {}  # lessons repeat terms ("쿠버네티스" in every one)
        count = 0
        for lesson in self.knowledge.lessons:
            for number, item in enumerate(lesson.out_of_scope):
                for term in item.terms:
                    # An empty named group at the end of each term tells which topic matched.
                    group = f"t{count}"
                    count += 1
                    atoms = atoms_of.get(term)
                    if atoms is None:
                        atoms = atoms_of[term] = tuple(term_atoms(term))
                    held = groups.get(atoms)
                    if held is None or group < held:
                        if held is not None:
                            del self._oos_groups[held]
                        groups[atoms] = group
                        self._oos_groups[group] = (lesson, number)
                for term in item.terms:
                    if _OOS_TOKEN.fullmatch(compact(term)):
                        self._oos_words.setdefault(compact(term), (lesson, number))
        alternatives = [[*atoms, f"(?P<{group}>)"] for atoms, group in groups.items()]
        # One alternation for every term of every lesson: one scan of the question, not hundreds.
        self._oos_pattern = re.compile(trie_regex(alternatives)) if alternatives else None
        self._oos_covered_by = self._out_of_scope_coverage()

    def _out_of_scope_coverage(self) -> dict[tuple[str, int], frozenset[str]]:
        """Return, per not-covered topic, the other lessons whose entries use one of its terms."""
        covered: dict[tuple[str, int], set[str]] = {}
        if self._oos_pattern is None or len(self.knowledge.lessons) < 2:
            return {}
        for lesson in self.knowledge.lessons:
            # What the lesson teaches is in its answers, titles and keywords (the questions only ask
            # about it, many times over): one scan of those, joined by a character no term can span.
            texts = [EntryTexts.of(lesson, entry) for entry in lesson.entries]
            titles = (text for entry in lesson.entries for text in entry.title.texts())
            joined = "\0".join([*titles, *(t for entry in texts for t in (*entry.keywords, *entry.answers))])
            for found in self._oos_pattern.finditer(joined.casefold()):
                if found.lastgroup is None:
                    continue
                owner, number = self._oos_groups[found.lastgroup]
                if owner.id != lesson.id:
                    covered.setdefault((owner.id, number), set()).add(lesson.id)
        return {key: frozenset(lessons) for key, lessons in covered.items()}

    @property
    def size(self) -> int:
        """Return the number of indexed entries."""
        return self.index.size

    def _tail_start(self, sentences: Sequence[Sequence[Slot]]) -> int:
        """Return the index of the first of the closing sentences that hold the question."""
        words = 0
        for start in range(len(sentences) - 1, 0, -1):
            words += len(sentences[start])
            if words >= self.tuning.tail_min_words:
                return start
        return 0

    def rank(self, slots: Sequence[Slot], *, scope: Scope = EVERYWHERE) -> list[Candidate]:
        """Score every entry (of the lessons in scope) sharing a word with the question, best first."""
        return self.index.rank(slots, scope=scope)

    def ask(
        self,
        question: str,
        *,
        lang: Lang | None = None,
        answer_threshold: float | None = None,
        scope: Scope = EVERYWHERE,
    ) -> Result:
        """Match one question.

        `lang` overrides the detected reply language; `answer_threshold` adds a minimum score for an
        answer (unprompted replies need more confidence); `scope` limits the search to some lessons
        (a channel scoped to one lesson) and names the current lesson, which wins ties between lessons.
        """
        result, reading = self._decided(question, lang=lang, answer_threshold=answer_threshold, scope=scope)
        own = self._own_answer(question, result, reading, lang=lang, answer_threshold=answer_threshold, scope=scope)
        if own is None:
            own = self._routed_answer(
                question, result, reading, lang=lang, answer_threshold=answer_threshold, scope=scope
            )
        if own is None:
            own = self._meant_answer(question, result, lang=lang, answer_threshold=answer_threshold, scope=scope)
        return result if own is None else own

    def _meant_answer(
        self, question: str, result: Result, *, lang: Lang | None, answer_threshold: float | None, scope: Scope
    ) -> Answer | None:
        """Return the answer of the lesson a summary or overview request means, as it gives it alone.

        With no lesson of the day, a request naming one lesson's topic or its day puts that lesson's
        entry of the role first (`_counterpart_first`); inside the shared index, words only another
        lesson uses count as unknown to it, and its entry may fall short of an answer that the lesson
        loaded alone gives ("오늘 배우는 오브젝트 세 개가 뭐야"). The lesson meant answers as it does
        alone, as a lesson of the day does (`_own_answer`). With a lesson of the day, only a request
        naming another lesson (its topic or its date: "7월 2일 수업 내용" in day 18's class) is so
        answered: "오늘" then means the lesson of the day.
        """
        if scope.lessons is not None or len(self.knowledge.lessons) < 2:
            return None
        top = result.best if isinstance(result, NoMatch) and result.reason == "unknown" else None
        if isinstance(result, Suggestions):
            top = result.candidates[0]
        if top is None or not self._role_entry(top):
            return None
        repaired, slots = self._read(question)
        words = {token for slot in slots for token, _ in slot.readings}
        lesson_ids = [lesson.id for lesson in self.knowledge.lessons]
        named = self._date_named(repaired, lesson_ids) or self._topic_named(words, lesson_ids)
        meant = named[0] if len(named) == 1 else None
        if meant is None and scope.prefer is None:
            meant = self._day_meant(repaired, words)
        if meant != top.lesson_id or meant == scope.prefer or self.unnamed_concepts(question, meant):
            return None
        alone, _ = self._alone_decided(meant, question, lang=lang, answer_threshold=answer_threshold)
        return alone if isinstance(alone, Answer) else None

    def _decided(
        self, question: str, *, lang: Lang | None, answer_threshold: float | None, scope: Scope
    ) -> tuple[Result, _Reading]:
        """Return the result, how likely its top entry is right, and how much of the question is unknown."""
        considered = self._consider(question, lang=lang, scope=scope)
        if isinstance(considered, NoMatch):
            return considered, _Reading(0.0, 1.0)
        ranked, features, reply_lang, tied = considered
        top = ranked[0]
        estimate = self.probability(features)
        confidence = top.score if estimate is None else estimate  # no model: the hand-set thresholds judge the score
        floor_ok = answer_threshold is None or top.score >= answer_threshold
        reading = _Reading(confidence, features.unknown_share, tuple(ranked))
        if floor_ok and not tied and self._answers(features, estimate):
            return Answer(top, reply_lang), reading
        return Suggestions(tuple(ranked[: self.tuning.max_suggestions]), reply_lang), reading

    def _own_answer(
        self,
        question: str,
        result: Result,
        reading: _Reading,
        *,
        lang: Lang | None,
        answer_threshold: float | None,
        scope: Scope,
    ) -> Answer | None:
        """Return the lesson of the day's answer, as it gives it loaded alone, when the two are a real tie.

        A growing curriculum must not move yesterday's answers: in day 16's class, a question day 16
        answers by itself gets that answer when `result` is already about day 16, or in a near tie:
        day 16's best entry within `prefer_window` of the top one in the shared ranking, and the top
        entry's lesson, also asked alone, not clearly likelier to be right (each lesson's decision
        model estimate on its own scale), while day 16 knows as much of the question as the shared
        index — rollbacks are in day 16 and in day 18; a question about another lesson's topic holds
        words day 16 does not know. A draft alone is often sure of a section that only mentions a
        word of the question ("컨테이너 안에 뭐가 들어가" to day 18's section on labels), so its
        certainty alone never overrides a clear lead of the other lesson's entry.
        A draft and a hand-written lesson are weighed by what their answers are about, not by their
        confidences nor the everyday words each knows (`_real_tie`): in day 18's class (a draft),
        a rollback question is day 18's section, however much surer day 16 alone is of its row.
        Asked of the lesson loaded alone, not inside the bigger index: there its words are read with
        its own vocabulary (another lesson's words neither correct its typos, nor widen its 초성, nor
        keep its words from being stemmed). Never against what the question names: a lesson it refers to
        ("16일차"), an IT concept the lesson never names, or a topic no lesson in scope covers.
        """
        prefer = scope.prefer
        if prefer is None or len(self.knowledge.lessons) < 2 or scope.lessons is not None:
            # A channel kept to some lessons is left to the search: each would need its lesson alone.
            return None
        if isinstance(result, NoMatch) and result.reason != "unknown":
            return None
        if find_lesson_reference(question) is not None:
            return None
        top = result.candidate if isinstance(result, Answer) else None
        if isinstance(result, Suggestions):
            top = result.candidates[0]
        own_first = top is not None and top.lesson_id == prefer
        if top is not None and not own_first and self._role_entry(top):
            repaired, slots = self._read(question)
            if self._names_other_lesson(top, prefer, slots, repaired):
                # "tldr of the container lesson?" in day 18's class: day 16's summary, as ranked.
                return None
        if not own_first and self.unnamed_concepts(question, prefer):
            # A concept the lesson of the day never names ("VM" to a lesson on pods): whatever it
            # answers alone, it is not about what was asked.
            return None
        alone, alone_reading = self._alone_decided(prefer, question, lang=lang, answer_threshold=answer_threshold)
        if not isinstance(alone, Answer):
            return None
        if own_first or top is None:
            return alone
        if alone_reading.unknown_share > reading.unknown_share and not (
            self.knowledge.lesson(prefer).draft
            and not self.knowledge.lesson(top.lesson_id).draft
            and alone_reading.unknown_share <= self.tuning.mostly_unknown_share
        ):
            # Words the other lesson knows and the lesson of the day does not: the question is about
            # the other lesson's topic. Not from a draft's lesson of the day against a hand-written
            # file while the draft knows most of the question: a hand-written file's phrasings know
            # everyday words ("몰릴", "올리면") no draft has.
            return None
        rival, rival_reading = self._alone_decided(
            top.lesson_id, question, lang=lang, answer_threshold=answer_threshold
        )
        # A draft and a hand-written lesson: their confidences are on different footing (generated
        # phrasings, written ones; two decision models), so what the two answers are about decides
        # a real tie.
        if (
            isinstance(rival, Answer)
            and self._kinds_differ(prefer, top.lesson_id)
            and self._real_tie(question, alone.candidate, rival.candidate, prefer)
        ):
            return alone
        # A near tie: its best entry within `prefer_window` of the top in the shared ranking
        # (rollbacks: a row of day 16, a section of day 18). There the entry whose title names more
        # of what is asked is about it; the other only mentions it ("컨테이너 안에 들어가는 것" to day
        # 16's "컨테이너 안에는 무엇이 들어가나요?" and to day 18's section on labels, whose example
        # says "컨테이너"). "What is a container" in day 18's class is day 16's definition: no near
        # tie, however sure the lesson of the day is alone of an entry that only mentions a word of it.
        about = self._more_about(question, alone.candidate, top)
        own_best = next((c.score for c in reading.ranked if c.lesson_id == prefer), 0.0)
        near = top.score - own_best <= self.tuning.prefer_window
        if near and about:
            return alone if about > 0 else None
        if not near and (self._titled_count(question, alone.candidate) == 0 or about < 0):
            return None
        rival_confidence = rival_reading.confidence if isinstance(rival, Answer) else 0.0
        if not near:
            # Another lesson's clear lead (a typo the shared index reads as its word: "rollbak")
            # yields only to an entry about what is asked (its title names as much of it), at least
            # as likely right alone.
            return alone if alone_reading.confidence >= rival_confidence else None
        # The lessons are weighed as each decides alone: a draft's generated phrasings score on
        # another scale than a hand-written file's, and inside the shared index the other lesson's
        # decision is bent by the draft's entries. The other lesson's answer not clearly likelier
        # (by `route_margin`) leaves the tie to the lesson of the day.
        if alone_reading.confidence + self.tuning.route_margin >= rival_confidence:
            return alone
        return None

    def _routed_answer(
        self,
        question: str,
        result: Result,
        reading: _Reading,
        *,
        lang: Lang | None,
        answer_threshold: float | None,
        scope: Scope,
    ) -> Answer | None:
        """Return the answer of the lesson that reads the question best, when one clearly does.

        The shared index ranks entries of lessons whose scores are on
        different scales (a draft's generated phrasings, a hand-written file's) and whose
        vocabularies explain different parts of the question. Each of the lessons with an entry near
        the top is searched alone inside the shared index (its own word weights, which another
        lesson does not move, and its own decision model; no matcher is built per lesson, so a
        curriculum of many lessons costs a ranking per near lesson). A lesson naming more of
        the IT concepts the question names than the top entry's lesson ("노드포트" to a lesson on
        containers and one on Services) answers if it answers alone; otherwise the one whose answer
        is clearly likelier to be right (by `route_margin` over every other lesson's estimate)
        does. Never when the question names a lesson, for a lesson leaving more of its IT concepts
        unnamed than another near lesson ("ssh", named by none, is no evidence either way), nor for
        an entry of a role every lesson has (its summary: left to `_counterpart_first`). With a
        lesson of the day this runs after `_own_answer` declined: a lesson of the day that reads
        the question clearly better is never worse off than with no lesson of the day.
        """
        if len(self.knowledge.lessons) < 2 or scope.lessons is not None:
            return None
        if not isinstance(result, (Answer, Suggestions)):
            return None
        if find_lesson_reference(question) is not None:
            return None
        shared = reading.ranked
        lessons = self._near_lessons(shared)
        if len(lessons) < 2:
            return None
        unnamed = {lesson_id: self.unnamed_concepts(question, lesson_id) for lesson_id in lessons}
        fewest = min(unnamed.values())
        readings: list[tuple[float, str, Result]] = []
        for lesson_id in lessons:
            alone, alone_reading = self._lesson_decided(
                lesson_id, question, lang=lang, answer_threshold=answer_threshold
            )
            confidence = alone_reading.confidence if isinstance(alone, (Answer, Suggestions)) else 0.0
            readings.append((confidence, lesson_id, alone))
        readings.sort(key=lambda item: item[0], reverse=True)
        top_lesson = result.candidate.lesson_id if isinstance(result, Answer) else result.candidates[0].lesson_id
        titled = self._titling_lesson(question, readings, shared)
        if unnamed[top_lesson] > fewest:
            # The question names a concept the top's lesson never names and another lesson does.
            _, lesson_id, alone = next(item for item in readings if unnamed[item[1]] == fewest)
        elif titled is not None and unnamed[titled] == fewest:
            # The entry whose title names what is asked is about it; the others only mention it.
            _, lesson_id, alone = next(item for item in readings if item[1] == titled)
        else:
            (best, lesson_id, alone), (second, _, _) = readings[0], readings[1]
            if best - second < self.tuning.route_margin or unnamed[lesson_id] > fewest:
                return None
        if not isinstance(alone, Answer) or self._role_entry(alone.candidate):
            # Every lesson has a summary and an entry about itself: which lesson's, when the question
            # names none, is left to `_counterpart_first`.
            return None
        return alone

    def _kinds_differ(self, first: str, second: str) -> bool:
        """Return whether one of two lessons is a draft (imported, unedited) and the other hand-written."""
        return self.knowledge.lesson(first).draft != self.knowledge.lesson(second).draft

    def _real_tie(self, question: str, own: Candidate, rival: Candidate, prefer: str) -> bool:
        """Return whether two lessons' answers, each given alone, are about what is asked alike.

        Both teach it: the lesson of the day's entry names (title, phrasings, answer) every IT concept
        of the question the other's title names, and its title names one of them or it names them all
        (two or more)
        ("k8s 디플로이 롤백 어케함": rollbacks are a row of day 16 and a section of day 18). Not when
        the other entry's title is wholly what is asked and the lesson of the day's is not (day 16's
        "컨테이너란?" to "컨테이너가 뭐야" in day 18's class, where a section on pods mentions
        containers), nor when the question names a word of the other lesson's topic the lesson of the
        day's lacks ("컨테이너 왜 써" in day 18's class is the container lesson's question). A
        question naming no IT concept gives nothing to weigh: not a tie.
        """
        repaired, slots = self._read(question)
        # A concept a lesson's topic names (Kubernetes, in day 16's subtitle and day 18's) runs
        # through all its entries: it tells which lesson (see `_topic_named`), not which entry.
        # "whats schedulng in k8s" (a typo hides the concept asked about) is no tie.
        asked = frozenset(self._concepts_in(repaired).keys())
        concepts = asked - self._topic_concepts(prefer) - self._topic_concepts(rival.lesson_id)
        if not concepts:
            return False
        # Read for certain: a guess (초성, a typo fix) may be any lesson's word.
        words = {token for slot in slots for token, confidence in slot.readings if confidence >= 1.0}
        if self._topic_named(words, [rival.lesson_id, prefer]) == [rival.lesson_id]:
            return False
        named = self._entry_concepts(own) & concepts
        own_title = self._title_concepts(own)
        rival_title = self._title_concepts(rival)
        if not rival_title & concepts <= named:
            return False
        # Its title names what is asked, or its texts name every one of several concepts the question
        # puts together; one concept its answer mentions in passing is no evidence.
        if not own_title & concepts and (named != concepts or len(concepts) < 2):
            return False
        # Wholly what is asked, the words read as guesses too: a typo ("rolling updat and rollback")
        # hides a concept from the question's text, not from its reading.
        guessed = asked.union(
            *(
                self._terms.concepts(token)
                for slot in slots
                if slot.known
                for token, confidence in slot.readings
                if confidence < 1.0
            )
        )
        return not (rival_title and rival_title <= guessed and not (own_title and own_title <= guessed))

    def _topic_concepts(self, lesson_id: str) -> frozenset[int]:
        """Return the IT concepts a lesson's title and subtitle name."""
        lesson = self.knowledge.lesson(lesson_id)
        texts = [*lesson.title.texts(), *(lesson.subtitle.texts() if lesson.subtitle is not None else ())]
        return frozenset().union(*(self._terms.concepts(text) for text in texts))

    def _titled_count(self, question: str, candidate: Candidate) -> int:
        """Return how many of the IT concepts the question names the entry's title names."""
        repaired = self._repaired(question)
        concepts = self._concepts_in(repaired).keys()
        return len(concepts & self._title_concepts(candidate)) if concepts else 0

    def _titled_words(self, question: str, candidate: Candidate) -> int:
        """Return how many of the question's words (read for certain, not small talk) the entry's title says."""
        _, slots = self._read(question)
        words = {
            token
            for slot in slots
            if slot.known and not is_small_talk_word(slot.surface)
            for token, confidence in slot.readings
            if confidence >= 1.0
        }
        return len(words & self.index.title_words(candidate))

    def _more_about(self, question: str, first: Candidate, second: Candidate) -> int:
        """Return 1 when `first` is more about what is asked than `second`, -1 when less, 0 when neither.

        More about it: its title names more of the question's IT concepts, while the other's title
        does not say more of the question's words ("사이드카랑 주고받는 임시 공간" names the sidecar,
        which a section on sidecars has in its title, but asks for the "임시 공간" another titles).
        """
        concepts = self._titled_count(question, first) - self._titled_count(question, second)
        words = self._titled_words(question, first) - self._titled_words(question, second)
        if concepts > 0 and words >= 0:
            return 1
        if concepts < 0 and words <= 0:
            return -1
        return 0

    def _titling_lesson(
        self, question: str, readings: Sequence[tuple[float, str, Result]], ranked: Sequence[Candidate]
    ) -> str | None:
        """Return the one lesson whose answer is more about what is asked than every other lesson's
        first entry (`_more_about`: its title names more of the question's IT concepts), its best
        entry in a near tie with the top of the shared ranking (within `prefer_window`); else None.

        How central the matched words are to each entry: "결론이 뭐야? 쿠버네티스를 한마디로 하면" fits
        day 16's "결론은?" and day 18's "결론: 쿠버네티스는 …"; only the latter is about Kubernetes.
        The concept in an entry's title is what it is about; elsewhere it may be only mentioned.
        A clear lead in the shared ranking is not overturned so ("schedulng in k8s" is day 16's
        entry on scheduling, though day 18's section on pods names Kubernetes in its title).
        """
        firsts: dict[str, Candidate] = {}
        for _, lesson_id, result in readings:
            if isinstance(result, Answer):
                firsts[lesson_id] = result.candidate
            elif isinstance(result, Suggestions):
                firsts[lesson_id] = result.candidates[0]
        leaders = [
            lesson_id
            for lesson_id, first in firsts.items()
            if len(firsts) == len(readings)
            and all(self._more_about(question, first, other) > 0 for key, other in firsts.items() if key != lesson_id)
        ]
        if len(leaders) != 1:
            return None
        leader = leaders[0]
        answer = next(result for _, lesson_id, result in readings if lesson_id == leader)
        leader_best = next((c.score for c in ranked if c.lesson_id == leader), 0.0)
        if not isinstance(answer, Answer) or ranked[0].score - leader_best > self.tuning.prefer_window:
            return None
        return leader

    def _near_lessons(self, ranked: Sequence[Candidate]) -> list[str]:
        """Return the lessons (at most `route_lessons`) whose best entries lead the shared ranking."""
        if not ranked:
            return []
        top = ranked[0].score
        lessons: list[str] = []
        for candidate in ranked:
            if top - candidate.score > self.tuning.counterpart_window or len(lessons) >= self.tuning.route_lessons:
                break
            if candidate.lesson_id not in lessons:
                lessons.append(candidate.lesson_id)
        return lessons

    def _lesson_decided(
        self, lesson_id: str, question: str, *, lang: Lang | None, answer_threshold: float | None
    ) -> tuple[Result, _Reading]:
        """Return what one lesson decides for `question`, searched alone inside the shared index."""
        return self._decided(
            question, lang=lang, answer_threshold=answer_threshold, scope=Scope(frozenset({lesson_id}))
        )

    def _alone_decided(
        self, lesson_id: str, question: str, *, lang: Lang | None, answer_threshold: float | None
    ) -> tuple[Result, _Reading]:
        """Return what one loaded lesson alone decides for `question` (the last question's kept)."""
        # Bounded to a few lessons' readings: only the current question's are worth keeping.
        return remembered(
            self._alone_memo,
            (lesson_id, question, lang, answer_threshold),
            lambda _: self._alone_matcher(lesson_id)._decided(
                question, lang=lang, answer_threshold=answer_threshold, scope=EVERYWHERE
            ),
            limit=2 * _MAX_ALONE,
        )

    def _alone_matcher(self, lesson_id: str) -> Matcher:
        """Return a matcher over one loaded lesson alone (built once; equal to loading that lesson by itself)."""
        found = self._alone.get(lesson_id)
        if found is None:
            lesson = self.knowledge.lesson(lesson_id)
            found = Matcher(parse_knowledge([lesson]), tuning=self.tuning, lexicon=self._lexicon, cache=self._cache)
            if len(self._alone) >= _MAX_ALONE:
                # Lessons of the day change daily: the oldest built goes (dicts keep insertion order).
                self._alone.pop(next(iter(self._alone)))
            self._alone[lesson_id] = found
        return found

    def assess(self, question: str, *, scope: Scope = EVERYWHERE) -> tuple[Candidate, MatchFeatures] | None:
        """Return the top entry and the features the answer decision weighs; None when no decision is made.

        None: the question is empty, chat noise, about a topic no loaded lesson covers, or its best
        match is below `suggest_threshold` (those never reach the decision). For calibration
        (benchmarks/fit_decision.py) and diagnostics.
        """
        considered = self._consider(question, lang=None, scope=scope)
        if isinstance(considered, NoMatch):
            return None
        ranked, features, _, _ = considered
        return ranked[0], features

    def unnamed_concepts(self, question: str, lesson_id: str) -> int:
        """Return how many IT concepts `question` names that no entry of a loaded lesson names.

        "DaemonSet" in a question is a concept a lesson about pods and Deployments never names: its
        entries may match the rest of the question, but they do not teach what it asks.
        """
        named = self._lesson_concepts(lesson_id)
        repaired = self._repaired(question)
        return sum(group not in named for group in self._concepts_in(repaired))

    @staticmethod
    def _remembered(memo: dict[str, _T], text: str, read: Callable[[str], _T]) -> _T:
        """Return `read(text)`, kept in `memo` for the last few texts read (`read` is pure)."""
        return remembered(memo, text, read, limit=_MAX_READINGS)

    def _repaired(self, question: str) -> str:
        """Return the question cleaned and keyboard-repaired (`Normaliser.repair`), read once per text."""
        return self._remembered(self._repaired_of, question, self.normaliser.repair)

    def _read(self, question: str) -> tuple[str, tuple[Slot, ...]]:
        """Return the question repaired and its slots (the whole of it, as one text), each read once."""
        repaired = self._repaired(question)
        return repaired, self._remembered(self._slots_of, repaired, self.normaliser.repaired_slots)

    def _concepts_in(self, text: str) -> dict[int, str]:
        """Return the IT concepts (lexicon groups) `text` names, each with the words naming it, read once."""
        return self._remembered(self._terms_of, text, self._terms.terms)

    def probability(self, features: MatchFeatures) -> float | None:
        """Return the decision model's P(top entry is right) for `features`; None without a model."""
        return None if self.decision is None else self.decision.probability(features)

    def _answers(self, features: MatchFeatures, probability: float | None = None) -> bool:
        tuning = self.tuning
        return decide(
            self.decision,
            features,
            answer_threshold=tuning.answer_threshold,
            margin=tuning.margin,
            probability=probability,
        )

    def _consider(
        self, question: str, *, lang: Lang | None, scope: Scope
    ) -> NoMatch | tuple[list[Candidate], MatchFeatures, Lang, bool]:
        """Rank a question; return the no-match decided before the model, or the ranking and its features."""
        tuning = self.tuning
        repaired = self._repaired(question)
        chatter = self._remembered(self._chatter_of, repaired, read_chatter)
        # A laugh with a remark rather than a question ("ㅋㅋ 오늘 진도 빨랐다", "lol my container just died").
        remark = chatter.laughing_remark
        if chatter.only_noise or (remark and not self._names_it_concept(self._concepts_in(chatter.question))):
            # "ㅇㅋ", "감사합니다 ㅋㅋ", "hi everyone", or a remark about no IT concept ("lol my laptop just
            # died"): nothing asked, so nothing is answered or suggested.
            return NoMatch(lang or detect_language(question), "chatter")
        # "안녕하세요 컨테이너가 뭐예요?" is asked as "컨테이너가 뭐예요?": the greeting is no part of the question.
        repaired = chatter.question or repaired
        # "봇아 컨테이너가 뭐야?" asks "컨테이너가 뭐야?": calling the bot by name is no word of the question.
        spoken, repaired = repaired, without_vocative(repaired)
        reply_lang = lang or detect_language(repaired)
        repaired, scope = self._steer(repaired, scope)
        # "X isn't a Y?" asks what X is: Y is no topic of it.
        repaired = without_denied(repaired)
        texts = [s for s in _SENTENCE_END.split(repaired) if s.strip()]
        sentences = [self._remembered(self._slots_of, s, self.normaliser.repaired_slots) for s in texts]
        slots = tuple(slot for sentence in sentences for slot in sentence)
        if not slots:
            return NoMatch(reply_lang, "empty")
        # A long post is read by its closing sentences too: that is where the question is. They also
        # alone decide that it is about an uncovered topic (the story may mention "our install scripts").
        start = self._tail_start(sentences) if len(slots) >= tuning.long_question_words else 0
        tail = [slot for sentence in sentences[start:] for slot in sentence]
        covered = self._covering_scope(tail, " ".join(texts[start:]), scope)
        if isinstance(covered, Text):
            return NoMatch(reply_lang, "out_of_scope", topic=covered)
        scope, partly = covered
        ranking, focused = self._rank_with_focus(slots, tail if start else None, scope)
        ranked, tied, resolved = self._counterpart_first(ranking.candidates, scope, slots, repaired)
        if not ranked or ranked[0].score < tuning.suggest_threshold:
            return NoMatch(reply_lang, "unknown", best=ranked[0] if ranked else None)
        top = ranked[0]
        family = self._family(top)
        # Ties between lessons go to the current lesson: its best entry needs a margin only over
        # its own lesson's other entries (the same "key points" entry in every lesson is no rival).
        other_lesson = next((c.score for c in ranked[1:] if c.lesson_id != top.lesson_id), 0.0)
        # Another lesson's best entry clearly below the top one is no rival: the question is resolved
        # to the top's lesson first, and its margin is then measured inside that lesson.
        settled = top.lesson_id in (scope.prefer, resolved) or top.score - other_lesson >= tuning.lesson_margin
        rival = next(
            (
                c
                for c in ranked[1:]
                if (c.lesson_id != top.lesson_id and not settled)
                or (c.lesson_id == top.lesson_id and c.entry_id not in family)
            ),
            None,
        )
        asked = " ".join(texts)
        concepts = self._concepts_in(asked)
        margin = top.score - (rival.score if rival is not None else 0.0)
        foreign = self._foreign_concepts(concepts, top.lesson_id) + _unknown_names(asked, slots)
        features = MatchFeatures(
            score=top.score,
            margin=margin,
            gap=top.score - (ranked[1].score if len(ranked) > 1 else 0.0),
            coverage=top.coverage,
            unknown_share=ranking.unknown_share,
            guessed_share=ranking.guessed_share,
            log_words=math.log1p(len(slots)),
            focused=1.0 if top.entry_id in focused.get(top.lesson_id, ()) else 0.0,
            # Only where another lesson competes: with one lesson loaded, naming it changes nothing.
            preferred=1.0 if top.lesson_id == scope.prefer and other_lesson > 0 else 0.0,
            other_lesson=other_lesson,
            english=1.0 if reply_lang == "en" else 0.0,
            foreign_concepts=foreign / len(slots),
            uncovered_concepts=len(concepts.keys() - self._entry_concepts(top)) / len(concepts) if concepts else 0.0,
            **self._content_features(slots, top, concepts, asked, spoken),
            how_to_unasked=1.0 if asks_how_to(" ".join(texts[start:])) and not self._answers_how_to(top) else 0.0,
            relative_margin=margin / top.score,
            score_shortfall=max(0.0, tuning.answer_threshold - top.score),
            foreign_topic=1.0 if foreign and len(slots) <= foreign * tuning.foreign_topic_words else 0.0,
            detail_unnamed=1.0 if details_named(" ".join(texts[start:])) - self._entry_details(top) else 0.0,
            draft=1.0 if self.knowledge.lesson(top.lesson_id).draft else 0.0,
        )
        # A remark naming an IT concept is offered, never answered: "ㅋㅋ 하이퍼바이저 아직도 모르겠음" may
        # want it explained, "ㅋㅋ 쿠버네티스 어렵다" wants nothing.
        return ranked, features, reply_lang, tied or partly or remark

    def _rank_with_focus(
        self, slots: Sequence[Slot], tail_slots: Sequence[Slot] | None, scope: Scope
    ) -> tuple[Ranking, dict[str, set[str]]]:
        """Rank the whole question and, for a long one, also its closing sentences, keeping the best.

        Forum-style questions tell a story first and ask at the end; the end, read alone, is often
        the clearer signal. It gets a small discount so a whole-question match still wins ties.
        Also returns the entries (by lesson) whose score came from the closing sentences.
        """
        ranking = self.index.rank_explained(slots, scope=scope)
        ranked = ranking.candidates
        focused: dict[str, set[str]] = {}
        if tail_slots is None:
            return ranking, focused
        if ranked and ranked[0].score >= self.tuning.answer_threshold + self.tuning.margin:
            return ranking, focused  # already decisive: the closing sentences cannot change the outcome much
        best = {(c.lesson_id, c.entry_id): c for c in ranked}
        for candidate in self.rank(tail_slots, scope=scope):
            key = (candidate.lesson_id, candidate.entry_id)
            focused_score = round(candidate.score * self.tuning.tail_discount, 4)
            if key not in best or focused_score > best[key].score:
                best[key] = Candidate(
                    candidate.lesson_id, candidate.entry_id, focused_score, candidate.title, candidate.coverage
                )
                focused.setdefault(candidate.lesson_id, set()).add(candidate.entry_id)
        return ranking._replace(candidates=self.index.ordered(best.values(), scope)), focused

    def _per_entry(
        self, memo: dict[tuple[str, str], _T], candidate: Candidate, read: Callable[[Lesson, Entry], _T]
    ) -> _T:
        """Return `read(lesson, entry)` for the candidate's entry, read once per matcher (lessons never change)."""
        key = (candidate.lesson_id, candidate.entry_id)
        found = memo.get(key)
        if found is None:
            lesson = self.knowledge.lesson(candidate.lesson_id)
            found = memo[key] = read(lesson, lesson.entry(candidate.entry_id))
        return found

    def _entry_concepts(self, candidate: Candidate) -> frozenset[int]:
        """Return the IT concepts an entry names in what it teaches (titles, phrasings, keywords, answers)."""

        def read(lesson: Lesson, entry: Entry) -> frozenset[int]:
            texts = EntryTexts.of(lesson, entry)
            parts = [*entry.title.texts(), *texts.phrasings, *texts.keywords, *texts.answers]
            # One text per part, so no term spans two of them.
            return frozenset().union(*(self._terms.concepts(part) for part in parts))

        return self._per_entry(self._concepts_of_entry, candidate, read)

    def _entry_details(self, candidate: Candidate) -> frozenset[str]:
        """Return the families of details (default, version, port, install, command) an entry's texts name."""

        def read(lesson: Lesson, entry: Entry) -> frozenset[str]:
            texts = EntryTexts.of(lesson, entry)
            parts = [*entry.title.texts(), *texts.phrasings, *texts.keywords, *texts.answers]
            return frozenset().union(*(details_named(part, stated=True) for part in parts))

        return self._per_entry(self._details_of_entry, candidate, read)

    def _content_features(
        self, slots: Sequence[Slot], top: Candidate, concepts: dict[int, str], text: str, spoken: str
    ) -> dict[str, float]:
        """Return content_words, answer_unused, uncompared and cross_script_guess (see `MatchFeatures`).

        `text`: the question as ranked; `spoken`: the same before the bot's name was cut off it.
        """
        taught = self._taught_tokens(top)
        content = 0.0
        unused = crossed = count = 0
        about_identity = True
        for slot in slots:
            if not slot.known:
                continue
            small = remembered(self._small_talk, slot.surface, is_small_talk_word, limit=self.tuning.word_cache_size)
            if small:
                continue
            count += 1
            about_identity = about_identity and is_about_bot_word(slot.surface)
            token, confidence = max(slot.readings, key=lambda pair: pair[1])
            content += 1.0 if confidence >= 1.0 else 0.5
            unused += not any(token in taught for token, _ in slot.readings)
            crossed += confidence < 1.0 and token.isascii() and bool(HANGUL_SYLLABLE.search(slot.surface))
        # Only a short question that names two things or more asks to compare them; in a long post
        # "different" is mostly the story ("the servers have different versions").
        uncompared = 0.0
        if len(concepts) >= 2 and len(slots) < self.tuning.long_question_words and asks_comparison(text):
            # A title that names two of the things compared compares them (its other words are the
            # aspect: "VM vs container: startup speed" for "VM 부팅 속도랑 컨테이너 비교"). An entry that
            # is no comparison (its title asks none) may still explain both things it is asked to tell
            # apart: what it names anywhere counts.
            named = self._title_concepts(top) if self._compares(top) else self._entry_concepts(top)
            untitled = concepts.keys() - named
            if len(concepts) - len(untitled) < 2:
                uncompared = len(untitled) / len(concepts)
        if count and about_identity and addresses_bot(spoken):
            # "봇아 너 이름 뭐야", "who built this bot?": its only lesson words ask who the bot is, small
            # talk however well "name" or "built" matches an entry.
            content = 0.0
        if count and names_course_logistics(text) and not self._names_it_concept(concepts):
            # "녹화본 언제 올라와요?", "when is the next session?": about the study group's recordings,
            # slides or meetings, small talk however well "올라와요" or "next" matches an entry. An IT
            # concept named only by course words ("session") is none.
            content = 0.0
        return {
            "content_words": min(content, 2.0) / 2.0,
            "answer_unused": unused / count if count else 1.0,
            "uncompared": uncompared,
            "cross_script_guess": crossed / count if count else 0.0,
        }

    def _names_it_concept(self, concepts: Mapping[int, str]) -> bool:
        """Return whether a text's IT concepts (`_concepts_in`) hold one named other than by course words
        ("session")."""
        return not all(self._small_talk_term(words) for words in concepts.values())

    def _small_talk_term(self, words: str) -> bool:
        """Return whether every word of an IT term as asked is chat or course talk ("session")."""
        limit = self.tuning.word_cache_size
        return all(remembered(self._small_talk, word, is_small_talk_word, limit=limit) for word in words.split())

    def _taught_tokens(self, candidate: Candidate) -> frozenset[str]:
        """Return the canonical words of an entry's answers and title (what it says, not how it is asked)."""

        def read(lesson: Lesson, entry: Entry) -> frozenset[str]:
            parts = [*entry.title.texts(), *EntryTexts.of(lesson, entry).answers]
            return frozenset(token for part in parts for token in self.normaliser.phrasing_tokens(part))

        return self._per_entry(self._taught, candidate, read)

    def _compares(self, candidate: Candidate) -> bool:
        """Return whether an entry is a comparison (its title asks one: "VM vs container: startup speed")."""
        return self._per_entry(
            self._comparing, candidate, lambda _, entry: any(asks_comparison(text) for text in entry.title.texts())
        )

    def _answers_how_to(self, candidate: Candidate) -> bool:
        """Return whether an entry is asked how to do something (a phrasing or its title asks it)."""

        def read(lesson: Lesson, entry: Entry) -> bool:
            texts = [*entry.title.texts(), *EntryTexts.of(lesson, entry).phrasings]
            return any(asks_how_to(text) for text in texts)

        return self._per_entry(self._how_to, candidate, read)

    def _title_concepts(self, candidate: Candidate) -> frozenset[int]:
        """Return the IT concepts an entry's title names."""
        return self._per_entry(
            self._titled,
            candidate,
            lambda _, entry: frozenset().union(*(self._terms.concepts(part) for part in entry.title.texts())),
        )

    def _foreign_concepts(self, concepts: dict[int, str], lesson_id: str) -> int:
        """Return how many words of a question name IT concepts foreign to a lesson.

        Foreign: no text of the lesson names the concept, and the lesson's words cannot read the words
        that named it for certain (an unknown word, or only a guess: 미니큐브 is no 큐브). A concept read
        as a word the lesson's entries use is one it links to something it teaches (orchestration →
        쿠버네티스); a word known only from another lesson (its not-covered list names DaemonSet) is not.
        """
        named = self._lesson_concepts(lesson_id)
        return sum(
            len(words.split())
            for group, words in concepts.items()
            if group not in named and not self._reads(words, lesson_id)
        )

    def _reads(self, words: str, lesson_id: str) -> bool:
        """Return whether every word of `words` is read for certain as a word of the lesson's entries."""
        key = (words, lesson_id)
        read = self._read_terms.get(key)
        if read is None:
            slots = self.normaliser.repaired_slots(words)
            read = bool(slots) and all(
                slot.known and max(c for _, c in slot.readings) >= 1.0 and self.index.uses(slot.best, lesson_id)
                for slot in slots
            )
            self._read_terms[key] = read
        return read

    def _lesson_concepts(self, lesson_id: str) -> frozenset[int]:
        """Return the IT concepts any entry of a lesson names (not its `out_of_scope` list: it does not teach those)."""
        found = self._concepts_of_lesson.get(lesson_id)
        if found is None:
            lesson = self.knowledge.lesson(lesson_id)
            found = frozenset().union(
                *(self._entry_concepts(Candidate(lesson.id, entry.id, 0.0, entry.title)) for entry in lesson.entries)
            )
            self._concepts_of_lesson[lesson_id] = found
        return found

    def _family(self, candidate: Candidate) -> frozenset[str]:
        # Read once per entry: `Lesson.family` compares the entry with every entry's parent.
        return self._per_entry(self._families, candidate, lambda lesson, entry: lesson.family(entry))

    def _counterpart_first(
        self, ranked: list[Candidate], scope: Scope, slots: Sequence[Slot], repaired: str
    ) -> tuple[list[Candidate], bool, str | None]:
        """Put the right lesson's counterpart of another lesson's top entry first; say whether they tie.

        Every lesson has entries of the same role: its summary, the entry about the lesson itself
        (same id in each file, as the importer writes them). "요약해줘" or "오늘 뭐 배워?" fits them
        all alike; which one scores higher says only which file has more phrasings, so within
        `counterpart_window` the lesson of the day's own entry of that role is the answer, unless the
        question names another of those lessons (`_names_other_lesson`). Without a lesson of the day,
        a question naming exactly one of those lessons (its date, or a word of its title or subtitle
        the others' lack: "컨테이너 수업 요약") is about that lesson; else one saying
        which day it means ("오늘 배운 거", "지난 시간") is about the lesson that day is when no schedule
        says otherwise (see `_day_meant`); naming neither, the entries tie (True), and the learner is
        offered each lesson's. Also returns the lesson the question was so resolved to, if any.
        """
        if not ranked:
            return ranked, False, None
        top = ranked[0]
        window = self.tuning.counterpart_window
        rivals = [
            (position, candidate)
            for position, candidate in enumerate(ranked[1:], start=1)
            if candidate.lesson_id != top.lesson_id
            and top.score - candidate.score <= window
            and self._counterparts(top, candidate)
        ]
        if scope.prefer is not None:
            # The lesson of the day's entry of the role first, unless the question names another
            # lesson whose entry of the role is near (`_names_other_lesson`).
            near = [(0, top), *rivals]
            if not any(candidate.lesson_id == scope.prefer for _, candidate in near):
                return ranked, False, None
            for position, candidate in near:
                if candidate.lesson_id != scope.prefer and self._names_other_lesson(
                    candidate, scope.prefer, slots, repaired
                ):
                    return [candidate, *ranked[:position], *ranked[position + 1 :]], False, candidate.lesson_id
            position, candidate = next((p, c) for p, c in near if c.lesson_id == scope.prefer)
            return [candidate, *ranked[:position], *ranked[position + 1 :]], False, None
        if not rivals:
            return ranked, False, None
        # One entry per lesson (the best of each), the top's first.
        tied: dict[str, tuple[int, Candidate]] = {top.lesson_id: (0, top)}
        for position, candidate in rivals:
            tied.setdefault(candidate.lesson_id, (position, candidate))
        words = {token for slot in slots for token, _ in slot.readings}
        named = self._date_named(repaired, list(tied)) or self._topic_named(words, list(tied))
        if len(named) != 1:
            named = [lesson_id for lesson_id in (self._day_meant(repaired, words),) if lesson_id in tied]
        if len(named) == 1:
            position, chosen = tied[named[0]]
            return [chosen, *ranked[:position], *ranked[position + 1 :]], False, chosen.lesson_id
        return ranked, True, None

    def _names_other_lesson(self, top: Candidate, prefer: str, slots: Sequence[Slot], repaired: str) -> bool:
        """Return whether a question whose top entry is another lesson's summary names that lesson, not
        the lesson of the day: a word of the top's lesson topic the lesson of the day's lacks ("tldr of
        the container lesson?" in day 18's class), or an IT concept the lesson of the day never names
        while the top's lesson does ("VM이랑 컨테이너 차이 요약" to a lesson on pods). Such a summary
        request is about the lesson it names, whichever lesson is of the day.
        """
        # Read for certain: a guess (초성 "ㅇㄴ ㅅㅇ", a typo fix) may be any lesson's word.
        words = {token for slot in slots for token, confidence in slot.readings if confidence >= 1.0}
        if self._date_named(repaired, [top.lesson_id, prefer]) == [top.lesson_id]:
            return True
        if self._topic_named(words, [top.lesson_id, prefer]) == [top.lesson_id]:
            return True
        return self.unnamed_concepts(repaired, prefer) > self.unnamed_concepts(repaired, top.lesson_id)

    def _day_meant(self, repaired: str, words: Set[str]) -> str | None:
        """Return the lesson a question means by the day it names, with no lesson of the day; None if none.

        With no schedule the lesson of the day is the newest loaded one (`curriculum.lesson_on`), so
        "오늘 배운 거" and a bare "today"/"이번" (read from the question's words: 초성 and keyboard
        slips too) mean it, and "지난 시간" the lesson before it. Only entries every lesson has alike
        (summaries) are decided so: that guess never hides an entry about what the question asks.
        """
        reference = find_lesson_reference(repaired)
        if reference is None or reference.kind not in _NAMES_A_DAY:
            reference = _TODAY if words & self._today_words() else None
        lesson = None if reference is None else resolve_reference(reference, self.knowledge, current=None)
        return None if lesson is None else lesson.id

    def _date_named(self, repaired: str, lesson_ids: Sequence[str]) -> list[str]:
        """Return the lessons of `lesson_ids` whose date the question writes ("7월 2일 수업 내용"), spaces aside.

        The whole date, never a number of it: "3줄 요약" names no lesson held on a 3rd.
        """
        text = "".join(repaired.casefold().split())
        return [
            lesson_id
            for lesson_id in lesson_ids
            if (date := "".join(self.knowledge.lesson(lesson_id).date.casefold().split())) and date in text
        ]

    def _topic_named(self, words: Set[str], lesson_ids: Sequence[str]) -> list[str]:
        """Return the lessons of `lesson_ids` whose topic (title, subtitle) has a word of `words` the others' lack."""
        topics = {lesson_id: self._lesson_topic_words(lesson_id) for lesson_id in lesson_ids}
        return [
            lesson_id
            for lesson_id, own in topics.items()
            if words & (own - frozenset().union(*(other for key, other in topics.items() if key != lesson_id)))
        ]

    def _today_words(self) -> frozenset[str]:
        """Return the canonical words that say "today's lesson" ("오늘", "today", "이번")."""
        if self._today is None:
            self._today = frozenset(self.normaliser.phrasing_tokens(_TODAY_WORDS))
        return self._today

    def _lesson_topic_words(self, lesson_id: str) -> frozenset[str]:
        """Return the canonical words of a lesson's title and subtitle: what names its topic."""
        found = self._topic_words.get(lesson_id)
        if found is None:
            lesson = self.knowledge.lesson(lesson_id)
            texts = [*lesson.title.texts(), *(lesson.subtitle.texts() if lesson.subtitle is not None else ())]
            found = frozenset(token for text in texts for token in self.normaliser.phrasing_tokens(text))
            self._topic_words[lesson_id] = found
        return found

    def _role_entry(self, candidate: Candidate) -> bool:
        """Return whether the entry plays a role every lesson has (its summary, the lesson itself)."""
        return (
            candidate.entry_id in _ROLE_ENTRY_IDS
            or self.knowledge.lesson(candidate.lesson_id).entry(candidate.entry_id).summary
        )

    def _counterparts(self, first: Candidate, second: Candidate) -> bool:
        """Return whether two entries of different lessons play the same role (summary, the lesson itself).

        Only those roles: two drafts' "s1" are their first sections, about different things.
        """
        if first.entry_id == second.entry_id and first.entry_id in _ROLE_ENTRY_IDS:
            return True
        one = self.knowledge.lesson(first.lesson_id).entry(first.entry_id)
        other = self.knowledge.lesson(second.lesson_id).entry(second.entry_id)
        return one.summary and other.summary

    def _steer(self, repaired: str, scope: Scope) -> tuple[str, Scope]:
        """Narrow the search to a lesson the question names ("16일차", "day 16", "어제 수업").

        Relative references ("지난 시간", "오늘 수업") need the lesson of the day; without one (the
        command line) they name nothing and only day numbers steer. A reference to a lesson outside
        the scope (a channel kept to one lesson) does not widen it; one naming a lesson that is not
        loaded searches none.

        The reference is cut out of the text when the lessons do not use its words: "2일차" would
        then be two unknown words pulling confidence down. Words the lessons do use ("16일차" in the
        entry about the lesson itself) stay: "what was day 16 about?" is asking for that entry.
        """
        reference = find_lesson_reference(repaired)
        if reference is None or (reference.kind != "day" and scope.prefer is None):
            return repaired, scope
        lesson = resolve_reference(reference, self.knowledge, current=scope.prefer, yesterday=scope.yesterday)
        if lesson is None and reference.kind in _NAMES_ANOTHER_DAY:
            # A lesson that is not loaded ("17일차" with days 16 and 18, "다음 수업" on the newest day):
            # whatever another lesson says would be about the wrong day, so nothing is searched.
            # ("지난 시간" with nothing before is left alone: learners say it of the lesson just had.)
            return repaired, Scope(frozenset(), None, scope.yesterday)
        if lesson is None or reference.kind == "next":
            # "다음 수업" with the next lesson loaded is left to the search: the day-16 sets label
            # such questions as not covered, and the answer decision is fitted on them.
            return repaired, scope
        if not scope.allows(lesson.id):
            return repaired, scope
        steered = Scope(frozenset({lesson.id}), lesson.id, scope.yesterday)
        cut = without_reference(repaired, reference)
        # The reference's offsets are in the case-folded text (see `find_lesson_reference`).
        named = self.normaliser.repaired_slots(repaired.casefold()[reference.start : reference.end])
        return (repaired if named and all(slot.known for slot in named) else cut), steered

    def _covering_scope(self, slots: Sequence[Slot], repaired: str, scope: Scope) -> tuple[Scope, bool] | Text:
        """Return the scope to search and whether it only partly covers the question, or the topic when
        the question is about one nothing in scope covers.

        A topic one lesson lists as not covered may be what another loaded lesson teaches (day 16
        leaves pods out, day 18 is about them): the question is then searched in the lessons whose
        entries use that topic's terms, and only those. With none in scope, it is an honest no. A
        lesson that uses the term but leaves an IT concept of the question unnamed teaches only part
        of it (a lesson on Services says "port" but never "docker": "map a port with docker run" is
        no question it answers); such lessons are searched only when no covering lesson names every
        concept, and then only offered (True): what they say is near the question, not its answer.
        """
        concepts: frozenset[int] | None = None
        partly = False
        for lesson, number in self._out_of_scope_hits(slots, repaired, scope):
            topic = lesson.out_of_scope[number].topic
            if (
                names_course_logistics(" ".join(topic.texts()))
                and self._names_it_concept(self._concepts_in(repaired))
                and find_lesson_reference(repaired) is None
            ):
                # A topic of study-group logistics (homework) is the setting of a question that names an
                # IT concept, not what it asks: "과제 하는데 VM이랑 컨테이너 차이가 뭐야". Not when the
                # question refers to another lesson ("다음 수업 때 쿠버네티스 배워요?"): that is what it asks.
                continue
            covering = self._oos_covered_by.get((lesson.id, number), frozenset())
            if scope.lessons is not None:
                covering &= scope.lessons
            if not covering:
                return lesson.out_of_scope[number].topic
            if concepts is None:
                concepts = frozenset(self._concepts_in(repaired).keys())
            whole = frozenset(other for other in covering if concepts <= self._lesson_concepts(other))
            partly |= not whole
            scope = Scope(whole or covering, scope.prefer, scope.yesterday)
        return scope, partly

    def _out_of_scope_hits(self, slots: Sequence[Slot], repaired: str, scope: Scope) -> list[tuple[Lesson, int]]:
        """Return the not-covered topics (lesson, item number) of lessons in scope the question names."""
        hits: dict[tuple[str, int], tuple[Lesson, int]] = {}
        # The question as typed (after keyboard repair): the glossary must not turn "도커 설치" into
        # "컨테이너 설치" before we look for the words that mark a topic the lesson does not cover.
        folded = repaired.casefold()
        if self._oos_pattern is not None:
            for found in self._oos_pattern.finditer(folded):
                if found.lastgroup is not None:
                    lesson, number = self._oos_groups[found.lastgroup]
                    if scope.allows(lesson.id):
                        hits.setdefault((lesson.id, number), (lesson, number))
        for slot in slots:
            for token, confidence in slot.readings:
                if confidence < 1.0:
                    # A guessed reading (a typo fix, 초성, a word inside a word) is no evidence of an
                    # off-lesson topic: "요즘" is one jamo from "요금", "held" one letter from "helm".
                    continue
                hit = self._oos_words.get(token)
                if hit is not None and scope.allows(hit[0].id):
                    hits.setdefault((hit[0].id, hit[1]), hit)
        return list(hits.values())

    def autocomplete(
        self,
        prefix: str,
        *,
        lang: Lang,
        limit: int = 25,
        scope: Scope = EVERYWHERE,
    ) -> list[Candidate]:
        """Return entries for a partly typed question: best matches first, then titles containing it."""
        limit = max(1, min(limit, 25))
        results: list[Candidate] = []
        seen: set[tuple[str, str]] = set()
        repaired = self.normaliser.repair(prefix)
        if prefix.strip():
            slots = self.normaliser.repaired_slots(repaired)
            for candidate in self.rank(slots, scope=scope):
                if candidate.score >= self.tuning.suggest_threshold * self.tuning.autocomplete_share:
                    results.append(candidate)
                    seen.add((candidate.lesson_id, candidate.entry_id))
        if len(results) >= limit:
            return results[:limit]
        needle = compact(repaired)
        # Titles containing what was typed: the current lesson's first, then the newest lessons'.
        for position in self.index.browse_order(scope.prefer):
            lesson, entry = self.index.entry_at(position)
            key = (lesson.id, entry.id)
            if key in seen or not scope.allows(lesson.id):
                continue
            if not needle or needle in self.index.title_key(position, lang):
                results.append(Candidate(lesson.id, entry.id, 0.0, entry.title))
                seen.add(key)
                if len(results) >= limit:
                    break
        return results
