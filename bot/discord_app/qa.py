"""Questions and answers: /ask (with autocomplete), /topics, /compare, replies to plain messages,
and the persistent buttons (suggestions, related questions, feedback) and topic menus."""

from __future__ import annotations

import itertools
import logging
import re
import time
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Literal, Self, cast

import discord
from discord import app_commands
from discord.app_commands import locale_str
from discord.ext import commands

from bot.curriculum import lessons_in_focus
from bot.ids import QUALIFIED_ID
from bot.knowledge import Knowledge, Lang, Lesson
from bot.matching import Answer, Candidate, NoMatch, Result, Suggestions
from bot.render import RenderedAnswer, no_match_text, render_answer, ui_text
from bot.scope import Scope
from bot.store import Outcome

from .client import Brain, LessonBot, channel_ids, is_moderator
from .i18n import interaction_lang, question_lang, text, typed_lang
from .teach import teach_view
from .ui import (
    BUTTON_LABEL_MAX,
    BUTTONS_PER_ROW,
    CHOICE_MAX,
    CHOICES_MAX,
    CUSTOM_ID_MAX,
    EMBED_TOTAL_MAX,
    EMBEDS_MAX,
    NO_MENTIONS,
    SELECT_OPTION_MAX,
    SELECT_OPTIONS_MAX,
    Guarded,
    answer_embed,
    bullet_list,
    clip,
    loaded_cog,
    notice_embed,
    quote_user_text,
    send_ephemeral,
    table_embed,
)

log = logging.getLogger(__name__)

_QID = QUALIFIED_ID
MAX_RELATED = 3
MAX_SUGGESTIONS = 3
MAX_TOPIC_MENUS = 5

# --- pure helpers ---------------------------------------------------------------------------------

_EN_OPENERS = re.compile(
    r"^(what|what's|whats|why|how|when|where|which|who|whom|whose|is|are|was|were|can|could|does|do|did|should|"
    r"would|will|explain|tell me)\b",
    re.IGNORECASE,
)
_EN_ANYWHERE = re.compile(r"\b(difference between|versus|vs\.?|what is|what's|meaning of)(?!\w)", re.IGNORECASE)
_KO_ANYWHERE = re.compile(r"뭐|뭔|무엇|무슨|왜|어떻게|어떤|언제|어디|누가|얼마|몇|차이|알려|설명해|궁금")
_KO_ENDINGS = re.compile(r"(나요|까요|는지|은지|인지|인가|냐|니)[\s.!~]*$")


def looks_like_question(message: str) -> bool:
    """Return whether a plain message reads as a question: a question mark, an English question
    opener ("what", "how", "is"…), a Korean question word (뭐, 왜, 차이…) or question ending (…나요, …까요)."""
    stripped = message.strip()
    if not stripped:
        return False
    return (
        stripped.endswith(("?", "？"))
        or _EN_OPENERS.search(stripped) is not None
        or _EN_ANYWHERE.search(stripped) is not None
        or _KO_ANYWHERE.search(stripped) is not None
        or _KO_ENDINGS.search(stripped) is not None
    )


def strip_mention(content: str, user_id: int) -> str:
    """Return `content` without mentions of `user_id` (`<@id>` or `<@!id>`)."""
    return " ".join(re.sub(rf"<@!?{user_id}>", " ", content).split())


class Cooldowns:
    """Per-user and per-channel rate limits for unprompted replies, on an injected clock."""

    def __init__(self, *, user_seconds: float, channel_seconds: float) -> None:
        self.user_window = timedelta(seconds=user_seconds)
        self.channel_window = timedelta(seconds=channel_seconds)
        self._users: dict[int, datetime] = {}
        self._channels: dict[int, datetime] = {}

    def ready(self, *, user_id: int, channel_id: int, now: datetime) -> bool:
        """Return whether the bot may reply to this user in this channel at `now`."""
        last_user = self._users.get(user_id)
        last_channel = self._channels.get(channel_id)
        if last_user is not None and now - last_user < self.user_window:
            return False
        return last_channel is None or now - last_channel >= self.channel_window

    def note(self, *, user_id: int, channel_id: int, now: datetime) -> None:
        """Record a reply at `now`, and forget entries whose cooldown has passed."""
        self._users = {k: v for k, v in self._users.items() if now - v < self.user_window}
        self._channels = {k: v for k, v in self._channels.items() if now - v < self.channel_window}
        self._users[user_id] = now
        self._channels[channel_id] = now


