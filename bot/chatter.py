"""Chat noise: greetings, acknowledgements, thanks, farewells, laughter and fillers that ask nothing.

A study channel is full of "ㅇㅋ", "ㅋㅋㅋ", "넵 감사합니다", "thanks lol", "hi everyone", "좋은 아침이에요
여러분". None of these is a question, and answering one with a lesson entry is the bot's most visible
mistake, so they are recognised before any matching.

What is recognised is a small grammar of *kinds* (`ChatKind`), each a list of phrases in Korean and
English, rather than a list of messages: a message is chat noise when it splits entirely into such
phrases (after emoji, emoticons, punctuation and Discord markup are gone). Spelling variants are
folded before comparing, so no variant needs listing: English letters stretched ("hiii", "thx!!!",
"heyyy") and repeated words ("byebye"); Korean endings typed casually (안녕하세여, 감사해용, 감사합니당),
stretched vowels (네에, 감사합니다아), the polite 요 and the copula (좋은 아침이에요 → 좋은 아침), a laugh
typed straight onto a word (감사합니닼ㅋ), repeated words (넵넵, 감사감사).

The same grammar cuts chat noise off the edges of a real question: "안녕하세요 컨테이너가 뭐예요?" is asked
as "컨테이너가 뭐예요?", "what is a VM? thanks!" as "what is a VM?". Only some kinds may start such a cut
(`_LEADING`, `_TRAILING`): "so" or "everyone" alone at the start of a question are part of it, and "맞아?"
or "ok?" at its end ask for a confirmation. One real word and a message is a question again. Pure: no I/O.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from bot.lexicon import strip_particles

ChatKind = Literal[
    "greeting", "farewell", "thanks", "ack", "praise", "laughter", "filler", "address", "phatic", "modifier"
]

# Phrases per kind, comma-separated, in both languages; words of a phrase are separated by spaces (a
# phrase also matches typed without them: "goodmorning", "좋은아침"). Listed in their plain form: the
# variants described above are folded away on both sides (`_keys`).
_PHRASES: dict[ChatKind, str] = {
    "greeting": """
        hi, hello, hey, heya, hiya, howdy, yo, sup, greetings, hola, good morning, good afternoon,
        good evening, good day, morning, evening, gm, mornin,
        안녕, 안녕하세요, 안녕하십니까, 안뇽, 안뇽하세요, 하이, 하이루, 하잉, 헬로, 헬로우, ㅎㅇ, 반가워, 반가워요,
        반갑습니다, 방가, 방가방가, 좋은 아침, 굿모닝, 좋은 오후, 좋은 저녁, 굿이브닝
    """,
    "farewell": """
        bye, bye bye, goodbye, cya, see ya, see you, see you later, see you tomorrow, see you all, laters,
        good night, nite, gn, take care, ttyl, catch you later, have a good one,
        잘가, 잘 가, 안녕히 가세요, 안녕히 계세요, 바이, 빠이, 빠잉, 빠빠이, 또 봐, 또 만나요, 내일 봐, 다음에 봐,
        다음에 봬요, 담에 봐, 잘자, 잘 자, 굿밤, 굿나잇, ㅂㅂ, ㅂㅇ, 수고, 수고하세요, 수고하셨습니다, 수고하셨어요,
        수고했어, 수고링, 들어가세요
    """,
    "thanks": """
        thanks, thank you, thank u, thankyou, thx, thnx, thnks, tnx, ty, tysm, tyvm, thanx, cheers,
        appreciated, appreciate it, i appreciate it, much appreciated, many thanks, thanks a lot,
        thanks in advance, thank you in advance,
        감사, 감사해, 감사합니다, 감사드립니다, 감사드려요, 감삼다, 감사함다, 감사링, 고마워, 고맙습니다, 고맙다,
        고맙네요, 고마웡, 땡큐, 땡스, 땡쓰, 생큐, 쌩큐, 쌩유, ㄱㅅ, ㄳ, ㄱㅅㅇ, 미리 감사합니다
    """,
    "ack": """
        ok, okay, okey, okie, k, kk, yes, yep, yeah, yup, ya, yea, sure, got it, gotcha, understood, noted,
        i see, makes sense, that makes sense, right, alright, all right, fair enough, roger, roger that,
        will do, sounds good, i got it, crystal clear,
        네, 넵, 넹, 넴, 녜, 예, 옙, 응, 웅, 엉, 어, ㅇㅇ, ㅇㅋ, ㅇㅎ, 오케이, 오키, 오케, 오키도키, 오케바리, 콜,
        알겠어, 알겠습니다, 알았어, 알겠다, 이해했어, 이해했습니다, 이해 완료, 이해됐어, 이해됨, 그렇구나, 그렇군,
        그렇군요, 그렇네, 그쵸, 그치, 맞아, 맞네, 맞습니다, 확인했습니다, 확인했어, 아하, 오호, 아 그렇구나
    """,
    "praise": """
        cool, nice, great, awesome, perfect, neat, good, wow, amazing, sweet, love it, good job, well done,
        great job, nice one, good stuff,
        굿, 좋아, 좋네, 좋습니다, 좋다, 좋음, 최고, 대박, 짱, 멋져, 멋지다, 멋있다, 훌륭해, 굳
    """,
    "laughter": """
        lol, lmao, lmfao, rofl, xd, 캬
    """,
    "filler": """
        oh, ah, hmm, hm, ooh, uh, um, oops, wait, well, anyway,
        음, 흠, 흐음, 헐, 헉, 와, 우와, 오, 아, 앗, 엥, 크, 캬, 아싸
    """,
    "address": """
        all, everyone, everybody, guys, you guys, folks, y'all, yall, team, there, friends, people,
        여러분, 여러분들, 다들, 모두, 모두들, 님들, 분들
    """,
    "phatic": """
        how are you, how are you doing, how are you all, how r u, how's it going, how is it going,
        how's everyone, how is everyone, how's everyone doing, how's your day, how's your day going,
        how is your day going, how are things, what's up, wassup, what's new, hope you're well,
        hope you are well, hope you're doing well, hope everyone is well, hope all is well, have a nice day,
        have a good day, have a great day, nice to meet you, nice to see you, long time no see,
        잘 지내, 잘 지내세요, 잘 지냈어, 잘 지내셨어요, 좋은 하루, 좋은 하루 보내세요, 좋은 하루 되세요,
        좋은 주말 보내세요, 화이팅, 파이팅, 홧팅, 힘내, 힘내세요, 오늘도 화이팅, 오늘도 수고하세요,
        i'm new, i'm new here, im new here, new here, first time here, glad to be here, happy to be here,
        처음 왔어, 처음 왔습니다, 처음 와 봤어, 처음 와봤어, 처음 뵙겠습니다, 처음 인사드려, 처음 인사드립니다,
        잘 부탁해, 잘 부탁드려, 잘 부탁드립니다, 잘 부탁합니다, 앞으로 잘 부탁드립니다
    """,
    # Intensifiers and times that only qualify another phrase: thank you *so much*, good morning *today*.
    "modifier": """
        so, very, much, so much, a lot, lots, really, again, you too, and you, today, tonight, this morning,
        정말, 진짜, 너무, 넘, 완전, 많이, 정말로, 진심, 모두, 오늘, 오늘도
    """,
}
# Words about the course and the day rather than its content, its clock times and when it ends included
# (a lesson's "finish" is about what it teaches ending, a Job or a rollout, so it is named with it): a
# question whose only lesson words are these ("다들 수업 끝나고 뭐 해요?", "what is everyone doing this
# weekend?", "수업 몇 시에 끝나요?") is small talk, however well it matches the lesson's overview entry
# or an entry about something that finishes. Not chat noise: "오늘 수업 뭐였어?" is a real question,
# so they are a feature of the answer decision (how much lesson content a question has), not a cut.
_COURSE_WORDS = """
    lesson, lessons, class, classes, course, session, lecture, today, tonight, tomorrow, yesterday,
    weekend, week, anyone, anybody, someone, somebody, everyone, everybody, you, we, us, i, me,
    o'clock, end, ends, ended, finish, finishes, finished,
    수업, 강의, 강좌, 클래스, 세션, 오늘, 내일, 어제, 주말, 이번주, 다음주, 저녁, 아침, 점심, 끝나고, 끝,
    누구, 우리, 저, 나, 시, 시에, 몇시, 끝나, 끝났
