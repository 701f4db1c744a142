"""Knowledge data → the knowledge file's text: a header comment, then block-style YAML, Korean as written."""

from __future__ import annotations

from typing import Any

import yaml


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

_FLOW_KEYS = {"related", "keywords", "terms", "columns", "cells"}


def _styled(node: Any, key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _styled(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_styled(v, key) for v in node]
        if key == "glossary":
            return [_Flow(group) if isinstance(group, list) else group for group in items]
        return _Flow(items) if key in _FLOW_KEYS else items
    return node


def format_yaml(data: dict[str, Any], *, source: str = "") -> str:
    """Return the knowledge file text: a header comment, then block-style YAML with Korean as written."""
    header = [
        f"# Knowledge for lesson {data['lesson']['id']}, imported from {source or 'Markdown'} by `lessonbot import`.",
    ]
    if data.get("draft"):
        header += [
            "# A draft: the Korean comes from the lesson; every `en: null` is English still to write",
            "# (`lessonbot check` lists them as warnings). Remove `draft: true` once all are written.",
        ]
    header += [
        "# Re-importing keeps English, extra questions, related links, keywords, glossary, out_of_scope and",
        "# entries with ids of your own for ids that stay; the Korean is taken from the lesson again.",
        "# Comments are not kept.",
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
    return "\n".join(header) + "\n" + body
