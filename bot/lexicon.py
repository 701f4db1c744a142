"""The word lists normalisation runs on: particles, endings, fillers and stop words.

Data, not code: a maintainer adds a filler or an ending here, and the stages in `normalize` read
them. Korean lists hold surface forms (no analysis); English stop words are case-folded. Each list
has every member once.
"""

from __future__ import annotations

from collections.abc import Iterator

from bot.hangul import compose, decompose

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
    엔 론 으론 한텐 에게는 에겐 보단 이란게 란게 이란건 란건 인거임 임요
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
    된대 된다고 되는건 되는거 될까 될까요 한다 한다는 한대 한다고 하던 했던 했어요 합니다 합니까
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
    근데 그런데 걍 그니까 그러니까 그래서 그럼 그러면 아니 암튼 아무튼 일단 솔직히 막 뭔가 혹시나 다시
    머 머야 머임 머에요 머예요 머지 머가 머였 어케 어캐 어떡해 어떻게요 뭐뭐 머머 거임 건가 거냐 건가여
    거에요 건데요 얘기 이야기 헷갈 헷갈려 헷갈렸 헷갈렸어 헷갈리 헷갈리는 모르겠 모르겠어요 이해가 이해를 이해
    한번 번만 한 번 한번만 다시한번 물어봐도 질문드려요 여쭤봐도 여쭤볼게요 해줄 해줄래 해줄수 있나 수
    분 계신가요 계세요 요즘 요새 최근
    주실 주시 주시면 주시겠어요 주시겠 주실래요 주실수 주셨 주셔 주셔서 주십시오 주시나요 줄수 줄래요
    있을까요 있을까 있으면 있음 없음 됨 됐 됐음 됩니까 할수 알수 될수 꼭 데
    이렇게 그렇게 저렇게 요렇게 이렇게나 해주 해주는 해주나 해주실 해준다 해줌 해주면 해줬 해주고 해준
    뭐라고 뭐였 뭐였죠 뭐였지 뭐였더라 뭐였어요 뭐라 뭐라는 뭐라했 했더라 궁극적으로 궁극적 결국 구체적으로
    대충 간단히 간단하게 자세히 자세하게 한마디로 요컨대 보통 주로 실제로 원래 다들 대체로 전체적으로 전반적으로
    """.split()
)

# English words that carry no topic: function words, question and chat filler.
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
    isn aren doesn didn wasn weren hasn haven hadn wouldn couldn shouldn wasnt werent hasnt havent
    wouldnt couldnt shouldnt won't wont can't cant
    vs versus etc e.g eg ie i.e like also too again still already yet now right well oh hey hi hello
    question questions ask asking wondering curious wonder one ones way ways kind sort bit lot lots
    u r ur ya yo gonna wanna gotta kinda sorta tho though although because cause cuz since while
    only wait overall against other anyway literally whole entire main generally during
    sentence sentences briefly brief nutshell someone somebody anyone anybody pm confused confusing
    understand understood once help guys folks team course courses
    """.split()
)

# 초성 shorthand that is chat, not topic: 뭐야/뭐임, 뭐예요, 어떻게, ㅇㅋ, 감사, 죄송, 인정, 레알, 고고,
# 하이, 바이, 덜덜, 축하, 수고, 제발.
CHOSEONG_FILLERS: frozenset[str] = frozenset(
    """
    ㅁㅇ ㅁㅇㅇ ㅇㄸㄱ ㅇㅋ ㄱㅅ ㄳ ㅈㅅ ㅇㅈ ㄹㅇ ㄴㄴ ㄱㄱ ㅎㅇ ㅂㅂ ㅃㅇ ㄷㄷ ㅊㅋ ㅅㄱ ㅈㅂ
    """.split()
)


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


def strip_ending(word: str, words: frozenset[str] | None) -> str:
    """Remove a verb ending when what remains is a known stem (any stem when `words` is None)."""
    for size in (4, 3, 2, 1):
        if len(word) > size and word[-size:] in ENDINGS and (words is None or word[:-size] in words):
            return word[:-size]
    return word


def is_korean_filler(word: str) -> bool:
    """Return whether a Korean word is empty of topic, alone or with a particle or verb ending off.

    "설명하나요" is the filler 설명 with a verb ending: as empty as "설명".
    """
    stem = strip_particles(word)
    return any(candidate in KOREAN_FILLERS for candidate in (word, stem, strip_ending(stem, None)))


def nominal_stems(word: str) -> Iterator[str]:
    """Yield the predicate stems a chat-style noun ending (-ㅁ/-음) may come from, nearest first.

    Korean chat ends questions with the nominalised predicate: 빨라짐? 힘듦? 가벼움? 좋음? The
    stem is what the lesson and the paraphrase lexicon hold (빨라지, 빨라, 힘들, 가볍, 좋), so each
    reading is offered: the final ㅁ (or 음, or the ㄹ of ㄻ) off, a ㅂ-irregular 우 put back as ㅂ
    (가벼우 → 가볍), and a "become" 지 off (빨라지 → 빨라, 편해지 → 편해).
    """
    if len(word) < 2 or not "가" <= word[-1] <= "힣":
        return
    cho, jung, jong = decompose(word[-1])
    if word[-1] == "음":
        base = word[:-1]
    elif jong == "ㅁ":
        base = word[:-1] + compose(cho, jung)
    elif jong == "ㄻ":
        base = word[:-1] + compose(cho, jung, "ㄹ")
    else:
        return
    yield base
    if len(base) >= 2 and base[-1] == "우" and "가" <= base[-2] <= "힣":
        before = decompose(base[-2])
        if not before[2]:
            yield base[:-2] + compose(before[0], before[1], "ㅂ")
    if len(base) >= 3 and base[-1] == "지":
        yield base[:-1]


def english_variants(word: str) -> Iterator[str]:
    """Yield `word`, then the stems its inflections may come from (plural, -ing, -ize, -ed, -er, -est, -ly)."""
    yield word
    if word.endswith("'s"):
        yield word[:-2]
    if word.endswith("ies") and len(word) > 4:
        yield word[:-3] + "y"
    if word.endswith("es") and len(word) > 4:
        yield word[:-2]
    # Plurals of two-letter terms too (ips → ip, vms → vm): only a known stem is ever used.
    if word.endswith("s") and len(word) >= 3:
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
    # Comparatives, superlatives and adverbs: easier/easiest → easy, quickest → quick, quickly → quick.
    for suffix in ("ier", "iest", "ily"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            yield word[: -len(suffix)] + "y"
    if word.endswith("est") and len(word) > 5:
        yield word[:-3]
        yield word[:-2]
    if word.endswith("ly") and len(word) > 5:
        yield word[:-2]
    # A doubled final consonant: shipped → ship, running → run, bigger → big, biggest → big.
    for suffix in ("ed", "ing", "er", "est"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
            yield stem[:-1]


# Markdown link texts that name the link, not a topic ("[link](…)", "[여기](…)"): dropped with the URL.
LINK_LABELS: frozenset[str] = frozenset(
    """
    link links 링크 here 여기 this 이거 이것 click 클릭 source 출처 url
    """.split()
)
