"""Taught phrasings: added to the knowledge as questions of their entry, and exported for merging."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.knowledge import TextList, load_knowledge
from bot.learned import export_yaml, with_learned
from bot.matching import Answer, Matcher
from bot.store import Store

PETS = Path(__file__).resolve().parent / "fixtures" / "discord" / "day1-pets.yaml"


@dataclass(frozen=True)
class Taught:
    lesson_id: str
    entry_id: str
    question: str
    lang: str


def test_a_taught_phrasing_is_matched_like_a_written_one() -> None:
    knowledge = load_knowledge(PETS)
    question = "which one purrs on your lap"
    assert not isinstance(Matcher(knowledge).ask(question), Answer)
    taught = with_learned(knowledge, [Taught("day1-pets", "cat", question, "en")])
    result = Matcher(taught).ask(question)
    assert isinstance(result, Answer)
    assert result.candidate.qualified_id == "day1-pets/cat"
    assert knowledge.lesson("day1-pets").entry("cat").questions.en is not None
    assert question not in (knowledge.lesson("day1-pets").entry("cat").questions.en or ())  # not mutated


def test_phrasings_of_missing_entries_are_skipped_and_a_draft_keeps_them_in_korean() -> None:
    knowledge = load_knowledge(PETS)
    lesson = knowledge.lesson("day1-pets")
    cat = lesson.entry("cat")
    draft_cat = replace(cat, questions=TextList(cat.questions.ko, None))
    draft = replace(knowledge, lessons=(replace(lesson, entries=(draft_cat, *lesson.entries[1:])),))
    taught = with_learned(
        draft,
        [
            Taught("day1-pets", "cat", "kitty?", "en"),
            Taught("day9-gone", "x", "?", "en"),
            Taught("day1-pets", "nope", "?", "ko"),
        ],
    )
    questions = taught.lesson("day1-pets").entry("cat").questions
    assert questions.en is None  # English is still "not written" in a draft
    assert questions.ko[-1] == "kitty?"


def test_export_groups_by_lesson_and_entry_in_the_lesson_files_shape() -> None:
    exported = yaml.safe_load(
        export_yaml(
            [
                Taught("day2-birds", "parrot", "talking bird?", "en"),
                Taught("day1-pets", "cat", "냥이?", "ko"),
                Taught("day1-pets", "cat", "kitty?", "en"),
                Taught("day1-pets", "cat", "kitty?", "en"),
            ]
        )
    )
    assert exported == {
        "learned": [
            {"lesson": "day1-pets", "entries": [{"id": "cat", "questions": {"ko": ["냥이?"], "en": ["kitty?"]}}]},
            {"lesson": "day2-birds", "entries": [{"id": "parrot", "questions": {"en": ["talking bird?"]}}]},
        ]
    }


def test_lessonbot_learned_export(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("storage: {path: state.sqlite3}\n", encoding="utf-8")
    assert main(["learned", "export", "--config", str(config)]) == 2
    assert capsys.readouterr().err == f"lessonbot: {tmp_path / 'state.sqlite3'}: no state database (storage.path)\n"

    async def teach() -> None:
        async with Store(tmp_path / "state.sqlite3") as store:
            await store.learn("kitty?", lesson_id="day1-pets", entry_id="cat", lang="en", taught_by=1,
                              now=datetime(2025, 3, 3, tzinfo=UTC))  # fmt: skip

    asyncio.run(teach())
    assert main(["learned", "export", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Phrasings moderators taught from Discord")
    assert yaml.safe_load(out)["learned"][0]["entries"] == [{"id": "cat", "questions": {"en": ["kitty?"]}}]