# --- persistent components ------------------------------------------------------------------------


def ask_custom_id(kind: Literal["s", "r"], lang: Lang, qualified_id: str) -> str | None:
    """Return the custom_id of a suggestion (s) or related-question (r) button, None if too long."""
    custom_id = f"lb:{kind}:{lang}:{qualified_id}"
    return custom_id if len(custom_id) <= CUSTOM_ID_MAX and re.fullmatch(_QID, qualified_id) else None


def feedback_custom_id(vote: Literal["up", "down"], lang: Lang, qualified_id: str) -> str | None:
    """Return the custom_id of a 👍/👎 button, None if too long."""
    custom_id = f"lb:fb:{vote}:{lang}:{qualified_id}"
    return custom_id if len(custom_id) <= CUSTOM_ID_MAX and re.fullmatch(_QID, qualified_id) else None


def _cog(interaction: discord.Interaction) -> QACog:
    return loaded_cog(interaction, QACog, "Q&A")


class AskButton(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"lb:(?P<kind>[sr]):(?P<lang>ko|en):(?P<qid>{_QID})",
):
    """A question button: a suggestion (s) or a related follow-up (r); clicking answers it."""

    def __init__(
        self, kind: Literal["s", "r"], lang: Lang, qualified_id: str, *, label: str, row: int | None = None
    ) -> None:
        custom_id = ask_custom_id(kind, lang, qualified_id)
        if custom_id is None:
            raise ValueError(f"cannot make a button for {qualified_id!r}")
        style = discord.ButtonStyle.primary if kind == "s" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(label=clip(label, BUTTON_LABEL_MAX), style=style, custom_id=custom_id), row=row
        )
        self.kind: Literal["s", "r"] = kind
        self.lang: Lang = lang
        self.qualified_id = qualified_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[discord.ui.View], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom_id (works after a restart)."""
        label = item.label if isinstance(item, discord.ui.Button) and item.label else match["qid"]
        kind = cast(Literal["s", "r"], match["kind"])
        return cls(kind, cast(Lang, match["lang"]), match["qid"], label=label)

    async def handle(self, interaction: discord.Interaction) -> None:
        """Answer the question behind the button."""
        await _cog(interaction).answer_button(interaction, self.kind, self.lang, self.qualified_id)


class FeedbackButton(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]],
    template=rf"lb:fb:(?P<vote>up|down):(?P<lang>ko|en):(?P<qid>{_QID})",
):
    """👍 / 👎 on an answer; the vote is stored per user and answer."""

    def __init__(self, vote: Literal["up", "down"], lang: Lang, qualified_id: str, *, row: int | None = None) -> None:
        custom_id = feedback_custom_id(vote, lang, qualified_id)
        if custom_id is None:
            raise ValueError(f"cannot make a feedback button for {qualified_id!r}")
        label = text("helpful" if vote == "up" else "unhelpful", lang)
        emoji = "👍" if vote == "up" else "👎"
        super().__init__(
            discord.ui.Button(label=label, emoji=emoji, style=discord.ButtonStyle.secondary, custom_id=custom_id),
            row=row,
        )
        self.vote: Literal["up", "down"] = vote
        self.lang: Lang = lang
        self.qualified_id = qualified_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[discord.ui.View], match: re.Match[str], /
    ) -> Self:
        """Rebuild the button from its custom_id (works after a restart)."""
        return cls(cast(Literal["up", "down"], match["vote"]), cast(Lang, match["lang"]), match["qid"])

    async def handle(self, interaction: discord.Interaction) -> None:
        """Store the vote and thank the user privately."""
        await _cog(interaction).record_feedback(interaction, self.vote, self.lang, self.qualified_id)


class TopicSelect(
    Guarded,
    discord.ui.DynamicItem[discord.ui.Select[discord.ui.View]],
    template=r"lb:topics:(?P<lang>ko|en):(?P<page>\d{1,2})",
):
    """A menu of entries (25 at most per menu); choosing one shows its answer in place."""

    def __init__(self, lang: Lang, page: int, options: Sequence[discord.SelectOption], *, placeholder: str) -> None:
        super().__init__(
            discord.ui.Select(
                custom_id=f"lb:topics:{lang}:{page}",
                placeholder=clip(placeholder, 150),
                options=list(options)[:SELECT_OPTIONS_MAX],
                min_values=1,
                max_values=1,
            ),
            row=page % 5,
        )
        self.lang: Lang = lang
        self.page = page

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Item[discord.ui.View], match: re.Match[str], /
    ) -> Self:
        """Rebuild the menu from the message it is on."""
        options = item.options if isinstance(item, discord.ui.Select) else []
        placeholder = (item.placeholder if isinstance(item, discord.ui.Select) else None) or ""
        return cls(cast(Lang, match["lang"]), int(match["page"]), options, placeholder=placeholder)

    async def handle(self, interaction: discord.Interaction) -> None:
        """Show the chosen entry's answer."""
        if self.item.values:
            await _cog(interaction).show_topic(interaction, self.lang, self.item.values[0])


