"""Scale benchmark: the matcher on synthetic curricula of 1, 30 and 300 lessons (~30 entries each).

    python benchmarks/bench_scale.py [--sizes 1,30,300] [--questions 400] [--seed 16]
                                     [--profile] [--check] [--out benchmarks/out/scale.png]

The curricula are generated in memory, deterministically (a seeded random.Random), as Lesson and
Knowledge objects. Each lesson gets its own topic vocabulary — pseudo-words in Hangul and Latin
letters joined to words from shared Korean/English pools ("벨트론 스케줄러" / "beltron scheduler") —
and glossary groups tying the two spellings together; every lesson also uses shared common words
(컨테이너, 서버, 이유, 차이, container, difference…), so their postings grow with the curriculum as in
real life. About 25 phrasings per entry in both languages, one comparison table per lesson, a
summary entry, out-of-scope topics.

For each size it prints: index build time (Matcher construction), memory (tracemalloc peak and
retained size of a second, traced build; growth of the process's peak RSS over the first build),
and `ask` latency p50/p99/max over a few hundred generated questions — exact phrasings, typos,
new phrasings of one lesson's topics, off-topic questions, long forum-style posts — asked the way
the bot asks (every lesson searched, the newest preferred), then the same questions scoped to
their lesson (a scoped channel), and autocomplete latency. Questions made only of curriculum-wide
words ("컨테이너가 뭐야" in a curriculum where every lesson says 컨테이너) are their own kind: they
are the slowest. Accuracy on the exact and off-topic
questions is printed as a sanity check of the synthetic data, not as a quality measure.

`--profile` runs cProfile over the questions at the largest size and prints where the time goes.
The PNG (p50 and p99 against the number of entries, with the 10 ms p99 target) is drawn with
matplotlib (`pip install -e '.[bench]'`); without it the plot is skipped and the numbers still print.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import platform
import pstats
import random
import re
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from plotting import SKIPPED, Guide, Series, line_plot

from bot.knowledge import Entry, Knowledge, Lesson, OutOfScope, Table, TableRow, Text, TextList, parse_knowledge
from bot.matching import Answer, Matcher, Result
from bot.scope import Scope

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "benchmarks" / "out" / "scale.png"
TARGET_P99_MS = 10.0
TOPICS_PER_LESSON = 8
ASPECTS_PER_TOPIC = 3  # 8 x 3 = 24 entries, + 1 table, 4 rows, 1 summary = 30 per lesson

# --- word pools ---------------------------------------------------------------------------------

# Syllables and letters for pseudo-words: each lesson's own vocabulary.
_SYLLABLES = (
    "가 나 다 라 마 바 사 아 자 차 카 타 파 하 고 노 도 로 모 보 소 오 조 코 토 포 호 구 누 두 루 무 부 수 우 주 "
    "쿠 투 푸 후 기 니 디 리 미 비 시 지 키 티 피 히 게 네 데 레 메 베 세 제 케 테 페 헤 간 난 단 란 만 반 산 "
    "안 잔 칸 탄 판 한 건 던 런 먼 번 선 전 컨 턴 펀 헌 곤 논 돈 론 몬 본 손 존 콘 톤 폰 혼 글 늘 들 를 블 슬 "
    "클 틀 플 흘 령 명 병 성 영 정 청 경 형 링 밍 빙 싱 잉 징 킹 팅 핑 밸 셀 델 텔 렐 멜 벨 젤 켈 펠"
).split()
_ONSETS = "b c d f g h j k l m n p r s t v w z br cr dr fr gr pr tr bl cl fl gl pl sl st sp sk qu".split()
_VOWELS = "a e i o u ai ea io ou".split()
_CODAS = "n r l s t x m nd rt st lk rn".split()

# Shared pools: real words many lessons draw from.
_KO_NOUNS = (
    "스케줄러 컨트롤러 네트워크 스토리지 볼륨 레지스트리 이미지 프로세스 노드 클러스터 서비스 게이트웨이 "
    "프록시 캐시 로그 모니터링 알림 파이프라인 빌드 테스트 배포 롤백 버전 설정 보안 인증 권한 정책 "
    "큐 메시지 스트림 이벤트 토픽 파티션 복제 샤드 인덱스 쿼리 트랜잭션 락 세션 쿠키 토큰 라우터 "
    "스위치 방화벽 대역폭 지연 처리량 메모리 디스크 코어 스레드 커널 드라이버 모듈 패키지 라이브러리 "
    "함수 객체 클래스 상속 인터페이스 템플릿 컴파일러 런타임 가상머신 힙 스택 포인터 해시 트리 그래프"
).split()
_EN_NOUNS = (
    "scheduler controller network storage volume registry image process node cluster service gateway "
    "proxy cache log monitoring alert pipeline build test deploy rollback version config security auth "
    "permission policy queue message stream event topic partition replica shard index query transaction "
    "lock session cookie token router switch firewall bandwidth latency throughput memory disk core "
    "thread kernel driver module package library function object class inheritance interface template "
    "compiler runtime vm heap stack pointer hash tree graph"
).split()
assert len(_KO_NOUNS) == len(_EN_NOUNS)

# Words every lesson uses: their postings grow with the curriculum.
_COMMON_KO = "컨테이너 서버 애플리케이션 환경 시스템 데이터 사용자 요청 자원 운영".split()
_COMMON_EN = "container server application environment system data user request resource operation".split()

# Aspects of a topic (shared by every lesson): Korean and English names, each with variants.
_ASPECTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("정의", "본질", "기본 개념"), ("definition", "essence", "basics")),
    (("이유", "필요성", "목적"), ("reason", "purpose", "need")),
    (("장점", "이점", "좋은 점"), ("advantage", "benefit", "strength")),
    (("단점", "약점", "문제점"), ("drawback", "weakness", "downside")),
    (("구조", "구성", "아키텍처"), ("structure", "architecture", "layout")),
    (("동작 원리", "작동 방식", "원리"), ("mechanism", "internals", "workings")),
    (("예시", "사례", "예제"), ("example", "use case", "sample")),
    (("설정 방법", "설정", "세팅"), ("setup", "configuration", "settings")),
    (("역할", "기능", "책임"), ("role", "function", "responsibility")),
    (("한계", "제약", "제한"), ("limitation", "constraint", "limit")),
    (("비용", "가격", "요금"), ("cost", "price", "pricing")),
    (("성능", "속도", "효율"), ("performance", "speed", "efficiency")),
    (("차이", "차이점", "구별"), ("difference", "distinction", "contrast")),
    (("장애 대응", "복구", "장애 처리"), ("failure handling", "recovery", "incident")),
)

# Phrasing templates: {t} topic, {a} aspect, {x} a context word (common word, another topic, one of
# the lesson's own words, the topic's abbreviation) — so phrasings differ in their words, not only
# in fillers and particles (which normalise away).
_KO_TEMPLATES = (
    "{t} {a}",
    "{t}의 {a}",
    "{t} {a} 알려줘",
    "{t} {a}{ga} 뭐야",
    "{x} {t} {a} 궁금해요",
    "{t}에서 {a}{eun}?",
    "{t} {a} 설명해주세요",
    "{x}에서 {t} {a} 정리해줘",
    "{t} {a}에 대해 알려주세요",
    "{t} 관련 {x} {a}",
    "{t}{eun} {a}{ga} 어떻게 돼?",
    "{x} 쓸 때 {t} {a}",
    "{t}의 {a}{eul} 모르겠어요",
    "{t} {x} {a} 핵심",
    "{t}{rang} {x} {a}",
    "{x}{rang} 비교한 {t} {a}",
    "{t}{ga} {x}에서 하는 {a}",
    "{x} {a}{ga} {t}에 있어?",
)
_EN_TEMPLATES = (
    "{a} of {t}",
    "{t} {a}",
    "what is the {a} of {t}",
    "explain {t} {a}",
    "tell me about the {t} {a} for {x}",
    "{t} {a} explained",
    "{t}'s {a} in {x}",
    "what's the {t} {a}",
    "describe the {a} of {t} with {x}",
    "{a} for {t}",
    "{t} {a} in a {x}",
    "how does {t} {a} work",
    "{t} {a} with {x}",
    "{t} vs {x} {a}",
    "{x} {t} {a}",
    "{a} of {t} on a {x}",
    "{t} {a} summary",
)
# Templates never used for phrasings: new ways to ask about an entry.
_NEW_KO = (
    "혹시 {t} {a}{ga} 정확히 뭔지 알 수 있을까요",
    "{t} {a} 이해가 안 돼요 ㅠㅠ",
    "{t}{eun} {a}{ga} 왜 중요해?",
    "{a} 측면에서 {t} 어때",
)
_NEW_EN = (
    "can someone explain {t} {a} to me",
    "i don't get the {a} of {t}",
    "why does the {a} matter for {t}",
    "quick question about {t} and its {a}",
)
# Questions made only of words every lesson uses ("컨테이너가 뭐야" in a container curriculum).
_COMMON_QUESTIONS_KO = ("{c}{ga} 뭐야", "{c} {a}", "{c}{rang} {d} 차이", "{c} 쓰는 이유", "{c} {a} 알려줘")
_COMMON_QUESTIONS_EN = ("what is a {c}", "{c} {a}", "{c} vs {d}", "why use a {c}", "{a} of a {c}")
_OFF_TOPIC = (
    "오늘 점심 뭐 먹지",
    "주식 투자 방법 알려줘",
    "파이썬 설치는 어떻게 해요?",
    "주말에 영화 추천 좀",
    "how do I bake sourdough bread",
    "what is the weather tomorrow",
    "best pizza place in seoul",
    "can you recommend a good laptop",
    "노트북 추천해주세요",
    "what time does the library close",
    "운동 루틴 추천",
    "how to learn guitar fast",
)
_STORY_KO = (
    "안녕하세요 오늘 수업 듣다가 궁금한 게 생겼는데요. 회사에서 {c} 운영을 맡고 있는데 요즘 문제가 좀 있어서요. "
    "선배가 {w} 얘기를 하던데 잘 모르겠더라고요. 그래서 {t} {a}{ga} 정확히 뭔지 궁금합니다."
)
_STORY_EN = (
    "hi all, I was following today's lesson and got confused. at work we run a {c} and things broke "
    "last week, and my lead kept mentioning {w}. so what exactly is the {a} of {t}?"
)


_PARTICLES = {"ga": ("이", "가"), "eun": ("은", "는"), "eul": ("을", "를"), "rang": ("이랑", "랑")}
_SLOT = re.compile(r"\{(\w+)\}")


def _fill(template: str, **words: str) -> str:
    """Fill a template's {word} slots; {ga} {eun} {eul} {rang} become the particle that fits the
    syllable before them (이/가, 은/는, 을/를, 이랑/랑: with or without a final consonant)."""
    out: list[str] = []
    position = 0
    for slot in _SLOT.finditer(template):
        out.append(template[position : slot.start()])
        name = slot.group(1)
        if name in _PARTICLES:
            last = "".join(out)[-1:]
            final = "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0
            out.append(_PARTICLES[name][0 if final else 1])
        else:
            out.append(words[name])
        position = slot.end()
    out.append(template[position:])
    return "".join(out)


# --- the synthetic curriculum -------------------------------------------------------------------


@dataclass
class Topic:
    """One of a lesson's topics, in both languages, with an abbreviation."""

    ko: str
    en: str
    alias: str


