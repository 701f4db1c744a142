"""Discord limits, escaping, the Korean translator, the endpoint switch and `run_bot`'s startup errors."""

from __future__ import annotations

import asyncio
import io
import re
from pathlib import Path
from typing import Literal

import discord
import discord.gateway
import discord.http
import pytest
from discord import app_commands
from harness import PETS

from bot.discord_app.client import Brain, _Endpoints
from bot.discord_app.i18n import KOREAN, LessonTranslator, locale_lang, question_lang, typed_lang
from bot.discord_app.runner import run_bot
from bot.discord_app.ui import answer_embed, clip, escape_user_text, fit_embed, quote_user_text
from bot.render import RenderedAnswer


def test_clip_marks_the_cut() -> None:
    assert clip("abc", 3) == "abc"
    assert clip("abcdef", 4) == "abc…"
    assert len(clip("x" * 5000, 4096)) == 4096


def test_long_answers_fit_discords_embed_limits() -> None:
    answer = RenderedAnswer(
        qualified_id="day1-pets/cat",
        title="T" * 300,
        body="B" * 5000,
        source="S" * 2000,
        lesson_title="L" * 3000,
        related=(),
        lang="en",
    )
    embed = answer_embed(answer)
    assert embed.title is not None
    assert len(embed.title) == 256
    assert embed.description is not None
    assert len(embed.description) <= 4096
    assert len(embed.fields[0].value or "") == 1024
    assert embed.footer.text is not None
    assert len(embed.footer.text) <= 2048
    assert len(embed) <= 6000


def test_fit_embed_drops_fields_beyond_25() -> None:
    embed = discord.Embed(title="t", description="d")
    for number in range(30):
        embed.add_field(name=f"n{number}", value="v" * 200)
    fitted = fit_embed(embed)
    assert len(fitted.fields) <= 25
    assert len(fitted) <= 6000


def test_user_text_is_escaped_before_it_is_echoed() -> None:
    assert (
        escape_user_text("**hi** @everyone <@&123456789012345678>")
        == "\\*\\*hi\\*\\* @\u200beveryone <@\u200b&123456789012345678>"
    )
    assert quote_user_text("line one\nline two") == "> line one line two"
    assert len(quote_user_text("x" * 1000)) < 310


def test_the_translator_gives_korean_only_for_korean() -> None:
    translator = LessonTranslator()
    context: app_commands.TranslationContext[Literal[app_commands.TranslationContextLocation.other], None] = (
        app_commands.TranslationContext(app_commands.TranslationContextLocation.other, None)
    )
    ask = app_commands.locale_str("ask")
    assert asyncio.run(translator.translate(ask, discord.Locale.korean, context)) == "질문"
    assert asyncio.run(translator.translate(ask, discord.Locale.japanese, context)) is None
    unknown = app_commands.locale_str("not translated")
    assert asyncio.run(translator.translate(unknown, discord.Locale.korean, context)) is None


def test_korean_names_and_descriptions_are_valid_for_discord() -> None:
    name = re.compile(r"^[-_\w]{1,32}$")
    for english, korean in KOREAN.items():
        if name.match(english) and english == english.lower():  # a command or option name
            assert name.match(korean), korean
            assert korean == korean.lower(), korean
        else:
            assert 1 <= len(korean) <= 100, korean
            assert 1 <= len(english) <= 100, english


@pytest.mark.parametrize(
    ("locale", "lang"),
    [(discord.Locale.korean, "ko"), (discord.Locale.american_english, "en"), (discord.Locale.japanese, "en")],
)
def test_locale_lang(locale: discord.Locale, lang: str) -> None:
    assert locale_lang(locale) == lang


def test_question_and_typed_language() -> None:
    assert question_lang("고양이?", discord.Locale.american_english) is None  # the matcher detects it
    assert question_lang("?!", discord.Locale.korean) == "ko"
    assert typed_lang("고양", discord.Locale.american_english) == "ko"
    assert typed_lang("ca", discord.Locale.korean) == "en"
    assert typed_lang("", discord.Locale.korean) == "ko"


