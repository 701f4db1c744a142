"""Synonyms every lesson shares: the everyday words of questions, in Korean and English.

A lesson's own glossary holds its domain terms (컨테이너/container/도커 …) and the IT lexicon its
field's (`it_lexicon`); the paraphrase lexicon (bot/data/paraphrase.yaml) carries how learners ask —
the intent of a question (why, difference, drawback, faster …) and everyday names of IT actions and
qualities (start = boot = spin up = 뜨다, ship = deploy = 배포, separate = isolate = 분리) — across
languages and inflections, so an imported draft with no hand-written glossary still understands
"단점이 뭐야?" and "why does it come up quicker". Same format and parser as the IT lexicon; its groups
extend the IT lexicon's where they share a term (`it_lexicon.extended_by`).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bot.it_lexicon import Lexicon, parse_it_lexicon
from bot.source import read_text

_DATA_FILE = "paraphrase.yaml"


def builtin_paraphrase_path() -> str:
    """Return the path of the packaged paraphrase lexicon."""
    return str(resources.files("bot").joinpath("data", _DATA_FILE))


def load_paraphrases(path: str | Path | None = None) -> Lexicon:
    """Read and validate a paraphrase lexicon (default: the built-in one); raise SourceError when invalid."""
    where = str(path) if path is not None else builtin_paraphrase_path()
    return parse_it_lexicon(read_text(where), path=where)
