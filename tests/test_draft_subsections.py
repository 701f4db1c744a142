"""A draft's `✅` subsections keep what is theirs: their own name's questions, and the questions that name them.

On fixture lessons: tests/fixtures/lessons/day7-objects.md (imported as `lessonbot import` does it) and
tests/fixtures/subsections/day7-volumes.yaml (a parent section previewing two named subsections).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.importer import import_lesson
from bot.knowledge import load_knowledge
from bot.matching import Answer, Matcher

FIXTURES = Path(__file__).parent / "fixtures"
LESSON = FIXTURES / "lessons" / "day7-objects.md"
VOLUMES = FIXTURES / "subsections"


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    result = import_lesson(LESSON, output=tmp_path_factory.mktemp("draft") / "day7.yaml")
    data = yaml.safe_load(Path(result.target).read_text(encoding="utf-8"))
    return {entry["id"]: entry for entry in data["entries"]}


def korean(entry: dict[str, Any]) -> list[str]:
    return list(entry["questions"]["ko"])


def english(entry: dict[str, Any]) -> list[str]:
    return list(entry["questions"]["en"] or [])


def test_a_subsection_named_replicas_does_not_take_its_parents_replicaset_questions(
    draft: dict[str, dict[str, Any]],
) -> None:
    # "replicas" is no part of "ReplicaSet": what kinds of ReplicaSet there are is the parent's question.
    assert not [q for q in korean(draft["s1-1"]) if "ReplicaSet" in q]
    assert "ReplicaSet 종류" in korean(draft["s1"])


def test_each_subsection_of_a_pair_section_is_asked_what_it_is(draft: dict[str, dict[str, Any]]) -> None:
    # "리소스 요청(Requests)과 제한(Limits)" over "requests: …" and "limits: …": what requests is, the
    # subsection named requests explains; the parent is asked how the two go together.
    assert "what is requests" in english(draft["s2-1"])
    assert "what is limits" in english(draft["s2-2"])
    parent = [q.casefold() for q in english(draft["s2"])]
    assert not [q for q in parent if q.startswith(("what is request", "what is limit"))]
    assert "relationship between requests and limits" in parent


def answered(question: str) -> str | None:
    found = Matcher(load_knowledge(VOLUMES)).ask(question)
    return found.candidate.entry_id if isinstance(found, Answer) else None


def test_a_question_naming_one_subsection_gets_that_subsection_not_the_parent_previewing_it() -> None:
    assert answered("emptyDir은 컨테이너 재시작하면 파일이 사라져?") == "s1-1"
    assert answered("hostPath는 컨테이너 재시작하면 파일이 사라져?") == "s1-2"


def test_a_question_naming_several_subsections_stays_with_their_parent() -> None:
    assert answered("emptyDir이랑 hostPath 중에 컨테이너 재시작하면 파일이 사라지는 건?") == "s1"


def test_the_named_subsection_takes_the_parents_score_so_the_answer_is_as_sure() -> None:
    matcher = Matcher(load_knowledge(VOLUMES))
    named = matcher.rank(matcher.normaliser.repaired_slots("emptyDir은 컨테이너 재시작하면 파일이 사라져?"))
    other = matcher.rank(matcher.normaliser.repaired_slots("hostPath는 컨테이너 재시작하면 파일이 사라져?"))
    assert named[0].entry_id == "s1-1"
    assert named[0].score == other[0].score
