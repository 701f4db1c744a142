"""Load benchmark: 500 `/ask` interactions dispatched at once through the loopback fake Discord.

Runs lessonbot's own `serve` path (the code `lessonbot run` uses) with the real discord.py client
against tests/discord/fake_discord.py, fires every interaction before awaiting any answer, then
checks that each one was answered exactly once (none lost, none acknowledged twice) and prints
answers per second and end-to-end latency percentiles (from the fake creating the interaction to
it receiving the bot's callback). A benchmark, not a test: numbers depend on the machine.

    python benchmarks/bench_discord_load.py [--count 500] [--knowledge PATH] [--separate-process]
    python benchmarks/bench_discord_load.py --reload 300 [--separate-process]

By default the bot runs in the benchmark's own event loop, next to the fake, so the numbers include
the fake's work too; --separate-process runs `python -m bot run --config ...` instead (its own
process and CPU) and stops it with SIGTERM at the end.

--reload N: the bot starts on one lesson; N copies of the bundled lesson (day-16 size, new ids) are
added and a moderator runs /reload while /ask keeps arriving every 50 ms. It prints how long the
reload took and the slowest /ask answered meanwhile (the target: none past 1 s). With
--separate-process it then sends SIGTERM during a second reload and prints how long the process
took to exit (the target: 2 s, whatever is running).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import logging
import os
import re
import signal
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "discord"))

from fake_discord import FakeDiscord, InteractionHandle  # noqa: E402
from harness import config_for, make_setup, running_bot, write_config  # noqa: E402

from bot.knowledge import default_knowledge_path  # noqa: E402

QUESTIONS = (
    "컨테이너가 뭐야?",
    "What is a VM?",
    "VM이랑 컨테이너 차이가 뭐예요?",
    "why do we need kubernetes",
    "하이퍼바이저가 뭐야",
    "what goes inside a container",
    "컨테이너 시작 속도",
    "오늘 점심 뭐 먹지",
    "how do I write a Dockerfile?",
    "격리 수준 차이",
    "오늘의 핵심 요약",
    "rolling update?",
)


def percentile(values: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of `values` (0 < fraction <= 1)."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))
    return ordered[int(rank) - 1]


async def wait_answers(fake: FakeDiscord, count: int) -> dict[int, float]:
    """Wait until `count` interactions got a callback; return when each one arrived (monotonic).

    One watcher for all of them: 500 separate waiters would each wake on every change and measure
    their own wake-ups more than the bot.
    """
    received: dict[int, float] = {}
    seen = 0

    def progress() -> bool | None:
        nonlocal seen
        now = time.monotonic()
        responses = fake.interaction_responses
        while seen < len(responses):
            received.setdefault(responses[seen].interaction_id, now)
            seen += 1
        return True if len(received) >= count else None

    await fake._wait_for(progress, timeout=60, what=f"callbacks for {count} interactions")
    return received


async def fire(fake: FakeDiscord, count: int) -> Run:
    """Send `count` /ask interactions at once, then wait for every callback."""
    users = ("alice", "mod", "owner")
    started = time.monotonic()
    handles = await asyncio.gather(
        *(
            fake.send_interaction(
                "ask",
                options={"question": QUESTIONS[n % len(QUESTIONS)]},
                user=users[n % len(users)],
                locale="ko" if n % 2 else "en-US",
            )
            for n in range(count)
        )
    )
    dispatched = time.monotonic()
    received = await wait_answers(fake, count)
    return Run(list(handles), received, started, dispatched)


@dataclass
class Run:
    handles: list[InteractionHandle]
    received: dict[int, float]
    started: float
    dispatched: float


async def in_process(fake: FakeDiscord, config_path: Path, count: int) -> tuple[Run, int]:
    """The bot runs `serve` in this process and event loop, next to the fake."""
    async with running_bot(fake, config_for(config_path, fake)) as bot:
        run = await fire(fake, count)
        await fake.wait_idle(timeout=60)  # let late duplicates and the unanswered-log writes land
        unanswered = sum(row.count for row in await bot.store.top_unanswered(100))
    return run, unanswered


async def separate_process(fake: FakeDiscord, config_path: Path, database: Path, count: int) -> tuple[Run, int]:
    """The bot is `python -m bot run --config ...` in its own process (its own CPU), stopped by SIGTERM."""
    env = {**os.environ, "DISCORD_TOKEN": fake.token}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", "--config", str(config_path), cwd=ROOT, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        await fake.wait_ready(timeout=30)  # IDENTIFY comes after setup_hook synced the commands
        run = await fire(fake, count)
        process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(process.communicate(), 30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    if process.returncode != 0:
        print(stderr.decode(errors="replace"), file=sys.stderr)
    with sqlite3.connect(database) as db:
        unanswered = int(db.execute("SELECT COUNT(*) FROM unanswered").fetchone()[0])
    return run, unanswered


async def bench(count: int, knowledge: Path, *, separate: bool) -> int:
    with tempfile.TemporaryDirectory() as folder:
        async with FakeDiscord() as fake:
            setup = make_setup(Path(folder))
            config_path = write_config(setup, fake, knowledge=str(knowledge), **{"logging.level": "WARNING"})
            if separate:
                run, unanswered = await separate_process(fake, config_path, setup.database, count)
            else:
                run, unanswered = await in_process(fake, config_path, count)
            problems = len(fake.errors) + len(fake.unhandled)
    return report(run, count=count, unanswered=unanswered, problems=problems, separate=separate)


def report(run: Run, *, count: int, unanswered: int, problems: int, separate: bool) -> int:
    handles, received = run.handles, run.received
    answered_once = sum(1 for h in handles if len(h.callbacks) == 1)
    duplicates = sum(1 for h in handles if len(h.callbacks) > 1)
    lost = sum(1 for h in handles if not h.callbacks)
    kinds = collections.Counter(
        "ephemeral (no match)" if h.original and h.original["flags"] & 64
        else "suggestions" if h.original and h.original["content"]
        else "answer embed"
        for h in handles
    )  # fmt: skip
    latencies = [(received[h.id] - h.sent_at) * 1000 for h in handles if h.id in received]
    elapsed = max(received.values()) - run.started
    where = "a separate `lessonbot run` process" if separate else "the same process and event loop as the fake"
    print(f"bot                       : {where}")
    print(f"interactions sent at once : {count} (dispatch took {(run.dispatched - run.started) * 1000:.0f} ms)")
    print(f"answered exactly once     : {answered_once}   duplicates: {duplicates}   lost: {lost}")
    print("replies                   : " + ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items())))
    print(f"unanswered questions      : {unanswered} logged")
    print(f"answers/s                 : {count / elapsed:.0f}  ({elapsed * 1000:.0f} ms for all {count})")
    if latencies:
        print(
            "end-to-end latency (ms)   : "
            f"min {min(latencies):.1f}  p50 {statistics.median(latencies):.1f}  "
            f"p90 {percentile(latencies, 0.90):.1f}  p99 {percentile(latencies, 0.99):.1f}  max {max(latencies):.1f}"
        )
        print(f"over Discord's 3 s limit  : {sum(1 for value in latencies if value > 3000)}")
    print(f"fake Discord errors       : {problems}")
    return 0 if answered_once == count and problems == 0 else 1


def copy_lessons(source: Path, folder: Path, count: int) -> None:
    """Write `count` copies of lesson file `source` into `folder`, each with its own id and day."""
    text = source.read_text(encoding="utf-8")
    lesson_id = next(line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("id:"))
    for n in range(count):
        copy = text.replace(f"id: {lesson_id}", f"id: copy{n:03d}-{lesson_id}", 1)
        copy = re.sub(r"(?m)^  day: \d+$", f"  day: {1000 + n}", copy, count=1)
        (folder / f"copy{n:03d}-{source.name}").write_text(copy, encoding="utf-8")


async def asks_during(fake: FakeDiscord, done: asyncio.Event) -> list[float]:
    """Send an /ask every 50 ms until `done`; return each one's latency in ms (fake to callback)."""
    latencies: list[float] = []

    async def measure(handle: InteractionHandle) -> None:
        await handle.response(timeout=60)
        latencies.append((time.monotonic() - handle.sent_at) * 1000)

    waiting: list[asyncio.Task[None]] = []
    while not done.is_set():
        handle = await fake.send_interaction("ask", options={"question": QUESTIONS[len(waiting) % 3]})
        waiting.append(asyncio.create_task(measure(handle)))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), 0.05)
    await asyncio.gather(*waiting)
    return latencies


