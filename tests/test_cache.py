"""The lesson cache: same lessons as parsing, used only for the same bytes and code, rebuilt on any doubt."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import bot.knowledge
from bot.cache import PlainCache, user_cache_dir
from bot.cli import main
from bot.knowledge import KnowledgeError, Lesson, lesson_cache, load_knowledge, load_lesson

FIXTURES = Path(__file__).parent / "fixtures"
BUNDLED = Path(__file__).parent.parent / "knowledge"


def cache_in(folder: Path) -> PlainCache:
    cache = lesson_cache({"XDG_CACHE_HOME": str(folder)})
    assert cache is not None
    return cache


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.json"))


def fail_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any real parse fail, so a lesson that still loads must have come from the cache."""

    def refuse(text: str, *, path: str) -> Lesson:
        raise AssertionError(f"{path} was parsed")

    monkeypatch.setattr(bot.knowledge, "parse_lesson", refuse)


def test_a_cached_lesson_equals_the_parsed_one_and_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = cache_in(tmp_path)
    parsed = load_knowledge(BUNDLED)
    assert load_knowledge(BUNDLED, cache=cache) == parsed
    assert len(entries(tmp_path)) == 1
    fail_parsing(monkeypatch)
    cached = load_knowledge(BUNDLED, cache=cache)
    assert cached == parsed
    for before, after in zip(parsed.lessons, cached.lessons, strict=True):
        assert after.path == before.path
        assert after.warnings == before.warnings
        assert [e.line for e in after.entries] == [e.line for e in before.entries]


def test_a_draft_keeps_its_warnings_with_the_path_it_is_read_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("format: 1\n", "format: 1\ndraft: true\n").replace("en: A small lesson", "en: null")
    first = tmp_path / "a.yaml"
    first.write_text(text, encoding="utf-8")
    cache = cache_in(tmp_path / "cache")
    parsed = load_lesson(first, cache=cache)
    assert parsed.warnings
    moved = tmp_path / "b.yaml"
    shutil.copy(first, moved)
    fail_parsing(monkeypatch)
    cached = load_lesson(moved, cache=cache)
    assert cached.path == str(moved)
    assert [w.path for w in cached.warnings] == [str(moved)] * len(parsed.warnings)
    assert [(w.line, w.message) for w in cached.warnings] == [(w.line, w.message) for w in parsed.warnings]


def test_an_edited_file_is_parsed_again(tmp_path: Path) -> None:
    lesson = tmp_path / "mini.yaml"
    shutil.copy(FIXTURES / "mini.yaml", lesson)
    cache = cache_in(tmp_path / "cache")
    load_lesson(lesson, cache=cache)
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("컨테이너", "콘테이너"), encoding="utf-8")
    assert "콘테이너" in load_lesson(lesson, cache=cache).entries[0].title.ko
    lesson.write_text("broken: [", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_lesson(lesson, cache=cache)


def test_another_code_version_does_not_read_the_entry(tmp_path: Path) -> None:
    cache = cache_in(tmp_path)
    cache.put("key", {"x": 1})
    assert cache.get("key") == {"x": 1}
    assert PlainCache(cache.folder, kind="lesson", code="other").get("key") is None
    assert PlainCache(cache.folder, kind="index", code=cache.code).get("key") is None


def test_a_list_given_as_an_iterator_is_written_item_by_item_and_reads_back_whole(tmp_path: Path) -> None:
    cache = cache_in(tmp_path)
    cache.put("key", {"name": "index", "items": (["word", number] for number in range(3)), "empty": iter(())})
    assert cache.get("key") == {"name": "index", "items": [["word", 0], ["word", 1], ["word", 2]], "empty": []}


def test_an_iterator_that_fails_midway_leaves_no_entry_and_no_temporary_file(tmp_path: Path) -> None:
    cache = cache_in(tmp_path)

    def items() -> Iterator[int]:
        yield 1
        raise ValueError("an item the cache cannot hold")

    cache.put("key", {"items": items()})
    assert cache.get("key") is None
    assert list(tmp_path.rglob("*")) in ([], [cache.folder])


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],
        lambda text: "",
        lambda text: "\x00\xff garbage",
        lambda text: json.dumps([1, 2, 3]),
        lambda text: text.replace('"entries":[', '"entries":[42,', 1),
        lambda text: text.replace('"id":', '"di":', 1),
    ],
    ids=["truncated", "empty", "garbage", "not-an-entry", "wrong-shape", "missing-field"],
)
def test_a_damaged_entry_is_rebuilt(tmp_path: Path, damage: object) -> None:
    cache = cache_in(tmp_path)
    parsed = load_knowledge(BUNDLED, cache=cache)
    (entry,) = entries(tmp_path)
    assert callable(damage)
    entry.write_bytes(damage(entry.read_text(encoding="utf-8")).encode("utf-8", "surrogateescape"))
    assert load_knowledge(BUNDLED, cache=cache) == parsed
    assert json.loads(entry.read_text(encoding="utf-8"))["data"]["id"] == parsed.lessons[0].id


