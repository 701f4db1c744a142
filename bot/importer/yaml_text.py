"""Knowledge data → the knowledge file's text: a header comment, then block-style YAML, Korean as written."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

import yaml

# The last line of a file exactly as the importer wrote it: a hash of every other line. Any
# edit since (English, a comment, an entry of one's own) breaks it, and the next import asks for --force.
_FILE_MARK = "# lessonbot-import-sha256: "
_FILE_MARK_LINE = re.compile(r"^# lessonbot-import-sha256: ([0-9a-f]{64})\n\Z", re.MULTILINE)
# After each entry's id: the fingerprint of the Korean the lesson gave it at the last import, so a
# re-import can tell the Korean edited by hand (kept) from the Korean it wrote (taken anew).
_ID_MARK = re.compile(
    r"^(?P<line>\s*- id: ['\"]?(?P<id>[^'\"\s#]+)['\"]?)(?:\s+# imported:(?P<mark>[0-9a-f]{10}))?(?P<rest>\s+#.*)?$"
)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def with_fingerprint(text: str) -> str:
    """Return `text` with the whole-file fingerprint as its last line."""
    return f"{text}{_FILE_MARK}{_digest(text)}\n"


def has_valid_fingerprint(text: str) -> bool:
    """Return whether `text` is exactly what the importer wrote (its fingerprint still matches)."""
    found = _FILE_MARK_LINE.search(text)
    return found is not None and _digest(text[: found.start()]) == found.group(1)


def _entry_id_lines(lines: list[str]) -> list[tuple[int, re.Match[str]]]:
    """Return (line index, match) of each entry's `- id:` line: under `entries:` only, not tables."""
    found: list[tuple[int, re.Match[str]]] = []
    inside = False
    for number, line in enumerate(lines):
        if line[:1] not in {"", " ", "#"}:
            inside = line.startswith("entries:")
            continue
        match = _ID_MARK.match(line) if inside else None
        if match is not None:
            found.append((number, match))
    return found


def read_fingerprints(text: str) -> dict[str, str]:
    """Return entry id → the Korean fingerprint written after it by the last import."""
    return {m.group("id"): m.group("mark") for _, m in _entry_id_lines(text.split("\n")) if m.group("mark")}


def mark_entry_ids(text: str, fingerprints: Mapping[str, str]) -> str:
    """Return `text` with each entry's fingerprint as a comment after its id (replacing an old one)."""
    lines = text.split("\n")
    for number, match in _entry_id_lines(lines):
        mark = fingerprints.get(match.group("id"))
        tag = f"  # imported:{mark}" if mark else ""
        lines[number] = f"{match.group('line')}{tag}{match.group('rest') or ''}"
    return "\n".join(lines)


class _Flow(list[Any]):
    """A short list written on one line: [a, b]."""


class _Dumper(yaml.SafeDumper):
    """Block style, sequences indented under their key, no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)

FLOW_KEYS = {"related", "keywords", "terms", "columns", "cells"}


def _styled(node: Any, key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _styled(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_styled(v, key) for v in node]
        if key == "glossary":
            return [_Flow(group) if isinstance(group, list) else group for group in items]
        return _Flow(items) if key in FLOW_KEYS else items
    return node


def format_yaml(data: dict[str, Any], *, source: str = "", fingerprints: Mapping[str, str] | None = None) -> str:
    """Return the knowledge file text: a header comment, then block-style YAML with Korean as written.

    `fingerprints` (entry id → Korean fingerprint) are written as a comment after each entry's id.
    """
    header = [
        f"# Knowledge for lesson {data['lesson']['id']}, imported from {source or 'Markdown'} by `lessonbot import`.",
    ]
    if data.get("draft"):
        header += [
            "# A draft: the Korean comes from the lesson; every `en: null` is English still to write",
            "# (`lessonbot check` lists them as warnings). Remove `draft: true` once all are written.",
        ]
    header += [
        "# Re-importing keeps English, extra questions, related links, keywords, glossary, out_of_scope,",
        "# Korean you edited and entries and tables with ids of your own; other Korean is taken from the",
        "# lesson again. Once edited, this file is only replaced with `--force`, which keeps a backup.",
        "# Comments are not kept. `# imported:` after an id marks the Korean the lesson gave it.",
    ]
    body = yaml.dump(
        _styled(data),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=110,
        indent=2,
    )
    if fingerprints:
        body = mark_entry_ids(body, fingerprints)
    return "\n".join(header) + "\n" + body
