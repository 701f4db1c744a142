"""The paraphrase lexicon: learners' everyday words for a lesson's ideas, in both languages, for any lesson."""

from __future__ import annotations

from pathlib import Path

import pytest
from drafts import draft_matcher

from bot.glossary import builtin_paraphrase_path, load_paraphrases
from bot.index import IndexData
from bot.it_lexicon import Lexicon, _plain_groups, load_it_lexicon, merge_glossary
from bot.knowledge import load_lesson, parse_knowledge
from bot.lexicon import english_variants
from bot.matching import Answer, Matcher, Result
from bot.normalize import Normaliser
from bot.source import SourceError
from bot.tuning import MatcherTuning

DRAFT = load_lesson(Path(__file__).parent / "fixtures" / "paraphrase" / "day3-vm-drawbacks.yaml")
TUNING = MatcherTuning()


@pytest.fixture(scope="module")
def draft() -> Matcher:
    return Matcher(parse_knowledge([DRAFT]))


def answered(result: Result) -> str | None:
    return result.candidate.entry_id if isinstance(result, Answer) else None


def readings(index: IndexData, question: str) -> list[str]:
    return [slot.best for slot in Normaliser(index.vocabulary, TUNING).question_slots(question) if slot.known]


def test_the_packaged_file_loads_quickly_and_holds_many_groups() -> None:
    text = Path(builtin_paraphrase_path()).read_text(encoding="utf-8")
    assert _plain_groups(text) is not None  # the fast path, not the YAML parser
    assert len(load_paraphrases()) >= 140


def test_each_group_extends_at_most_one_it_lexicon_concept() -> None:
    # A paraphrase group touching two IT groups would merge two topics (ship/roll out: deploy vs rollout).
    it = load_it_lexicon()
    for group in load_paraphrases().groups():
        touched = {it.canonical(term) for term in group} - {None}
        assert len(touched) <= 1, (group[0], touched)


@pytest.mark.parametrize(
    ("question", "entry"),
    [
        ("what are the downsides of a VM", "vm-cons"),
        ("가상머신 약점이 뭐야", "vm-cons"),
        ("vm disadvantages?", "vm-cons"),
        ("how separated are VMs", "isolation"),
        ("가상머신은 얼마나 분리돼?", "isolation"),
        ("what do you ship", "deploy"),
    ],
)
def test_a_draft_without_glossary_answers_paraphrases_of_its_words(draft: Matcher, question: str, entry: str) -> None:
    assert answered(draft.ask(question)) == entry


def test_without_the_paraphrase_lexicon_those_words_stay_unknown() -> None:
    knowledge = parse_knowledge([DRAFT])
    lexicon = load_it_lexicon()
    bare = IndexData.build(knowledge, tuning=TUNING, lexicon=lexicon, paraphrases=Lexicon.from_groups(()))
    full = IndexData.build(knowledge, tuning=TUNING, lexicon=lexicon)
    assert "단점" not in readings(bare, "downsides")
    assert readings(full, "downsides") == readings(full, "단점")
    assert readings(full, "come up quicker") == readings(full, "부팅 빠르게")


def test_a_lesson_word_wins_a_typo_over_an_everyday_word(draft: Matcher) -> None:
    # "containr" is one edit from "contain" (written once, a paraphrase) and from the lesson's "container".
    slots = draft.normaliser.question_slots("containr")
    assert [slot.best for slot in slots] == [draft.normaliser.vocab.canon("container")]


def test_no_typo_is_read_as_a_paraphrase_the_lessons_never_write(draft: Matcher) -> None:
    # "shortcomings" is a paraphrase of 단점; "shortcominks" must not become it by a guess.
    assert [slot.known for slot in draft.normaliser.question_slots("shortcomings")] == [True]
    assert [slot.known for slot in draft.normaliser.question_slots("shortcominks")] == [False]


def test_a_lexicon_group_spanning_two_lesson_groups_takes_no_term_from_the_second() -> None:
    lexicon = Lexicon.from_groups([("start", "boot", "launch", "come up")])
    merged = merge_glossary(lexicon, [("부팅", "boot"), ("기동", "launch")])
    assert merged[0] == ("부팅", "boot", "start", "come up")
    assert merged[1] == ("기동", "launch")


def test_a_paraphrase_file_with_a_term_in_two_groups_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "paraphrase.yaml"
    path.write_text("format: 1\ngroups:\n  - [drawback, 단점]\n  - [weakness, 단점]\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"paraphrase.yaml:4: term '단점' is already in the group on line 3"):
        load_paraphrases(path)


@pytest.mark.parametrize(
    ("inflected", "base"),
    [("shipped", "ship"), ("running", "run"), ("biggest", "big"), ("easier", "easy"), ("quickly", "quick")],
)
def test_english_inflections_reach_their_base_word(inflected: str, base: str) -> None:
    assert base in english_variants(inflected)


def test_a_course_frame_adds_no_unknown_word(draft: Matcher) -> None:
    # "in this course's terms" frames the question; it is not a topic the lesson lacks.
    assert [slot.known for slot in draft.normaliser.question_slots("downsides in this course's terms")] == [True]


def test_a_comparison_row_the_question_does_not_name_yields_to_the_one_it_names() -> None:
    # Rows of one table share their cells' words; the aspect a question names (its label, or a word
    # only that row's phrasings use: 들여오다 for "setup time") decides between them.
    lesson = load_lesson(Path(__file__).parent / "fixtures" / "aspect" / "compare-rows.yaml")
    plain = Matcher(parse_knowledge([lesson]), tuning=MatcherTuning(unnamed_aspect_penalty=0.0))
    matcher = Matcher(parse_knowledge([lesson]))

    def scores(m: Matcher, question: str) -> dict[str, float]:
        return {c.entry_id: c.score for c in m.rank(m.normaliser.question_slots(question))}

    for question, named, unnamed in (
        ("물리 서버 비용", "cmp.cost", "cmp.setup"),
        ("물리 서버 들여오는 거 느려?", "cmp.setup", "cmp.cost"),
        ("how long is bare metal setup", "cmp.setup", "cmp.cost"),
    ):
        before, after = scores(plain, question), scores(matcher, question)
        assert after[named] == before[named]
        assert after[unnamed] < before[unnamed]
        assert after[named] > after[unnamed]


def test_everyday_english_verbs_reach_a_drafts_korean_for_checking_and_calling(tmp_path: Path) -> None:
    # A draft's English is thin: "check" and "call" are how a learner says the lesson's 검사 and 호출.
    matcher = draft_matcher(
        tmp_path,
        "day30-ops",
        "## 30일차 – 운영\n\n**날짜: 9월 1일**\n\n# **30. 상태 검사와 서비스 호출**\n\n"
        "## 1️⃣ 상태 검사란?\n\n에이전트가 주기적으로 앱의 상태를 검사합니다.\n\n"
        "* 실패가 세 번 이어지면 앱을 다시 시작함\n\n"
        "## 2️⃣ 서비스 호출\n\n다른 팀의 서비스는 게이트웨이 주소로 호출합니다.\n\n"
        "* 주소 뒤에 팀 이름을 붙임\n",
    )
    for question, entry in (
        ("why check the state", "s1"),
        ("how do I call another team's service?", "s2"),
    ):
        result = matcher.ask(question)
        assert isinstance(result, Answer), question
        assert result.candidate.entry_id == entry, question
