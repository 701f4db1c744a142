"""Property: whatever YAML (or almost-YAML) a knowledge, config or eval file holds, parsing it either
succeeds or raises the project's one error type (SourceError, which the CLI prints as `file:line:
message` and maps to exit 1) — never anything else. Sizes are bounded so this runs in seconds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.config import parse_config
from bot.evaluation import parse_eval_set
from bot.knowledge import parse_lesson
from bot.source import Problem, SourceError

MINI = (Path(__file__).parent / "fixtures" / "mini.yaml").read_text(encoding="utf-8")
KEYS = [
    # Keys the parsers know, so random documents reach past the first "unknown key" check.
    *("format", "draft", "lesson", "id", "day", "date", "title", "ko", "en", "entries", "questions", "answer"),
    *("summary", "tables", "rows", "cells", "columns", "key", "label", "glossary", "out_of_scope", "terms"),
    *("recap", "lang", "timezone", "time", "channels", "curriculum", "mode", "schedule", "lesson_channels"),
    *("storage", "path", "matching", "answer_threshold", "discord", "guild_ids", "q", "expect", "kind"),
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["ko", "en", "newest", "schedule", "2026-07-02", "09:00", "America", "day1", "mini/container"]),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)), inner, max_size=5),
    ),
    max_leaves=25,
)
# Characters that make YAML interesting: structure, anchors, tags, quotes, control characters.
NOISE = st.text(alphabet=st.sampled_from(list(":-[]{}&*!|>'\"#%@`,? \n\t\x00\x1b\x85\ufeff가a1")), max_size=30)


def parse_all(text: str) -> None:
    for parse in (
        lambda: parse_lesson(text, path="k.yaml"),
        lambda: parse_config(text, path="c.yaml", environ={}),
        lambda: parse_eval_set(text, path="e.yaml"),
    ):
        problems: tuple[Problem, ...] = ()
        try:
            parse()
        except SourceError as exc:
            problems = exc.problems
        # Every problem is one line of reasonable length, whatever the input held.
        assert all(len(str(problem)) < 2_000 and "\n" not in problem.message for problem in problems)


def dumped(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, default_flow_style=None)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(VALUES)
def test_any_yaml_document_is_parsed_or_reported(value: Any) -> None:
    parse_all(dumped(value))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(MINI)), st.integers(min_value=0, max_value=40), NOISE)
def test_a_damaged_knowledge_file_is_parsed_or_reported(start: int, length: int, noise: str) -> None:
    parse_all(MINI[:start] + noise + MINI[start + length :])


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(NOISE, st.sampled_from(["&a ", "*a", "!!set ", "!!binary ", "<<: ", "? "])), max_size=8))
def test_almost_yaml_is_parsed_or_reported(parts: list[str]) -> None:
    parse_all("".join(parts))