def test_writes_leave_no_temporary_files_and_an_unwritable_cache_is_no_cache(tmp_path: Path) -> None:
    cache = cache_in(tmp_path)
    load_knowledge(BUNDLED, cache=cache)
    assert [p.name.startswith("lesson-") for p in cache.folder.iterdir()] == [True]
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert load_knowledge(BUNDLED, cache=cache_in(blocked)) == load_knowledge(BUNDLED)


def test_the_cache_lives_in_the_user_cache_dir() -> None:
    assert user_cache_dir({"XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"}) == Path("/x/cache/lessonbot")
    assert user_cache_dir({"XDG_CACHE_HOME": "relative", "HOME": "/home/u"}) == Path("/home/u/.cache/lessonbot")
    assert user_cache_dir({"HOME": "/home/u"}) == Path("/home/u/.cache/lessonbot")
    assert user_cache_dir({}) is None
    assert user_cache_dir({"HOME": "/home/u", "LESSONBOT_CACHE": "off"}) is None


def test_ask_fills_the_cache_and_answers_the_same_from_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert main(["ask", "--json", "컨테이너가 뭐야?"]) == 0
    first = capsys.readouterr().out
    # One validated lesson, and the compiled index of it (see test_index_cache).
    assert [path.name.split("-")[0] for path in entries(tmp_path)] == ["index", "lesson"]
    fail_parsing(monkeypatch)
    assert main(["ask", "--json", "컨테이너가 뭐야?"]) == 0
    assert capsys.readouterr().out == first


def test_a_lesson_the_cache_cannot_hold_still_loads_and_leaves_nothing_behind(tmp_path: Path) -> None:
    # YAML's "\\ud800" escape gives a lone surrogate, which UTF-8 JSON cannot store.
    text = (FIXTURES / "mini.yaml").read_text(encoding="utf-8").replace("date: 1월 1일", 'date: "1월 \\ud800"')
    lesson = tmp_path / "mini.yaml"
    lesson.write_text(text, encoding="utf-8")
    cache = cache_in(tmp_path / "cache")
    assert load_lesson(lesson, cache=cache).date == "1월 \ud800"
    assert list(cache.folder.iterdir()) == []


def test_old_entries_beyond_the_limit_are_removed_oldest_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    import bot.cache

    monkeypatch.setattr(bot.cache, "MAX_ENTRIES", 3)
    cache = cache_in(tmp_path)
    for number in range(5):
        cache.put(f"key{number}", number)
        entry = cache._file(f"key{number}")
        os.utime(entry, (1_000_000 + number, 1_000_000 + number))
    cache.put("newest", 5)
    assert [cache.get(f"key{number}") for number in range(5)] == [None, None, None, 3, 4]
    assert cache.get("newest") == 5