"""
# What a study group organises around the lesson, not what it teaches: recordings, slides, links, homework,
# attendance, the next meeting. "녹화본 언제 올라와요?", "when is the next session?" ask the group, however
# well "올라와요" (a server comes up) or "next" match an entry; a question naming one of these and no IT
# concept is small talk (`names_course_logistics`). Korean as whole words, a particle allowed. Not the last
# or this week's lesson (a recap of it is a question about a lesson), nor words a lesson may teach with
# (a Job's deadline, a pod's assignment to a node).
_LOGISTICS_EN = re.compile(
    r"\b(?:recordings|slides|slide deck|zoom|homework|assignments|attendance|syllabus|wi-?fi)\b"
    r"|\b(?:next|tomorrow'?s|next week'?s) (?:session|class|lesson|lecture|meetup|meeting|study)"
)
_LOGISTICS_KO = re.compile(
    r"(?<![가-힣])(?:녹화본?|다시\s?보기|슬라이드|강의\s?자료|수업\s?자료|발표\s?자료|줌|과제|숙제|출석(?:체크)?"
    r"|시간표|와이파이|공지)(?:은|는|이|가|을|를|도|만|좀|이랑|랑|에|에서|이요|요)?(?![가-힣])"
    r"|(?<![가-힣])(?:다음|내일|다음\s?주)\s?(?:수업|강의|스터디|모임|세션|session|class)"
)
# A question about the bot itself ("봇아 너 이름 뭐야", "who made you?", "what's your name") asks nothing
# the lesson teaches, yet its one word may be a lesson word ("name" in a phrasing, "built" in an
# answer). Such a question addresses the bot (a second-person pronoun, or the bot by name) and its
# only lesson words are about identity: who it is, who made it, how old, whether it is human.
# Korean words are matched by stem (만들었어, 이름이): a noun's particle or a verb's ending follows.
_BOT_ADDRESS = """
    bot, chatbot, lessonbot, you, your, yours, yourself, u, ur,
    봇, 챗봇, 너, 넌, 니, 니가, 네가, 너의, 당신