@dataclass
class Synthetic:
    """A generated curriculum and what the question generator needs to know about it."""

    knowledge: Knowledge
    topics: dict[str, list[Topic]] = field(default_factory=dict)
    extra: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    aspects: dict[tuple[str, str], tuple[Topic, tuple[str, str]]] = field(default_factory=dict)
    """(lesson id, entry id) → the entry's topic and its aspect's main (Korean, English) names."""


def _pseudo_ko(rng: random.Random, seen: set[str]) -> str:
    while True:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 3, 3, 4))))
        if word not in seen:
            seen.add(word)
            return word


def _pseudo_en(rng: random.Random, seen: set[str]) -> str:
    while True:
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.choice((2, 2, 3))))
        word += rng.choice(_CODAS)
        if word not in seen and len(word) >= 5:
            seen.add(word)
            return word


def make_curriculum(lessons: int, *, seed: int) -> Synthetic:
    """Return a curriculum of `lessons` lessons of 30 entries each, the same for the same seed."""
    rng = random.Random(seed)
    seen_ko: set[str] = set()
    seen_en: set[str] = set()
    built: list[Lesson] = []
    synthetic = Synthetic(Knowledge(()))
    for number in range(1, lessons + 1):
        lesson_id = f"day{number}-synthetic"
        topics: list[Topic] = []
        for _ in range(TOPICS_PER_LESSON):
            noun = rng.randrange(len(_KO_NOUNS))
            base_ko, base_en = _pseudo_ko(rng, seen_ko), _pseudo_en(rng, seen_en)
            if rng.random() < 0.6:  # most topics: a lesson-specific word joined to a shared noun
                ko, en = f"{base_ko} {_KO_NOUNS[noun]}", f"{base_en} {_EN_NOUNS[noun]}"
            else:
                ko, en = base_ko, base_en
            topics.append(Topic(ko, en, base_en[:3] + str(number % 10)))
        extra = [(_pseudo_ko(rng, seen_ko), _pseudo_en(rng, seen_en)) for _ in range(6)]
        synthetic.topics[lesson_id] = topics
        synthetic.extra[lesson_id] = extra
        entries: list[Entry] = []
        for index, topic in enumerate(topics):
            for aspect in rng.sample(_ASPECTS, ASPECTS_PER_TOPIC):
                entry_id = f"t{index}.{_ASPECTS.index(aspect)}"
                synthetic.aspects[(lesson_id, entry_id)] = (topic, (aspect[0][0], aspect[1][0]))
                entries.append(_entry(rng, entry_id, topic, aspect, topics, extra))
        table = _table(rng, topics)
        entries.append(
            Entry(
                id="compare",
                source="4️⃣ 비교",
                title=table.caption,
                questions=TextList(
                    ko=(f"{topics[0].ko} {topics[1].ko} 비교", f"{topics[0].ko}랑 {topics[1].ko} 차이", "비교표"),
                    en=(f"{topics[0].en} vs {topics[1].en}", f"compare {topics[0].en} and {topics[1].en}"),
                ),
                table=table.id,
            )
        )
        for row in table.rows:
            entries.append(
                Entry(
                    id=f"compare.{row.key}",
                    source="4️⃣ 비교",
                    title=Text(f"{table.caption.ko}: {row.label.ko}", f"{table.caption.en}: {row.label.en}"),
                    questions=TextList(
                        ko=(f"{topics[0].ko} {row.label.ko}", f"{row.label.ko} 비교", f"{row.label.ko} 차이"),
                        en=(f"{topics[0].en} {row.label.en}", f"{row.label.en} comparison"),
                    ),
                    table=table.id,
                    row=row.key,
                )
            )
        entries.append(
            Entry(
                id="summary",
                source="오늘의 핵심 요약",
                title=Text("핵심 요약", "Key points"),
                questions=TextList(
                    ko=("요약", "핵심 정리", "오늘 배운 거 정리"), en=("summary", "key points", "recap")
                ),
                summary=True,
            )
        )
        built.append(
            Lesson(
                id=lesson_id,
                day=number,
                date=f"{number}일차",
                title=Text(f"{topics[0].ko}와 {topics[1].ko}", f"{topics[0].en} and {topics[1].en}"),
                entries=tuple(entries),
                summary=TextList(
                    ko=tuple(
                        f"{t.ko}는 {rng.choice(_COMMON_KO)}의 {rng.choice(_ASPECTS)[0][0]}을 다룬다" for t in topics[:4]
                    ),
                    en=tuple(
                        f"{t.en} deals with the {rng.choice(_ASPECTS)[1][0]} of a {rng.choice(_COMMON_EN)}"
                        for t in topics[:4]
                    ),
                ),
                tables=(table,),
                glossary=tuple(_glossary(topic) for topic in topics),
                out_of_scope=(
                    OutOfScope(
                        Text(f"{extra[4][0]} 설치", f"installing {extra[4][1]}"),
                        (f"{extra[4][0]} 설치", f"install {extra[4][1]}", f"{extra[4][1]}ctl"),
                    ),
                    OutOfScope(Text(extra[5][0], extra[5][1]), (extra[5][0], extra[5][1])),
                ),
            )
        )
    synthetic.knowledge = parse_knowledge(built)
    return synthetic


