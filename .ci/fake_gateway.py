"""Serve the tests' fake Discord (tests/discord/fake_discord.py) on 127.0.0.1 until SIGTERM, for the
container smoke test in .ci/container.sh: the real image then runs `lessonbot run` against it.

    python .ci/fake_gateway.py OUT_DIR

Writes OUT_DIR/config.yaml (a bot config pointing at the fake, state in /state) once listening.
Needs discord.py and aiohttp, so it runs in the lessonbot image itself (or any venv with them).
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "discord"))

from fake_discord import FakeDiscord  # found through the path set just above

TOKEN = "fake-bot-token"  # noqa: S105 - FakeDiscord's test token; the bot container gets it as DISCORD_TOKEN

CONFIG = """\
# written by .ci/fake_gateway.py: lessonbot against the fake Discord on this machine's loopback
discord:
  api_base: {api_base}
  gateway_url: {gateway_url}
  guild_ids: [{guild_id}]
storage:
  path: /state/lessonbot.sqlite3
logging:
  level: INFO
"""


async def serve(out: Path) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    async with FakeDiscord(token=TOKEN) as fake:
        text = CONFIG.format(api_base=fake.api_base, gateway_url=fake.gateway_url, guild_id=fake.world.guilds[0].id)
        staging = out / "config.yaml.part"
        staging.write_text(text, encoding="utf-8")
        staging.chmod(0o644)
        staging.replace(out / "config.yaml")  # appears whole: the waiting script never reads half a file
        print(f"fake discord listening: {fake.api_base}", flush=True)
        await stop.wait()
        print(
            f"fake discord stopping: {fake.identify_count} IDENTIFY, {len(fake.command_syncs)} command sync(s), "
            f"{len(fake.unhandled)} unhandled request(s)",
            flush=True,
        )


def main() -> int:
    if len(sys.argv) != 2:
        sys.stderr.write("usage: fake_gateway.py OUT_DIR\n")
        return 2
    asyncio.run(serve(Path(sys.argv[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
