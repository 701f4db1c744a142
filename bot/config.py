"""Bot configuration: `load_config` reads the file, `parse_config` validates. The token comes only from
the environment and is never part of a printable value."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.curriculum import ChannelLesson, Curriculum, Scheduled, unknown_lesson_ids
from bot.matching import MatchSettings
from bot.source import Problem, SourceError, YList, YMap, parse_yaml, read_text

TOKEN_ENV = "DISCORD_TOKEN"  # noqa: S105 - the variable's name, not a secret
_SNOWFLAKE_MAX = 2**64 - 1
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)\Z")
_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_LESSON_ID = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


class ConfigError(SourceError):
    """The configuration is invalid: every problem with its file and line."""


@dataclass(frozen=True)
class Secret:
    """A value that must never be printed: its repr and str hide it."""

    value: str = field(repr=False)

    def __str__(self) -> str:
        return "***"

    def __repr__(self) -> str:
        return "Secret(***)"


@dataclass(frozen=True)
class DiscordSettings:
    """How to reach Discord (or a Discord-compatible server) and what to ask of it."""

    api_base: str | None = None
    gateway_url: str | None = None
    guild_ids: tuple[int, ...] = ()
    message_content: bool = False


@dataclass(frozen=True)
class RecapSettings:
    """When and where the daily recap is posted."""

    channels: tuple[int, ...] = ()
    at: time = time(9, 0)
    timezone: str = "Asia/Seoul"
    grace: timedelta = timedelta(hours=3)
    lang: str = "ko"

    @property
    def tz(self) -> ZoneInfo:
        """Return the IANA zone (validated when the config was parsed)."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class CooldownSettings:
    """Rate limits for unprompted replies to plain messages."""

    user_seconds: float = 30.0
    channel_seconds: float = 10.0


@dataclass(frozen=True)
class Config:
    """A validated configuration."""

    knowledge: Path | None
    discord: DiscordSettings
    recap: RecapSettings
    matching: MatchSettings
    passive_threshold: float
    cooldown: CooldownSettings
    answer_channels: tuple[int, ...]
    moderator_role_ids: tuple[int, ...]
    storage_path: Path
    log_level: str
    token: Secret | None
    path: str
    curriculum: Curriculum = field(default_factory=Curriculum)
    # Unanswered questions (with who asked) and the per-day question counts are deleted after this.
    retention_days: int = 90

    def require_token(self) -> Secret:
        """Return the token or raise ConfigError saying where it must come from."""
        if self.token is None:
            raise ConfigError([Problem(self.path, 0, f"no Discord token: set the {TOKEN_ENV} environment variable")])
        return self.token


_ALLOWED: dict[str, set[str]] = {
    "": {
        "knowledge",
        "discord",
        "recap",
        "answer_channels",
        "moderator_role_ids",
        "storage",
        "matching",
        "cooldown",
        "logging",
        "curriculum",
        "lesson_channels",
    },
    "curriculum": {"mode", "schedule"},
    "discord": {"api_base", "gateway_url", "guild_ids", "message_content"},
    "recap": {"channels", "time", "timezone", "grace_hours", "lang"},
    "storage": {"path", "retention_days"},
    "matching": {"answer_threshold", "suggest_threshold", "margin", "passive_threshold"},
    "cooldown": {"user_seconds", "channel_seconds"},
    "logging": {"level"},
}


