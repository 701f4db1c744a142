"""A pytest plugin (loaded by `-p isolated_env` in pyproject.toml) that keeps the suite off the user's files.

Commands the tests run read and write the lesson cache in the user's cache folder; the suite points
`XDG_CACHE_HOME` at a fresh temporary folder instead, so a test run neither depends on nor leaves
anything in `~/.cache`. (A root conftest.py would do the same, but mypy sees two modules named
`conftest` then.)
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_folder_key = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    folder = tempfile.mkdtemp(prefix="lessonbot-test-cache-")
    config.stash[_folder_key] = folder
    os.environ["XDG_CACHE_HOME"] = folder


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(_folder_key, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