"""
_BOT_IDENTITY_EN = """
    name, names, named, called, who, whom, made, make, maker, create, created, creator, creators, build,
    built, builder, develop, developed, developer, developers, wrote, written, program, programmed,
    owner, owns, author, age, old, born, real, human, person, robot, ai, chatgpt, gpt, trained, identity
"""
_BOT_IDENTITY_KO = """
    이름, 누구, 누가, 누군, 만들, 만든, 만드, 개발, 제작, 나이, 몇살, 몇 살, 살이, 정체, 사람, 로봇, 인공지능,
    주인, 태어
"""
# What may follow an address word in Korean: vocative, topic, subject and possessive particles, honorific.
_ADDRESS_PARTICLES = ("", "아", "야", "는", "은", "가", "이", "의", "도", "한테", "님", "님아", "씨")
# Kinds that may start the chat noise cut off the front of a question ("hi all, …", "넵 그럼 …"), and
# the end ("… 감사합니다 ㅎㅎ"). Address words, modifiers and fillers only follow one of them.
_LEADING: frozenset[ChatKind] = frozenset({"greeting", "farewell", "thanks", "ack", "praise", "laughter", "phatic"})
_TRAILING: frozenset[ChatKind] = frozenset({"thanks", "laughter", "farewell", "phatic"})

# Words of a message, script by script ("감사합니닼ㅋㅋ" is a word and a laugh); English keeps its
# apostrophes (what's), folded away later.
_WORD = re.compile(r"[0-9a-z'’]+|[가-힣]+|[ㄱ-ㅎ]+|[ㅏ-ㅣ]+")
# Discord custom emoji, mentions and roles carry no question; nor do emoticons (":)", "^^", "T_T", "<3").
_MARKUP = re.compile(r"<a?:\w+:\d+>|<(?:@[!&]?|#)\d+>|@everyone|@here")
_EMOTICON = re.compile(r"(?<![0-9a-z])(?:[:;=8][-']?[()dpo3/\\|\]\[*]+|\^[_.\-]?\^|t[_.]t|<3+|:'\()(?![0-9a-z])")
# Laughter and crying typed as runs of jamo or letters: ㅋㅋㅋ, ㅎㅎ, ㅠㅠ, ㅜㅜ, hahaha, lololol, kkk.
_RUNS = re.compile(
    r"(?:[ㅋㅎㅠㅜ]+|ㄷ{2,}|[ㅡㅜㅠ]{2,}|(?:ha)+h?|(?:he){2,}h?|heh|(?:hi){2,}|(?:lo)+l|k{2,}|z{2,}|x?d{2,})\Z"
)
# Syllable laughs: 크크크, 하하하, 킄킄, 히히.
_SYLLABLE_RUNS = re.compile(r"(?:[크킄큭킥키캬하핳히힣호헤흐]){2,}\Z")
# Final consonants (종성 index) a laugh leaves on the last syllable when typed straight on: 감사합니닼.
_LAUGH_FINALS = (24, 27)  # ㅋ, ㅎ
# Casual spellings of a last syllable: 안녕하세여/감사해용/감사욥 → 요, 감사합니당 → 다.
_CASUAL_ENDINGS = {"여": "요", "용": "요", "염": "요", "욤": "요", "욥": "요", "당": "다", "닷": "다"}
# The copula after a noun (좋은 아침이에요, 좋은 아침입니다): the noun is the word.
_COPULA = ("입니다", "이에요", "이예요", "예요", "에요", "이요", "이야")
# Vowel → the vowel a stretched syllable repeats (안녕하세요오: ㅛ is stretched as 오).
_STRETCH = {4: 0, 2: 0, 9: 0, 6: 4, 14: 4, 12: 8, 17: 13, 7: 5, 3: 1, 10: 5, 15: 5, 11: 20, 16: 20, 19: 20}
_VOWEL_SYLLABLES = {chr(0xAC00 + 11 * 588 + vowel * 28): vowel for vowel in range(21)}  # 아, 애, … (ㅇ + vowel)


_LATIN_WORD = re.compile(r"[0-9a-z'’]+")
_JAMO_WORD = re.compile(r"[ㄱ-ㅎㅏ-ㅣ]+")
_APOSTROPHES = re.compile(r"['’]")
_LETTER_RUN = re.compile(r"(.)\1+")
# Texting spellings of whole words: "see u tmrw" is "see you tomorrow".
_TEXTING = {
    **dict.fromkeys(("u",), "you"),
    **dict.fromkeys(("ur",), "your"),
    **dict.fromkeys(("r",), "are"),
    **dict.fromkeys(("tmrw", "tmr", "tmrrw", "2moro", "2morrow"), "tomorrow"),
}


def _squeeze(word: str) -> str:
    """Return an English word with each run of one letter as one letter: hiii → hi, thx!! → thx, good → god."""
    return _LETTER_RUN.sub(r"\1", word)


def _unrepeat(word: str) -> str:
    """Return a word typed twice or more as once: 넵넵 → 넵, byebye → bye, ㅇㅋㅇㅋ → ㅇㅋ."""
    for size in range(1, len(word) // 2 + 1):
        if len(word) % size == 0 and word[:size] * (len(word) // size) == word:
            return word[:size]
    return word


def _hangul_parts(syllable: str) -> tuple[int, int, int] | None:
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        return None
    return code // 588, (code % 588) // 28, code % 28


def _korean_key(word: str) -> str:
    """Fold the casual spellings of a Korean word (see the module docstring)."""
    word = _unrepeat(word)
    # Stretched vowels: 네에, 감사합니다아, 안녕하세요오, 고마워어.
    while len(word) >= 2 and word[-1] in _VOWEL_SYLLABLES:
        before = _hangul_parts(word[-2])
        stretched = _VOWEL_SYLLABLES[word[-1]]
        if before is None or before[2] or _STRETCH.get(before[1], before[1]) != stretched:
            break
        word = word[:-1]
    if len(word) >= 2 and word[-1] in _CASUAL_ENDINGS:
        word = word[:-1] + _CASUAL_ENDINGS[word[-1]]
    for ending in _COPULA:
        if word.endswith(ending) and len(word) > len(ending):
            word = word[: -len(ending)]
            break
    if len(word) >= 2 and word.endswith("요"):
        word = word[:-1]  # the polite ending: 감사해요 and 감사해 are one phrase
    return word


def _keys(word: str) -> tuple[str, ...]:
    """Return the folded forms a word is compared by (a phrase word has the same fold)."""
    word = word.casefold()
    if _LATIN_WORD.fullmatch(word):
        word = _APOSTROPHES.sub("", word)
        return (_unrepeat(_squeeze(_TEXTING.get(word, word))),)
    if _JAMO_WORD.fullmatch(word):
        return (_unrepeat(word),)
    keys = [_korean_key(word)]
    parts = _hangul_parts(word[-1])
    if parts is not None and parts[2] in _LAUGH_FINALS:
        # 감사합니닼 (ㅋㅋ typed on): also read without the final the laugh left.
        keys.append(_korean_key(word[:-1] + chr(0xAC00 + parts[0] * 588 + parts[1] * 28)))
    return tuple(dict.fromkeys(keys))


@dataclass
class _Node:
    children: dict[str, _Node]
    kinds: set[ChatKind]


def _phrase_trie(phrases: dict[ChatKind, str], *, backwards: bool = False) -> _Node:
    """Return the phrases as a trie of word keys (`backwards`: last word first, to read from the end)."""
    root = _Node({}, set())
    for kind, text in phrases.items():
        for phrase in (p.strip() for p in text.split(",")):
            words = _WORD.findall(unicodedata.normalize("NFC", phrase).casefold())
            if not words:
                continue
            # Spaced and run together ("좋은 아침" / "좋은아침", "good night" / "goodnight").
            for form in {tuple(words), ("".join(words),)}:
                node = root
                form = tuple(reversed(form)) if backwards else form
                for word in form:
                    node = node.children.setdefault(_keys(word)[0], _Node({}, set()))
                node.kinds.add(kind)
    return root


@functools.cache
def _tries() -> tuple[_Node, _Node]:
    """Return the phrase tries, forwards and backwards: built on first use (not at import), then kept
    (a pure function of constants, like a compiled regex)."""
    return _phrase_trie(_PHRASES), _phrase_trie(_PHRASES, backwards=True)


class _Words:
    """The words of a message: where each is, and (read when first needed) the forms it is compared by.

    Only the words at a message's edges are ever compared, so most are never folded."""

    def __init__(self, found: list[re.Match[str]]) -> None:
        self._found = found
        self._keys: dict[int, tuple[str, ...]] = {}
        self._laughs: dict[int, bool] = {}

    def __len__(self) -> int:
        return len(self._found)

    def span(self, position: int) -> tuple[int, int]:
        return self._found[position].span()

    def text(self, position: int) -> str:
        return self._found[position].group()

    def keys(self, position: int) -> tuple[str, ...]:
        keys = self._keys.get(position)
        if keys is None:
            keys = self._keys[position] = _keys(self._found[position].group())
        return keys

    def laugh(self, position: int) -> bool:
        laugh = self._laughs.get(position)
        if laugh is None:
            text = self._found[position].group()
            laugh = self._laughs[position] = bool(_RUNS.match(text) or _SYLLABLE_RUNS.match(text))
        return laugh

    def reversed(self, start: int) -> _Words:
        """The words from `start` on, last first (for cutting noise off the end)."""
        return _Words(self._found[start:][::-1])


