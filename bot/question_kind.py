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
_COMPARING_STARTS = ("차이", "다른", "다르", "다름", "비교", "틀린", "구별", "구분")


def asks_comparison(text: str) -> bool:
    """Return whether `text` asks how things differ ("A랑 B 차이", "A vs B", "how is A different from B")."""
    for word in WORD.findall(unicodedata.normalize("NFC", text).casefold()):
        if word in _COMPARING_WORDS or word.startswith(_COMPARING_STARTS):
            return True
    return False