def answer_view(answer: RenderedAnswer) -> discord.ui.View:
    """Return the buttons under an answer: up to three related questions, then 👍 / 👎."""
    view = discord.ui.View(timeout=None)
    for qualified_id, title in answer.related[: min(MAX_RELATED, BUTTONS_PER_ROW)]:
        if ask_custom_id("r", answer.lang, qualified_id) is not None:
            view.add_item(AskButton("r", answer.lang, qualified_id, label=title, row=0))
    if feedback_custom_id("down", answer.lang, answer.qualified_id) is not None:  # the longer of the two
        view.add_item(FeedbackButton("up", answer.lang, answer.qualified_id, row=1))
        view.add_item(FeedbackButton("down", answer.lang, answer.qualified_id, row=1))
    return view


def suggestion_view(candidates: Sequence[Candidate], lang: Lang, knowledge: Knowledge | None = None) -> discord.ui.View:
    """Return up to three "did you mean" buttons; a title offered twice (two lessons' "Key points")
    is told apart by its lesson."""
    view = discord.ui.View(timeout=None)
    shown = candidates[:MAX_SUGGESTIONS]
    titles = [candidate.title.get(lang) for candidate in shown]
    for candidate, title in zip(shown, titles, strict=True):
        label = title
        if titles.count(title) > 1 and knowledge is not None:
            label = f"{title} · {lesson_label(knowledge.lesson(candidate.lesson_id), lang)}"
        if ask_custom_id("s", lang, candidate.qualified_id) is not None:
            view.add_item(AskButton("s", lang, candidate.qualified_id, label=label, row=0))
    return view


def lesson_label(lesson: Lesson, lang: Lang) -> str:
    """Return how a lesson is named to users: "16. 왜 컨테이너(Container)인가"."""
    return f"{lesson.day}. {lesson.title.get(lang)}"


def topic_listing(lessons: Sequence[Lesson], lang: Lang, limit: int = 4000) -> str:
    """Return the entry titles of `lessons` as bullets, under a bold lesson heading when there are several."""
    if len(lessons) == 1:
        return bullet_list([entry.title.get(lang) for entry in lessons[0].entries], limit=limit)
    parts: list[str] = []
    size = 0
    for lesson in lessons:
        heading = f"**{lesson_label(lesson, lang)}**\n"
        room = limit - size - len(heading) - 2
        if room < 40:
            parts.append("…")
            break
        block = heading + bullet_list([entry.title.get(lang) for entry in lesson.entries], limit=room)
        parts.append(block)
        size += len(block) + 2
        if block.endswith("…"):
            break
    return "\n\n".join(parts)


