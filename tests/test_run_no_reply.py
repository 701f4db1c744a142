"""`lessonbot run` against an API base that accepts connections and never answers: a bounded wait,
then one line naming the address (it used to be 300 s of silence and an empty reason)."""

from __future__ import annotations

import asyncio
import io
from pathlib import Path

from bot.config import load_config
from bot.discord_app.client import Brain
from bot.discord_app.runner import serve

PETS = Path(__file__).parent / "fixtures" / "discord" / "day1-pets.yaml"


def test_an_api_base_that_never_replies_is_a_clear_line_and_status_1(tmp_path: Path) -> None:
    async def scenario() -> tuple[int, str, str]:
        held: list[asyncio.StreamWriter] = []

        async def accept_and_say_nothing(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            held.append(writer)  # keep the connection open, answer nothing

        server = await asyncio.start_server(accept_and_say_nothing, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        api_base = f"http://127.0.0.1:{port}/api/v10"
        path = tmp_path / "config.yaml"
        path.write_text(
            f"knowledge: {PETS}\n"
            f"discord: {{api_base: {api_base}, gateway_url: 'ws://127.0.0.1:{port}/'}}\n"
            f"storage: {{path: {tmp_path / 'state.sqlite3'}}}\n",
            encoding="utf-8",
        )
        config = load_config(path, environ={"DISCORD_TOKEN": "a-token"})
        errors = io.StringIO()
        async with server:
            status = await serve(
                config,
                Brain.load(PETS, settings=config.matching),
                token=config.require_token(),
                stop=asyncio.Event(),
                err=errors,
                login_seconds=0.5,
            )
            for writer in held:
                writer.close()
        return status, errors.getvalue(), api_base

    status, errors, api_base = asyncio.run(scenario())
    assert status == 1
    assert errors == f"lessonbot: no reply from {api_base} within 0.5 s (check discord.api_base)\n"