def test_endpoints_are_applied_once_and_restored() -> None:
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    endpoints = _Endpoints("http://127.0.0.1:9/api/v10/", "ws://127.0.0.1:9/")
    endpoints.apply()
    endpoints.apply()
    assert discord.http.Route.BASE == "http://127.0.0.1:9/api/v10"
    assert str(discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:9/"
    endpoints.restore()
    endpoints.restore()
    assert (base, gateway) == (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)
    untouched = _Endpoints(None, None)
    untouched.apply()
    assert base == discord.http.Route.BASE
    untouched.restore()


def test_brain_lookups() -> None:
    brain = Brain.load(PETS)
    cat = brain.entry("day1-pets/cat")
    assert cat is not None
    assert cat.title.en == "What is a cat?"
    assert brain.entry("day1-pets/parrot") is None
    assert brain.titled("  what IS a cat? ") == cat
    assert brain.titled("고양이란?") == cat
    assert brain.titled("what is a cat") is None  # titles only, exactly (modulo case and spacing)
    assert brain.latest_lesson().id == "day1-pets"
    assert brain.entry_count() == 6


# --- run_bot's startup errors (exit 2, no traceback, nothing sent anywhere) -------------------------


def test_invalid_config_prints_file_line_problems(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "recap:\n  timezone: Mars/Olympus\n  time: '25:00'\nanswer_channels: [general]\n", encoding="utf-8"
    )
    errors = io.StringIO()
    assert run_bot(str(config), environ={"DISCORD_TOKEN": "t"}, err=errors) == 2
    assert sorted(errors.getvalue().splitlines()) == [
        f"{config}:2: recap.timezone: unknown IANA time zone 'Mars/Olympus' (e.g. Asia/Seoul)",
        f"{config}:3: recap.time: expected HH:MM (24-hour, quoted), got '25:00'",
        f"{config}:4: answer_channels: 'general' is not a Discord id (a number like 123456789012345678)",
    ]


def test_missing_token_is_one_line(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge: {PETS}\n", encoding="utf-8")
    errors = io.StringIO()
    assert run_bot(str(config), environ={}, err=errors) == 2
    assert errors.getvalue() == "lessonbot: no Discord token: set the DISCORD_TOKEN environment variable\n"


def test_invalid_knowledge_prints_file_line_problems(tmp_path: Path) -> None:
    lesson = tmp_path / "bad.yaml"
    lesson.write_text(PETS.read_text(encoding="utf-8").replace("  id: day1-pets\n", "  id: Bad Id\n"), "utf-8")
    config = tmp_path / "config.yaml"
    config.write_text("knowledge: bad.yaml\n", encoding="utf-8")
    errors = io.StringIO()
    assert run_bot(str(config), environ={"DISCORD_TOKEN": "secret-value"}, err=errors) == 2
    assert errors.getvalue().startswith(f"{lesson}:7: ")
    assert "secret-value" not in errors.getvalue()


def test_a_curriculum_naming_lessons_not_loaded_stops_the_start(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge: {PETS}\ncurriculum:\n  schedule:\n    '2025-03-04': day2-birds\n", encoding="utf-8")
    errors = io.StringIO()
    assert run_bot(str(config), environ={"DISCORD_TOKEN": "t"}, err=errors) == 2
    assert errors.getvalue() == (
        f"{config}:4: curriculum.schedule 2025-03-04: unknown lesson 'day2-birds' (loaded: day1-pets)\n"
    )


def test_knowledge_override_wins(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("knowledge: missing-folder\n", encoding="utf-8")
    errors = io.StringIO()
    # The override is loaded (and is invalid here), so the config's missing folder is never read.
    assert (
        run_bot(str(config), knowledge_override=str(tmp_path / "nope.yaml"), environ={"DISCORD_TOKEN": "t"}, err=errors)
        == 2
    )
    assert errors.getvalue().startswith(f"{tmp_path / 'nope.yaml'}:0: ")
