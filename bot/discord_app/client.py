"""The bot: holds the knowledge, matcher, store and clock; loads the cogs; syncs the slash commands."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Protocol, TypeVar

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
from bot.learned import with_learned
from bot.matching import Candidate, Matcher, MatcherTuning
from bot.scope import Scope
from bot.store import Learned, Store

from .i18n import LessonTranslator, interaction_lang, text
from .ui import NO_MENTIONS, apologise, send_ephemeral

log = logging.getLogger(__name__)

# load_extension executes each module afresh and replaces it in sys.modules. The teach components
# are also used by qa (👎) and admin (/unanswered), so teach loads first: both then import the very
# module whose cog is registered, and a click finds that cog.
EXTENSIONS = (
    "bot.discord_app.teach",
    "bot.discord_app.qa",
    "bot.discord_app.recap",
    "bot.discord_app.admin",
    "bot.discord_app.stats",
)
HEARTBEAT_SECONDS = 30.0
PURGE_EVERY = timedelta(days=1)
T = TypeVar("T")


def without_collector_pauses(work: Callable[[], T]) -> T:
    """Run an index build with the cyclic garbage collector paused, then freeze what it built.

    A build allocates millions of objects: at 300 lessons the collector's full passes over them
    held the GIL ~0.5 s each (measured), and every /ask waited. Measured too: a build leaves no
    cyclic garbage and a dropped Brain no cycles, so nothing is lost by this. Freezing moves the
    new objects out of the collector's sight instead of making one more full pass; a replaced brain
    is still freed by reference counting.
    """
    gc.disable()
    try:
        return work()
    finally:
        gc.freeze()
        gc.enable()


async def off_the_loop(work: Callable[[], T], *, name: str) -> T:
    """Run CPU-bound `work` (indexing lessons) on a daemon thread and await its result.

    Not `asyncio.to_thread`: `asyncio.run` joins the default executor on the way out, so SIGTERM
    during a 300-lesson /reload waited minutes for it. A daemon thread is abandoned at exit, and
    its result is dropped if the loop is gone by then.
    """
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()

    def settle(outcome: Callable[[], None]) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody waits any more
            loop.call_soon_threadsafe(outcome)

    def deliver(value: T) -> None:
        if not future.done():
            future.set_result(value)

    def fail(error: BaseException) -> None:
        if not future.done():
            future.set_exception(error)

    def run() -> None:
        try:
            value = work()
        except BaseException as error:  # handed to the awaiting coroutine
            caught = error
            settle(lambda: fail(caught))
        else:
            settle(lambda: deliver(value))

    threading.Thread(target=run, name=name, daemon=True).start()
    return await future


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
    # The lesson files as read, before taught phrasings were added (re-taught from this, not stacked).
    source: Knowledge
    _by_id: Mapping[str, Candidate] = field(default_factory=dict, repr=False, compare=False)
    _by_title: Mapping[str, tuple[Candidate, ...]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(
        cls,
        knowledge: Knowledge,
        *,
        path: Path,
        settings: MatcherTuning | None = None,
        source: Knowledge | None = None,
        previous: Brain | None = None,
    ) -> Brain:
        """Index `knowledge` (CPU work: call it off the event loop for large lessons); `source` is the
        knowledge as loaded, before taught phrasings; `previous` is the brain a reload replaces, whose
        index shares what is unchanged."""
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
        return cls(knowledge, matcher, path, source or knowledge, by_id, titles)

    @classmethod
    def load(
        cls,
        path: Path,
        *,
        settings: MatcherTuning | None = None,
        learned: Sequence[Learned] = (),
        previous: Brain | None = None,
    ) -> Brain:
        """Read, validate and index the lesson files at `path` with the phrasings moderators taught;
        raise KnowledgeError if invalid. `previous`: the brain a reload replaces; unchanged files give
        its very lessons (no second copy)."""
        held = None if previous is None else previous.source
        loaded = load_knowledge(path, cache=lesson_cache(os.environ), previous=held)
        return cls.build(with_learned(loaded, learned), path=path, settings=settings, source=loaded, previous=previous)

    def relearned(self, learned: Sequence[Learned], *, settings: MatcherTuning | None = None) -> Brain:
        """Return this knowledge re-indexed with `learned` phrasings (CPU work: off the loop)."""
        return Brain.build(
            with_learned(self.source, learned), path=self.path, settings=settings, source=self.source, previous=self
        )

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


def moderator_only() -> Callable[[T], T]:
    """Mark a command for moderators: guild only, hidden by default from members without Manage
    Messages (unless moderator roles are configured: see `LessonBot.sync_commands`), and checked."""

    def decorate(command: T) -> T:
        command = app_commands.guild_only()(command)
        command = app_commands.default_permissions(manage_messages=True)(command)
        return app_commands.check(moderator_check)(command)

    return decorate


def is_moderator_command(command: object) -> bool:
    """Return whether a command was declared with `moderator_only`."""
    return isinstance(command, app_commands.Command | app_commands.Group) and moderator_check in getattr(
        command, "checks", ()
    )


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
        if isinstance(error, app_commands.CheckFailure) and not interaction.client.is_closed():
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
        # A text-only bot: discord.py's two "voice will NOT be supported" warnings are noise at every
        # start. They are class flags it clears itself after warning once; clear them first.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
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
        self._last_purge: datetime | None = None
        self._learning = asyncio.Lock()

    # --- lifecycle -----------------------------------------------------------------------------

    async def login(self, token: str) -> None:
        """Point discord.py at the configured endpoints, then log in."""
        self._endpoints.apply()
        await super().login(token)

    async def setup_hook(self) -> None:
        """Set the translator, load the cogs, sync the slash commands, and say what the config
        cannot do."""
        if self.config.answer_channels and not self.config.discord.message_content:
            log.warning(
                "answer_channels are set but discord.message_content is false: the bot cannot read plain "
                "messages there and answers only @mentions and slash commands (enable the intent to fix)"
            )
        await self.tree.set_translator(LessonTranslator())
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        if self.config.moderator_role_ids:
            # Discord hides a command whose default permissions a member lacks, whatever role they
            # have, and a bot cannot grant commands to roles. So with moderator roles configured the
            # moderator commands are listed for everyone; the check still refuses non-moderators.
            for command in self.tree.get_commands():
                if is_moderator_command(command):
                    command.default_permissions = None
        await self.sync_commands()

    async def sync_commands(self) -> None:
        """Sync to `discord.guild_ids` (instant) if configured, else globally.

        With guild ids, the global list is emptied: commands left there by an earlier global sync
        would show every command twice in the picker.
        """
        guild_ids = self.config.discord.guild_ids
        if not guild_ids:
            synced = await self.tree.sync()
            log.info("synced %d global command(s)", len(synced))
            return
        for guild_id in guild_ids:
            self.tree.copy_global_to(guild=discord.Object(guild_id))
        self.tree.clear_commands(guild=None)
        try:
            await self.tree.sync()
        except discord.HTTPException as exc:
            log.warning("could not clear the global commands: %s", exc)
        for guild_id in guild_ids:
            try:
                synced = await self.tree.sync(guild=discord.Object(guild_id))
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
            await self.clock.sleep(HEARTBEAT_SECONDS)
            if self._connected and not self.is_closed():
                await self._beat()

    async def _beat(self) -> None:
        now = self.clock.now()
        try:
            await self.store.beat(now)
        except Exception as exc:  # the heartbeat must never take the bot down
            log.warning("could not write the heartbeat: %s", exc)
        if self._last_purge is None or now - self._last_purge >= PURGE_EVERY:
            self._last_purge = now
            await self._purge(now)

    async def _purge(self, now: datetime) -> None:
        """Delete what is older than `storage.retention_days` (questions and who asked them)."""
        try:
            deleted = await self.store.purge(now - timedelta(days=self.config.retention_days))
        except Exception as exc:
            log.warning("could not purge old questions: %s", exc)
            return
        if deleted:
            log.info("purged %d row(s) older than %d days", deleted, self.config.retention_days)

    async def _forget_heartbeat(self) -> None:
        try:
            await self.store.clear_heartbeat()
        except Exception as exc:
            log.warning("could not clear the heartbeat: %s", exc)

    # --- shared helpers for the cogs -----------------------------------------------------------

    async def reload_brain(self) -> Brain:
        """Load and index the lesson files again and swap them in; if they are invalid, KnowledgeError
        propagates and the current brain stays in service."""
        async with self._learning:  # a phrasing taught meanwhile is not lost by the swap
            current = self.brain
            path, learned = current.path, await self.store.learned()
            fresh = await off_the_loop(
                lambda: without_collector_pauses(
                    lambda: Brain.load(path, settings=self.config.matching, learned=learned, previous=current)
                ),
                name="lessonbot-reload",
            )
            fresh.check_config(self.config)  # a scheduled or channel lesson must not disappear
            self.brain = fresh
            return fresh

    async def relearn(self) -> Brain:
        """Re-index the current lessons with every taught phrasing and swap them in: what a moderator
        teaches is matched at once, without a restart."""
        async with self._learning:
            current, learned = self.brain, await self.store.learned()
            fresh = await off_the_loop(
                lambda: without_collector_pauses(lambda: current.relearned(learned, settings=self.config.matching)),
                name="lessonbot-learn",
            )
            self.brain = fresh
            return fresh
