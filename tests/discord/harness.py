"""Run lessonbot's own `serve` path against the loopback fake Discord, with a hand-driven clock."""

from __future__ import annotations

import asyncio
import contextlib
import io
import shutil
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from fake_discord import JSON, FakeDiscord

from bot.config import Config, load_config
from bot.discord_app.client import Brain, LessonBot
from bot.discord_app.runner import serve

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "discord"
PETS = FIXTURES / "day1-pets.yaml"
BIRDS = FIXTURES / "day2-birds.yaml"  # a second lesson, for curricula of several lessons
SCHEDULER = "lessonbot-recap-scheduler"
HEARTBEAT = "lessonbot-heartbeat"
GUILD_READY_TIMEOUT = 0.05
WAIT = 5.0

# The zone the fixtures' schedules and recaps are written in.
SEOUL = ZoneInfo("Asia/Seoul")


def run(scenario: Callable[[FakeDiscord], Awaitable[None]]) -> None:
    """Run `scenario` against a started fake Discord; fail on any error answer or unknown route."""

    async def main() -> None:
        async with FakeDiscord() as fake:
            await scenario(fake)
            fake.assert_clean()

    asyncio.run(main())


def components(message: JSON) -> list[JSON]:
    """Return the buttons and menus of a message, row after row."""
    return [component for row in message["components"] for component in row["components"]]


