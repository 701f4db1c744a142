"""Load benchmark: reading and validating lesson files, cold and from the cache, and `lessonbot ask` start-up.

    python benchmarks/bench_load.py [--sizes 1,30,300] [--runs 3] [--ask-runs 5] [--keep DIR]

Curricula of 1, 30 and 300 day-16-sized lessons are written to a temporary folder: copies of the
bundled lesson, each with its own id and day and a lesson-specific word in every question, so no two
files share content (and so no two share a cache entry). For each size it prints the best of
`--runs` timings of:

- parse (libyaml): `load_knowledge` with no cache — what `check` and a cold start pay;
- parse (pure Python): the same with PyYAML's pure-Python parser (as without libyaml); sizes ≤ 30;
- fill cache: a load that parses every file and writes its cache entry;
- from cache: a load that reads every lesson back from the cache (content hash + code version checked);
- index: building the Matcher on the loaded lessons, no index cache;
- ready cold: load + index with no cache at all (a first start: what it waits for before answering);
- ready cached: load + index from the lesson cache and the compiled-index cache (a later start);

and memory: the steady size (lessons + index, tracemalloc) and the peak while a second set of lessons
and its index are built beside the first, as `/reload` does (sharing what is unchanged with the one
being replaced), as a ratio of the steady size: with no file changed ("reload peak"), and after one
lesson's question was edited, so its lessons' index misses the cache and is built afresh ("after edit").

Under the table, the largest size is checked against issue 9's targets: ready cold ≤ 10 s and the
reload peak after an edit ≤ 1.3× steady (at 300 lessons; one lesson edited out of one is a new index,
so small sizes sit higher).

Finally `lessonbot ask` start-up: wall time of the whole process (best and median of `--ask-runs`)
on the bundled lesson with a warm cache and with caching off, and whether `import bot.cli` loads
PyYAML, discord.py or the Markdown parser (it must not).
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any
from unittest import mock

import bot.source
from bot.cache import PlainCache
from bot.index_cache import index_cache
from bot.knowledge import Knowledge, default_knowledge_path, lesson_cache, load_knowledge
from bot.matching import Matcher

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "knowledge" / "day16-containers.yaml"
# Issue 9's targets for 300 lessons (a benchmark, not a timed test).
TARGET_READY_COLD_S = 10.0
TARGET_RELOAD_PEAK = 1.3


def write_curriculum(folder: Path, size: int) -> None:
    """Write `size` distinct day-16-sized lessons into `folder`."""
    text = BUNDLED.read_text(encoding="utf-8")
    for number in range(size):
        lesson_id = f"day{100 + number}-lesson"
        body = text.replace("id: day16-containers", f"id: {lesson_id}", 1).replace("day: 16", f"day: {100 + number}", 1)
        # A lesson-specific word keeps the files (and their cache entries) distinct.
        body = body.replace("컨테이너란?", f"컨테이너란? ({lesson_id})")
        (folder / f"{lesson_id}.yaml").write_text(body, encoding="utf-8")


def best_of(runs: int, work: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


@contextmanager
def pure_python_yaml() -> Iterator[None]:
    """Parse with PyYAML's pure-Python parser, as on an install without libyaml."""
    original = bot.source.parse_yaml

    def pure(text: str, *, path: str, pure_python: bool = False) -> Any:
        return original(text, path=path, pure_python=True)

    with mock.patch("bot.knowledge.parse_yaml", pure):
        yield


def traced(work: Callable[[], Any]) -> tuple[Any, int, int]:
    """Return work's result, the memory it still holds, and the peak while it ran (tracemalloc bytes)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = work()
        gc.collect()
        current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, current, peak


def edit_one_lesson(folder: Path) -> Callable[[], object]:
    """Change one question of the first lesson, as a moderator's edit before /reload; return the undo."""
    lesson_file = sorted(folder.glob("*.yaml"))[0]
    original = lesson_file.read_text(encoding="utf-8")
    lesson_file.write_text(original.replace("컨테이너란? (", "컨테이너란 무엇? (", 1), encoding="utf-8")
    return partial(lesson_file.write_text, original, encoding="utf-8")


def reload_ratio(
    folder: Path, lessons: PlainCache | None, indexes: PlainCache | None, *, edit: bool
) -> tuple[float, float]:
    """Return (steady MiB, peak during a reload / steady): lessons + index held, then a new pair built
    beside them as `/reload` does (`Brain.load(previous=...)`: unchanged lessons and index parts shared),
    from the caches; with `edit`, one lesson changed before the reload (so its index is built afresh)."""
    gc.collect()
    tracemalloc.start()
    undo: Callable[[], object] | None = None
    try:

        def build(previous: tuple[Knowledge, Matcher] | None) -> tuple[Knowledge, Matcher]:
            knowledge = load_knowledge(folder, cache=lessons, previous=None if previous is None else previous[0])
            return knowledge, Matcher(knowledge, cache=indexes, previous=None if previous is None else previous[1])

        served = build(None)
        gc.collect()
        steady, _ = tracemalloc.get_traced_memory()
        if edit:
            undo = edit_one_lesson(folder)
        tracemalloc.reset_peak()
        replacement = build(served)
        served = replacement  # the swap: the old pair is released only now
        del replacement
        gc.collect()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        if undo is not None:
            undo()
    del served
    return steady / 2**20, peak / steady


