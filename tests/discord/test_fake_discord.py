"""End-to-end tests of the fake Discord with a real discord.py ``commands.Bot``.

Each test starts the fake on 127.0.0.1, points discord.py at it, runs a small bot defined here with
``bot.start(token)`` and talks to it through gateway events, awaiting results with timeouts (no
sleeps).  The project's own bot is tested the same way elsewhere.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from fake_discord import (
    CALLBACK_AUTOCOMPLETE_RESULT,
    CALLBACK_CHANNEL_MESSAGE,
    CALLBACK_DEFERRED_CHANNEL_MESSAGE,
    CALLBACK_UPDATE_MESSAGE,
    MESSAGE_FLAG_EPHEMERAL,
    FakeDiscord,
    FakeDiscordTimeout,
    Intent,
    fail_on_error_logs,
    point_discord_at,
    run_client,
)

with warnings.catch_warnings():  # discord.py imports the deprecated audioop on Python < 3.13
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord
    import discord.gateway
    import discord.http
    from discord import app_commands
    from discord.ext import commands

GUILD_READY_TIMEOUT = 0.05


# conftest.py restores discord.py's endpoints after each test and fails it on ERROR logs.


# --------------------------------------------------------------------------------------------
# The bot under test
# --------------------------------------------------------------------------------------------


class CounterView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=None)
        self.count = 0

    @discord.ui.button(label="+1", custom_id="counter:inc")
    async def inc(self, interaction: discord.Interaction, button: discord.ui.Button[CounterView]) -> None:
        self.count += 1
        await interaction.response.edit_message(content=f"count={self.count}", view=self)


class AskModal(discord.ui.Modal, title="Ask a question"):
    question: discord.ui.TextInput[AskModal] = discord.ui.TextInput(label="Question", custom_id="question")

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(f"Q: {self.question.value}", ephemeral=True)


TOPICS = ["asyncio", "async generators", "decorators", "descriptors", "dataclasses"]


def build_commands() -> list[app_commands.Command[Any, Any, Any]]:
    @app_commands.command(name="ping", description="Check that the bot answers")
    async def ping(interaction: discord.Interaction) -> None:
        korean = interaction.locale is discord.Locale.korean
        embed = discord.Embed(title="퐁!" if korean else "Pong!", description=f"locale={interaction.locale.value}")
        embed.add_field(name="user", value=interaction.user.name)
        await interaction.response.send_message(embed=embed)

    @app_commands.command(name="slow", description="Defer, then edit and follow up")
    @app_commands.describe(text="what to echo")
    async def slow(interaction: discord.Interaction, text: str, times: int = 1) -> None:
        await interaction.response.defer(thinking=True)
        await interaction.edit_original_response(content=text * times)
        await interaction.followup.send("done", ephemeral=True)

    @app_commands.command(name="topic", description="Pick a topic")
    async def topic(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(f"topic={name}")

    @topic.autocomplete("name")
    async def topic_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return [app_commands.Choice(name=t, value=t) for t in TOPICS if t.startswith(current)]

    @app_commands.command(name="counter", description="A message with a button")
    async def counter(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("count=0", view=CounterView())

    @app_commands.command(name="ask", description="Open a modal")
    async def ask(interaction: discord.Interaction) -> None:
        await interaction.response.send_modal(AskModal())

    @app_commands.command(name="whois", description="Describe a member")
    async def whois(interaction: discord.Interaction, member: discord.Member, role: discord.Role) -> None:
        can_manage = interaction.permissions.manage_messages
        await interaction.response.send_message(
            f"{member.name} has {role.name}: {role in member.roles}; caller manages messages: {can_manage}",
            ephemeral=True,
        )

    @app_commands.command(name="boom", description="Raises")
    async def boom(interaction: discord.Interaction) -> None:
        raise RuntimeError("kaboom")

    return [ping, slow, topic, counter, ask, whois, boom]


class PingBot(commands.Bot):
    def __init__(self, *, fake: FakeDiscord, intents: discord.Intents | None = None) -> None:
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents or discord.Intents.default(),
            application_id=fake.application_id,
            guild_ready_timeout=GUILD_READY_TIMEOUT,
        )
        self.guild = discord.Object(fake.world.guild.id)
        for command in build_commands():
            self.tree.add_command(command, guild=self.guild)
        self.seen_contents: list[str] = []

    async def setup_hook(self) -> None:
        await self.tree.sync(guild=self.guild)

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        self.seen_contents.append(message.content)
        if self.user is not None and self.user in message.mentions:
            no_mass_pings = discord.AllowedMentions(everyone=False, roles=False)
            await message.reply("pong", mention_author=False, allowed_mentions=no_mass_pings)


class QuickReidentifyBot(PingBot):
    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """discord.py's default sleeps 5 s before every IDENTIFY but the first one."""


