"""Text normalisation shared by questions and knowledge phrasings.

The same steps run on both sides, so whatever a learner's spelling, spacing, particles or
keyboard mode, the question and the lesson meet as the same canonical tokens:

clean (NFC, controls, mentions, URLs) → keyboard-slip repair → case fold → glossary phrases
→ words → per word: stop words and fillers out, particles off, vocabulary-guided segmentation of
run-together Korean, typo correction against the vocabulary, 초성 expansion → glossary canonical form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot import hangul
from bot.knowledge import Lang
from bot.trie_regex import trie_regex

# Longer questions are cut here: forum-style posts are a few hundred characters, and a bound keeps
# the matcher's cost flat for a 10,000-character paste.
MAX_QUESTION_CHARS = 1200
_WORD_CACHE_SIZE = 20_000
# Confidence of a lesson word found inside a longer word that is otherwise unknown ("프로그램만" holds
# "로그"): enough to count, not enough to call the question off-topic.
_SEGMENT_CONFIDENCE = 0.95
# Confidence of a Latin word read as Korean typed in English mode because the reading is a lesson word.
_SLIP_CONFIDENCE = 0.9
_ALL_SYLLABLES = re.compile(r"[가-힣]+")

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_DISCORD_MARKUP = re.compile(r"<a?:\w+:\d+>|<(?:@[!&]?|#)\d+>|@everyone|@here")
_URL = re.compile(r"https?://\S+|www\.\S+")
_WORD = re.compile(r"[0-9a-z]+|[가-힣]+|[ㄱ-ㅎ]+|[ㅏ-ㅣ]+")
_HANGUL_SYLLABLE = re.compile(r"[가-힣]")
_CHOSEONG_WORD = re.compile(r"[ㄱ-ㅎ]+\Z")
_LATIN_END = re.compile(r"[0-9a-z]\Z")
_LAUGHTER = re.compile(r"(?:ㅋ|ㅎ|ㅠ|ㅜ){2,}\Z")

# Korean particles (조사) and the copula/endings that attach to nouns. Order does not matter: the
# longest suffix that leaves a stem is taken.
PARTICLES: frozenset[str] = frozenset(
    """
    은 는 이 가 을 를 의 에 에서 에게 께 께서 으로 로 와 과 랑 이랑 하고 도 만 까지 부터 보다 처럼 마다
    밖에 이나 나 이든 든 끼리 이란 란 이라는 라는 이라고 라고 한테 한테서 조차 이라 라 이랑은 랑은 에선
    으로는 로는 에는 에도 과의 와의 이랑도 으로도 로도 에서는 에서도 보다는 처럼요 이며 이고 이면 면
    이에요 예요 에요 이야 야 인가요 인가 인데 인데요 이죠 죠 지요 임 인지 이지 이요 요 입니다 입니까
    인가여 나여 인거 인거죠 인건가요 인건데 이었나 였나 였지 이었지 이었죠 였죠 이던가 던가 더라 이더라
    이냐 냐 이니 니 이군 군요 이네 네요 임까 임다 이래 래 인듯 인가봐 일까 일까요 인거야 거야 건가요
    """.split()
)

# Verb and adjective endings: stripped from a word only when what remains is a known stem.
ENDINGS: frozenset[str] = frozenset(
    """
    요 어요 아요 해요 해 하나요 하나 하는 한 하다 할 하죠 하지 하냐 하니 함 했 했나요 했어 하면 하려면
    되나요 되나 돼요 돼 되는 된 되다 될 됨 되죠 되지 되냐 되면 되어 되는지 된다 된다는 되는데
    나요 가요 는지 는데 는데요 은지 인지 냐 니 지 죠 다 는가 은가 을까 ㄹ까 까 까요 을까요 면 으면 어서
    아서 고 며 게 기 음 ㅁ 던 었 았 였 겠 세요 으세요 주세요 줘 줘요 줄래 줄래요 봐 봐요 보세요
    어 아 여 에 는거 는거야 는건 는건가요 는건지 은거 은건 던가 더라 지만 ㄴ가요 다는 라는 라고 다고
    진다 진다는 지는 진 져 져요 졌 졌어 졌나요 지나요 지면 진다고 해진 해져 해져요 해지는 해진다 해진다는
    된다 된다는 된대 된다고 되는건 되는거 될까 될까요 한다 한다는 한대 한다고 하던 했던 했어요 합니다 합니까
    하는데 하는지 하는거 하는건 할까 할까요 해야 해야돼 해야해 돼야 되야 되어야 줘야 주는 준다 줍니다 주나요
    """.split()
)

# Words that carry no topic: question fillers, politeness, chat noise. Korean entries are matched
# after particles are removed.
KOREAN_FILLERS: frozenset[str] = frozenset(
    """
    뭐 뭐야 뭐예요 뭐에요 뭐임 뭔가요 뭔데 뭔데요 뭐지 뭐죠 뭔지 뭐가 뭘 무엇 무엇인가요 무엇인지 무슨 뭘까
    알려줘 알려줘요 알려주세요 알려 알려주실 알려주실래요 가르쳐 가르쳐줘 가르쳐주세요 설명 설명해 설명해줘
    설명해주세요 설명좀 좀 혹시 그냥 진짜 정말 완전 약간 그거 이거 저거 그게 이게 저게 거 것 게 건 걸
    요 네 예 아 어 음 흠 저 제 저희 우리 나 내 너 님 여러분 선생님 쌤 해주세요 해줘 주세요 줘 해요 하나요
    궁금 궁금해 궁금해요 궁금합니다 질문 질문요 질문이요 질문있어요 말 말씀 뜻 의미 개념 정확히 대체 도대체
    어떻게 어떤 왜 언제 어디 누가 누구 얼마나 어느 몇 이런 그런 저런 같은 되게 엄청 너무 많이 잘
    맞죠 맞아 맞나요 맞아요 맞지 맞음 아님 아닌가요 인가요 건가요 거예요 거야 건데 건지 거죠 거지
    하는 하면 하고 해서 있는 있어 있어요 있나요 없는 없어 되는 되나요 돼요 이다 입니다 이에요 예요
    오케이 ㅇㅋ 감사 감사합니다 고마워 땡큐 제발 부탁 부탁해 부탁드려요 부탁드립니다 ㅇㅇ ㄴㄴ
    근데 그런데 걍 그니까 그러니까 그래서 그럼 그러면 아니 암튼 아무튼 일단 솔직히 막 뭔가 약간 혹시나 다시
    머 머야 머임 머에요 머예요 머지 머가 머였 어케 어캐 어떡해 어떻게요 뭐뭐 머머 거임 건가 거냐 건지 건가여 거예요
    거에요 건데요 얘기 이야기 헷갈 헷갈려 헷갈렸 헷갈렸어 헷갈리 헷갈리는 모르겠 모르겠어요 이해가 이해를 이해
    한번 번만 한 번 한번만 다시한번 물어봐도 질문드려요 여쭤봐도 여쭤볼게요 해줄 해줄래 해줄수 있어 있나 수
    분 누구 계신가요 계세요 요즘 요새 최근
    이렇게 그렇게 저렇게 요렇게 이렇게나 해주 해주는 해주나 해주실 해준다 해줌 해줄 해주면 해줬 해주고 해준
    뭐라고 뭐였 뭐였죠 뭐였지 뭐였더라 뭐였어요 뭐라 뭐라는 뭐라했 했더라 궁극적으로 궁극적 결국 구체적으로
    대충 간단히 간단하게 자세히 자세하게 한마디로 요컨대 보통 주로 실제로 원래 다들 대체로 전체적으로 전반적으로
    """.split()
)

ENGLISH_STOPWORDS: frozenset[str] = frozenset(
    """
    a an the and or but so if then than that this these those there here it its it's is are was were be been
    being am do does did doing done have has had having i me my we our us you your yours he she they them
    their what whats what's which who whom whose when where why how whether can could would should will
    shall may might must to of in on at by for with about from into onto over under as up down out off
    just really even ever pretty quite very much many more most some any all each every both either
    neither not no yes ok okay lol pls plz please thanks thank tell explain explained explaining describe
    mean means meant meaning define definition say says said talk talks talking lesson's according
    exactly actually basically simply plain words word term terms thing things stuff something anything
    get got gets getting make makes made go goes going went come comes came know knows knew think thinks
    i'm im you're youre we're it’s isn't isnt aren't arent don't dont doesn't doesnt didn't didnt
    vs versus etc e.g eg ie i.e like also too again still already yet now right well oh hey hi hello
    question questions ask asking wondering curious wonder one ones way ways kind sort bit lot lots
    u r ur ya yo gonna wanna gotta kinda sorta tho though although because cause cuz since while
    only wait overall against each other anyway literally whole entire main basically generally
    sentence sentences briefly brief nutshell someone somebody anyone anybody am pm confused confusing
    understand understood again once please help guys folks team
    """.split()
)


@dataclass(frozen=True)
class Slot:
    """One word of a question after normalisation: its possible canonical readings, with confidence."""

    readings: tuple[tuple[str, float], ...]
    known: bool
    surface: str

    @property
    def best(self) -> str:
        """Return the most confident reading."""
        return max(self.readings, key=lambda pair: pair[1])[0]


def clean_text(text: str) -> str:
    """Return `text` as NFC with controls, Discord markup and URLs blanked, cut to a bounded length."""
    text = unicodedata.normalize("NFC", text[: MAX_QUESTION_CHARS * 2])
    text = _CONTROL.sub(" ", text)
    text = _DISCORD_MARKUP.sub(" ", text)
    text = _URL.sub(" ", text)
    return text[:MAX_QUESTION_CHARS]


def repair_keyboard(text: str) -> str:
    """Undo typing in the wrong IME mode: Latin-letter Korean words, and jamo that are English."""
    return hangul.repair_korean_mode_english(hangul.repair_slipped_words(text))


_SPACE_RUN = re.compile(r"(\s+)")


def detect_language(text: str) -> Lang:
    """Return 'ko' when the (repaired) question has any Hangul, else 'en': mixed questions get Korean."""
    if _HANGUL_SYLLABLE.search(text) or re.search(r"[ㄱ-ㅎ]{2,}", text):
        return "ko"
    return "en"


def compact(term: str) -> str:
    """Return the glossary key of a term: case-folded, NFC, without spaces, hyphens or dots."""
    folded = unicodedata.normalize("NFC", term).casefold()
    return re.sub(r"[\s\-_.·/]+", "", folded)


def strip_particles(word: str) -> str:
    """Remove one trailing particle or copula ending from a Korean word, keeping a stem of 1+ syllables.

    One-syllable particles are only removed from words of 3+ syllables, since many two-syllable
    nouns end in a particle-like syllable (속도, 정도, 서버, 기가).
    """
    for size in (4, 3, 2, 1):
        if len(word) <= size:
            continue
        suffix = word[-size:]
        if suffix in PARTICLES and (size > 1 or len(word) >= 3):
            return word[:-size]
    return word


@dataclass(frozen=True)
class Vocabulary:
    """Everything the normaliser knows: canonical terms, the lesson's words, fillers and their 초성."""

    canonical: Mapping[str, str]
    words: frozenset[str]
    phrase_pattern: re.Pattern[str] | None
    korean_words: tuple[str, ...]
    korean_jamo: tuple[str, ...]
    latin_words: tuple[str, ...]
    choseong_index: Mapping[str, tuple[str, ...]]
    max_word_len: int
    compounds: tuple[str, ...] = ()

    def canon(self, word: str) -> str:
        """Return the glossary canonical form of `word` (itself when not in the glossary)."""
        return self.canonical.get(word, word)


