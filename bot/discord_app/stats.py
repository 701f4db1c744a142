"""/stats for moderators: questions per day (answered / suggested / declined), the top unanswered
questions and 👍/👎 per entry over a chosen period and lesson, with a bar chart attached."""

from __future__ import annotations

import io
import logging
from datetime import timedelta

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.chart import Colour, stacked_bars
from bot.curriculum import find_lesson
from bot.knowledge import Lang
from bot.store import Stats

from .client import LessonBot, moderator_only, off_the_loop
from .i18n import interaction_lang, text
from .options import lesson_option_choices, refuse_unknown_lesson
from .ui import NO_MENTIONS, NOTICE_COLOUR, clip, escape_user_text, fit_embed

log = logging.getLogger(__name__)

# Bar colours, bottom to top, with the legend's emoji of the same colour.
OUTCOMES: tuple[tuple[str, Colour, str], ...] = (
    ("answered", (59, 165, 93), "🟩"),
    ("suggested", (250, 166, 26), "🟨"),
    ("declined", (237, 66, 69), "🟥"),
)
CHART_NAME = "stats.png"
TOP_VOTES = 10


def stats_embed(stats: Stats, lang: Lang, *, days: int, lesson_id: str | None) -> discord.Embed:
    """Return the report: totals with the chart's legend, then the top unanswered and the votes."""
    totals = {name: sum(getattr(day, name) for day in stats.days) for name, _, _ in OUTCOMES}
    scope = lesson_id or text("stats_all_lessons", lang)
    embed = discord.Embed(title=text("stats_title", lang, days=days, lesson=scope), colour=NOTICE_COLOUR)
    legend = " · ".join(f"{emoji} {text(f'stats_{name}', lang)} {totals[name]}" for name, _, emoji in OUTCOMES)
    embed.description = f"{text('stats_questions', lang, n=sum(totals.values()))}\n{legend}"
    if stats.top_unanswered:
        embed.add_field(
            name=text("unanswered_title", lang),
            value="\n".join(
                f"{n}. {escape_user_text(clip(' '.join(row.question.split()), 120))} — "
                f"{text('times', lang, n=row.count)}"
                for n, row in enumerate(stats.top_unanswered, start=1)
            ),
            inline=False,
        )
    if stats.votes:
        embed.add_field(
            name=text("stats_votes", lang),
            value="\n".join(f"`{v.qualified_id}` 👍 {v.helpful} · 👎 {v.unhelpful}" for v in stats.votes[:TOP_VOTES]),
            inline=False,
        )
    return fit_embed(embed)


def stats_chart(stats: Stats) -> bytes:
    """Return the PNG: one stacked bar per day with questions."""
    series = [[getattr(day, name) for name, _, _ in OUTCOMES] for day in stats.days]
    return stacked_bars(series, [colour for _, colour, _ in OUTCOMES])


class StatsCog(commands.Cog, name="Stats"):
    """The /stats command."""

    def __init__(self, bot: LessonBot) -> None:
        self.bot = bot

    @app_commands.command(
        name=locale_str("stats"), description=locale_str("Questions, answers and feedback over a period (moderators)")
    )
    @app_commands.rename(days=locale_str("days"), lesson=locale_str("lesson"))
    @app_commands.describe(
        days=locale_str("How many days back (default: 7)"),
        lesson=locale_str("Only questions asked about this lesson (default: all)"),
    )
    @moderator_only()
    async def stats(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 365] = 7, lesson: str | None = None
    ) -> None:
        """Report privately on the last `days` days, with a chart."""
        lang = interaction_lang(interaction)
        lesson_id: str | None = None
        if lesson:
            chosen = find_lesson(self.bot.brain.knowledge, lesson)
            if chosen is None:
                await refuse_unknown_lesson(self.bot, interaction, lesson, lang)
                return
            lesson_id = chosen.id
        await interaction.response.defer(ephemeral=True, thinking=True)
        now = self.bot.clock.now()
        tz = self.bot.config.recap.tz
        report = await self.bot.store.stats(since=now - timedelta(days=days), until=now, tz=tz, lesson_id=lesson_id)
        embed = stats_embed(report, lang, days=days, lesson_id=lesson_id)
        if not report.days:
            await interaction.edit_original_response(embed=embed, allowed_mentions=NO_MENTIONS)
            return
        png = await off_the_loop(lambda: stats_chart(report), name="lessonbot-chart")
        embed.set_image(url=f"attachment://{CHART_NAME}")
        await interaction.edit_original_response(
            embed=embed, attachments=[discord.File(io.BytesIO(png), filename=CHART_NAME)], allowed_mentions=NO_MENTIONS
        )

    @stats.autocomplete("lesson")
    async def stats_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer the loaded lessons, the current one first (see `lesson_option_choices`)."""
        return lesson_option_choices(self.bot, interaction, current)


async def setup(bot: commands.Bot) -> None:
    """Add the stats cog (extension entry point)."""
    if not isinstance(bot, LessonBot):
        raise TypeError("the stats cog needs a LessonBot")
    await bot.add_cog(StatsCog(bot))
