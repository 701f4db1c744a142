"""End to end: lessonbot's own `serve` path (as `lessonbot run` uses it) with the real discord.py client,
configured through `discord.api_base` / `discord.gateway_url`, against the loopback fake Discord.

The bot answers from a small test lesson (tests/fixtures/discord/day1-pets.yaml), so these tests do
not move when the bundled lesson or the matcher's scores are tuned. Time is a hand-driven clock;
nothing sleeps, and every wait is event driven with a timeout only as a hang guard.
"""

from __future__ import annotations

import asyncio
import io
import logging
import os
import sqlite3
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import discord.gateway
import discord.http
import pytest
from fake_discord import (
    JSON,
    MESSAGE_FLAG_EPHEMERAL,
    CommandHidden,
    FakeDiscord,
    FakeMember,
    FakeRole,
    FakeUser,
    RecordedRequest,
)
from harness import (
    BIRDS,
    PETS,
    SEOUL,
    ManualClock,
    components,
    config_for,
    lessonbot_run,
    make_setup,
    run,
    running_bot,
    serve_until_it_exits,
    stop_with_sigterm,
    write_config,
)

from bot.discord_app.client import LessonBot
from bot.health import check_health

MANAGE_MESSAGES = 1 << 13
NO_MENTIONS: JSON = {"parse": []}


def button(message: JSON, label: str) -> JSON:
    found = [b for b in components(message) if b.get("label") == label]
    assert found, f"no button {label!r} in {[b.get('label') for b in components(message)]}"
    return found[0]


def posts_to_channels(fake: FakeDiscord) -> list[RecordedRequest]:
    return [r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages")]


async def votes(bot: LessonBot, qualified_id: str) -> tuple[int, int]:
    """Return the 👍 and 👎 stored for an answer (as /stats counts them)."""
    report = await bot.store.stats(
        since=datetime(2000, 1, 1, tzinfo=UTC), until=datetime(2100, 1, 1, tzinfo=UTC), tz=UTC
    )
    found = [(v.helpful, v.unhelpful) for v in report.votes if v.qualified_id == qualified_id]
    return found[0] if found else (0, 0)


def interaction_payload(fake: FakeDiscord, interaction_id: int) -> JSON:
    return next(r.payload for r in fake.interaction_responses if r.interaction_id == interaction_id)


# --- startup ---------------------------------------------------------------------------------------


def test_commands_are_synced_to_the_guild_with_korean_localisations(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config) as bot:
            assert fake.api_base == discord.http.Route.BASE  # the config's endpoints are in use
            # To the guild; the global list is emptied (stale global commands would show twice).
            assert [(sync.guild_id, len(sync.commands)) for sync in fake.command_syncs] == [
                (None, 0),
                (fake.world.guild.id, 8),
            ]
            commands = {c["name"]: c for c in fake.command_syncs[-1].commands}
            assert set(commands) == {"ask", "topics", "compare", "recap", "unanswered", "reload", "teach", "stats"}

            ask = commands["ask"]
            assert ask["name_localizations"] == {"ko": "질문"}
            assert ask["description"] == "Ask a question about the lesson"
            assert ask["description_localizations"] == {"ko": "강의 내용에 대해 질문해요"}
            (question,) = ask["options"]
            assert question["name"] == "question"
            assert question["name_localizations"] == {"ko": "질문"}
            assert question["description_localizations"]["ko"] == "궁금한 내용 (한국어 또는 영어)"
            assert question["required"] is True
            assert question["autocomplete"] is True

            korean_names = {name: c["name_localizations"]["ko"] for name, c in commands.items()}
            assert korean_names == {
                "ask": "질문",
                "topics": "주제",
                "compare": "비교",
                "recap": "요약",
                "unanswered": "미답변",
                "reload": "다시불러오기",
                "teach": "가르치기",
                "stats": "통계",
            }
            (lesson,) = commands["recap"]["options"]
            assert lesson["name_localizations"] == {"ko": "강의"}
            assert lesson["description"] == "Which lesson (default: the lesson of the day)"
            assert lesson["description_localizations"] == {"ko": "요약할 강의 (기본: 오늘의 강의)"}
            assert lesson["required"] is False
            assert lesson["autocomplete"] is True
            (only,) = commands["unanswered"]["options"]
            assert (only["name"], only["name_localizations"], only["required"]) == ("lesson", {"ko": "강의"}, False)
            assert only["description_localizations"] == {"ko": "이 강의에 대한 질문만 (기본: 전체)"}
            for moderated in ("recap", "unanswered", "reload", "teach", "stats"):  # hidden from members
                assert int(commands[moderated]["default_member_permissions"]) == MANAGE_MESSAGES
            assert commands["ask"]["default_member_permissions"] is None

            assert fake.intents & (1 << 15) == 0  # no message-content intent unless configured
            assert bot.allowed_mentions is not None
            assert bot.allowed_mentions.to_dict() == NO_MENTIONS
        # Stopping restores discord.py's process-global endpoints.
        assert discord.http.Route.BASE == "https://discord.com/api/v10"
        assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"

    run(scenario)


def test_without_guild_ids_commands_are_synced_globally(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake, **{"discord.guild_ids": []}), fake)
        async with running_bot(fake, config):
            assert [sync.guild_id for sync in fake.command_syncs] == [None]
            answer = await (await fake.send_interaction("ask", options={"question": "What is a dog?"})).message()
            assert answer["embeds"][0]["title"] == "What is a dog?"

    run(scenario)


