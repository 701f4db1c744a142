"""Synonyms every lesson shares: the everyday words of questions, in Korean and English.

A lesson's own glossary holds its domain terms (컨테이너/container/도커 …); these groups carry the
intent of a question (why, difference, faster, need …) across languages and inflections, so an
imported draft lesson with no hand-written glossary still understands "왜 달라요?" and "why different".
Lesson glossaries are applied first: a lesson can claim any of these words for itself.
"""

from __future__ import annotations

COMMON_GLOSSARY: tuple[tuple[str, ...], ...] = (
    ("강한", "강함", "강하", "강해", "강력", "strong", "stronger", "strongest"),
    ("약한", "약함", "약하", "약해", "weak", "weaker"),
    ("큰", "큼", "크", "커", "커요", "big", "bigger", "large", "larger"),
    ("작은", "작음", "작아", "small", "smaller"),
    ("수동", "수동으로", "손으로", "manual", "manually", "by hand"),
    ("이유", "왜", "왜케", "왜캐", "why", "reason", "reasons", "까닭", "how come"),
    ("필요", "필요성", "필수", "써야", "need", "needs", "needed", "necessary"),
    (
        "차이",
        "차이점",
        "다른점",
        "다른 점",
        "다른",
        "다름",
        "달라",
        "다르",
        "difference",
        "differences",
        "different",
        "differ",
        "differs",
        "vs",
        "versus",
        "비교",
        "compare",
        "compared",
        "comparison",
    ),
    ("빠른", "빠르", "빨라", "빨리", "빠름", "fast", "faster", "fastest", "quick", "quicker", "quickly"),
    ("느린", "느리", "느려", "느림", "slow", "slower", "slowly"),
    ("무거운", "무겁", "무거워", "무거움", "heavy", "heavier", "heavyweight"),
    ("가벼운", "가볍", "가벼워", "가벼움", "light", "lighter", "lightweight"),
    ("장점", "이점", "좋은점", "좋은 점", "benefit", "benefits", "advantage", "advantages", "pros"),
    (
        "많아지",
        "많아지면",
        "많아져",
        "많아질수록",
        "늘어나",
        "늘어나면",
        "늘어날수록",
        "증가",
        "grow",
        "grows",
        "growing",
        "increase",
        "increases",
        "multiply",
    ),
    ("쉬운", "쉽", "쉬워", "쉬움", "편해", "편한", "편하", "편리", "easy", "easier", "simple", "simpler"),
    ("목표", "목적", "goal", "goals", "aim", "purpose", "objective"),
    (
        "점진적",
        "점진적으로",
        "조금씩",
        "하나씩",
        "차례로",
        "순차적",
        "gradual",
        "gradually",
        "incremental",
        "incrementally",
        "one by one",
    ),
    ("자동", "자동화", "자동으로", "automatic", "automatically", "automate", "automates", "automated", "automation"),
    ("죽으면", "죽은", "죽는", "죽었", "죽어", "die", "dies", "died", "dead", "crash", "crashes", "crashed"),
)
