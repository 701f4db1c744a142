"""Moderator tools: /reload (swap in new lesson files only if they validate) and /unanswered (with a
menu to teach or dismiss what the bot missed)."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.curriculum import find_lesson
from bot.knowledge import KnowledgeError

from .client import LessonBot, moderator_only
from .i18n import interaction_lang, text
from .options import lesson_option_choices, refuse_unknown_lesson
from .teach import PickQuestion
from .ui import CONTENT_MAX, NO_MENTIONS, clip, escape_user_text, notice_embed

log = logging.getLogger(__name__)

UNANSWERED_LIMIT = 10


class AdminCog(commands.Cog, name="Admin"):
    """Moderator commands."""

    def __init__(self, bot: LessonBot) -> None:
        self.bot = bot

    @app_commands.command(name=locale_str("reload"), description=locale_str("Reload the lesson files (moderators)"))
    @moderator_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        """Reload the knowledge; on errors keep serving the old one and list the file:line problems."""
        lang = interaction_lang(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            brain = await self.bot.reload_brain()
        except KnowledgeError as exc:
            problems = "\n".join(str(problem) for problem in exc.problems)
            log.warning("reload by %s rejected; keeping the current knowledge:\n%s", interaction.user.id, problems)
            head = text("reload_failed", lang)
            body = clip(problems.replace("```", "`\u200b``"), CONTENT_MAX - len(head) - 10)
            await interaction.edit_original_response(content=f"{head}\n```\n{body}\n```", allowed_mentions=NO_MENTIONS)
            return
        lessons, entries = len(brain.knowledge.lessons), brain.entry_count()
        log.info("knowledge reloaded by %s: %d lesson(s), %d entries", interaction.user.id, lessons, entries)
        await interaction.edit_original_response(
            content=text("reloaded", lang, lessons=lessons, entries=entries), allowed_mentions=NO_MENTIONS
        )

    @app_commands.command(
        name=locale_str("unanswered"),
        description=locale_str("The most frequent questions the bot could not answer (moderators)"),
    )
    @app_commands.rename(lesson=locale_str("lesson"))
    @app_commands.describe(lesson=locale_str("Only questions asked about this lesson (default: all)"))
    @moderator_only()
    async def unanswered(self, interaction: discord.Interaction, lesson: str | None = None) -> None:
        """List the most frequent unanswered questions with their counts and lesson, privately, with a
        menu to teach one to an entry (or dismiss it)."""
        lang = interaction_lang(interaction)
        lesson_id: str | None = None
        if lesson:
            chosen = find_lesson(self.bot.brain.knowledge, lesson)
            # A lesson no longer loaded may still have logged questions: its exact id is accepted.
            lesson_id = chosen.id if chosen is not None else lesson.strip()
            if chosen is None and not await self.bot.store.top_unanswered(1, lesson_id=lesson_id):
                await refuse_unknown_lesson(self.bot, interaction, lesson, lang)
                return
        # Grouping a long log takes a moment: acknowledge first (Discord allows 3 s), then look.
        await interaction.response.defer(ephemeral=True, thinking=True)
        rows = await self.bot.store.top_unanswered(UNANSWERED_LIMIT, lesson_id=lesson_id)
        view = discord.utils.MISSING
        if not rows:
            description = text("unanswered_none", lang)
        else:
            # The lesson each was asked about (qualified like the answers' ids), for which file to extend.
            description = "\n".join(
                f"{number}. {escape_user_text(clip(' '.join(row.question.split()), 300))} — "
                f"{text('times', lang, n=row.count)}{f' · {row.lesson_id}' if row.lesson_id else ''}"
                for number, row in enumerate(rows, start=1)
            )
            view = discord.ui.View(timeout=None)
            view.add_item(PickQuestion(lang, rows))
        await interaction.edit_original_response(
            embed=notice_embed(text("unanswered_title", lang), description), view=view, allowed_mentions=NO_MENTIONS
        )

    @unanswered.autocomplete("lesson")
    async def unanswered_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer the loaded lessons, the current one first (see `lesson_option_choices`)."""
        return lesson_option_choices(self.bot, interaction, current)


async def setup(bot: commands.Bot) -> None:
    """Add the admin cog (extension entry point)."""
    if not isinstance(bot, LessonBot):
        raise TypeError("the admin cog needs a LessonBot")
    await bot.add_cog(AdminCog(bot))
