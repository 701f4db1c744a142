"""The compiled-index cache: a matcher read back from it answers exactly like a fresh one, and any change misses."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import bot.index_cache
import bot.vocabulary
from bot.cache import PlainCache
from bot.index import IndexData, index_from_plain
from bot.index_cache import index_cache, index_key
from bot.it_lexicon import Lexicon
from bot.knowledge import Knowledge, load_knowledge
from bot.matching import Answer, Matcher, NoMatch, Result, Suggestions
from bot.tuning import MatcherTuning

FIXTURES = Path(__file__).parent / "fixtures"
BUNDLED = Path(__file__).parent.parent / "knowledge"


@pytest.fixture
def lessons(tmp_path: Path) -> Path:
    folder = tmp_path / "lessons"
    folder.mkdir()
    for source in [*BUNDLED.glob("*.yaml"), *(FIXTURES / "curriculum").glob("*.yaml")]:
        shutil.copy(source, folder / source.name)
    return folder


def cache_in(folder: Path) -> PlainCache:
    cache = index_cache({"XDG_CACHE_HOME": str(folder)})
    assert cache is not None
    return cache


def index_entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("index-*.json"))


def questions(knowledge: Knowledge) -> list[str]:
    """Questions of every kind the matcher reads: as written, a letter lost, run together, chat, off topic."""
    asked: list[str] = ["ㅇㅋ 고마워", "good ramen near Gangnam?", "what is a pod", ""]
    for _, entry in knowledge.entries():
        for text in (*entry.questions.texts(), *entry.title.texts())[:3]:
            asked.extend([text, text[:-2] + text[-1:], text.replace(" ", "")])
    return asked


def outcome(result: Result) -> tuple[object, ...]:
    if isinstance(result, Answer):
        return ("answer", result.candidate.qualified_id, result.candidate.score, result.candidate.coverage)
    if isinstance(result, Suggestions):
        return ("suggest", tuple((c.qualified_id, c.score) for c in result.candidates))
    assert isinstance(result, NoMatch)
    best = None if result.best is None else (result.best.qualified_id, result.best.score)
    return ("none", result.reason, result.topic, best)


def outcomes(matcher: Matcher, asked: list[str]) -> list[tuple[object, ...]]:
    return [outcome(matcher.ask(question)) for question in asked]


def test_a_matcher_read_from_the_cache_answers_exactly_like_a_fresh_one(lessons: Path, tmp_path: Path) -> None:
    knowledge = load_knowledge(lessons)
    cache = cache_in(tmp_path / "cache")
    asked = questions(knowledge)
    fresh = outcomes(Matcher(knowledge), asked)
    assert {o[0] for o in fresh} == {"answer", "suggest", "none"}  # the batch exercises every decision

    Matcher(knowledge, cache=cache)  # fills the cache
    assert len(index_entries(tmp_path / "cache")) == 1

    def refuse(*args: object, **kwargs: object) -> IndexData:
        raise AssertionError("the index was built, not read from the cache")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(IndexData, "build", refuse)
        cached = Matcher(load_knowledge(lessons), cache=cache)
    assert outcomes(cached, asked) == fresh


def test_a_changed_lesson_misses_the_cache_and_answers_its_new_question(lessons: Path, tmp_path: Path) -> None:
    cache = cache_in(tmp_path / "cache")
    Matcher(load_knowledge(lessons), cache=cache)
    lesson_file = lessons / "day2-pods.yaml"
    text = lesson_file.read_text(encoding="utf-8")
    first_question = load_knowledge(lesson_file).lessons[0].entries[0].questions.texts()[0]
    lesson_file.write_text(text.replace(first_question, "쿼카 얼룩말 파드 질문", 1), encoding="utf-8")
    changed = load_knowledge(lessons)
    result = Matcher(changed, cache=cache).ask("쿼카 얼룩말 파드 질문")
    assert len(index_entries(tmp_path / "cache")) == 2
    assert outcome(result) == outcome(Matcher(changed).ask("쿼카 얼룩말 파드 질문"))
    assert isinstance(result, Answer)
    pods = next(lesson for lesson in changed.lessons if lesson.path.endswith("day2-pods.yaml"))
    assert result.candidate.qualified_id == f"{pods.id}/{pods.entries[0].id}"


def test_other_tuning_misses_the_cache(lessons: Path, tmp_path: Path) -> None:
    knowledge = load_knowledge(lessons)
    cache = cache_in(tmp_path / "cache")
    tuned = MatcherTuning(answer_word_factor=0.9, compound_min_chars=5)
    Matcher(knowledge, cache=cache)
    assert index_key(knowledge, tuned) != index_key(knowledge, MatcherTuning())
    tuned_matcher = Matcher(knowledge, tuning=tuned, cache=cache)
    # Counted before asking: with several lessons loaded, a question may also build (and cache) the
    # index of a lesson read alone.
    assert len(index_entries(tmp_path / "cache")) == 2
    asked = questions(knowledge)
    assert outcomes(tuned_matcher, asked) == outcomes(Matcher(knowledge, tuning=tuned), asked)


def test_the_code_version_covers_the_modules_that_shape_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lessons: Path
) -> None:
    knowledge = load_knowledge(lessons)
    before = cache_in(tmp_path / "cache")
    Matcher(knowledge, cache=before)
    source = Path(bot.vocabulary.__file__)
    edited = tmp_path / "vocabulary.py"
    edited.write_text(source.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    monkeypatch.setattr(bot.vocabulary, "__file__", str(edited))
    after = cache_in(tmp_path / "cache")
    assert after.code != before.code
    assert after.get(index_key(knowledge, MatcherTuning())) is None
    Matcher(knowledge, cache=after)
    assert len(index_entries(tmp_path / "cache")) == 2


def test_the_code_version_covers_every_module_the_index_imports() -> None:
    # Read in a fresh interpreter: this test session has imported far more of `bot` than the index needs.
    probe = "import sys, bot.index; print(' '.join(sorted(m for m in sys.modules if m.startswith('bot.'))))"
    imported = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout.split()
    covered = {module.__name__ for module in bot.index_cache._INDEX_MODULES}
    assert "bot.index" in imported
    assert sorted(set(imported) - covered) == []


@pytest.mark.parametrize(
    "damage",
    [
        lambda entry: "{not json",
        lambda entry: json.dumps({**entry, "data": {**entry["data"], "entries": entry["data"]["entries"][:-1]}}),
        lambda entry: json.dumps({**entry, "data": {**entry["data"], "words": [1, 2]}}),
        lambda entry: json.dumps({**entry, "data": None}),
    ],
    ids=["not-json", "an-entry-missing", "wrong-types", "no-data"],
)
def test_a_damaged_entry_is_ignored_and_rewritten(lessons: Path, tmp_path: Path, damage: object) -> None:
    knowledge = load_knowledge(lessons)
    cache = cache_in(tmp_path / "cache")
    Matcher(knowledge, cache=cache)
    [entry_file] = index_entries(tmp_path / "cache")
    assert callable(damage)
    entry_file.write_text(damage(json.loads(entry_file.read_text(encoding="utf-8"))), encoding="utf-8")
    asked = questions(knowledge)
    assert outcomes(Matcher(knowledge, cache=cache), asked) == outcomes(Matcher(knowledge), asked)
    plain = cache.get(index_key(knowledge, MatcherTuning()))
    assert plain is not None
    index_from_plain(plain, tuning=MatcherTuning(), knowledge=knowledge)


def test_a_matcher_with_its_own_lexicon_never_uses_the_cache(lessons: Path, tmp_path: Path) -> None:
    Matcher(load_knowledge(lessons), lexicon=Lexicon.from_groups(()), cache=cache_in(tmp_path / "cache"))
    assert index_entries(tmp_path / "cache") == []


def test_caching_off_writes_nothing(lessons: Path, tmp_path: Path) -> None:
    assert index_cache({"XDG_CACHE_HOME": str(tmp_path), "LESSONBOT_CACHE": "off"}) is None


def test_a_reload_of_unchanged_files_shares_the_lessons_and_the_index(lessons: Path, tmp_path: Path) -> None:
    cache = cache_in(tmp_path / "cache")
    served = load_knowledge(lessons)
    matcher = Matcher(served, cache=cache)
    reloaded = load_knowledge(lessons, previous=served)
    assert all(new is old for new, old in zip(reloaded.lessons, served.lessons, strict=True))
    replacement = Matcher(reloaded, cache=cache, previous=matcher)
    assert replacement.index is matcher.index
    asked = questions(reloaded)
    assert outcomes(replacement, asked) == outcomes(Matcher(load_knowledge(lessons)), asked)


def test_a_reload_after_an_edit_answers_exactly_like_a_fresh_matcher(lessons: Path, tmp_path: Path) -> None:
    cache = cache_in(tmp_path / "cache")
    served = load_knowledge(lessons)
    matcher = Matcher(served, cache=cache)
    lesson_file = lessons / "day2-pods.yaml"
    first_question = load_knowledge(lesson_file).lessons[0].entries[0].questions.texts()[0]
    text = lesson_file.read_text(encoding="utf-8")
    lesson_file.write_text(text.replace(first_question, "쿼카 얼룩말 파드 질문", 1), encoding="utf-8")
    reloaded = load_knowledge(lessons, previous=served)
    kept = [new is old for new, old in zip(reloaded.lessons, served.lessons, strict=True)]
    assert kept.count(False) == 1  # only the edited file was read again
    replacement = Matcher(reloaded, cache=cache, previous=matcher)
    assert replacement.index is not matcher.index
    # Memory at the reload's peak: the unchanged lessons' word weights are the serving index's own.
    weights = {
        lesson.id: replacement.index._lessons[replacement.index._lesson_number[lesson.id]]
        for lesson in reloaded.lessons
    }
    old_weights = {
        lesson.id: matcher.index._lessons[matcher.index._lesson_number[lesson.id]] for lesson in served.lessons
    }
    assert [weights[i] is old_weights[i] for i in weights] == kept
    asked = [*questions(reloaded), "쿼카 얼룩말 파드 질문"]
    assert outcomes(replacement, asked) == outcomes(Matcher(load_knowledge(lessons)), asked)
    assert outcomes(matcher, asked[:-1]) == outcomes(Matcher(served), asked[:-1])  # the old one still serves


def test_a_moved_file_is_read_again_even_with_the_same_bytes(lessons: Path, tmp_path: Path) -> None:
    served = load_knowledge(lessons)
    moved = tmp_path / "moved"
    shutil.copytree(lessons, moved)
    reloaded = load_knowledge(moved, previous=served)
    assert all(lesson.path.startswith(str(moved)) for lesson in reloaded.lessons)
    assert [lesson.id for lesson in reloaded.lessons] == [lesson.id for lesson in served.lessons]
