"""A loopback fake Discord (REST API + gateway) for end-to-end tests of discord.py bots.

The real discord.py client runs unmodified against an aiohttp server on 127.0.0.1 (port 0).
Point discord.py at it by setting the two class attributes the library reads::

    discord.http.Route.BASE = fake.api_base                            # http://127.0.0.1:PORT/api/v10
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)  # ws://127.0.0.1:PORT/

(``point_discord_at(fake)`` does this and restores the old values; a plain Client never asks
``GET /gateway``.)  Typical test::

    async def scenario() -> None:
        async with FakeDiscord() as fake:
            with point_discord_at(fake):
                bot = MyBot(..., guild_ready_timeout=0.05)
                async with run_client(fake, bot):
                    handle = await fake.send_interaction("ping", user="alice", locale="ko")
                    reply = await handle.message()
                    assert reply["embeds"][0]["title"] == "Pong"
            fake.assert_clean()

    def test_ping() -> None:
        with fail_on_error_logs():
            asyncio.run(scenario())

What the fake does (all of it visible in the records on ``FakeDiscord``):

* Login: ``GET /users/@me``, ``GET /oauth2/applications/@me`` (token checked: ``Bot <token>``).
* Gateway: HELLO -> IDENTIFY -> READY (unavailable guild stubs) -> one GUILD_CREATE per guild with
  channels, roles and *all* members (``member_count`` == members sent, so discord.py never chunks);
  heartbeats are ACKed; RESUME replays missed events; REQUEST_GUILD_MEMBERS is answered.
  Intents are honoured for messages: MESSAGE_CREATE needs GUILD_MESSAGES / DIRECT_MESSAGES, and
  without MESSAGE_CONTENT the content/embeds/attachments/components are blanked unless the bot is
  mentioned, it is a DM, or the bot wrote it -- exactly like Discord.  Events dropped for missing
  intents are listed in ``dropped_events``.
* Frames: if the client asks for ``compress=zlib-stream`` (discord.py does unless ``zstandard`` or
  Python 3.14's ``compression.zstd`` is importable, in which case it asks for ``zstd-stream``) and
  ``compress=True`` (default), frames are sent as one zlib stream in binary frames ending in
  Z_SYNC_FLUSH; otherwise as text frames, which discord.py always accepts uncompressed.
* Bot messages sent over REST are echoed back as gateway MESSAGE_CREATE/UPDATE/DELETE events, as
  Discord does (``echo_bot_messages=True``) -- a bot that answers itself will loop here too.
* Payloads are validated like Discord: empty messages, content > 2000, embed limits (title 256,
  description 4096, 25 fields, field name 256 / value 1024 and non-empty, footer 2048, total 6000,
  10 embeds), command names/descriptions/option limits and localization locales.  Violations get
  a 400 with an "Invalid Form Body" error (code 50035) and are listed in ``errors``.
* Unknown routes get 404 with a JSON body and are listed in ``unhandled``.

Waiting, without sleeps: every ``send_*`` returns immediately; await results with timeouts
(``FakeDiscordTimeout``, an ``AssertionError``, carries a diagnostic dump).  Negative checks
(``assert_no_message``) and ``wait_idle`` are event driven: the fake sends a gateway HEARTBEAT
request (op 1) and waits for the client's heartbeat carrying a sequence number >= the last event
sent (discord.py parses frames strictly in order, so at that point every event before it has been
parsed and its handler tasks created), then waits for discord.py's handler tasks (named
``discord.py: <event>``, ``CommandTree-invoker``, ``discord-ui-*``) to finish, repeating while those
handlers caused new events.  This needs the bot to run in the same event loop as the fake (detected
by discord.py's keep-alive thread); for a bot in a subprocess, or if idleness cannot be established
within ``within`` seconds, ``assert_no_message`` degrades to a bounded wait of ``within`` seconds.
Tasks the bot creates itself (``asyncio.create_task``, ``ext.tasks`` loops) are not waited for.
Note discord.py rate-limits its own gateway sends to 110/min, so do not call ``wait_idle`` hundreds
of times on one connection.

Modelled besides: ``default_member_permissions`` (a member lacking them cannot see the command:
``send_interaction`` raises ``CommandHidden``), message nonces with ``enforce_nonce`` (a repeated
nonce in a channel returns the first message), public threads (channel type 11 with a
``parent_id``, sent in GUILD_CREATE), and injected failures (``fail_next``: answer a route with an
error status before or *after* handling it, as a 5xx whose request did go through).

Not modelled: permission overwrites, voice, sharding beyond echoing ``shard``, rate limits,
context-menu commands, attachments' bytes (only name/size/content type are recorded).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import datetime
import itertools
import json
import logging
import re
import threading
import time
import traceback
import uuid
import warnings
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar

import aiohttp
import yarl
from aiohttp import web

with warnings.catch_warnings():
    # discord.py imports the deprecated ``audioop`` (voice) on Python < 3.13, and pytest runs with
    # filterwarnings=error.
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord
    import discord.gateway
    import discord.http

__all__ = [
    "CALLBACK_AUTOCOMPLETE_RESULT",
    "CALLBACK_CHANNEL_MESSAGE",
    "CALLBACK_DEFERRED_CHANNEL_MESSAGE",
    "CALLBACK_DEFERRED_UPDATE_MESSAGE",
    "CALLBACK_MODAL",
    "CALLBACK_UPDATE_MESSAGE",
    "MESSAGE_FLAG_EPHEMERAL",
    "MESSAGE_FLAG_LOADING",
    "CommandHidden",
    "CommandSync",
    "DroppedEvent",
    "FakeChannel",
    "FakeDiscord",
    "FakeDiscordTimeout",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "GatewayConnection",
    "Intent",
    "InteractionHandle",
    "InteractionResponse",
    "Permission",
    "RecordedRequest",
    "World",
    "default_world",
    "fail_on_error_logs",
    "point_discord_at",
    "preserve_discord_endpoints",
    "run_client",
]

JSON = dict[str, Any]
T = TypeVar("T")

_log = logging.getLogger("fake_discord")

API_VERSION: Final = 10
DISCORD_EPOCH_MS: Final = 1_420_070_400_000


class Permission:
    """Permission bits (subset) as Discord numbers them."""

    CREATE_INSTANT_INVITE: Final = 1 << 0
    ADMINISTRATOR: Final = 1 << 3
    ADD_REACTIONS: Final = 1 << 6
    VIEW_CHANNEL: Final = 1 << 10
    SEND_MESSAGES: Final = 1 << 11
    MANAGE_MESSAGES: Final = 1 << 13
    EMBED_LINKS: Final = 1 << 14
    ATTACH_FILES: Final = 1 << 15
    READ_MESSAGE_HISTORY: Final = 1 << 16
    MENTION_EVERYONE: Final = 1 << 17
    USE_EXTERNAL_EMOJIS: Final = 1 << 18
    USE_APPLICATION_COMMANDS: Final = 1 << 31
    SEND_MESSAGES_IN_THREADS: Final = 1 << 38
    ALL: Final = (1 << 53) - 1


DEFAULT_EVERYONE_PERMISSIONS: Final = (
    Permission.CREATE_INSTANT_INVITE
    | Permission.ADD_REACTIONS
    | Permission.VIEW_CHANNEL
    | Permission.SEND_MESSAGES
    | Permission.EMBED_LINKS
    | Permission.ATTACH_FILES
    | Permission.READ_MESSAGE_HISTORY
    | Permission.USE_EXTERNAL_EMOJIS
    | Permission.USE_APPLICATION_COMMANDS
    | Permission.SEND_MESSAGES_IN_THREADS
)


class Intent:
    GUILDS: Final = 1 << 0
    GUILD_MEMBERS: Final = 1 << 1
    GUILD_MESSAGES: Final = 1 << 9
    DIRECT_MESSAGES: Final = 1 << 12
    MESSAGE_CONTENT: Final = 1 << 15


VALID_LOCALES: Final = frozenset(
    {
        "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no",
        "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN",
        "ja", "zh-TW", "ko",
    }
)  # fmt: skip

# Interaction and callback types (Discord's numbering).
INTERACTION_APPLICATION_COMMAND: Final = 2
INTERACTION_MESSAGE_COMPONENT: Final = 3
INTERACTION_AUTOCOMPLETE: Final = 4
INTERACTION_MODAL_SUBMIT: Final = 5

CALLBACK_PONG: Final = 1
CALLBACK_CHANNEL_MESSAGE: Final = 4
CALLBACK_DEFERRED_CHANNEL_MESSAGE: Final = 5
CALLBACK_DEFERRED_UPDATE_MESSAGE: Final = 6
CALLBACK_UPDATE_MESSAGE: Final = 7
CALLBACK_AUTOCOMPLETE_RESULT: Final = 8
CALLBACK_MODAL: Final = 9

MESSAGE_FLAG_EPHEMERAL: Final = 1 << 6
MESSAGE_FLAG_LOADING: Final = 1 << 7

# discord.py's own tasks that run event handlers; wait_idle waits for these.
_HANDLER_TASK_PREFIXES: Final = ("discord.py: ", "CommandTree-invoker", "discord-ui-")


def _now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()


class _Snowflakes:
    """Monotonic, realistic snowflakes (discord.py derives ``created_at`` from them)."""

    def __init__(self) -> None:
        self._counter = itertools.count()
        self._last = 0

    def __call__(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        value = (ms << 22) | (next(self._counter) & 0xFFF)
        if value <= self._last:
            value = self._last + 1
        self._last = value
        return value


# --------------------------------------------------------------------------------------------
# The world: users, guilds, channels, roles, members
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FakeUser:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def to_payload(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass(frozen=True, slots=True)
class FakeRole:
    id: int
    name: str
    permissions: int = 0
    position: int = 0
    mentionable: bool = False
    managed: bool = False

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def to_payload(self) -> JSON:
        return {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": self.managed,
            "mentionable": self.mentionable,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }


@dataclass(frozen=True, slots=True)
class FakeChannel:
    """A guild channel (type 0 = text, 2 = voice, 4 = category, 5 = news, 15 = forum) or a DM (1)."""

    id: int
    name: str
    type: int = 0
    position: int = 0
    topic: str | None = None
    parent_id: int | None = None

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def to_payload(self, guild_id: int | None) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "permission_overwrites": [],
            "parent_id": None if self.parent_id is None else str(self.parent_id),
            "topic": self.topic,
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        if self.is_thread:
            data.update(
                owner_id=str(self.id),
                message_count=0,
                member_count=1,
                thread_metadata={
                    "archived": False,
                    "auto_archive_duration": 1440,
                    "archive_timestamp": "2024-03-01T09:00:00+00:00",
                    "locked": False,
                },
            )
            data.pop("topic", None)
            data.pop("permission_overwrites", None)
        return data

    @property
    def is_thread(self) -> bool:
        return self.type in (10, 11, 12)


@dataclass(frozen=True, slots=True)
class FakeMember:
    user: FakeUser
    roles: tuple[int, ...] = ()
    nick: str | None = None

    def to_payload(self, *, with_user: bool = True, permissions: int | None = None) -> JSON:
        data: JSON = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": "2024-03-01T09:00:00+00:00",
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.to_payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


def _ref_matches(ref: object, id_: int, name: str) -> bool:
    if isinstance(ref, int):
        return ref == id_
    if isinstance(ref, str):
        return ref == name
    return False


def _find(ref: object, items: Iterable[T], key: Callable[[T], tuple[int, str]], missing: str) -> T:
    """The first of `items` whose id (`ref` an int) or name (`ref` a str) is `ref`; else LookupError(missing)."""
    for item in items:
        if _ref_matches(ref, *key(item)):
            return item
    raise LookupError(missing)


@dataclass(frozen=True, slots=True)
class FakeGuild:
    """A guild. ``roles`` must contain the @everyone role, whose id equals the guild id."""

    id: int
    name: str
    owner_id: int
    channels: tuple[FakeChannel, ...]
    roles: tuple[FakeRole, ...]
    members: tuple[FakeMember, ...]
    preferred_locale: str = "en-US"

    def channel(self, ref: FakeChannel | int | str) -> FakeChannel:
        """A channel by object, id or name (``"general"`` or ``"#general"``)."""
        if isinstance(ref, FakeChannel):
            ref = ref.id
        if isinstance(ref, str):
            ref = ref.removeprefix("#")
        return _find(ref, self.channels, lambda ch: (ch.id, ch.name), f"no channel {ref!r} in guild {self.name!r}")

    def role(self, ref: FakeRole | int | str) -> FakeRole:
        """A role by object, id or name."""
        if isinstance(ref, FakeRole):
            ref = ref.id
        return _find(ref, self.roles, lambda role: (role.id, role.name), f"no role {ref!r} in guild {self.name!r}")

    @property
    def everyone(self) -> FakeRole:
        return self.role(self.id)

    def member(self, ref: FakeUser | FakeMember | int | str) -> FakeMember:
        """A member by user, member, user id or username."""
        if isinstance(ref, FakeMember):
            ref = ref.user.id
        if isinstance(ref, FakeUser):
            ref = ref.id
        return _find(
            ref, self.members, lambda m: (m.user.id, m.user.username), f"no member {ref!r} in guild {self.name!r}"
        )

    def has_member(self, user_id: int) -> bool:
        return any(m.user.id == user_id for m in self.members)

    def permissions_for(self, member: FakeMember) -> int:
        """Guild-level permissions (no channel overwrites): owner/ADMINISTRATOR get everything."""
        if member.user.id == self.owner_id:
            return Permission.ALL
        perms = self.everyone.permissions
        for role in self.roles:
            if role.id in member.roles:
                perms |= role.permissions
        if perms & Permission.ADMINISTRATOR:
            return Permission.ALL
        return perms

    def to_payload(self) -> JSON:
        """The GUILD_CREATE payload."""
        return {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.owner_id),
            "region": None,
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "preferred_locale": self.preferred_locale,
            "features": [],
            "max_members": 500000,
            "max_presences": None,
            "application_id": None,
            "roles": [r.to_payload() for r in self.roles],
            "emojis": [],
            "stickers": [],
            "channels": [c.to_payload(None) for c in self.channels if not c.is_thread],
            "members": [m.to_payload() for m in self.members],
            "member_count": len(self.members),
            "large": False,
            "unavailable": False,
            "joined_at": "2024-03-01T09:00:00+00:00",
            "threads": [c.to_payload(self.id) for c in self.channels if c.is_thread],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }


@dataclass(frozen=True, slots=True)
class World:
    """Everything the fake Discord knows. Build one with ``default_world()`` and ``dataclasses.replace``."""

    bot_user: FakeUser
    application_id: int
    guilds: tuple[FakeGuild, ...]
    users: tuple[FakeUser, ...]
    owner: FakeUser

    @property
    def guild(self) -> FakeGuild:
        """The first (default) guild."""
        return self.guilds[0]

    def user(self, ref: FakeUser | int | str) -> FakeUser:
        """A user by object, id or username."""
        if isinstance(ref, FakeUser):
            return ref
        return _find(ref, self.users, lambda u: (u.id, u.username), f"no user {ref!r}")

    def find_guild(self, ref: FakeGuild | int | str) -> FakeGuild:
        if isinstance(ref, FakeGuild):
            ref = ref.id
        return _find(ref, self.guilds, lambda g: (g.id, g.name), f"no guild {ref!r}")

    def find_channel(self, ref: FakeChannel | int | str) -> tuple[FakeGuild, FakeChannel]:
        """A guild channel by object, id or name (first guild wins for names)."""
        for g in self.guilds:
            with contextlib.suppress(LookupError):
                return g, g.channel(ref)
        raise LookupError(f"no channel {ref!r} in any guild")


def default_world(*, guild_locale: str = "en-US", bot_name: str = "LessonBot") -> World:
    """One guild "Study Group" with #general and #questions, a Moderator role (MANAGE_MESSAGES),
    users alice (member), mod (Moderator), otherbot (a bot), owner (guild owner) and the bot itself.

    The bot's user id equals the application id, as on Discord.  Ids are fixed, so tests may print them.
    """
    base = 1_200_000_000_000_000_000
    app_id = base + 1
    guild_id = base + 100
    bot_user = FakeUser(app_id, bot_name.lower(), bot_name, bot=True)
    alice = FakeUser(base + 201, "alice", "Alice")
    mod = FakeUser(base + 202, "mod", "Mod")
    otherbot = FakeUser(base + 203, "otherbot", "Other Bot", bot=True)
    owner = FakeUser(base + 204, "owner", "Owner")
    everyone = FakeRole(guild_id, "@everyone", DEFAULT_EVERYONE_PERMISSIONS, 0)
    moderator = FakeRole(base + 110, "Moderator", Permission.MANAGE_MESSAGES, 1, mentionable=True)
    guild = FakeGuild(
        id=guild_id,
        name="Study Group",
        owner_id=owner.id,
        channels=(
            FakeChannel(base + 101, "general", 0, 0, topic="General chat"),
            FakeChannel(base + 102, "questions", 0, 1, topic="Ask the bot"),
        ),
        roles=(everyone, moderator),
        members=(
            FakeMember(alice),
            FakeMember(mod, (moderator.id,)),
            FakeMember(otherbot),
            FakeMember(owner),
            FakeMember(bot_user),
        ),
        preferred_locale=guild_locale,
    )
    return World(
        bot_user=bot_user,
        application_id=app_id,
        guilds=(guild,),
        users=(bot_user, alice, mod, otherbot, owner),
        owner=owner,
    )


UserRef = FakeUser | int | str
ChannelRef = FakeChannel | int | str

# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RecordedFile:
    field: str
    filename: str | None
    content_type: str
    size: int


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str  # relative to the API base, e.g. "/channels/123/messages"
    query: dict[str, str]
    json: Any  # parsed JSON body (or ``payload_json`` of a multipart body); None if no body
    files: tuple[RecordedFile, ...] = ()
    status: int = 0


@dataclass(frozen=True, slots=True)
class CommandSync:
    guild_id: int | None  # None = global
    commands: list[JSON]  # the payload as sent by the client
    method: str = "PUT"


@dataclass(frozen=True, slots=True)
class InteractionResponse:
    interaction_id: int
    type: int
    data: JSON
    payload: JSON


@dataclass(frozen=True, slots=True)
class DroppedEvent:
    event: str
    reason: str
    data: JSON


@dataclass(frozen=True, slots=True)
class GatewayConnection:
    path: str  # "/" (gateway_url) or "/resume/" (resume_gateway_url)
    query: dict[str, str]  # discord.py sends v=10, encoding=json, compress=zlib-stream|zstd-stream
    compressed: bool  # frames sent as one zlib stream in binary frames (else text frames)


class FakeDiscordTimeout(AssertionError):
    """Raised when something awaited from the fake did not happen in time."""


class CommandHidden(AssertionError):
    """The user cannot see the command: they lack its ``default_member_permissions`` (as on Discord)."""


@dataclass
class _Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    after_handling: bool
    times: int


class FakeDiscordHTTPError(Exception):
    """Raised inside route handlers to produce a Discord-style JSON error."""

    def __init__(self, status: int, code: int, message: str, errors: JSON | None = None) -> None:
        super().__init__(f"{status} {code} {message}")
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors

    def body(self) -> JSON:
        data: JSON = {"code": self.code, "message": self.message}
        if self.errors is not None:
            data["errors"] = self.errors
        return data


def _not_found(code: int, what: str) -> FakeDiscordHTTPError:
    return FakeDiscordHTTPError(404, code, f"Unknown {what}")


def _form_error(errors: JSON) -> FakeDiscordHTTPError:
    return FakeDiscordHTTPError(400, 50035, "Invalid Form Body", errors)


def _err(code: str, message: str) -> JSON:
    return {"_errors": [{"code": code, "message": message}]}


# --------------------------------------------------------------------------------------------
# Validation (Discord's documented limits)
# --------------------------------------------------------------------------------------------


def _check_length(key: str, value: Any, limit: int, *, required: bool = False, into: JSON) -> int:
    """Record a length error for ``key`` into ``into``; return the text length (for the 6000 total)."""
    if value is None:
        return 0
    text = str(value)
    if required and not text.strip():
        into[key] = _err("BASE_TYPE_REQUIRED", "This field is required")
    elif len(text) > limit:
        into[key] = _err("BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")
    return len(text)


def _embed_errors(embeds: Sequence[Mapping[str, Any]]) -> JSON:
    errors: JSON = {}
    if len(embeds) > 10:
        errors["embeds"] = _err("BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
        return errors
    total = 0
    check = _check_length
    for i, embed in enumerate(embeds):
        e: JSON = {}
        total += check("title", embed.get("title"), 256, into=e)
        total += check("description", embed.get("description"), 4096, into=e)
        footer = embed.get("footer") or {}
        fe: JSON = {}
        total += check("text", footer.get("text"), 2048, into=fe)
        if fe:
            e["footer"] = fe
        author = embed.get("author") or {}
        ae: JSON = {}
        total += check("name", author.get("name"), 256, into=ae)
        if ae:
            e["author"] = ae
        fields = embed.get("fields") or []
        if len(fields) > 25:
            e["fields"] = _err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
        else:
            fields_errors: JSON = {}
            for j, fld in enumerate(fields):
                f_err: JSON = {}
                total += check("name", fld.get("name", ""), 256, required=True, into=f_err)
                total += check("value", fld.get("value", ""), 1024, required=True, into=f_err)
                if f_err:
                    fields_errors[str(j)] = f_err
            if fields_errors:
                e["fields"] = fields_errors
        if e:
            errors.setdefault("embeds", {})[str(i)] = e
    if total > 6000 and "embeds" not in errors:
        errors["embeds"] = _err("MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
    return errors


def _validate_message(payload: Mapping[str, Any], *, n_files: int, creating: bool) -> None:
    errors: JSON = {}
    content = payload.get("content")
    if content is not None and len(str(content)) > 2000:
        errors["content"] = _err("BASE_TYPE_MAX_LENGTH", "Must be 2000 or fewer in length.")
    embeds = payload.get("embeds") or []
    errors.update(_embed_errors(embeds))
    components = payload.get("components") or []
    if len(components) > 40:
        errors["components"] = _err("BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer in length.")
    if errors:
        raise _form_error(errors)
    if creating and not (
        content
        or embeds
        or components
        or n_files
        or payload.get("attachments")
        or payload.get("sticker_ids")
        or payload.get("poll")
    ):
        raise FakeDiscordHTTPError(400, 50006, "Cannot send an empty message")


_NAME_RE: Final = re.compile(r"^[-_\w]{1,32}$")


def _validate_localizations(value: Any, limit: int, is_name: bool) -> JSON:
    errors: JSON = {}
    if not value:
        return errors
    for loc, text in dict(value).items():
        if loc not in VALID_LOCALES:
            errors[loc] = _err("LOCALE_INVALID", f"Invalid locale {loc!r}")
        elif is_name and not (_NAME_RE.match(text) and text == text.lower()):
            errors[loc] = _err("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
        elif not is_name and not 1 <= len(text) <= limit:
            errors[loc] = _err("BASE_TYPE_BAD_LENGTH", f"Must be between 1 and {limit} in length.")
    return errors


def _validate_command(cmd: Mapping[str, Any]) -> JSON:
    errors: JSON = {}
    ctype = cmd.get("type", 1)
    name = cmd.get("name", "")
    if not isinstance(name, str) or not name or len(name) > 32:
        errors["name"] = _err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 32 in length.")
    elif ctype == 1 and not (_NAME_RE.match(name) and name == name.lower()):
        errors["name"] = _err("APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")
    description = cmd.get("description", "")
    if ctype == 1 and not 1 <= len(description) <= 100:
        errors["description"] = _err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.")
    if ctype != 1 and description:
        errors["description"] = _err("APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION", "Must be empty.")
    for key, limit, is_name in (("name_localizations", 32, True), ("description_localizations", 100, False)):
        loc_errors = _validate_localizations(cmd.get(key), limit, is_name)
        if loc_errors:
            errors[key] = loc_errors
    options = cmd.get("options") or []
    if len(options) > 25:
        errors["options"] = _err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    else:
        opt_errors: JSON = {}
        seen_optional = False
        names: set[str] = set()
        for i, opt in enumerate(options):
            oe = _validate_command({**opt, "type": 1})
            if opt.get("name") in names:
                oe["name"] = _err("APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS", "Duplicate option name")
            names.add(opt.get("name", ""))
            if opt.get("type") not in (1, 2):
                if opt.get("required"):
                    if seen_optional:
                        oe["required"] = _err(
                            "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                            "Required options must be placed before non-required options",
                        )
                else:
                    seen_optional = True
            choices = opt.get("choices") or []
            if len(choices) > 25:
                oe["choices"] = _err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
            if choices and opt.get("autocomplete"):
                oe["autocomplete"] = _err("AUTOCOMPLETE_AND_CHOICES", "Autocomplete and choices are exclusive")
            if oe:
                opt_errors[str(i)] = oe
        if opt_errors:
            errors["options"] = opt_errors
    return errors


# --------------------------------------------------------------------------------------------
# Gateway plumbing
# --------------------------------------------------------------------------------------------


class _Connection:
    def __init__(self, ws: web.WebSocketResponse, info: GatewayConnection) -> None:
        self.ws = ws
        self.info = info
        # With compress=zlib-stream the whole connection is one zlib stream, HELLO included.
        self.compressor: zlib._Compress | None = zlib.compressobj() if info.compressed else None
        self.lock = asyncio.Lock()
        self.client_seq = -1  # highest sequence number the client reported in a heartbeat
        self.closed = False

    async def send(self, frame: JSON) -> None:
        text = json.dumps(frame, separators=(",", ":"), ensure_ascii=False)
        async with self.lock:
            if self.closed or self.ws.closed:
                return
            try:
                if self.compressor is not None:
                    data = self.compressor.compress(text.encode()) + self.compressor.flush(zlib.Z_SYNC_FLUSH)
                    await self.ws.send_bytes(data)
                else:
                    await self.ws.send_str(text)
            except (ConnectionError, RuntimeError):  # peer went away mid-send
                self.closed = True


class _Session:
    def __init__(self, session_id: str, identify: JSON) -> None:
        self.id = session_id
        self.identify = identify
        self.intents: int = int(identify.get("intents", 0))
        self.seq = 0
        self.log: list[JSON] = []
        self.conn: _Connection | None = None
        self.live = False  # READY/RESUMED sent on ``conn``
        self.live_seq = 0
        self.resumable = True
        self.lock = asyncio.Lock()


# --------------------------------------------------------------------------------------------
# Interaction handles
# --------------------------------------------------------------------------------------------


class InteractionHandle:
    """An interaction sent to the bot; await what the bot did with it."""

    def __init__(
        self,
        fake: FakeDiscord,
        payload: JSON,
        *,
        guild: FakeGuild | None,
        channel: FakeChannel,
        component_message: JSON | None = None,
    ) -> None:
        self._fake = fake
        self.payload = payload
        self.id = int(payload["id"])
        self.token: str = payload["token"]
        self.type: int = payload["type"]
        self.guild = guild
        self.channel = channel
        self.sent_at = time.monotonic()
        self.callbacks: list[JSON] = []  # callback payloads ({"type": .., "data": ..}) in order
        self.followups: list[JSON] = []  # messages created through the followup webhook
        self.edits: list[JSON] = []  # PATCH payloads for the original response
        self.original: JSON | None = None  # current state of the original response message
        self.original_deleted = False
        self._component_message = component_message
        self._followup_cursor = 0

    def __repr__(self) -> str:
        return f"<InteractionHandle id={self.id} type={self.type} callbacks={len(self.callbacks)}>"

    async def response(self, *, timeout: float = 5.0) -> JSON:
        """The interaction callback payload the bot posted (``{"type": 4, "data": {...}}``)."""
        return await self._fake._wait_for(
            lambda: self.callbacks[0] if self.callbacks else None,
            timeout=timeout,
            what=f"the interaction callback for interaction {self.id} ({self._describe()})",
        )

    async def message(self, *, timeout: float = 5.0) -> JSON:
        """The message the user ends up seeing as the response.

        For an immediate reply (type 4) or a message update (type 7) that is the message at once;
        after a deferral (type 5 / 6) it is the original response after the bot's first edit.
        """
        first = await self.response(timeout=timeout)
        if first["type"] in (CALLBACK_CHANNEL_MESSAGE, CALLBACK_UPDATE_MESSAGE):
            assert self.original is not None
            return self.original
        if first["type"] in (CALLBACK_DEFERRED_CHANNEL_MESSAGE, CALLBACK_DEFERRED_UPDATE_MESSAGE):

            def edited() -> JSON | None:
                return self.original if self.edits and self.original is not None else None

            return await self._fake._wait_for(
                edited, timeout=timeout, what=f"an edit of the deferred response to interaction {self.id}"
            )
        raise AssertionError(f"interaction {self.id} was answered with callback type {first['type']}, not a message")

    async def choices(self, *, timeout: float = 5.0) -> list[JSON]:
        """The autocomplete choices (callback type 8)."""
        first = await self.response(timeout=timeout)
        if first["type"] != CALLBACK_AUTOCOMPLETE_RESULT:
            raise AssertionError(f"expected an autocomplete result (type 8), got type {first['type']}")
        return list((first.get("data") or {}).get("choices", []))

    async def next_followup(self, *, timeout: float = 5.0) -> JSON:
        """The next (not yet returned) followup message."""

        def pop() -> JSON | None:
            if self._followup_cursor < len(self.followups):
                self._followup_cursor += 1
                return self.followups[self._followup_cursor - 1]
            return None

        return await self._fake._wait_for(pop, timeout=timeout, what=f"a followup to interaction {self.id}")

    def _describe(self) -> str:
        data = self.payload.get("data") or {}
        return str(data.get("name") or data.get("custom_id") or "?")


# --------------------------------------------------------------------------------------------
# The fake
# --------------------------------------------------------------------------------------------

_Handler = Callable[["_Call"], Awaitable[tuple[int, Any]]]


@dataclass(slots=True)
class _Call:
    request: web.Request
    params: dict[str, str]
    body: Any
    files: tuple[RecordedFile, ...] = ()
    query: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: _Handler
    auth: bool


class FakeDiscord:
    """A loopback Discord: REST API under ``api_base`` and the gateway at ``gateway_url``.

    Use as ``async with FakeDiscord() as fake:`` (or ``await start()`` / ``await close()``).
    All options are keyword-only.
    """

    def __init__(
        self,
        *,
        world: World | None = None,
        token: str = "fake-bot-token",
        heartbeat_interval: float = 41.25,
        compress: bool = True,
        echo_bot_messages: bool = True,
        interaction_deadline: float | None = None,
    ) -> None:
        self.world: World = world or default_world()
        self.token = token
        self.heartbeat_interval = heartbeat_interval
        self.compress = compress
        self.echo_bot_messages = echo_bot_messages
        self.interaction_deadline = interaction_deadline

        # records
        self.requests: list[RecordedRequest] = []
        self.unhandled: list[RecordedRequest] = []
        self.errors: list[tuple[RecordedRequest, JSON]] = []  # non-2xx answers from known routes
        # Message records are snapshots; ``get_message(id)`` gives the current state of any message.
        self.messages: list[JSON] = []  # messages the bot created with POST /channels/{id}/messages
        self.message_edits: list[JSON] = []  # each message right after a bot edit (channel or webhook)
        self.deleted_messages: list[int] = []
        self.reactions: list[tuple[int, int, str]] = []  # (channel_id, message_id, emoji) added by the bot
        self.interaction_responses: list[InteractionResponse] = []
        self.command_syncs: list[CommandSync] = []
        self.dropped_events: list[DroppedEvent] = []
        self.gateway_connections: list[GatewayConnection] = []
        self.gateway_frames: list[JSON] = []  # non-heartbeat frames the client sent (IDENTIFY, RESUME, ...)
        self.identify_count = 0
        self.resume_count = 0

        self._snowflake = _Snowflakes()
        self._faults: list[_Fault] = []
        self._nonces: dict[tuple[int, str], JSON] = {}
        self._commands: dict[int | None, list[JSON]] = {}
        self._messages_by_id: dict[int, JSON] = {}
        self._unconsumed: list[JSON] = []
        self._interactions: dict[int, InteractionHandle] = {}
        self._interactions_by_token: dict[str, InteractionHandle] = {}
        self._dm_channels: dict[int, FakeChannel] = {}  # user id -> DM channel
        self._dm_recipients: dict[int, FakeUser] = {}  # DM channel id -> user
        self._session: _Session | None = None
        self._connections: set[_Connection] = set()
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._routes: list[_Route] = []
        self._register_routes()

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        runner = web.AppRunner(app, handle_signals=False, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        self._runner = runner
        addresses = runner.addresses
        self._port = int(addresses[0][1])

    async def close(self) -> None:
        """Close client connections (code 1001) and stop the server.  Close the bot first."""
        for conn in list(self._connections):
            conn.closed = True
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001, message=b"fake discord shutting down")
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("FakeDiscord is not started")
        return self._port

    @property
    def api_base(self) -> str:
        """For ``discord.http.Route.BASE`` / config ``discord.api_base``."""
        return f"http://127.0.0.1:{self.port}/api/v{API_VERSION}"

    @property
    def gateway_url(self) -> str:
        """For ``DiscordWebSocket.DEFAULT_GATEWAY`` / config ``discord.gateway_url``."""
        return f"ws://127.0.0.1:{self.port}/"

    @property
    def resume_gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/resume/"

    @property
    def bot_user(self) -> FakeUser:
        return self.world.bot_user

    @property
    def bot_mention(self) -> str:
        return self.world.bot_user.mention

    @property
    def application_id(self) -> int:
        return self.world.application_id

    @property
    def connected(self) -> bool:
        s = self._session
        return s is not None and s.live and s.conn is not None and not s.conn.closed

    @property
    def intents(self) -> int:
        """The intents the client identified with (0 before IDENTIFY)."""
        return self._session.intents if self._session else 0

    # ---------------------------------------------------------------- waiting

    def _notify(self) -> None:
        ev = self._changed
        self._changed = asyncio.Event()
        ev.set()

    async def _wait_for(self, predicate: Callable[[], T | None], *, timeout: float, what: str) -> T:
        async def loop() -> T:
            while True:
                ev = self._changed
                result = predicate()
                if result is not None:
                    return result
                await ev.wait()

        try:
            return await asyncio.wait_for(loop(), timeout)
        except TimeoutError:
            raise FakeDiscordTimeout(f"timed out after {timeout}s waiting for {what}\n{self.diagnostics()}") from None

    def diagnostics(self) -> str:
        """A summary of what happened so far (included in every timeout error)."""
        lines = [f"client connected: {self.connected}; identifies: {self.identify_count}, resumes: {self.resume_count}"]
        if self.unhandled:
            lines.append("unhandled routes: " + ", ".join(f"{r.method} {r.path}" for r in self.unhandled))
        for req, body in self.errors[-5:]:
            lines.append(f"error answer: {req.method} {req.path} -> {req.status} {json.dumps(body)[:300]}")
        for ev in self.dropped_events[-5:]:
            lines.append(f"dropped gateway event {ev.event}: {ev.reason}")
        lines.append("last requests: " + ", ".join(f"{r.method} {r.path} {r.status}" for r in self.requests[-8:]))
        pending = sorted(t.get_name() for t in _pending_handler_tasks())
        if pending:
            lines.append("discord.py handler tasks still running: " + ", ".join(pending))
        return "\n".join(lines)

    async def wait_ready(self, *, timeout: float = 5.0) -> None:
        """Wait until a client identified (or resumed) and has processed READY and GUILD_CREATE."""

        def live() -> _Session | None:
            s = self._session
            return s if s is not None and s.live and s.conn is not None and not s.conn.closed else None

        session = await self._wait_for(live, timeout=timeout, what="a client to IDENTIFY and get READY")
        await self._barrier(session, timeout=timeout)

    async def _barrier(self, session: _Session, *, timeout: float) -> None:
        """Wait until the client has parsed every event sent so far (see module docstring)."""
        conn = session.conn
        if conn is None or conn.closed:
            raise FakeDiscordTimeout("no gateway connection to synchronise with")
        target = session.seq
        if conn.client_seq >= target:
            return
        await conn.send({"op": 1, "d": None})
        await self._wait_for(
            lambda: True if conn.client_seq >= target or conn.closed else None,
            timeout=timeout,
            what=f"the client to acknowledge gateway event #{target} with a heartbeat",
        )
        if conn.client_seq < target:
            raise FakeDiscordTimeout("gateway connection closed before the client caught up")

    async def wait_idle(self, *, timeout: float = 5.0) -> None:
        """Wait until the bot has parsed every event sent and its event handlers have finished.

        Only for a bot running in this process (its handler tasks must be visible); raises otherwise.
        """
        if not _client_in_process():
            raise FakeDiscordTimeout("wait_idle() needs the discord.py client to run in this process")
        if not await self._settle(timeout):
            raise FakeDiscordTimeout(f"the bot did not become idle within {timeout}s\n{self.diagnostics()}")

    async def _settle(self, timeout: float) -> bool:
        if not _client_in_process():
            return False  # an out-of-process bot's handlers cannot be observed
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            session = self._session
            if session is None or session.conn is None or not session.live:
                return False
            seq = session.seq
            try:
                await self._barrier(session, timeout=max(0.0, deadline - loop.time()))
            except FakeDiscordTimeout:
                return False
            while tasks := _pending_handler_tasks():
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return False
                await asyncio.wait(tasks, timeout=remaining)
            if session.seq == seq and self._session is session:
                return True

    # ---------------------------------------------------------------- bot messages

    async def next_message(self, channel: ChannelRef | None = None, *, timeout: float = 5.0) -> JSON:
        """The oldest message the bot posted (``POST /channels/{id}/messages``) not yet returned here.

        ``channel`` limits it to one channel (object, id or name); interaction replies are not
        included (see ``InteractionHandle``).
        """
        channel_id = None if channel is None else self._channel_id(channel)

        def pop() -> JSON | None:
            for i, msg in enumerate(self._unconsumed):
                if channel_id is None or int(msg["channel_id"]) == channel_id:
                    return self._unconsumed.pop(i)
            return None

        where = "any channel" if channel is None else f"channel {channel!r}"
        return await self._wait_for(pop, timeout=timeout, what=f"the bot to post a message in {where}")

    async def assert_no_message(self, channel: ChannelRef | None = None, *, within: float = 1.0) -> None:
        """Assert the bot posts nothing (more) in ``channel`` (any channel if None).

        Event driven: waits until the bot is idle (see module docstring), at most ``within`` seconds;
        if idleness cannot be established it degrades to waiting ``within`` seconds.
        """
        channel_id = None if channel is None else self._channel_id(channel)

        def pending() -> list[JSON]:
            return [m for m in self._unconsumed if channel_id is None or int(m["channel_id"]) == channel_id]

        if not pending() and not await self._settle(within):
            with contextlib.suppress(FakeDiscordTimeout):
                await self._wait_for(lambda: True if pending() else None, timeout=within, what="a message")
        found = pending()
        if found:
            shown = "; ".join(repr((m.get("content"), len(m.get("embeds", [])))) for m in found)
            raise AssertionError(f"expected no bot message in {channel or 'any channel'!r}, got: {shown}")

    def get_message(self, message_id: int) -> JSON:
        """Any message known to the fake (sent by tests or the bot), in its current state."""
        return self._messages_by_id[message_id]

    def registered_commands(self, guild: FakeGuild | int | None = None) -> list[JSON]:
        """The commands currently registered (as echoed back to the client), globally or for a guild."""
        gid = guild.id if isinstance(guild, FakeGuild) else guild
        return list(self._commands.get(gid, []))

    def assert_clean(self) -> None:
        """Assert no unknown route was called, no request got an error and no event was dropped."""
        problems = []
        problems += [f"unhandled route {r.method} {r.path}" for r in self.unhandled]
        problems += [f"{r.method} {r.path} -> {r.status} {json.dumps(b)[:300]}" for r, b in self.errors]
        problems += [f"dropped {e.event}: {e.reason}" for e in self.dropped_events]
        if problems:
            raise AssertionError("fake Discord saw problems:\n" + "\n".join(problems))

    def fail_next(
        self, method: str, path: str, *, status: int = 500, after_handling: bool = False, times: int = 1
    ) -> None:
        """Answer the next ``times`` requests ``method`` ``path`` (a regex over the API path, e.g.
        ``r"/channels/\\d+/messages"``) with ``status``; with ``after_handling`` the request is carried
        out first (a 5xx whose message was created anyway)."""
        self._faults.append(_Fault(method.upper(), re.compile(path), status, after_handling, times))

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        for fault in self._faults:
            if fault.method == method and fault.pattern.fullmatch(path) and fault.times > 0:
                fault.times -= 1
                return fault
        return None

    # ---------------------------------------------------------------- sending events

    def _require_session(self) -> _Session:
        if self._session is None:
            raise RuntimeError("no client has identified yet; await fake.wait_ready() first")
        return self._session

    async def dispatch(self, event: str, data: JSON) -> int:
        """Send a raw gateway DISPATCH (op 0) event; returns its sequence number.

        If the client is momentarily disconnected, the event is kept and replayed on RESUME.
        """
        session = self._require_session()
        async with session.lock:
            session.seq += 1
            frame = {"op": 0, "t": event, "s": session.seq, "d": data}
            session.log.append(frame)
            conn = session.conn
            if conn is not None:
                await conn.send(frame)
            seq = session.seq
        self._notify()
        return seq

    def _resolve_user(self, ref: UserRef) -> FakeUser:
        return self.world.user(ref)

    def _channel_id(self, ref: ChannelRef) -> int:
        if isinstance(ref, int):
            return ref
        if isinstance(ref, FakeChannel):
            return ref.id
        return self.world.find_channel(ref)[1].id

    def dm_channel(self, user: UserRef) -> FakeChannel:
        """The (stable) DM channel between the bot and ``user``."""
        u = self._resolve_user(user)
        ch = self._dm_channels.get(u.id)
        if ch is None:
            ch = FakeChannel(self._snowflake(), "", type=1)
            self._dm_channels[u.id] = ch
            self._dm_recipients[ch.id] = u
        return ch

    def _dm_payload(self, ch: FakeChannel) -> JSON:
        user = self._dm_recipients[ch.id]
        return {
            "id": str(ch.id),
            "type": 1,
            "recipients": [user.to_payload()],
            "last_message_id": None,
            "flags": 0,
        }

    def _locate(self, channel: ChannelRef, user: FakeUser, dm: bool) -> tuple[FakeGuild | None, FakeChannel]:
        if dm:
            return None, self.dm_channel(user)
        if isinstance(channel, int) and channel in self._dm_recipients:
            return None, self.dm_channel(self._dm_recipients[channel])
        guild, ch = self.world.find_channel(channel)
        return guild, ch

    def _channel_by_id(self, channel_id: int) -> tuple[FakeGuild | None, FakeChannel]:
        if channel_id in self._dm_recipients:
            return None, self._dm_channels[self._dm_recipients[channel_id].id]
        try:
            return self.world.find_channel(channel_id)
        except LookupError:
            raise _not_found(10003, "Channel") from None

    def _mention_payloads(self, guild: FakeGuild | None, user_ids: Sequence[int]) -> list[JSON]:
        out = []
        seen: set[int] = set()
        for uid in user_ids:
            if uid in seen:
                continue
            seen.add(uid)
            try:
                user = self.world.user(uid)
            except LookupError:
                continue
            data = user.to_payload()
            if guild is not None and guild.has_member(uid):
                data["member"] = guild.member(uid).to_payload(with_user=False)
            out.append(data)
        return out

    async def send_message(
        self,
        content: str = "",
        *,
        author: UserRef = "alice",
        channel: ChannelRef = "general",
        dm: bool = False,
        mentions: Sequence[UserRef] | None = None,
        reference: Mapping[str, Any] | int | None = None,
        embeds: Sequence[JSON] = (),
    ) -> JSON:
        """Dispatch MESSAGE_CREATE as if ``author`` wrote ``content`` in ``channel`` (or a DM with the bot).

        ``mentions`` defaults to the users mentioned as ``<@id>`` in ``content`` (``fake.bot_mention``
        mentions the bot); role mentions ``<@&id>`` and ``@everyone`` are parsed too.  ``reference``
        makes it a reply to that message (payload or id).  Returns the full message as stored (the
        client may receive it with content blanked if it lacks the MESSAGE_CONTENT intent).
        """
        self._require_session()
        user = self._resolve_user(author)
        guild, ch = self._locate(channel, user, dm)
        user_ids = (
            [int(x) for x in re.findall(r"<@!?(\d+)>", content)]
            if mentions is None
            else [self._resolve_user(m).id for m in mentions]
        )
        message: JSON = {
            "id": str(self._snowflake()),
            "channel_id": str(ch.id),
            "type": 0,
            "author": user.to_payload(),
            "content": content,
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content or "@here" in content,
            "mentions": [],
            "mention_roles": re.findall(r"<@&(\d+)>", content) if guild else [],
            "attachments": [],
            "embeds": list(embeds),
            "components": [],
            "pinned": False,
            "flags": 0,
        }
        if reference is not None:
            ref_id = reference if isinstance(reference, int) else int(reference["id"])
            referenced = self._messages_by_id.get(ref_id)
            message["type"] = 19
            message["message_reference"] = {"type": 0, "message_id": str(ref_id), "channel_id": str(ch.id)}
            if guild is not None:
                message["message_reference"]["guild_id"] = str(guild.id)
            message["referenced_message"] = referenced
            if referenced is not None and mentions is None:
                user_ids.append(int(referenced["author"]["id"]))
        message["mentions"] = self._mention_payloads(guild, user_ids)
        if guild is not None:
            message["guild_id"] = str(guild.id)
            message["member"] = guild.member(user).to_payload(with_user=False)
        self._messages_by_id[int(message["id"])] = message
        await self._dispatch_message_event("MESSAGE_CREATE", message, guild)
        return message

    def _visible_to_bot(self, message: JSON, guild: FakeGuild | None) -> JSON | None:
        """Apply intent rules; None means the event is not delivered."""
        session = self._require_session()
        need = Intent.GUILD_MESSAGES if guild is not None else Intent.DIRECT_MESSAGES
        if not session.intents & need:
            return None
        if session.intents & Intent.MESSAGE_CONTENT:
            return message
        bot_id = str(self.bot_user.id)
        if guild is None or message["author"]["id"] == bot_id or any(m["id"] == bot_id for m in message["mentions"]):
            return message
        redacted = dict(message)
        redacted.update(content="", embeds=[], attachments=[], components=[])
        redacted.pop("poll", None)
        return redacted

    async def _dispatch_message_event(self, event: str, message: JSON, guild: FakeGuild | None) -> None:
        if self._session is None:
            return
        visible = self._visible_to_bot(message, guild)
        if visible is None:
            need = "GUILD_MESSAGES" if guild is not None else "DIRECT_MESSAGES"
            self.dropped_events.append(DroppedEvent(event, f"client lacks the {need} intent", message))
            self._notify()
            return
        await self.dispatch(event, visible)

    # ---------------------------------------------------------------- interactions

    def _find_command(self, name: str, guild: FakeGuild | None, ctype: int = 1) -> tuple[JSON | None, int | None]:
        scopes: list[int | None] = [guild.id, None] if guild is not None else [None]
        for scope in scopes:
            for cmd in self._commands.get(scope, []):
                if cmd["name"] == name and cmd.get("type", 1) == ctype:
                    return cmd, scope
        return None, None

    def _base_interaction(
        self,
        itype: int,
        data: JSON,
        *,
        user: FakeUser,
        guild: FakeGuild | None,
        channel: FakeChannel,
        locale: str,
    ) -> JSON:
        payload: JSON = {
            "id": str(self._snowflake()),
            "application_id": str(self.application_id),
            "type": itype,
            "data": data,
            "token": f"itoken-{uuid.uuid4().hex}",
            "version": 1,
            "locale": locale,
            "app_permissions": str(Permission.ALL),
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": 10 * 1024 * 1024,
            "channel_id": str(channel.id),
        }
        if guild is not None:
            member = guild.member(user)
            me = guild.member(self.bot_user)
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
                guild_locale=guild.preferred_locale,
                channel=channel.to_payload(guild.id),
                member=member.to_payload(permissions=guild.permissions_for(member)),
                app_permissions=str(guild.permissions_for(me)),
                context=0,
                authorizing_integration_owners={"0": str(guild.id)},
            )
        else:
            payload.update(
                channel=self._dm_payload(channel),
                user=user.to_payload(),
                context=1,
                authorizing_integration_owners={"0": "0", "1": str(user.id)},
            )
        return payload

    def _build_options(
        self,
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        declared: Sequence[Mapping[str, Any]],
        guild: FakeGuild | None,
        resolved: JSON,
    ) -> list[JSON]:
        declared_types = {d.get("name"): int(d.get("type", 3)) for d in declared}
        if isinstance(options, Mapping):
            raw = [{"name": k, "value": v} for k, v in options.items()]
        else:
            raw = [dict(o) for o in options]
        out = []
        for opt in raw:
            value = opt.get("value")
            otype = opt.get("type") or declared_types.get(opt["name"]) or _infer_option_type(value)
            entry: JSON = {"name": opt["name"], "type": otype}
            if "options" in opt:
                sub_declared: list[JSON] = next(
                    (d.get("options", []) for d in declared if d.get("name") == opt["name"]), []
                )
                entry["options"] = self._build_options(opt["options"], sub_declared, guild, resolved)
            if "value" in opt:
                entry["value"] = self._resolve_option_value(otype, value, guild, resolved)
            if opt.get("focused"):
                entry["focused"] = True
            out.append(entry)
        return out

    def _resolve_option_value(self, otype: int, value: Any, guild: FakeGuild | None, resolved: JSON) -> Any:
        if otype in (6, 9) and isinstance(value, FakeUser | FakeMember | int | str):
            ref = value.user if isinstance(value, FakeMember) else value
            with contextlib.suppress(LookupError):
                user = self.world.user(ref)
                resolved.setdefault("users", {})[str(user.id)] = user.to_payload()
                if guild is not None and guild.has_member(user.id):
                    member = guild.member(user)
                    resolved.setdefault("members", {})[str(user.id)] = member.to_payload(
                        with_user=False, permissions=guild.permissions_for(member)
                    )
                return str(user.id)
        if otype in (8, 9) and guild is not None:
            with contextlib.suppress(LookupError):
                role = guild.role(value)
                resolved.setdefault("roles", {})[str(role.id)] = role.to_payload()
                return str(role.id)
        if otype == 7:
            with contextlib.suppress(LookupError):
                g, ch = self.world.find_channel(value)
                data = ch.to_payload(g.id)
                data["permissions"] = str(Permission.ALL)
                resolved.setdefault("channels", {})[str(ch.id)] = data
                return str(ch.id)
        if isinstance(value, FakeUser | FakeRole | FakeChannel):
            return str(value.id)
        return value

    async def _send_interaction(self, payload: JSON, handle: InteractionHandle) -> InteractionHandle:
        self._interactions[handle.id] = handle
        self._interactions_by_token[handle.token] = handle
        await self.dispatch("INTERACTION_CREATE", payload)
        return handle

    async def send_interaction(
        self,
        name: str,
        *,
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]] = (),
        user: UserRef = "alice",
        channel: ChannelRef = "general",
        dm: bool = False,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """Dispatch INTERACTION_CREATE for slash command ``name`` (type 2); returns a handle.

        ``options`` is either raw Discord options (``[{"name", "type", "value"}, ...]``, subcommands
        as ``{"name", "type": 1, "options": [...]}``) or a mapping ``{"name": value}`` whose types
        come from the synced command (else from the Python type).  ``FakeUser``/``FakeRole``/
        ``FakeChannel`` values (or ids for options declared as such) get ``resolved`` data.  If the
        command was synced to the channel's guild, ``data.guild_id`` is set as Discord does.
        """
        return await self._app_command_interaction(
            INTERACTION_APPLICATION_COMMAND, name, options, user=user, channel=channel, dm=dm, locale=locale
        )

    async def send_autocomplete(
        self,
        name: str,
        *,
        focused: str,
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]] = (),
        user: UserRef = "alice",
        channel: ChannelRef = "general",
        dm: bool = False,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """Dispatch an autocomplete interaction (type 4) with option ``focused`` marked as focused.

        Use ``await handle.choices()`` for the result.  The focused value should be what the user
        has typed so far (a string), as on Discord.
        """
        return await self._app_command_interaction(
            INTERACTION_AUTOCOMPLETE,
            name,
            options,
            user=user,
            channel=channel,
            dm=dm,
            locale=locale,
            focused=focused,
        )

    async def _app_command_interaction(
        self,
        itype: int,
        name: str,
        options: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        *,
        user: UserRef,
        channel: ChannelRef,
        dm: bool,
        locale: str,
        focused: str | None = None,
    ) -> InteractionHandle:
        u = self._resolve_user(user)
        guild, ch = self._locate(channel, u, dm)
        command, scope = self._find_command(name, guild)
        required = (command or {}).get("default_member_permissions")
        if guild is not None and required is not None:
            needed = int(required)
            if guild.permissions_for(guild.member(u)) & needed != needed or (needed == 0 and u.id != guild.owner_id):
                raise CommandHidden(f"{u.username} cannot see /{name}: it needs permissions {needed}")
        resolved: JSON = {}
        built = self._build_options(options, (command or {}).get("options", []), guild, resolved)
        if focused is not None:
            target = built
            while target and target[0].get("type") in (1, 2) and "options" in target[0]:
                target = target[0]["options"]
            for opt in target:
                if opt["name"] == focused:
                    opt["focused"] = True
                    break
            else:
                target.append({"name": focused, "type": 3, "value": "", "focused": True})
        data: JSON = {
            "id": command["id"] if command else str(self._snowflake()),
            "name": name,
            "type": 1,
            "options": built,
        }
        if resolved:
            data["resolved"] = resolved
        if scope is not None:
            data["guild_id"] = str(scope)
        payload = self._base_interaction(itype, data, user=u, guild=guild, channel=ch, locale=locale)
        handle = InteractionHandle(self, payload, guild=guild, channel=ch)
        return await self._send_interaction(payload, handle)

    async def send_component(
        self,
        custom_id: str,
        *,
        message: Mapping[str, Any] | int,
        component_type: int = 2,
        values: Sequence[str] = (),
        user: UserRef = "alice",
        locale: str = "en-US",
    ) -> InteractionHandle:
        """Dispatch a component interaction (type 3): a click on button ``custom_id`` (component_type
        2) or a select (3 = string select with ``values``, 5-8 = user/role/mentionable/channel selects)
        on ``message`` -- a message payload returned by the fake (or its id)."""
        mid = message if isinstance(message, int) else int(message["id"])
        stored = self._messages_by_id.get(mid)
        if stored is None:
            raise LookupError(f"message {mid} is unknown to the fake")
        u = self._resolve_user(user)
        guild, ch = self._channel_by_id(int(stored["channel_id"]))
        data: JSON = {"custom_id": custom_id, "component_type": component_type}
        if component_type != 2:
            data["values"] = list(values)
        payload = self._base_interaction(
            INTERACTION_MESSAGE_COMPONENT, data, user=u, guild=guild, channel=ch, locale=locale
        )
        payload["message"] = stored
        handle = InteractionHandle(self, payload, guild=guild, channel=ch, component_message=stored)
        return await self._send_interaction(payload, handle)

    async def send_modal_submit(
        self,
        custom_id: str,
        *,
        values: Mapping[str, str],
        user: UserRef = "alice",
        channel: ChannelRef = "general",
        dm: bool = False,
        locale: str = "en-US",
    ) -> InteractionHandle:
        """Dispatch a modal submit (type 5) for modal ``custom_id``; ``values`` maps text inputs' custom
        ids to what the user typed."""
        u = self._resolve_user(user)
        guild, ch = self._locate(channel, u, dm)
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in values.items()]
        data: JSON = {"custom_id": custom_id, "components": rows}
        payload = self._base_interaction(INTERACTION_MODAL_SUBMIT, data, user=u, guild=guild, channel=ch, locale=locale)
        handle = InteractionHandle(self, payload, guild=guild, channel=ch)
        return await self._send_interaction(payload, handle)

    # ---------------------------------------------------------------- gateway control

    async def disconnect_client(self, *, code: int = 4000, resumable: bool = True) -> None:
        """Close the client's gateway connection (as Discord does on a server restart).

        discord.py reconnects at once to ``resume_gateway_url`` and RESUMEs (missed events are
        replayed); with ``resumable=False`` the RESUME is refused (op 9) and it re-IDENTIFYs.
        Await ``wait_ready()`` afterwards.
        """
        session = self._require_session()
        conn = session.conn
        if conn is None:
            raise RuntimeError("the client is not connected")
        session.resumable = resumable
        session.live = False
        session.conn = None
        conn.closed = True
        await conn.ws.close(code=code, message=b"fake discord: disconnect_client()")
        self._notify()

    # ---------------------------------------------------------------- HTTP entry point

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.path in ("/", "/resume/") and request.headers.get("Upgrade", "").lower() == "websocket":
            return await self._gateway(request)
        body: Any = None
        files: tuple[RecordedFile, ...] = ()
        if request.content_type.startswith("multipart/"):
            body, files = await _read_multipart(request)
        elif request.body_exists:
            text = await request.text()
            if text:
                try:
                    body = json.loads(text)
                except ValueError:
                    body = text
        prefix = f"/api/v{API_VERSION}/"
        query = dict(request.query)
        call = _Call(request, {}, body, files, query)
        if not request.path.startswith(prefix):
            return self._finish(call, "", 404, {"code": 0, "message": "404: Not Found"}, unhandled=True)
        path = request.path[len(prefix) - 1 :]
        for route in self._routes:
            if route.method != request.method:
                continue
            m = route.pattern.fullmatch(path)
            if m is None:
                continue
            call.params = m.groupdict()
            if route.auth and request.headers.get("Authorization") != f"Bot {self.token}":
                return self._finish(call, path, 401, {"code": 0, "message": "401: Unauthorized"})
            fault = self._take_fault(request.method, path)
            injected = {"code": 0, "message": f"{fault.status}: injected by the test"} if fault else None
            if fault is not None and not fault.after_handling:
                return self._finish(call, path, fault.status, injected)
            try:
                status, payload = await route.handler(call)
            except FakeDiscordHTTPError as exc:
                status, payload = exc.status, exc.body()
            if fault is not None:
                status, payload = fault.status, injected
            return self._finish(call, path, status, payload)
        return self._finish(call, path, 404, {"code": 0, "message": "404: Not Found"}, unhandled=True)

    def _finish(self, call: _Call, path: str, status: int, payload: Any, *, unhandled: bool = False) -> web.Response:
        rec = RecordedRequest(call.request.method, path or call.request.path, call.query, call.body, call.files, status)
        self.requests.append(rec)
        if unhandled:
            self.unhandled.append(rec)
            _log.warning("fake Discord: unhandled route %s %s", rec.method, rec.path)
        elif status >= 400:
            self.errors.append((rec, payload))
        self._notify()
        if status == 204 or payload is None:
            return web.Response(status=204)
        # Exactly "application/json": discord.py treats anything else (e.g. with "; charset=utf-8")
        # as text.
        return web.Response(
            status=status,
            body=json.dumps(payload, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json"},
        )

    # ---------------------------------------------------------------- gateway

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        query = dict(request.query)
        info = GatewayConnection(request.path, query, self.compress and query.get("compress") == "zlib-stream")
        self.gateway_connections.append(info)
        conn = _Connection(ws, info)
        self._connections.add(conn)
        try:
            await conn.send({"op": 10, "d": {"heartbeat_interval": int(self.heartbeat_interval * 1000)}})
            async for msg in ws:
                if msg.type == aiohttp.WSMsgType.TEXT:
                    await self._on_frame(conn, json.loads(msg.data))
                elif msg.type == aiohttp.WSMsgType.BINARY:
                    await ws.close(code=4002, message=b"binary frames are not supported")
        finally:
            conn.closed = True
            self._connections.discard(conn)
            session = self._session
            if session is not None and session.conn is conn:
                session.conn = None
                session.live = False
            self._notify()
        return ws

    async def _on_frame(self, conn: _Connection, frame: JSON) -> None:
        op = frame.get("op")
        data: Any = frame.get("d")
        if op == 1:
            if isinstance(data, int):
                conn.client_seq = max(conn.client_seq, data)
            await conn.send({"op": 11})
            self._notify()
            return
        self.gateway_frames.append(frame)
        if op == 2:
            await self._identify(conn, data)
        elif op == 6:
            await self._resume(conn, data)
        elif op == 8:
            await self._request_members(conn, data)
        elif op in (3, 4):
            pass  # presence / voice state updates: recorded in gateway_frames
        else:
            _log.warning("fake Discord: unknown gateway op %r", op)
            await conn.ws.close(code=4001, message=b"Unknown opcode")
        self._notify()

    async def _identify(self, conn: _Connection, data: JSON) -> None:
        if data.get("token") != self.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        old = self._session
        if old is not None and old.conn is not None and old.conn is not conn:
            old.conn.closed = True
        session = _Session(uuid.uuid4().hex, data)
        session.conn = conn
        self._session = session
        self.identify_count += 1
        world = self.world
        me = world.bot_user.to_payload()
        me.update(verified=True, mfa_enabled=False, flags=0, email=None)
        ready: JSON = {
            "v": API_VERSION,
            "user": me,
            "guilds": [{"id": str(g.id), "unavailable": True} for g in world.guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.resume_gateway_url,
            "application": {"id": str(world.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["fake-discord"],
        }
        if "shard" in data:
            ready["shard"] = data["shard"]
        await self.dispatch("READY", ready)
        for guild in world.guilds:
            await self.dispatch("GUILD_CREATE", guild.to_payload())
        session.live = True
        session.live_seq = session.seq
        self._notify()

    async def _resume(self, conn: _Connection, data: JSON) -> None:
        session = self._session
        if (
            session is None
            or not session.resumable
            or data.get("session_id") != session.id
            or data.get("token") != self.token
        ):
            await conn.send({"op": 9, "d": False})
            return
        client_seq = data.get("seq") or 0
        async with session.lock:
            session.conn = conn
            for frame in session.log:
                if frame["s"] > client_seq:
                    await conn.send(frame)
        self.resume_count += 1
        await self.dispatch("RESUMED", {"_trace": ["fake-discord"]})
        session.live = True
        session.live_seq = session.seq
        self._notify()

    async def _request_members(self, conn: _Connection, data: JSON) -> None:
        guild = self.world.find_guild(int(data["guild_id"]))
        members = list(guild.members)
        query = data.get("query")
        if query:
            members = [m for m in members if m.user.username.startswith(query)]
        if data.get("user_ids"):
            wanted = {int(x) for x in data["user_ids"]}
            members = [m for m in members if m.user.id in wanted]
        limit = data.get("limit") or 0
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": [m.to_payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    # ---------------------------------------------------------------- REST routes

    def _register_routes(self) -> None:
        # (method, path with {name} = snowflake / {name:regex}, handler, needs "Authorization: Bot <token>")
        table: list[tuple[str, str, _Handler, bool]] = [
            ("GET", "/users/@me", self._get_me, True),
            ("GET", "/users/{user_id}", self._get_user, True),
            ("POST", "/users/@me/channels", self._create_dm, True),
            ("GET", "/oauth2/applications/@me", self._get_application, True),
            ("GET", "/gateway", self._get_gateway, False),
            ("GET", "/gateway/bot", self._get_gateway_bot, True),
            ("GET", "/applications/{app_id}/commands", self._get_commands, True),
            ("PUT", "/applications/{app_id}/commands", self._put_commands, True),
            ("POST", "/applications/{app_id}/commands", self._post_command, True),
            ("GET", "/applications/{app_id}/guilds/{guild_id}/commands", self._get_commands, True),
            ("PUT", "/applications/{app_id}/guilds/{guild_id}/commands", self._put_commands, True),
            ("POST", "/applications/{app_id}/guilds/{guild_id}/commands", self._post_command, True),
            ("GET", "/channels/{channel_id}", self._get_channel, True),
            ("GET", "/channels/{channel_id}/messages", self._get_messages, True),
            ("POST", "/channels/{channel_id}/messages", self._post_message, True),
            ("GET", "/channels/{channel_id}/messages/{message_id}", self._get_channel_message, True),
            ("PATCH", "/channels/{channel_id}/messages/{message_id}", self._patch_channel_message, True),
            ("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_channel_message, True),
            (
                "PUT",
                "/channels/{channel_id}/messages/{message_id}/reactions/{emoji:[^/]+}/@me",
                self._put_reaction,
                True,
            ),
            (
                "DELETE",
                "/channels/{channel_id}/messages/{message_id}/reactions/{emoji:[^/]+}/@me",
                self._delete_reaction,
                True,
            ),
            ("POST", "/channels/{channel_id}/typing", self._typing, True),
            ("GET", "/guilds/{guild_id}", self._get_guild, True),
            ("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member, True),
            ("POST", "/interactions/{interaction_id}/{token:[^/]+}/callback", self._interaction_callback, False),
            ("POST", "/webhooks/{app_id}/{token:[^/]+}", self._webhook_execute, False),
            ("GET", _WEBHOOK_MESSAGE, self._webhook_get_message, False),
            ("PATCH", _WEBHOOK_MESSAGE, self._webhook_edit_message, False),
            ("DELETE", _WEBHOOK_MESSAGE, self._webhook_delete_message, False),
        ]
        self._routes = [_Route(method, _compile_route(path), h, auth) for method, path, h, auth in table]

    # -- users, application, gateway

    async def _get_me(self, call: _Call) -> tuple[int, Any]:
        me = self.bot_user.to_payload()
        me.update(verified=True, mfa_enabled=False, flags=0, email=None, locale="en-US")
        return 200, me

    async def _get_user(self, call: _Call) -> tuple[int, Any]:
        try:
            return 200, self.world.user(int(call.params["user_id"])).to_payload()
        except LookupError:
            raise _not_found(10013, "User") from None

    async def _create_dm(self, call: _Call) -> tuple[int, Any]:
        try:
            user = self.world.user(int(call.body["recipient_id"]))
        except (LookupError, KeyError, TypeError, ValueError):
            raise _not_found(10013, "User") from None
        return 200, self._dm_payload(self.dm_channel(user))

    async def _get_application(self, call: _Call) -> tuple[int, Any]:
        return 200, {
            "id": str(self.application_id),
            "name": self.bot_user.global_name or self.bot_user.username,
            "icon": None,
            "description": "",
            "summary": "",
            "type": None,
            "bot": self.bot_user.to_payload(),
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.world.owner.to_payload(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "rpc_origins": [],
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(self.world.guilds),
            "integration_types_config": {"0": {}},
        }

    async def _get_gateway(self, call: _Call) -> tuple[int, Any]:
        return 200, {"url": self.gateway_url.rstrip("/")}

    async def _get_gateway_bot(self, call: _Call) -> tuple[int, Any]:
        return 200, {
            "url": self.gateway_url.rstrip("/"),
            "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
        }

    # -- application commands

    def _check_app(self, call: _Call) -> int | None:
        if int(call.params["app_id"]) != self.application_id:
            raise FakeDiscordHTTPError(403, 50001, "Missing Access")
        gid = call.params.get("guild_id")
        if gid is None:
            return None
        try:
            return self.world.find_guild(int(gid)).id
        except LookupError:
            raise FakeDiscordHTTPError(403, 50001, "Missing Access") from None

    def _echo_command(self, cmd: JSON, guild_id: int | None, existing: Sequence[JSON]) -> JSON:
        old = next((c for c in existing if c["name"] == cmd["name"] and c.get("type", 1) == cmd.get("type", 1)), None)
        echoed: JSON = {
            "type": 1,
            "options": [],
            "default_member_permissions": None,
            "nsfw": False,
            "name_localizations": None,
            "description_localizations": None,
            **cmd,
            "id": old["id"] if old else str(self._snowflake()),
            "application_id": str(self.application_id),
            "version": str(self._snowflake()),
        }
        if guild_id is not None:
            echoed["guild_id"] = str(guild_id)
        else:
            echoed.setdefault("contexts", None)
            echoed.setdefault("integration_types", [0])
        return echoed

    async def _get_commands(self, call: _Call) -> tuple[int, Any]:
        return 200, self._commands.get(self._check_app(call), [])

    async def _put_commands(self, call: _Call) -> tuple[int, Any]:
        guild_id = self._check_app(call)
        commands = call.body
        if not isinstance(commands, list):
            raise _form_error({"_errors": [{"code": "BASE_TYPE_ARRAY", "message": "Must be an array."}]})
        errors: JSON = {}
        seen: set[tuple[str, int]] = set()
        for i, cmd in enumerate(commands):
            cerr = _validate_command(cmd)
            key = (cmd.get("name", ""), cmd.get("type", 1))
            if key in seen:
                cerr["name"] = _err("APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique")
            seen.add(key)
            if cerr:
                errors[str(i)] = cerr
        if sum(1 for c in commands if c.get("type", 1) == 1) > 100:
            errors["_errors"] = [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 100 or fewer in length."}]
        self.command_syncs.append(CommandSync(guild_id, commands))
        if errors:
            raise _form_error(errors)
        existing = self._commands.get(guild_id, [])
        self._commands[guild_id] = [self._echo_command(c, guild_id, existing) for c in commands]
        return 200, self._commands[guild_id]

    async def _post_command(self, call: _Call) -> tuple[int, Any]:
        guild_id = self._check_app(call)
        cmd = call.body
        errors = _validate_command(cmd)
        self.command_syncs.append(CommandSync(guild_id, [cmd], method="POST"))
        if errors:
            raise _form_error(errors)
        existing = self._commands.get(guild_id, [])
        echoed = self._echo_command(cmd, guild_id, existing)
        self._commands[guild_id] = [c for c in existing if c["id"] != echoed["id"]] + [echoed]
        return 200, echoed

    # -- channels and messages

    async def _get_channel(self, call: _Call) -> tuple[int, Any]:
        guild, ch = self._channel_by_id(int(call.params["channel_id"]))
        return 200, self._dm_payload(ch) if guild is None else ch.to_payload(guild.id)

    def _mentions_for(
        self,
        content: str,
        allowed: Mapping[str, Any] | None,
        guild: FakeGuild | None,
        replied_to: JSON | None,
    ) -> tuple[list[int], list[str], bool]:
        users = [int(x) for x in re.findall(r"<@!?(\d+)>", content)]
        roles = re.findall(r"<@&(\d+)>", content)
        everyone = "@everyone" in content or "@here" in content
        replied_user = True
        if allowed is not None:
            parse = allowed.get("parse") or []
            allowed_users = {int(x) for x in allowed.get("users") or []}
            allowed_roles = {str(x) for x in allowed.get("roles") or []}
            users = users if "users" in parse else [u for u in users if u in allowed_users]
            roles = roles if "roles" in parse else [r for r in roles if r in allowed_roles]
            everyone = everyone and "everyone" in parse
            replied_user = bool(allowed.get("replied_user", False))
        if replied_to is not None and replied_user:
            users.append(int(replied_to["author"]["id"]))
        return users, roles, everyone

    def _build_bot_message(
        self,
        payload: Mapping[str, Any],
        *,
        guild: FakeGuild | None,
        channel: FakeChannel,
        files: Sequence[RecordedFile] = (),
        message_type: int = 0,
        webhook: bool = False,
        interaction: InteractionHandle | None = None,
        extra_flags: int = 0,
    ) -> JSON:
        content = str(payload.get("content") or "")
        replied_to = None
        ref = payload.get("message_reference")
        if ref:
            replied_to = self._messages_by_id.get(int(ref["message_id"]))
            if replied_to is None and ref.get("fail_if_not_exists", True):
                raise _form_error({"message_reference": _err("MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")})
            if replied_to is not None:
                message_type = 19
        users, roles, everyone = self._mentions_for(content, payload.get("allowed_mentions"), guild, replied_to)
        attachments = [
            {
                "id": str(self._snowflake()),
                "filename": f.filename or "file",
                "size": f.size,
                "content_type": f.content_type,
                "url": f"http://127.0.0.1:{self.port}/attachments/{f.filename}",
                "proxy_url": f"http://127.0.0.1:{self.port}/attachments/{f.filename}",
            }
            for f in files
        ]
        message: JSON = {
            "id": str(self._snowflake()),
            "channel_id": str(channel.id),
            "type": message_type,
            "author": self.bot_user.to_payload(),
            "content": content,
            "timestamp": _now_iso(),
            "edited_timestamp": None,
            "tts": bool(payload.get("tts", False)),
            "mention_everyone": everyone,
            "mentions": self._mention_payloads(guild, users),
            "mention_roles": roles,
            "attachments": attachments,
            "embeds": [{"type": "rich", **e} for e in payload.get("embeds") or []],
            "components": list(payload.get("components") or []),
            "pinned": False,
            "flags": int(payload.get("flags") or 0) | extra_flags,
        }
        if guild is not None:
            message["guild_id"] = str(guild.id)
        if payload.get("nonce") is not None:
            message["nonce"] = payload["nonce"]
        if payload.get("poll"):
            message["poll"] = payload["poll"]
        if ref:
            # discord.py sends ids as ints; Discord answers with strings.
            message["message_reference"] = {
                "type": 0,
                **{k: str(v) if k.endswith("_id") and v is not None else v for k, v in ref.items()},
            }
            message["referenced_message"] = replied_to
        if webhook or interaction is not None:
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
        if interaction is not None:
            user_payload = (interaction.payload.get("member") or {}).get("user") or interaction.payload.get("user")
            message["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": user_payload,
                "authorizing_integration_owners": interaction.payload.get("authorizing_integration_owners", {}),
                "name": (interaction.payload.get("data") or {}).get("name"),
            }
        return message

    def _store(self, message: JSON) -> JSON:
        self._messages_by_id[int(message["id"])] = message
        return message

    async def _echo(self, event: str, message: JSON, guild: FakeGuild | None) -> None:
        if not self.echo_bot_messages or self._session is None:
            return
        if message.get("flags", 0) & MESSAGE_FLAG_EPHEMERAL:
            return
        data = dict(message)
        if guild is not None and guild.has_member(self.bot_user.id):
            data["member"] = guild.member(self.bot_user).to_payload(with_user=False)
        await self._dispatch_message_event(event, data, guild)

    async def _post_message(self, call: _Call) -> tuple[int, Any]:
        guild, ch = self._channel_by_id(int(call.params["channel_id"]))
        payload = call.body if isinstance(call.body, dict) else {}
        _validate_message(payload, n_files=len(call.files), creating=True)
        nonce = payload.get("nonce")
        if nonce is not None and len(str(nonce)) > 25:
            raise _form_error({"nonce": _err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")})
        nonce_key = (ch.id, str(nonce))
        if nonce is not None and payload.get("enforce_nonce") and nonce_key in self._nonces:
            return 200, self._nonces[nonce_key]  # Discord returns the message already created
        message = self._store(self._build_bot_message(payload, guild=guild, channel=ch, files=call.files))
        if nonce is not None:
            self._nonces[nonce_key] = message
        snapshot = copy.deepcopy(message)  # records keep the message as created; get_message() is live
        self.messages.append(snapshot)
        self._unconsumed.append(snapshot)
        self._notify()
        await self._echo("MESSAGE_CREATE", message, guild)
        return 200, message

    def _stored_in_channel(self, call: _Call) -> JSON:
        channel_id = int(call.params["channel_id"])
        self._channel_by_id(channel_id)
        message = self._messages_by_id.get(int(call.params["message_id"]))
        if message is None or int(message["channel_id"]) != channel_id:
            raise _not_found(10008, "Message")
        return message

    async def _get_messages(self, call: _Call) -> tuple[int, Any]:
        channel_id = int(call.params["channel_id"])
        self._channel_by_id(channel_id)
        limit = int(call.query.get("limit", 50))
        msgs = [m for m in self._messages_by_id.values() if int(m["channel_id"]) == channel_id]
        if "before" in call.query:
            msgs = [m for m in msgs if int(m["id"]) < int(call.query["before"])]
        if "after" in call.query:
            msgs = [m for m in msgs if int(m["id"]) > int(call.query["after"])]
        msgs.sort(key=lambda m: int(m["id"]), reverse=True)
        return 200, msgs[:limit]

    async def _get_channel_message(self, call: _Call) -> tuple[int, Any]:
        return 200, self._stored_in_channel(call)

    def _apply_edit(self, message: JSON, payload: Mapping[str, Any], files: Sequence[RecordedFile]) -> JSON:
        _validate_message(payload, n_files=len(files), creating=False)
        for key in ("content", "components", "flags"):
            if key in payload and payload[key] is not None:
                message[key] = payload[key]
        if "embeds" in payload and payload["embeds"] is not None:
            message["embeds"] = [{"type": "rich", **e} for e in payload["embeds"]]
        if "attachments" in payload and payload["attachments"] is not None:
            keep = {str(a.get("id")) for a in payload["attachments"]}
            message["attachments"] = [a for a in message.get("attachments", []) if a["id"] in keep]
        message["edited_timestamp"] = _now_iso()
        self.message_edits.append(copy.deepcopy(message))
        return message

    async def _patch_channel_message(self, call: _Call) -> tuple[int, Any]:
        message = self._stored_in_channel(call)
        if message["author"]["id"] != str(self.bot_user.id):
            raise FakeDiscordHTTPError(403, 50005, "Cannot edit a message authored by another user")
        guild, _ = self._channel_by_id(int(call.params["channel_id"]))
        self._apply_edit(message, call.body or {}, call.files)
        await self._echo("MESSAGE_UPDATE", message, guild)
        return 200, message

    async def _delete_channel_message(self, call: _Call) -> tuple[int, Any]:
        message = self._stored_in_channel(call)
        guild, _ = self._channel_by_id(int(call.params["channel_id"]))
        if message["author"]["id"] != str(self.bot_user.id):
            me = guild.member(self.bot_user) if guild is not None else None
            if guild is None or me is None or not guild.permissions_for(me) & Permission.MANAGE_MESSAGES:
                raise FakeDiscordHTTPError(403, 50013, "Missing Permissions")
        await self._delete(message, guild)
        return 204, None

    async def _delete(self, message: JSON, guild: FakeGuild | None) -> None:
        mid = int(message["id"])
        self._messages_by_id.pop(mid, None)
        self.deleted_messages.append(mid)
        self._notify()
        if self.echo_bot_messages and self._session is not None:
            data: JSON = {"id": str(mid), "channel_id": message["channel_id"]}
            if guild is not None:
                data["guild_id"] = str(guild.id)
            await self.dispatch("MESSAGE_DELETE", data)

    async def _put_reaction(self, call: _Call) -> tuple[int, Any]:
        message = self._stored_in_channel(call)
        self.reactions.append((int(message["channel_id"]), int(message["id"]), call.params["emoji"]))
        return 204, None

    async def _delete_reaction(self, call: _Call) -> tuple[int, Any]:
        self._stored_in_channel(call)
        return 204, None

    async def _typing(self, call: _Call) -> tuple[int, Any]:
        self._channel_by_id(int(call.params["channel_id"]))
        return 204, None

    async def _get_guild(self, call: _Call) -> tuple[int, Any]:
        try:
            guild = self.world.find_guild(int(call.params["guild_id"]))
        except LookupError:
            raise _not_found(10004, "Guild") from None
        data = guild.to_payload()
        for key in ("channels", "members", "threads", "presences", "voice_states", "joined_at", "large"):
            data.pop(key, None)
        return 200, data

    async def _get_member(self, call: _Call) -> tuple[int, Any]:
        try:
            guild = self.world.find_guild(int(call.params["guild_id"]))
            return 200, guild.member(int(call.params["user_id"])).to_payload()
        except LookupError:
            raise _not_found(10007, "Member") from None

    # -- interactions and their webhooks

    async def _interaction_callback(self, call: _Call) -> tuple[int, Any]:
        handle = self._interactions.get(int(call.params["interaction_id"]))
        if handle is None or handle.token != call.params["token"]:
            raise _not_found(10062, "interaction")
        if self.interaction_deadline is not None and time.monotonic() - handle.sent_at > self.interaction_deadline:
            raise _not_found(10062, "interaction")
        if handle.callbacks:
            raise FakeDiscordHTTPError(400, 40060, "Interaction has already been acknowledged.")
        payload = call.body if isinstance(call.body, dict) else {}
        ctype = int(payload.get("type", 0))
        data: JSON = payload.get("data") or {}
        allowed = {
            INTERACTION_APPLICATION_COMMAND: {4, 5, 9},
            INTERACTION_MESSAGE_COMPONENT: {4, 5, 6, 7, 9},
            INTERACTION_AUTOCOMPLETE: {8},
            INTERACTION_MODAL_SUBMIT: {4, 5, 6, 7},
        }[handle.type]
        if ctype not in allowed:
            raise _form_error({"type": _err("INTERACTION_RESPONSE_TYPE_INVALID", f"Invalid callback type {ctype}")})
        if ctype == CALLBACK_AUTOCOMPLETE_RESULT and len(data.get("choices") or []) > 25:
            raise _form_error({"data": {"choices": _err("BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")}})
        if ctype == CALLBACK_MODAL:
            errors = {}
            if not 1 <= len(data.get("title") or "") <= 45:
                errors["title"] = _err("BASE_TYPE_BAD_LENGTH", "Must be between 1 and 45 in length.")
            if not data.get("custom_id"):
                errors["custom_id"] = _err("BASE_TYPE_REQUIRED", "This field is required")
            if errors:
                raise _form_error({"data": errors})
        guild, ch = handle.guild, handle.channel
        message: JSON | None = None
        event: str | None = None
        if ctype == CALLBACK_CHANNEL_MESSAGE:
            _validate_message(data, n_files=len(call.files), creating=True)
            mtype = 20 if handle.type == INTERACTION_APPLICATION_COMMAND else 0
            message = self._build_bot_message(
                data, guild=guild, channel=ch, files=call.files, message_type=mtype, interaction=handle
            )
            event = "MESSAGE_CREATE"
        elif ctype == CALLBACK_DEFERRED_CHANNEL_MESSAGE:
            message = self._build_bot_message(
                {"content": "", "flags": data.get("flags", 0)},
                guild=guild,
                channel=ch,
                message_type=20 if handle.type == INTERACTION_APPLICATION_COMMAND else 0,
                interaction=handle,
                extra_flags=MESSAGE_FLAG_LOADING,
            )
            event = "MESSAGE_CREATE"
        elif ctype in (CALLBACK_UPDATE_MESSAGE, CALLBACK_DEFERRED_UPDATE_MESSAGE):
            source = handle._component_message
            if source is None:
                raise _form_error({"type": _err("INTERACTION_RESPONSE_TYPE_INVALID", "No message to update")})
            message = self._messages_by_id.get(int(source["id"]), source)
            if ctype == CALLBACK_UPDATE_MESSAGE:
                self._apply_edit(message, data, call.files)
                event = "MESSAGE_UPDATE"
        if message is not None:
            handle.original = self._store(message)
        handle.callbacks.append(payload)
        self.interaction_responses.append(InteractionResponse(handle.id, ctype, data, payload))
        self._notify()
        if message is not None and event is not None:
            await self._echo(event, message, guild)
        interaction_info: JSON = {"id": str(handle.id), "type": handle.type}
        resource: JSON | None = None
        if message is not None:
            interaction_info["response_message_id"] = message["id"]
            interaction_info["response_message_loading"] = ctype == CALLBACK_DEFERRED_CHANNEL_MESSAGE
            interaction_info["response_message_ephemeral"] = bool(message["flags"] & MESSAGE_FLAG_EPHEMERAL)
            resource = {"type": ctype}
            if ctype != CALLBACK_DEFERRED_UPDATE_MESSAGE:
                resource["message"] = message
        elif ctype != CALLBACK_AUTOCOMPLETE_RESULT:
            resource = {"type": ctype}
        if call.query.get("with_response") not in ("1", "true", "True"):
            return 204, None
        body: JSON = {"interaction": interaction_info}
        if resource is not None:
            body["resource"] = resource
        return 200, body

    def _webhook_handle(self, call: _Call) -> InteractionHandle:
        handle = self._interactions_by_token.get(call.params["token"])
        if handle is None or int(call.params["app_id"]) != self.application_id:
            raise _not_found(10015, "Webhook")
        if not handle.callbacks:
            raise _not_found(10015, "Webhook")  # Discord's answer before the interaction is acknowledged
        return handle

    def _webhook_message(self, handle: InteractionHandle, message_id: str) -> JSON:
        if message_id == "@original":
            if handle.original is None or handle.original_deleted:
                raise _not_found(10008, "Message")
            return handle.original
        stored = self._messages_by_id.get(int(message_id))
        if stored is None or not any(m["id"] == message_id for m in handle.followups):
            raise _not_found(10008, "Message")
        return stored

    async def _webhook_execute(self, call: _Call) -> tuple[int, Any]:
        handle = self._webhook_handle(call)
        payload = call.body if isinstance(call.body, dict) else {}
        _validate_message(payload, n_files=len(call.files), creating=True)
        message = self._store(
            self._build_bot_message(payload, guild=handle.guild, channel=handle.channel, files=call.files, webhook=True)
        )
        handle.followups.append(copy.deepcopy(message))
        self._notify()
        await self._echo("MESSAGE_CREATE", message, handle.guild)
        if call.query.get("wait") in ("1", "true", "True"):
            return 200, message
        return 204, None

    async def _webhook_get_message(self, call: _Call) -> tuple[int, Any]:
        return 200, self._webhook_message(self._webhook_handle(call), call.params["message_id"])

    async def _webhook_edit_message(self, call: _Call) -> tuple[int, Any]:
        handle = self._webhook_handle(call)
        message = self._webhook_message(handle, call.params["message_id"])
        payload = call.body if isinstance(call.body, dict) else {}
        was_loading = bool(message.get("flags", 0) & MESSAGE_FLAG_LOADING)
        self._apply_edit(message, payload, call.files)
        if was_loading:
            message["flags"] = int(message.get("flags", 0)) & ~MESSAGE_FLAG_LOADING
        if call.params["message_id"] == "@original":
            handle.edits.append(payload)
        self._notify()
        await self._echo("MESSAGE_UPDATE", message, handle.guild)
        return 200, message

    async def _webhook_delete_message(self, call: _Call) -> tuple[int, Any]:
        handle = self._webhook_handle(call)
        message = self._webhook_message(handle, call.params["message_id"])
        if call.params["message_id"] == "@original":
            handle.original_deleted = True
        await self._delete(message, handle.guild)
        return 204, None


_SNOWFLAKE: Final = r"\d+"
_WEBHOOK_MESSAGE: Final = "/webhooks/{app_id}/{token:[^/]+}/messages/{message_id:@original|\\d+}"


def _compile_route(path: str) -> re.Pattern[str]:
    """``/channels/{channel_id}`` -> a regex with named groups; ``{name}`` matches a snowflake and
    ``{name:regex}`` the given regex.  Everything else is literal."""
    parts: list[str] = []
    pos = 0
    for m in re.finditer(r"\{(\w+)(?::([^{}]+))?\}", path):
        parts.append(re.escape(path[pos : m.start()]))
        parts.append(f"(?P<{m.group(1)}>{m.group(2) or _SNOWFLAKE})")
        pos = m.end()
    parts.append(re.escape(path[pos:]))
    return re.compile("".join(parts))


def _infer_option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    if isinstance(value, FakeUser | FakeMember):
        return 6
    if isinstance(value, FakeChannel):
        return 7
    if isinstance(value, FakeRole):
        return 8
    return 3


def _client_in_process() -> bool:
    """discord.py runs a ``keep-alive-handler:shard-*`` thread for every connected gateway socket."""
    return any(t.name.startswith("keep-alive-handler:") for t in threading.enumerate())


def _pending_handler_tasks() -> set[asyncio.Task[Any]]:
    try:
        current = asyncio.current_task()
    except RuntimeError:
        return set()
    return {
        t
        for t in asyncio.all_tasks()
        if t is not current and not t.done() and t.get_name().startswith(_HANDLER_TASK_PREFIXES)
    }


async def _read_multipart(request: web.Request) -> tuple[Any, tuple[RecordedFile, ...]]:
    body: Any = None
    files: list[RecordedFile] = []
    reader = await request.multipart()
    while True:
        part = await reader.next()
        if part is None:
            break
        if not isinstance(part, aiohttp.BodyPartReader):
            continue
        data = await part.read()
        if part.name == "payload_json":
            body = json.loads(data.decode())
        else:
            files.append(
                RecordedFile(
                    part.name or "",
                    part.filename,
                    part.headers.get("Content-Type", "application/octet-stream"),
                    len(data),
                )
            )
    return body, tuple(files)


# --------------------------------------------------------------------------------------------
# Helpers for tests
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def preserve_discord_endpoints() -> Iterator[None]:
    """Restore ``Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY`` on exit (the bot may set them)."""
    base = discord.http.Route.BASE
    gateway = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    try:
        yield
    finally:
        discord.http.Route.BASE = base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


@contextlib.contextmanager
def point_discord_at(fake: FakeDiscord) -> Iterator[None]:
    """Point discord.py's REST base and default gateway at ``fake``; restore them on exit."""
    with preserve_discord_endpoints():
        discord.http.Route.BASE = fake.api_base
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
        yield


