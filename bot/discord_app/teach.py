"""Moderators teach the bot: a question it missed (from /unanswered, or a 👎 on an answer) becomes an
alternate phrasing of the entry it should have matched — stored per lesson with who and when,
matched at once (the lessons are re-indexed off the event loop, no restart), undoable, and exported
by `lessonbot learned export` for merging into the lesson files.

Component interactions skip the slash commands' checks, so every callback here checks the
moderator itself.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Self, cast

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.knowledge import Lang
from bot.scope import Scope
from bot.store import UnansweredCount

from .client import Brain, LessonBot, is_moderator, moderator_only
from .i18n import interaction_lang, text, typed_lang
from .ui import (
    CHOICE_MAX,
    CHOICES_MAX,
    NO_MENTIONS,
    SELECT_OPTION_MAX,
    SELECT_OPTIONS_MAX,
    Guarded,
    clip,
    loaded_cog,
    quote_user_text,
    send_ephemeral,
)

log = logging.getLogger(__name__)

# Where the question to teach comes from: a row of the unanswered log (u) or an answered question (a).
_SOURCE = r"(?P<source>[ua]\d{1,20})"


def _cog(interaction: discord.Interaction) -> TeachCog:
    return loaded_cog(interaction, TeachCog, "teach")


class PickQuestion(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]],
    template=r"lb:tq:(?P<lang>ko|en)",
):
    """Under /unanswered: pick a question to teach (values are unanswered-log row ids)."""

    def __init__(self, lang: Lang, rows: Sequence[UnansweredCount]) -> None:
        options = [
            discord.SelectOption(
                label=clip(" ".join(row.question.split()), SELECT_OPTION_MAX),
                value=f"u{row.newest_id}",
                description=clip(row.lesson_id or "-", SELECT_OPTION_MAX),
            )
            for row in rows[:SELECT_OPTIONS_MAX]
        ]
        super().__init__(
            discord.ui.Select(custom_id=f"lb:tq:{lang}", placeholder=text("teach_pick", lang), options=options)
        )
        self.lang: Lang = lang

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[discord.ui.View], match: re.Match[str], /
    ) -> Self:
        """Rebuild the menu from the message it is on."""
        found = cls(cast(Lang, match["lang"]), ())
        if isinstance(item, discord.ui.Select):
            found.item.options = item.options
        return found

    async def handle(self, interaction: discord.Interaction) -> None:
        """Offer the entries the chosen question could be taught to."""
        if self.item.values:
            await _cog(interaction).offer_entries(interaction, self.lang, self.item.values[0])


class PickEntry(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]],
    template=rf"lb:te:(?P<lang>ko|en):{_SOURCE}",
):
    """Pick the entry a question should have matched (values are qualified ids)."""

    def __init__(self, lang: Lang, source: str, options: Sequence[discord.SelectOption]) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"lb:te:{lang}:{source}", placeholder=text("teach_entry", lang), options=list(options)
            )
        )
        self.lang: Lang = lang
        self.source = source

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[discord.ui.View], match: re.Match[str], /
    ) -> Self:
        """Rebuild the menu from the message it is on."""
        options = item.options if isinstance(item, discord.ui.Select) else []
        return cls(cast(Lang, match["lang"]), match["source"], options)

    async def handle(self, interaction: discord.Interaction) -> None:
        """Teach the question to the chosen entry."""
        if self.item.values:
            await _cog(interaction).teach_from(interaction, self.lang, self.source, self.item.values[0])


class Dismiss(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"lb:td:(?P<lang>ko|en):{_SOURCE}",
):
    """Dismiss an unanswered question: nothing should answer it; it leaves the log."""

    def __init__(self, lang: Lang, source: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=text("teach_dismiss", lang),
                style=discord.ButtonStyle.secondary,
                custom_id=f"lb:td:{lang}:{source}",
            )
        )
        self.lang: Lang = lang
        self.source = source

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[discord.ui.View], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom_id."""
        return cls(cast(Lang, match["lang"]), match["source"])

    async def handle(self, interaction: discord.Interaction) -> None:
        """Drop the question from the unanswered log."""
        await _cog(interaction).dismiss(interaction, self.lang, self.source)


