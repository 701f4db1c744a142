"""What kind of question a text asks, by its wording alone: a comparison, or a how-to.

The answer decision weighs whether a comparison question ("what's the difference between an image and
a container?") is answered by an entry that compares those very things: a table row comparing two
other things that mentions one of them is a near miss. Likewise a how-to question (how to set up,
install or implement something, whether one may do it, what it takes) asked of an
entry that explains what something is or why it matters: the entry names the same things, but a
lesson that never says how does not answer it. Pure.
"""

from __future__ import annotations

import re
import unicodedata

from bot.hangul import looks_like_slipped_korean
from bot.vocabulary import WORD

# Whole English words, and the starts of Korean words (차이점, 다른가요, 비교하면), that ask to compare.
_COMPARING_WORDS = frozenset(
    {"difference", "differences", "different", "differ", "differs", "vs", "versus", "compare", "compared", "comparison"}
)
_COMPARING_STARTS = ("차이", "다른", "다르", "다름", "비교", "구별", "구분")
# 달라 asks as a word of its own ("뭐가 달라?"); 달라서, 달라지는 tell the story ("버전이 달라서 깨져요").
_COMPARING_KO = frozenset({"달라", "달라요", "달라여", "달랐어", "달랐어요", "달랐나요"})
# 다른 before a noun is "other" (다른 앱, 다른 노드), except before the nouns that make it "different"
# (다른 거, 다른 점); 다르면 is "if they differ", a story, not a question about the difference.
_OTHER = "다른"
_DIFFERENT_AFTER = frozenset({"거", "건", "것", "게", "점", "개념", "거야", "거예요", "건가요", "거임", "건지"})
_CONDITIONAL = "다르면"

# How-to: generic wording only (no topic words), matched on the case-folded text. English: how to /
# how do I…, whether one can or should, what one needs, the doing words. Not "how does X work": of a
# concept the lesson teaches (self-healing), that asks what it does, which the lesson answers.
_HOW_TO_EN = re.compile(
    r"\bhow (?:to|(?:do|can|should|would|could) (?:i|we)|(?:do|can) you (?!define|describe|explain|compare|call))\b"
    r"|\bhow many\b.*\bneed"
    r"|(?<!why )\b(?:can|should|must) (?:i|we)\b|(?<!why )\bdo (?:i|we) need\b"
    r"|\bis it (?:ok|okay|possible|safe|fine) to\b"
    r"|\b(?:install\w*|set(?:ting)? up|configur\w*|implement\w*|commands?|under the hood|internally)\b"
    r"|\bwhich (?:tool|command|version|flag|option)s?\b"
)
# Every match of _HOW_TO_EN holds one of these.
_HOW_TO_EN_WORDS = (
    "how",
    "can",
    "should",
    "must",
    "need",
    "is it",
    "install",
    "set",
    "configur",
    "implement",
    "command",
    "under the hood",
    "internally",
    "which",
)
# Korean: 어떻게 + doing (해요, 하나요, 설치, 만들…), "to do X, what/how many/need…" (만들려면 … 필요해),
# "may I" (-도 돼, 괜찮아), "is it possible" (돌리는 것도 가능해요?), implementing, installing, setting up,
# with which feature or tool.
_HOW_TO_KO = re.compile(
    r"어떻게\s*(?:(?:해|하나|하죠|하면|하는|할|합니)(?![가-힣])|해요|해야|하나요|하는지|할까|하면|설치|설정|구성|만들|구현|세팅|띄우|띄워|돌리|돌려)"
    r"|려면.*(?:어떻게|뭐|무엇|몇|필요|해야|있어야)"
    r"|(?<![봐고])도\s*(?:돼|되나|되요|돼요|됨|될까|되는지|괜찮)"
    r"|(?:구현|설치|세팅|셋업|설정)(?:하|해|돼|되|법|할)|명령어|커맨드|방법"
    r"|(?:어떤|무슨)\s*(?:기능|도구|툴|명령)\w*?(?:으로|로)(?![가-힣])"
    r"|가능(?:해|한가|한지|할까|하나|합니|함)|가능\?"
)
# Every match of _HOW_TO_KO holds one of these.
_HOW_TO_KO_WORDS = (
    "어떻게",
    "려면",
    "도",
    "구현",
    "설치",
    "세팅",
    "셋업",
    "설정",
    "명령어",
    "커맨드",
    "방법",
    "어떤",
    "무슨",
    "가능",
)