Scenario = Callable[[FakeDiscord, PingBot], Awaitable[None]]


def run(
    scenario: Scenario,
    *,
    intents: discord.Intents | None = None,
    bot_class: type[PingBot] = PingBot,
    check_clean: bool = True,
    **fake_options: Any,
) -> FakeDiscord:
    """Run ``scenario`` against a started fake and a connected bot; close both cleanly."""

    async def main() -> FakeDiscord:
        async with FakeDiscord(**fake_options) as fake:
            with point_discord_at(fake):
                bot = bot_class(fake=fake, intents=intents)
                async with run_client(fake, bot):
                    await scenario(fake, bot)
            if check_clean:
                fake.assert_clean()
            return fake

    return asyncio.run(main())


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("compress", [True, False], ids=["zlib-stream", "text-frames"])
def test_sync_slash_command_and_mention_reply(compress: bool) -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        # Startup: login, gateway, READY + GUILD_CREATE, and the sync done in setup_hook.
        assert bot.user is not None
        assert bot.user.id == fake.bot_user.id
        guild = bot.get_guild(fake.world.guild.id)
        assert guild is not None
        assert guild.name == "Study Group"
        assert {c.name for c in guild.text_channels} == {"general", "questions"}
        assert guild.member_count == 5  # without the members intent discord.py caches only itself
        assert [s.guild_id for s in fake.command_syncs] == [fake.world.guild.id]
        sync = fake.command_syncs[0]
        assert "ping" in {c["name"] for c in sync.commands}
        ping = next(c for c in sync.commands if c["name"] == "ping")
        assert ping["description"] == "Check that the bot answers"
        registered = fake.registered_commands(fake.world.guild)
        assert [c["name"] for c in registered] == [c["name"] for c in sync.commands]
        assert all(c["guild_id"] == str(fake.world.guild.id) for c in registered)

        # A slash command gets its callback with the embed, in the user's locale.
        handle = await fake.send_interaction("ping", user="alice", locale="ko")
        response = await handle.response()
        assert response["type"] == CALLBACK_CHANNEL_MESSAGE
        embed = response["data"]["embeds"][0]
        assert embed["title"] == "퐁!"
        assert embed["description"] == "locale=ko"
        assert embed["fields"] == [{"name": "user", "value": "alice", "inline": True}]
        message = await handle.message()
        assert message["interaction_metadata"]["name"] == "ping"
        assert message["author"]["id"] == str(fake.bot_user.id)
        english = await (await fake.send_interaction("ping", user="mod")).response()
        assert english["data"]["embeds"][0]["title"] == "Pong!"

        # A mention gets a reply, with allowed_mentions in the payload.
        sent = await fake.send_message(f"{fake.bot_mention} hello", author="alice", channel="general")
        reply = await fake.next_message("general")
        assert reply["content"] == "pong"
        assert reply["message_reference"]["message_id"] == sent["id"]
        post = next(r for r in fake.requests if r.method == "POST" and r.path.endswith("/messages"))
        assert post.json["allowed_mentions"] == {"parse": ["users"], "replied_user": False}
        assert reply["mentions"] == []  # replied_user=False: alice is not pinged
        await fake.assert_no_message("general")

        connection = fake.gateway_connections[0]
        assert connection.query["encoding"] == "json"
        assert connection.compressed is (compress and connection.query.get("compress") == "zlib-stream")

    fake = run(scenario, compress=compress)
    assert fake.identify_count == 1
    assert not fake.unhandled


def test_negative_checks_and_message_content_intent() -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        await fake.send_message("no mention here", author="alice")
        await fake.assert_no_message("general")
        await fake.send_message(f"{fake.bot_mention} from a bot", author="otherbot")
        await fake.assert_no_message()
        await fake.send_message(f"hi {fake.bot_mention}", author="mod", channel="questions")
        reply = await fake.next_message("questions")
        assert reply["channel_id"] == str(fake.world.guild.channel("questions").id)
        await fake.wait_idle()
        # Without the MESSAGE_CONTENT intent Discord blanks content unless the bot is mentioned.
        assert bot.seen_contents == ["", f"hi {fake.bot_mention}"]
        assert not fake.intents & Intent.MESSAGE_CONTENT
        # DMs always carry content.
        await fake.send_message(f"{fake.bot_mention} in a DM", author="alice", dm=True)
        dm_reply = await fake.next_message(fake.dm_channel("alice"))
        assert dm_reply["content"] == "pong"
        assert "guild_id" not in dm_reply

    run(scenario)


