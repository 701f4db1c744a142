"""Re-import into a hand-written file: apply the merged data to the file as it is, so its comments,
key order, quoting and layout survive, and only what the merge changed is rewritten.

ruamel.yaml does the comment-preserving round trip. It is imported inside `apply_to_file`: only a
re-import over a hand-written file pays for it (~20 ms); `ask` and the bot never load it.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from bot.importer.yaml_text import FLOW_KEYS, mark_entry_ids

# Entries, tables and table rows are matched by these keys, so an item keeps its comments when
# items are added or removed around it.
_IDENTITY_KEYS = ("id", "key")


class RoundTripError(Exception):
    """The file could not be round-tripped (the caller falls back to writing it anew)."""


def apply_to_file(previous_text: str, merged: dict[str, Any], *, fingerprints: Mapping[str, str]) -> str:
    """Return `previous_text` changed to hold `merged`, keeping its comments and layout.

    `fingerprints` (entry id → Korean fingerprint) are written after each entry's id, as
    `format_yaml` does.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    yaml = YAML(typ="rt", pure=True)
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a hand-written line
    yaml.indent(mapping=2, sequence=4, offset=2)
    # English still to write is `en: null`, as `format_yaml` writes it (not an empty value).
    yaml.representer.add_representer(type(None), _represent_null)
    try:
        document = yaml.load(previous_text)
        if not isinstance(document, dict):
            raise RoundTripError("not a mapping")
        _update_map(document, merged)
        stream = io.StringIO()
        yaml.dump(document, stream)
    except (YAMLError, ValueError, TypeError, RecursionError) as exc:
        raise RoundTripError(str(exc)) from None
    return mark_entry_ids(stream.getvalue(), fingerprints)


def _represent_null(representer: Any, value: None) -> Any:
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


def _update_map(old: Any, new: dict[str, Any]) -> None:
    for key in [k for k in old if k not in new]:
        del old[key]
    previous_key = None
    for key, value in new.items():
        if key in old:
            old[key] = _updated(old[key], value, key)
        else:
            # A new key goes after the one it follows in the merged data.
            keys = list(old)
            at = keys.index(previous_key) + 1 if previous_key in keys else len(keys)
            old.insert(at, key, _fresh(value, key))
        previous_key = key


def _identity(item: Any) -> Any:
    if isinstance(item, dict):
        for key in _IDENTITY_KEYS:
            if isinstance(item.get(key), str):
                return (key, item[key])
    return None


def _updated(old: Any, new: Any, key: str) -> Any:
    """Return `old` changed in place to equal `new` where it can be, else a fresh node for `new`."""
    if _plain(old) == new:
        return old  # unchanged: keep quoting, flow style and comments exactly
    if isinstance(old, dict) and isinstance(new, dict):
        _update_map(old, new)
        return old
    if isinstance(old, list) and isinstance(new, list) and any(_identity(item) for item in new):
        by_identity = {_identity(item): item for item in old if _identity(item) is not None}
        # A comment line above an item is kept by the list at that item's position: move it along.
        held: dict[int, Any] = getattr(getattr(old, "ca", None), "items", {})
        comments = dict(held)
        position = {id(item): at for at, item in enumerate(old)}
        items = []
        for item in new:
            match = by_identity.get(_identity(item))
            items.append(_updated(match, item, key) if match is not None else _fresh(item, key))
        old[:] = items
        held.clear()
        for at, item in enumerate(items):
            before = position.get(id(item))
            if before is not None and before in comments:
                held[at] = comments[before]
        return old
    return _fresh(new, key)


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node


def _fresh(value: Any, key: str) -> Any:
    """Return a new node for `value`, styled as `format_yaml` writes it."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = _fresh(v, k)
        return node
    if isinstance(value, list):
        seq = CommentedSeq(_fresh(v, "") for v in value)
        if key in FLOW_KEYS:
            seq.fa.set_flow_style()
        for group in seq if key == "glossary" else ():
            if isinstance(group, CommentedSeq):
                group.fa.set_flow_style()  # each synonym group on one line
        return seq
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value)
    return value