def topics_view(brain: Brain, lang: Lang, lessons: Sequence[Lesson] | None = None) -> discord.ui.View:
    """Return up to five menus listing the entries of `lessons` (default: every lesson), 25 per menu."""
    chosen = brain.knowledge.lessons if lessons is None else lessons
    fitting = (
        (lesson, entry)
        for lesson in chosen
        for entry in lesson.entries
        if len(f"{lesson.id}/{entry.id}") <= SELECT_OPTION_MAX
    )
    # Only what the menus can show: a long curriculum is not turned into thousands of options.
    options = [
        discord.SelectOption(
            label=clip(entry.title.get(lang), SELECT_OPTION_MAX),
            value=f"{lesson.id}/{entry.id}",
            description=clip(lesson_label(lesson, lang), SELECT_OPTION_MAX),
        )
        for lesson, entry in itertools.islice(fitting, MAX_TOPIC_MENUS * SELECT_OPTIONS_MAX)
    ]
    view = discord.ui.View(timeout=None)
    pages = [options[i : i + SELECT_OPTIONS_MAX] for i in range(0, len(options), SELECT_OPTIONS_MAX)]
    for page, chunk in enumerate(pages[:MAX_TOPIC_MENUS]):
        placeholder = text("topics_pick", lang) if page == 0 else text("topics_more", lang, n=page + 1)
        view.add_item(TopicSelect(lang, page, chunk, placeholder=placeholder))
    return view


# --- the cog ------------------------------------------------------------------------------------


