"""Compile many alternatives into one trie-shaped regex, so a scan costs per character, not per term.

A plain `a|b|c…` of a few hundred terms makes the regex engine try every term at every position;
sharing prefixes lets it reject a position after one character.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass
class _Node:
    children: dict[str, _Node] = field(default_factory=dict)
    end: bool = False


def trie_regex(alternatives: Iterable[Sequence[str]]) -> str:
    """Return one regex matching any alternative; each alternative is a sequence of regex atoms.

    At every branch, longer continuations are tried before the alternative ends there, so the
    longest term wins, as it would in a length-sorted alternation.
    """
    root = _Node()
    for atoms in alternatives:
        node = root
        for atom in atoms:
            node = node.children.setdefault(atom, _Node())
        node.end = True
    return _emit(root)


# Atoms that match no characters: a lookaround ("(?![0-9a-z])", a word's end) or an empty named group
# (a term's marker). A branch that starts with one ends the term there, so it is tried last, like `end`.
_ZERO_WIDTH = ("(?!", "(?=", "(?<!", "(?<=", "(?P<")


def _emit(node: _Node) -> str:
    # Sorted: the alternatives often come from a set, and a regex whose branch order followed the
    # (hash-seeded) set order would read the same question differently from one run to the next.
    ordered = sorted(node.children.items(), key=lambda item: (item[0].startswith(_ZERO_WIDTH), item[0]))
    branches = [atom + _emit(child) for atom, child in ordered]
    if node.end:
        branches.append("")
    if not branches:
        return ""
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"
