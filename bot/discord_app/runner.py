"""`lessonbot run`: load and validate everything, connect, serve until SIGTERM/SIGINT, shut down cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TextIO

import aiohttp
import discord

from bot.config import Config, ConfigError, Secret, load_config_or_report
from bot.exit_codes import ExitCode
from bot.knowledge import KnowledgeError
from bot.knowledge_path import resolve_knowledge_path
from bot.store import Store, StoreError

from .client import Brain, Clock, LessonBot, off_the_loop

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = ExitCode.OK, ExitCode.NO, ExitCode.USAGE
# Kubernetes waits 20 s after SIGTERM (terminationGracePeriodSeconds); the bot is out within 2 s.
SHUTDOWN_SECONDS = 1.5
# Logging in (and syncing the slash commands) takes a few seconds; an API base that accepts the
# connection and never answers would otherwise keep the bot silent for aiohttp's 300 s.
LOGIN_SECONDS = 60.0


class NoReply(TimeoutError):
    """The REST API accepted the connection but did not answer the login in time."""


def knowledge_path(config: Config, override: str | None, environ: Mapping[str, str] | None = None) -> Path:
    """Return the lessons to serve: --knowledge, $LESSONBOT_KNOWLEDGE, the config's, the bundled ones."""
    return resolve_knowledge_path(
        flag=override, environ=os.environ if environ is None else environ, configured=config.knowledge
    )


def configure_logging(level: str) -> None:
    """Send log lines to stderr: time, level, logger, message."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def run_bot(
    config_path: str,
    *,
    knowledge_override: str | None = None,
    environ: Mapping[str, str] | None = None,
    err: TextIO | None = None,
) -> int:
    """Run the bot until a signal stops it; return the exit status (2 = unusable config or token)."""
    errors = sys.stderr if err is None else err
    config = load_config_or_report(config_path, err=errors, environ=environ)
    if config is None:
        return EXIT_USAGE
    try:
        token = config.require_token()
    except ConfigError as exc:
        errors.write(f"lessonbot: {exc.message}\n")
        return EXIT_USAGE
    path = knowledge_path(config, knowledge_override, environ)
    try:
        brain = Brain.load(path, settings=config.matching)
        # The curriculum and the scoped channels must name loaded lessons (file:line of the config).
        brain.check_config(config)
    except KnowledgeError as exc:
        errors.write("\n".join(str(problem) for problem in exc.problems) + "\n")
        return EXIT_USAGE
    configure_logging(config.log_level)
    try:
        return asyncio.run(_main(config, brain, token, errors))
    except KeyboardInterrupt:  # a second Ctrl-C while shutting down, or no signal handlers available
        return 130


async def _main(config: Config, brain: Brain, token: Secret, errors: TextIO) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for signum in (signal.SIGTERM, signal.SIGINT):
        try:
            loop.add_signal_handler(signum, _stop_on(signum, stop))
            installed.append(signum)
        except (NotImplementedError, RuntimeError):  # pragma: no cover - Windows
            pass
    try:
        return await serve(config, brain, token=token, stop=stop, err=errors)
    finally:
        for signum in installed:
            loop.remove_signal_handler(signum)


def _stop_on(signum: signal.Signals, stop: asyncio.Event) -> Callable[[], None]:
    def handler() -> None:
        log.info("received %s: shutting down", signum.name)
        stop.set()

    return handler


async def serve(
    config: Config,
    brain: Brain,
    *,
    token: Secret,
    stop: asyncio.Event,
    clock: Clock | None = None,
    guild_ready_timeout: float = 2.0,
    on_bot: Callable[[LessonBot], None] | None = None,
    err: TextIO | None = None,
    login_seconds: float = LOGIN_SECONDS,
) -> int:
    """Open the store, run the bot until `stop` is set (or the connection fails), then shut down.

    Shutdown closes the gateway, clears the heartbeat and checkpoints the database, all within
    SHUTDOWN_SECONDS. `on_bot` receives the bot before it connects (tests use it to reach the bot).
    """
    errors = sys.stderr if err is None else err
    store = Store(config.storage_path)
    try:
        await store.open()
        learned = await store.learned()
    except StoreError as exc:
        await store.close()
        errors.write(f"lessonbot: {exc}\n")
        return EXIT_USAGE
    if learned:  # what moderators taught is part of the knowledge from the first question on
        lessons = brain
        brain = await off_the_loop(lambda: lessons.relearned(learned, settings=config.matching), name="lessonbot-learn")
        log.info("%d taught phrasing(s) added to the lessons", len(learned))
    bot = LessonBot(config=config, brain=brain, store=store, clock=clock, guild_ready_timeout=guild_ready_timeout)
    if on_bot is not None:
        on_bot(bot)
    where = config.discord.api_base or "Discord"
    client = asyncio.create_task(_start(bot, token.value, login_seconds, where), name="lessonbot-client")
    stopping = asyncio.create_task(stop.wait(), name="lessonbot-stop")
    try:
        await asyncio.wait({client, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if not client.done():
            return EXIT_OK
        failure = None if client.cancelled() else client.exception()
        if failure is None:
            return EXIT_OK
        message, status = _describe_failure(failure)
        if status == EXIT_FAILED and not isinstance(failure, OSError | aiohttp.ClientError):
            log.error("the Discord connection failed", exc_info=failure)  # unexpected: keep the traceback
        errors.write(f"lessonbot: {message}\n")
        return status
    finally:
        stopping.cancel()
        await _shutdown(bot, client, store)


async def _start(bot: LessonBot, token: str, login_seconds: float, where: str) -> None:
    """`bot.start`, with the login bounded in time."""
    try:
        await asyncio.wait_for(bot.login(token), login_seconds)
    except TimeoutError:
        raise NoReply(f"no reply from {where} within {login_seconds:g} s (check discord.api_base)") from None
    await bot.connect()


def _describe_failure(failure: BaseException) -> tuple[str, int]:
    if isinstance(failure, NoReply):
        return str(failure), EXIT_FAILED
    if isinstance(failure, discord.LoginFailure) or (
        isinstance(failure, discord.ConnectionClosed) and failure.code == 4004
    ):
        return "Discord rejected the token: check DISCORD_TOKEN", EXIT_USAGE
    if isinstance(failure, discord.PrivilegedIntentsRequired):
        return (
            "the message-content intent is not enabled for this bot in the Discord developer portal "
            "(enable it, or set discord.message_content: false)",
            EXIT_USAGE,
        )
    if isinstance(failure, OSError | aiohttp.ClientError):
        return f"cannot reach Discord: {failure}", EXIT_FAILED
    return f"the Discord connection failed: {failure}", EXIT_FAILED


async def _shutdown(bot: LessonBot, client: asyncio.Task[None], store: Store) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + SHUTDOWN_SECONDS
    try:
        await asyncio.wait_for(bot.close(), timeout=SHUTDOWN_SECONDS * 0.7)
    except TimeoutError:
        log.warning("the gateway did not close in time; stopping anyway")
    if not client.done():
        client.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await asyncio.wait_for(client, timeout=max(deadline - loop.time(), 0.1))
    try:
        await asyncio.wait_for(store.close(), timeout=max(deadline - loop.time(), 0.5))
    except (TimeoutError, StoreError, OSError) as exc:
        log.warning("could not close the state database cleanly: %s", exc)
    log.info("stopped")
