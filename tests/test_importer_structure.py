"""Where a draft's questions land: parent section, `✅` subsection or table row, in Korean and English.

On a fixture lesson (tests/fixtures/lessons/day9-cache.md), imported as `lessonbot import` does it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import EvalItem, Judge
from bot.importer import import_lesson
from bot.knowledge import Knowledge, load_lesson, parse_knowledge
from bot.matching import Answer, Matcher, NoMatch
from bot.tuning import MatcherTuning

LESSON = Path(__file__).parent / "fixtures" / "lessons" / "day9-cache.md"
SUBSECTION = "✅ 1) 만료 정책(Eviction Policy)"


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory: pytest.TempPathFactory) -> Knowledge:
    result = import_lesson(LESSON, output=tmp_path_factory.mktemp("draft") / "day9.yaml")
    return parse_knowledge([load_lesson(result.target)])


def answered(knowledge: Knowledge, question: str) -> str | None:
    found = Matcher(knowledge).ask(question)
    return found.candidate.entry_id if isinstance(found, Answer) else None


def test_a_table_in_a_subsection_gives_row_entries_that_row_questions_count(knowledge: Knowledge) -> None:
    judge = Judge(knowledge, [])
    item = EvalItem("?", None, "ko", "plain", section=SUBSECTION, row="LRU(Least Recently Used)")
    row_ids = [entry.id for entry in knowledge.lessons[0].entries if entry.row is not None]
    assert row_ids == ["s1-1.r1", "s1-1.r2", "s1-1.r3"]
    assert judge.accepts(item, judge.lesson.id, "s1-1.r1")
    assert not judge.accepts(item, judge.lesson.id, "s1-1.r2")
    assert not judge.accepts(item, judge.lesson.id, "s1-1")  # the whole table does not answer one row


@pytest.mark.parametrize("question", ["what is LRU", "LRU가 뭐야", "LFU 뜻", "what is TTL"])
def test_a_row_of_a_subsections_table_is_asked_about_by_name(knowledge: Knowledge, question: str) -> None:
    wanted = {"LRU": "s1-1.r1", "LFU": "s1-1.r2", "TTL": "s1-1.r3"}
    assert answered(knowledge, question) == next(v for k, v in wanted.items() if k in question)


def test_an_english_question_describing_a_row_reaches_that_row(knowledge: Knowledge) -> None:
    assert answered(knowledge, "which eviction policy drops the least recently used value") == "s1-1.r1"


@pytest.mark.parametrize("question", ["what is cache", "캐시가 뭐야", "explain cache"])
def test_what_the_parent_section_defines_reaches_the_parent_not_a_subsection(
    knowledge: Knowledge, question: str
) -> None:
    # The subsection "캐시를 비우면 언제 반영될까?" mentions the cache; only section 1 explains it.
    assert answered(knowledge, question) == "s1"


def test_the_subsections_own_topic_reaches_the_subsection(knowledge: Knowledge) -> None:
    assert answered(knowledge, "what is eviction policy") == "s1-1"
    assert answered(knowledge, "만료 정책이 뭐야") == "s1-1"


def test_a_heading_that_asks_a_question_is_not_explained_as_a_statement(knowledge: Knowledge) -> None:
    questions = knowledge.lessons[0].entry("s1-2").questions.texts()
    assert "캐시를 비우면 언제 반영될까?" in questions
    assert not any("반영될까?라는" in q for q in questions)


@pytest.mark.parametrize("question", ["샤딩이 뭐야", "what is sharding", "샤딩 어떻게 해?"])
def test_a_topic_the_lesson_leaves_for_next_time_is_not_answered(knowledge: Knowledge, question: str) -> None:
    # "샤딩(Sharding)은 다음 시간에 다룹니다": the bullet mentions it, nothing explains it.
    found = Matcher(knowledge).ask(question)
    assert isinstance(found, NoMatch)
    assert found.reason == "out_of_scope"


def test_a_term_the_lesson_uses_elsewhere_is_not_put_off(knowledge: Knowledge) -> None:
    deferred = [term for item in knowledge.lessons[0].out_of_scope for term in item.terms]
    assert "캐시" not in deferred
    assert "Cache" not in deferred
    assert answered(knowledge, "캐시 비우면 언제 반영돼?") == "s1-2"


@pytest.mark.parametrize("question", ["maxLength 뭐야", "what is deadLetter"])
def test_a_key_of_the_sections_yaml_is_asked_about(knowledge: Knowledge, question: str) -> None:
    assert answered(knowledge, question) == "s2"


@pytest.mark.parametrize("question", ["how to roll back a deployment", "디플로이먼트 되돌리기 명령어"])
def test_a_command_in_the_text_is_asked_for_by_what_it_does(knowledge: Knowledge, question: str) -> None:
    # The text only shows `kubectl rollout undo deployment/worker`.
    assert answered(knowledge, question) == "s2"


def test_a_word_only_marked_in_bold_is_not_taken_for_a_topic_the_lesson_explains(knowledge: Knowledge) -> None:
    # "…워커가 하나씩 꺼내 **비동기**로 처리합니다": marked, never explained. No question is written
    # about it, so nothing claims to explain it; the hand-set rule then declines. (Whether the fitted
    # draft model still takes a lone weak match is the decision layer's call, tested there.)
    phrasings = [text for entry in knowledge.lessons[0].entries for text in entry.questions.texts()]
    assert not [p for p in phrasings if "비동기" in p]
    rule = Matcher(knowledge, tuning=MatcherTuning(decision_model=None))
    assert not isinstance(rule.ask("비동기가 뭐야"), Answer)
    assert answered(knowledge, "큐가 뭐야") == "s2"


@pytest.mark.parametrize("question", ["가득 차면 만료 정책대로 버려?", "만료 정책대로 버림"])
def test_a_parents_preview_of_a_subsection_reaches_the_subsection(knowledge: Knowledge, question: str) -> None:
    # Section 1's bullet "가득 차면 만료 정책대로 버림" names what subsection 1 explains.
    assert answered(knowledge, question) == "s1-1"


@pytest.mark.parametrize("question", ["kubectl logs로 워커 로그 볼 수 있어?", "how to use kubectl exec on the worker"])
def test_a_command_the_lesson_never_shows_is_not_answered(knowledge: Knowledge, question: str) -> None:
    # The lesson shows `kubectl rollout undo` only; the worker is mentioned right beside it.
    found = Matcher(knowledge).ask(question)
    assert isinstance(found, NoMatch)
    assert found.reason == "out_of_scope"


@pytest.mark.parametrize("question", ["ttlSeconds 뭐야", "what is ttlSeconds"])
def test_a_name_the_text_uses_is_asked_about_where_it_is_used(knowledge: Knowledge, question: str) -> None:
    # "값마다 캐시에 남겨 둘 시간은 `ttlSeconds`로 따로 정함" in subsection 2.
    assert answered(knowledge, question) == "s1-2"
