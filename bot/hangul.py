"""Hangul helpers: jamo (de)composition, 초성 search keys and 2-beolsik keyboard-slip repair."""

from __future__ import annotations

import re
import string
import unicodedata

# Unicode lays precomposed syllables out as ((cho * 21) + jung) * 28 + jong from U+AC00.
_SYLLABLE_FIRST = 0xAC00
_SYLLABLE_LAST = 0xD7A3
_JUNG_COUNT = 21
_JONG_COUNT = 28
_PER_CHO = _JUNG_COUNT * _JONG_COUNT

# The orders below are Unicode's syllable orders, spelled with compatibility jamo (U+3131..)
# because that is what people type and what the IME shows for a lone letter.
_CHO = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_JONG = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")

_CHO_INDEX = {jamo: i for i, jamo in enumerate(_CHO)}
_JUNG_INDEX = {jamo: i for i, jamo in enumerate(_JUNG)}
_JONG_INDEX = {jamo: i for i, jamo in enumerate(_JONG)}

# Compatibility consonants ㄱ..ㅎ, which include the compound finals (ㄳ, ㄺ, ...) because some
# IMEs join two consonants typed without a vowel into one of them.
_CONSONANT_FIRST = 0x3131
_CONSONANT_LAST = 0x314E

# The standard 2-beolsik (두벌식) layout: consonants on the left hand, vowels on the right.
_KEY_TO_JAMO = {
    "q": "ㅂ", "w": "ㅈ", "e": "ㄷ", "r": "ㄱ", "t": "ㅅ",
    "y": "ㅛ", "u": "ㅕ", "i": "ㅑ", "o": "ㅐ", "p": "ㅔ",
    "a": "ㅁ", "s": "ㄴ", "d": "ㅇ", "f": "ㄹ", "g": "ㅎ",
    "h": "ㅗ", "j": "ㅓ", "k": "ㅏ", "l": "ㅣ",
    "z": "ㅋ", "x": "ㅌ", "c": "ㅊ", "v": "ㅍ",
    "b": "ㅠ", "n": "ㅜ", "m": "ㅡ",
    "Q": "ㅃ", "W": "ㅉ", "E": "ㄸ", "R": "ㄲ", "T": "ㅆ", "O": "ㅒ", "P": "ㅖ",
}  # fmt: skip
# Shift changes only seven keys; every other capital types the same jamo as its lowercase.
for _key in string.ascii_lowercase:
    _KEY_TO_JAMO.setdefault(_key.upper(), _KEY_TO_JAMO[_key])
del _key

# Vowels and finals that the IME builds from two key presses, and the presses that build them.
_VOWEL_PAIRS = {
    ("ㅗ", "ㅏ"): "ㅘ", ("ㅗ", "ㅐ"): "ㅙ", ("ㅗ", "ㅣ"): "ㅚ",
    ("ㅜ", "ㅓ"): "ㅝ", ("ㅜ", "ㅔ"): "ㅞ", ("ㅜ", "ㅣ"): "ㅟ",
    ("ㅡ", "ㅣ"): "ㅢ",
}  # fmt: skip
_FINAL_PAIRS = {
    ("ㄱ", "ㅅ"): "ㄳ", ("ㄴ", "ㅈ"): "ㄵ", ("ㄴ", "ㅎ"): "ㄶ",
    ("ㄹ", "ㄱ"): "ㄺ", ("ㄹ", "ㅁ"): "ㄻ", ("ㄹ", "ㅂ"): "ㄼ", ("ㄹ", "ㅅ"): "ㄽ",
    ("ㄹ", "ㅌ"): "ㄾ", ("ㄹ", "ㅍ"): "ㄿ", ("ㄹ", "ㅎ"): "ㅀ", ("ㅂ", "ㅅ"): "ㅄ",
}  # fmt: skip
_FINAL_SPLIT = {compound: pair for pair, compound in _FINAL_PAIRS.items()}

# Jamo -> the keys that type it: lowercase unless the jamo needs Shift, two keys for compounds.
_JAMO_TO_KEYS: dict[str, str] = {}
for _key, _jamo in _KEY_TO_JAMO.items():
    # The table lists lowercase keys first, so a jamo typeable without Shift keeps its lowercase key.
    _JAMO_TO_KEYS.setdefault(_jamo, _key)
for (_first, _second), _jamo in (_VOWEL_PAIRS | _FINAL_PAIRS).items():
    _JAMO_TO_KEYS[_jamo] = _JAMO_TO_KEYS[_first] + _JAMO_TO_KEYS[_second]
del _key, _jamo, _first, _second

