"""Compile many alternatives into one trie-shaped regex, so a scan costs per character, not per term.

A plain `a|b|c…` of a few hundred terms makes the regex engine try every term at every position;
sharing prefixes lets it reject a position after one character.
"""

from __future__ import annotations

import re
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
    alternation = "(?:" + "|".join(branches) + ")"
    firsts = [char for char in (_literal_char(atom) for atom, _ in ordered) if char is not None]
    if not node.end and len(firsts) == len(ordered) >= _CLASS_MIN_BRANCHES:
        # Every branch starts with one of these characters: one class test rejects a position the
        # engine would otherwise reject branch by branch (at the root, where the scan spends most of
        # its time: hundreds of first characters, tried at every position of a long question).
        return "(?=[" + "".join(firsts) + "])" + alternation
    return alternation


# From this many branches, all starting with a plain character, a class test goes before them.
_CLASS_MIN_BRANCHES = 4


def _literal_char(atom: str) -> str | None:
    """Return `atom` when it is one character as `re.escape` writes it (so it means that character inside
    a class too), else None."""
    if len(atom) in (1, 2) and re.escape(atom[-1]) == atom:
        return atom
    return None
