"""The bot: holds the knowledge, matcher, store and clock; loads the cogs; syncs the slash commands."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol

import discord
import discord.gateway
import discord.http
import yarl
from discord import app_commands
from discord.ext import commands

from bot.config import Config, lesson_problems
from bot.curriculum import lesson_on, scope_for
from bot.index_cache import index_cache
from bot.knowledge import Knowledge, KnowledgeError, Lesson, lesson_cache, load_knowledge
from bot.matching import Candidate, Matcher, MatcherTuning
from bot.scope import Scope
from bot.store import Store

from .i18n import LessonTranslator, interaction_lang, text
from .ui import NO_MENTIONS, apologise, send_ephemeral

log = logging.getLogger(__name__)

EXTENSIONS = ("bot.discord_app.qa", "bot.discord_app.recap", "bot.discord_app.admin")
HEARTBEAT_SECONDS = 30.0


class Clock(Protocol):
    """Where the bot reads the time and waits: the system clock, or a test's hand-driven one."""

    def now(self) -> datetime:
        """Return the current aware time."""
        ...

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` (the daily recap's scheduler waits through this)."""
        ...


class SystemClock:
    """The real clock: aware UTC time and asyncio.sleep."""

    def now(self) -> datetime:
        """Return the current time in UTC."""
        return datetime.now(UTC)

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of real time."""
        await asyncio.sleep(seconds)


@dataclass(frozen=True)
class Brain:
    """The knowledge being served and its matcher: replaced as a whole by /reload, never mutated."""

    knowledge: Knowledge
    matcher: Matcher
    path: Path
    _by_id: Mapping[str, Candidate] = field(default_factory=dict, repr=False, compare=False)
    _by_title: Mapping[str, tuple[Candidate, ...]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(
        cls, knowledge: Knowledge, *, path: Path, settings: MatcherTuning | None = None, previous: Brain | None = None
    ) -> Brain:
        """Index `knowledge` (CPU work: call it off the event loop for large lessons); `previous` is the
        brain a reload replaces, whose index shares what is unchanged."""
        by_id: dict[str, Candidate] = {}
        by_title: dict[str, list[Candidate]] = {}
        for lesson, entry in knowledge.entries():
            candidate = Candidate(lesson.id, entry.id, 1.0, entry.title)
            by_id[candidate.qualified_id] = candidate
            for title in dict.fromkeys(_title_key(title) for title in entry.title.texts()):
                by_title.setdefault(title, []).append(candidate)
        titles = {key: tuple(found) for key, found in by_title.items()}
        # The index built before from the same lessons, tuning and code is read back from the user's cache.
        old = None if previous is None else previous.matcher
        matcher = Matcher(knowledge, tuning=settings, cache=index_cache(os.environ), previous=old)
        return cls(knowledge, matcher, path, by_id, titles)

    @classmethod
    def load(cls, path: Path, *, settings: MatcherTuning | None = None, previous: Brain | None = None) -> Brain:
        """Read, validate and index the lesson files at `path`; raise KnowledgeError if invalid.

        `previous`: the brain a reload replaces; unchanged files give its very lessons (no second copy)."""
        held = None if previous is None else previous.knowledge
        knowledge = load_knowledge(path, cache=lesson_cache(os.environ), previous=held)
        return cls.build(knowledge, path=path, settings=settings, previous=previous)

    def entry(self, qualified_id: str) -> Candidate | None:
        """Return the entry with this `lesson/entry` id, if it still exists."""
        return self._by_id.get(qualified_id)

    def titled(self, question: str, scope: Scope | None = None) -> Candidate | None:
        """Return the entry whose title is exactly `question` (an autocomplete pick), if any.

        Lessons repeat titles ("핵심 요약" in every lesson): among the entries in `scope`, the
        preferred (current) lesson's wins, else the newest lesson's.
        """
        found = [c for c in self._by_title.get(_title_key(question), ()) if scope is None or scope.allows(c.lesson_id)]
        if not found:
            return None
        preferred = [c for c in found if scope is not None and c.lesson_id == scope.prefer]
        return (preferred or found)[-1]

    def latest_lesson(self) -> Lesson:
        """Return the lesson with the highest day."""
        return self.knowledge.lessons[-1]

    def lesson_of_day(self, config: Config, day: date) -> Lesson | None:
        """Return the lesson of local date `day` by the config's curriculum (None before it starts)."""
        return lesson_on(config.curriculum, self.knowledge, day)

    def scope(self, config: Config, channel_ids: Sequence[int | None], now: datetime) -> Scope:
        """Return where a question asked in a channel (then its parent) at `now` is searched."""
        return scope_for(config.curriculum, self.knowledge, channel_ids=channel_ids, now=now, tz=config.recap.tz)

    def check_config(self, config: Config) -> None:
        """Raise KnowledgeError (config `file:line` problems) if the config names lessons not loaded."""
        problems = lesson_problems(config, {lesson.id for lesson in self.knowledge.lessons})
        if problems:
            raise KnowledgeError(problems)

    def entry_count(self) -> int:
        """Return the number of entries across every lesson."""
        return sum(len(lesson.entries) for lesson in self.knowledge.lessons)


def channel_ids(channel_id: int | None, channel: object) -> tuple[int | None, int | None]:
    """Return a channel's id and, for a thread, its parent's (a thread shares its channel's lesson)."""
    parent = channel.parent_id if isinstance(channel, discord.Thread) else None
    return (channel_id, parent)


def _title_key(title: str) -> str:
    return " ".join(title.casefold().split())


class _Endpoints:
    """Points discord.py at `discord.api_base` / `discord.gateway_url` and puts the old values back.

    discord.py reads both from class attributes (process-global), so this is the one place that
    touches them: applied in `login`, restored in `close`.
    """

    def __init__(self, api_base: str | None, gateway_url: str | None) -> None:
        self.api_base = api_base.rstrip("/") if api_base else None
        self.gateway_url = gateway_url
        self._saved: tuple[str, yarl.URL] | None = None

    def apply(self) -> None:
        if self._saved is not None or (self.api_base is None and self.gateway_url is None):
            return
        self._saved = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
        if self.api_base is not None:
            discord.http.Route.BASE = self.api_base
        if self.gateway_url is not None:
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(self.gateway_url)

    def restore(self) -> None:
        if self._saved is None:
            return
        discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = self._saved
        self._saved = None


class NotModerator(app_commands.CheckFailure):
    """The user may not use a moderator command."""


def is_moderator(interaction: discord.Interaction, moderator_role_ids: tuple[int, ...]) -> bool:
    """Return whether the user may moderate: manage-messages (or admin) here, or a configured role."""
    permissions = interaction.permissions
    if permissions.manage_messages or permissions.administrator:
        return True
    user = interaction.user
    if isinstance(user, discord.Member) and moderator_role_ids:
        return any(role.id in moderator_role_ids for role in user.roles)
    return False


async def moderator_check(interaction: discord.Interaction) -> bool:
    """App-command check: moderators only (raises NotModerator, answered with a private refusal)."""
    client = interaction.client
    roles = client.config.moderator_role_ids if isinstance(client, LessonBot) else ()
    if not is_moderator(interaction, roles):
        raise NotModerator("moderators only")
    return True


class LessonTree(app_commands.CommandTree["LessonBot"]):
    """Command tree whose errors become a refusal (checks) or a logged error plus an apology."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        """Answer a failed command privately; log real errors with their traceback."""
        lang = interaction_lang(interaction)
        name = interaction.command.qualified_name if interaction.command else "?"
        if isinstance(error, app_commands.CheckFailure):
            log.info("refused /%s for user %s: %s", name, interaction.user.id, error)
            try:
                await send_ephemeral(interaction, text("not_moderator", lang))
            except discord.HTTPException as exc:
                log.warning("could not send the refusal for interaction %s: %s", interaction.id, exc)
            return
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        await apologise(interaction, cause, where=f"/{name}", lang=lang)


class LessonBot(commands.Bot):
    """lessonbot on Discord. Everything it sends uses AllowedMentions.none()."""

    def __init__(
        self,
        *,
        config: Config,
        brain: Brain,
        store: Store,
        clock: Clock | None = None,
        guild_ready_timeout: float = 2.0,
    ) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        intents.guild_messages = True
        intents.message_content = config.discord.message_content
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            allowed_mentions=NO_MENTIONS,
            tree_cls=LessonTree,
            guild_ready_timeout=guild_ready_timeout,
        )
        self.config = config
        self.brain = brain
        self.store = store
        self.clock: Clock = clock or SystemClock()
        self._endpoints = _Endpoints(config.discord.api_base, config.discord.gateway_url)
        self._connected = False
        self._heartbeat_task: asyncio.Task[None] | None = None

    # --- lifecycle -----------------------------------------------------------------------------

    async def login(self, token: str) -> None:
        """Point discord.py at the configured endpoints, then log in."""
        self._endpoints.apply()
        await super().login(token)

    async def setup_hook(self) -> None:
        """Set the translator, load the cogs and sync the slash commands."""
        await self.tree.set_translator(LessonTranslator())
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Sync to `discord.guild_ids` (instant) if configured, else globally."""
        guild_ids = self.config.discord.guild_ids
        if not guild_ids:
            synced = await self.tree.sync()
            log.info("synced %d global command(s)", len(synced))
            return
        for guild_id in guild_ids:
            guild = discord.Object(guild_id)
            self.tree.copy_global_to(guild=guild)
            try:
                synced = await self.tree.sync(guild=guild)
            except discord.HTTPException as exc:
                log.error("could not sync commands to guild %s: %s", guild_id, exc)
            else:
                log.info("synced %d command(s) to guild %s", len(synced), guild_id)

    async def close(self) -> None:
        """Stop the heartbeat, forget it, close the gateway, and restore discord.py's endpoints."""
        try:
            task, self._heartbeat_task = self._heartbeat_task, None
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            self._connected = False
            await self._forget_heartbeat()
            await super().close()
        finally:
            self._endpoints.restore()

    async def on_message(self, message: discord.Message, /) -> None:
        """Do not run prefix commands: plain messages are handled by the Q&A cog's listener."""
        return

    # --- heartbeat -----------------------------------------------------------------------------

    async def on_ready(self) -> None:
        """Record the connection and start the heartbeat."""
        self._connected = True
        log.info(
            "connected as %s (%s) to %d guild(s)",
            self.user,
            self.user.id if self.user else "?",
            len(self.guilds),
        )
        await self._beat()
        if self._heartbeat_task is None:
            self._heartbeat_task = asyncio.create_task(self._heartbeat_loop(), name="lessonbot-heartbeat")

    async def on_resumed(self) -> None:
        """The gateway session resumed: beat at once."""
        self._connected = True
        await self._beat()

    async def on_disconnect(self) -> None:
        """Stop beating until the gateway is back."""
        self._connected = False

    async def _heartbeat_loop(self) -> None:
        while not self.is_closed():
            await asyncio.sleep(HEARTBEAT_SECONDS)
            if self._connected and not self.is_closed():
                await self._beat()

    async def _beat(self) -> None:
        try:
            await self.store.beat(self.clock.now())
        except Exception as exc:  # the heartbeat must never take the bot down
            log.warning("could not write the heartbeat: %s", exc)

    async def _forget_heartbeat(self) -> None:
        try:
            await self.store.clear_heartbeat()
        except Exception as exc:
            log.warning("could not clear the heartbeat: %s", exc)

    # --- shared helpers for the cogs -----------------------------------------------------------

    async def reload_brain(self) -> Brain:
        """Load and index the lesson files again and swap them in; if they are invalid, KnowledgeError
        propagates and the current brain stays in service."""
        path = self.brain.path
        fresh = await asyncio.to_thread(Brain.load, path, settings=self.config.matching, previous=self.brain)
        fresh.check_config(self.config)  # a scheduled or channel lesson must not disappear
        self.brain = fresh
        return fresh
