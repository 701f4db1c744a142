"""Knowledge loading and validation: every problem reported with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import KnowledgeError, load_knowledge, load_lesson, parse_lesson
from bot.render import answer_body

FIXTURES = Path(__file__).parent / "fixtures"
BUNDLED = Path(__file__).parent.parent / "knowledge"
SHARED_IDS = Path(__file__).parent.parent.parent / "shared" / "eval" / "ids.md"


@pytest.mark.parametrize(
    ("fixture", "line", "message"),
    [
        ("bad_syntax.yaml", 7, "invalid YAML"),
        ("bad_duplicate_id.yaml", 34, "duplicate entry id 'container' (first defined on line 26)"),
        ("bad_missing_en.yaml", 36, "entry 'vm' title: missing 'en'"),
        ("bad_related.yaml", 33, "related id 'kubernetes' is not an entry of this lesson"),
        ("bad_table_cell.yaml", 24, "cells.en: expected 2 cells (one per column), got 1"),
        ("bad_empty_answer.yaml", 37, "entry 'vm' answer.ko: is empty"),
        ("bad_unknown_key.yaml", 38, "unknown key 'questons'"),
    ],
)
def test_bad_files_report_file_line_and_problem(fixture: str, line: int, message: str) -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_lesson(FIXTURES / fixture)
    reported = [(p.line, p.message) for p in caught.value.problems]
    assert any(reported_line == line and message in text for reported_line, text in reported), reported
    assert all(p.path.endswith(fixture) for p in caught.value.problems)
    assert f"{fixture}:{line}: " in str(caught.value)


def test_one_omission_is_one_message() -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_lesson(FIXTURES / "bad_unknown_key.yaml")
    messages = [p.message for p in caught.value.problems]
    assert messages == [
        "entry 'vm': missing 'questions'",
        "entry 'vm': unknown key 'questons' (expected one of: answer, id, keywords, parent, questions, related, "
        "row, source, summary, table, title)",
    ]


def test_valid_fixture_loads_with_table_row_rendered_from_data() -> None:
    lesson = load_lesson(FIXTURES / "mini.yaml")
    assert [e.id for e in lesson.entries] == ["container", "vm", "cmp.speed", "summary"]
    row = lesson.entry("cmp.speed")
    assert answer_body(lesson, row, "ko") == "**시작 속도**\n• VM: 느림\n• 컨테이너: 빠름"
    assert answer_body(lesson, row, "en") == "**Startup speed**\n• VM: slow\n• Container: fast"
    assert answer_body(lesson, lesson.entry("summary"), "en") == "• Containers are light.\n• VMs are heavy."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the file is empty"),
        ("- just\n- a list\n", "file: expected a mapping, got a list"),
        ("format: 2\n", "format: expected 1"),
        ("format: 1\nlesson: {id: Bad Id, day: 0, date: x, title: {ko: a, en: b}}\n", "lesson.id: 'Bad Id'"),
        ("format: 1\nlesson: {id: ok, day: 0, date: x, title: {ko: a, en: b}}\n", "lesson.day: expected a positive"),
        ("a: 1\na: 2\n", "duplicate key 'a'"),
    ],
)
def test_malformed_documents_are_reported_not_raised_raw(text: str, message: str) -> None:
    with pytest.raises(KnowledgeError) as caught:
        parse_lesson(text, path="x.yaml")
    assert any(message in p.message for p in caught.value.problems), caught.value.problems


def test_folder_load_reports_every_bad_file(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text((FIXTURES / "bad_related.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b.yaml").write_text((FIXTURES / "bad_empty_answer.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(tmp_path)
    assert {Path(p.path).name for p in caught.value.problems} == {"a.yaml", "b.yaml"}


def test_duplicate_lesson_ids_across_files(tmp_path: Path) -> None:
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_text((FIXTURES / "mini.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(KnowledgeError, match="lesson id 'mini' is also used by"):
        load_knowledge(tmp_path)


def test_missing_path_and_non_utf8(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="no lesson files"):
        load_knowledge(tmp_path)
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes("format: 1\ntitle: caf\xe9\n".encode("latin-1"))
    with pytest.raises(KnowledgeError, match="not UTF-8"):
        load_lesson(bad)


def test_bundled_lesson_has_every_evaluated_id() -> None:
    knowledge = load_knowledge(BUNDLED)
    lesson = knowledge.lesson("day16-containers")
    assert (lesson.day, lesson.date) == (16, "7월 2일")
    ids = {entry.id for entry in lesson.entries}
    if SHARED_IDS.exists():
        listed = {
            line.split("|")[1].strip()
            for line in SHARED_IDS.read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and not line.startswith("| id") and "---" not in line
        }
        assert ids == listed
    assert len(lesson.table("vm-vs-container").rows) == 7
    assert {e.id for e in lesson.entries if e.row} == {f"compare.{r.key}" for r in lesson.table("vm-vs-container").rows}
    for entry in lesson.entries:
        assert len(entry.questions.ko) >= 8, entry.id
        assert entry.questions.en is not None, entry.id
        assert len(entry.questions.en) >= 8, entry.id
    assert lesson.summary.en is not None
    assert len(lesson.summary.ko) == len(lesson.summary.en) == 4