_VOWELS = frozenset(_JUNG)
# ㄸ ㅃ ㅉ exist only as initials, so the IME starts a new syllable with them.
_NOT_FINAL = frozenset("ㄸㅃㅉ")


def _is_syllable(char: str) -> bool:
    """Whether char is one precomposed Hangul syllable."""
    return len(char) == 1 and _SYLLABLE_FIRST <= ord(char) <= _SYLLABLE_LAST


def decompose(syllable: str) -> tuple[str, str, str]:
    """Split a Hangul syllable into (choseong, jungseong, jongseong or "") compatibility jamo."""
    if not _is_syllable(syllable):
        raise ValueError(f"not a precomposed Hangul syllable: {syllable!r}")
    offset = ord(syllable) - _SYLLABLE_FIRST
    cho, rest = divmod(offset, _PER_CHO)
    jung, jong = divmod(rest, _JONG_COUNT)
    return _CHO[cho], _JUNG[jung], _JONG[jong]


def compose(cho: str, jung: str, jong: str = "") -> str:
    """Build the Hangul syllable from compatibility jamo; the inverse of decompose."""
    try:
        cho_i, jung_i, jong_i = _CHO_INDEX[cho], _JUNG_INDEX[jung], _JONG_INDEX[jong]
    except KeyError:
        raise ValueError(f"no Hangul syllable has the jamo {(cho, jung, jong)!r}") from None
    return chr(_SYLLABLE_FIRST + cho_i * _PER_CHO + jung_i * _JONG_COUNT + jong_i)


