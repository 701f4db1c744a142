"""The built-in bilingual IT/DevOps lexicon (bot/data/it_lexicon.yaml): groups of equivalent terms.

Every lesson shares these groups (pod/파드/팟, registry/레지스트리, …); a lesson's own `glossary`
extends them with `merge_glossary`. `parse_it_lexicon` validates the data and raises `SourceError`
(file, line, what is wrong); `load_it_lexicon` reads the packaged file (about a millisecond: see
`_plain_groups`), once per Matcher.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from bot.lexicon import strip_ending, strip_particles
from bot.source import Problem, SourceError, YList, YMap, parse_yaml, read_text
from bot.trie_regex import trie_regex
from bot.vocabulary import HANGUL_SYLLABLE, WORD, compact

_FORMAT = 1
_DATA_FILE = "it_lexicon.yaml"


@dataclass(frozen=True)
class Lexicon:
    """Groups of equivalent terms; the first term of a group is its canonical form."""

    _groups: tuple[tuple[str, ...], ...]
    _canonical: Mapping[str, str] = field(repr=False)
    _group_index: Mapping[str, int] = field(repr=False)

    @classmethod
    def from_groups(cls, groups: Iterable[Sequence[str]]) -> Lexicon:
        """Build a lexicon from groups whose terms are already known to belong to one group each.

        A term in several groups is kept in the first (as the normaliser's glossary does).
        """
        kept: list[tuple[str, ...]] = []
        canonical: dict[str, str] = {}
        index: dict[str, int] = {}
        for group in groups:
            keyed = {term.strip(): key for term in group if (key := compact(term))}
            if len(keyed) < 2:
                continue
            position = len(kept)
            terms = tuple(keyed)
            kept.append(terms)
            for key in keyed.values():
                canonical.setdefault(key, terms[0])
                index.setdefault(key, position)
        return cls(tuple(kept), canonical, index)

    @cached_property
    def _written(self) -> Mapping[str, int]:
        # Every term as written (case-folded) → its group. Built on first use (`groups_in`): an index
        # build merges and filters lexicons several times and never needs it.
        written: dict[str, int] = {}
        for terms in self._groups:
            for term in terms:
                written.setdefault(_fold(term), self._group_index[compact(term)])
        return written

    @cached_property
    def _pattern(self) -> re.Pattern[str] | None:
        # Every term as one trie-shaped regex: finding the groups a lesson uses is one scan of its text,
        # not one search per term.
        if not self._written:
            return None
        trie = trie_regex([re.escape(char) for char in term] for term in self._written)
        return re.compile(rf"(?<![0-9a-z가-힣])(?:{trie})(?![0-9a-z])")

    def __len__(self) -> int:
        return len(self._groups)

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and compact(term) in self._canonical

    def canonical(self, term: str) -> str | None:
        """Return the canonical form of `term` ('팟' → 'pod'), or None when the lexicon lacks it."""
        return self._canonical.get(compact(term))

    def group_of(self, term: str) -> tuple[str, ...] | None:
        """Return every form of the concept `term` names, canonical first, or None when unknown."""
        position = self._group_index.get(compact(term))
        return None if position is None else self._groups[position]

    def groups(self) -> tuple[tuple[str, ...], ...]:
        """Return every group, in file order, canonical form first."""
        return self._groups

    @cached_property
    def _term_words(self) -> tuple[tuple[int, tuple[str, ...]], ...]:
        # Each term as the words the normaliser splits it into: "Docker Compose" → (docker, compose).
        return tuple(
            (position, tuple(WORD.findall(unicodedata.normalize("NFC", term).casefold())))
            for position, group in enumerate(self._groups)
            for term in group
        )

    def used_in(self, texts: Iterable[str]) -> Lexicon:
        """Return the lexicon restricted to the groups with a term whose words all occur in `texts`.

        A cheap test, generous on purpose: words are compared as the normaliser splits them, a Hangul
        word also without its particles (파드는 → 파드), and a term of several words counts when each
        of them occurs somewhere. Groups no text uses would only make unrelated words "known" to the
        matcher and cost time; a group let in by a coincidence only adds true synonyms.
        """
        # Text by text (no word spans two texts): one joined copy of every lesson text, normalised and
        # split whole, was the largest allocation of an index build (the peak of a /reload).
        words: set[str] = set()
        for text in texts:
            words.update(WORD.findall(unicodedata.normalize("NFC", text).casefold()))
        stems = [strip_particles(word) for word in words if HANGUL_SYLLABLE.match(word)]
        # The bare stem too, as the vocabulary takes it (부족할 → 부족): a lesson that writes a word only
        # inflected uses it all the same, and its group's synonyms (모자라) are how learners ask.
        words.update(stems)
        words.update([strip_ending(stem, None) for stem in stems])
        used = {position for position, parts in self._term_words if parts and all(p in words for p in parts)}
        return Lexicon.from_groups(group for position, group in enumerate(self._groups) if position in used)

    def groups_in(self, text: str) -> list[tuple[str, ...]]:
        """Return the groups that have a term occurring in `text` as a word (spacing as written).

        Latin terms must stand as whole words ("pod" not inside "tripod"); Hangul terms may take a
        particle after them (파드는, 파드를) but not a syllable before (프로파드).
        """
        pattern = self._pattern
        if pattern is None:
            return []
        positions = {self._written[found.group()] for found in pattern.finditer(_fold(text))}
        return [self._groups[position] for position in sorted(positions)]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def merge_glossary(lexicon: Lexicon, glossary: Iterable[Sequence[str]]) -> tuple[tuple[str, ...], ...]:
    """Return a lesson's glossary merged into the lexicon's groups.

    A lesson group absorbs every lexicon group it shares a term with, and keeps its own first term
    as canonical form (the lesson decides: day 16 says 도커 means container). Lesson groups come
    first, then the lexicon groups no lesson group touched, so a term two lesson groups claim stays
    with the first, as in the normaliser.
    """
    glossary = [tuple(group) for group in glossary]
    # Which glossary group claims each term: a lexicon group absorbed by one glossary group must not
    # take a term another glossary group holds (day 16 keeps 부팅/boot apart from 기동/launch, even
    # though "start" in the paraphrase lexicon spans both).
    claimed: dict[str, int] = {}
    for number, group in enumerate(glossary):
        for term in group:
            claimed.setdefault(compact(term), number)
    merged: list[list[str]] = []
    used: set[int] = set()
    for number, group in enumerate(glossary):
        terms = list(group)
        keys = {compact(term) for term in terms}
        for key in list(keys):
            position = lexicon._group_index.get(key)
            if position is None or position in used:
                continue
            used.add(position)
            for term in lexicon._groups[position]:
                key = compact(term)
                if key not in keys and claimed.get(key, number) == number:
                    terms.append(term)
                    keys.add(key)
        merged.append(terms)
    merged.extend(list(group) for position, group in enumerate(lexicon._groups) if position not in used)
    return tuple(tuple(group) for group in merged)


# The packaged file is written in a small subset of YAML: `format: 1`, `groups:`, then one flow list
# of plain words per line. Read directly, it costs about a millisecond instead of a YAML parser's
# import and ~50 ms on every start; anything outside that subset (quotes, nesting, a word YAML would
# read as a number, bool or null) goes to the full parser, so both paths give the same values.
_HEADER = ("format: 1", "groups:")
_PLAIN_GROUP = re.compile(r"\s*-\s*\[([^\[\]{}\"'#&*!|>%@`]*)\]\s*(?:#.*)?")
_NOT_A_STRING = re.compile(
    r"[-+]?[0-9][0-9_,.:]*(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|nan)|0x[0-9a-f]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*"
    r"|~|null|true|false|yes|no|on|off|y|n",
    re.IGNORECASE,
)


def _plain_groups(text: str) -> list[tuple[int, list[str]]] | None:
    """Return (line, terms) per group when `text` is in the plain subset, else None."""
    header: list[str] = []
    groups: list[tuple[int, list[str]]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line or line.lstrip().startswith("#"):
            continue
        if len(header) < len(_HEADER):
            if line != _HEADER[len(header)]:
                return None
            header.append(line)
            continue
        found = _PLAIN_GROUP.fullmatch(line)
        if found is None:
            return None
        terms = [term.strip() for term in found.group(1).split(",")]
        if any(not term or _NOT_A_STRING.fullmatch(term) or ": " in term for term in terms):
            return None
        groups.append((number, terms))
    return groups if len(header) == len(_HEADER) else None


def parse_it_lexicon(text: str, *, path: str) -> Lexicon:
    """Validate lexicon YAML and return the Lexicon; raise SourceError listing every problem.

    The file is a mapping `format: 1`, `groups: [[term, term, …], …]`: each group two or more
    non-empty strings, and no term (by `compact`) in two groups.
    """
    plain = _plain_groups(text)
    problems: list[Problem] = []
    raw_groups: list[tuple[int, Any]] = []
    if plain is not None:
        raw_groups = list(plain)
    else:
        data = parse_yaml(text, path=path)
        if not isinstance(data, YMap):
            raise SourceError([Problem(path, 1, "the lexicon must be a mapping with 'format' and 'groups'")])
        for key in data:
            if key not in ("format", "groups"):
                problems.append(Problem(path, data.line_of(key), f"unknown key {key!r} (expected 'format', 'groups')"))
        if data.get("format") != _FORMAT:
            problems.append(Problem(path, data.line_of("format"), f"format must be {_FORMAT}"))
        listed = data.get("groups")
        if not isinstance(listed, YList):
            problems.append(Problem(path, data.line_of("groups"), "'groups' must be a list of term lists"))
            raise SourceError(problems)
        raw_groups = [(listed.line_of(index), group) for index, group in enumerate(listed)]
    owner: dict[str, tuple[int, str]] = {}
    groups: list[tuple[str, ...]] = []
    for line, group in raw_groups:
        terms = _group_terms(group, line, path, problems)
        if terms is None:
            continue
        for term in terms:
            key = compact(term)
            if key in owner and owner[key][0] != line:
                first_line, first_term = owner[key]
                problems.append(
                    Problem(path, line, f"term {term!r} is already in the group on line {first_line} ({first_term!r})")
                )
            owner.setdefault(key, (line, term))
        groups.append(terms)
    if problems:
        raise SourceError(problems)
    return Lexicon.from_groups(groups)


def _group_terms(group: Any, line: int, path: str, problems: list[Problem]) -> tuple[str, ...] | None:
    if not isinstance(group, list):
        problems.append(Problem(path, line, "a group must be a list of terms"))
        return None
    if not all(isinstance(term, str) and compact(term) for term in group):
        problems.append(Problem(path, line, "every term must be a non-empty string"))
        return None
    if len(group) < 2:
        problems.append(Problem(path, line, "a group needs at least two terms"))
        return None
    return tuple(term.strip() for term in group)


def builtin_lexicon_path() -> str:
    """Return the path of the packaged lexicon data file."""
    return str(resources.files("bot").joinpath("data", _DATA_FILE))


def extended_by(lexicon: Lexicon, more: Lexicon) -> Lexicon:
    """Return `lexicon` with the groups of `more`: a group of `more` sharing a term with one of
    `lexicon`'s extends it (its canonical form kept), the others are added after."""
    return Lexicon.from_groups(merge_glossary(more, lexicon.groups()))


def load_it_lexicon(path: str | Path | None = None) -> Lexicon:
    """Read and validate a lexicon file (default: the built-in one); raise SourceError when invalid."""
    where = str(path) if path is not None else builtin_lexicon_path()
    return parse_it_lexicon(read_text(where), path=where)


def load_lexicon_groups(path: str | Path | None = None) -> tuple[tuple[str, ...], ...]:
    """Return the groups of a lexicon file (default: the built-in one) without building a `Lexicon`.

    For look-ups by term (`it_terms.TermFinder`): the plain file is read in about a millisecond, where
    a `Lexicon` also compiles its term pattern (tens of milliseconds). A file outside the plain subset,
    or one with a problem, goes through `load_it_lexicon` (which validates and raises `SourceError`).
    """
    where = str(path) if path is not None else builtin_lexicon_path()
    plain = _plain_groups(read_text(where))
    if plain is None or any(len(terms) < 2 for _, terms in plain):
        return load_it_lexicon(where).groups()
    return tuple(tuple(terms) for _, terms in plain)
