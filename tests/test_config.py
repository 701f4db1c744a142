"""Config validation: every mistake as `file:line: message`; the token only from the environment."""

from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path

import pytest

from bot.config import _ALLOWED, TOKEN_ENV, Config, ConfigError, Secret, load_config, parse_config

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


# --- the example is the reference -------------------------------------------------------------------


def test_the_example_config_is_valid_and_uses_the_defaults() -> None:
    config = load_config(EXAMPLE, environ={})
    defaults = parse_config("", path=str(EXAMPLE), environ={})
    assert config.knowledge == ROOT / "knowledge"
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