def _phrases_at(words: _Words, position: int, trie: _Node) -> Iterable[tuple[int, frozenset[ChatKind]]]:
    """Yield (end, kinds) of every chat phrase of `trie` starting at word `position`."""
    if words.laugh(position):
        yield position + 1, frozenset({"laughter"})
    nodes = [trie]
    for end in range(position, len(words)):
        nodes = [child for node in nodes for key in words.keys(end) if (child := node.children.get(key))]
        if not nodes:
            return
        kinds = frozenset(kind for node in nodes for kind in node.kinds)
        if kinds:
            yield end + 1, kinds


def _longest_run(words: _Words, starters: frozenset[ChatKind], trie: _Node) -> tuple[int, set[ChatKind]]:
    """Return how many leading words split into chat phrases, the first of a kind in `starters`, and their kinds.

    (0, ∅) when the first phrase is no starter. The longest such split wins.
    """
    best: tuple[int, set[ChatKind]] = (0, set())
    # Breadth-first over split points; each point is reached once, with the kinds seen on the way.
    frontier: dict[int, set[ChatKind]] = {}
    for end, first in _phrases_at(words, 0, trie):
        if first & starters:
            frontier.setdefault(end, set()).update(first)
    seen: set[int] = set()
    while frontier:
        position = min(frontier)
        kinds = frontier.pop(position)
        seen.add(position)
        if position > best[0]:
            best = (position, kinds)
        if position == len(words):
            continue
        for end, more in _phrases_at(words, position, trie):
            if end not in seen:
                frontier.setdefault(end, set()).update(kinds | more)
    return best