def choseong(text: str) -> str:
    """Replace each Hangul syllable in text by its initial consonant, keeping everything else."""
    return "".join(_CHO[(ord(c) - _SYLLABLE_FIRST) // _PER_CHO] if _is_syllable(c) else c for c in text)


def _is_ignorable(char: str) -> bool:
    """Whether char is whitespace or punctuation, which a 초성 query may carry around its letters."""
    return char.isspace() or char in string.punctuation or unicodedata.category(char).startswith("P")


def is_choseong_only(text: str) -> bool:
    """Whether text, ignoring whitespace and punctuation, is non-empty and only consonant jamo."""
    letters = [c for c in text if not _is_ignorable(c)]
    return bool(letters) and all(_CONSONANT_FIRST <= ord(c) <= _CONSONANT_LAST for c in letters)


class _Composer:
    """The 2-beolsik IME automaton: one syllable in progress, finished syllables in out."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.cho = ""
        self.jung = ""
        self.jong = ""

    def flush(self) -> None:
        """Emit the syllable in progress (or its lone jamo) and start afresh."""
        if self.cho and self.jung:
            self.out.append(compose(self.cho, self.jung, self.jong))
        else:
            # Without both an initial and a vowel there is no syllable, only a lone letter.
            self.out.append(self.cho or self.jung)
        self.cho = self.jung = self.jong = ""

    def consonant(self, jamo: str) -> None:
        """Feed one consonant key."""
        if self.cho and self.jung and not self.jong and jamo not in _NOT_FINAL:
            self.jong = jamo
        elif self.jong and (self.jong, jamo) in _FINAL_PAIRS:
            self.jong = _FINAL_PAIRS[(self.jong, jamo)]
        else:
            # Lone consonants stay apart (ㄱ+ㅅ is 'ㄱㅅ', not 'ㄳ') so that typed 초성 survive.
            self.flush()
            self.cho = jamo

    def vowel(self, jamo: str) -> None:
        """Feed one vowel key."""
        if self.jong:
            # A vowel after a final pulls the final (or a compound's second half) into a new syllable.
            keep, moved = _FINAL_SPLIT.get(self.jong, ("", self.jong))
            self.jong = keep
            self.flush()
            self.cho, self.jung = moved, jamo
        elif not self.jung:
            self.jung = jamo
        elif (self.jung, jamo) in _VOWEL_PAIRS:
            self.jung = _VOWEL_PAIRS[(self.jung, jamo)]
        else:
            self.flush()
            self.jung = jamo

    def other(self, char: str) -> None:
        """Pass a character the layout does not map; it ends the syllable in progress."""
        self.flush()
        self.out.append(char)

    def text(self) -> str:
        """Everything composed so far, including the syllable in progress."""
        self.flush()
        return "".join(self.out)


def qwerty_to_hangul(text: str) -> str:
    """Convert keys typed with the Korean IME in English mode into the Hangul the user meant."""
    composer = _Composer()
    for char in text:
        jamo = _KEY_TO_JAMO.get(char)
        if jamo is None:
            composer.other(char)
        elif jamo in _VOWELS:
            composer.vowel(jamo)
        else:
            composer.consonant(jamo)
    return composer.text()


def hangul_to_qwerty(text: str) -> str:
    """Convert Hangul syllables and compatibility jamo into the 2-beolsik keys that type them."""
    keys: list[str] = []
    for char in text:
        if _is_syllable(char):
            keys.extend(_JAMO_TO_KEYS[jamo] for jamo in decompose(char) if jamo)
        else:
            keys.append(_JAMO_TO_KEYS.get(char, char))
    return "".join(keys)


# --- Keyboard slips -------------------------------------------------------------------------------


def _word_set(spaced: str) -> frozenset[str]:
    """The whitespace-separated items of spaced, as a set (keeps the long tables below compact)."""
    return frozenset(spaced.split())


# A Latin word is taken for a slip when its keys compose into whole Hangul syllables and the
# letters are implausible as English. About 2% of English words also type whole syllables
# (the=솓, with=쟈소, cowgirl=챚햐기), so plausibility does the real work. It is judged from letter
# pairs, derived once from the ~64k lowercase entries of an American English word list (Debian's
# wamerican); on it the rules flag 8 words (cowgirl, vodka, ...) and they catch about 90% of ~200
# common Korean words typed in English mode, missing mostly one- and two-syllable ones (네, 좀, 다시).
# Two more rules: a Shift letter after the first (anjdPdy) marks a slip outright, and a single
# syllable typed with two keys (vm=프, go=해) is never judged. No vowel letter is *not* a sign on its
# own: lowercase acronyms (dns, smtp) have none, while 뭐=anj has one.
# The tables hold pairs found inside at most 10 English words (the inner pairs cover every position),
_RARE_PAIRS = _word_set(
    """
    bg bk bp bq bw bx bz cb cd cf cg cj cm cn cp cv cw cx cz dk dq dx dz fc fd fg fh fj fk fm fn fp
    fq fv fw fx fz gc gd gj gk gq gv gx gz hg hj hk hq hv hx hz ij iy jb jc jd jf jg jh jj jk jl jm
    jn jp jq jr js jt jv jw jx jy jz kc kg kj kq kv kx kz lj lq lz md mg mh mj mk mq mt mv mw mx mz
    pj pq pv px pz qa qb qc qd qe qf qg qh qi qj qk ql qm qn qo qp qq qr qs qt qv qw qx qy qz rx rz
    sv sx sz tj tk tq tv tx uh uj uq uu uw vb vc vd vf vg vh vj vk vl vm vn vp vq vr vs vt vw vx vz
    wc wg wj wq wv ww wx wz xb xd xf xg xj xk xl xm xn xq xr xs xw xz yj yk yq yv yy zb zc zd zf zg
    zh zj zk zm zn zp zq zr zs zt zu zv zw zx
    """
)
# pairs that no English word of three or more letters starts with (among those a syllable can start),
_RARE_STARTS = _word_set(
    """
    ck db dl dm dn eh fb fy gb gm gp rb rj rk rl rm rn sb sj tl tm tn tp wb wl wm wn wp wy xh xp xu
    zl
    """
)
# and pairs that no such word ends with (among those a syllable can end with),
_RARE_ENDS = _word_set(
    """
    aj bc bd bf bv cu db dh dl dm dn ej fb fi fl gb gl gp gu hc hd hf hl hr hw iq iw je kd kf kr kt
    kw lg lr lv lw lx mc mf ml mr nf nl np nq nr nv nw nz oq pc pd pf pr pw qu sb sg sj sl sw tb tm
    tn uc uf uv uz vu wb wh wm wp wu xh xo xu yc yd yf yg yt yw yz zl
    """
)
# plus final letters that English words (almost) never end with.
_RARE_LAST_LETTERS = frozenset("jq")
_ENGLISH_VOWEL_LETTERS = frozenset("aeiouy")
# English words and acronyms from this bot's domain that type as complete Hangul *and* trip the pair
# rules above, found by running the heuristic over a glossary of tech and chat words.
_ENGLISH_EXCEPTIONS = _word_set("dns tls dhcp smtp vlan wlan xml rpc dnf rkt vpa gke vpc thx rofl tbf emr dpdk smt vmx")
_SHIFT_LETTERS = frozenset("QWERTOP")
# A word with punctuation around it ('(zjsxpdlsj)?'); anything else inside (URLs, k8s, foo.bar)
# marks text that was typed on purpose.
_LATIN_WORD = re.compile(r"([^\w\s]*)([A-Za-z]+)([^\w\s]*)")
_HANGUL_WORD = re.compile(r"([^\w\s]*)([가-힣ㄱ-ㅣ]+)([^\w\s]*)")
_CHUNK = re.compile(r"\S+")


def _is_all_syllables(text: str) -> bool:
    """Whether text is non-empty and made only of precomposed Hangul syllables."""
    return bool(text) and all(_is_syllable(c) for c in text)


def _has_rare_pairs(letters: str) -> bool:
    """Whether lowercase letters contain a letter pair that English words (almost) never have."""
    return (
        letters[:2] in _RARE_STARTS
        or letters[-2:] in _RARE_ENDS
        or letters[-1:] in _RARE_LAST_LETTERS
        or any(letters[i : i + 2] in _RARE_PAIRS for i in range(len(letters) - 1))
    )


def looks_like_slipped_korean(text: str) -> bool:
    """Whether one Latin-letter word is probably Korean typed with the IME left in English mode."""
    word = text.strip()
    if len(word) < 2 or not word.isascii() or not word.isalpha():
        return False
    # Typing Korean presses Shift only for ㅃㅉㄸㄲㅆㅒㅖ (QWERTOP). Any other capital means English
    # (DNS, Docker) - except as the first letter, which a phone may have capitalised by itself.
    if word[0] not in _SHIFT_LETTERS:
        word = word[0].lower() + word[1:]
    if any(c.isupper() and c not in _SHIFT_LETTERS for c in word):
        return False
    hangul = qwerty_to_hangul(word)
    # Leftover lone jamo mean the keys don't spell Korean; most English words end up here.
    if not _is_all_syllables(hangul):
        return False
    # Korean as people type it keeps to the 2,350 everyday syllables (KS X 1001); a mistyped English
    # word whose keys happen to spell syllables mostly spells a rare one ("discovry" is 얀챞교).
    if not _common_syllables(hangul):
        return False
    # Shift inside a word types ㅃㅉㄸㄲㅆㅒㅖ; English has no word like 'anjdPdy'.
    if any(c.isupper() for c in word[1:]):
        return True
    # Two-key syllables (vm=프, go=해, to=새) are too short to tell from English.
    if len(hangul) == 1 and len(word) < 3:
        return False
    letters = word.lower()
    return letters not in _ENGLISH_EXCEPTIONS and _has_rare_pairs(letters)


def _common_syllables(hangul: str) -> bool:
    """Whether every syllable of `hangul` is one of KS X 1001's 2,350 everyday Hangul syllables."""
    # EUC-KR (a codec Python ships, not a table to keep) writes each of those in two bytes, and any
    # other syllable as an eight-byte make-up sequence of its jamo.
    try:
        return len(hangul.encode("euc_kr")) == 2 * len(hangul)
    except UnicodeEncodeError:
        return False


def repair_slipped_words(text: str) -> str:
    """Convert the words of text that look like Korean typed in English mode; keep the rest."""

    def repair(chunk: re.Match[str]) -> str:
        word = _LATIN_WORD.fullmatch(chunk.group())
        if word is None or not looks_like_slipped_korean(word.group(2)):
            return chunk.group()
        return word.group(1) + qwerty_to_hangul(word.group(2)) + word.group(3)

    return _CHUNK.sub(repair, text)


def _looks_like_english(letters: str) -> bool:
    """Whether lowercase letters could be an English word: some vowel letter and no rare pair."""
    if letters in _ENGLISH_EXCEPTIONS:
        return True
    return not _ENGLISH_VOWEL_LETTERS.isdisjoint(letters) and not _has_rare_pairs(letters)


def repair_korean_mode_english(text: str) -> str:
    """Turn words that are English typed with the IME in Korean mode back into Latin letters."""

    def repair(chunk: re.Match[str]) -> str:
        word = _HANGUL_WORD.fullmatch(chunk.group())
        if word is None:
            return chunk.group()
        hangul = word.group(2)
        # Whole syllables are normal Korean and consonant-only words are 초성 or ㅋㅋ; what is left
        # (lone vowels, lone consonants mixed with syllables) is where English keys end up.
        if _is_all_syllables(hangul) or is_choseong_only(hangul):
            return chunk.group()
        letters = hangul_to_qwerty(hangul)
        # Emoticons and laughter (ㅠㅠ, ㅜㅡㅜ, 좋아ㅋㅋ) also mix jamo in; their keys are not English.
        if len(letters) < 2 or not _looks_like_english(letters.lower()):
            return chunk.group()
        # Keys stay as typed: ㅆ or ㅖ here means Shift was down, as in 'Python' (ㅖㅛ쇄ㅜ).
        return word.group(1) + letters + word.group(3)

    return _CHUNK.sub(repair, text)