def build_vocabulary(glossary: Iterable[Sequence[str]], corpus: Iterable[str]) -> Vocabulary:
    """Build the vocabulary from glossary groups and the knowledge side's own texts."""
    canonical: dict[str, str] = {}
    phrases: set[str] = set()
    for group in glossary:
        head = compact(group[0])
        for term in group:
            key = compact(term)
            # The first group that claims a term wins, so a later, broader group cannot steal it.
            canonical.setdefault(key, head)
            folded = unicodedata.normalize("NFC", term).casefold().strip()
            if re.search(r"[\s\-_.·/]", folded):
                phrases.add(folded)
    pattern = _phrase_pattern(phrases)
    words: set[str] = set(canonical) | set(canonical.values())
    for text in corpus:
        folded = _fold(text, pattern)
        for word in _WORD.findall(folded):
            if word in ENGLISH_STOPWORDS or _CHOSEONG_WORD.match(word):
                continue
            if _HANGUL_SYLLABLE.match(word):
                if word in PARTICLES or word in ENDINGS:
                    continue  # a particle split from a Latin word ("VM이랑" → "vm", "이랑")
                stem = strip_particles(word)
                # One-syllable words are left out: they are mostly particles and endings, and as
                # vocabulary they would let segmentation find "words" inside anything (안녕 → 안).
                if len(stem) >= 2 and stem not in KOREAN_FILLERS:
                    words.add(stem)
                    # The bare stem too (필요해 → 필요), so other inflections of it segment cleanly.
                    bare = _strip_ending(stem, None)
                    if len(bare) >= 2 and bare not in KOREAN_FILLERS:
                        words.add(bare)
            elif len(word) > 1:
                words.add(word)
                if word.endswith("s") and len(word) > 3 and word not in canonical:
                    words.add(word[:-1])
    words -= KOREAN_FILLERS
    korean = tuple(sorted(w for w in words if _HANGUL_SYLLABLE.match(w)))
    # Glossary terms first: a typo equally close to "kubernetes" and to some other word should
    # become the term the glossary knows.
    latin = tuple(
        sorted(
            (w for w in words if not _HANGUL_SYLLABLE.match(w) and not _CHOSEONG_WORD.match(w)),
            key=lambda w: (w not in canonical, w),
        )
    )
    by_choseong: dict[str, set[str]] = {}
    for word in korean:
        initials = hangul.choseong(word)
        if len(initials) >= 2:
            by_choseong.setdefault(initials, set()).add(word)
    return Vocabulary(
        canonical=canonical,
        words=frozenset(words),
        phrase_pattern=pattern,
        korean_words=korean,
        korean_jamo=tuple(_jamo(w) for w in korean),
        latin_words=latin,
        choseong_index={k: tuple(sorted(v)) for k, v in by_choseong.items()},
        max_word_len=max((len(w) for w in korean), default=1),
        # Latin glossary phrases written as one word ("selfhealing", "rollingupdate").
        compounds=tuple(sorted(k for k in canonical if k.isascii() and k.isalpha() and len(k) >= 8)),
    )