def asks_comparison(text: str) -> bool:
    """Return whether `text` asks how things differ ("A랑 B 차이", "A vs B", "how is A different from B")."""
    words = WORD.findall(unicodedata.normalize("NFC", text).casefold())
    for position, word in enumerate(words):
        if word == _OTHER:
            following = words[position + 1] if position + 1 < len(words) else ""
            if not following or following in _DIFFERENT_AFTER:
                return True
        elif (
            word in _COMPARING_WORDS
            or word in _COMPARING_KO
            or (word.startswith(_COMPARING_STARTS) and word != _CONDITIONAL)
        ):
            return True
    return False


def asks_how_to(text: str) -> bool:
    """Return whether `text` asks how to do something rather than what it is or why.

    How to do, set up, install or implement it ("쿠버네티스 설치는 어떻게 해?", "how do I configure…",
    "어떤 기능으로 구현돼?"), whether one may ("VM 안에서 돌려도 돼?", "can we…"), or what it takes
    ("…만들려면 몇 개 필요해?").
    """
    folded = unicodedata.normalize("NFC", text).casefold()
    # The scans cost tens of µs on a long question; a substring test rules most questions out first.
    if any(word in folded for word in _HOW_TO_EN_WORDS) and _HOW_TO_EN.search(folded):
        return True
    return any(word in folded for word in _HOW_TO_KO_WORDS) and _HOW_TO_KO.search(folded) is not None


# A denied complement: "a container isn't a virtual computer?", "컨테이너는 가상 컴퓨터가 아니라는 거죠?".
# The question asks what the subject is; the thing it is said not to be is no topic of the question
# (an entry about it, or comparing the two, answers another question). English: is/are not + a/an +
# the words up to the end of the clause; Korean: after a topic (X는/은), the words ending in 이/가
# right before 아니 (아닌, 아냐, 아님).
_DENIED_EN = re.compile(
    r"\b(?:is|are)(?:n[’']?t|\s+not)\s+(?:just\s+|really\s+|actually\s+|like\s+)?"
    r"((?:a|an)\s+[^?.!,;]*?)(?=\s*(?:[?.!,;]|$|\s+(?:then|but|so|right|either|anymore)\b))",
    re.IGNORECASE,
)
_DENIED_KO = re.compile(r"(?<=[은는]\s)((?:[^\s?.!,]+\s+){0,2}[^\s?.!,]+?[이가])\s*(?=아니|아닌|아냐|아님)")


# A likened complement: "파드가 뭐임? 그냥 컨테이너랑 같은 거야?" asks what a pod is, and whether it is
# merely the thing it is likened to; the answer is the pod's own entry, not the container's. Only after
# the question has asked what its subject is (뭐/뭔), so "A랑 B랑 같은 거야?" keeps both.
_LIKENED_KO = re.compile(
    r"(?<=[?？]\s)((?:그냥|혹시|그럼|결국|그러면)\s+)?((?:[^\s?.!,]+\s+){0,2}[^\s?.!,]+?(?:이랑|랑|하고|와|과))"
    r"\s*(?=(?:똑|비슷|거의\s*)?(?:같|비슷한)\S*\s*(?:거|건|것|게))"
)
_ASKS_WHAT_KO = re.compile(r"뭐|뭔|무엇|머임")


def _without_likened_ko(text: str) -> str:
    found = _LIKENED_KO.search(text)
    if found is None or _ASKS_WHAT_KO.search(text, 0, found.start()) is None:
        return text
    return text[: found.start(2)] + text[found.end(2) :].lstrip()


def without_denied(text: str) -> str:
    """Return `text` without the complement it denies ("X isn't a Y?" → "X isn't?"), unchanged when none.

    "So a container isn't a virtual computer? What is it then?" asks what a container is; the
    virtual computer it is said not to be would otherwise pull the question to the entries about it.
    Likewise what the subject is likened to once the question asked what it is ("파드가 뭐임? 그냥
    컨테이너랑 같은 거야?" → "파드가 뭐임? 그냥 같은 거야?").
    """
    if "아니" in text or "아닌" in text or "아냐" in text or "아님" in text:
        text = _DENIED_KO.sub("", text)
    if "같" in text or "비슷" in text:
        text = _without_likened_ko(text)
    folded = text.casefold()
    # The scan costs tens of µs on a long post; a substring test rules most questions out first.
    if " not " in folded or "nt " in folded or "n't" in folded or "n’t" in folded:
        text = _DENIED_EN.sub(lambda found: found.group(0)[: found.start(1) - found.start(0)].rstrip(), text)
    return text


