"""What kind of question a text asks, by its wording alone: for now, whether it asks for a comparison.

The answer decision weighs whether a comparison question ("what's the difference between an image and
a container?") is answered by an entry that compares those very things: a table row comparing two
other things that mentions one of them is a near miss. Pure.
"""

from __future__ import annotations

import unicodedata

from bot.vocabulary import WORD

# Whole English words, and the starts of Korean words (차이점, 다른가요, 비교하면), that ask to compare.
_COMPARING_WORDS = frozenset(
    {"difference", "differences", "different", "differ", "differs", "vs", "versus", "compare", "compared", "comparison"}
)
_COMPARING_STARTS = ("차이", "다른", "다르", "다름", "비교", "구별", "구분")
# 다른 before a noun is "other" (다른 앱, 다른 노드), except before the nouns that make it "different"
# (다른 거, 다른 점); 다르면 is "if they differ", a story, not a question about the difference.
_OTHER = "다른"
_DIFFERENT_AFTER = frozenset({"거", "건", "것", "게", "점", "개념", "거야", "거예요", "건가요", "거임", "건지"})
_CONDITIONAL = "다르면"


def asks_comparison(text: str) -> bool:
    """Return whether `text` asks how things differ ("A랑 B 차이", "A vs B", "how is A different from B")."""
    words = WORD.findall(unicodedata.normalize("NFC", text).casefold())
    for position, word in enumerate(words):
        if word == _OTHER:
            following = words[position + 1] if position + 1 < len(words) else ""
            if not following or following in _DIFFERENT_AFTER:
                return True
        elif word in _COMPARING_WORDS or (word.startswith(_COMPARING_STARTS) and word != _CONDITIONAL):
            return True
    return False
