"""A draft's comparison table and its rows: a question naming one row's aspect gets that row, not the table.

On the imported day-21 lesson (benchmarks/blind/day21-lesson.md): its five-column table's own entry holds every
column's name, so it outscores a row when the question lists several columns ("A, B, C … 비교해줘").
"""

from __future__ import annotations

from pathlib import Path

import pytest
from drafts import imported_matcher

from bot.matching import Matcher

LESSON = Path(__file__).parents[1] / "benchmarks" / "blind" / "day21-lesson.md"


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    return imported_matcher(tmp_path_factory.mktemp("draft"), LESSON)


def top(matcher: Matcher, question: str) -> tuple[str, float]:
    ranked = matcher.rank(matcher.normaliser.repaired_slots(question))
    return ranked[0].entry_id, ranked[0].score


def row_label(matcher: Matcher, entry_id: str) -> str | None:
    lesson = matcher.knowledge.lessons[0]
    entry = lesson.entry(entry_id)
    if entry.table is None or entry.row is None:
        return None
    return lesson.table(entry.table).row(entry.row).label.ko


def test_a_question_naming_one_rows_aspect_gets_that_row_over_the_whole_table(matcher: Matcher) -> None:
    entry_id, _ = top(matcher, "스테이트풀셋, 데몬셋, 잡 스토리지 방식 비교해줘")
    assert row_label(matcher, entry_id) == "스토리지"


def test_a_question_naming_no_aspect_keeps_the_whole_table(matcher: Matcher) -> None:
    entry_id, _ = top(matcher, "디플로이먼트 스테이트풀셋 데몬셋 잡 크론잡 한눈에 비교해줘")
    assert row_label(matcher, entry_id) is None
    assert matcher.knowledge.lessons[0].entry(entry_id).table is not None
