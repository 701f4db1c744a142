"""Korean particles (조사): the final consonant (받침) a word is read with, and the particle it takes."""

from __future__ import annotations

import re

from bot.hangul import decompose

# Final consonants of Latin letters and digits as Korean reads them (엘, 엠, 엔, 알; 영, 일, 삼, 육, 칠, 팔, 십).
_LETTER_FINAL = {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "ㄹ"}
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "3": "ㅁ", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ"}
_PARTICLES = {
    "이/가": ("이", "가"),
    "은/는": ("은", "는"),
    "을/를": ("을", "를"),
    "과/와": ("과", "와"),
    "이랑/랑": ("이랑", "랑"),
    "이란/란": ("이란", "란"),
    "이야/야": ("이야", "야"),
    "이에요/예요": ("이에요", "예요"),
    "으로/로": ("으로", "로"),
    "이라는/라는": ("이라는", "라는"),
}
_CLOSERS = "”’\"')]」』>.!? "


def final_consonant(word: str) -> str | None:
    """Return the final consonant (받침) the word is read with, "" for none, None when it cannot tell.

    Hangul is exact. An acronym (VM, MSA) is read letter by letter; a digit by its Sino-Korean name;
    another Latin word by its spelling's usual Korean reading (server→서버, pod→파드, git→깃).
    Closing quotes and brackets are skipped; `X(Y)` is read as X, as Korean particles follow X.
    """
    text = word.rstrip(_CLOSERS)
    if text.endswith(")") or (word.rstrip().endswith(")") and "(" in text):
        text = text[: text.rfind("(")].rstrip()
    text = text.rstrip(_CLOSERS)
    if not text:
        return None
    last = text[-1]
    if "가" <= last <= "힣":
        return decompose(last)[2]
    if last.isdigit():
        return _DIGIT_FINAL.get(last, "")
    if not last.isascii() or not last.isalpha():
        return None
    tail = re.search(r"[A-Za-z]+\Z", text)
    letters = tail.group(0) if tail else last
    if letters.isupper() or len(letters) == 1:
        return _LETTER_FINAL.get(last.lower(), "")
    lower = letters.lower()
    if lower.endswith("ng"):
        return "ㅇ"
    if lower.endswith(("er", "or", "ar", "ure")):
        return ""
    return {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "k": "ㄱ", "p": "ㅂ", "t": "ㅅ"}.get(lower[-1], "")


def particle(word: str, pair: str) -> str:
    """Return `word` with the particle of `pair` ("이/가", "은/는", ...) that its final consonant takes."""
    with_final, without = _PARTICLES[pair]
    final = final_consonant(word)
    if final is None:
        return f"{word} {without}" if pair in {"이/가", "은/는", "을/를"} else word + without
    if pair == "으로/로":
        return word + (with_final if final and final != "ㄹ" else without)
    return word + (with_final if final else without)
