"""Config validation: every mistake as `file:line: message`; the token only from the environment."""

from __future__ import annotations

import io
import re
from datetime import date, time, timedelta
from pathlib import Path

import pytest

from bot.config import (
    _ALLOWED,
    TOKEN_ENV,
    Config,
    ConfigError,
    Secret,
    lesson_problems,
    load_config,
    load_config_or_report,
    parse_config,
)
from bot.curriculum import ChannelLesson, Curriculum, Scheduled

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config.example.yaml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, environ={})
    return [str(problem) for problem in caught.value.problems]


def test_a_command_reports_each_config_problem_on_its_own_line(tmp_path: Path) -> None:
    path = write(tmp_path, "discord:\n  bogus: 1\nrecap:\n  hour: 99\n")
    err = io.StringIO()
    assert load_config_or_report(path, err=err, environ={}) is None
    assert err.getvalue().splitlines() == problems(tmp_path, path.read_text(encoding="utf-8"))
    assert len(err.getvalue().splitlines()) >= 2


def test_a_usable_config_is_returned_and_nothing_is_reported() -> None:
    err = io.StringIO()
    assert load_config_or_report(EXAMPLE, err=err, environ={}) == load_config(EXAMPLE, environ={})
    assert err.getvalue() == ""


# --- the example is the reference -------------------------------------------------------------------


def test_the_example_config_is_valid_and_uses_the_defaults() -> None:
    config = load_config(EXAMPLE, environ={})
    defaults = parse_config("", path=str(EXAMPLE), environ={})
    assert config.knowledge is None  # the bundled lessons, wherever the example is copied
    assert config.discord == defaults.discord
    assert config.recap == defaults.recap
    assert config.matching == defaults.matching
    assert config.cooldown == defaults.cooldown
    assert config.passive_threshold == defaults.passive_threshold
    assert config.storage_path == ROOT / "lessonbot.sqlite3"
    assert config.token is None
    assert config.curriculum == defaults.curriculum
    assert config.curriculum.mode == "newest"


def test_the_example_config_documents_every_key() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    for section, keys in _ALLOWED.items():
        for key in keys:
            pattern = rf"^\s*#?\s*{re.escape(key)}:" if section else rf"^{re.escape(key)}:"
            assert re.search(pattern, text, re.MULTILINE), f"{section or 'top level'}.{key} is not in the example"
    assert "DISCORD_TOKEN" in text
    # Every setting line is explained by a comment somewhere above it.
    assert text.count("#") > 40


def test_an_empty_file_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""), environ={})
    assert config.recap.at == time(9, 0)
    assert config.recap.timezone == "Asia/Seoul"
    assert config.recap.grace == timedelta(hours=3)
    assert config.discord.api_base is None
    assert config.discord.message_content is False
    assert config.storage_path == tmp_path / "lessonbot.sqlite3"


def test_the_calibrated_decision_is_the_default_and_a_hand_set_cutoff_replaces_it(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, ""), environ={}).matching.decision_model is not None
    assert load_config(write(tmp_path, "matching:\n  suggest_threshold: 0.3\n"), environ={}).matching.decision_model
    for key in ("answer_threshold: 0.7", "margin: 0.1"):
        config = load_config(write(tmp_path, f"matching:\n  {key}\n"), environ={})
        assert config.matching.decision_model is None


# --- file:line problems ------------------------------------------------------------------------------