class _ErrorCollector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _format_record(record: logging.LogRecord) -> str:
    text = f"{record.name}: {record.getMessage()}"
    if record.exc_info and record.exc_info[1] is not None:
        text += "\n" + "".join(traceback.format_exception(record.exc_info[1]))
    return text


@contextlib.contextmanager
def fail_on_error_logs(loggers: Sequence[str] = ("discord", "bot")) -> Iterator[list[logging.LogRecord]]:
    """Collect ERROR (and worse) records of ``loggers``; raise AssertionError on exit if there were any.

    discord.py only *logs* exceptions raised in event handlers and commands, so without this a
    crashing handler makes a test time out (or pass) instead of fail.
    """
    collector = _ErrorCollector()
    targets = [logging.getLogger(name) for name in loggers]
    for logger in targets:
        logger.addHandler(collector)
    try:
        yield collector.records
    finally:
        for logger in targets:
            logger.removeHandler(collector)
    if collector.records:
        raise AssertionError(
            f"{len(collector.records)} ERROR log record(s):\n\n" + "\n\n".join(map(_format_record, collector.records))
        )


@contextlib.asynccontextmanager
async def run_client(
    fake: FakeDiscord, client: discord.Client, *, token: str | None = None, timeout: float = 5.0
) -> AsyncIterator[discord.Client]:
    """Run ``client.start(token)`` in a task until it is ready (on both sides); close it cleanly on exit.

    On exit it first waits (up to ``timeout``) until the bot is idle -- see ``FakeDiscord.wait_idle``.

    discord.py must already point at ``fake`` (``point_discord_at`` or the bot's own config).  Pass a
    small ``guild_ready_timeout`` to the client (default 2 s delays ``on_ready``).
    """
    task = asyncio.create_task(client.start(token or fake.token), name="fake-discord: client.start")
    ok = False
    try:
        ready = asyncio.create_task(_ready_both(fake, client, timeout))
        done, _ = await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if ready not in done:
            ready.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await ready
            task.result()  # raises the client's failure
            raise RuntimeError("client.start() returned before the client became ready")
        ready.result()
        yield client
        ok = True
    finally:
        # Let handlers still in flight (e.g. a followup after the awaited reply) finish first, so
        # closing does not cut their requests off.
        if not task.done():
            await fake._settle(timeout)
        await client.close()
        try:
            await asyncio.wait_for(task, timeout)
        except BaseException:
            if ok:
                raise


async def _ready_both(fake: FakeDiscord, client: discord.Client, timeout: float) -> None:
    await fake.wait_ready(timeout=timeout)
    try:
        await asyncio.wait_for(client.wait_until_ready(), timeout)
    except TimeoutError:
        raise FakeDiscordTimeout(
            f"client did not fire on_ready within {timeout}s (is guild_ready_timeout small?)\n" + fake.diagnostics()
        ) from None