class _Reader:
    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def section(self, top: YMap, name: str) -> YMap:
        value = top.get(name)
        if value is None:
            empty = YMap()
            empty.line, empty.key_lines = top.line_of(name), {}
            return empty
        if not isinstance(value, YMap):
            self.fail(top.line_of(name), f"{name}: expected a mapping")
            empty = YMap()
            empty.line, empty.key_lines = top.line_of(name), {}
            return empty
        self.unknown_keys(value, name)
        return value

    def unknown_keys(self, node: YMap, name: str) -> None:
        allowed = _ALLOWED[name]
        for key in node:
            if key in {"token", "discord_token"} and key not in allowed:
                where = f"{name}." if name else ""
                self.fail(
                    node.line_of(key),
                    f"{where}{key}: the token is read only from the {TOKEN_ENV} environment variable; "
                    "remove it from this file",
                )
            elif key not in allowed:
                where = f"{name}." if name else ""
                known = ", ".join(sorted(allowed))
                self.fail(node.line_of(key), f"unknown key {where}{key!r} (expected one of: {known})")

    def ids(self, node: YMap, key: str, what: str) -> tuple[int, ...]:
        value = node.get(key)
        if value is None:
            return ()
        if not isinstance(value, YList):
            self.fail(node.line_of(key), f"{what}: expected a list of Discord ids")
            return ()
        result: list[int] = []
        for index, item in enumerate(value):
            snowflake = _snowflake(item)
            if snowflake is None:
                self.fail(
                    value.line_of(index), f"{what}: {item!r} is not a Discord id (a number like 123456789012345678)"
                )
            else:
                result.append(snowflake)
        return tuple(result)

    def number(self, node: YMap, key: str, what: str, default: float, *, low: float, high: float) -> float:
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            self.fail(node.line_of(key), f"{what}: expected a number from {low:g} to {high:g}, got {value!r}")
            return default
        return float(value)

    def url(self, node: YMap, key: str, schemes: tuple[str, ...]) -> str | None:
        value = node.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.startswith(schemes):
            self.fail(node.line_of(key), f"discord.{key}: expected a URL starting with {' or '.join(schemes)}")
            return None
        return value