def _glossary(topic: Topic) -> tuple[str, ...]:
    # The topic's own word in both scripts (like [컨테이너, container]) and its abbreviation.
    ko, en = topic.ko.split()[0], topic.en.split()[0]
    return (ko, en, topic.alias)


def _entry(
    rng: random.Random,
    entry_id: str,
    topic: Topic,
    aspect: tuple[tuple[str, ...], tuple[str, ...]],
    topics: Sequence[Topic],
    extra: Sequence[tuple[str, str]],
) -> Entry:
    (a_ko, *_), (a_en, *_) = aspect
    other = rng.choice([t for t in topics if t is not topic])

    def phrasings(lang: str, templates: Sequence[str], wanted: int) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for _ in range(wanted * 20):
            if len(found) == wanted:
                break
            if lang == "ko":
                t = rng.choice((topic.ko, topic.ko, topic.ko.split()[0], topic.alias))
                x = rng.choice((*_COMMON_KO, other.ko, rng.choice(extra)[0], topic.alias))
                a = rng.choice(aspect[0])
            else:
                t = rng.choice((topic.en, topic.en, topic.en.split()[0], topic.alias))
                x = rng.choice((*_COMMON_EN, other.en, rng.choice(extra)[1], topic.alias))
                a = rng.choice(aspect[1])
            found.setdefault(_fill(rng.choice(templates), t=t, a=a, x=x))
        return tuple(found)

    w_ko, w_en = rng.choice(extra)
    c_ko, c_en = rng.choice(list(zip(_COMMON_KO, _COMMON_EN, strict=True)))
    return Entry(
        id=entry_id,
        source=f"{topic.ko} — {a_ko}",
        title=Text(f"{topic.ko}의 {a_ko}", f"{a_en.capitalize()} of {topic.en}"),
        # 13 + 12 phrasings and the two titles: about 25 per entry, as in the bundled lesson.
        questions=TextList(ko=phrasings("ko", _KO_TEMPLATES, 13), en=phrasings("en", _EN_TEMPLATES, 12)),
        answer=Text(
            f"{topic.ko}의 {a_ko}은 {w_ko}와 관련이 있으며 {c_ko} 환경에서 특히 중요합니다. "
            f"{other.ko}와 함께 쓰입니다.",
            f"The {a_en} of {topic.en} relates to {w_en} and matters most in a {c_en} setting; "
            f"it is used together with {other.en}.",
        ),
        keywords=(topic.alias,),
    )


