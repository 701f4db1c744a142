"""Bot configuration: `load_config` reads the file, `parse_config` validates. The token comes only from
the environment and is never part of a printable value."""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any, TextIO, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.curriculum import ChannelLesson, Curriculum, Scheduled, unknown_lesson_ids
from bot.ids import is_lesson_id
from bot.source import Problem, Reader, SourceError, YList, YMap, empty_map, parse_yaml, read_text, shown
from bot.tuning import MatcherTuning

TOKEN_ENV = "DISCORD_TOKEN"  # noqa: S105 - the variable's name, not a secret
_SNOWFLAKE_MAX = 2**64 - 1
_TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)\Z")
_LEVELS = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_Key = TypeVar("_Key")


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
    matching: MatcherTuning
    passive_threshold: float
    cooldown: CooldownSettings
    answer_channels: tuple[int, ...]
    moderator_role_ids: tuple[int, ...]
    storage_path: Path
    log_level: str
    token: Secret | None
    path: str
    curriculum: Curriculum = field(default_factory=Curriculum)
    # Where some settings stood in the file ("storage.path": 12), for problems found after parsing.
    key_lines: Mapping[str, int] = field(default_factory=dict, compare=False)

    def line_of(self, key: str) -> int:
        """Return the line of a dotted setting (e.g. "storage.path"), or 0 when it was not written."""
        return self.key_lines.get(key, 0)

    # Unanswered questions (with who asked) and the per-day question counts are deleted after this.
    retention_days: int = 90

    def require_token(self) -> Secret:
        """Return the token or raise ConfigError saying where it must come from."""
        if self.token is None:
            raise ConfigError([Problem(self.path, 0, f"no Discord token: set the {TOKEN_ENV} environment variable")])
        return self.token


# The keys each section allows ("" is the top level). To add a setting: name it here, give its
# dataclass above a field with the default, read it in `parse_config` with the reader's checks
# (`number`, `boolean`, `choice`, `ids`, `string`, or `section` for a new section, which also needs
# an entry here), and show it with its default in config.example.yaml.
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


