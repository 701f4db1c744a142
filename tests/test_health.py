"""`lessonbot health`: healthy only while the heartbeat is fresh; never imports discord."""

from __future__ import annotations

import asyncio
import io
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.cli import main
from bot.health import check_health, heartbeat_verdict
from bot.store import Store

NOW = datetime(2025, 3, 3, 0, 0, tzinfo=UTC)


def config_with_heartbeat(tmp_path: Path, beat: datetime | None) -> Path:
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  path: state.sqlite3\n", encoding="utf-8")

    async def write() -> None:
        async with Store(tmp_path / "state.sqlite3") as store:
            if beat is not None:
                await store.beat(beat)

    asyncio.run(write())
    return config


def test_verdicts() -> None:
    limit = timedelta(seconds=90)
    assert heartbeat_verdict(NOW, now=NOW + timedelta(seconds=30), max_age=limit) == (
        True,
        "healthy: last heartbeat 30 s ago",
    )
    assert heartbeat_verdict(NOW, now=NOW + timedelta(seconds=91), max_age=limit)[0] is False
    assert heartbeat_verdict(None, now=NOW, max_age=limit)[0] is False
    assert heartbeat_verdict(NOW + timedelta(minutes=5), now=NOW, max_age=limit)[1].startswith(
        "unhealthy: the heartbeat is 300 s in the future"
    )


def test_fresh_heartbeat_is_healthy(tmp_path: Path) -> None:
    config = config_with_heartbeat(tmp_path, NOW)
    out = io.StringIO()
    assert check_health(config, max_age=90, out=out, now=NOW + timedelta(seconds=45)) == 0
    assert out.getvalue() == "healthy: last heartbeat 45 s ago\n"


def test_stale_or_missing_heartbeat_is_unhealthy(tmp_path: Path) -> None:
    config = config_with_heartbeat(tmp_path, NOW)
    out = io.StringIO()
    assert check_health(config, max_age=90, out=out, now=NOW + timedelta(minutes=2)) == 1
    assert out.getvalue() == "unhealthy: last heartbeat 120 s ago (limit 90 s)\n"
    (tmp_path / "fresh").mkdir()
    cleared = config_with_heartbeat(tmp_path / "fresh", None)
    out = io.StringIO()
    assert check_health(cleared, max_age=90, out=out, now=NOW) == 1
    assert out.getvalue().startswith("unhealthy: no heartbeat")


def test_no_database_is_unhealthy(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  path: never-created.sqlite3\n", encoding="utf-8")
    out = io.StringIO()
    assert check_health(config, max_age=90, out=out) == 1
    assert "no state database" in out.getvalue()
    assert not (tmp_path / "never-created.sqlite3").exists()  # a health check never creates it


def test_invalid_config_is_status_2(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text("storage:\n  pth: x\n", encoding="utf-8")
    err = io.StringIO()
    assert check_health(config, max_age=90, out=io.StringIO(), err=err) == 2
    assert err.getvalue().startswith(f"{config}:2: unknown key storage.'pth'")


def test_the_cli_command(tmp_path: Path) -> None:
    config = config_with_heartbeat(tmp_path, datetime.now(UTC))
    assert main(["health", "--config", str(config), "--max-age", "600"]) == 0


def test_health_does_not_import_discord() -> None:
    code = (
        "import sys, bot.cli, bot.matching, bot.config, bot.health, bot.store, bot.recap, bot.render; "
        "assert 'discord' not in sys.modules, 'discord was imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_max_age_must_be_a_positive_finite_number_of_seconds(tmp_path: Path) -> None:
    config = config_with_heartbeat(tmp_path, NOW)
    for bad in ("nan", "1e300", "-5", "0", "inf", "soon"):
        done = subprocess.run(
            [sys.executable, "-m", "bot", "health", "--config", str(config), f"--max-age={bad}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, (bad, done.stdout, done.stderr)
        assert "argument --max-age" in done.stderr
        assert "Traceback" not in done.stderr