class Undo(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=r"lb:tu:(?P<lang>ko|en):(?P<learned>\d{1,20})",
):
    """Undo a taught phrasing."""

    def __init__(self, lang: Lang, learned_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=text("teach_undo", lang), style=discord.ButtonStyle.danger, custom_id=f"lb:tu:{lang}:{learned_id}"
            )
        )
        self.lang: Lang = lang
        self.learned_id = learned_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[discord.ui.View], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom_id."""
        return cls(cast(Lang, match["lang"]), int(match["learned"]))

    async def handle(self, interaction: discord.Interaction) -> None:
        """Forget the phrasing and re-index."""
        await _cog(interaction).undo(interaction, self.lang, self.learned_id)


def entry_options(brain: Brain, question: str, lang: Lang, lesson_id: str | None) -> list[discord.SelectOption]:
    """Return up to 25 entries to teach `question` to: the matcher's nearest first, then the rest of
    its lesson (or of the newest lesson)."""
    scope = Scope() if lesson_id is None else Scope(frozenset({lesson_id}), lesson_id)
    ranked = [c.qualified_id for c in brain.matcher.autocomplete(question, lang=lang, limit=25, scope=scope)]
    lesson = next((one for one in brain.knowledge.lessons if one.id == lesson_id), brain.latest_lesson())
    ranked += [f"{lesson.id}/{entry.id}" for entry in lesson.entries]
    options: list[discord.SelectOption] = []
    for qualified_id in dict.fromkeys(ranked):
        candidate = brain.entry(qualified_id)
        if candidate is None or len(qualified_id) > SELECT_OPTION_MAX:
            continue
        options.append(
            discord.SelectOption(
                label=clip(candidate.title.get(lang), SELECT_OPTION_MAX), value=qualified_id, description=qualified_id
            )
        )
        if len(options) == SELECT_OPTIONS_MAX:
            break
    return options


def teach_view(brain: Brain, lang: Lang, source: str, question: str, lesson_id: str | None) -> discord.ui.View:
    """Return the entry menu (and, for a logged question, Dismiss) for teaching `question`."""
    view = discord.ui.View(timeout=None)
    options = entry_options(brain, question, lang, lesson_id)
    if options:
        view.add_item(PickEntry(lang, source, options))
    if source.startswith("u"):
        view.add_item(Dismiss(lang, source))
    return view


class TeachCog(commands.Cog, name="Teach"):
    """/teach and the components that teach from /unanswered and from 👎."""

    def __init__(self, bot: LessonBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        """Listen for the teach components (also those sent before a restart)."""
        self.bot.add_dynamic_items(PickQuestion, PickEntry, Dismiss, Undo)

    async def cog_unload(self) -> None:
        """Stop listening for the teach components."""
        self.bot.remove_dynamic_items(PickQuestion, PickEntry, Dismiss, Undo)

    # --- /teach ----------------------------------------------------------------------------------

    @app_commands.command(
        name=locale_str("teach"),
        description=locale_str("Teach the bot: a question should have matched an entry (moderators)"),
    )
    @app_commands.rename(question=locale_str("question"), entry=locale_str("entry"))
    @app_commands.describe(
        question=locale_str("The question as people ask it"),
        entry=locale_str("The entry that answers it (lesson/entry)"),
    )
    @moderator_only()
    async def teach(
        self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 500], entry: str
    ) -> None:
        """Teach `question` to `entry` directly (autocomplete offers unanswered questions and entries)."""
        lang = interaction_lang(interaction)
        if self.bot.brain.entry(entry.strip()) is None:
            await send_ephemeral(interaction, text("teach_no_entry", lang, entry=clip(entry, 100)))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._teach(interaction, lang, question, entry.strip())

    @teach.autocomplete("question")
    async def teach_question_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer the most frequent unanswered questions containing what is typed."""
        needle = current.casefold().strip()
        rows = await self.bot.store.top_unanswered(100)
        questions = dict.fromkeys(" ".join(row.question.split()) for row in rows)
        found = [q for q in questions if needle in q.casefold() and len(q) <= CHOICE_MAX]
        return [app_commands.Choice(name=q, value=q) for q in found[:CHOICES_MAX]]

    @teach.autocomplete("entry")
    async def teach_entry_autocomplete(
        self, interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        """Offer qualified entry ids (with titles) matching what is typed, newest lesson first."""
        needle = current.casefold().strip()
        lang = interaction_lang(interaction)
        choices: list[app_commands.Choice[str]] = []
        for lesson in reversed(self.bot.brain.knowledge.lessons):
            for entry in lesson.entries:
                qualified_id = f"{lesson.id}/{entry.id}"
                title = entry.title.get(lang)
                if needle and needle not in qualified_id and needle not in title.casefold():
                    continue
                if len(qualified_id) <= CHOICE_MAX:
                    choices.append(
                        app_commands.Choice(name=clip(f"{qualified_id} — {title}", CHOICE_MAX), value=qualified_id)
                    )
                if len(choices) == CHOICES_MAX:
                    return choices
        return choices

    # --- component flows ---------------------------------------------------------------------

    async def _moderator(self, interaction: discord.Interaction, lang: Lang) -> bool:
        if is_moderator(interaction, self.bot.config.moderator_role_ids):
            return True
        await send_ephemeral(interaction, text("not_moderator", lang))
        return False

    async def _question(self, source: str) -> tuple[str, str | None, str] | None:
        """Return (question, lesson id, grouping key) behind a component's source, if still kept."""
        if source.startswith("u"):
            row = await self.bot.store.unanswered_row(int(source[1:]))
            return None if row is None else (row.question, row.lesson_id, row.key)
        asked = await self.bot.store.asked_question(int(source[1:]))
        return None if asked is None else (asked[0], asked[1], "")

    async def offer_entries(self, interaction: discord.Interaction, lang: Lang, source: str) -> None:
        """Reply privately with the entries `source`'s question can be taught to (and Dismiss)."""
        if not await self._moderator(interaction, lang):
            return
        found = await self._question(source)
        if found is None:
            await send_ephemeral(interaction, text("teach_gone", lang))
            return
        question, lesson_id, _ = found
        view = teach_view(self.bot.brain, lang, source, question, lesson_id)
        await interaction.response.send_message(
            f"{text('teach_which', lang)}\n{quote_user_text(question)}",
            view=view,
            ephemeral=True,
            allowed_mentions=NO_MENTIONS,
        )

    async def teach_from(self, interaction: discord.Interaction, lang: Lang, source: str, qualified_id: str) -> None:
        """Teach the question behind `source` to `qualified_id` (a menu pick)."""
        if not await self._moderator(interaction, lang):
            return
        found = await self._question(source)
        if found is None or self.bot.brain.entry(qualified_id) is None:
            await send_ephemeral(interaction, text("teach_gone", lang))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        await self._teach(interaction, lang, found[0], qualified_id)

    async def _teach(self, interaction: discord.Interaction, lang: Lang, question: str, qualified_id: str) -> None:
        lesson_id, _, entry_id = qualified_id.partition("/")
        learned = await self.bot.store.learn(
            question,
            lesson_id=lesson_id,
            entry_id=entry_id,
            lang=typed_lang(question, None),  # the language of the phrasing itself
            taught_by=interaction.user.id,
            now=self.bot.clock.now(),
        )
        await self.bot.relearn()
        candidate = self.bot.brain.entry(qualified_id)
        title = candidate.title.get(lang) if candidate is not None else qualified_id
        log.info("moderator %s taught %r to %s", interaction.user.id, question, qualified_id)
        view = discord.ui.View(timeout=None)
        view.add_item(Undo(lang, learned.id))
        await interaction.edit_original_response(
            content=text("taught", lang, title=title, id=qualified_id) + "\n" + quote_user_text(question),
            view=view,
            allowed_mentions=NO_MENTIONS,
        )

    async def dismiss(self, interaction: discord.Interaction, lang: Lang, source: str) -> None:
        """Drop a logged question from /unanswered."""
        if not await self._moderator(interaction, lang):
            return
        found = await self._question(source)
        if found is None:
            await send_ephemeral(interaction, text("teach_gone", lang))
            return
        question, lesson_id, key = found
        await self.bot.store.dismiss_unanswered(key, lesson_id)
        log.info("moderator %s dismissed %r", interaction.user.id, question)
        await interaction.response.edit_message(
            content=text("dismissed", lang) + "\n" + quote_user_text(question), view=None, allowed_mentions=NO_MENTIONS
        )

    async def undo(self, interaction: discord.Interaction, lang: Lang, learned_id: int) -> None:
        """Forget a taught phrasing and re-index."""
        if not await self._moderator(interaction, lang):
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        learned = await self.bot.store.unlearn(learned_id)
        if learned is None:
            await interaction.edit_original_response(content=text("teach_gone", lang), allowed_mentions=NO_MENTIONS)
            return
        await self.bot.relearn()
        log.info("moderator %s undid %r → %s", interaction.user.id, learned.question, learned.qualified_id)
        await interaction.edit_original_response(
            content=text("unlearned", lang, id=learned.qualified_id) + "\n" + quote_user_text(learned.question),
            allowed_mentions=NO_MENTIONS,
        )


async def setup(bot: commands.Bot) -> None:
    """Add the teach cog (extension entry point)."""
    if not isinstance(bot, LessonBot):
        raise TypeError("the teach cog needs a LessonBot")
    await bot.add_cog(TeachCog(bot))