class _ConfigReader(Reader):
    """The shared reader plus the config's own kinds of value: sections, Discord ids, numbers, URLs."""

    def section(self, top: YMap, name: str) -> YMap:
        """Return top[name] as a mapping with known keys; an absent or broken section reads as empty."""
        value = top.get(name)
        if value is None:
            return empty_map(top.line_of(name))
        if not isinstance(value, YMap):
            self.fail(top.line_of(name), f"{name}: expected a mapping")
            return empty_map(top.line_of(name))
        self.mapping(value, value.line, name, _ALLOWED[name])
        return value

    def unknown_key(self, node: YMap, key: str, what: str, allowed: Collection[str]) -> None:
        where = f"{what}." if what else ""
        if key in {"token", "discord_token"}:
            self.fail(
                node.line_of(key),
                f"{where}{key}: the token is read only from the {TOKEN_ENV} environment variable; "
                "remove it from this file",
            )
        else:
            known = ", ".join(sorted(allowed))
            self.fail(node.line_of(key), f"unknown key {where}{shown(key)} (expected one of: {known})")

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
                    value.line_of(index),
                    f"{what}: {shown(item)} is not a Discord id (a number like 123456789012345678)",
                )
            else:
                result.append(snowflake)
        return tuple(result)

    def number(self, node: YMap, key: str, what: str, default: float, *, low: float, high: float) -> float:
        value = node.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
            self.fail(node.line_of(key), f"{what}: expected a number from {low:g} to {high:g}, got {shown(value)}")
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
        data = empty_map(1)
    reader = _ConfigReader(path)
    if not isinstance(data, YMap):
        raise ConfigError([Problem(path, 1, "the config must be a mapping of settings")])
    reader.mapping(data, 1, "", _ALLOWED[""])
    # absolute(), not resolve(): a Kubernetes ConfigMap mounts config.yaml as a symlink into a hidden
    # folder, and relative paths must stay relative to where the user put the file.
    base = Path(path).absolute().parent

    knowledge: Path | None = None
    if data.get("knowledge") is not None:
        if not isinstance(data["knowledge"], str) or "\0" in data["knowledge"]:
            reader.fail(data.line_of("knowledge"), "knowledge: expected a file or folder path")
        else:
            knowledge = base / data["knowledge"]

    node = reader.section(data, "discord")
    message_content = reader.boolean(node, "message_content", "discord.message_content")
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
        reader.fail(node.line_of("time"), f"recap.time: expected HH:MM (24-hour, quoted), got {shown(raw_time)}")
    else:
        at = time(int(match.group(1)), int(match.group(2)))
    zone = node.get("timezone", "Asia/Seoul")
    if not isinstance(zone, str) or not _valid_zone(zone):
        reader.fail(node.line_of("timezone"), f"recap.timezone: unknown IANA time zone {shown(zone)} (e.g. Asia/Seoul)")
        zone = "Asia/Seoul"
    lang = reader.choice(node, "lang", "recap.lang", ("ko", "en"), "ko") or "ko"
    recap = RecapSettings(
        channels=reader.ids(node, "channels", "recap.channels"),
        at=at,
        timezone=zone,
        grace=timedelta(hours=reader.number(node, "grace_hours", "recap.grace_hours", 3, low=0, high=23)),
        lang=lang,
    )

    node = reader.section(data, "matching")
    defaults = MatcherTuning()
    answer = reader.number(
        node, "answer_threshold", "matching.answer_threshold", defaults.answer_threshold, low=0, high=1
    )
    suggest = reader.number(
        node, "suggest_threshold", "matching.suggest_threshold", defaults.suggest_threshold, low=0, high=1
    )
    margin = reader.number(node, "margin", "matching.margin", defaults.margin, low=0, high=1)
    passive = reader.number(node, "passive_threshold", "matching.passive_threshold", 0.65, low=0, high=1)
    hand_set_rule = "answer_threshold" in node or "margin" in node
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
    if not isinstance(storage, str) or not storage.strip() or "\0" in storage:
        reader.fail(node.line_of("path"), "storage.path: expected a file path")
        storage = "lessonbot.sqlite3"
    key_lines = {"storage.path": node.line_of("path")}
    retention_days = int(reader.number(node, "retention_days", "storage.retention_days", 90, low=1, high=3650))

    node = reader.section(data, "logging")
    raw_level = node.get("level", "INFO")
    level = raw_level.upper() if isinstance(raw_level, str) else ""
    if level not in _LEVELS:
        reader.fail(node.line_of("level"), f"logging.level: expected one of {', '.join(sorted(_LEVELS))}")
        level = "INFO"

    answer_channels = reader.ids(data, "answer_channels", "answer_channels")
    moderator_roles = reader.ids(data, "moderator_role_ids", "moderator_role_ids")
    curriculum = Curriculum(
        schedule=_schedule(reader, reader.section(data, "curriculum")),
        channels=_lesson_channels(reader, data),
    )
    reader.raise_problems(ConfigError)
    token = environ.get(TOKEN_ENV, "").strip()
    return Config(
        knowledge=knowledge,
        discord=discord,
        recap=recap,
        matching=MatcherTuning(
            answer_threshold=answer,
            suggest_threshold=suggest,
            margin=margin,
            # Setting either of the hand-set rule's numbers asks for that rule instead of the model.
            decision_model=None if hand_set_rule else defaults.decision_model,
        ),
        passive_threshold=passive,
        cooldown=cooldown,
        answer_channels=answer_channels,
        moderator_role_ids=moderator_roles,
        storage_path=base / storage,
        log_level=level,
        token=Secret(token) if token else None,
        path=path,
        curriculum=curriculum,
        key_lines=key_lines,
        retention_days=retention_days,
    )


def _schedule(reader: _ConfigReader, node: YMap) -> tuple[Scheduled, ...]:
    mode = reader.choice(node, "mode", "curriculum.mode", ("newest", "schedule"), None)
    if mode is None and node.get("mode") is not None:
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
    items = _lesson_items(
        reader, raw, "curriculum.schedule", _date, 'is not a date (expected YYYY-MM-DD, e.g. "2026-07-02")'
    )
    return tuple(Scheduled(day, lesson_id, line) for day, lesson_id, line in items)


def _lesson_channels(reader: _ConfigReader, data: YMap) -> tuple[ChannelLesson, ...]:
    raw = data.get("lesson_channels")
    if raw is None:
        return ()
    if not isinstance(raw, YMap):
        reader.fail(
            data.line_of("lesson_channels"),
            "lesson_channels: expected a mapping of channel ids to lesson ids (123456789012345678: day16-containers)",
        )
        return ()
    items = _lesson_items(
        reader, raw, "lesson_channels", _snowflake, "is not a Discord channel id (a number like 123456789012345678)"
    )
    return tuple(ChannelLesson(channel_id, lesson_id, line) for channel_id, lesson_id, line in items)