_ALL_KINDS: frozenset[ChatKind] = frozenset(_PHRASES)


@dataclass(frozen=True)
class ChatReading:
    """A message read for chat noise: the question left once chat noise is cut off its edges.

    `question` is "" when the message is only chat noise (or empty); `kinds` says what was cut.
    """

    question: str
    kinds: frozenset[ChatKind]

    @property
    def only_noise(self) -> bool:
        """Whether nothing but chat noise was said."""
        return not self.question and bool(self.kinds)

    @property
    def laughing_remark(self) -> bool:
        """Whether a laugh comes with a remark rather than a question ("ㅋㅋㅋ 오늘 진도 빨랐다", "lol my
        laptop just died"): the words left tell a story and ask nothing (see `asks_something`)."""
        return "laughter" in self.kinds and bool(self.question) and not asks_something(self.question)


# What makes words a question even without a question mark: a question or request word anywhere
# (English whole words, Korean word starts: 뭐임, 설명좀, 차이점), an English auxiliary first ("is docker
# a vm"), or a Korean ending that asks or confirms (거죠, 되나, 할까, 맞지). Without one, words a laugh came
# with that end as a Korean statement (빨랐다, 빡세네, 날려먹음) or are English are a remark.
_ASKING_EN = frozenset(
    """what whats what's how why when where which who whom whose explain tell define definition meaning mean means
    vs versus difference differences compare help example examples please pls plz""".split()
)
_AUXILIARY_EN = frozenset(
    "is are was were do does did can could should would will shall may might must isn't aren't don't doesn't".split()
)
_ASKING_KO = tuple(
    """뭐 뭔 머임 무엇 무슨 어떤 어떻게 어케 왜 언제 어디 누구 누가 몇
    알려 설명 가르쳐 뜻 의미 차이 비교 방법 예시 정의""".split()
)
_ASKING_ENDINGS_KO = tuple("죠 지 지요 나 나요 니 냐 까 까요 가요 래 래요 줘 주세요 줄래".split())
_STATING_ENDINGS_KO = ("다", "네", "음", "함", "됨", "듯", "ㅠ", "ㅜ")