def _table(rng: random.Random, topics: Sequence[Topic]) -> Table:
    first, second = topics[0], topics[1]
    labels = [(ko[0], en[0]) for ko, en in rng.sample(_ASPECTS, 4)]
    return Table(
        id="compare",
        caption=Text(f"{first.ko} vs {second.ko}", f"{first.en} vs {second.en}"),
        header=Text("항목", "Aspect"),
        columns=TextList(ko=(first.ko, second.ko), en=(first.en, second.en)),
        rows=tuple(
            TableRow(
                key=f"r{index}",
                label=Text(ko, en),
                cells=TextList(ko=(f"{ko} 높음", f"{ko} 낮음"), en=(f"high {en}", f"low {en}")),
            )
            for index, (ko, en) in enumerate(labels)
        ),
    )


# --- questions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """A benchmark question: its text, its kind, and the entry it is about (None: off-topic)."""

    text: str
    kind: str
    lesson_id: str | None
    entry_id: str | None


def _typo(rng: random.Random, text: str) -> str:
    """Return `text` with one typo in its longest word: a changed vowel (Korean) or a dropped or
    swapped letter (English)."""
    words = text.split()
    index = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[index]
    syllables = [i for i, ch in enumerate(word) if "가" <= ch <= "힣"]
    if syllables:
        position = rng.choice(syllables)
        code = ord(word[position]) - 0xAC00
        initial, vowel, final = code // 588, (code % 588) // 28, code % 28
        vowel = (vowel + rng.choice((1, 2, 4))) % 21
        word = word[:position] + chr(0xAC00 + initial * 588 + vowel * 28 + final) + word[position + 1 :]
    elif len(word) >= 5:
        position = rng.randrange(1, len(word) - 1)
        if rng.random() < 0.5:
            word = word[:position] + word[position + 1 :]
        else:
            word = word[: position - 1] + word[position] + word[position - 1] + word[position + 1 :]
    words[index] = word
    return " ".join(words)


