"""Embeds and replies within Discord's limits; escaping of echoed user text; the error apology."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.knowledge import Lang, Lesson, Table
from bot.normalize import compact
from bot.recap import RecapText
from bot.render import RenderedAnswer, ui_text

from .i18n import text

log = logging.getLogger(__name__)

# Discord's documented limits.
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
EMBEDS_MAX = 10
CONTENT_MAX = 2000
CHOICES_MAX = 25
CHOICE_MAX = 100
BUTTON_LABEL_MAX = 80
CUSTOM_ID_MAX = 100
SELECT_OPTIONS_MAX = 25
SELECT_OPTION_MAX = 100
BUTTONS_PER_ROW = 5

ANSWER_COLOUR = discord.Colour(0x2B7BB9)
RECAP_COLOUR = discord.Colour(0x3BA55D)
NOTICE_COLOUR = discord.Colour(0x99AAB5)
NO_MENTIONS = discord.AllowedMentions.none()

CogT = TypeVar("CogT", bound=commands.Cog)


class Guarded:
    """Mixin for the persistent components: run `handle`; on any error, log it and apologise privately."""

    lang: Lang

    async def handle(self, interaction: discord.Interaction) -> None:
        """Do what the component is for (each component says what)."""
        raise NotImplementedError

    async def callback(self, interaction: discord.Interaction) -> None:
        """Handle a click or pick; an error becomes a logged traceback and a private apology."""
        try:
            await self.handle(interaction)
        except Exception as exc:
            where = f"component {getattr(self, 'custom_id', type(self).__name__)}"
            await apologise(interaction, exc, where=where, lang=self.lang)


def loaded_cog(interaction: discord.Interaction, cog_type: type[CogT], what: str) -> CogT:
    """Return the `cog_type` cog that handles a persistent component; a click can arrive after the
    cog was unloaded, which is an error (`Guarded` logs it and apologises), not a silent no-op."""
    client = interaction.client
    cog = client.get_cog(cog_type.__cog_name__) if isinstance(client, commands.Bot) else None
    if not isinstance(cog, cog_type):
        raise RuntimeError(f"the {what} cog is not loaded")
    return cog


def clip(value: str, limit: int) -> str:
    """Return `value` cut to at most `limit` characters, marking a cut with an ellipsis."""
    if len(value) <= limit:
        return value
    return value[: max(limit - 1, 0)].rstrip() + "…"


def escape_user_text(value: str) -> str:
    """Return user-typed text safe to echo: no markdown effects, no mentions that render or ping."""
    return discord.utils.escape_mentions(discord.utils.escape_markdown(value))


def quote_user_text(value: str, limit: int = 300) -> str:
    """Return user text as an escaped one-line quote (for "you asked: …")."""
    flat = " ".join(value.split())
    return "> " + escape_user_text(clip(flat, limit))


def fit_embed(embed: discord.Embed) -> discord.Embed:
    """Shorten an embed's description (then its fields) until it respects every Discord limit."""
    if embed.title is not None:
        embed.title = clip(embed.title, TITLE_MAX)
    if embed.description is not None:
        embed.description = clip(embed.description, DESCRIPTION_MAX)
    if embed.footer.text is not None:
        embed.set_footer(text=clip(embed.footer.text, FOOTER_MAX))
    fields = [(f.name or "", f.value or "", f.inline) for f in embed.fields][:FIELDS_MAX]
    embed.clear_fields()
    for name, value, inline in fields:
        embed.add_field(
            name=clip(name, FIELD_NAME_MAX) or "\u200b",
            value=clip(value, FIELD_VALUE_MAX) or "\u200b",
            inline=bool(inline),
        )
    excess = len(embed) - EMBED_TOTAL_MAX
    if excess > 0 and embed.description:
        embed.description = clip(embed.description, max(len(embed.description) - excess, 1))
    while len(embed) > EMBED_TOTAL_MAX and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    return embed


def answer_embed(answer: RenderedAnswer) -> discord.Embed:
    """Return the embed of an answer: title, body, the lesson section it comes from, and its id."""
    embed = discord.Embed(title=answer.title, description=answer.body, colour=ANSWER_COLOUR)
    embed.add_field(name=ui_text("source", answer.lang), value=answer.source, inline=False)
    embed.set_footer(text=f"{answer.lesson_title} · {answer.qualified_id}")
    return fit_embed(embed)