def asks_something(text: str) -> bool:
    """Return whether `text` is worded as a question or a request rather than a statement.

    A question mark, a question or request word, an English auxiliary first, or a Korean ending that
    asks. Korean words that end otherwise than as a statement (돼요, 어려워요) may ask too: only a plain
    statement ending (다, 네, 음) or English words with none of these make a remark.
    """
    if "?" in text or "？" in text:
        return True
    words = _WORD.findall(_cleaned(text))
    if not words:
        return False
    if any(word in _ASKING_EN for word in words) or words[0] in _AUXILIARY_EN:
        return True
    if any(word.startswith(_ASKING_KO) for word in words):
        return True
    if any(_JAMO_WORD.fullmatch(word) for word in words):
        return True  # 초성 ("ㅋㅋ ㄷㅋ ㅅㅊ"): no ending to read, and mostly a lesson word asked about
    last = next((word for word in reversed(words) if _hangul_parts(word[-1]) is not None), None)
    if last is None:
        return False  # English words only, none asking
    if words[-1] != last:
        return True  # a Latin word closes it: "오늘 배운 거 k8s" names a topic
    return last.endswith(_ASKING_ENDINGS_KO) or not last.endswith(_STATING_ENDINGS_KO)


def _cleaned(text: str) -> str:
    text = unicodedata.normalize("NFC", _MARKUP.sub(" ", text))
    return _EMOTICON.sub(" ", text.casefold())


