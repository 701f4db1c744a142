"""A growing curriculum: the IT lexicon and loanwords for drafts, topics one lesson leaves out, and
questions that name a lesson. Fixture lessons: tests/fixtures/curriculum (day 1 leaves pods and
Helm out; day 2 is a draft about pods with no glossary)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.index import Candidate
from bot.it_lexicon import Lexicon
from bot.knowledge import Knowledge, Lang, load_lesson, parse_knowledge
from bot.matching import Answer, Matcher, NoMatch, Result, Suggestions, _Reading
from bot.scope import Scope
from bot.tuning import MatcherTuning
from bot.vocabulary import build_vocabulary

FIXTURES = Path(__file__).parent / "fixtures" / "curriculum"
DAY1 = load_lesson(FIXTURES / "day1-containers.yaml")
DAY2 = load_lesson(FIXTURES / "day2-pods.yaml")
NO_LEXICON = Lexicon.from_groups(())


def knowledge(*lessons: str) -> Knowledge:
    return parse_knowledge([{"day1": DAY1, "day2": DAY2}[name] for name in lessons])


@pytest.fixture(scope="module")
def both() -> Matcher:
    return Matcher(knowledge("day1", "day2"))


def readings(matcher: Matcher, question: str) -> set[str]:
    return {token for slot in matcher.normaliser.question_slots(question) for token, _ in slot.readings}


def answered(result: Result) -> str | None:
    return result.candidate.qualified_id if isinstance(result, Answer) else None


def test_a_draft_without_glossary_understands_other_spellings_of_its_terms() -> None:
    # The draft writes 파드 and 레플리카 only; the built-in lexicon knows 포드, pod, 리플리카, replica.
    draft = Matcher(knowledge("day2"))
    bare = Matcher(knowledge("day2"), lexicon=NO_LEXICON)
    assert answered(draft.ask("pod가 뭐야")) == "day2-pods/pod"
    assert answered(bare.ask("pod가 뭐야")) is None
    assert answered(draft.ask("replica 개수 정하기")) == "day2-pods/replica"


def test_lexicon_groups_no_lesson_uses_stay_unknown_words(both: Matcher) -> None:
    # Kafka is in the lexicon but in no lesson: it must stay an unknown word (it lowers confidence).
    assert "kafka" not in both.normaliser.vocab.words
    assert "pod" in both.normaliser.vocab.words


def test_a_hangul_spelling_of_a_latin_term_is_linked_by_its_sounds() -> None:
    # The draft only says "Dockerfile"; 도커파일 reaches it without lexicon or glossary.
    bare = Matcher(knowledge("day2"), lexicon=NO_LEXICON)
    result = bare.ask("도커파일 순서")
    assert answered(result) == "day2-pods/build"
    # Without the link only "순서" is understood: the entry still ranks first, but no longer as a
    # clear winner by the hand-set rule (the decision model may still take the chance).
    hand_set = MatcherTuning(loanword_min_sounds=0, decision_model=None)
    unlinked = Matcher(knowledge("day2"), lexicon=NO_LEXICON, tuning=hand_set)
    assert unlinked.ask("도커파일 순서").status != "answer"
    assert "dockerfile" not in readings(unlinked, "도커파일")
    assert "dockerfile" in readings(bare, "도커파일")


def test_native_words_are_not_read_as_loanwords() -> None:
    # 가벼운가 has the consonants of "copying" (K-P-N-K) but not the shape of a loanword of it.
    vocab = build_vocabulary((), ["copying the Dockerfile"], compound_min_chars=8, loanword_min_sounds=4)
    assert vocab.loanword_of_hangul("도커파일") == "dockerfile"
    assert vocab.loanword_of_hangul("가벼운가") is None


def test_a_topic_one_lesson_leaves_out_is_answered_by_the_lesson_that_covers_it(both: Matcher) -> None:
    alone = Matcher(knowledge("day1"))
    # 포드 is no term of day 1's list, but the lexicon's spelling of pod: still not covered.
    variant = alone.ask("포드가 뭐야")
    assert isinstance(variant, NoMatch)
    assert variant.reason == "out_of_scope"
    result = alone.ask("파드가 뭐야")
    assert isinstance(result, NoMatch)
    assert result.reason == "out_of_scope"
    assert answered(both.ask("파드가 뭐야")) == "day2-pods/pod"
    # Also when day 1 is the lesson of the day: its "not covered" does not hide day 2's entry.
    assert answered(both.ask("파드가 뭐야", scope=Scope(None, "day1-containers"))) == "day2-pods/pod"


def test_a_topic_no_loaded_lesson_covers_stays_not_covered(both: Matcher) -> None:
    result = both.ask("헬름 차트 쓰는 법")
    assert isinstance(result, NoMatch)
    assert result.reason == "out_of_scope"
    # A channel kept to day 1 does not borrow day 2's pods.
    scoped = both.ask("파드가 뭐야", scope=Scope(frozenset({"day1-containers"}), "day1-containers"))
    assert isinstance(scoped, NoMatch)
    assert scoped.reason == "out_of_scope"


def test_every_lesson_has_a_summary_so_a_bare_request_is_a_tie(both: Matcher) -> None:
    assert both.ask("요약해줘").status == "suggest"


@pytest.mark.parametrize(
    ("question", "scope", "expected"),
    [
        ("2일차 요약해줘", Scope(), "day2-pods/summary"),
        ("day 1 summary please", Scope(), "day1-containers/summary"),
        ("어제 수업 요약해줘", Scope(None, "day2-pods", yesterday="day1-containers"), "day1-containers/summary"),
        ("지난 시간 요약해줘", Scope(None, "day2-pods"), "day1-containers/summary"),
        ("오늘 수업 요약해줘", Scope(None, "day1-containers"), "day1-containers/summary"),
    ],
)
def test_a_question_naming_a_lesson_is_answered_from_it(
    both: Matcher, question: str, scope: Scope, expected: str
) -> None:
    assert answered(both.ask(question, scope=scope)) == expected


@pytest.mark.parametrize(
    ("question", "scope"),
    [
        ("9일차 요약해줘", Scope()),
        ("day 9 summary please", Scope()),
        ("다음 수업 요약해줘", Scope(None, "day2-pods")),  # day 2 is the newest: there is no next one
        ("tomorrow's lesson summary", Scope(None, "day2-pods")),
    ],
)
def test_a_question_naming_a_lesson_not_loaded_is_not_answered_from_another(
    both: Matcher, question: str, scope: Scope
) -> None:
    # Either summary would be about the wrong day.
    result = both.ask(question, scope=scope)
    assert isinstance(result, NoMatch)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("오늘 수업 요약해줘", "day2-pods/summary"),
        ("오늘 핵심 요약", "day2-pods/summary"),
        ("today's recap please", "day2-pods/summary"),
    ],
)
def test_with_no_lesson_of_the_day_today_is_the_newest_lesson(both: Matcher, question: str, expected: str) -> None:
    # No schedule: the newest lesson loaded is the lesson of the day (as `curriculum.lesson_on` has it),
    # so a summary asked for "today" is its summary, not a choice of every lesson's.
    assert answered(both.ask(question)) == expected


def test_with_no_lesson_of_the_day_today_does_not_hide_another_lessons_topic(both: Matcher) -> None:
    # "오늘" only decides between entries every lesson has alike: a question about day 1's topic is day 1's
    # (answered or offered first: these fixture lessons are too thin for the decision model to be sure).
    asked = both.ask("오늘 배운 컨테이너 요약해줘")
    assert not isinstance(asked, NoMatch)
    first = asked.candidate if isinstance(asked, Answer) else asked.candidates[0]
    assert first.qualified_id == "day1-containers/summary"
    assert answered(both.ask("오늘 배운 이미지가 뭐였지", scope=Scope())) == answered(
        Matcher(knowledge("day1")).ask("오늘 배운 이미지가 뭐였지")
    )


def test_the_lesson_of_the_day_wins_between_entries_of_the_same_role(both: Matcher) -> None:
    assert answered(both.ask("요약해줘", scope=Scope(None, "day1-containers"))) == "day1-containers/summary"
    assert answered(both.ask("요약해줘", scope=Scope(None, "day2-pods"))) == "day2-pods/summary"


# -- Loading another lesson changes nothing inside this one ------------------------------------------
# Day 3 (networking, hand-written) says 트래픽, 규칙 and 도메인 once or twice; day 4 (an Ingress draft)
# says them in nearly every entry, and shares day 3's load-balancing topic.
DAY3 = load_lesson(FIXTURES / "day3-network.yaml")
DAY4 = load_lesson(FIXTURES / "day4-ingress.yaml")


def shown(result: Result) -> tuple[str, str | None, float | None]:
    """What `ask --json` shows of a result: status, the entry, its score."""
    if isinstance(result, Answer):
        return result.status, result.candidate.qualified_id, result.candidate.score
    if isinstance(result, NoMatch):
        return result.status, None, None
    return result.status, result.candidates[0].qualified_id, result.candidates[0].score


@pytest.fixture(scope="module")
def network_alone() -> Matcher:
    return Matcher(parse_knowledge([DAY3]))


@pytest.fixture(scope="module")
def network_and_ingress() -> Matcher:
    return Matcher(parse_knowledge([DAY3, DAY4]))


@pytest.mark.parametrize(
    "question",
    [
        "방화벽 규칙은 누가 정해",
        "트래픽 막는 방화벽",
        "방화벽이 트래픽을 막는 기준",
        "도메인 이름 주소",
        "도메인 주소 바꾸는 법",
        "DNS가 도메인을 바꾸는 이유",
        "로드밸런서 트래픽 분산",
    ],
)
def test_a_second_lesson_does_not_move_the_first_lessons_answers(
    network_alone: Matcher, network_and_ingress: Matcher, question: str
) -> None:
    # Day 4 makes 트래픽, 규칙 and 도메인 common words; inside day 3 they stay as telling as they are
    # there, so day 3's answer, and the score it shows, is the one it gives loaded alone.
    alone = shown(network_alone.ask(question))
    assert alone[0] == "answer"
    assert alone[1] is not None
    assert alone[1].startswith("day3-network/")
    assert shown(network_and_ingress.ask(question)) == alone


def test_a_word_only_the_other_lesson_uses_does_not_drown_a_first_lesson_answer(
    network_alone: Matcher, network_and_ingress: Matcher
) -> None:
    # "나누는" is day 4's word (its answers say 나눕니다), not day 3's: to day 3 it stays a word it does
    # not know, as when loaded alone, and its load balancer is still the answer.
    question = "트래픽 나누는 서버"
    assert answered(network_alone.ask(question)) == "day3-network/load-balancer"
    assert answered(network_and_ingress.ask(question)) == "day3-network/load-balancer"


def test_a_topic_both_lessons_teach_is_a_choice_unless_one_is_the_lesson_of_the_day(
    network_and_ingress: Matcher,
) -> None:
    # Load balancing is in both lessons, asked the same way: no lesson of the day, no guess.
    result = network_and_ingress.ask("트래픽 분산")
    assert isinstance(result, Suggestions)
    offered = {c.qualified_id for c in result.candidates}
    assert {"day3-network/load-balancer", "day4-ingress/balancing"} <= offered
    # With a lesson of the day, its own entry is the answer.
    assert answered(network_and_ingress.ask("트래픽 분산", scope=Scope(None, "day3-network"))) == (
        "day3-network/load-balancer"
    )
    assert answered(network_and_ingress.ask("트래픽 분산", scope=Scope(None, "day4-ingress"))) == (
        "day4-ingress/balancing"
    )


# -- The lesson of the day reads a question with its own words ---------------------------------------
# Day 5 (hand-written) calls a rollback 되돌리기; day 6 (a draft) writes 되돌림 as a word of its own.
DAY5 = load_lesson(FIXTURES / "day5-release.yaml")
DAY6 = load_lesson(FIXTURES / "day6-history.yaml")


def test_the_lesson_of_the_day_answers_as_it_does_loaded_alone() -> None:
    # Alone, day 5 reads the unknown 되돌림 as its 되돌리(기); beside day 6, 되돌림 is a known word (day
    # 6's) and day 5 would see only 배포. In day 5's class the answer is the one day 5 gives alone.
    question = "배포 되돌림 어떻게 해"
    alone = shown(Matcher(parse_knowledge([DAY5])).ask(question))
    assert alone[:2] == ("answer", "day5-release/rollback")
    both = Matcher(parse_knowledge([DAY5, DAY6]))
    assert shown(both.ask(question, scope=Scope(None, "day5-release"))) == alone


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("컨테이너 수업 요약해줘", "day1-containers/summary"),
        ("레플리카 수업 핵심 정리", "day2-pods/summary"),
    ],
)
def test_a_summary_request_naming_one_lessons_topic_is_about_that_lesson(
    both: Matcher, question: str, expected: str
) -> None:
    # Without a lesson of the day the summaries tie ("요약해줘" is a choice); a word of one lesson's
    # title says which lesson is meant.
    assert answered(both.ask(question)) == expected


def test_the_lesson_of_the_day_does_not_take_another_lessons_topic(both: Matcher) -> None:
    # In day 1's class, a question about replicas (day 2's topic, words day 1 does not know) is day 2's.
    assert answered(both.ask("레플리카 개수 정하기", scope=Scope(None, "day1-containers"))) == "day2-pods/replica"


@pytest.mark.parametrize(
    "question",
    [
        "컨테이너 수업 요약해줘",  # a word of day 1's title
        "VM 요약해줘",  # an IT concept day 1 names and day 2 never does
    ],
)
def test_in_another_lessons_class_a_summary_request_naming_a_lesson_is_about_that_lesson(
    both: Matcher, question: str
) -> None:
    # Day 2 is the lesson of the day, so a bare "요약해줘" is day 2's summary; a request naming day 1's
    # topic is still day 1's, as it is with no lesson of the day.
    assert answered(both.ask("요약해줘", scope=Scope(None, "day2-pods"))) == "day2-pods/summary"
    assert answered(both.ask(question, scope=Scope(None, "day2-pods"))) == "day1-containers/summary"


def test_a_sure_lesson_of_the_day_does_not_take_a_question_another_lesson_clearly_leads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A draft alone is often sure of a section that only mentions a word of the question (day 18's
    # section on labels for "컨테이너 안에 뭐가 들어가"). Here day 2 alone is made certain of its pod
    # entry; day 1's definition of a container still leads the shared ranking by far, so it answers.
    matcher = Matcher(knowledge("day1", "day2"))
    question = "컨테이너가 뭐야"
    real = matcher._alone_decided

    def overconfident_day2(
        lesson_id: str, asked: str, *, lang: Lang | None, answer_threshold: float | None
    ) -> tuple[Result, _Reading]:
        result, reading = real(lesson_id, asked, lang=lang, answer_threshold=answer_threshold)
        if lesson_id != "day2-pods":
            return result, reading
        pod = Candidate("day2-pods", "pod", 0.9, DAY2.entry("pod").title, 1.0)
        return Answer(pod, "ko"), _Reading(1.0, 0.0, (pod,))

    monkeypatch.setattr(matcher, "_alone_decided", overconfident_day2)
    assert answered(matcher.ask(question, scope=Scope(None, "day2-pods"))) == "day1-containers/container"


@pytest.mark.parametrize("scope", [Scope(), Scope(None, "day2-pods")])
def test_a_summary_request_writing_a_lessons_date_is_about_that_lesson(both: Matcher, scope: Scope) -> None:
    # Day 1 was held on 1월 1일: its date names it, with or without another lesson of the day.
    assert answered(both.ask("1월 1일 수업 요약해줘", scope=scope)) == "day1-containers/summary"
    assert answered(both.ask("1월1일 수업 요약", scope=scope)) == "day1-containers/summary"