def test_assert_no_message_sees_replies_still_in_flight() -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        await fake.send_message(f"{fake.bot_mention} hi", author="alice")
        # Called before the bot has even read the event: it must still see the reply.
        with pytest.raises(AssertionError, match=r"expected no bot message .*'pong'"):
            await fake.assert_no_message("general")
        assert (await fake.next_message("general"))["content"] == "pong"
        await fake.assert_no_message()

    run(scenario)


def test_privileged_intents_content_and_members() -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        await fake.send_message("plain text", author="alice")
        await fake.wait_idle()
        assert bot.seen_contents == ["plain text"]
        guild = bot.get_guild(fake.world.guild.id)
        assert guild is not None
        assert guild.chunked  # member_count == members sent: no REQUEST_GUILD_MEMBERS needed
        assert len(guild.members) == 5
        assert not [f for f in fake.gateway_frames if f["op"] == 8]
        assert bot.seen_contents == ["plain text"]

    intents = discord.Intents.default()
    intents.message_content = True
    intents.members = True
    run(scenario, intents=intents)


def test_missing_guild_messages_intent_drops_events() -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        await fake.send_message(f"{fake.bot_mention} anyone?", author="alice")
        await fake.assert_no_message(within=0.5)
        assert [e.event for e in fake.dropped_events] == ["MESSAGE_CREATE"]
        with pytest.raises(FakeDiscordTimeout, match="GUILD_MESSAGES"):
            await fake.next_message(timeout=0.05)

    intents = discord.Intents.default()
    intents.guild_messages = False
    run(scenario, intents=intents, check_clean=False)


def test_deferred_response_edit_and_followup() -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        handle = await fake.send_interaction("slow", options={"text": "ab", "times": 3})
        first = await handle.response()
        assert first["type"] == CALLBACK_DEFERRED_CHANNEL_MESSAGE
        shown = await handle.message()
        assert shown["content"] == "ababab"
        followup = await handle.next_followup()
        assert followup["content"] == "done"
        assert followup["flags"] & MESSAGE_FLAG_EPHEMERAL
        # option types come from the synced command definition
        assert [o["type"] for o in handle.payload["data"]["options"]] == [3, 4]
        # raw Discord options work too
        raw = await fake.send_interaction("slow", options=[{"name": "text", "type": 3, "value": "z"}])
        assert (await raw.message())["content"] == "z"

    run(scenario)


def test_autocomplete() -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        handle = await fake.send_autocomplete("topic", focused="name", options={"name": "as"})
        assert (await handle.response())["type"] == CALLBACK_AUTOCOMPLETE_RESULT
        assert [c["value"] for c in await handle.choices()] == ["asyncio", "async generators"]

    run(scenario)


def test_button_component_updates_message() -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        message = await (await fake.send_interaction("counter")).message()
        assert message["components"][0]["components"][0]["custom_id"] == "counter:inc"
        for expected in ("count=1", "count=2"):
            click = await fake.send_component("counter:inc", message=message, user="mod")
            assert (await click.response())["type"] == CALLBACK_UPDATE_MESSAGE
            assert (await click.message())["content"] == expected
        assert fake.get_message(int(message["id"]))["content"] == "count=2"

    run(scenario)


def test_modal_and_resolved_options() -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        opened = await (await fake.send_interaction("ask")).response()
        assert opened["type"] == 9
        modal_id = opened["data"]["custom_id"]
        submit = await fake.send_modal_submit(modal_id, values={"question": "What is await?"})
        answer = await submit.message()
        assert answer["content"] == "Q: What is await?"
        assert answer["flags"] & MESSAGE_FLAG_EPHEMERAL

        world = fake.world
        handle = await fake.send_interaction(
            "whois", user="mod", options={"member": world.user("mod"), "role": world.guild.role("Moderator")}
        )
        assert (await handle.message())["content"] == "mod has Moderator: True; caller manages messages: True"
        options = {"member": "alice", "role": "Moderator"}  # names work for user/role options too
        handle = await fake.send_interaction("whois", user="alice", options=options)
        assert (await handle.message())["content"] == "alice has Moderator: False; caller manages messages: False"

    run(scenario)


