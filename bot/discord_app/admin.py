"""Moderator tools: /reload (swap in new lesson files only if they validate) and /unanswered."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.curriculum import find_lesson, lessons_in_focus
from bot.knowledge import KnowledgeError
from bot.scope import Scope

from .client import LessonBot, channel_ids, moderator_check
from .i18n import interaction_lang, text, typed_lang
from .ui import (
    CONTENT_MAX,
    NO_MENTIONS,
    clip,
    escape_user_text,
    known_lessons,
    lesson_choices,
    notice_embed,
    send_ephemeral,
)

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
    @app_commands.rename(lesson=locale_str("lesson"))
    @app_commands.describe(lesson=locale_str("Only questions asked about this lesson (default: all)"))
    @app_commands.guild_only()
    @app_commands.default_permissions(manage_messages=True)
    @app_commands.check(moderator_check)
    async def unanswered(self, interaction: discord.Interaction, lesson: str | None = None) -> None:
        """List the most frequent unanswered questions with their counts and lesson, privately."""
        lang = interaction_lang(interaction)
        lesson_id: str | None = None
        if lesson:
            chosen = find_lesson(self.bot.brain.knowledge, lesson)
            # A lesson no longer loaded may still have logged questions: its exact id is accepted.
            lesson_id = chosen.id if chosen is not None else lesson.strip()
            if chosen is None and not await self.bot.store.top_unanswered(1, lesson_id=lesson_id):
                known = known_lessons(self.bot.brain.knowledge.lessons)
                await send_ephemeral(interaction, text("no_lesson", lang, lesson=clip(lesson, 100), known=known))
                return
        rows = await self.bot.store.top_unanswered(UNANSWERED_LIMIT, lesson_id=lesson_id)
        if not rows:
            description = text("unanswered_none", lang)
        else:
            # The lesson each was asked about (qualified like the answers' ids), for which file to extend.
            description = "\n".join(
                f"{number}. {escape_user_text(clip(' '.join(row.question.split()), 300))} — "
                f"{text('times', lang, n=row.count)}{f' · {row.lesson_id}' if row.lesson_id else ''}"
                for number, row in enumerate(rows, start=1)
            )
        await interaction.response.send_message(
            embed=notice_embed(text("unanswered_title", lang), description),
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    @unanswered.autocomplete("lesson")
    async def unanswered_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer the loaded lessons ("day. title", value the id): the current lesson first, then newest first."""
        brain = self.bot.brain
        scope = brain.scope(
            self.bot.config, channel_ids(interaction.channel_id, interaction.channel), self.bot.clock.now()
        )
        ordered = lessons_in_focus(brain.knowledge, Scope(None, scope.prefer))
        return lesson_choices(ordered, current, typed_lang(current, interaction.locale))


async def setup(bot: commands.Bot) -> None:
    """Add the admin cog (extension entry point)."""
    if not isinstance(bot, LessonBot):
        raise TypeError("the admin cog needs a LessonBot")
    await bot.add_cog(AdminCog(bot))