def ready(folder: Path, lessons: PlainCache | None, indexes: PlainCache | None) -> Matcher:
    """Load the lessons and build the matcher: what a start or /reload waits for before answering."""
    return Matcher(load_knowledge(folder, cache=lessons), cache=indexes)


def ask_startup(runs: int, cache_home: Path, *, cache: bool) -> tuple[float, float]:
    """Return (best, median) wall seconds of a whole `lessonbot ask` process on the bundled lesson."""
    environ = {**os.environ, "XDG_CACHE_HOME": str(cache_home), "LESSONBOT_CACHE": "on" if cache else "off"}
    command = [sys.executable, "-m", "bot", "ask", "컨테이너가 뭐야?"]
    subprocess.run(command, env=environ, capture_output=True, check=True)  # warm-up: fills the cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=environ, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def heavy_imports() -> list[str]:
    code = (
        "import sys, bot.cli\n"
        "print(' '.join(m for m in ('yaml', 'discord', 'markdown_it', 'aiohttp', 'sqlite3') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return out.split()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,30,300")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--ask-runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the curricula here (kept) instead of a temporary folder")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print(f"Python {sys.version.split()[0]}, libyaml: {hasattr(__import__('yaml'), 'CSafeLoader')}")
    with tempfile.TemporaryDirectory() as scratch:
        base = args.keep or Path(scratch)
        print(
            f"{'lessons':>7} {'parse':>8} {'pure-py':>8} {'fill':>8} {'cached':>8} {'index':>8} "
            f"{'ready cold':>10} {'ready cached':>12} "
            f"{'lessons MiB':>11} {'load peak MiB':>13} {'steady MiB':>10} {'reload peak':>11} {'after edit':>10}"
        )
        for size in sizes:
            folder = base / f"lessons-{size}"
            folder.mkdir(parents=True, exist_ok=True)
            write_curriculum(folder, size)
            cache_home = Path(scratch) / f"cache-{size}"
            cache = lesson_cache({"XDG_CACHE_HOME": str(cache_home)})
            indexes = index_cache({"XDG_CACHE_HOME": str(cache_home)})
            runs = args.runs if size <= 30 else 1
            uncached = partial(load_knowledge, folder)
            through_cache = partial(load_knowledge, folder, cache=cache)
            parse = best_of(runs, uncached)
            pure = float("nan")
            if size <= 30:
                with pure_python_yaml():
                    pure = best_of(1, uncached)
            fill = best_of(1, through_cache)
            cached = best_of(runs, through_cache)
            knowledge, held, peak = traced(uncached)
            index = best_of(1, partial(Matcher, knowledge))
            del knowledge
            cold = best_of(1, partial(ready, folder, None, None))
            ready(folder, cache, indexes)  # fills the index cache
            from_caches = best_of(runs, partial(ready, folder, cache, indexes))
            steady, ratio = reload_ratio(folder, cache, indexes, edit=False)
            _, edited = reload_ratio(folder, cache, indexes, edit=True)
            pure_text = "-" if math.isnan(pure) else f"{pure:.2f}s"
            print(
                f"{size:>7} {parse:>7.2f}s {pure_text:>8} {fill:>7.2f}s {cached:>7.2f}s {index:>7.2f}s "
                f"{cold:>9.2f}s {from_caches:>11.2f}s "
                f"{held / 2**20:>11.1f} {peak / 2**20:>13.1f} {steady:>10.1f} {ratio:>10.2f}x {edited:>9.2f}x"
            )
        print(
            f"targets at {size} lessons: ready cold {cold:.2f}s (≤ {TARGET_READY_COLD_S:g} s: "
            f"{'met' if cold <= TARGET_READY_COLD_S else 'MISSED'}), reload peak after an edit {edited:.2f}x "
            f"(≤ {TARGET_RELOAD_PEAK:g}x: {'met' if edited <= TARGET_RELOAD_PEAK else 'MISSED'})"
        )
    with tempfile.TemporaryDirectory() as scratch:
        warm = ask_startup(args.ask_runs, Path(scratch), cache=True)
        off = ask_startup(args.ask_runs, Path(scratch), cache=False)
    print(f"lessonbot ask, bundled lesson ({default_knowledge_path().name}/): ", end="")
    print(f"warm cache {warm[0]:.3f}s best, {warm[1]:.3f}s median; no cache {off[0]:.3f}s best, {off[1]:.3f}s median")
    print(
        f"import bot.cli loads: {', '.join(heavy_imports()) or 'none of yaml, discord, markdown_it, aiohttp, sqlite3'}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