def _snowflake(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and 0 < value <= _SNOWFLAKE_MAX:
        return value
    return None


def parse_config(text: str, *, path: str, environ: Mapping[str, str]) -> Config:
    """Validate config text; relative paths are resolved against the config file's folder."""
    try:
        data = parse_yaml(text, path=path)
    except SourceError as exc:
        raise ConfigError(exc.problems) from None
    if data is None:
        data = YMap()
        data.line, data.key_lines = 1, {}
    reader = _Reader(path)
    if not isinstance(data, YMap):
        raise ConfigError([Problem(path, 1, "the config must be a mapping of settings")])
    reader.unknown_keys(data, "")
    # absolute(), not resolve(): a Kubernetes ConfigMap mounts config.yaml as a symlink into a hidden
    # folder, and relative paths must stay relative to where the user put the file.
    base = Path(path).absolute().parent

    knowledge: Path | None = None
    if data.get("knowledge") is not None:
        if not isinstance(data["knowledge"], str):
            reader.fail(data.line_of("knowledge"), "knowledge: expected a file or folder path")
        else:
            knowledge = base / data["knowledge"]

    node = reader.section(data, "discord")
    message_content = node.get("message_content", False)
    if not isinstance(message_content, bool):
        reader.fail(node.line_of("message_content"), "discord.message_content: expected true or false")
        message_content = False
    discord = DiscordSettings(
        api_base=reader.url(node, "api_base", ("http://", "https://")),
        gateway_url=reader.url(node, "gateway_url", ("ws://", "wss://")),
        guild_ids=reader.ids(node, "guild_ids", "discord.guild_ids"),
        message_content=message_content,
    )

    node = reader.section(data, "recap")
    at = time(9, 0)
    raw_time = node.get("time", "09:00")
    match = _TIME.match(str(raw_time)) if isinstance(raw_time, str) else None
    if match is None:
        # YAML reads an unquoted 09:00 as a string, but 9:00 as sexagesimal 540: both deserve one message.
        reader.fail(node.line_of("time"), f"recap.time: expected HH:MM (24-hour, quoted), got {raw_time!r}")
    else:
        at = time(int(match.group(1)), int(match.group(2)))
    zone = node.get("timezone", "Asia/Seoul")
    if not isinstance(zone, str) or not _valid_zone(zone):
        reader.fail(node.line_of("timezone"), f"recap.timezone: unknown IANA time zone {zone!r} (e.g. Asia/Seoul)")
        zone = "Asia/Seoul"
    lang = node.get("lang", "ko")
    if lang not in {"ko", "en"}:
        reader.fail(node.line_of("lang"), f"recap.lang: expected ko or en, got {lang!r}")
        lang = "ko"
    recap = RecapSettings(
        channels=reader.ids(node, "channels", "recap.channels"),
        at=at,
        timezone=zone,
        grace=timedelta(hours=reader.number(node, "grace_hours", "recap.grace_hours", 3, low=0, high=23)),
        lang=str(lang),
    )

    node = reader.section(data, "matching")
    defaults = MatchSettings()
    answer = reader.number(
        node, "answer_threshold", "matching.answer_threshold", defaults.answer_threshold, low=0, high=1
    )
    suggest = reader.number(
        node, "suggest_threshold", "matching.suggest_threshold", defaults.suggest_threshold, low=0, high=1
    )
    margin = reader.number(node, "margin", "matching.margin", defaults.margin, low=0, high=1)
    passive = reader.number(node, "passive_threshold", "matching.passive_threshold", 0.65, low=0, high=1)
    if suggest > answer:
        reader.fail(node.line_of("suggest_threshold"), "matching.suggest_threshold must not exceed answer_threshold")
        suggest = answer

    node = reader.section(data, "cooldown")
    cooldown = CooldownSettings(
        user_seconds=reader.number(node, "user_seconds", "cooldown.user_seconds", 30, low=0, high=86400),
        channel_seconds=reader.number(node, "channel_seconds", "cooldown.channel_seconds", 10, low=0, high=86400),
    )

    node = reader.section(data, "storage")
    storage = node.get("path", "lessonbot.sqlite3")
    if not isinstance(storage, str) or not storage.strip():
        reader.fail(node.line_of("path"), "storage.path: expected a file path")
        storage = "lessonbot.sqlite3"
    retention_days = int(reader.number(node, "retention_days", "storage.retention_days", 90, low=1, high=3650))

    node = reader.section(data, "logging")
    level = str(node.get("level", "INFO")).upper()
    if level not in _LEVELS:
        reader.fail(node.line_of("level"), f"logging.level: expected one of {', '.join(sorted(_LEVELS))}")
        level = "INFO"

    answer_channels = reader.ids(data, "answer_channels", "answer_channels")
    moderator_roles = reader.ids(data, "moderator_role_ids", "moderator_role_ids")
    curriculum = Curriculum(
        schedule=_schedule(reader, reader.section(data, "curriculum")),
        channels=_lesson_channels(reader, data),
    )
    if reader.problems:
        raise ConfigError(reader.problems)
    token = environ.get(TOKEN_ENV, "").strip()
    return Config(
        knowledge=knowledge,
        discord=discord,
        recap=recap,
        matching=MatchSettings(answer_threshold=answer, suggest_threshold=suggest, margin=margin),
        passive_threshold=passive,
        cooldown=cooldown,
        answer_channels=answer_channels,
        moderator_role_ids=moderator_roles,
        storage_path=base / storage,
        log_level=level,
        token=Secret(token) if token else None,
        path=path,
        curriculum=curriculum,
        retention_days=retention_days,
    )


def _schedule(reader: _Reader, node: YMap) -> tuple[Scheduled, ...]:
    mode = node.get("mode")
    if mode is not None and mode not in {"newest", "schedule"}:
        reader.fail(node.line_of("mode"), f"curriculum.mode: expected newest or schedule, got {mode!r}")
        return ()
    raw = node.get("schedule")
    if raw is None:
        if mode == "schedule":
            reader.fail(node.line_of("mode"), "curriculum.mode: schedule needs a curriculum.schedule of dates")
        return ()
    if not isinstance(raw, YMap):
        reader.fail(
            node.line_of("schedule"),
            'curriculum.schedule: expected a mapping of dates to lesson ids ("2026-07-02": day16-containers)',
        )
        return ()
    if mode == "schedule" and not raw:
        reader.fail(node.line_of("schedule"), "curriculum.schedule: is empty (mode: schedule needs dates)")
        return ()
    if mode == "newest" and raw:
        reader.fail(
            node.line_of("mode"),
            "curriculum.mode: newest ignores curriculum.schedule; remove one of them (mode: schedule is implied)",
        )
        return ()
    result: list[Scheduled] = []
    for key, value in raw.items():
        line = raw.line_of(key)
        day = _date(key)
        if day is None:
            reader.fail(line, f'curriculum.schedule: {key!r} is not a date (expected YYYY-MM-DD, e.g. "2026-07-02")')
            continue
        lesson_id = _lesson_id(value)
        if lesson_id is None:
            reader.fail(line, f"curriculum.schedule {key}: expected a lesson id (like day16-containers), got {value!r}")
            continue
        result.append(Scheduled(day, lesson_id, line))
    return tuple(result)


def _lesson_channels(reader: _Reader, data: YMap) -> tuple[ChannelLesson, ...]:
    raw = data.get("lesson_channels")
    if raw is None:
        return ()
    if not isinstance(raw, YMap):
        reader.fail(
            data.line_of("lesson_channels"),
            "lesson_channels: expected a mapping of channel ids to lesson ids (123456789012345678: day16-containers)",
        )
        return ()
    result: list[ChannelLesson] = []
    for key, value in raw.items():
        line = raw.line_of(key)
        channel_id = _snowflake(key)
        if channel_id is None:
            reader.fail(
                line, f"lesson_channels: {key!r} is not a Discord channel id (a number like 123456789012345678)"
            )
            continue
        lesson_id = _lesson_id(value)
        if lesson_id is None:
            reader.fail(line, f"lesson_channels {key}: expected a lesson id (like day16-containers), got {value!r}")
            continue
        result.append(ChannelLesson(channel_id, lesson_id, line))
    return tuple(result)


def _date(key: str) -> date | None:
    # YAML reads an unquoted 2026-07-02 as a date; the mapping's keys are kept as text either way.
    if not _DATE.match(key):
        return None
    try:
        return date.fromisoformat(key)
    except ValueError:
        return None


def _lesson_id(value: Any) -> str | None:
    if isinstance(value, str) and _LESSON_ID.match(value.strip()):
        return value.strip()
    return None


def lesson_problems(config: Config, lesson_ids: Collection[str]) -> list[Problem]:
    """Return a `file:line` problem for every curriculum date or scoped channel naming a lesson not loaded.

    Needs the loaded knowledge, so `lessonbot check --config`, `lessonbot run` and /reload call it.
    """
    problems: list[Problem] = []
    for line, where, lesson_id in unknown_lesson_ids(config.curriculum, lesson_ids):
        close = difflib.get_close_matches(lesson_id, sorted(lesson_ids), n=1, cutoff=0.8)
        if close:
            hint = f" (did you mean {close[0]!r}?)"
        elif len(lesson_ids) <= 5:
            hint = f" (loaded: {', '.join(sorted(lesson_ids)) or 'none'})"
        else:
            hint = f" (not one of the {len(lesson_ids)} loaded lessons)"
        problems.append(Problem(config.path, line, f"{where}: unknown lesson {lesson_id!r}{hint}"))
    return problems


def _valid_zone(name: str) -> bool:
    if not name or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def load_config(path: str | os.PathLike[str], *, environ: Mapping[str, str] | None = None) -> Config:
    """Read and validate a config file; the token is taken from `environ` (default: the process's)."""
    name = os.fspath(path)
    try:
        text = read_text(name)
    except SourceError as exc:
        raise ConfigError(exc.problems) from None
    return parse_config(text, path=name, environ=os.environ if environ is None else environ)