SEPARATOR = r"[\s\-_.·/]*"
_SEPARATORS = re.compile(r"[\s\-_.·/]+")


def term_atoms(term: str) -> list[str]:
    """Return regex atoms for a term: its characters, flexible separators between its words.

    Latin terms are anchored on word boundaries ("scale out" must not match inside "rescale
    outage"); Korean terms only at their start, since particles follow them directly.
    """
    words = [w for w in _SEPARATORS.split(unicodedata.normalize("NFC", term).casefold()) if w]
    atoms: list[str] = []
    if words and re.match(r"[0-9a-z]", words[0]):
        atoms.append(r"(?<![0-9a-z])")
    elif words:
        atoms.append(r"(?<![가-힣])")
    for number, word in enumerate(words):
        if number:
            atoms.append(SEPARATOR)
        atoms.extend(re.escape(char) for char in word)
    if words and re.search(r"[0-9a-z]\Z", words[-1]):
        atoms.append(r"(?![0-9a-z])")
    return atoms


def _phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    alternatives = [term_atoms(phrase) for phrase in phrases]
    if not alternatives:
        return None
    return re.compile(trie_regex(alternatives))


def _fold(text: str, pattern: re.Pattern[str] | None) -> str:
    folded = text.casefold()
    if pattern is not None:
        folded = pattern.sub(lambda m: " " + compact(m.group(0)) + " ", folded)
    return folded


