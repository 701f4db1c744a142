"""Moderator tools: /reload (swap in new lesson files only if they validate) and /unanswered."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.knowledge import KnowledgeError

from .client import LessonBot, moderator_check
from .i18n import interaction_lang, text
from .ui import CONTENT_MAX, NO_MENTIONS, clip, escape_user_text, notice_embed

log = logging.getLogger(__name__)

UNANSWERED_LIMIT = 10


class AdminCog(commands.Cog, name="Admin"):
    """Moderator commands."""

    def __init__(self, bot: LessonBot) -> None:
        self.bot = bot

    @app_commands.command(name=locale_str("reload"), description=locale_str("Reload the lesson files (moderators)"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    @app_commands.check(moderator_check)
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
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    @app_commands.check(moderator_check)
    async def unanswered(self, interaction: discord.Interaction) -> None:
        """List the most frequent unanswered questions with their counts, privately."""
        lang = interaction_lang(interaction)
        rows = await self.bot.store.top_unanswered(UNANSWERED_LIMIT)
        if not rows:
            description = text("unanswered_none", lang)
        else:
            description = "\n".join(
                f"{number}. {escape_user_text(clip(' '.join(row.question.split()), 300))} — "
                f"{text('times', lang, n=row.count)}"
                for number, row in enumerate(rows, start=1)
            )
        await interaction.response.send_message(
            embed=notice_embed(text("unanswered_title", lang), description),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )


async def setup(bot: commands.Bot) -> None:
    """Add the admin cog (extension entry point)."""
    if not isinstance(bot, LessonBot):
        raise TypeError("the admin cog needs a LessonBot")
    await bot.add_cog(AdminCog(bot))
