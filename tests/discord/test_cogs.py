"""Unit tests of the cogs: commands run as `cog.command.callback(cog, interaction, ...)` with spec'd
mocks for the bot, the interaction, the store and (where a result must be forced) the matcher."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Coroutine
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar
from unittest.mock import AsyncMock, MagicMock, create_autospec

import discord
import pytest
from discord import app_commands
from discord.ext import commands
from harness import PETS

from bot.config import Config, load_config
from bot.discord_app.admin import AdminCog
from bot.discord_app.client import Brain, LessonBot, LessonTree, NotModerator, moderator_check
from bot.discord_app.qa import (
    AskButton,
    Cooldowns,
    FeedbackButton,
    QACog,
    ask_custom_id,
    looks_like_question,
    strip_mention,
    suggestion_view,
)
from bot.discord_app.recap import RecapCog, recap_nonce
from bot.knowledge import Knowledge, KnowledgeError, Lang, TextList
from bot.matching import Answer, Candidate, Matcher, NoMatch, Suggestions
from bot.scope import Scope
from bot.source import Problem
from bot.store import Store, UnansweredCount

T = TypeVar("T")
SEOUL_NINE = datetime.fromisoformat("2025-03-03T09:00:00+09:00")
ME = 900
GENERAL, QUESTIONS = 101, 102
MOD_ROLE = 555


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


def call(command: app_commands.Command[Any, ..., Any], cog: commands.Cog, interaction: MagicMock, *args: Any) -> None:
    """Run `command.callback(cog, interaction, *args)`, as discord.py does for a command in a cog."""
    callback: Callable[..., Coroutine[Any, Any, None]] = command.callback
    run(callback(cog, interaction, *args))


def complete(cog: QACog, interaction: MagicMock, current: str) -> list[app_commands.Choice[str]]:
    """Run the /ask autocomplete callback."""
    callback: Callable[..., Coroutine[Any, Any, list[app_commands.Choice[str]]]] = QACog.ask_autocomplete
    return run(callback(cog, interaction, current))


class FixedClock:
    def __init__(self, now: datetime) -> None:
        self.current = now

    def now(self) -> datetime:
        return self.current

    async def sleep(self, seconds: float) -> None:
        raise AssertionError("unit tests do not sleep")


@pytest.fixture
def config(tmp_path: Path) -> Config:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"knowledge: {PETS}\n"
        f"answer_channels: [{QUESTIONS}]\n"
        f"moderator_role_ids: [{MOD_ROLE}]\n"
        f"recap: {{channels: [{GENERAL}], time: '09:00', timezone: Asia/Seoul, lang: en}}\n"
        "cooldown: {user_seconds: 30, channel_seconds: 10}\n"
        "matching: {answer_threshold: 0.5, passive_threshold: 0.7}\n",
        encoding="utf-8",
    )
    return load_config(path, environ={})


@pytest.fixture
def brain() -> Brain:
    return Brain.load(PETS)


@pytest.fixture
def bot(config: Config, brain: Brain) -> MagicMock:
    mock = MagicMock(spec=LessonBot)
    mock.config = config
    mock.brain = brain
    mock.store = create_autospec(Store, instance=True)
    mock.clock = FixedClock(SEOUL_NINE)
    mock.user = make_user(ME, bot=True)
    mock.is_closed.return_value = False
    return mock


def make_user(user_id: int, *, bot: bool = False, roles: tuple[int, ...] = ()) -> MagicMock:
    user = MagicMock(spec=discord.Member)
    user.id = user_id
    user.bot = bot
    user.roles = [MagicMock(spec=discord.Role, id=role) for role in roles]
    return user


def make_interaction(
    bot: MagicMock,
    *,
    user_id: int = 1,
    locale: discord.Locale = discord.Locale.american_english,
    permissions: discord.Permissions | None = None,
    roles: tuple[int, ...] = (),
    done: bool = False,
    message: MagicMock | None = None,
    channel_id: int = GENERAL,
) -> MagicMock:
    interaction = MagicMock(spec=discord.Interaction)
    interaction.id = 4242
    interaction.client = bot
    interaction.user = make_user(user_id, roles=roles)
    interaction.locale = locale
    interaction.channel_id = channel_id
    interaction.permissions = permissions or discord.Permissions.none()
    interaction.message = message
    interaction.response = create_autospec(discord.InteractionResponse, instance=True)
    interaction.response.is_done.return_value = done
    interaction.followup = create_autospec(discord.Webhook, instance=True)
    interaction.edit_original_response = AsyncMock()
    return interaction


def sent(mock: AsyncMock) -> dict[str, Any]:
    """Return the keyword arguments of the single call to a send/edit mock (positional content too)."""
    mock.assert_awaited_once()
    args, kwargs = mock.await_args  # type: ignore[misc]
    if args:
        kwargs = {"content": args[0], **kwargs}
    return dict(kwargs)


def forced(brain: Brain, result: Answer | Suggestions | NoMatch) -> Brain:
    matcher = create_autospec(Matcher, instance=True)
    matcher.ask.return_value = result
    return dataclasses.replace(brain, matcher=matcher)


def candidate(brain: Brain, qualified_id: str) -> Candidate:
    found = brain.entry(qualified_id)
    assert found is not None
    return found


# --- /ask ------------------------------------------------------------------------------------------


def test_ask_replies_with_the_answer_embed_and_its_buttons(bot: MagicMock) -> None:
    cog = QACog(bot)
    interaction = make_interaction(bot)
    call(cog.ask, cog, interaction, "What is a cat?")
    reply = sent(interaction.response.send_message)
    embed: discord.Embed = reply["embed"]
    assert embed.title == "What is a cat?"
    assert embed.description == "A cat is an independent pet."
    assert embed.footer.text == "1. Pet basics · day1-pets/cat"
    assert [(f.name, f.value) for f in embed.fields] == [("Source", "1️⃣ 고양이")]
    view: discord.ui.View = reply["view"]
    assert view.timeout is None
    assert [getattr(item, "custom_id", None) for item in view.children] == [
        "lb:r:en:day1-pets/dog",
        "lb:r:en:day1-pets/cat-vs-dog",
        "lb:fb:up:en:day1-pets/cat",
        "lb:fb:down:en:day1-pets/cat",
    ]
    assert reply["allowed_mentions"].to_dict() == {"parse": []}
    bot.store.log_unanswered.assert_not_awaited()


def test_ask_offers_at_most_three_suggestions_with_the_question_escaped(bot: MagicMock, brain: Brain) -> None:
    ids = ["day1-pets/food.cat", "day1-pets/food.dog", "day1-pets/cat", "day1-pets/dog"]
    bot.brain = forced(brain, Suggestions(tuple(candidate(brain, i) for i in ids), "en"))
    cog = QACog(bot)
    interaction = make_interaction(bot)
    call(cog.ask, cog, interaction, "**food** for @everyone?")
    reply = sent(interaction.response.send_message)
    assert reply["content"] == "Did you mean…\n> \\*\\*food\\*\\* for @\u200beveryone?"
    labels = [item.item.label for item in reply["view"].children]
    assert labels == ["Food: cats", "Food: dogs", "What is a cat?"]
    assert reply["allowed_mentions"].to_dict() == {"parse": []}


def test_no_match_is_ephemeral_with_topics_and_logged(bot: MagicMock, brain: Brain) -> None:
    bot.brain = forced(brain, NoMatch("en", "unknown"))
    cog = QACog(bot)
    interaction = make_interaction(bot, user_id=7)
    call(cog.ask, cog, interaction, "bake bread?")
    reply = sent(interaction.response.send_message)
    assert reply["ephemeral"] is True
    description = reply["embed"].description
    assert description.startswith("The lesson doesn't cover that.\n> bake bread?\n\n**Topics you can ask about:**\n")
    assert "• What is a dog?" in description
    bot.store.log_unanswered.assert_awaited_once_with(
        "bake bread?", lang="en", now=SEOUL_NINE, channel_id=GENERAL, user_id=7, lesson_id="day1-pets"
    )


def test_no_match_names_an_out_of_scope_topic_in_korean(bot: MagicMock, brain: Brain) -> None:
    cog = QACog(bot)
    interaction = make_interaction(bot)
    call(cog.ask, cog, interaction, "도마뱀 키우는 법")
    description = sent(interaction.response.send_message)["embed"].description
    assert description.startswith("'파충류 키우기'은(는) 이 강의에서 다루지 않아요.")


@pytest.mark.parametrize(
    ("question", "locale", "forced_lang"),
    [
        ("???", discord.Locale.korean, "ko"),
        ("1 + 2 = 3?", discord.Locale.british_english, "en"),
        ("what is a cat", discord.Locale.korean, None),  # words: the question's language wins
        ("고양이", discord.Locale.american_english, None),
    ],
)
def test_reply_language_falls_back_to_the_locale_only_without_words(
    bot: MagicMock, brain: Brain, question: str, locale: discord.Locale, forced_lang: Lang | None
) -> None:
    bot.brain = forced(brain, NoMatch(forced_lang if forced_lang is not None else "en", "empty"))
    cog = QACog(bot)
    call(cog.ask, cog, make_interaction(bot, locale=locale), question)
    bot.brain.matcher.ask.assert_called_once_with(question, lang=forced_lang, scope=Scope(prefer="day1-pets"))


def test_an_autocomplete_pick_answers_that_entry(bot: MagicMock, brain: Brain) -> None:
    bot.brain = forced(brain, NoMatch("en", "unknown"))  # whatever the matcher thinks
    cog = QACog(bot)
    interaction = make_interaction(bot)
    call(cog.ask, cog, interaction, "Food: dogs")
    assert sent(interaction.response.send_message)["embed"].title == "Food: dogs"


def test_autocomplete_choices_follow_the_typed_language(bot: MagicMock) -> None:
    cog = QACog(bot)
    english = complete(cog, make_interaction(bot, locale=discord.Locale.korean), "dog")
    assert english[0].name == english[0].value == "What is a dog?"
    korean = complete(cog, make_interaction(bot, locale=discord.Locale.korean), "")
    assert 0 < len(korean) <= 25
    assert korean[0].name == "고양이란?"
    assert all(len(choice.name) <= 100 and len(choice.value) <= 100 for choice in korean)


# --- plain messages --------------------------------------------------------------------------------


def make_message(
    content: str, *, author_id: int = 1, bot_author: bool = False, channel_id: int = GENERAL, mentions_me: bool = False
) -> MagicMock:
    message = MagicMock(spec=discord.Message)
    message.id = 77
    message.content = content
    message.author = make_user(author_id, bot=bot_author)
    message.webhook_id = None
    message.channel = MagicMock(spec=discord.TextChannel, id=channel_id)
    message.mentions = [make_user(ME, bot=True)] if mentions_me else []
    message.reply = AsyncMock()
    return message


def test_a_mention_gets_a_quiet_reply(bot: MagicMock) -> None:
    cog = QACog(bot)
    message = make_message(f"<@{ME}> what is a cat?", mentions_me=True)
    run(cog.on_message(message))
    reply = sent(message.reply)
    assert reply["embed"].title == "What is a cat?"
    assert reply["mention_author"] is False
    assert reply["allowed_mentions"].to_dict() == {"parse": []}


def test_plain_messages_use_the_stricter_threshold(bot: MagicMock, brain: Brain) -> None:
    bot.brain = forced(brain, NoMatch("en", "unknown"))
    cog = QACog(bot)
    run(cog.on_message(make_message("what is a cat?", channel_id=QUESTIONS)))
    bot.brain.matcher.ask.assert_called_once_with(
        "what is a cat?", answer_threshold=0.7, scope=Scope(prefer="day1-pets")
    )


@pytest.mark.parametrize(
    "message",
    [
        make_message(f"<@{ME}> what is a cat?", bot_author=True, mentions_me=True),  # a bot
        make_message(f"<@{ME}> what is a cat?", author_id=ME, bot_author=True, mentions_me=True),  # itself
        make_message("what is a cat?", channel_id=GENERAL),  # not addressed, not an answer channel
        make_message("I have a cat", channel_id=QUESTIONS),  # not a question
        make_message(f"<@{ME}>", mentions_me=True),  # nothing asked
    ],
    ids=["bot", "self", "elsewhere", "statement", "empty"],
)
def test_messages_that_get_no_reply(bot: MagicMock, message: MagicMock) -> None:
    run(QACog(bot).on_message(message))
    message.reply.assert_not_awaited()


def test_an_unconfident_mention_gets_an_honest_reply_and_is_logged(bot: MagicMock) -> None:
    message = make_message(f"<@{ME}> how do I bake bread?", mentions_me=True)
    run(QACog(bot).on_message(message))
    reply = sent(message.reply)
    assert reply["embed"].description.startswith("The lesson doesn't cover that.")
    bot.store.log_unanswered.assert_awaited_once()
    assert bot.store.log_unanswered.await_args.args == ("how do I bake bread?",)


def test_an_unconfident_plain_question_in_an_answer_channel_gets_no_reply(bot: MagicMock) -> None:
    message = make_message("how do I bake bread?", channel_id=QUESTIONS)
    run(QACog(bot).on_message(message))
    message.reply.assert_not_awaited()


def test_cooldowns_per_user_and_per_channel(bot: MagicMock) -> None:
    cog = QACog(bot)
    first = make_message("what is a cat?", channel_id=QUESTIONS, author_id=1)
    run(cog.on_message(first))
    first.reply.assert_awaited_once()
    same_channel = make_message("what is a dog?", channel_id=QUESTIONS, author_id=2)
    run(cog.on_message(same_channel))
    same_channel.reply.assert_not_awaited()  # channel cooldown (10 s)
    bot.clock.current += timedelta(seconds=11)
    other_user = make_message("what is a dog?", channel_id=QUESTIONS, author_id=2)
    run(cog.on_message(other_user))
    other_user.reply.assert_awaited_once()
    bot.clock.current += timedelta(seconds=11)
    again = make_message("what is a dog?", channel_id=QUESTIONS, author_id=1)
    run(cog.on_message(again))
    again.reply.assert_not_awaited()  # user cooldown (30 s since the first reply)


def test_cooldowns_alone() -> None:
    cooldowns = Cooldowns(user_seconds=30, channel_seconds=10)
    start = SEOUL_NINE
    assert cooldowns.ready(user_id=1, channel_id=5, now=start)
    cooldowns.note(user_id=1, channel_id=5, now=start)
    assert not cooldowns.ready(user_id=1, channel_id=6, now=start + timedelta(seconds=29))
    assert not cooldowns.ready(user_id=2, channel_id=5, now=start + timedelta(seconds=9))
    assert cooldowns.ready(user_id=2, channel_id=5, now=start + timedelta(seconds=10))
    assert cooldowns.ready(user_id=1, channel_id=6, now=start + timedelta(seconds=30))


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("what is a cat", True),
        ("Explain containers", True),
        ("docker vs vm", True),
        ("컨테이너가 뭐야", True),
        ("VM이랑 차이", True),
        ("도커 설치했나요", True),
        ("ok?", True),
        ("thanks!", False),
        ("this is great", False),
        ("I love my cat", False),
        ("좋아요", False),
        ("", False),
    ],
)
def test_looks_like_question(text: str, question: bool) -> None:
    assert looks_like_question(text) is question


def test_strip_mention() -> None:
    assert strip_mention(f"<@{ME}> what  is <@!{ME}> a cat", ME) == "what is a cat"


# --- buttons ---------------------------------------------------------------------------------------


def clicked_message(asker_id: int) -> MagicMock:
    message = MagicMock(spec=discord.Message)
    message.interaction_metadata = MagicMock(spec=discord.MessageInteractionMetadata)
    message.interaction_metadata.user = make_user(asker_id)
    return message


def test_the_asker_clicking_a_suggestion_turns_it_into_the_answer(bot: MagicMock) -> None:
    bot.get_cog.return_value = cog = QACog(bot)
    interaction = make_interaction(bot, user_id=1, message=clicked_message(asker_id=1))
    run(AskButton("s", "en", "day1-pets/dog", label="What is a dog?").callback(interaction))
    edit = sent(interaction.response.edit_message)
    assert edit["content"] == ""
    assert edit["embed"].title == "What is a dog?"
    interaction.response.send_message.assert_not_awaited()
    assert bot.get_cog.call_args.args == (cog.qualified_name,)


def test_someone_else_clicking_gets_the_answer_privately(bot: MagicMock) -> None:
    bot.get_cog.return_value = QACog(bot)
    interaction = make_interaction(bot, user_id=2, message=clicked_message(asker_id=1))
    run(AskButton("s", "ko", "day1-pets/dog", label="강아지란?").callback(interaction))
    reply = sent(interaction.response.send_message)
    assert reply["ephemeral"] is True
    assert reply["embed"].title == "강아지란?"
    interaction.response.edit_message.assert_not_awaited()


def test_a_button_for_an_entry_that_no_longer_exists(bot: MagicMock) -> None:
    bot.get_cog.return_value = QACog(bot)
    interaction = make_interaction(bot, message=clicked_message(asker_id=1))
    run(AskButton("r", "en", "day1-pets/parrot", label="Parrots").callback(interaction))
    reply = sent(interaction.response.send_message)
    assert reply["ephemeral"] is True
    assert reply["content"].startswith("That question is no longer in the lesson material.")


def test_feedback_is_stored_and_acknowledged_privately(bot: MagicMock) -> None:
    bot.get_cog.return_value = QACog(bot)
    interaction = make_interaction(bot, user_id=3)
    run(FeedbackButton("down", "ko", "day1-pets/cat").callback(interaction))
    bot.store.record_feedback.assert_awaited_once_with("day1-pets/cat", 3, helpful=False, now=SEOUL_NINE)
    reply = sent(interaction.response.send_message)
    assert reply["ephemeral"] is True
    assert reply["content"].startswith("알려줘서 고마워요.")


def test_buttons_rebuild_from_their_custom_id(bot: MagicMock) -> None:
    original = AskButton("r", "ko", "day1-pets/cat-vs-dog", label="고양이와 강아지의 차이")
    match = AskButton.__discord_ui_compiled_template__.fullmatch(original.custom_id)
    assert match is not None
    rebuilt = run(AskButton.from_custom_id(make_interaction(bot), original.item, match))
    assert (rebuilt.kind, rebuilt.lang, rebuilt.qualified_id) == ("r", "ko", "day1-pets/cat-vs-dog")
    assert rebuilt.item.label == "고양이와 강아지의 차이"


def test_custom_ids_respect_discords_limit() -> None:
    assert ask_custom_id("s", "en", "day1-pets/cat") == "lb:s:en:day1-pets/cat"
    assert ask_custom_id("s", "en", "a" * 50 + "/" + "b" * 50) is None


def test_a_failing_button_apologises_privately_and_logs_the_traceback(
    bot: MagicMock, error_logs: list[logging.LogRecord]
) -> None:
    bot.get_cog.return_value = None  # the cog behind the button is gone
    interaction = make_interaction(bot)
    run(FeedbackButton("up", "en", "day1-pets/cat").callback(interaction))
    reply = sent(interaction.response.send_message)
    assert reply["ephemeral"] is True
    assert reply["content"].startswith("Sorry, something went wrong")
    (record,) = error_logs
    assert record.exc_info is not None
    assert "the Q&A cog is not loaded" in str(record.exc_info[1])
    error_logs.clear()


# --- the command tree's error handler ------------------------------------------------------------------


def test_command_errors_apologise_once_the_response_is_done(
    bot: MagicMock, error_logs: list[logging.LogRecord]
) -> None:
    tree = LessonTree(MagicMock(spec=LessonBot, http=MagicMock(), _connection=MagicMock(_command_tree=None)))
    interaction = make_interaction(bot, done=True, locale=discord.Locale.korean)
    interaction.command = QACog.ask
    error = app_commands.CommandInvokeError(QACog.ask, ValueError("boom"))
    run(tree.on_error(interaction, error))
    followup = sent(interaction.followup.send)
    assert followup["content"] == "죄송해요, 처리하는 중에 문제가 생겼어요. 잠시 후 다시 시도해 주세요."
    assert followup["ephemeral"] is True
    (record,) = error_logs
    assert "/ask" in record.getMessage()
    error_logs.clear()


def test_refusals_are_not_errors(bot: MagicMock, error_logs: list[logging.LogRecord]) -> None:
    tree = LessonTree(MagicMock(spec=LessonBot, http=MagicMock(), _connection=MagicMock(_command_tree=None)))
    interaction = make_interaction(bot)
    interaction.command = RecapCog.recap
    run(tree.on_error(interaction, NotModerator("moderators only")))
    assert sent(interaction.response.send_message)["content"] == "Only moderators can use this command."
    assert error_logs == []


# --- moderators ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("permissions", "roles", "allowed"),
    [
        (discord.Permissions.none(), (), False),
        (discord.Permissions(manage_messages=True), (), True),
        (discord.Permissions(administrator=True), (), True),
        (discord.Permissions.none(), (MOD_ROLE,), True),
        (discord.Permissions.none(), (MOD_ROLE + 1,), False),
    ],
)
def test_moderator_check(
    bot: MagicMock, permissions: discord.Permissions, roles: tuple[int, ...], allowed: bool
) -> None:
    interaction = make_interaction(bot, permissions=permissions, roles=roles)
    if allowed:
        assert run(moderator_check(interaction)) is True
    else:
        with pytest.raises(NotModerator):
            run(moderator_check(interaction))


def test_moderator_commands_carry_the_check() -> None:
    for command in (RecapCog.recap, AdminCog.reload, AdminCog.unanswered):
        assert moderator_check in command.checks
        assert command.default_permissions == discord.Permissions(manage_messages=True)


def test_recap_posts_the_latest_lesson(bot: MagicMock) -> None:
    cog = RecapCog(bot)
    interaction = make_interaction(bot, permissions=discord.Permissions(manage_messages=True))
    call(cog.recap, cog, interaction, None)
    reply = sent(interaction.response.send_message)
    assert reply["embed"].title == "Today's key points — 1. Pet basics"
    assert reply["embed"].description == "• A cat is an independent pet.\n• A dog needs walks."
    assert "ephemeral" not in reply


def test_recap_of_an_unknown_lesson(bot: MagicMock) -> None:
    cog = RecapCog(bot)
    interaction = make_interaction(bot)
    call(cog.recap, cog, interaction, "day99")
    reply = sent(interaction.response.send_message)
    assert reply["ephemeral"] is True
    assert reply["content"] == "No lesson 'day99'. Loaded: day1-pets"


def test_daily_recap_posts_when_due_and_records_the_day(bot: MagicMock) -> None:
    channel = MagicMock(spec=discord.TextChannel)
    bot.get_channel.return_value = channel
    bot.store.last_recap.return_value = None
    bot.store.claim_recap.return_value = True
    checks = run(RecapCog(bot).run_due(SEOUL_NINE))
    assert [(c.channel_id, c.decision.post, c.posted) for c in checks] == [(GENERAL, True, True)]
    reply = sent(channel.send)
    assert reply["embed"].title == "Today's key points — 1. Pet basics"  # recap.lang: en
    assert reply["allowed_mentions"].to_dict() == {"parse": []}
    assert reply["nonce"] == recap_nonce(GENERAL, date(2025, 3, 3))
    bot.store.claim_recap.assert_awaited_once_with(GENERAL, date(2025, 3, 3), lesson_id="day1-pets", now=SEOUL_NINE)
    bot.store.release_recap.assert_not_awaited()


def test_daily_recap_claimed_elsewhere_meanwhile_is_not_sent(bot: MagicMock) -> None:
    channel = MagicMock(spec=discord.TextChannel)
    bot.get_channel.return_value = channel
    bot.store.last_recap.return_value = None
    bot.store.claim_recap.return_value = False  # another process, or a manual /recap, got there first
    checks = run(RecapCog(bot).run_due(SEOUL_NINE))
    assert [(c.decision.post, c.decision.reason, c.posted) for c in checks] == [(False, "already posted today", False)]
    channel.send.assert_not_awaited()


def test_recap_nonces_fit_discord_and_differ_per_channel_and_day() -> None:
    nonces = {recap_nonce(channel, day) for channel in (GENERAL, 1_200_000_000_000_000_101) for day in (
        date(2025, 3, 3), date(2025, 3, 4))}  # fmt: skip
    assert len(nonces) == 4
    assert all(len(nonce) <= 25 for nonce in nonces)


def test_daily_recap_already_posted(bot: MagicMock) -> None:
    bot.store.last_recap.return_value = date(2025, 3, 3)
    checks = run(RecapCog(bot).run_due(SEOUL_NINE + timedelta(minutes=5)))
    assert [c.decision.reason for c in checks] == ["already posted today"]
    bot.get_channel.assert_not_called()
    bot.store.claim_recap.assert_not_awaited()


def test_daily_recap_that_cannot_be_sent_is_retried_later(bot: MagicMock) -> None:
    bot.get_channel.return_value = None
    response = MagicMock(status=403, reason="Forbidden")
    bot.fetch_channel.side_effect = discord.Forbidden(response, "Missing Access")
    bot.store.last_recap.return_value = None
    bot.store.claim_recap.return_value = True
    checks = run(RecapCog(bot).run_due(SEOUL_NINE))
    assert [(c.decision.post, c.posted) for c in checks] == [(True, False)]
    bot.store.release_recap.assert_awaited_once_with(GENERAL, date(2025, 3, 3))  # the next pass retries


def test_reload_swaps_in_valid_knowledge(bot: MagicMock, brain: Brain) -> None:
    bot.reload_brain = AsyncMock(return_value=brain)
    cog = AdminCog(bot)
    interaction = make_interaction(bot)
    call(cog.reload, cog, interaction)
    interaction.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    assert sent(interaction.edit_original_response)["content"] == "Reloaded the lesson files: 1 lesson(s), 6 entries."


def test_reload_with_errors_lists_them_and_keeps_the_old_knowledge(bot: MagicMock, brain: Brain) -> None:
    problems = [Problem("lessons/a.yaml", 7, "lesson.id: bad"), Problem("lessons/a.yaml", 9, "title: missing 'en'")]
    bot.reload_brain = AsyncMock(side_effect=KnowledgeError(problems))
    cog = AdminCog(bot)
    interaction = make_interaction(bot, locale=discord.Locale.korean)
    call(cog.reload, cog, interaction)
    content = sent(interaction.edit_original_response)["content"]
    assert content == (
        "새 강의 파일에 문제가 있어 이전 내용을 계속 사용해요:\n```\n"
        "lessons/a.yaml:7: lesson.id: bad\nlessons/a.yaml:9: title: missing 'en'\n```"
    )
    assert bot.brain is brain


def test_reload_really_keeps_the_old_brain_on_errors(tmp_path: Path, config: Config) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nlesson: {}\n", encoding="utf-8")
    bot = LessonBot(
        config=config, brain=Brain.load(PETS), store=create_autospec(Store, instance=True), clock=FixedClock(SEOUL_NINE)
    )
    old = bot.brain = dataclasses.replace(bot.brain, path=broken)
    with pytest.raises(KnowledgeError):
        run(bot.reload_brain())
    assert bot.brain is old
    bot.brain = dataclasses.replace(old, path=PETS)
    fresh = run(bot.reload_brain())
    assert bot.brain is fresh
    assert fresh is not old


def test_unanswered_lists_counts_with_questions_escaped(bot: MagicMock) -> None:
    bot.store.top_unanswered.return_value = [
        UnansweredCount("**why** @everyone", 3, SEOUL_NINE),
        UnansweredCount("빵 굽는 법", 1, SEOUL_NINE),
    ]
    cog = AdminCog(bot)
    interaction = make_interaction(bot, locale=discord.Locale.korean)
    call(cog.unanswered, cog, interaction)
    interaction.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)  # private
    reply = sent(interaction.edit_original_response)
    assert reply["embed"].title == "답하지 못한 질문"
    assert reply["embed"].description == "1. \\*\\*why\\*\\* @\u200beveryone — 3회\n2. 빵 굽는 법 — 1회"


# --- a curriculum of two lessons -------------------------------------------------------------------
# day1-pets is the lesson of 2025-03-03, day2-birds from 2025-03-04 (Seoul dates); #pets is scoped
# to day1-pets. Both lessons have a "Key points" entry with the same phrasings.

PETS_CHANNEL = 103
TUESDAY_NINE = SEOUL_NINE + timedelta(days=1)


@pytest.fixture
def two_config(tmp_path: Path) -> Config:
    path = tmp_path / "config.yaml"
    path.write_text(
        f"knowledge: {PETS.parent}\n"
        f"answer_channels: [{QUESTIONS}, {PETS_CHANNEL}]\n"
        f"recap: {{channels: [{GENERAL}], time: '09:00', timezone: Asia/Seoul, lang: en}}\n"
        "matching: {answer_threshold: 0.5, passive_threshold: 0.7}\n"
        "curriculum:\n"
        "  schedule:\n"
        '    "2025-03-03": day1-pets\n'
        '    "2025-03-04": day2-birds\n'
        f"lesson_channels: {{{PETS_CHANNEL}: day1-pets}}\n",
        encoding="utf-8",
    )
    return load_config(path, environ={})


@pytest.fixture
def two(two_config: Config) -> MagicMock:
    """The bot mock serving both lessons on Monday 2025-03-03, 09:00 in Seoul."""
    mock = MagicMock(spec=LessonBot)
    mock.config = two_config
    mock.brain = Brain.load(PETS.parent)
    assert [lesson.id for lesson in mock.brain.knowledge.lessons] == ["day1-pets", "day2-birds"]
    mock.store = create_autospec(Store, instance=True)
    mock.clock = FixedClock(SEOUL_NINE)
    mock.user = make_user(ME, bot=True)
    mock.is_closed.return_value = False
    return mock


def offered(reply: dict[str, Any]) -> list[str]:
    """Return the qualified ids a reply offers: the answer's (from its footer), or the suggestions'."""
    if "embed" in reply:
        return [reply["embed"].footer.text.rsplit(" · ", 1)[-1]]
    return [item.qualified_id for item in reply["view"].children]


def test_a_scoped_channel_answers_only_from_its_lesson(two: MagicMock) -> None:
    cog = QACog(two)
    scoped = make_interaction(two, channel_id=PETS_CHANNEL, user_id=7)
    call(cog.ask, cog, scoped, "What is a parrot?")
    reply = sent(scoped.response.send_message)
    assert reply["ephemeral"] is True
    description = reply["embed"].description
    assert description.startswith("The lesson doesn't cover that.")
    assert "• What is a cat?" in description
    assert "parrot" not in description.replace("What is a parrot?", "", 1)  # only the question echoed
    two.store.log_unanswered.assert_awaited_once_with(
        "What is a parrot?", lang="en", now=SEOUL_NINE, channel_id=PETS_CHANNEL, user_id=7, lesson_id="day1-pets"
    )

    anywhere = make_interaction(two)
    call(cog.ask, cog, anywhere, "What is a parrot?")
    assert sent(anywhere.response.send_message)["embed"].footer.text == "2. Keeping birds · day2-birds/parrot"


def test_an_unscoped_no_match_lists_the_lesson_of_the_day_first(two: MagicMock) -> None:
    two.clock.current = TUESDAY_NINE
    cog = QACog(two)
    interaction = make_interaction(two, locale=discord.Locale.korean)
    call(cog.ask, cog, interaction, "주식 투자 방법")
    description = sent(interaction.response.send_message)["embed"].description
    listing = description.split("\n\n", 1)[-1]
    assert listing.index("**2. 새 기르기**") < listing.index("**1. 반려동물 기초**")
    assert "• 앵무새란?" in listing
    two.store.log_unanswered.assert_awaited_once()
    assert two.store.log_unanswered.await_args.kwargs["lesson_id"] == "day2-birds"


def test_ties_between_lessons_go_to_the_lesson_of_the_day(two: MagicMock) -> None:
    cog = QACog(two)
    monday = make_interaction(two)
    call(cog.ask, cog, monday, "key points")
    assert offered(sent(monday.response.send_message))[0] == "day1-pets/summary"

    two.clock.current = TUESDAY_NINE
    tuesday = make_interaction(two)
    call(cog.ask, cog, tuesday, "key points")
    assert offered(sent(tuesday.response.send_message))[0] == "day2-birds/summary"

    scoped = make_interaction(two, channel_id=PETS_CHANNEL)  # the channel's lesson, whatever the day
    call(cog.ask, cog, scoped, "key points")
    assert offered(sent(scoped.response.send_message)) == ["day1-pets/summary"]


def test_the_same_title_from_two_lessons_is_told_apart_on_its_button(two: MagicMock) -> None:
    brain: Brain = two.brain
    shared = [candidate(brain, "day2-birds/summary"), candidate(brain, "day1-pets/summary")]
    view = suggestion_view([*shared, candidate(brain, "day2-birds/cage")], "en", brain.knowledge)
    asks = [item for item in view.children if isinstance(item, AskButton)]
    assert [(item.item.label, item.qualified_id) for item in asks] == [
        ("Key points · 2. Keeping birds", "day2-birds/summary"),
        ("Key points · 1. Pet basics", "day1-pets/summary"),
        ("Choosing a cage", "day2-birds/cage"),
    ]
    assert asks[0].custom_id == "lb:s:en:day2-birds/summary"


def test_an_autocomplete_pick_of_a_shared_title_answers_the_lesson_of_the_day(two: MagicMock) -> None:
    cog = QACog(two)
    for now, channel_id, expected in [
        (SEOUL_NINE, GENERAL, "day1-pets/summary"),
        (TUESDAY_NINE, GENERAL, "day2-birds/summary"),
        (TUESDAY_NINE, PETS_CHANNEL, "day1-pets/summary"),
    ]:
        two.clock.current = now
        interaction = make_interaction(two, channel_id=channel_id)
        call(cog.ask, cog, interaction, "Key points")
        assert offered(sent(interaction.response.send_message)) == [expected]


def test_ask_autocomplete_in_a_scoped_channel_offers_only_its_lesson(two: MagicMock) -> None:
    cog = QACog(two)
    pets_titles = {entry.title.en for entry in two.brain.knowledge.lesson("day1-pets").entries}
    scoped = [c.name for c in complete(cog, make_interaction(two, channel_id=PETS_CHANNEL), "what")]
    assert scoped
    assert set(scoped) <= pets_titles
    everywhere = [c.name for c in complete(cog, make_interaction(two), "what is a")]
    assert {"What is a cat?", "What is a parrot?"} <= set(everywhere)


def test_plain_messages_in_a_scoped_channel_search_its_lesson(two: MagicMock) -> None:
    cog = QACog(two)
    scoped = make_message("what is a parrot?", channel_id=PETS_CHANNEL)
    run(cog.on_message(scoped))
    scoped.reply.assert_not_awaited()  # not in day1-pets
    two.clock.current += timedelta(minutes=1)
    elsewhere = make_message("what is a parrot?", channel_id=QUESTIONS, author_id=2)
    run(cog.on_message(elsewhere))
    assert sent(elsewhere.reply)["embed"].footer.text.endswith("day2-birds/parrot")


def test_topics_and_compare_in_a_scoped_channel_show_its_lesson(two: MagicMock) -> None:
    cog = QACog(two)
    interaction = make_interaction(two, channel_id=PETS_CHANNEL)
    call(cog.topics, cog, interaction)
    reply = sent(interaction.response.send_message)
    assert "What is a parrot?" not in reply["embed"].description
    (menu,) = reply["view"].children
    assert all(option.value.startswith("day1-pets/") for option in menu.item.options)

    everywhere = make_interaction(two)
    call(cog.topics, cog, everywhere)
    description = sent(everywhere.response.send_message)["embed"].description
    assert description.startswith("**1. Pet basics**\n• What is a cat?")  # the lesson of the day first
    assert "**2. Keeping birds**\n• What is a parrot?" in description


def test_compare_stops_at_the_first_table_that_does_not_fit(two: MagicMock) -> None:
    # Day 1's table made huge: it does not fit after day 1's first copy, and day 2's small table
    # must not jump ahead of it (the listing stays in lesson order, cut where it no longer fits).
    pets, birds = two.brain.knowledge.lessons
    (table,) = pets.tables
    wide = dataclasses.replace(
        table,
        rows=tuple(
            dataclasses.replace(row, key=f"{row.key}{n}", cells=TextList(("x" * 900,) * 2, ("y" * 900,) * 2))
            for n in range(3)
            for row in table.rows
        ),
    )
    huge_pets = dataclasses.replace(pets, tables=(wide, dataclasses.replace(wide, id="again")))
    knowledge = Knowledge((huge_pets, dataclasses.replace(birds, tables=(table,))))
    two.brain = Brain.build(knowledge, path=PETS.parent)
    cog = QACog(two)
    interaction = make_interaction(two)
    call(cog.compare, cog, interaction)
    embeds = sent(interaction.response.send_message)["embeds"]
    assert [embed.footer.text for embed in embeds] == ["1. Pet basics · day1-pets"]


def test_recap_defaults_to_the_lesson_of_the_day_or_the_channels(two: MagicMock) -> None:
    cog = RecapCog(two)
    mod = discord.Permissions(manage_messages=True)
    for now, channel_id, title in [
        (SEOUL_NINE, GENERAL, "Today's key points — 1. Pet basics"),
        (TUESDAY_NINE, GENERAL, "Today's key points — 2. Keeping birds"),
        (TUESDAY_NINE, PETS_CHANNEL, "Today's key points — 1. Pet basics"),
        # 00:30 on Tuesday in Seoul is still Monday in UTC: Seoul's date decides.
        (datetime.fromisoformat("2025-03-03T15:30:00+00:00"), GENERAL, "Today's key points — 2. Keeping birds"),
    ]:
        two.clock.current = now
        interaction = make_interaction(two, permissions=mod, channel_id=channel_id)
        call(cog.recap, cog, interaction, None)
        assert sent(interaction.response.send_message)["embed"].title == title


def test_recap_before_the_curriculum_starts_asks_for_a_lesson(two: MagicMock) -> None:
    two.clock.current = SEOUL_NINE - timedelta(days=1)
    cog = RecapCog(two)
    interaction = make_interaction(two, locale=discord.Locale.korean)
    call(cog.recap, cog, interaction, None)
    reply = sent(interaction.response.send_message)
    assert reply["ephemeral"] is True
    assert reply["content"] == "오늘 예정된 강의가 아직 없어요. '강의' 옵션에서 강의를 골라 주세요."


@pytest.mark.parametrize("chosen", ["day2-birds", "2", "Keeping birds", "새 기르기"])
def test_recap_of_a_chosen_lesson(two: MagicMock, chosen: str) -> None:
    cog = RecapCog(two)
    interaction = make_interaction(two)
    call(cog.recap, cog, interaction, chosen)
    embed = sent(interaction.response.send_message)["embed"]
    assert embed.title == "Today's key points — 2. Keeping birds"
    assert embed.description == "• A parrot can mimic speech.\n• A canary sings well."
    assert embed.footer.text == "3월 3일 · day2-birds"


def test_recap_of_an_unknown_lesson_names_the_loaded_ones(two: MagicMock) -> None:
    cog = RecapCog(two)
    interaction = make_interaction(two)
    call(cog.recap, cog, interaction, "day3-fish")
    assert sent(interaction.response.send_message)["content"] == "No lesson 'day3-fish'. Loaded: day2-birds, day1-pets"


def recap_choices(cog: RecapCog, interaction: MagicMock, current: str) -> list[tuple[str, str]]:
    callback: Callable[..., Coroutine[Any, Any, list[app_commands.Choice[str]]]] = RecapCog.recap_autocomplete
    return [(choice.name, choice.value) for choice in run(callback(cog, interaction, current))]


def test_recap_autocomplete_lists_lesson_titles_in_the_users_language(two: MagicMock) -> None:
    cog = RecapCog(two)
    korean = make_interaction(two, locale=discord.Locale.korean)
    # The lesson of the day first, then the newest; the value is the lesson id.
    assert recap_choices(cog, korean, "") == [("1. 반려동물 기초", "day1-pets"), ("2. 새 기르기", "day2-birds")]
    assert recap_choices(cog, korean, "새") == [("2. 새 기르기", "day2-birds")]
    english = make_interaction(two)
    assert recap_choices(cog, english, "") == [("1. Pet basics", "day1-pets"), ("2. Keeping birds", "day2-birds")]
    assert recap_choices(cog, english, "BIRD") == [("2. Keeping birds", "day2-birds")]
    assert recap_choices(cog, english, "2") == [("2. Keeping birds", "day2-birds")]
    assert recap_choices(cog, korean, "fish") == []
    two.clock.current = TUESDAY_NINE
    assert recap_choices(cog, english, "")[0] == ("2. Keeping birds", "day2-birds")


def test_daily_recap_posts_the_lesson_of_the_day(two: MagicMock) -> None:
    channel = MagicMock(spec=discord.TextChannel)
    two.get_channel.return_value = channel
    two.store.last_recap.return_value = None
    cog = RecapCog(two)
    for now, title in [
        (SEOUL_NINE, "Today's key points — 1. Pet basics"),
        (TUESDAY_NINE, "Today's key points — 2. Keeping birds"),
        (TUESDAY_NINE + timedelta(days=5), "Today's key points — 2. Keeping birds"),  # until the next date
    ]:
        channel.send.reset_mock()
        two.store.claim_recap.return_value = True
        (check,) = run(cog.run_due(now))
        assert (check.decision.post, check.posted) == (True, True)
        assert sent(channel.send)["embed"].title == title


def test_no_daily_recap_before_the_curriculum_starts(two: MagicMock) -> None:
    channel = MagicMock(spec=discord.TextChannel)
    two.get_channel.return_value = channel
    two.store.last_recap.return_value = None
    (check,) = run(RecapCog(two).run_due(SEOUL_NINE - timedelta(days=1)))
    assert (check.decision.post, check.decision.reason, check.posted) == (False, "no lesson scheduled yet", False)
    channel.send.assert_not_awaited()
    two.store.claim_recap.assert_not_awaited()


def test_unanswered_shows_and_filters_by_lesson(two: MagicMock) -> None:
    two.store.top_unanswered.return_value = [
        UnansweredCount("breeding?", 2, SEOUL_NINE, "day2-birds"),
        UnansweredCount("old question", 1, SEOUL_NINE),
    ]
    cog = AdminCog(two)
    everything = make_interaction(two)
    call(cog.unanswered, cog, everything, None)
    assert sent(everything.edit_original_response)["embed"].description == (
        "1. breeding? — 2× · day2-birds\n2. old question — 1×"
    )
    two.store.top_unanswered.assert_awaited_once_with(10, lesson_id=None)

    two.store.top_unanswered.reset_mock()
    filtered = make_interaction(two)
    call(cog.unanswered, cog, filtered, "2")
    two.store.top_unanswered.assert_awaited_once_with(10, lesson_id="day2-birds")

    two.store.top_unanswered.reset_mock()
    two.store.top_unanswered.return_value = []
    unknown = make_interaction(two)
    call(cog.unanswered, cog, unknown, "day3-fish")
    assert sent(unknown.response.send_message)["content"] == "No lesson 'day3-fish'. Loaded: day2-birds, day1-pets"


def test_unanswered_lesson_autocomplete(two: MagicMock) -> None:
    callback: Callable[..., Coroutine[Any, Any, list[app_commands.Choice[str]]]] = AdminCog.unanswered_autocomplete
    choices = run(callback(AdminCog(two), make_interaction(two, locale=discord.Locale.korean), ""))
    assert [(c.name, c.value) for c in choices] == [("1. 반려동물 기초", "day1-pets"), ("2. 새 기르기", "day2-birds")]


def test_reload_refuses_lesson_files_that_drop_a_scheduled_lesson(tmp_path: Path, two_config: Config) -> None:
    bot = LessonBot(
        config=two_config,
        brain=Brain.load(PETS.parent),
        store=create_autospec(Store, instance=True),
        clock=FixedClock(SEOUL_NINE),
    )
    old = bot.brain = dataclasses.replace(bot.brain, path=PETS)  # the birds lesson is gone
    with pytest.raises(KnowledgeError) as caught:
        run(bot.reload_brain())
    assert [str(problem) for problem in caught.value.problems] == [
        f"{two_config.path}:8: curriculum.schedule 2025-03-04: unknown lesson 'day2-birds' (loaded: day1-pets)"
    ]
    assert bot.brain is old