def test_resume_after_disconnect_replays_missed_events() -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        await fake.disconnect_client(code=4000)
        # Sent while the client is away: replayed on RESUME.
        await fake.send_message(f"{fake.bot_mention} are you back?", author="alice")
        await fake.wait_ready()
        assert (await fake.next_message("general"))["content"] == "pong"
        assert fake.resume_count == 1
        assert fake.gateway_connections[-1].path == "/resume/"

        # A refused RESUME (op 9) makes discord.py IDENTIFY again: a new session and READY.
        await fake.disconnect_client(code=4000, resumable=False)
        await fake.wait_ready()
        assert fake.identify_count == 2
        handle = await fake.send_interaction("ping")
        assert (await handle.response())["type"] == CALLBACK_CHANNEL_MESSAGE

    run(scenario, bot_class=QuickReidentifyBot)


def test_discord_validation_errors_and_unknown_routes() -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        channel = bot.get_channel(fake.world.guild.channel("general").id)
        assert isinstance(channel, discord.TextChannel)
        embed = discord.Embed(title="t").add_field(name="empty", value="")
        with pytest.raises(discord.HTTPException, match="Invalid Form Body"):
            await channel.send(embed=embed)
        with pytest.raises(discord.HTTPException, match="2000 or fewer"):
            await channel.send("x" * 2001)
        with pytest.raises(discord.NotFound):
            await bot.http.request(discord.http.Route("GET", "/nowhere/{x}", x=1))
        assert [(r.method, r.path) for r in fake.unhandled] == [("GET", "/nowhere/1")]
        assert len(fake.errors) == 2
        with pytest.raises(AssertionError, match="unhandled route GET /nowhere/1"):
            fake.assert_clean()
        # Files go through multipart; the fake records them.
        sent = await channel.send("see file", file=discord.File(__file__, filename="notes.py"))
        assert sent.attachments[0].filename == "notes.py"
        assert fake.messages[-1]["attachments"][0]["size"] > 0

    run(scenario, check_clean=False)


def test_channel_message_routes_used_by_discord_py() -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        world = fake.world
        channel = bot.get_channel(world.guild.channel("general").id)
        assert isinstance(channel, discord.TextChannel)
        async with channel.typing():
            sent = await channel.send("draft")
        edited = await sent.edit(content="final")
        assert edited.content == "final"
        assert fake.get_message(sent.id)["content"] == "final"
        await sent.add_reaction("👍")
        assert fake.reactions == [(channel.id, sent.id, "👍")]
        question = await fake.send_message("a question", author="alice")
        fetched = await channel.fetch_message(int(question["id"]))
        assert fetched.author.name == "alice"
        history = [m.id async for m in channel.history(limit=10)]
        assert history == [int(question["id"]), sent.id]  # newest first
        alice = await bot.fetch_user(world.user("alice").id)
        dm = await alice.send("hello in private")
        assert fake.get_message(dm.id)["channel_id"] == str(fake.dm_channel("alice").id)
        member = await channel.guild.fetch_member(world.user("mod").id)
        assert [r.name for r in member.roles] == ["@everyone", "Moderator"]
        await sent.delete()
        assert fake.deleted_messages == [sent.id]
        assert [m["content"] for m in fake.messages] == ["draft", "hello in private"]

    run(scenario)


def test_handler_exceptions_fail_via_error_logs(error_logs: list[logging.LogRecord]) -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        handle = await fake.send_interaction("boom")
        await fake.wait_idle()
        assert handle.callbacks == []

    with pytest.raises(AssertionError, match="kaboom"), fail_on_error_logs():
        run(scenario)
    error_logs.clear()  # seen and checked: don't fail this test in teardown


def test_response_timeout_is_a_clear_error(error_logs: list[logging.LogRecord]) -> None:
    async def scenario(fake: FakeDiscord, bot: PingBot) -> None:
        handle = await fake.send_interaction("not-a-command")
        with pytest.raises(FakeDiscordTimeout, match=r"interaction callback .*\(not-a-command\)"):
            await handle.response(timeout=0.1)

    run(scenario)
    # discord.py logs an unknown command as an ERROR; the autouse fixture would fail the test.
    assert [type(r.exc_info[1]).__name__ for r in error_logs if r.exc_info] == ["CommandNotFound"]
    error_logs.clear()


def test_endpoints_are_restored() -> None:
    before = (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)

    async def main() -> None:
        async with FakeDiscord() as fake:
            with point_discord_at(fake):
                assert fake.api_base == discord.http.Route.BASE
                assert fake.gateway_url == str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)

    asyncio.run(main())
    assert before == (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
