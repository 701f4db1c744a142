"""A draft's `✅` subsection is about its parent's subject without naming it: a question naming that subject
and asking what the subsection explains is the subsection's.

On the imported day-22 lesson (benchmarks/blind/day22-lesson.md): "서비스 메시(Service Mesh) 기초" previews
its subsections; "mTLS(상호 TLS): …" explains certificates without saying 서비스 메시.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from drafts import imported_matcher

from bot.matching import Matcher

LESSON = Path(__file__).parents[1] / "benchmarks" / "blind" / "day22-lesson.md"


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    return imported_matcher(tmp_path_factory.mktemp("draft"), LESSON)


def first_title(matcher: Matcher, question: str) -> str:
    ranked = matcher.rank(matcher.normaliser.repaired_slots(question))
    return ranked[0].title.ko or ""


def test_a_question_naming_the_parents_subject_and_the_subsections_content_gets_the_subsection(
    matcher: Matcher,
) -> None:
    assert first_title(matcher, "서비스 메시 쓰면 인증서는 누가 바꿔줘?").startswith("mTLS")


def test_a_question_about_the_subject_itself_stays_with_the_parent(matcher: Matcher) -> None:
    assert first_title(matcher, "서비스 메시가 뭐야?").startswith("서비스 메시")