def make_questions(synthetic: Synthetic, count: int, *, seed: int) -> list[Question]:
    """Return `count` questions: 25 % exact phrasings, 20 % typos, 20 % new phrasings of an entry,
    10 % made only of curriculum-wide words, 15 % off-topic, 10 % long forum-style posts."""
    rng = random.Random(seed)
    lessons = synthetic.knowledge.lessons
    questions: list[Question] = []
    kinds = ["exact"] * 25 + ["typo"] * 20 + ["new"] * 20 + ["common"] * 10 + ["offtopic"] * 15 + ["long"] * 10
    for _ in range(count):
        kind = rng.choice(kinds)
        lesson = rng.choice(lessons)
        entry = rng.choice([e for e in lesson.entries if (lesson.id, e.id) in synthetic.aspects])
        topic, (a_ko, a_en) = synthetic.aspects[(lesson.id, entry.id)]
        w_ko, w_en = rng.choice(synthetic.extra[lesson.id])
        korean = rng.random() < 0.55
        if kind in {"exact", "typo"}:
            text = rng.choice(entry.questions.ko if korean else (entry.questions.en or entry.questions.ko))
            if kind == "typo":
                text = _typo(rng, text)
        elif kind == "new":
            if korean:
                text = _fill(rng.choice(_NEW_KO), t=topic.ko, a=a_ko)
            else:
                text = _fill(rng.choice(_NEW_EN), t=topic.en, a=a_en)
        elif kind == "long":
            if korean:
                text = _fill(_STORY_KO, t=topic.ko, a=a_ko, c=rng.choice(_COMMON_KO), w=w_ko)
            else:
                text = _fill(_STORY_EN, t=topic.en, a=a_en, c=rng.choice(_COMMON_EN), w=w_en)
        elif kind == "common":  # no lesson in particular: every lesson has entries with these words
            c, d = rng.sample(range(len(_COMMON_KO)), 2)
            aspect = rng.choice(_ASPECTS)
            if korean:
                text = _fill(rng.choice(_COMMON_QUESTIONS_KO), c=_COMMON_KO[c], d=_COMMON_KO[d], a=aspect[0][0])
            else:
                text = _fill(rng.choice(_COMMON_QUESTIONS_EN), c=_COMMON_EN[c], d=_COMMON_EN[d], a=aspect[1][0])
            questions.append(Question(text, kind, None, None))
            continue
        else:
            if rng.random() < 0.7:
                text = rng.choice(_OFF_TOPIC)
            else:  # words no lesson uses
                text = f"{_pseudo_en(rng, set())} {_pseudo_en(rng, set())} 뭐야?"
            questions.append(Question(text, kind, None, None))
            continue
        questions.append(Question(text, kind, lesson.id, entry.id))
    return questions