_INITIALS = re.compile(r"[ㄱ-ㅎ]+\Z")


def _initials_run_on(words: _Words, front: int) -> bool:
    """Return whether the noise cut off the front ends in 초성 and the question goes on in 초성."""
    if front >= len(words):
        return False
    last, following = words.text(front - 1), words.text(front)
    return bool(_INITIALS.match(last) and _INITIALS.match(following) and not words.laugh(front))


def read_chatter(text: str) -> ChatReading:
    """Return `text` without the chat noise at its start and end, and the kinds of noise found.

    The question keeps its original characters (only whole words are cut, with the punctuation
    around them). A message that is only emoji or punctuation ("👍", "🙏🙏", "!!") is chat noise too.
    """
    if not text.strip():
        return ChatReading("", frozenset())
    # Markup and emoticons become spaces of the same length, so positions still point into `text`.
    cleaned = _MARKUP.sub(lambda m: " " * len(m.group()), unicodedata.normalize("NFC", text))
    folded = cleaned.casefold()
    if len(folded) != len(cleaned):  # a rare letter that folds to two: read the folded text instead
        cleaned = folded
    folded = _EMOTICON.sub(lambda m: " " * len(m.group()), folded)
    words = _Words(list(_WORD.finditer(folded)))
    if not len(words):
        reaction = not any(unicodedata.category(ch).startswith(("L", "N")) for ch in folded)
        return ChatReading("", frozenset({"laughter"})) if reaction else ChatReading(text.strip(), frozenset())
    forwards, backwards = _tries()
    whole, kinds = _longest_run(words, _ALL_KINDS, forwards)
    if whole == len(words):
        return ChatReading("", frozenset(kinds))
    front, front_kinds = _longest_run(words, _LEADING, forwards)
    if front and _initials_run_on(words, front):
        # "ㄱㅅ ㅁㅅㅇ ㅁㅇ": a chat shorthand's initials (ㄱㅅ, thanks) typed before more initials may be
        # the first word of a term's (가상 머신): the normaliser reads them as chat unless they spell one.
        front, front_kinds = 0, set()
    back, back_kinds = _longest_run(words.reversed(front), _TRAILING, backwards)
    if not front and not back:
        return ChatReading(text, frozenset())
    start = words.span(front)[0] if front else 0
    end = words.span(len(words) - 1 - back)[1] if back else len(cleaned)
    if back:
        # Keep what closes the question ("?", "!") after its last word.
        tail = re.match(r"[^\w\s]*", cleaned[end:])
        end += len(tail.group()) if tail else 0
    return ChatReading(cleaned[start:end].strip(), frozenset(front_kinds | back_kinds))


@functools.cache
def _small_talk_keys() -> frozenset[str]:
    """Return the folded single words of every chat phrase and of the course words."""
    words = [w for phrases in _PHRASES.values() for p in phrases.split(",") if len(ws := p.split()) == 1 for w in ws]
    words += [w.strip() for w in _COURSE_WORDS.split(",")]
    return frozenset(key for word in words if word for key in _keys(word))


