"""/recap for moderators, and the daily recap: once per local day per channel, late within the grace
window after downtime, never twice (the last-posted day per channel lives in SQLite)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.curriculum import find_lesson, lessons_in_focus
from bot.knowledge import Lang, Lesson
from bot.recap import RecapDecision, format_recap, next_run, recap_due
from bot.scope import Scope

from .client import LessonBot, channel_ids, moderator_check
from .i18n import interaction_lang, text, typed_lang
from .ui import NO_MENTIONS, clip, known_lessons, lesson_choices, recap_embed, send_ephemeral

log = logging.getLogger(__name__)

# The scheduler wakes at least this often, so a changed system clock (or a test's clock) is noticed.
MAX_SLEEP_SECONDS = 300.0
MIN_SLEEP_SECONDS = 0.5


@dataclass(frozen=True)
class RecapCheck:
    """What one scheduler pass decided for one channel, and whether the post went out."""

    channel_id: int
    decision: RecapDecision
    posted: bool


class RecapCog(commands.Cog, name="Recap"):
    """The recap command and the daily schedule."""

    def __init__(self, bot: LessonBot) -> None:
        self.bot = bot
        self._task: asyncio.Task[None] | None = None

    async def cog_load(self) -> None:
        """Start the daily scheduler if any recap channel is configured."""
        if self.bot.config.recap.channels:
            self._task = asyncio.create_task(self._scheduler(), name="lessonbot-recap-scheduler")

    async def cog_unload(self) -> None:
        """Stop the scheduler."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # --- /recap --------------------------------------------------------------------------------

    @app_commands.command(
        name=locale_str("recap"),
        description=locale_str("Post the lesson's key-points recap in this channel (moderators)"),
    )
    @app_commands.rename(lesson=locale_str("lesson"))
    @app_commands.describe(lesson=locale_str("Which lesson (default: the lesson of the day)"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    @app_commands.check(moderator_check)
    async def recap(self, interaction: discord.Interaction, lesson: str | None = None) -> None:
        """Post the recap embed in the channel (moderators only)."""
        lang = interaction_lang(interaction)
        brain = self.bot.brain
        chosen: Lesson | None
        if lesson:
            # An autocomplete pick is the lesson id; a typed day number or exact title works too.
            chosen = find_lesson(brain.knowledge, lesson)
            if chosen is None:
                known = known_lessons(brain.knowledge.lessons)
                await send_ephemeral(interaction, text("no_lesson", lang, lesson=clip(lesson, 100), known=known))
                return
        else:
            # The channel's lesson where it is scoped to one, else the lesson of the day.
            chosen = self._default_lesson(interaction)
            if chosen is None:
                await send_ephemeral(interaction, text("no_current_lesson", lang))
                return
        await interaction.response.send_message(
            embed=recap_embed(format_recap(chosen, lang)), allowed_mentions=NO_MENTIONS
        )
        log.info(
            "recap of %s posted by moderator %s in channel %s",
            chosen.id,
            interaction.user.id,
            interaction.channel_id,
        )

    @recap.autocomplete("lesson")
    async def recap_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer the loaded lessons by "day. title" in the user's language (value: the lesson id):
        the default lesson first, then newest first; typing filters by title (either language),
        day or id."""
        default = self._default_lesson(interaction)
        ordered = lessons_in_focus(self.bot.brain.knowledge, _prefer(default))
        return lesson_choices(ordered, current, typed_lang(current, interaction.locale))

    def _default_lesson(self, interaction: discord.Interaction) -> Lesson | None:
        brain = self.bot.brain
        where = channel_ids(interaction.channel_id, interaction.channel)
        scope = brain.scope(self.bot.config, where, self.bot.clock.now())
        if scope.prefer is None:
            return None
        return find_lesson(brain.knowledge, scope.prefer)

    # --- the daily recap -----------------------------------------------------------------------

    async def _scheduler(self) -> None:
        await self.bot.wait_until_ready()
        settings = self.bot.config.recap
        while not self.bot.is_closed():
            now = self.bot.clock.now()
            try:
                await self.run_due(now)
            except Exception:  # one failed pass must not end the schedule
                log.exception("daily recap check failed")
            wait = (next_run(now, settings.at, settings.tz) - now).total_seconds()
            await self.bot.clock.sleep(min(max(wait, MIN_SLEEP_SECONDS), MAX_SLEEP_SECONDS))

    async def run_due(self, now: datetime) -> list[RecapCheck]:
        """Post the recap in every configured channel where it is due at `now`; return the decisions."""
        settings = self.bot.config.recap
        lang: Lang = "en" if settings.lang == "en" else "ko"
        checks: list[RecapCheck] = []
        for channel_id in settings.channels:
            last = await self.bot.store.last_recap(channel_id)
            decision = recap_due(now, at=settings.at, tz=settings.tz, grace=settings.grace, last_posted=last)
            posted = False
            lesson = self.bot.brain.lesson_of_day(self.bot.config, decision.day)
            if decision.post and lesson is None:
                # Before the curriculum's first date there is no lesson of the day: nothing to post.
                decision = RecapDecision(False, decision.day, "no lesson scheduled yet")
            if decision.post and lesson is not None:
                posted = await self._post(channel_id, lesson, lang)
                if posted:
                    await self.bot.store.mark_recap(channel_id, decision.day, now=now)
                    log.info(
                        "daily recap of %s for %s posted in channel %s (%s)",
                        lesson.id,
                        decision.day,
                        channel_id,
                        decision.reason,
                    )
            else:
                log.debug("daily recap for %s in channel %s: %s", decision.day, channel_id, decision.reason)
            checks.append(RecapCheck(channel_id, decision, posted))
        return checks

    async def _post(self, channel_id: int, lesson: Lesson, lang: Lang) -> bool:
        channel = self.bot.get_channel(channel_id)
        try:
            if channel is None:
                channel = await self.bot.fetch_channel(channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                log.warning("recap channel %s is not a text channel", channel_id)
                return False
            await channel.send(embed=recap_embed(format_recap(lesson, lang)), allowed_mentions=NO_MENTIONS)
        except discord.HTTPException as exc:
            log.warning("could not post the daily recap in channel %s: %s", channel_id, exc)
            return False
        return True


def _prefer(lesson: Lesson | None) -> Scope:
    return Scope(None, lesson.id if lesson is not None else None)


async def setup(bot: commands.Bot) -> None:
    """Add the recap cog (extension entry point)."""
    if not isinstance(bot, LessonBot):
        raise TypeError("the recap cog needs a LessonBot")
    await bot.add_cog(RecapCog(bot))