def test_unknown_timezone(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    assert problems(tmp_path, "recap:\n  time: '09:00'\n  timezone: Asia/Busan\n") == [
        f"{path}:3: recap.timezone: unknown IANA time zone 'Asia/Busan' (e.g. Asia/Seoul)"
    ]


@pytest.mark.parametrize("value", ["9h", "'24:00'", "'09:60'", "9:00", "'9.00'"])
def test_malformed_time(tmp_path: Path, value: str) -> None:
    (problem,) = problems(tmp_path, f"recap:\n  channels: []\n  time: {value}\n")
    assert problem.startswith(f"{tmp_path / 'config.yaml'}:3: recap.time: expected HH:MM (24-hour, quoted)")


def test_non_numeric_channel_id_points_at_its_line(tmp_path: Path) -> None:
    text = "recap:\n  channels:\n    - 123456789012345678\n    - general\nanswer_channels: [12x]\n"
    hint = "is not a Discord id (a number like 123456789012345678)"
    assert problems(tmp_path, text) == [
        f"{tmp_path / 'config.yaml'}:4: recap.channels: 'general' {hint}",
        f"{tmp_path / 'config.yaml'}:5: answer_channels: '12x' {hint}",
    ]


def test_unknown_keys_are_errors_with_their_line(tmp_path: Path) -> None:
    found = problems(tmp_path, "discord:\n  guild_id: [1]\nanswer_channel: []\n")
    assert sorted(found) == [
        f"{tmp_path / 'config.yaml'}:2: unknown key discord.'guild_id' "
        "(expected one of: api_base, gateway_url, guild_ids, message_content)",
        f"{tmp_path / 'config.yaml'}:3: unknown key 'answer_channel' (expected one of: answer_channels, cooldown, "
        "curriculum, discord, knowledge, lesson_channels, logging, matching, moderator_role_ids, recap, storage)",
    ]


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = (
        "discord:\n  api_base: ftp://x\n  message_content: yes please\n"
        "recap:\n  grace_hours: 30\n  lang: fr\n"
        "matching:\n  answer_threshold: 0.3\n  suggest_threshold: 0.4\n"
    )
    lines = sorted(int(p.split(":")[1]) for p in problems(tmp_path, text))
    assert lines == [2, 3, 5, 6, 9]


def test_broken_yaml_has_a_line_and_column(tmp_path: Path) -> None:
    (problem,) = problems(tmp_path, "recap:\n  time: '09:00\n")
    assert re.match(rf"{re.escape(str(tmp_path / 'config.yaml'))}:\d+: invalid YAML \(column \d+\)", problem)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.yaml", environ={})
    assert str(caught.value).startswith(f"{tmp_path / 'nope.yaml'}:0: cannot read")


def test_endpoint_overrides(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "discord:\n  api_base: http://127.0.0.1:8080/api/v10\n  gateway_url: ws://127.0.0.1:8080/\n"
        "  guild_ids: ['123456789012345678']\n",
    )
    config = load_config(path, environ={})
    assert config.discord.api_base == "http://127.0.0.1:8080/api/v10"
    assert config.discord.gateway_url == "ws://127.0.0.1:8080/"
    assert config.discord.guild_ids == (123456789012345678,)
    assert problems(tmp_path, "discord:\n  gateway_url: http://127.0.0.1/\n") == [
        f"{tmp_path / 'config.yaml'}:2: discord.gateway_url: expected a URL starting with ws:// or wss://"
    ]


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "knowledge: lessons\nstorage:\n  path: state/bot.db\n"), environ={})
    assert config.knowledge == tmp_path / "lessons"
    assert config.storage_path == tmp_path / "state" / "bot.db"


# --- the token ---------------------------------------------------------------------------------------


def test_the_token_comes_only_from_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, "logging:\n  level: debug\n")
    config = load_config(path, environ={TOKEN_ENV: "  sekrit-token  "})
    assert config.token == Secret("sekrit-token")
    assert config.require_token().value == "sekrit-token"
    assert config.log_level == "DEBUG"


@pytest.mark.parametrize("text", ["token: abc\n", "discord:\n  token: abc\n"])
def test_a_token_in_the_file_is_refused(tmp_path: Path, text: str) -> None:
    (problem,) = problems(tmp_path, text)
    assert "the token is read only from the DISCORD_TOKEN environment variable" in problem
    assert "abc" not in problem


def test_no_token_is_a_clear_error(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, ""), environ={TOKEN_ENV: "   "})
    assert config.token is None
    with pytest.raises(ConfigError) as caught:
        config.require_token()
    assert caught.value.message == "no Discord token: set the DISCORD_TOKEN environment variable"


def test_the_token_is_never_printed(tmp_path: Path) -> None:
    config: Config = load_config(write(tmp_path, ""), environ={TOKEN_ENV: "sekrit-token"})
    assert config.token is not None
    for shown in (repr(config), str(config), f"{config}", repr(config.token), str(config.token), f"{config.token}"):
        assert "sekrit-token" not in shown
    assert str(config.token) == "***"


# --- curriculum and lesson channels ------------------------------------------------------------------


