"""Hostile and careless input files: each gets one clear `file:line: message`, never a traceback.

Knowledge, config and eval files share one YAML reader, so each case is tried on all three where it
applies. Both YAML parsers (libyaml's and PyYAML's pure-Python one) must give the same result.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.config import ConfigError, load_config, parse_config, storage_problems
from bot.evaluation import parse_eval_set
from bot.knowledge import KnowledgeError, load_lesson, parse_lesson
from bot.source import MAX_ALIAS_VALUES, SourceError, parse_yaml

FIXTURES = Path(__file__).parent / "fixtures"
MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")
CONFIG = "recap:\n  timezone: Asia/Seoul\n  lang: ko\n"
EVAL = "- q: 컨테이너가 뭐야?\n  expect: mini/container\n"


def _parsers() -> dict[str, Callable[[str, str], object]]:
    return {
        "knowledge": lambda text, path: parse_lesson(text, path=path),
        "config": lambda text, path: parse_config(text, path=path, environ={}),
        "eval": lambda text, path: parse_eval_set(text, path=path),
    }


def problem_lines(kind: str, text: str) -> list[str]:
    """Return the problems a parser reports for `text` (as `file:line: message`), failing on anything else."""
    with pytest.raises(SourceError) as caught:
        _parsers()[kind](text, f"{kind}.yaml")
    return [str(problem) for problem in caught.value.problems]


def with_line(text: str, line: int, insert: str) -> str:
    lines = text.split("\n")
    lines[line - 1] = lines[line - 1] + insert
    return "\n".join(lines)


# --- control characters (issue 11, row 5) ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["knowledge", "config", "eval"])
@pytest.mark.parametrize(("char", "name"), [("\x00", "NUL (U+0000)"), ("\x1b", "ESC (U+001B)")])
def test_a_control_character_is_one_problem_on_its_line(kind: str, char: str, name: str) -> None:
    text = {"knowledge": MINI, "config": CONFIG, "eval": EVAL}[kind]
    damaged = with_line(text, 2, char)
    column = len(text.split("\n")[1]) + 1
    assert problem_lines(kind, damaged) == [
        f"{kind}.yaml:2: invalid YAML (column {column}): {name} is not allowed in a YAML file"
    ]


def test_a_control_character_in_a_knowledge_file_is_reported_by_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lesson = tmp_path / "lesson.yaml"
    lesson.write_text(with_line(MINI, 5, "\x1b[31m"), encoding="utf-8")
    assert main(["check", str(lesson)]) == 1
    err = capsys.readouterr().err
    assert f"{lesson}:5: invalid YAML" in err
    assert "Traceback" not in err


# --- wrong types in the config (row 6) and a zone folder (row 7) -----------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("recap:\n  lang: [ko]\n", "2: recap.lang: expected ko or en, got ['ko']"),
        ("recap:\n  lang: {ko: 1}\n", "2: recap.lang: expected ko or en, got {'ko': 1}"),
        ("curriculum:\n  mode: [newest]\n", "2: curriculum.mode: expected newest or schedule, got ['newest']"),
        ("logging:\n  level: [debug]\n", "2: logging.level: expected one of CRITICAL, DEBUG, ERROR, INFO, WARNING"),
        ("recap:\n  timezone: America\n", "2: recap.timezone: unknown IANA time zone 'America' (e.g. Asia/Seoul)"),
        ("recap:\n  timezone: Europe\n", "2: recap.timezone: unknown IANA time zone 'Europe' (e.g. Asia/Seoul)"),
    ],
)
def test_a_config_value_of_the_wrong_type_is_one_problem(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert [str(p) for p in caught.value.problems] == [f"{path}:{expected}"]


# --- huge numbers, deep nesting (row 8), anchor bombs (row 9) ---------------------------------------


@pytest.mark.parametrize("kind", ["knowledge", "config", "eval"])
def test_a_5000_digit_number_is_one_problem(kind: str) -> None:
    (problem,) = problem_lines(kind, "a: 1\nb: " + "9" * 5000 + "\n")
    assert problem == f"{kind}.yaml:2: invalid YAML (column 4): a number of 5,000 digits is too long"


@pytest.mark.parametrize("kind", ["knowledge", "config", "eval"])
@pytest.mark.parametrize("shape", ["[" * 20_000 + "]" * 20_000, "{a: " * 20_000 + "1" + "}" * 20_000])
def test_a_20000_deep_nesting_is_one_problem(kind: str, shape: str) -> None:
    (problem,) = problem_lines(kind, "a: 1\nb: " + shape + "\n")
    assert problem.startswith(f"{kind}.yaml:2: invalid YAML (column ")
    assert problem.endswith("nested more than 100 levels deep")


def anchor_bomb() -> str:
    """About 600 bytes that expand to 10^9 strings if the aliases are followed."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "recap:\n  lang:\n    " + "\n    ".join(lines) + "\n"


