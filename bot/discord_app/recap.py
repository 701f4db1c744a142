"""/recap for moderators, and the daily recap: once per local day per channel, late within the grace
window after downtime, never twice.

Exactly once: each (channel, day) is claimed with one conditional insert in SQLite *before*
sending, so two passes, a manual /recap in a recap channel or a crash after sending cannot make a
second post; the post carries a nonce derived from channel and day that Discord enforces, so a
5xx answer retried by discord.py does not post twice either. A second process on the same state
file refuses to start (the store's lock)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import date, datetime

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.curriculum import find_lesson
from bot.knowledge import Lang, Lesson
from bot.recap import RecapDecision, format_recap, next_run, recap_due

from .client import LessonBot, moderator_only
from .i18n import interaction_lang, text
from .options import default_lesson, lesson_option_choices, refuse_unknown_lesson
from .ui import NO_MENTIONS, recap_embed, send_ephemeral

log = logging.getLogger(__name__)

# The scheduler wakes at least this often, so a changed system clock (or a test's clock) is noticed.
MAX_SLEEP_SECONDS = 300.0
MIN_SLEEP_SECONDS = 0.5
NONCE_MAX = 25  # Discord's limit on a message nonce string


def recap_nonce(channel_id: int, day: date) -> str:
    """Return the nonce of the daily recap in `channel_id` on `day`: the same for every attempt."""
    return f"r{day:%y%m%d}{channel_id % 10**18:018d}"[:NONCE_MAX]


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
    @moderator_only()
    async def recap(self, interaction: discord.Interaction, lesson: str | None = None) -> None:
        """Post the recap embed in the channel (moderators only)."""
        lang = interaction_lang(interaction)
        brain = self.bot.brain
        chosen: Lesson | None
        if lesson:
            # An autocomplete pick is the lesson id; a typed day number or exact title works too.
            chosen = find_lesson(brain.knowledge, lesson)
            if chosen is None:
                await refuse_unknown_lesson(self.bot, interaction, lesson, lang)
                return
        else:
            # The channel's lesson where it is scoped to one, else the lesson of the day.
            chosen = default_lesson(self.bot, interaction)
            if chosen is None:
                await send_ephemeral(interaction, text("no_current_lesson", lang))
                return
        channel_id = interaction.channel_id
        if channel_id is not None and channel_id in self.bot.config.recap.channels:
            # In a recap channel a manual recap is that day's post: the schedule will not add another.
            now = self.bot.clock.now()
            await self.bot.store.claim_recap(
                channel_id, now.astimezone(self.bot.config.recap.tz).date(), lesson_id=chosen.id, now=now
            )
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
        """Offer the loaded lessons, the default one first (see `lesson_option_choices`)."""
        return lesson_option_choices(self.bot, interaction, current)

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
            if (
                decision.post
                and lesson is not None
                and not await self.bot.store.claim_recap(channel_id, decision.day, lesson_id=lesson.id, now=now)
            ):
                # Another pass, a manual /recap or another process claimed it since we read `last`.
                decision = RecapDecision(False, decision.day, "already posted today")
            if decision.post and lesson is not None:
                posted = await self._post(channel_id, lesson, lang, nonce=recap_nonce(channel_id, decision.day))
                if not posted:  # give the claim back: the next pass within the grace window retries
                    await self.bot.store.release_recap(channel_id, decision.day)
                else:
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

    async def _post(self, channel_id: int, lesson: Lesson, lang: Lang, *, nonce: str) -> bool:
        channel = self.bot.get_channel(channel_id)
        try:
            if channel is None:
                channel = await self.bot.fetch_channel(channel_id)
            if not isinstance(channel, discord.abc.Messageable):
                log.warning("recap channel %s is not a text channel", channel_id)
                return False
            # discord.py sends `enforce_nonce` with a nonce: a retried request returns the first message.
            await channel.send(embed=recap_embed(format_recap(lesson, lang)), allowed_mentions=NO_MENTIONS, nonce=nonce)
        except discord.HTTPException as exc:
            log.warning("could not post the daily recap in channel %s: %s", channel_id, exc)
            return False
        return True


async def setup(bot: commands.Bot) -> None:
    """Add the recap cog (extension entry point)."""
    if not isinstance(bot, LessonBot):
        raise TypeError("the recap cog needs a LessonBot")
    await bot.add_cog(RecapCog(bot))
