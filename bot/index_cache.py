"""The compiled-index cache: the slow, derived part of a `SearchIndex` (every lesson text normalised).

Building an index normalises every phrasing, keyword and answer of every lesson and reads the
vocabulary from them: seconds for hundreds of lessons, and a pure function of the lessons, the
packaged data files, the tuning and the code. So the result (`IndexData`, plain words and numbers;
compiled regexes are rebuilt, they are cheap next to it) is kept in the user's cache dir as JSON
(`cache.PlainCache`: atomic writes, safe to delete, no pickle), under a key covering all of those:

- every lesson's content hash (its validated plain form: the index depends on all lessons together,
  through the vocabulary and the word weights, so one changed lesson is a different index);
- the bytes of the packaged data files (the IT lexicon and the decision model);
- every `MatcherTuning` value;
- and, as the entry's code version, the source of every module that shapes the index.

Any mismatch, or an entry that does not read back as what we write, is a miss: the index is built
afresh and the entry rewritten. Only the built-in lexicon is cached; a matcher given its own
lexicon always builds.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from pathlib import Path

import bot.cache
import bot.correct
import bot.expand
import bot.glossary
import bot.hangul
import bot.ids
import bot.index
import bot.it_lexicon
import bot.knowledge
import bot.lexicon
import bot.loanword
import bot.memo
import bot.normalize
import bot.repair
import bot.scope
import bot.segment
import bot.source
import bot.trie_regex
import bot.tuning
import bot.vocabulary
from bot.cache import PlainCache, code_version, content_key, user_cache_dir
from bot.decision import builtin_decision_path
from bot.glossary import builtin_paraphrase_path
from bot.index import IndexData, SearchIndex, index_from_plain, index_to_plain
from bot.it_lexicon import builtin_lexicon_path, load_it_lexicon
from bot.knowledge import Knowledge, lesson_to_plain
from bot.tuning import MatcherTuning

# The modules whose code decides what an index holds: a change to any of them invalidates every entry.
# Every module `bot.index` imports, directly or not (a test checks it in a fresh interpreter): a
# module left out would let an upgraded lessonbot read an index the old code built.
_INDEX_MODULES = (
    bot.cache,
    bot.correct,
    bot.expand,
    bot.glossary,
    bot.hangul,
    bot.ids,
    bot.index,
    bot.it_lexicon,
    bot.knowledge,
    bot.lexicon,
    bot.loanword,
    bot.memo,
    bot.normalize,
    bot.repair,
    bot.scope,
    bot.segment,
    bot.source,
    bot.trie_regex,
    bot.tuning,
    bot.vocabulary,
)


def index_cache(environ: Mapping[str, str]) -> PlainCache | None:
    """Return the user's compiled-index cache (None when caching is off or there is no home)."""
    folder = user_cache_dir(environ)
    if folder is None:
        return None
    return PlainCache(folder, kind="index", code=code_version(*_INDEX_MODULES))


def index_key(knowledge: Knowledge, tuning: MatcherTuning) -> str:
    """Return the content key of the index of `knowledge` under `tuning` with the packaged data files."""
    parts = [json.dumps(dataclasses.asdict(tuning), sort_keys=True)]
    data_files = (builtin_lexicon_path(), builtin_paraphrase_path(), builtin_decision_path())
    parts.extend(content_key(Path(path).read_bytes()) for path in data_files)
    for lesson in knowledge.lessons:
        # The validated lesson, not its file: what the index is built from (a path or a comment is not).
        plain = json.dumps(lesson_to_plain(lesson), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        parts.append(content_key(plain.encode("utf-8", "surrogatepass")))
    return content_key("\0".join(parts).encode())


def safe_index_key(knowledge: Knowledge, tuning: MatcherTuning) -> str:
    """Return `index_key`, or "" (no key: nothing cached or shared) when a packaged data file is unreadable."""
    try:
        return index_key(knowledge, tuning)
    except OSError:  # the build reports it properly when it reads the file
        return ""


def index_data(
    knowledge: Knowledge,
    tuning: MatcherTuning,
    cache: PlainCache | None,
    key: str,
    *,
    previous: SearchIndex | None = None,
) -> IndexData:
    """Return the index data of `knowledge` (whose `index_key` is `key`): read back from `cache` when it holds
    a matching entry, else built (and then stored, when there is a cache and a key). Parts equal to those
    of `previous` (the index a reload replaces) are taken from it, not held twice."""
    if not key:
        cache = None
    if cache is not None:
        plain = cache.get(key)
        if plain is not None:
            try:
                return index_from_plain(plain, tuning=tuning, knowledge=knowledge, previous=previous)
            except (KeyError, IndexError, TypeError, ValueError, AttributeError):
                pass  # passed the header check but is not what we write: rebuild and overwrite it
    data = IndexData.build(knowledge, tuning=tuning, lexicon=load_it_lexicon(), previous=previous)
    if cache is not None:
        # Written entry by entry, never held whole; words the plain form cannot hold (ValueError) make
        # the write fail, and this index is simply not cached.
        cache.put(key, index_to_plain(data, tuning))
    return data