async def reload_bench(lessons: int, *, separate: bool) -> int:
    source = default_knowledge_path()
    source = source if source.is_file() else sorted(source.glob("*.yaml"))[0]
    with tempfile.TemporaryDirectory() as folder:
        async with FakeDiscord() as fake:
            setup = make_setup(Path(folder), lessons=(source,))
            config_path = write_config(setup, fake, **{"logging.level": "WARNING"})
            copy_lessons(source, setup.knowledge, lessons)
            if not separate:
                async with running_bot(fake, config_for(config_path, fake)):
                    reload, took, latencies = await timed_reload(fake)
                exit_seconds = None
            else:
                env = {**os.environ, "DISCORD_TOKEN": fake.token}
                process = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bot", "run", "--config", str(config_path), cwd=ROOT, env=env,
                    stdout=asyncio.subprocess.DEVNULL,  # its log goes to this benchmark's stderr
                )  # fmt: skip
                try:
                    await fake.wait_ready(timeout=120)
                    reload, took, latencies = await timed_reload(fake)
                    second = await fake.send_interaction("reload", user="mod")
                    await second.response(timeout=10)
                    await asyncio.sleep(1.0)  # the second reload is well under way
                    signalled = time.monotonic()
                    process.send_signal(signal.SIGTERM)
                    await asyncio.wait_for(process.communicate(), 300)
                    exit_seconds = time.monotonic() - signalled
                finally:
                    if process.returncode is None:
                        process.kill()
                        await process.wait()
    print(f"bot                       : {'a separate `lessonbot run` process' if separate else 'in process'}")
    print(f"/reload of {lessons + 1} lessons      : {took:.1f} s — {reload}")
    print(
        f"/ask during the reload    : {len(latencies)} answered, max {max(latencies):.0f} ms, "
        f"p50 {statistics.median(latencies):.0f} ms, over 1 s: {sum(1 for x in latencies if x > 1000)}"
    )
    if exit_seconds is not None:
        print(f"SIGTERM during a reload   : exited after {exit_seconds:.2f} s")
    return 0 if max(latencies) <= 1000 and (exit_seconds is None or exit_seconds <= 2) else 1


async def timed_reload(fake: FakeDiscord) -> tuple[str, float, list[float]]:
    started = time.monotonic()
    reload = await fake.send_interaction("reload", user="mod")
    done = asyncio.Event()
    asking = asyncio.create_task(asks_during(fake, done))
    message = await reload.message(timeout=600)
    took = time.monotonic() - started
    done.set()
    return str(message["content"]), took, await asking


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=500, help="interactions to send at once (default 500)")
    parser.add_argument("--knowledge", type=Path, default=default_knowledge_path(), help="lesson file or folder")
    parser.add_argument(
        "--separate-process",
        action="store_true",
        help="run the bot as `python -m bot run` in its own process instead of next to the fake",
    )
    parser.add_argument("--reload", type=int, metavar="N", help="measure /reload of N more lessons instead")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.reload:
        return asyncio.run(reload_bench(args.reload, separate=args.separate_process))
    return asyncio.run(bench(args.count, args.knowledge, separate=args.separate_process))


if __name__ == "__main__":
    raise SystemExit(main())
