"""Shared setup for the Discord tests: import discord.py quietly, fail on ERROR logs."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator

import pytest

with warnings.catch_warnings():  # discord.py imports the deprecated audioop on Python < 3.13
    warnings.filterwarnings("ignore", "'audioop' is deprecated", DeprecationWarning)
    import discord  # noqa: F401

from fake_discord import fail_on_error_logs, preserve_discord_endpoints


@pytest.fixture(autouse=True)
def _restore_discord_endpoints() -> Iterator[None]:
    """Whatever a test does, discord.py's process-global endpoints are put back afterwards."""
    with preserve_discord_endpoints():
        yield


@pytest.fixture(autouse=True)
def error_logs() -> Iterator[list[logging.LogRecord]]:
    """Fail the test on ERROR records of the `discord` and `bot` loggers (handler exceptions are only logged).

    A test that provokes an error on purpose takes this fixture and empties the list after checking it.
    """
    with fail_on_error_logs(("discord", "bot")) as records:
        yield records