# --- measuring ----------------------------------------------------------------------------------


@dataclass
class Measurement:
    """The numbers printed for one curriculum size."""

    lessons: int
    entries: int
    phrasings: int
    build_s: float
    traced_peak_mb: float
    retained_mb: float
    rss_growth_mb: float
    latency_ms: list[float]
    by_kind: dict[str, list[float]]
    scoped_ms: list[float]
    autocomplete_ms: list[float]
    exact_correct: float
    offtopic_abstain: float


def percentile(values: Sequence[float], share: float) -> float:
    """Return the `share` quantile (nearest rank) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def _rss_mb() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports KiB, macOS bytes.
    return usage / (1024 * 1024) if sys.platform == "darwin" else usage / 1024


def _hit(result: Result, question: Question) -> bool:
    return isinstance(result, Answer) and (result.candidate.lesson_id, result.candidate.entry_id) == (
        question.lesson_id,
        question.entry_id,
    )


def measure(lessons: int, questions_count: int, *, seed: int) -> tuple[Measurement, Matcher, list[Question]]:
    """Build the index for a curriculum of `lessons` lessons and time questions against it."""
    synthetic = make_curriculum(lessons, seed=seed)
    knowledge = synthetic.knowledge
    entries = sum(len(lesson.entries) for lesson in knowledge.lessons)
    gc.collect()
    rss_before = _rss_mb()
    started = time.perf_counter()
    matcher = Matcher(knowledge)
    build_s = time.perf_counter() - started
    rss_growth = _rss_mb() - rss_before
    phrasings = matcher.index.phrasing_count

    # Memory: a second build, traced (tracemalloc slows it down, so it is not the timed one).
    gc.collect()
    tracemalloc.start()
    traced = Matcher(knowledge)
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced
    gc.collect()

    questions = make_questions(synthetic, questions_count, seed=seed + 1)
    warmup = make_questions(synthetic, 50, seed=seed + 2)
    newest = knowledge.lessons[-1].id
    for question in warmup:  # first-call costs (regex compilation, caches) are not per-question costs
        matcher.ask(question.text, scope=Scope(prefer=newest))

    latency: list[float] = []
    by_kind: dict[str, list[float]] = {}
    hits = exact = abstained = offtopic = 0
    clock = time.perf_counter_ns
    for question in questions:
        started = clock()
        result = matcher.ask(question.text, scope=Scope(prefer=newest))
        elapsed = (clock() - started) / 1e6
        latency.append(elapsed)
        by_kind.setdefault(question.kind, []).append(elapsed)
        if question.kind == "exact":
            exact += 1
            hits += _hit(result, question)
        elif question.kind == "offtopic":
            offtopic += 1
            abstained += result.status == "none"
    scoped: list[float] = []
    for question in questions:
        # As asked in a channel scoped to the question's lesson (questions of no lesson: the newest).
        lesson_id = question.lesson_id or newest
        started = clock()
        matcher.ask(question.text, scope=Scope(frozenset({lesson_id}), lesson_id))
        scoped.append((clock() - started) / 1e6)
    rng = random.Random(seed + 3)
    completions: list[float] = []
    for question in questions[:150]:
        prefix = question.text[: rng.randint(2, 8)]
        started = clock()
        matcher.autocomplete(prefix, lang="ko", scope=Scope(prefer=newest))
        completions.append((clock() - started) / 1e6)
    return (
        Measurement(
            lessons=lessons,
            entries=entries,
            phrasings=phrasings,
            build_s=build_s,
            traced_peak_mb=peak / 1e6,
            retained_mb=retained / 1e6,
            rss_growth_mb=rss_growth,
            latency_ms=latency,
            by_kind=by_kind,
            scoped_ms=scoped,
            autocomplete_ms=completions,
            exact_correct=hits / max(exact, 1),
            offtopic_abstain=abstained / max(offtopic, 1),
        ),
        matcher,
        questions,
    )


def _profiled(work: Callable[[], object], *, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    work()
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def profile(matcher: Matcher, questions: Sequence[Question], *, top: int = 20) -> str:
    """Return cProfile's view (by own time) of asking every question, of autocompleting their first
    few characters, and of building the index again."""
    newest = matcher.knowledge.lessons[-1].id

    def ask_all() -> None:
        for question in questions:
            matcher.ask(question.text, scope=Scope(prefer=newest))

    def complete_all() -> None:
        for question in questions[:150]:
            matcher.autocomplete(question.text[:4], lang="ko", scope=Scope(prefer=newest))

    sections = [
        ("ask, every question", ask_all),
        ("autocomplete, 150 prefixes", complete_all),
        ("index build", lambda: Matcher(matcher.knowledge)),
    ]
    return "\n".join(f"=== cProfile: {title}\n{_profiled(work, top=top)}" for title, work in sections)


def plot(results: Sequence[Measurement], path: Path) -> Path | None:
    """Write the latency-vs-entries PNG; return its path, or None without matplotlib."""
    p50 = tuple((float(m.entries), percentile(m.latency_ms, 0.5)) for m in results)
    p99 = tuple((float(m.entries), percentile(m.latency_ms, 0.99)) for m in results)
    return line_plot(
        [Series("p50", p50, "tab:blue"), Series("p99", p99, "tab:red")],
        path,
        title="lessonbot matcher: ask latency vs entries",
        x_label="entries (log scale)",
        y_label="ms",
        guides=[Guide(f"target p99 {TARGET_P99_MS:g} ms", TARGET_P99_MS)],
        log_x=True,
        annotate=True,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; with --check, exit 1 if p99 at the largest size misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", default="1,30,300", help="lessons per curriculum, comma separated")
    parser.add_argument("--questions", type=int, default=400, help="questions timed per size")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--profile", action="store_true", help="cProfile the questions at the largest size")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the PNG plot")
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 if p99 at the largest size is over {TARGET_P99_MS:g} ms"
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]

    print(f"python {platform.python_version()} on {platform.machine()} ({platform.system()}), seed {args.seed}")
    results: list[Measurement] = []
    last: tuple[Matcher, list[Question]] | None = None
    header = (
        f"{'lessons':>7} {'entries':>7} {'phrasings':>9} {'build s':>8} {'peak MB':>8} {'kept MB':>8} "
        f"{'RSS+ MB':>8} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} {'scoped p99':>10} {'autoc. p99':>10}"
    )
    print(header)
    for size in sorted(sizes):
        measurement, matcher, questions = measure(size, args.questions, seed=args.seed)
        results.append(measurement)
        last = (matcher, questions)
        m = measurement
        print(
            f"{m.lessons:>7} {m.entries:>7} {m.phrasings:>9} {m.build_s:>8.2f} {m.traced_peak_mb:>8.1f} "
            f"{m.retained_mb:>8.1f} {m.rss_growth_mb:>8.1f} {percentile(m.latency_ms, 0.5):>7.2f} "
            f"{percentile(m.latency_ms, 0.99):>7.2f} {max(m.latency_ms):>7.2f} "
            f"{percentile(m.scoped_ms, 0.99):>10.2f} {percentile(m.autocomplete_ms, 0.99):>10.2f}",
            flush=True,
        )
    print()
    print("per kind of question, p50 / p99 ms:")
    for m in results:
        kinds = ", ".join(
            f"{kind} {percentile(v, 0.5):.2f}/{percentile(v, 0.99):.2f}" for kind, v in sorted(m.by_kind.items())
        )
        print(f"  {m.lessons:>4} lessons: {kinds}")
    print("sanity (synthetic data, not a quality measure): exact phrasing → its entry; off-topic → no answer")
    for m in results:
        print(f"  {m.lessons:>4} lessons: exact {m.exact_correct:.0%}, off-topic abstained {m.offtopic_abstain:.0%}")
    written = plot(results, args.out)
    print(f"plot: {written}" if written else SKIPPED)
    biggest = results[-1]
    p99 = percentile(biggest.latency_ms, 0.99)
    verdict = "meets" if p99 <= TARGET_P99_MS else "MISSES"
    where = f"{biggest.lessons} lessons ({biggest.entries} entries)"
    print(f"p99 at {where}: {p99:.2f} ms — {verdict} the {TARGET_P99_MS:g} ms target")
    if args.profile and last is not None:
        print()
        print(profile(*last))
    return 1 if args.check and p99 > TARGET_P99_MS else 0


if __name__ == "__main__":
    raise SystemExit(main())