class QACog(commands.Cog, name="QA"):
    """Answers questions: slash commands, buttons and plain messages."""

    def __init__(self, bot: LessonBot) -> None:
        self.bot = bot
        cooldown = bot.config.cooldown
        self.cooldowns = Cooldowns(user_seconds=cooldown.user_seconds, channel_seconds=cooldown.channel_seconds)

    async def cog_load(self) -> None:
        """Listen for the persistent buttons and menus (also those sent before a restart)."""
        self.bot.add_dynamic_items(AskButton, FeedbackButton, TopicSelect)

    async def cog_unload(self) -> None:
        """Stop listening for the persistent buttons and menus."""
        self.bot.remove_dynamic_items(AskButton, FeedbackButton, TopicSelect)

    # --- /ask ----------------------------------------------------------------------------------

    @app_commands.command(name=locale_str("ask"), description=locale_str("Ask a question about the lesson"))
    @app_commands.rename(question=locale_str("question"))
    @app_commands.describe(question=locale_str("Your question, in Korean or English"))
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, 500]) -> None:
        """Answer a question, offer suggestions, or say the lesson does not cover it."""
        started = time.perf_counter()
        brain = self.bot.brain  # one consistent snapshot, even if /reload runs meanwhile
        scope = self._scope(brain, channel_ids(interaction.channel_id, interaction.channel))
        result = self._match(brain, question, interaction.locale, scope)
        lang = result.lang
        if isinstance(result, Answer):
            answer = render_answer(brain.knowledge, result.candidate, lang)
            await interaction.response.send_message(
                embed=answer_embed(answer), view=answer_view(answer), allowed_mentions=NO_MENTIONS
            )
            _log_answer(result.candidate, started, via="/ask", lang=lang)
            await self._count(interaction.id, "answered", question, scope, result.candidate.qualified_id)
        elif isinstance(result, Suggestions):
            content = f"{ui_text('suggest', lang)}\n{quote_user_text(question)}"
            await interaction.response.send_message(
                content,
                view=suggestion_view(result.candidates, lang, brain.knowledge),
                allowed_mentions=NO_MENTIONS,
            )
            log.info(
                "suggested %s latency=%.1fms via=/ask lang=%s",
                ",".join(c.qualified_id for c in result.candidates),
                _ms(started),
                lang,
            )
            await self._count(interaction.id, "suggested", question, scope)
        elif result.reason == "chatter":
            # "ㅇㅋ", "thanks lol" sent to /ask: a short friendly line, nothing to log as unanswered.
            await send_ephemeral(interaction, no_match_text(result, lang))
            log.info("chatter latency=%.1fms via=/ask lang=%s", _ms(started), lang)
        else:
            await send_ephemeral(interaction, embed=self._no_match_embed(brain, result, question, scope))
            log.info(
                "no match (%s) latency=%.1fms via=/ask lang=%s %s",
                result.reason,
                _ms(started),
                lang,
                _scope_text(scope),
            )
            await self._declined(question, lang, scope, channel_id=interaction.channel_id, user_id=interaction.user.id)

    async def _count(
        self, source_id: int, outcome: Outcome, question: str, scope: Scope, qualified_id: str | None = None
    ) -> None:
        """Count the question for /stats (after the reply: the asker never waits on the disk)."""
        await self.bot.store.log_asked(
            outcome,
            now=self.bot.clock.now(),
            lesson_id=scope.prefer,
            qualified_id=qualified_id,
            source_id=source_id,
            question=question,
        )

    async def _declined(self, question: str, lang: Lang, scope: Scope, *, channel_id: int | None, user_id: int) -> None:
        """Count a question the lessons do not answer and log it for /unanswered, under the lesson it
        was asked about (the channel's, else the lesson of the day)."""
        now = self.bot.clock.now()
        await self.bot.store.log_asked("declined", now=now, lesson_id=scope.prefer)
        await self.bot.store.log_unanswered(
            question, lang=lang, now=now, channel_id=channel_id, user_id=user_id, lesson_id=scope.prefer
        )

    @ask.autocomplete("question")
    async def ask_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        """Suggest entry titles matching what the user has typed so far, in the user's language."""
        lang = typed_lang(current, interaction.locale)
        brain = self.bot.brain
        scope = self._scope(brain, channel_ids(interaction.channel_id, interaction.channel))
        choices: list[app_commands.Choice[str]] = []
        seen: set[str] = set()
        found = brain.matcher.autocomplete(current, lang=lang, limit=CHOICES_MAX, scope=scope)
        # A title shared by several lessons is offered once; picking it answers the preferred lesson's.
        for candidate in found:
            title = clip(candidate.title.get(lang), CHOICE_MAX)
            if title not in seen:
                seen.add(title)
                choices.append(app_commands.Choice(name=title, value=title))
        return choices[:CHOICES_MAX]

    def _scope(self, brain: Brain, channel_ids: Sequence[int | None]) -> Scope:
        return brain.scope(self.bot.config, channel_ids, self.bot.clock.now())

    def _match(self, brain: Brain, question: str, locale: discord.Locale | None, scope: Scope) -> Result:
        result = brain.matcher.ask(question, lang=question_lang(question, locale), scope=scope)
        picked = brain.titled(question, scope)
        if picked is not None:  # an autocomplete choice is an entry's title: answer that entry
            return Answer(picked, result.lang)
        return result

    def _no_match_embed(self, brain: Brain, result: NoMatch, question: str, scope: Scope) -> discord.Embed:
        lang = result.lang
        head = f"{no_match_text(result, lang)}\n{quote_user_text(question)}\n\n**{ui_text('topics', lang)}**\n"
        lessons = lessons_in_focus(brain.knowledge, scope)
        return notice_embed(None, head + topic_listing(lessons, lang, limit=4000 - len(head)))

    # --- buttons and menus ---------------------------------------------------------------------

    async def answer_button(
        self, interaction: discord.Interaction, kind: Literal["s", "r"], lang: Lang, qualified_id: str
    ) -> None:
        """Answer a clicked suggestion (in place, for the asker) or related question (privately)."""
        started = time.perf_counter()
        brain = self.bot.brain
        candidate = brain.entry(qualified_id)
        if candidate is None:
            await send_ephemeral(interaction, text("gone", lang))
            return
        answer = render_answer(brain.knowledge, candidate, lang)
        embed, view = answer_embed(answer), answer_view(answer)
        if kind == "s" and _is_asker(interaction):
            await interaction.response.edit_message(content="", embed=embed, view=view, allowed_mentions=NO_MENTIONS)
        else:
            await interaction.response.send_message(
                embed=embed, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS
            )
        _log_answer(candidate, started, via="suggestion" if kind == "s" else "related", lang=lang)

    async def record_feedback(
        self, interaction: discord.Interaction, vote: Literal["up", "down"], lang: Lang, qualified_id: str
    ) -> None:
        """Thank the user privately, then store the 👍/👎 (the reply never waits behind the disk)."""
        now = self.bot.clock.now()
        thanks = text("feedback_up" if vote == "up" else "feedback_down", lang)
        source = _answered_source(interaction.message)
        asked = None
        if vote == "down" and source is not None and is_moderator(interaction, self.bot.config.moderator_role_ids):
            asked = await self.bot.store.asked_question(source)
        if asked is None:
            await send_ephemeral(interaction, thanks)
        else:  # a moderator's 👎: offer to teach the question to the entry that should have answered it
            question, lesson_id = asked
            view = teach_view(self.bot.brain, lang, f"a{source}", question, lesson_id)
            content = f"{thanks}\n{text('teach_which', lang)}\n{quote_user_text(question)}"
            await interaction.response.send_message(content, view=view, ephemeral=True, allowed_mentions=NO_MENTIONS)
        log.info("feedback %s on %s", vote, qualified_id)
        await self.bot.store.record_feedback(qualified_id, interaction.user.id, helpful=vote == "up", now=now)

    async def show_topic(self, interaction: discord.Interaction, lang: Lang, qualified_id: str) -> None:
        """Replace the topics message's embed with the chosen entry's answer."""
        started = time.perf_counter()
        brain = self.bot.brain
        candidate = brain.entry(qualified_id)
        if candidate is None:
            await send_ephemeral(interaction, text("gone", lang))
            return
        answer = render_answer(brain.knowledge, candidate, lang)
        await interaction.response.edit_message(embed=answer_embed(answer), allowed_mentions=NO_MENTIONS)
        _log_answer(candidate, started, via="/topics", lang=lang)

    # --- /topics and /compare ------------------------------------------------------------------

    @app_commands.command(name=locale_str("topics"), description=locale_str("Browse what you can ask about"))
    async def topics(self, interaction: discord.Interaction) -> None:
        """Show every entry title with menus to open one."""
        lang = interaction_lang(interaction)
        brain = self.bot.brain
        scope = self._scope(brain, channel_ids(interaction.channel_id, interaction.channel))
        lessons = lessons_in_focus(brain.knowledge, scope)
        embed = notice_embed(text("topics_title", lang), topic_listing(lessons, lang))
        await interaction.response.send_message(
            embed=embed, view=topics_view(brain, lang, lessons), ephemeral=True, allowed_mentions=NO_MENTIONS
        )

    @app_commands.command(
        name=locale_str("compare"),
        description=locale_str("Show the lesson's comparison table (VM vs container)"),
    )
    async def compare(self, interaction: discord.Interaction) -> None:
        """Post the lesson's comparison table(s) as embeds."""
        lang = interaction_lang(interaction)
        brain = self.bot.brain
        scope = self._scope(brain, channel_ids(interaction.channel_id, interaction.channel))
        embeds: list[discord.Embed] = []
        total = 0
        tables = ((lesson, table) for lesson in lessons_in_focus(brain.knowledge, scope) for table in lesson.tables)
        for lesson, table in tables:
            embed = table_embed(table, lang, footer=f"{lesson_label(lesson, lang)} · {lesson.id}")
            if len(embeds) == EMBEDS_MAX or total + len(embed) > EMBED_TOTAL_MAX:
                break  # in order: a later, smaller table never jumps ahead of the one that did not fit
            embeds.append(embed)
            total += len(embed)
        if not embeds:
            await send_ephemeral(interaction, text("no_tables", lang))
            return
        await interaction.response.send_message(embeds=embeds, allowed_mentions=NO_MENTIONS)

    # --- plain messages ------------------------------------------------------------------------

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        """Answer whoever addresses the bot (an answer, suggestions or an honest "not covered"), and
        confidently answerable questions in an answer channel or a thread under one."""
        me = self.bot.user
        if me is None or message.author.bot or message.webhook_id is not None or message.author.id == me.id:
            return
        mentioned = any(user.id == me.id for user in message.mentions)
        where = channel_ids(message.channel.id, message.channel)
        if not mentioned and not any(channel in self.bot.config.answer_channels for channel in where):
            return
        question = strip_mention(message.content, me.id)
        if not question or (not mentioned and not looks_like_question(question)):
            return
        now = self.bot.clock.now()
        if not self.cooldowns.ready(user_id=message.author.id, channel_id=message.channel.id, now=now):
            log.debug("cooldown: not answering message %s", message.id)
            return
        started = time.perf_counter()
        brain = self.bot.brain
        scope = self._scope(brain, where)
        if mentioned:  # addressed like /ask: the same thresholds, and never silence
            result = brain.matcher.ask(question, scope=scope)
        else:  # unprompted replies need more confidence than /ask: never below the /ask threshold
            threshold = max(self.bot.config.passive_threshold, self.bot.config.matching.answer_threshold)
            result = brain.matcher.ask(question, answer_threshold=threshold, scope=scope)
            if not isinstance(result, Answer):
                log.debug("not confident enough to answer message %s (%s)", message.id, result.status)
                return
        if isinstance(result, NoMatch) and result.reason == "chatter":
            # "@bot ㅇㅋ 감사합니다": a short friendly line, not an unanswered question.
            self.cooldowns.note(user_id=message.author.id, channel_id=message.channel.id, now=now)
            await self._reply(message, content=no_match_text(result, result.lang))
            return
        self.cooldowns.note(user_id=message.author.id, channel_id=message.channel.id, now=now)
        via = "mention" if mentioned else "channel"
        if isinstance(result, Answer):
            answer = render_answer(brain.knowledge, result.candidate, result.lang)
            sent = await self._reply(message, embed=answer_embed(answer), view=answer_view(answer))
            if sent:
                _log_answer(result.candidate, started, via=via, lang=result.lang)
                await self._count(message.id, "answered", question, scope, result.candidate.qualified_id)
        elif isinstance(result, Suggestions):
            content = f"{ui_text('suggest', result.lang)}\n{quote_user_text(question)}"
            view = suggestion_view(result.candidates, result.lang, brain.knowledge)
            if await self._reply(message, content=content, view=view):
                await self._count(message.id, "suggested", question, scope)
        else:
            await self._reply(message, embed=self._no_match_embed(brain, result, question, scope))
            log.info("no match (%s) via=%s lang=%s %s", result.reason, via, result.lang, _scope_text(scope))
            await self._declined(question, result.lang, scope, channel_id=message.channel.id, user_id=message.author.id)

    async def _reply(
        self,
        message: discord.Message,
        *,
        content: str | None = None,
        embed: discord.Embed | None = None,
        view: discord.ui.View | None = None,
    ) -> bool:
        """Reply without pinging; a channel the bot may not write in (403) or a deleted message (404)
        is one warning line, not a traceback per message."""
        try:
            await message.reply(
                content,
                embed=embed or discord.utils.MISSING,
                view=view or discord.utils.MISSING,
                mention_author=False,
                allowed_mentions=NO_MENTIONS,
            )
        except (discord.Forbidden, discord.NotFound) as exc:
            log.warning("cannot reply to message %s in channel %s: %s", message.id, message.channel.id, exc)
            return False
        return True


def _scope_text(scope: Scope) -> str:
    if scope.lessons is not None:
        return f"lessons={','.join(sorted(scope.lessons))}"
    return f"lessons=all current={scope.prefer or '-'}"


def _answered_source(message: discord.Message | None) -> int | None:
    """Return what an answer message replied to: the /ask interaction, or the @mention message."""
    if message is None:
        return None
    if message.interaction_metadata is not None:
        return message.interaction_metadata.id
    return message.reference.message_id if message.reference is not None else None


def _is_asker(interaction: discord.Interaction) -> bool:
    message = interaction.message
    metadata = message.interaction_metadata if message is not None else None
    return metadata is not None and metadata.user.id == interaction.user.id


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _log_answer(candidate: Candidate, started: float, *, via: str, lang: Lang) -> None:
    log.info(
        "answered %s score=%.2f latency=%.1fms via=%s lang=%s",
        candidate.qualified_id,
        candidate.score,
        _ms(started),
        via,
        lang,
    )


async def setup(bot: commands.Bot) -> None:
    """Add the Q&A cog (extension entry point)."""
    if not isinstance(bot, LessonBot):
        raise TypeError("the Q&A cog needs a LessonBot")
    await bot.add_cog(QACog(bot))