@contextlib.asynccontextmanager
async def lessonbot_run(
    config_path: Path, env: Mapping[str, str], cwd: Path | None = None
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Start `lessonbot run --config config_path` as a child process, output piped; a test that
    leaves it running (a failed assertion) has it killed on the way out."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config_path), cwd=cwd,
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def stop_with_sigterm(process: asyncio.subprocess.Process) -> tuple[str, str]:
    """SIGTERM the bot; return its (stdout, stderr) once it has exited 0 saying why."""
    process.send_signal(signal.SIGTERM)
    stdout, stderr = await asyncio.wait_for(process.communicate(), 20)  # a hang guard, not a timing
    log = stderr.decode()
    assert process.returncode == 0, log
    assert "received SIGTERM: shutting down" in log
    return stdout.decode(), log


class ManualClock:
    """A clock the test moves by hand. `sleep` parks the caller until the next `advance`.

    The daily-recap scheduler sleeps after every pass, so `await clock.passes(n)` is a precise
    "the scheduler has finished its n-th pass" signal — no real time involved. Sleeps are counted
    per task: the heartbeat sleeps on the same clock (`passes(n, task=HEARTBEAT)`).
    """

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("the manual clock needs an aware start time")
        self._now = start
        self._sleeps: dict[str, list[float]] = {}
        self._wake = asyncio.Event()
        self._changed = asyncio.Event()

    @property
    def sleeps(self) -> list[float]:
        """The recap scheduler's sleeps so far, in seconds."""
        return self._sleeps.get(SCHEDULER, [])

    def now(self) -> datetime:
        return self._now

    async def sleep(self, seconds: float) -> None:
        wake = self._wake
        task = asyncio.current_task()
        self._sleeps.setdefault(task.get_name() if task is not None else "?", []).append(seconds)
        self._changed.set()
        self._changed = asyncio.Event()
        await wake.wait()

    def advance(self, delta: timedelta) -> None:
        """Move time forward and wake every sleeper."""
        self._now += delta
        wake, self._wake = self._wake, asyncio.Event()
        wake.set()

    async def passes(self, count: int, *, task: str = "lessonbot-recap-scheduler", timeout: float = WAIT) -> None:
        """Wait until `task` has called `sleep` `count` times in total."""

        async def loop() -> None:
            while len(self._sleeps.get(task, [])) < count:
                await self._changed.wait()

        await asyncio.wait_for(loop(), timeout)


@dataclass
class Setup:
    """Where a test's bot keeps its files."""

    folder: Path
    knowledge: Path
    database: Path
    overrides: dict[str, Any] = field(default_factory=dict)


def make_setup(tmp_path: Path, *, lessons: Sequence[Path] = (PETS,), **overrides: Any) -> Setup:
    """Copy the lessons (default: pets) into `tmp_path` (so /reload tests can break them) and plan a
    database there."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    for lesson in lessons:
        shutil.copy(lesson, folder / lesson.name)
    return Setup(tmp_path, folder, tmp_path / "state.sqlite3", dict(overrides))


def write_config(setup: Setup, fake: FakeDiscord, **overrides: Any) -> Path:
    """Write a config.yaml pointing at `fake` (through discord.api_base / gateway_url) and return its path."""
    world = fake.world
    data: dict[str, Any] = {
        "knowledge": str(setup.knowledge),
        "discord": {
            "api_base": fake.api_base,
            "gateway_url": fake.gateway_url,
            "guild_ids": [world.guild.id],
            "message_content": False,
        },
        "recap": {"channels": [], "time": "09:00", "timezone": "Asia/Seoul", "grace_hours": 3, "lang": "ko"},
        "answer_channels": [world.guild.channel("questions").id],
        "moderator_role_ids": [],
        "storage": {"path": str(setup.database)},
        "cooldown": {"user_seconds": 30, "channel_seconds": 0},
        "logging": {"level": "INFO"},
    }
    for key, value in {**setup.overrides, **overrides}.items():
        section, _, name = key.partition(".")
        if name:
            data[section][name] = value
        else:
            data[section] = value
    path = setup.folder / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def config_for(path: Path, fake: FakeDiscord, *, token: str | None = None) -> Config:
    """Load the config file the way `lessonbot run` does, with DISCORD_TOKEN in the environment."""
    environ: Mapping[str, str] = {"DISCORD_TOKEN": token if token is not None else fake.token}
    return load_config(path, environ=environ)


@contextlib.asynccontextmanager
async def running_bot(
    fake: FakeDiscord, config: Config, *, clock: ManualClock | None = None
) -> AsyncIterator[LessonBot]:
    """Run `serve` (the code path of `lessonbot run`) until the bot is ready; stop it cleanly on exit."""
    assert config.knowledge is not None
    brain = Brain.load(config.knowledge, settings=config.matching)
    stop = asyncio.Event()
    bots: list[LessonBot] = []
    errors = io.StringIO()
    task = asyncio.create_task(
        serve(
            config,
            brain,
            token=config.require_token(),
            stop=stop,
            clock=clock,
            guild_ready_timeout=GUILD_READY_TIMEOUT,
            on_bot=bots.append,
            err=errors,
        ),
        name="test: serve",
    )
    ready = asyncio.create_task(fake.wait_ready(timeout=WAIT))
    await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
    if task.done():
        ready.cancel()
        with contextlib.suppress(BaseException):
            await ready
        raise AssertionError(f"serve() ended early with {task.result()}: {errors.getvalue()}")
    await ready
    bot = bots[0]
    await asyncio.wait_for(bot.wait_until_ready(), WAIT)
    await fake.wait_idle(timeout=WAIT)  # on_ready (and so the first heartbeat) has finished
    try:
        yield bot
    finally:
        stop.set()
        status = await asyncio.wait_for(task, 15)
    assert status == 0, errors.getvalue()
    assert bot.is_closed()


async def serve_until_it_exits(fake: FakeDiscord, config: Config) -> tuple[int, str]:
    """Run `serve` with whatever token `config` carries until it ends by itself; return (status, stderr)."""
    assert config.knowledge is not None
    errors = io.StringIO()
    status = await asyncio.wait_for(
        serve(
            config,
            Brain.load(config.knowledge, settings=config.matching),
            token=config.require_token(),
            stop=asyncio.Event(),
            guild_ready_timeout=GUILD_READY_TIMEOUT,
            err=errors,
        ),
        15,
    )
    return status, errors.getvalue()