def is_small_talk_word(word: str) -> bool:
    """Return whether a word (as typed, a Korean particle or ending allowed) is chat or course talk, no lesson content.

    "everyone", "ok", "오늘", "수업은", "tmrw" are; "컨테이너", "image" are not.
    """
    keys = _keys(unicodedata.normalize("NFC", word))
    small = _small_talk_keys()
    if any(key in small for key in keys):
        return True
    stem = strip_particles(keys[0]) if _hangul_parts(keys[0][-1:] or " ") is not None else keys[0]
    return stem in small


def is_chat_noise(text: str) -> bool:
    """Return whether `text` is only greeting, acknowledgement, thanks, farewell, laughter or emoji.

    An empty message is not chat noise (it is an empty question, answered as such).
    """
    return read_chatter(text).only_noise


def names_course_logistics(text: str) -> bool:
    """Return whether `text` names something the study group organises rather than the lesson teaches
    (a recording, the slides, homework, the next session: see `_LOGISTICS_EN`)."""
    folded = _cleaned(text)
    return bool(_LOGISTICS_EN.search(folded) or _LOGISTICS_KO.search(folded))


@functools.cache
def _word_list(text: str) -> tuple[str, ...]:
    """Return the comma-separated words of a constant list, spaces removed (read once, like a compiled regex)."""
    return tuple(word for word in (w.strip().replace(" ", "") for w in text.split(",")) if word)


@functools.cache
def _address_forms() -> frozenset[str]:
    """Return every form of an address word: English as listed, Korean with each particle that may follow."""
    address = _word_list(_BOT_ADDRESS)
    korean = (stem + particle for stem in address if not stem.isascii() for particle in _ADDRESS_PARTICLES)
    return frozenset((*(word for word in address if word.isascii()), *korean))


def _is_bot_address(word: str) -> bool:
    """Return whether one folded word names the bot or says you/너 ("봇아", "your", "너는", "you're")."""
    return (re.split(r"['’]", word)[0] if _LATIN_WORD.fullmatch(word) else word) in _address_forms()


def addresses_bot(text: str) -> bool:
    """Return whether a message speaks to the bot: names it ("봇아", "bot,") or says you/너 to it."""
    return any(_is_bot_address(word) for word in _WORD.findall(_cleaned(text)))


def is_about_bot_word(word: str) -> bool:
    """Return whether a word addresses the bot or asks who it is: its name, maker, age, nature
    ("너는", "name", "만들었어", "이름이")."""
    folded = unicodedata.normalize("NFC", word).casefold()
    if _is_bot_address(folded):
        return True
    if _LATIN_WORD.fullmatch(folded):
        return _APOSTROPHES.sub("", folded) in _identity_words()
    return folded.startswith(_word_list(_BOT_IDENTITY_KO))


@functools.cache
def _identity_words() -> frozenset[str]:
    return frozenset(_word_list(_BOT_IDENTITY_EN))


# The bot called by name before a question ("봇아 컨테이너가 뭐야?", "bot, what is a VM?", "hey bot: …") or
# after it ("what is a VM, bot?"): a vocative, no word of the question. English needs the comma or
# colon that makes "bot" a vocative ("bot 만드는 법" asks about bots); Korean has its vocative ending.
_VOCATIVE_BEFORE = re.compile(
    r"\A\s*(?:(?:hey|hi|hello|yo|ok|okay)\s+)?(?:lesson|chat)?bot\s*[,:!]+\s*"
    r"|\A\s*(?:(?:저기|야)\s+)?(?:챗)?봇(?:아|야|님아|님|씨)(?=[\s,!?.]|\Z)[\s,!]*",
    re.IGNORECASE,
)
_VOCATIVE_AFTER = re.compile(r"\s*,\s*(?:lesson|chat)?bot\s*(?=[?!.]*\s*\Z)", re.IGNORECASE)


def without_vocative(text: str) -> str:
    """Return a question without the bot called by name at its start or end (see `_VOCATIVE_BEFORE`)."""
    # The scans cost µs on every question; a substring test rules nearly all out first.
    if "봇" not in text and "bot" not in text.casefold():
        return text
    stripped = _VOCATIVE_AFTER.sub("", _VOCATIVE_BEFORE.sub("", text, count=1), count=1)
    return stripped if stripped.strip() else text