def _lesson_items(
    reader: _ConfigReader, raw: YMap, what: str, read_key: Callable[[str], _Key | None], not_a_key: str
) -> list[tuple[_Key, str, int]]:
    """Read a mapping of keys (dates, channels) to lesson ids; report each bad item once, by its line."""
    result: list[tuple[_Key, str, int]] = []
    for key, value in raw.items():
        line = raw.line_of(key)
        parsed = read_key(key)
        if parsed is None:
            reader.fail(line, f"{what}: {shown(key)} {not_a_key}")
            continue
        lesson_id = value.strip() if isinstance(value, str) else ""
        if not is_lesson_id(lesson_id):
            reader.fail(line, f"{what} {key}: expected a lesson id (like day16-containers), got {shown(value)}")
            continue
        result.append((parsed, lesson_id, line))
    return result


def _date(key: str) -> date | None:
    # YAML reads an unquoted 2026-07-02 as a date; the mapping's keys are kept as text either way.
    if not _DATE.match(key):
        return None
    try:
        return date.fromisoformat(key)
    except ValueError:
        return None


def lesson_problems(config: Config, lesson_ids: Collection[str]) -> list[Problem]:
    """Return a `file:line` problem for every curriculum date or scoped channel naming a lesson not loaded.

    Needs the loaded knowledge, so `lessonbot check --config`, `lessonbot run` and /reload call it.
    """
    problems: list[Problem] = []
    for line, where, lesson_id in unknown_lesson_ids(config.curriculum, lesson_ids):
        close = difflib.get_close_matches(lesson_id, sorted(lesson_ids), n=1, cutoff=0.8)
        if close:
            hint = f" (did you mean {shown(close[0])}?)"
        elif len(lesson_ids) <= 5:
            hint = f" (loaded: {', '.join(sorted(lesson_ids)) or 'none'})"
        else:
            hint = f" (not one of the {len(lesson_ids)} loaded lessons)"
        problems.append(Problem(config.path, line, f"{where}: unknown lesson {shown(lesson_id)}{hint}"))
    return problems


_SQLITE_HEADER = b"SQLite format 3\x00"


def storage_problems(config: Config) -> list[Problem]:
    """Return what `run` would refuse about `storage.path`, found without creating or changing anything.

    `run` opens (creating if needed) an SQLite database there and writes its journal beside it, so the
    folder must exist and take new files, and an existing file must be a writable SQLite database.
    `lessonbot check --config` calls this, so a path that cannot work is reported before `run`.
    """
    import tempfile  # only `check --config` needs it

    path = config.storage_path
    folder = path.parent

    def problem(message: str) -> list[Problem]:
        return [Problem(config.path, config.line_of("storage.path"), f"storage.path: {message}")]

    if not folder.is_dir():
        return problem(f"the folder {folder} does not exist")
    if path.is_dir():
        return problem(f"{path} is a folder, not a database file")
    if path.exists():
        if not path.is_file():
            return problem(f"{path} is not a regular file")
        if not os.access(path, os.R_OK | os.W_OK):
            return problem(f"the database file {path} is read-only")
        try:
            with path.open("rb") as handle:
                header = handle.read(len(_SQLITE_HEADER))
        except OSError as exc:
            return problem(f"cannot read {path}: {exc.strerror or exc}")
        # An empty file is a new database to SQLite; anything else must start with SQLite's header.
        if header and header != _SQLITE_HEADER:
            return problem(f"{path} is not an SQLite database")
    try:
        # Creating (and at once deleting) a file is the one sure test: permission bits lie to root
        # and read-only mounts, and /proc takes no new files at all.
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return problem(f"cannot create files in {folder} ({exc.strerror or exc}); SQLite writes its journal there")
    return []


def _valid_zone(name: str) -> bool:
    if not name or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        # OSError: a folder of the zone database (America) is not a zone; neither is an unreadable file
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


def load_config_or_report(
    path: str | os.PathLike[str], *, err: TextIO, environ: Mapping[str, str] | None = None
) -> Config | None:
    """`load_config`, for a command: an unusable config is written to `err` (one problem a line) and
    None returned, so each command exits 2 with the same output rather than restating the handling."""
    try:
        return load_config(path, environ=environ)
    except ConfigError as exc:
        err.write("\n".join(str(problem) for problem in exc.problems) + "\n")
        return None