def test_a_schedule_maps_local_dates_to_lessons(tmp_path: Path) -> None:
    text = (
        "curriculum:\n"
        "  schedule:\n"
        '    "2026-07-03": day17-kubernetes\n'
        "    2026-07-02: day16-containers\n"  # unquoted, YAML reads a date: the same
        "lesson_channels:\n"
        '  "123456789012345678": day16-containers\n'
        "  223456789012345678: day17-kubernetes\n"
    )
    config = load_config(write(tmp_path, text), environ={})
    curriculum = config.curriculum
    assert curriculum.mode == "schedule"
    assert curriculum.schedule == (
        Scheduled(date(2026, 7, 2), "day16-containers", 4),
        Scheduled(date(2026, 7, 3), "day17-kubernetes", 3),
    )
    assert curriculum.channels == (
        ChannelLesson(123456789012345678, "day16-containers", 6),
        ChannelLesson(223456789012345678, "day17-kubernetes", 7),
    )
    assert curriculum.channel_lesson([223456789012345678]) == "day17-kubernetes"


def test_mode_newest_is_the_default(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, "curriculum: {mode: newest}\n"), environ={}).curriculum == Curriculum()
    assert load_config(write(tmp_path, ""), environ={}).curriculum.mode == "newest"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'curriculum:\n  schedule:\n    "2026-13-01": day1\n',
            "3: curriculum.schedule: '2026-13-01' is not a date (expected YYYY-MM-DD, e.g. \"2026-07-02\")",
        ),
        (
            "curriculum:\n  schedule:\n    July 2: day1\n",
            "3: curriculum.schedule: 'July 2' is not a date (expected YYYY-MM-DD, e.g. \"2026-07-02\")",
        ),
        (
            'curriculum:\n  schedule:\n    "2026-07-02": [day1]\n',
            "3: curriculum.schedule 2026-07-02: expected a lesson id (like day16-containers), got ['day1']",
        ),
        (
            "curriculum:\n  schedule: [day1, day2]\n",
            '2: curriculum.schedule: expected a mapping of dates to lesson ids ("2026-07-02": day16-containers)',
        ),
        ("curriculum:\n  mode: latest\n", "2: curriculum.mode: expected newest or schedule, got 'latest'"),
        ("curriculum:\n  mode: schedule\n", "2: curriculum.mode: schedule needs a curriculum.schedule of dates"),
        (
            "curriculum:\n  mode: schedule\n  schedule: {}\n",
            "3: curriculum.schedule: is empty (mode: schedule needs dates)",
        ),
        (
            'curriculum:\n  mode: newest\n  schedule:\n    "2026-07-02": day1\n',
            "2: curriculum.mode: newest ignores curriculum.schedule; remove one of them (mode: schedule is implied)",
        ),
        ("curriculum:\n  start: 2026-07-02\n", "2: unknown key curriculum.'start' (expected one of: mode, schedule)"),
        (
            "lesson_channels:\n  general: day1\n",
            "2: lesson_channels: 'general' is not a Discord channel id (a number like 123456789012345678)",
        ),
        (
            "lesson_channels:\n  123456789012345678: Day One\n",
            "2: lesson_channels 123456789012345678: expected a lesson id (like day16-containers), got 'Day One'",
        ),
        (
            "lesson_channels: [123456789012345678]\n",
            "1: lesson_channels: expected a mapping of channel ids to lesson ids "
            "(123456789012345678: day16-containers)",
        ),
    ],
    ids=[
        "bad-date",
        "not-a-date",
        "not-an-id",
        "list",
        "bad-mode",
        "schedule-missing",
        "schedule-empty",
        "newest-and-schedule",
        "unknown-key",
        "channel-name",
        "bad-lesson-id",
        "channel-list",
    ],
)
def test_curriculum_mistakes_point_at_their_line(tmp_path: Path, text: str, expected: str) -> None:
    assert problems(tmp_path, text) == [f"{tmp_path / 'config.yaml'}:{expected}"]


def test_lessons_the_knowledge_does_not_have_are_file_line_problems(tmp_path: Path) -> None:
    text = (
        "curriculum:\n"
        "  schedule:\n"
        '    "2026-07-02": day16-containers\n'
        '    "2026-07-03": day17-kubernets\n'
        "lesson_channels:\n"
        "  123456789012345678: day99\n"
    )
    path = write(tmp_path, text)
    config = load_config(path, environ={})
    loaded = {"day16-containers", "day17-kubernetes"}
    assert [str(problem) for problem in lesson_problems(config, loaded)] == [
        f"{path}:4: curriculum.schedule 2026-07-03: unknown lesson 'day17-kubernets' "
        "(did you mean 'day17-kubernetes'?)",
        f"{path}:6: lesson_channels 123456789012345678: unknown lesson 'day99' "
        "(loaded: day16-containers, day17-kubernetes)",
    ]
    assert lesson_problems(config, {*loaded, "day99", "day17-kubernets"}) == []