# Specific details of a topic a question may ask for, by family: its default, its version, its port,
# how to install it, the command that does it. An entry that names none of a family's words never
# states that detail, however well it explains the topic ("롤링 업데이트 기본값은?" against what a
# rolling update is, "인그레스 설치 명령어" against what an Ingress is). English words whole; Korean
# words at the start of a word (기본값이, 버전은, 설치하는), as a particle or ending follows.
# Each family is named by the stem every match of its pattern holds (the prefilter in `details_named`).
_DETAILS_EN = {
    "default": re.compile(r"\bdefaults?\b|\bby default\b"),
    "version": re.compile(r"\bversions?\b"),
    "port": re.compile(r"\bports?\b"),
    "install": re.compile(r"\binstall\w*"),
    "command": re.compile(r"\bcommands?\b"),
    "configur": re.compile(r"\bconfigur\w*"),
}
_DETAILS_KO = {
    "default": ("기본값", "디폴트", "기본 설정", "기본설정"),
    "version": ("버전",),
    "port": ("포트",),
    "install": ("설치",),
    "command": ("명령어", "커맨드", "명령"),
}
# A lesson states a default more tersely than a learner asks for one: "(기본 25%)", "기본적으로 안 뜸"; and
# it configures something whenever it says 설정 ("3으로 설정하면").
_STATED_KO = {**_DETAILS_KO, "default": ("기본", "디폴트"), "configur": ("설정", "세팅", "셋업")}
# A learner asks how to configure something in so many words: 설정하는 방법, 설정법, 세팅은 어떻게 해. Not 설정
# alone, mostly a noun ("설정 파일", "마운트한 설정은"), nor how to change a setting the entry explains.
_CONFIGURING_KO = re.compile(
    r"(?<![가-힣])(?:설정|세팅|셋업)(?:은|는|을|를)?\s*(?:어떻게\s*(?:해|하)|하는\s*(?:방법|법)|방법|법|하려면)"
)
_KO_WORD_START = r"(?<![가-힣])"


def details_named(text: str, *, stated: bool = False) -> frozenset[str]:
    """Return the families of details (`_DETAILS_EN`: default, version, port, install, command, configuring)
    `text` names.

    `stated`: read `text` as a lesson's, where a bare 기본 ("기본 10개") states a default too; in a
    question it mostly means "basic" (기본 개념).
    """
    folded = unicodedata.normalize("NFC", text).casefold()
    # The scans cost µs on every question; a substring test rules most out first.
    named = {family for family, pattern in _DETAILS_EN.items() if family in folded and pattern.search(folded)}
    if not stated and any(word in folded for word in _STATED_KO["configur"]) and _CONFIGURING_KO.search(folded):
        named.add("configur")
    for family, words in (_STATED_KO if stated else _DETAILS_KO).items():
        if family not in named and any(
            word in folded and re.search(_KO_WORD_START + re.escape(word), folded) for word in words
        ):
            named.add(family)
    return frozenset(named)


# A name a question spells as a technical identifier: CamelCase with every hump capitalised (ExternalName,
# HTTPRoute, ConfigMap, DNSCache) or an acronym of three letters or more (VXLAN, HPA). Not a word typed
# on the wrong keyboard layout ("djEjgrp" is 어떻게): its humps are no capitalised words.
_IDENTIFIER = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:[A-Z]{2,}(?=[A-Z][a-z])|[A-Z][a-z0-9]+){2,}[A-Z]*|[A-Z]{3,}s?)(?![0-9A-Za-z])"
)


_LAST_HUMP = re.compile(r"[a-z0-9]+\Z")


def named_identifiers(text: str) -> list[str]:
    """Return the words of `text` spelled as technical identifiers (see `_IDENTIFIER`), case-folded.

    A last hump that spells Korean on the wrong layout ("MSAdptj": MSA에서) makes no identifier.
    """
    names: list[str] = []
    for name in _IDENTIFIER.findall(text):
        tail = _LAST_HUMP.search(name)
        if tail is None or not looks_like_slipped_korean(tail.group()):
            names.append(name.casefold())
    return names
