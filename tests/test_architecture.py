"""The shape the project promises: a pure core that never imports discord, and true docs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parent.parent
# Every core module, found on disk so a new module is covered the day it is added.
CORE = sorted(
    ("bot." + ".".join(path.relative_to(ROOT / "bot").with_suffix("").parts)).removesuffix(".__init__")
    for path in (ROOT / "bot").rglob("*.py")
    if "discord_app" not in path.parts and path.name != "__main__.py"
)


def test_core_modules_never_import_discord() -> None:
    code = (
        "import sys\n"
        f"for name in {CORE!r}:\n"
        "    __import__(name)\n"
        "leaked = sorted(m for m in sys.modules if m == 'discord' or m.startswith('discord.'))\n"
        "print(','.join(leaked))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == ""


def test_only_the_adapter_package_mentions_discord_imports() -> None:
    offenders = []
    for path in (ROOT / "bot").rglob("*.py"):
        if "discord_app" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"^\s*(import discord|from discord)", text, re.MULTILINE):
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_readme_quick_start_is_what_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    block = re.search(r"## Quick start\n.*?```(?:sh|bash)?\n(.*?)```", readme, re.DOTALL)
    assert block is not None, "README has a Quick start code block"
    commands = [line.strip() for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]
    assert len(commands) == 2, commands
    main_job, test_command = commands
    assert main_job in ci, "CI runs the README's first command too (with a question piped in)"
    assert test_command in ci, "the README's test command is the one .ci/run runs"
