"""A draft answers "what is X? is it just like Y?" from X's own section, not from a section naming Y."""

from __future__ import annotations

import pytest
from drafts import draft_matcher

from bot.matching import Answer, Matcher

_LESSON = """# 20일차 – 배치 작업

## 1️⃣ 잡(Job)이란? (끝날 때까지 책임지는 일회성 작업)

잡은 한 번 실행하고 끝나는 작업을 끝까지 책임지는 오브젝트입니다.
작업이 실패하면 정해진 횟수만큼 다시 시도하고, 성공하면 완료로 표시됩니다.

## 2️⃣ 크론 스크립트를 잡으로 옮기기

서버에 걸어 둔 크론 스크립트는 서버가 죽으면 함께 멈춥니다.
크론 스크립트가 하던 일을 잡으로 옮기면 클러스터가 실행을 맡습니다.
"""


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    return draft_matcher(tmp_path_factory.mktemp("draft"), "day20-jobs", _LESSON)


def answered(matcher: Matcher, question: str) -> str | None:
    found = matcher.ask(question)
    return found.candidate.entry_id if isinstance(found, Answer) else None


def test_what_is_x_and_is_it_just_like_y_is_answered_by_xs_section(matcher: Matcher) -> None:
    assert answered(matcher, "잡이 뭐임? 그냥 크론 스크립트랑 같은거야?") == answered(matcher, "잡이 뭐임?")
    assert answered(matcher, "잡이 뭐임?") is not None
