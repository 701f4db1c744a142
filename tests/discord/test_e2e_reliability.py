"""End to end, through `serve` (the code path of `lessonbot run`) against the loopback fake: the recap
posts exactly once, nobody who addresses the bot meets silence, and the moderator commands are
visible to the moderators the config names (issue 10, items 1-8)."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fake_discord import (
    CALLBACK_DEFERRED_CHANNEL_MESSAGE,
    JSON,
    FakeChannel,
    FakeDiscord,
)
from harness import (
    HEARTBEAT,
    SEOUL,
    ManualClock,
    config_for,
    lessonbot_run,
    make_setup,
    run,
    running_bot,
    serve_until_it_exits,
    stop_with_sigterm,
    write_config,
)

CHANNEL_POSTS = r"/channels/\d+/messages"


def recap_posts(fake: FakeDiscord, channel: str) -> list[JSON]:
    channel_id = str(fake.world.guild.channel(channel).id)
    return [m for m in fake.messages if m["channel_id"] == channel_id and m["embeds"]]


# --- 1. the recap exactly once ---------------------------------------------------------------------


def test_a_second_bot_on_the_same_state_file_refuses_to_start(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config):
            status, errors = await serve_until_it_exits(fake, config)
            assert status == 2
            assert errors == (
                f"lessonbot: {config.storage_path}: another lessonbot is already running with this state "
                "database (storage.path)\n"
            )

    run(scenario)


def test_a_recap_whose_first_send_answered_5xx_after_posting_is_posted_once(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        general = fake.world.guild.channel("general").id
        config = config_for(write_config(make_setup(tmp_path), fake, **{"recap.channels": [general]}), fake)
        # Discord created the message but answered 503 (which discord.py does not retry itself).
        fake.fail_next("POST", CHANNEL_POSTS, status=503, after_handling=True)
        clock = ManualClock(datetime(2025, 3, 3, 9, 0, 30, tzinfo=SEOUL))
        async with running_bot(fake, config, clock=clock):
            await clock.passes(1)
            assert len(recap_posts(fake, "general")) == 1
            clock.advance(timedelta(minutes=5))  # the next pass retries, within the grace window
            await clock.passes(2)
            clock.advance(timedelta(minutes=5))
            await clock.passes(3)
            assert len(recap_posts(fake, "general")) == 1
        posts = [r.status for r in fake.requests if r.method == "POST" and "/channels/" in r.path]
        assert posts == [503, 200]  # retried once; Discord answered with the message already posted
        fake.errors.clear()  # the injected 503 is the point of the test

    run(scenario)


def test_a_manual_recap_in_the_recap_channel_is_that_days_post(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        general = fake.world.guild.channel("general").id
        config = config_for(write_config(make_setup(tmp_path), fake, **{"recap.channels": [general]}), fake)
        clock = ManualClock(datetime(2025, 3, 3, 8, 55, tzinfo=SEOUL))
        async with running_bot(fake, config, clock=clock):
            await clock.passes(1)  # 08:55: not yet time
            manual = await (await fake.send_interaction("recap", user="mod", channel="general")).message()
            assert manual["embeds"][0]["title"] == "Today's key points — 1. Pet basics"
            clock.advance(timedelta(minutes=5))  # 09:00, the schedule
            await clock.passes(2)
            await fake.assert_no_message("general")

    run(scenario)


# --- 2. a grace window across local midnight -------------------------------------------------------


def test_a_late_evening_recap_is_posted_after_midnight_within_grace(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        general = fake.world.guild.channel("general").id
        setup = make_setup(tmp_path)
        path = write_config(setup, fake, recap={"channels": [general], "time": "23:00", "grace_hours": 3})
        clock = ManualClock(datetime(2025, 3, 4, 0, 30, tzinfo=SEOUL))  # restarted half an hour after midnight
        async with running_bot(fake, config_for(path, fake), clock=clock):
            await clock.passes(1)
            late = await fake.next_message("general")
            assert late["embeds"][0]["title"] == "오늘의 핵심 요약 — 1. 반려동물 기초"
            clock.advance(timedelta(minutes=10))
            await clock.passes(2)
            await fake.assert_no_message("general")  # and only once

    run(scenario)


# --- 5. SIGTERM whatever is running ------------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and FIFOs")
def test_sigterm_during_a_reload_that_cannot_finish_still_exits(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path)
        lesson = setup.knowledge / "day1-pets.yaml"
        path = write_config(setup, fake, knowledge=str(lesson))
        env = {**os.environ, "DISCORD_TOKEN": fake.token}
        async with lessonbot_run(path, env, cwd=tmp_path) as process:
            await fake.wait_ready(timeout=20)
            # The lesson file becomes a pipe nobody ever writes: reading it blocks the reload for good.
            lesson.unlink()
            os.mkfifo(lesson)
            reload = await fake.send_interaction("reload", user="mod")
            await reload.response(timeout=10)  # deferred: the reload is under way
            _, log = await stop_with_sigterm(process)
        assert "Traceback" not in log, log
        assert "voice will NOT be supported" not in log  # a text-only bot does not warn about voice

    run(scenario)


# --- 6. threads under an answer channel ---------------------------------------------------------------


def test_a_question_in_a_thread_under_an_answer_channel_is_answered(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        guild = fake.world.guild
        thread = FakeChannel(guild.id + 900, "cats-help", 11, parent_id=guild.channel("questions").id)
        fake.world = replace(fake.world, guilds=(replace(guild, channels=(*guild.channels, thread)),))
        config = config_for(write_config(make_setup(tmp_path), fake, **{"discord.message_content": True}), fake)
        async with running_bot(fake, config):
            sent = await fake.send_message("what is a dog?", author="alice", channel="cats-help")
            reply = await fake.next_message("cats-help")
            assert reply["message_reference"]["message_id"] == sent["id"]
            assert reply["embeds"][0]["title"] == "What is a dog?"

    run(scenario)


# --- 7. /unanswered defers; the log is kept only so long -----------------------------------------------


def test_unanswered_defers_and_old_questions_are_purged(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path)
        config = config_for(
            write_config(setup, fake, storage={"path": str(setup.database), "retention_days": 30}), fake
        )
        clock = ManualClock(datetime(2025, 3, 3, 10, 0, tzinfo=SEOUL))
        async with running_bot(fake, config, clock=clock) as bot:
            await (await fake.send_interaction("ask", options={"question": "How do I bake bread?"})).message()
            await fake.wait_idle()
            listing = await fake.send_interaction("unanswered", user="mod")
            assert (await listing.response())["type"] == CALLBACK_DEFERRED_CHANNEL_MESSAGE  # acknowledged first
            assert (await listing.message())["embeds"][0]["description"].startswith("1. How do I bake bread?")

            await clock.passes(1, task=HEARTBEAT)
            clock.advance(timedelta(days=31))  # the heartbeat runs on the bot's clock; it purges daily
            await clock.passes(2, task=HEARTBEAT)  # the beat after it (and its purge) is done
            purged = await (await fake.send_interaction("unanswered", user="mod")).message()
            assert purged["embeds"][0]["description"] == "No unanswered questions yet."
            assert await bot.store.top_unanswered() == []

    run(scenario)


# --- 8. smaller ------------------------------------------------------------------------------------------


def test_switching_to_guild_ids_removes_the_global_commands(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        setup = make_setup(tmp_path)
        first = config_for(write_config(setup, fake, **{"discord.guild_ids": []}), fake)
        async with running_bot(fake, first):
            assert len(fake.registered_commands(None)) == 8
        then = config_for(write_config(setup, fake), fake)
        async with running_bot(fake, then):
            assert fake.registered_commands(None) == []  # not every command twice in the picker
            assert len(fake.registered_commands(fake.world.guild)) == 8

    run(scenario)


def test_a_reply_the_bot_may_not_post_is_one_warning_not_a_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)

    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config):
            fake.fail_next("POST", CHANNEL_POSTS, status=403)
            await fake.send_message(f"{fake.bot_mention} what is a cat?", author="alice")
            await fake.wait_idle()
        fake.errors.clear()  # the injected 403 is the point

    run(scenario)
    warnings = [r for r in caplog.records if r.name.startswith("bot.") and "cannot reply" in r.getMessage()]
    assert len(warnings) == 1
    assert warnings[0].exc_info is None


def test_answer_channels_without_the_message_content_intent_warn_at_start(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="bot")

    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)  # answer_channels set, intent off
        async with running_bot(fake, config):
            pass

    run(scenario)
    assert any("discord.message_content is false" in r.getMessage() for r in caplog.records)


def test_a_lesson_option_is_echoed_escaped(tmp_path: Path) -> None:
    async def scenario(fake: FakeDiscord) -> None:
        config = config_for(write_config(make_setup(tmp_path), fake), fake)
        async with running_bot(fake, config):
            reply = await (
                await fake.send_interaction("recap", options={"lesson": "**@everyone**"}, user="mod")
            ).message()
            assert reply["content"].startswith("No lesson '\\*\\*@\u200beveryone\\*\\*'.")

    run(scenario)
