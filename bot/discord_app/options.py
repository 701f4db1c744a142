"""The `lesson` option shared by /recap, /unanswered and /stats: autocomplete, default and lookup."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.curriculum import find_lesson, lessons_in_focus
from bot.knowledge import Lang, Lesson
from bot.scope import Scope

from .client import LessonBot, channel_ids
from .i18n import text, typed_lang
from .ui import clip, escape_user_text, known_lessons, lesson_choices, send_ephemeral


def default_lesson(bot: LessonBot, interaction: discord.Interaction) -> Lesson | None:
    """Return the channel's lesson where it is scoped to one, else the lesson of the day."""
    brain = bot.brain
    scope = brain.scope(bot.config, channel_ids(interaction.channel_id, interaction.channel), bot.clock.now())
    return None if scope.prefer is None else find_lesson(brain.knowledge, scope.prefer)


def lesson_option_choices(
    bot: LessonBot, interaction: discord.Interaction, current: str
) -> list[app_commands.Choice[str]]:
    """Offer the loaded lessons by "day. title" in the user's language (value: the lesson id): the
    default lesson first, then newest first; typing filters by title (either language), day or id."""
    default = default_lesson(bot, interaction)
    ordered = lessons_in_focus(bot.brain.knowledge, Scope(None, default.id if default is not None else None))
    return lesson_choices(ordered, current, typed_lang(current, interaction.locale))


async def refuse_unknown_lesson(bot: LessonBot, interaction: discord.Interaction, typed: str, lang: Lang) -> None:
    """Say privately that no lesson is called `typed` (echoed escaped) and which are loaded."""
    known = known_lessons(bot.brain.knowledge.lessons)
    await send_ephemeral(interaction, text("no_lesson", lang, lesson=escape_user_text(clip(typed, 100)), known=known))