def notice_embed(title: str | None, description: str) -> discord.Embed:
    """Return a plain informational embed."""
    return fit_embed(discord.Embed(title=title, description=description, colour=NOTICE_COLOUR))


def recap_embed(recap: RecapText) -> discord.Embed:
    """Return the recap embed: title, date and the summary points."""
    bullets = "\n".join(f"• {point}" for point in recap.points)
    embed = discord.Embed(title=recap.title, description=bullets, colour=RECAP_COLOUR)
    embed.set_footer(text=f"{recap.date} · {recap.lesson_id}")
    return fit_embed(embed)


def table_embed(table: Table, lang: Lang, *, footer: str) -> discord.Embed:
    """Return a comparison table as an embed: one field per row, one line per column."""
    embed = discord.Embed(title=table.caption.get(lang), colour=ANSWER_COLOUR)
    columns = table.columns.get(lang)
    for row in table.rows[:FIELDS_MAX]:
        cells = "\n".join(f"**{column}**: {cell}" for column, cell in zip(columns, row.cells.get(lang), strict=True))
        embed.add_field(name=row.label.get(lang), value=cells, inline=False)
    embed.set_footer(text=footer)
    return fit_embed(embed)


def lesson_choices(lessons: Sequence[Lesson], typed: str, lang: Lang) -> list[app_commands.Choice[str]]:
    """Return autocomplete choices for a lesson option: "day. title" in `lang`, the value the lesson id.

    `lessons` come in the order to offer them; what is typed filters by title (either language),
    day number or id, ignoring case and spaces.
    """
    needle = compact(typed)
    choices: list[app_commands.Choice[str]] = []
    for lesson in lessons:
        keys = (lesson.id, str(lesson.day), *(compact(title) for title in lesson.title.texts()))
        if needle and not any(needle in key for key in keys):
            continue
        choices.append(
            app_commands.Choice(name=clip(f"{lesson.day}. {lesson.title.get(lang)}", CHOICE_MAX), value=lesson.id)
        )
        if len(choices) == CHOICES_MAX:
            break
    return choices


def known_lessons(lessons: Sequence[Lesson], limit: int = 10) -> str:
    """Return the newest lesson ids, for "no such lesson" (a long curriculum is not listed whole)."""
    newest = [lesson.id for lesson in reversed(lessons)]
    return ", ".join(newest[:limit]) + (f", … (+{len(newest) - limit})" if len(newest) > limit else "")


def bullet_list(lines: Sequence[str], limit: int = DESCRIPTION_MAX) -> str:
    """Return lines as bullets, stopping (with an ellipsis line) before `limit` characters."""
    out: list[str] = []
    size = 0
    for line in lines:
        item = f"• {line}"
        if size + len(item) + 1 > limit - 2:
            out.append("…")
            break
        out.append(item)
        size += len(item) + 1
    return "\n".join(out)


async def send_ephemeral(
    interaction: discord.Interaction,
    content: str | None = None,
    *,
    embed: discord.Embed | None = None,
) -> None:
    """Reply privately, whether or not the interaction was already acknowledged."""
    body = clip(content, CONTENT_MAX) if content is not None else None
    if interaction.response.is_done():
        if embed is None:
            await interaction.followup.send(body or "…", ephemeral=True, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.followup.send(body or "", embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)
    elif embed is None:
        await interaction.response.send_message(body, ephemeral=True, allowed_mentions=NO_MENTIONS)
    else:
        await interaction.response.send_message(body, embed=embed, ephemeral=True, allowed_mentions=NO_MENTIONS)


async def apologise(interaction: discord.Interaction, error: BaseException, *, where: str, lang: Lang) -> None:
    """Log `error` with its traceback and tell the user, privately, that something went wrong.

    While the bot shuts down, a handler still running finds the connection closed: that is one
    line, not a traceback, and nobody can be told.
    """
    if interaction.client.is_closed():
        log.info("dropped the reply to interaction %s in %s: the bot is shutting down", interaction.id, where)
        return
    log.error(
        "error in %s (interaction %s)",
        where,
        interaction.id,
        exc_info=(type(error), error, error.__traceback__),
    )
    try:
        await send_ephemeral(interaction, text("apology", lang))
    except discord.HTTPException as exc:
        log.warning("could not send the apology for interaction %s: %s", interaction.id, exc)