def test_unreachable_discord_is_one_line_and_status_1(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        path = write_config(make_setup(tmp_path), fake)
        await fake.close()  # nothing listens on the configured port any more
        status, errors = await serve_until_it_exits(fake, config_for(path, fake))
        assert status == 1
        assert errors.startswith("lessonbot: cannot reach Discord: ")
        assert errors.count("\n") == 1

    run(scenario)


def test_rejected_token_is_one_clear_line_and_status_2(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake, token="not-the-token")
        status, errors = await serve_until_it_exits(fake, config)
        assert status == 2
        assert errors == "lessonbot: Discord rejected the token: check DISCORD_TOKEN\n"
        assert "not-the-token" not in errors
        fake.errors.clear()  # the 401 for GET /users/@me is the point of this test

    run(scenario)


def test_unusable_database_path_is_a_clear_error(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path)
        path = write_config(setup, fake, **{"storage.path": str(tmp_path / "missing" / "state.sqlite3")})
        status, errors = await serve_until_it_exits(fake, config_for(path, fake))
        assert status == 2
        assert errors.startswith("lessonbot: ")
        assert "does not exist" in errors
        assert errors.count("\n") == 1
        assert fake.requests == []  # it never tried to connect

    run(scenario)


# --- /ask ------------------------------------------------------------------------------------------


def test_ask_answers_with_an_embed_related_questions_and_feedback(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config) as bot:
            handle = await fake.send_interaction("ask", options={"question": "What is a cat?"})
            message = await handle.message()
            assert not message["flags"] & MESSAGE_FLAG_EPHEMERAL
            (embed,) = message["embeds"]
            assert embed["title"] == "What is a cat?"
            assert embed["description"] == "A cat is an independent pet."
            assert embed["fields"] == [{"name": "Source", "value": "1️⃣ 고양이", "inline": False}]
            assert embed["footer"]["text"] == "1. Pet basics · day1-pets/cat"
            related, feedback = message["components"]
            assert [b["label"] for b in related["components"]] == ["What is a dog?", "Cat vs dog"]
            assert [b["emoji"]["name"] for b in feedback["components"]] == ["👍", "👎"]
            assert interaction_payload(fake, handle.id)["data"]["allowed_mentions"] == NO_MENTIONS

            # A related question: answered privately for whoever clicks.
            click = await fake.send_component(
                button(message, "What is a dog?")["custom_id"], message=message, user="mod"
            )
            follow_up = await click.message()
            assert follow_up["flags"] & MESSAGE_FLAG_EPHEMERAL
            assert follow_up["embeds"][0]["title"] == "What is a dog?"
            assert fake.get_message(int(message["id"]))["embeds"][0]["title"] == "What is a cat?"  # unchanged

            # 👍 is stored per user and answer, with a private thank-you.
            vote = await fake.send_component(button(message, "Helpful")["custom_id"], message=message)
            thanks = await vote.message()
            assert thanks["flags"] & MESSAGE_FLAG_EPHEMERAL
            assert thanks["content"] == "Thanks for the feedback! 👍"
            await fake.wait_idle()  # the vote is stored after the thank-you
            assert await votes(bot, "day1-pets/cat") == (1, 0)

            # A Korean question gets a Korean answer, whatever the user's locale.
            korean = await (await fake.send_interaction("ask", options={"question": "고양이가 뭐야?"})).message()
            assert korean["embeds"][0]["title"] == "고양이란?"
            assert korean["embeds"][0]["fields"][0]["name"] == "출처"
            assert [b["label"] for b in components(korean)][-2:] == ["도움이 됐어요", "도움이 안 됐어요"]

    run(scenario)


def test_ambiguous_question_offers_suggestions_and_a_click_answers_in_place(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config):
            handle = await fake.send_interaction("ask", options={"question": "pet food?"})
            message = await handle.message()
            assert message["content"] == "Did you mean…\n> pet food?"
            assert message["embeds"] == []
            assert sorted(b["label"] for b in components(message)) == ["Food: cats", "Food: dogs"]

            click = await fake.send_component(button(message, "Food: dogs")["custom_id"], message=message)
            answered = await click.message()
            assert answered["id"] == message["id"]  # the asker's click turns the suggestions into the answer
            assert answered["content"] == ""
            assert answered["embeds"][0]["title"] == "Food: dogs"
            assert answered["embeds"][0]["description"] == "Dog food is chosen by age."

            korean = await (await fake.send_interaction("ask", options={"question": "사료 추천"})).message()
            assert korean["content"].startswith("혹시 이 질문인가요?")
            assert sorted(b["label"] for b in components(korean)) == ["사료: 강아지", "사료: 고양이"]

    run(scenario)


def test_no_match_is_private_lists_topics_and_is_logged_as_unanswered(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config) as bot:
            for user in ("alice", "mod"):
                handle = await fake.send_interaction(
                    "ask", options={"question": "How do I bake sourdough bread?"}, user=user
                )
                message = await handle.message()
                assert message["flags"] & MESSAGE_FLAG_EPHEMERAL
                description = message["embeds"][0]["description"]
                assert description.startswith("The lesson doesn't cover that.\n> How do I bake sourdough bread?")
                assert "Topics you can ask about" in description
                assert "• What is a cat?" in description
            await fake.wait_idle()  # the unanswered row is written after the reply
            korean = await (await fake.send_interaction("ask", options={"question": "주식 투자 방법"})).message()
            assert korean["embeds"][0]["description"].startswith("이 질문은 강의에서 다루지 않는 내용이에요.")
            await fake.wait_idle()

            rows = await bot.store.top_unanswered()
            assert [(row.question, row.count) for row in rows] == [
                ("How do I bake sourdough bread?", 2),
                ("주식 투자 방법", 1),
            ]
            listing = await (await fake.send_interaction("unanswered", user="mod")).message()
            assert listing["flags"] & MESSAGE_FLAG_EPHEMERAL
            assert listing["embeds"][0]["title"] == "Unanswered questions"
            # With the lesson each was asked about (the lesson of the day, here the only one).
            assert listing["embeds"][0]["description"].splitlines() == [
                "1. How do I bake sourdough bread? — 2× · day1-pets",
                "2. 주식 투자 방법 — 1× · day1-pets",
            ]

    run(scenario)


def test_autocomplete_suggests_titles_in_the_users_language(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config):
            choices = await (
                await fake.send_autocomplete("ask", focused="question", options={"question": "cat"})
            ).choices()
            names = [c["name"] for c in choices]
            assert names[0] == "What is a cat?"
            assert "What is a dog?" not in names
            assert all(c["name"] == c["value"] for c in choices)

            everything = await (
                await fake.send_autocomplete("ask", focused="question", options={"question": ""}, locale="ko")
            ).choices()
            assert 0 < len(everything) <= 25
            assert "고양이란?" in [c["name"] for c in everything]  # Korean for a Korean locale

            korean = await (
                await fake.send_autocomplete("ask", focused="question", options={"question": "고양"})
            ).choices()
            assert korean[0]["name"] == "고양이란?"

            # Picking a choice submits its title, which answers that entry.
            picked = await (await fake.send_interaction("ask", options={"question": "Food: cats"})).message()
            assert picked["embeds"][0]["footer"]["text"].endswith("day1-pets/food.cat")

    run(scenario)


def test_chat_noise_gets_a_short_line_and_is_never_logged_as_unanswered(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config) as bot:
            message = await (await fake.send_interaction("ask", options={"question": "thanks lol"})).message()
            assert message["flags"] & MESSAGE_FLAG_EPHEMERAL
            assert message["content"] == "Sure! Ask me anything about the lesson."
            assert not message["embeds"]  # no topic list: nothing was asked
            await fake.wait_idle()
            assert await bot.store.top_unanswered() == []
            # Addressed to the bot, chat noise gets the same short line (someone who addresses the bot
            # is never met with silence), and it is still not an unanswered question.
            await fake.send_message(f"{fake.bot_mention} ㅇㅋ 감사합니다ㅋㅋ", author="alice", channel="general")
            reply = await fake.next_message("general")
            assert reply["content"] == "네! 강의 내용에 대해 궁금한 게 있으면 물어봐 주세요."
            await fake.wait_idle()
            assert await bot.store.top_unanswered() == []

    run(scenario)


def test_everyone_in_a_question_never_pings(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config):
            role = fake.world.guild.role("Moderator")
            question = f"@everyone {role.mention} pet food?"
            handle = await fake.send_interaction("ask", options={"question": question})
            message = await handle.message()
            assert interaction_payload(fake, handle.id)["data"]["allowed_mentions"] == NO_MENTIONS
            assert message["mention_everyone"] is False
            assert message["mention_roles"] == []
            assert "@everyone" not in message["content"]  # echoed escaped: @\u200beveryone
            assert "@\u200beveryone" in message["content"]

            await fake.send_message(f"@everyone {fake.bot_mention} what is a cat?", author="alice")
            reply = await fake.next_message("general")
            assert reply["mention_everyone"] is False
            assert reply["mentions"] == []
            assert posts_to_channels(fake)[-1].json["allowed_mentions"] == {"parse": [], "replied_user": False}

    run(scenario)


# --- plain messages --------------------------------------------------------------------------------


def test_a_mention_gets_a_reply_but_bots_and_cooldowns_do_not(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config) as bot:
            sent = await fake.send_message(f"{fake.bot_mention} what is a cat?", author="alice", channel="general")
            reply = await fake.next_message("general")
            assert reply["message_reference"]["message_id"] == sent["id"]
            assert reply["embeds"][0]["title"] == "What is a cat?"
            assert reply["mentions"] == []  # replying does not ping the asker

            # Another bot asking: never answered (nor the bot's own reply, which the fake echoes back).
            await fake.send_message(f"{fake.bot_mention} what is a dog?", author="otherbot", channel="general")
            await fake.assert_no_message("general")

            # The same user again, within the per-user cooldown: no reply.
            await fake.send_message(f"{fake.bot_mention} what is a dog?", author="alice", channel="general")
            await fake.assert_no_message("general")

            # Someone else asking something the lesson does not cover: an honest "not covered", not a
            # guess and not silence, and the question is logged for /unanswered.
            await fake.send_message(f"{fake.bot_mention} how do I bake bread?", author="mod", channel="general")
            honest = await fake.next_message("general")
            assert honest["embeds"][0]["description"].startswith(
                "The lesson doesn't cover that.\n> how do I bake bread?"
            )
            await fake.wait_idle()
            assert [row.question for row in await bot.store.top_unanswered()] == ["how do I bake bread?"]

            # Addressed but unsure between two entries: "did you mean" buttons, not silence.
            await fake.send_message(f"{fake.bot_mention} pet food?", author="owner", channel="general")
            unsure = await fake.next_message("general")
            assert sorted(b["label"] for b in components(unsure)) == ["Food: cats", "Food: dogs"]

            # Without the message-content intent, a plain question in an answer channel is invisible.
            await fake.send_message("what is a dog?", author="owner", channel="questions")
            await fake.assert_no_message("questions")

    run(scenario)


def test_with_message_content_questions_in_answer_channels_are_answered(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path)
        config = config_for(write_config(setup, fake, **{"discord.message_content": True}), fake)
        async with running_bot(fake, config):
            assert fake.intents & (1 << 15)
            sent = await fake.send_message("what is a dog?", author="alice", channel="questions")
            reply = await fake.next_message("questions")
            assert reply["message_reference"]["message_id"] == sent["id"]
            assert reply["embeds"][0]["title"] == "What is a dog?"
            # Not a question, or not an answer channel: no reply.
            await fake.send_message("I love my cat", author="mod", channel="questions")
            await fake.send_message("what is a cat?", author="owner", channel="general")
            await fake.assert_no_message()

    run(scenario)


# --- moderators ------------------------------------------------------------------------------------


def test_recap_is_refused_for_members_and_posted_for_moderators(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config):
            with pytest.raises(CommandHidden):  # members without Manage Messages do not see it
                await fake.send_interaction("recap", user="alice", locale="ko")

            posted = await (await fake.send_interaction("recap", user="mod")).message()
            assert not posted["flags"] & MESSAGE_FLAG_EPHEMERAL
            (embed,) = posted["embeds"]
            assert embed["title"] == "Today's key points — 1. Pet basics"
            assert embed["description"] == "• A cat is an independent pet.\n• A dog needs walks."
            assert embed["footer"]["text"] == "3월 2일 · day1-pets"

            korean = await (await fake.send_interaction("recap", user="owner", locale="ko")).message()
            assert korean["embeds"][0]["title"] == "오늘의 핵심 요약 — 1. 반려동물 기초"

    run(scenario)


def test_a_configured_moderator_role_may_use_moderator_commands(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        # alice gets a role without Manage Messages that moderator_role_ids names; bob has no role.
        world = fake.world
        helper = FakeRole(world.guild.id + 50, "Helper", 0, 2)
        bob = FakeUser(world.owner.id + 1, "bob", "Bob")
        members = tuple(
            FakeMember(m.user, (helper.id,)) if m.user.username == "alice" else m for m in world.guild.members
        )
        guild = replace(world.guild, roles=(*world.guild.roles, helper), members=(*members, FakeMember(bob)))
        fake.world = replace(world, guilds=(guild,), users=(*world.users, bob))
        setup = make_setup(tmp_path)
        config = config_for(write_config(setup, fake, moderator_role_ids=[helper.id]), fake)
        async with running_bot(fake, config):
            posted = await (await fake.send_interaction("recap", user="alice")).message()
            assert posted["embeds"][0]["title"].startswith("Today's key points")
            refused = await (await fake.send_interaction("recap", user="bob")).message()
            assert refused["content"] == "Only moderators can use this command."

    run(scenario)


def test_reload_with_a_broken_file_keeps_the_old_knowledge(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path)
        config = config_for(write_config(setup, fake), fake)
        lesson = setup.knowledge / "day1-pets.yaml"
        good = lesson.read_text(encoding="utf-8")
        async with running_bot(fake, config):
            lesson.write_text(good.replace("  id: day1-pets\n", "  id: Day One!\n"), encoding="utf-8")
            with pytest.raises(CommandHidden):
                await fake.send_interaction("reload", user="alice")

            failed = await (await fake.send_interaction("reload", user="mod")).message()
            assert failed["flags"] & MESSAGE_FLAG_EPHEMERAL
            assert failed["content"].startswith("The new lesson files have problems, so the previous ones stay in use:")
            assert f"{lesson}:7: " in failed["content"]  # file:line of the bad id

            still = await (await fake.send_interaction("ask", options={"question": "What is a cat?"})).message()
            assert still["embeds"][0]["description"] == "A cat is an independent pet."

            lesson.write_text(good.replace("A cat is an independent pet.", "A cat purrs."), encoding="utf-8")
            reloaded = await (await fake.send_interaction("reload", user="mod")).message()
            assert reloaded["content"] == "Reloaded the lesson files: 1 lesson(s), 6 entries."
            fresh = await (await fake.send_interaction("ask", options={"question": "What is a cat?"})).message()
            assert fresh["embeds"][0]["description"] == "A cat purrs."

    run(scenario)


def test_topics_and_compare(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config):
            topics = await (await fake.send_interaction("topics", locale="ko")).message()
            assert topics["flags"] & MESSAGE_FLAG_EPHEMERAL
            assert topics["embeds"][0]["title"] == "물어볼 수 있는 주제"
            (menu,) = components(topics)
            assert [o["value"] for o in menu["options"]][:2] == ["day1-pets/cat", "day1-pets/dog"]
            picked = await fake.send_component(
                menu["custom_id"], message=topics, component_type=3, values=["day1-pets/dog"]
            )
            shown = await picked.message()
            assert shown["embeds"][0]["title"] == "강아지란?"

            table = await (await fake.send_interaction("compare")).message()
            (embed,) = table["embeds"]
            assert embed["title"] == "Cat vs dog"
            assert [f["name"] for f in embed["fields"]] == ["Walks", "Sound"]
            assert embed["fields"][0]["value"] == "**Cat**: Not needed\n**Dog**: Needed daily"

    run(scenario)


# --- persistence across restarts -------------------------------------------------------------------


def test_buttons_keep_working_after_a_restart(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config):
            message = await (await fake.send_interaction("ask", options={"question": "What is a cat?"})).message()
        async with running_bot(fake, config):  # a new process would see the same: nothing in memory
            click = await fake.send_component(button(message, "Cat vs dog")["custom_id"], message=message)
            answer = await click.message()
            assert answer["embeds"][0]["title"] == "Cat vs dog"

    run(scenario)


def test_daily_recap_posts_once_and_not_again_after_a_restart(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path)
        general = fake.world.guild.channel("general").id
        path = write_config(setup, fake, **{"recap.channels": [general]})
        config = config_for(path, fake)
        clock = ManualClock(datetime(2025, 3, 3, 9, 0, 30, tzinfo=SEOUL))
        async with running_bot(fake, config, clock=clock):
            await clock.passes(1)
            recap = await fake.next_message("general")
            assert recap["embeds"][0]["title"] == "오늘의 핵심 요약 — 1. 반려동물 기초"
            assert posts_to_channels(fake)[-1].json["allowed_mentions"] == {"parse": []}
            # The scheduler sleeps until tomorrow 09:00 (capped, so clock changes are noticed).
            assert 0 < clock.sleeps[-1] <= 300
            clock.advance(timedelta(minutes=10))
            await clock.passes(2)
            await fake.assert_no_message("general")

        clock = ManualClock(datetime(2025, 3, 3, 9, 30, tzinfo=SEOUL))
        async with running_bot(fake, config, clock=clock):  # same database: already posted today
            await clock.passes(1)
            await fake.assert_no_message("general")
            clock.advance(timedelta(days=1) - timedelta(minutes=30))  # the next morning, 09:00
            await clock.passes(2)
            tomorrow = await fake.next_message("general")
            assert tomorrow["embeds"][0]["title"].startswith("오늘의 핵심 요약")
        with sqlite3.connect(setup.database) as db:
            assert db.execute("SELECT channel_id, day FROM recap_claims ORDER BY day DESC LIMIT 1").fetchall() == [
                (general, "2025-03-04")
            ]

    run(scenario)


@pytest.mark.parametrize(("start", "posted"), [((11, 30), True), ((12, 30), False)], ids=["late", "missed"])
def test_daily_recap_after_downtime_posts_late_within_grace_only(
    tmp_path: Path, start: tuple[int, int], posted: bool
) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path)
        general = fake.world.guild.channel("general").id
        config = config_for(write_config(setup, fake, **{"recap.channels": [general]}), fake)
        clock = ManualClock(datetime(2025, 3, 3, *start, tzinfo=SEOUL))  # 09:00 + grace 3 h = 12:00
        async with running_bot(fake, config, clock=clock):
            await clock.passes(1)
            if posted:
                assert (await fake.next_message("general"))["embeds"][0]["title"].startswith("오늘의 핵심 요약")
            await fake.assert_no_message("general")

    run(scenario)


# --- a curriculum of several lessons ----------------------------------------------------------------
# day1-pets and day2-birds loaded together; both have a "Key points" entry with the same phrasings.


def custom_ids(message: JSON) -> list[str]:
    return [b["custom_id"] for b in components(message)]


def test_a_scoped_channel_answers_only_from_its_lesson_and_every_id_is_qualified(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot")

    async def scenario(fake: FakeDiscord) -> None:
        questions = fake.world.guild.channel("questions").id
        setup = make_setup(tmp_path, lessons=(PETS, BIRDS))
        config = config_for(write_config(setup, fake, lesson_channels={str(questions): "day1-pets"}), fake)
        async with running_bot(fake, config) as bot:
            # #questions is scoped to day 1: a day-2 topic is not covered there, and is logged so.
            scoped = await (
                await fake.send_interaction("ask", options={"question": "What is a parrot?"}, channel="questions")
            ).message()
            assert scoped["flags"] & MESSAGE_FLAG_EPHEMERAL
            description = scoped["embeds"][0]["description"]
            assert description.startswith("The lesson doesn't cover that.\n> What is a parrot?")
            assert "• What is a cat?" in description
            assert "Keeping birds" not in description
            await fake.wait_idle()

            # Anywhere else every lesson is searched: the answer's ids carry their lesson.
            answer = await (await fake.send_interaction("ask", options={"question": "What is a parrot?"})).message()
            (embed,) = answer["embeds"]
            assert embed["description"] == "A parrot is a bird that can mimic speech."
            assert embed["footer"]["text"] == "2. Keeping birds · day2-birds/parrot"
            assert custom_ids(answer) == [
                "lb:r:en:day2-birds/canary",
                "lb:fb:up:en:day2-birds/parrot",
                "lb:fb:down:en:day2-birds/parrot",
            ]
            vote = await fake.send_component(button(answer, "Helpful")["custom_id"], message=answer)
            await vote.message()
            await fake.wait_idle()
            assert await votes(bot, "day2-birds/parrot") == (1, 0)

            # The same question in the scoped channel's autocomplete: only day 1's titles.
            choices = await (
                await fake.send_autocomplete(
                    "ask", focused="question", options={"question": "what"}, channel="questions"
                )
            ).choices()
            pets = {"What is a cat?", "What is a dog?", "Food: cats", "Food: dogs", "Cat vs dog", "Key points"}
            assert choices
            assert {c["name"] for c in choices} <= pets

            # A title both lessons share: two "did you mean" buttons told apart by their lesson,
            # the lesson of the day (the newest here: no schedule) first.
            tie = await (await fake.send_interaction("ask", options={"question": "key points"})).message()
            if tie["embeds"]:  # a matcher that settles ties itself answers the lesson of the day
                assert tie["embeds"][0]["footer"]["text"].endswith("day2-birds/summary")
            else:
                assert [(b["label"], b["custom_id"]) for b in components(tie)][:2] == [
                    ("Key points · 2. Keeping birds", "lb:s:en:day2-birds/summary"),
                    ("Key points · 1. Pet basics", "lb:s:en:day1-pets/summary"),
                ]

            listing = await (await fake.send_interaction("unanswered", user="mod")).message()
            assert listing["embeds"][0]["description"] == "1. What is a parrot? — 1× · day1-pets"
        assert fake.token not in caplog.text

    run(scenario)
    logged = [record.getMessage() for record in caplog.records if record.name.startswith("bot.")]
    assert any(line.startswith("answered day2-birds/parrot score=") and "via=/ask" in line for line in logged)
    assert "feedback up on day2-birds/parrot" in logged
    assert any(line.startswith("no match (unknown)") and "lessons=day1-pets" in line for line in logged)


def test_recap_lesson_autocompletes_lesson_titles_and_posts_the_chosen_one(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path, lessons=(PETS, BIRDS))
        curriculum = {"schedule": {"2025-03-03": "day1-pets", "2025-03-04": "day2-birds"}}
        config = config_for(write_config(setup, fake, curriculum=curriculum), fake)
        clock = ManualClock(datetime(2025, 3, 3, 10, 0, tzinfo=SEOUL))  # Monday: day 1 is the lesson of the day
        async with running_bot(fake, config, clock=clock):
            korean = await (await fake.send_autocomplete("recap", focused="lesson", user="mod", locale="ko")).choices()
            assert korean == [
                {"name": "1. 반려동물 기초", "value": "day1-pets"},
                {"name": "2. 새 기르기", "value": "day2-birds"},
            ]
            typed = await (
                await fake.send_autocomplete("recap", focused="lesson", options={"lesson": "bird"}, user="mod")
            ).choices()
            assert typed == [{"name": "2. Keeping birds", "value": "day2-birds"}]

            chosen = await (
                await fake.send_interaction("recap", options={"lesson": "day2-birds"}, user="mod")
            ).message()
            (embed,) = chosen["embeds"]
            assert embed["title"] == "Today's key points — 2. Keeping birds"
            assert embed["description"] == "• A parrot can mimic speech.\n• A canary sings well."
            assert embed["footer"]["text"] == "3월 3일 · day2-birds"

            default = await (await fake.send_interaction("recap", user="mod", locale="ko")).message()
            assert default["embeds"][0]["title"] == "오늘의 핵심 요약 — 1. 반려동물 기초"

    run(scenario)


def test_daily_recap_posts_the_scheduled_lesson_of_the_day(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path, lessons=(PETS, BIRDS))
        general = fake.world.guild.channel("general").id
        curriculum = {"schedule": {"2025-03-04": "day1-pets", "2025-03-05": "day2-birds"}}
        path = write_config(setup, fake, curriculum=curriculum, **{"recap.channels": [general]})
        clock = ManualClock(datetime(2025, 3, 3, 9, 0, 30, tzinfo=SEOUL))
        async with running_bot(fake, config_for(path, fake), clock=clock):
            await clock.passes(1)
            await fake.assert_no_message("general")  # the course starts tomorrow: no lesson of the day yet
            clock.advance(timedelta(days=1))
            await clock.passes(2)
            first = await fake.next_message("general")
            assert first["embeds"][0]["title"] == "오늘의 핵심 요약 — 1. 반려동물 기초"
            assert first["embeds"][0]["footer"]["text"] == "3월 2일 · day1-pets"
            clock.advance(timedelta(days=1))
            await clock.passes(3)
            second = await fake.next_message("general")
            assert second["embeds"][0]["title"] == "오늘의 핵심 요약 — 2. 새 기르기"
            await fake.assert_no_message("general")
        with sqlite3.connect(setup.database) as db:
            assert db.execute("SELECT channel_id, day FROM recap_claims ORDER BY day DESC LIMIT 1").fetchall() == [
                (general, "2025-03-05")
            ]
        db.close()

    run(scenario)


# --- health and shutdown ---------------------------------------------------------------------------


def test_health_follows_the_heartbeat(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path)
        path = write_config(setup, fake)
        clock = ManualClock(datetime(2025, 3, 3, 10, 0, tzinfo=SEOUL))
        out = io.StringIO()
        async with running_bot(fake, config_for(path, fake), clock=clock):
            assert check_health(path, max_age=90, out=out, now=clock.now() + timedelta(seconds=10)) == 0
            assert out.getvalue() == "healthy: last heartbeat 10 s ago\n"
            stale = io.StringIO()
            assert check_health(path, max_age=90, out=stale, now=clock.now() + timedelta(minutes=5)) == 1
            assert stale.getvalue().startswith("unhealthy: last heartbeat 300 s ago")
        after = io.StringIO()
        assert check_health(path, max_age=90, out=after, now=clock.now()) == 1
        assert after.getvalue().startswith("unhealthy: no heartbeat")

    run(scenario)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_lessonbot_run_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path)
        path = write_config(setup, fake)
        env = {**os.environ, "DISCORD_TOKEN": fake.token}
        async with lessonbot_run(path, env) as process:
            await fake.wait_ready(timeout=20)
            handle = await fake.send_interaction("ask", options={"question": "What is a cat?"}, user="alice")
            assert (await handle.message(timeout=10))["embeds"][0]["title"] == "What is a cat?"
            stdout, log = await stop_with_sigterm(process)
        assert "answered day1-pets/cat score=" in log  # one INFO line per answered question
        assert "Traceback" not in log
        assert fake.token not in log
        assert fake.token not in stdout
        with sqlite3.connect(setup.database) as db:  # flushed: WAL checkpointed, heartbeat cleared
            assert db.execute("SELECT COUNT(*) FROM heartbeat").fetchone() == (0,)
        assert not Path(f"{setup.database}-wal").exists() or Path(f"{setup.database}-wal").stat().st_size == 0

    run(scenario)


def test_lessonbot_run_without_a_token_says_so_in_one_line(tmp_path: Path) -> None:
    setup = make_setup(tmp_path)

    async def scenario(fake: FakeDiscord) -> None:
        path = write_config(setup, fake)
        env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
        async with lessonbot_run(path, env) as process:
            _, stderr = await asyncio.wait_for(process.communicate(), 20)
        assert process.returncode == 2
        assert stderr.decode() == "lessonbot: no Discord token: set the DISCORD_TOKEN environment variable\n"
        assert fake.requests == []

    run(scenario)