def _jamo(word: str) -> str:
    # NFD splits syllables into conjoining jamo, so one mistyped vowel costs one edit, not a syllable.
    return unicodedata.normalize("NFD", word)


# 초성 shorthand that is chat, not topic: 뭐야/뭐임, 뭐예요, 어떻게, ㅇㅋ, 감사, 죄송, 인정, 레알, 고고,
# 하이, 바이, 덜덜, 축하, 수고, 제발.
CHOSEONG_FILLERS: frozenset[str] = frozenset(
    """
    ㅁㅇ ㅁㅇㅇ ㅇㄸㄱ ㅇㅋ ㄱㅅ ㄳ ㅈㅅ ㅇㅈ ㄹㅇ ㄴㄴ ㄱㄱ ㅎㅇ ㅂㅂ ㅃㅇ ㄷㄷ ㅊㅋ ㅅㄱ ㅈㅂ
    """.split()
)


class Normaliser:
    """Turns texts into canonical tokens (knowledge side) or slots (question side)."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.vocab = vocabulary
        # Per-word results, for questions only: learners reuse the same few hundred words, and a
        # word's slots depend on nothing but the word. Bounded, then started afresh.
        self._word_cache: dict[str, list[Slot]] = {}
        self._repair_cache: dict[str, str] = {}
        # The knowledge side (no typo correction) repeats its words across thousands of phrasings.
        self._reference_cache: dict[str, list[Slot]] = {}
        # Candidates for typo correction, bucketed by length: an edit distance of k can only bridge
        # a length difference of k, so most of the vocabulary is never compared.
        self._latin_by_length = _by_length((*vocabulary.latin_words, *sorted(ENGLISH_STOPWORDS)))
        self._korean_by_length = _by_length(vocabulary.korean_jamo)
        self._korean_word_of = dict(zip(vocabulary.korean_jamo, vocabulary.korean_words, strict=True))

    def phrasing_tokens(self, text: str) -> tuple[str, ...]:
        """Return the canonical tokens of a knowledge phrasing (no typo correction: it is the reference)."""
        tokens: list[str] = []
        for slot in self._slots(text, correct=False):
            if slot.known or slot.best:
                tokens.append(slot.best)
        return tuple(dict.fromkeys(tokens))

    def question_slots(self, text: str) -> tuple[Slot, ...]:
        """Return the slots of a question, after keyboard repair and typo correction."""
        return self.repaired_slots(self.repair(clean_text(text)))

    def repair(self, text: str) -> str:
        """Return `repair_keyboard(text)`, word by word through a cache (the repair is per word)."""
        parts = _SPACE_RUN.split(text)
        cache = self._repair_cache
        if len(cache) >= _WORD_CACHE_SIZE:
            cache.clear()
        for index in range(0, len(parts), 2):
            word = parts[index]
            fixed = cache.get(word)
            if fixed is None:
                fixed = cache[word] = repair_keyboard(word)
            parts[index] = fixed
        return "".join(parts)

    def repaired_slots(self, repaired: str) -> tuple[Slot, ...]:
        """Return the slots of a question already cleaned and keyboard-repaired."""
        return tuple(self._slots(repaired, correct=True))

    def _slots(self, text: str, *, correct: bool) -> list[Slot]:
        folded = _fold(text, self.vocab.phrase_pattern)
        matches = list(_WORD.finditer(folded))
        words = [m.group(0) for m in matches]
        # A Korean word typed right after a Latin one ("VM이랑") starts with that word's particle.
        attached = [
            i > 0 and matches[i - 1].end() == m.start() and _LATIN_END.search(words[i - 1]) is not None
            for i, m in enumerate(matches)
        ]
        slots: list[Slot] = []
        index = 0
        while index < len(words):
            word = words[index]
            if correct and index + 1 < len(words):
                joined = self._join_latin(word, words[index + 1]) or self._join_korean(words, index)
                if joined is not None:
                    slot, used = joined
                    slots.append(slot)
                    index += used
                    continue
            cache = self._word_cache if correct else self._reference_cache
            key = f"+{word}" if attached[index] else word
            cached = cache.get(key)
            if cached is None:
                if len(cache) >= _WORD_CACHE_SIZE:
                    cache.clear()
                cached = cache[key] = self._word_slots(word, correct=correct, attached=attached[index])
            slots.extend(cached)
            index += 1
        return slots

    def _join_korean(self, words: Sequence[str], index: int) -> tuple[Slot, int] | None:
        """Read Korean split by stray spaces ("오토 스 케일이") as the lesson word it spells."""
        vocab = self.vocab
        if not _HANGUL_SYLLABLE.match(words[index]):
            return None
        if strip_particles(words[index]) in vocab.words and len(words[index]) > 1:
            return None
        joined = words[index]
        for used in (2, 3):
            if index + used > len(words) or not _HANGUL_SYLLABLE.match(words[index + used - 1]):
                return None
            joined += words[index + used - 1]
            for candidate in (joined, strip_particles(joined)):
                if candidate in vocab.words and len(candidate) >= 3:
                    return _known(vocab.canon(candidate), " ".join(words[index : index + used])), used
        return None

    def _join_latin(self, first: str, second: str) -> tuple[Slot, int] | None:
        """Read two Latin words as one mistyped compound ("self healng" → self-healing), if that fits."""
        vocab = self.vocab
        if not (first.isalpha() and second.isalpha() and first.isascii() and second.isascii()):
            return None
        if first in vocab.words and second in vocab.words:
            return None
        if first in ENGLISH_STOPWORDS or second in ENGLISH_STOPWORDS:
            return None
        joined = first + second
        if len(joined) < 8:
            return None
        match = process.extractOne(joined, vocab.compounds, scorer=OSA.distance, score_cutoff=2)
        if match is None:
            return None
        return Slot(((vocab.canon(match[0]), 0.85),), True, f"{first} {second}"), 2

    def _word_slots(self, word: str, *, correct: bool, attached: bool = False) -> list[Slot]:
        vocab = self.vocab
        if word in vocab.canonical:
            return [_known(vocab.canon(word), word)]
        if _CHOSEONG_WORD.match(word):
            return self._choseong_slots(word)
        if _HANGUL_SYLLABLE.match(word):
            if attached:
                for size in (3, 2, 1):
                    head = word[:size]
                    if len(word) > size and head in PARTICLES and strip_particles(word) == word:
                        return self._korean_slots(word[size:], correct=correct)
            return self._korean_slots(word, correct=correct)
        if re.match(r"[ㅏ-ㅣ]", word):
            return []
        return self._latin_slots(word, correct=correct)

    def _latin_slots(self, word: str, *, correct: bool) -> list[Slot]:
        vocab = self.vocab
        if word in ENGLISH_STOPWORDS or (len(word) == 1 and not word.isdigit()):
            return []
        for candidate in _english_variants(word):
            if candidate in vocab.words:
                return [_known(vocab.canon(candidate), word)]
        if correct:
            slipped = self._slipped_korean(word)
            if slipped is not None:
                return slipped
        if correct and len(word) >= 4 and not word.isdigit():
            # Two edits only for long words: "praying" is two edits from "pricing", and a learner
            # who typed a real word must not be "corrected" into a different topic.
            limit = 1 if len(word) <= 8 else 2
            choices = _near_lengths(self._latin_by_length, len(word), limit)
            match = process.extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit)
            if match is not None:
                fixed = match[0]
                if fixed in ENGLISH_STOPWORDS:
                    return []
                return [Slot(((vocab.canon(fixed), 0.9 if match[1] <= 1 else 0.8),), True, word)]
        return [Slot(((word, 1.0),), False, word)]

    def _slipped_korean(self, word: str) -> list[Slot] | None:
        """Read an unknown Latin word as Korean typed in English mode, if it then says something.

        The keyboard repair before normalisation only converts words that cannot be English; short
        ones ("wha" = 좀, "dydir" = 요약) slip through. Here the lesson decides: the word is taken as
        Korean only when, converted, it is a lesson word or an empty filler.
        """
        if not (word.isascii() and word.isalpha() and len(word) >= 3):
            return None
        converted = hangul.qwerty_to_hangul(word)
        if not _ALL_SYLLABLES.fullmatch(converted):
            return None
        slots = self._korean_slots(converted, correct=False)
        if not all(slot.known for slot in slots):
            return None
        return [Slot(tuple((t, c * _SLIP_CONFIDENCE) for t, c in s.readings), True, word) for s in slots]

    def _korean_slots(self, word: str, *, correct: bool) -> list[Slot]:
        vocab = self.vocab
        if word in PARTICLES or word in ENDINGS:
            return []
        stem = strip_particles(word)
        # "설명하나요" is the filler 설명 with a verb ending: as empty as "설명".
        for candidate in (word, stem, _strip_ending(stem, None)):
            if candidate in KOREAN_FILLERS:
                return []
        for candidate in (word, stem):
            if candidate in vocab.words:
                parts = None if candidate in vocab.canonical else self._compound_parts(candidate)
                if parts:
                    return [_known(vocab.canon(part), part) for part in parts]
                return [_known(vocab.canon(candidate), word)]
        if correct and len(stem) >= 2:
            fixed = self._correct_korean(stem)
            if fixed is not None:
                return [Slot(((vocab.canon(fixed), 0.85),), True, word)]
        pieces = self._segment(word)
        if pieces is not None:
            slots: list[Slot] = []
            for piece, known in pieces:
                if known:
                    parts = None if piece in vocab.canonical else self._compound_parts(piece)
                    # A word found inside a longer, partly unknown word is slightly less certain.
                    certainty = 1.0 if all(k for _, k in pieces) else _SEGMENT_CONFIDENCE
                    slots.extend(Slot(((vocab.canon(part), certainty),), True, part) for part in parts or (piece,))
                    continue
                if correct and len(piece) >= 2:
                    fixed = self._correct_korean(piece)
                    if fixed is not None:
                        slots.append(Slot(((vocab.canon(fixed), 0.8),), True, piece))
                        continue
                slots.append(Slot(((piece, 1.0),), False, piece))
            return slots
        stem = _strip_ending(stem, vocab.words)
        if stem in vocab.words:
            return [_known(vocab.canon(stem), word)]
        return [Slot(((stem, 1.0),), False, word)]

    def _correct_korean(self, word: str) -> str | None:
        jamo = _jamo(word)
        # One jamo off for short words, two for long ones: enough for 컨테이녀/쿠버네티쓰, while
        # unrelated short words stay unknown (and so can still trigger an honest "not covered").
        limit = 1 if len(jamo) <= 8 else 2
        if len(jamo) < 4:
            return None
        choices = _near_lengths(self._korean_by_length, len(jamo), limit)
        match = process.extractOne(jamo, choices, scorer=OSA.distance, score_cutoff=limit)
        if match is None:
            return None
        return self._korean_word_of[match[0]]

    def _compound_parts(self, word: str) -> list[str] | None:
        """Split a compound the lesson also writes spaced ("격리수준" → 격리, 수준), so spacing never matters."""
        if len(word) < 4:
            return None
        pieces = self._segment(word, whole=False)
        if pieces is None or not all(known for _, known in pieces) or len(pieces) < 2:
            return None
        if sum(len(piece) for piece, _ in pieces) < len(word) - 1:
            return None  # more than a trailing particle or ending between the parts: not a plain compound
        return [piece for piece, _ in pieces]

    def _segment(self, word: str, *, whole: bool = True) -> list[tuple[str, bool]] | None:
        """Split run-together Korean into vocabulary words, skipping particles, endings and fillers.

        Dynamic programming over positions minimising the number of characters left uncovered, then
        the number of pieces; returns None when less than half of the word is covered.
        """
        vocab = self.vocab
        n = len(word)
        max_len = max(vocab.max_word_len, 4)
        inf = (n + 1, n + 1)
        best: list[tuple[int, int]] = [inf] * (n + 1)
        back: list[tuple[int, str]] = [(0, "")] * (n + 1)
        best[0] = (0, 0)
        for i in range(n):
            if best[i] == inf:
                continue
            uncovered, pieces = best[i]
            # One uncovered character: always possible, costs one.
            step = (uncovered + 1, pieces + 1)
            if step < best[i + 1]:
                best[i + 1], back[i + 1] = step, (i, "?")
            for j in range(i + 1, min(n, i + max_len) + 1):
                piece = word[i:j]
                if not whole and j - i == n:
                    continue
                if piece in vocab.words:
                    kind = "w"
                elif piece in KOREAN_FILLERS or (i > 0 and (piece in PARTICLES or piece in ENDINGS)):
                    # Particles and endings only follow something; a word never starts with one.
                    kind = "p"
                else:
                    continue
                step = (uncovered, pieces + 1)
                if step < best[j]:
                    best[j], back[j] = step, (i, kind)
        if best[n][0] * 2 > n:
            return None
        pieces_rev: list[tuple[str, str]] = []
        j = n
        while j > 0:
            i, kind = back[j]
            pieces_rev.append((word[i:j], kind))
            j = i
        result: list[tuple[str, bool]] = []
        pending = ""
        for piece, kind in reversed(pieces_rev):
            if kind == "?":
                pending += piece
                continue
            if pending:
                result.append((pending, False))
                pending = ""
            if kind == "w":
                result.append((piece, True))
        if pending and len(pending) > 1:
            result.append((pending, False))
        return result

    def _choseong_slot(self, words: tuple[str, ...], surface: str) -> Slot:
        # Several words can share initials; each reading is less certain the more there are.
        readings = dict.fromkeys(self.vocab.canon(w) for w in words)
        confidence = 0.9 if len(readings) == 1 else max(0.5, 0.9 - 0.1 * len(readings))
        return Slot(tuple((w, confidence) for w in readings), True, surface)

    def _choseong_slots(self, word: str) -> list[Slot]:
        if len(word) == 1 or _LAUGHTER.match(word) or word in CHOSEONG_FILLERS:
            return []
        index = self.vocab.choseong_index
        if word in index:
            return [self._choseong_slot(index[word], word)]
        # Run-together 초성 (ㅋㅌㅇㄴㅈㅈ): split greedily into the longest known initials.
        slots: list[Slot] = []
        i = 0
        while i < len(word):
            for j in range(len(word), i + 1, -1):
                chunk = word[i:j]
                if chunk in index:
                    slots.append(self._choseong_slot(index[chunk], chunk))
                    i = j
                    break
            else:
                i += 1
        return slots


def _by_length(words: Iterable[str]) -> dict[int, tuple[str, ...]]:
    buckets: dict[int, list[str]] = {}
    for word in words:
        buckets.setdefault(len(word), []).append(word)
    return {length: tuple(bucket) for length, bucket in buckets.items()}


def _near_lengths(buckets: Mapping[int, tuple[str, ...]], length: int, limit: int) -> list[str]:
    # Exact length first: among equally close words, a same-length one is the likelier typo.
    order = sorted(range(length - limit, length + limit + 1), key=lambda n: abs(n - length))
    return [word for n in order for word in buckets.get(n, ())]


def _known(word: str, surface: str) -> Slot:
    return Slot(((word, 1.0),), True, surface)


def _english_variants(word: str) -> Iterable[str]:
    yield word
    if word.endswith("'s"):
        yield word[:-2]
    if word.endswith("ies") and len(word) > 4:
        yield word[:-3] + "y"
    if word.endswith("es") and len(word) > 4:
        yield word[:-2]
    if word.endswith("s") and len(word) > 3:
        yield word[:-1]
    if word.endswith("ing") and len(word) > 5:
        yield word[:-3]
        yield word[:-3] + "e"
    for suffix in ("izing", "ization", "ized", "ize"):
        if word.endswith(suffix) and len(word) > len(suffix) + 3:
            yield word[: -len(suffix)]
    if word.endswith("ed") and len(word) > 4:
        yield word[:-2]
        yield word[:-1]
    if word.endswith("er") and len(word) > 4:
        yield word[:-2]


def _strip_ending(word: str, words: frozenset[str] | None) -> str:
    """Remove a verb ending when what remains is a known stem (any stem when `words` is None)."""
    for size in (4, 3, 2, 1):
        if len(word) > size and word[-size:] in ENDINGS and (words is None or word[:-size] in words):
            return word[:-size]
    return word
