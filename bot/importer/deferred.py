"""Topics a lesson names but leaves for later: a draft's own `out_of_scope` items.

A lesson says so in a sentence: "스테이트풀셋(StatefulSet)은 다음 시간에", "샤딩은 이번 시간엔 다루지 않습니다".
The terms that sentence marks (a `한국어(English)` pair, a bold phrase, a Latin name) and that the
lesson uses nowhere else are a topic it does not explain: a learner asking about them should get an
honest "not covered" rather than the entry that merely mentions the word. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.importer.lesson import LessonDoc, Section, section_lines
from bot.importer.text import compact, has_hangul, plain, squash
from bot.it_lexicon import Lexicon

# How a lesson says a topic is for another time or not covered here.
_LATER = re.compile(
    r"다음\s*(?:시간|수업|강의|차시)|나중에\s*(?:다루|배우|설명)|다루지\s*않|(?:이번|오늘)\s*(?:시간|수업)에?(?:는|엔)?\s*"
    r"(?:생략|안\s*다루|다루지)|\bnext\s+(?:lesson|class|time|session)\b|\bnot\s+covered\b|\bcovered\s+later\b",
    re.IGNORECASE,
)
_PAIR = re.compile(r"([가-힣][가-힣 ]{0,20}?)\s?\(([A-Za-z][A-Za-z0-9 .\-]{1,30})\)")
_LATIN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]{2,}(?![A-Za-z0-9])")


def _sections(doc: LessonDoc) -> list[Section]:
    return [part for section in doc.sections for part in (section, *section.subsections)]


def deferred_lines(doc: LessonDoc) -> list[str]:
    """Return the lesson's sentences that put a topic off for later."""
    return [line for section in _sections(doc) for line in section_lines(section) if _LATER.search(line)]


def _marked_terms(line: str, bold: Iterable[str]) -> list[list[str]]:
    """Return the term groups a sentence marks: its `한국어(English)` pairs, bold phrases and Latin names."""
    groups: list[list[str]] = []
    for korean, english in _PAIR.findall(line):
        groups.append([korean.split()[-1], squash(english)])
    paired = {compact(term) for group in groups for term in group}
    for phrase in bold:
        text = plain(re.sub(r"\([^()]*\)", "", phrase))
        if text and phrase in line and compact(text) not in paired and len(text.split()) <= 3:
            groups.append([text])
    for word in _LATIN.findall(line):
        if compact(word) not in paired and word.casefold() not in {"the", "and", "for", "next", "lesson", "class"}:
            groups.append([word])
    return groups


def deferred_topics(doc: LessonDoc, lexicon: Lexicon, body: str) -> list[dict[str, Any]]:
    """Return out_of_scope items for the terms the lesson puts off and uses nowhere else.

    `body` is the lesson's whole text; a term found in it outside the deferring sentences is taught
    (or at least used) elsewhere and is left alone. Each item lists the lexicon's spellings of its term too.
    """
    lines = deferred_lines(doc)
    if not lines:
        return []
    rest = compact("\n".join(line for line in body.split("\n") if not any(d and d in line for d in lines)))
    bold = [phrase for section in _sections(doc) for phrase in section.bold]
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for line in lines:
        for group in _marked_terms(line, bold):
            keys = {compact(term) for term in group}
            if keys & seen or any(key in rest for key in keys) or not all(len(key) >= 2 for key in keys):
                continue
            seen |= keys
            terms = list(dict.fromkeys(group))
            for term in group:
                known = lexicon.group_of(term)
                terms += [form for form in known or () if compact(form) not in {compact(t) for t in terms}]
            korean = next((term for term in group if has_hangul(term)), None)
            english = next((term for term in group if not has_hangul(term)), None)
            items.append({"topic": {"ko": korean or english, "en": english}, "terms": terms})
    return items


def deferred_keys(items: Sequence[dict[str, Any]]) -> set[str]:
    """Return the compacted terms of deferred topics: no entry asks "what is" about them."""
    return {compact(term) for item in items for term in item["terms"]}