def test_an_anchor_bomb_in_a_config_value_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    text = anchor_bomb()
    assert len(text) < 700
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError) as caught:
            load_config(path, environ={})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (problem,) = caught.value.problems
    assert f"aliases expand to more than {MAX_ALIAS_VALUES:,} values" in problem.message
    assert len(str(problem)) < 300
    assert peak < 20_000_000


def test_a_few_aliases_are_still_fine() -> None:
    data = parse_yaml("base: &base [a, b]\ncopy: *base\n", path="x.yaml")
    assert data == {"base": ["a", "b"], "copy": ["a", "b"]}


def test_a_recursive_alias_is_a_problem_not_a_cycle() -> None:
    with pytest.raises(SourceError) as caught:
        parse_yaml("a: &a [1, *a]\n", path="x.yaml")
    assert str(caught.value) == "x.yaml:1: invalid YAML (column 11): the alias *a refers to the value it is part of"


def test_a_date_that_is_not_one_is_a_problem() -> None:
    with pytest.raises(SourceError) as caught:
        parse_yaml("a: 1\nday: 2026-13-45\n", path="x.yaml")
    assert str(caught.value).startswith("x.yaml:2: invalid YAML (column 6): cannot read '2026-13-45'")


def test_a_long_value_is_named_not_reprinted(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("recap:\n  lang: " + "x" * 100_000 + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    assert len(str(caught.value)) < 200


# --- both parsers agree ----------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML without libyaml")
@pytest.mark.parametrize(
    "text",
    [
        MINI,
        "a: [1, 2\n",
        "a: b: c\n",
        "- x\ny: 1\n",
        "a: 'unterminated\n",
        "a: 1\n---\nb: 2\n",
        "a: 1\na: 2\n",
        "\tkey: value\n",
        "a: !!python/object:os.system x\n",
        "? [a, b]\n: c\n",
    ],
)
def test_libyaml_and_pure_python_give_the_same_values_and_errors(text: str) -> None:
    def run(pure_python: bool) -> object:
        try:
            return repr(parse_yaml(text, path="x.yaml", pure_python=pure_python))
        except SourceError as exc:
            return str(exc)

    assert run(False) == run(True)


def test_the_bundled_lesson_reads_the_same_with_either_parser() -> None:
    path = Path(__file__).parent.parent / "knowledge" / "day16-containers.yaml"
    text = path.read_text(encoding="utf-8")
    fast = parse_yaml(text, path=str(path))
    slow = parse_yaml(text, path=str(path), pure_python=True)
    assert fast == slow
    assert fast["entries"].item_lines == slow["entries"].item_lines
    assert load_lesson(path) == parse_lesson(text, path=str(path))


# --- storage.path is checked by `check --config` (row 17) -------------------------------------------


def storage_config(tmp_path: Path, storage: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"storage:\n  path: {storage}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("storage", "expected"),
    [
        ("missing/state.sqlite3", "the folder {tmp}/missing does not exist"),
        ("folder", "{tmp}/folder is a folder, not a database file"),
        ("notes.txt", "{tmp}/notes.txt is not an SQLite database"),
        ("/proc/lessonbot.sqlite3", "cannot create files in /proc (No such file or directory)"),
    ],
    ids=["missing-folder", "directory", "not-sqlite", "proc"],
)
def test_check_config_reports_a_storage_path_run_would_refuse(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], storage: str, expected: str
) -> None:
    if storage.startswith("/proc") and not Path("/proc/self").is_dir():
        pytest.skip("needs /proc")
    (tmp_path / "folder").mkdir()
    (tmp_path / "notes.txt").write_text("not a database\n", encoding="utf-8")
    config = storage_config(tmp_path, storage)
    assert main(["check", "--config", str(config), str(FIXTURES / "mini.yaml")]) == 1
    err = capsys.readouterr().err
    assert f"{config}:2: storage.path: {expected.format(tmp=tmp_path)}" in err


def test_a_usable_storage_path_is_not_a_problem_and_nothing_is_created(tmp_path: Path) -> None:
    config = load_config(storage_config(tmp_path, "state.sqlite3"), environ={})
    assert storage_problems(config) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.yaml"]


def test_an_existing_database_is_not_a_problem(tmp_path: Path) -> None:
    import sqlite3

    connection = sqlite3.connect(tmp_path / "state.sqlite3")
    connection.execute("CREATE TABLE t (x)")
    connection.commit()
    connection.close()
    config = load_config(storage_config(tmp_path, "state.sqlite3"), environ={})
    assert storage_problems(config) == []


def test_a_knowledge_error_is_still_a_knowledge_error(tmp_path: Path) -> None:
    lesson = tmp_path / "lesson.yaml"
    lesson.write_text("\x00", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_lesson(lesson)


@pytest.mark.parametrize(
    "text",
    [
        "a: [" * 20_000 + "]" * 20_000,
        "- " * 5_000 + "x\n",
        "a: " + "9" * 5_000 + "\n",
        "a: 1\nb: \x1b\n",
        anchor_bomb(),
        "a: &a [1, *a]\n",
        "a: 2026-02-30\n",
        "a: !!binary not-base64!\n",
    ],
    ids=["deep-flow", "deep-block", "long-number", "escape", "anchor-bomb", "recursive-alias", "bad-date", "binary"],
)
def test_hostile_yaml_gets_the_same_message_from_either_parser(text: str) -> None:
    messages = []
    for pure_python in (False, True):
        with pytest.raises(SourceError) as caught:
            parse_yaml(text, path="x.yaml", pure_python=pure_python)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    assert len(messages[0]) < 300


def test_a_warm_cache_ask_loads_neither_yaml_nor_discord(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from bot.cli import main\n"
        "main(['ask', 'container'])\n"
        "print(sorted(m for m in ('yaml', 'discord', 'markdown_it') if m in sys.modules))\n"
    )
    environ = {k: v for k, v in os.environ.items() if k != "LESSONBOT_KNOWLEDGE"}
    environ.update(XDG_CACHE_HOME=str(tmp_path), LESSONBOT_CACHE="on")
    first = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True)
    second = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True)
    assert first.stdout.splitlines()[-1] == "['yaml']"  # the first run parsed the lesson and filled the cache
    assert second.stdout.splitlines()[-1] == "[]"


def test_long_ids_and_keys_are_named_not_reprinted() -> None:
    long = "x" * 100_000
    # (a key longer than 1,024 characters must be written as an explicit `? key` in YAML)
    text = MINI.replace("  id: mini", f"  id: {long.upper()}")
    text = text.replace("  - id: container", f"  - id: {long}\n    ? {long}\n    : 1")
    problems = problem_lines("knowledge", text)
    assert len(problems) >= 2
    assert all(len(problem) < 300 for problem in problems), [len(problem) for problem in problems]
    config_problems = problem_lines("config", f"? {long}\n: 1\ncurriculum:\n  schedule:\n    '2026-07-02': {long}\n")
    assert all(len(problem) < 300 for problem in config_problems)
