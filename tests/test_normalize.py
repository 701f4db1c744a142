"""Normalisation: the same canonical words, however a learner spells, spaces or types them."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.matching import Matcher
from bot.normalize import Normaliser, clean_text, compact, detect_language, strip_particles

LESSON = Path(__file__).parent / "fixtures" / "matcher" / "containers.yaml"


@pytest.fixture(scope="module")
def normaliser() -> Normaliser:
    return Matcher(load_knowledge(LESSON)).normaliser


def words(normaliser: Normaliser, text: str) -> list[str]:
    return [slot.best for slot in normaliser.question_slots(text) if slot.known]


@pytest.mark.parametrize(
    ("left", "right"),
    [
        # glossary across languages and loanwords
        ("container", "컨테이너"),
        ("콘테이너", "도커"),
        ("k8s", "쿠버네티스"),
        ("케이팔에스", "kubernetes"),
        ("virtual machine", "가상머신"),
        ("버추얼 머신", "VM"),
        # spacing and particles
        ("가상 머신은", "가상머신이"),
        ("하이퍼바이저은", "하이퍼바이저"),
        ("격리가", "isolation"),
        # typos, both scripts
        ("컨테이녀", "컨테이너"),
        ("하이퍼바이져", "hypervisor"),
        ("kubernets", "쿠버네티스"),
        ("contaner", "container"),
        ("self healng", "self-healing"),
        # keyboard slips, both directions
        ("zjsxpdlsj", "컨테이너"),
        ("ㅏㅕㅠㄷ굳ㅅㄷㄴ", "kubernetes"),
    ],
)
def test_variants_meet_as_the_same_words(normaliser: Normaliser, left: str, right: str) -> None:
    assert words(normaliser, left) == words(normaliser, right) != []


@pytest.mark.parametrize(("typed", "meant"), [("whyy", "why"), ("versis", "versus")])
def test_mistyped_question_word_keeps_the_meaning_the_glossary_gives_it(
    normaliser: Normaliser, typed: str, meant: str
) -> None:
    # "why" is a stop word the paraphrase glossary reads (why → reason): a typo of it still asks why,
    # while a typo of a plain stop word ("waht") is dropped like the word.
    assert words(normaliser, f"container {typed}") == words(normaliser, f"container {meant}")
    assert len(words(normaliser, f"container {meant}")) == 2
    assert words(normaliser, "waht container") == words(normaliser, "container")


def test_long_typo_of_an_everyday_paraphrase_word_is_read_as_it(normaliser: Normaliser) -> None:
    # "necessary" and "advantage" are paraphrase words no lesson writes: a long typo of them is still
    # read as them, while a shorter real word one letter from such a word (manager / managed) stays as typed.
    for typed, meant in (("neccesary", "necessary"), ("advantge", "advantage")):
        assert words(normaliser, f"container {typed}") == words(normaliser, f"container {meant}")
        assert len(words(normaliser, f"container {meant}")) == 2
    assert words(normaliser, "container manager") == words(normaliser, "container")


def test_run_together_korean_is_segmented(normaliser: Normaliser) -> None:
    spaced = words(normaliser, "가상머신이랑 컨테이너는 뭐가 달라요")
    assert words(normaliser, "가상머신이랑컨테이너는뭐가달라요") == spaced
    assert {"가상머신", "컨테이너"} <= set(spaced)


def test_choseong_expands_to_lesson_words(normaliser: Normaliser) -> None:
    slots = normaliser.question_slots("ㅋㅌㅇㄴ ㄱㄹ")
    readings = [{token for token, _ in slot.readings} for slot in slots]
    assert readings[0] == {"컨테이너"}
    assert "격리" in readings[1]


@pytest.mark.parametrize("filler", ["뭐야", "알려주세요", "please explain", "ㅋㅋㅋ", "ㅁㅇ", "the"])
def test_fillers_carry_no_topic(normaliser: Normaliser, filler: str) -> None:
    assert normaliser.question_slots(filler) == ()


@pytest.mark.parametrize(
    ("word", "stem"),
    [
        ("컨테이너는", "컨테이너"),
        ("쿠버네티스에서", "쿠버네티스"),
        ("속도", "속도"),
        ("서버", "서버"),
        ("격리가", "격리"),
    ],
)
def test_particles_come_off_but_noun_endings_stay(word: str, stem: str) -> None:
    assert strip_particles(word) == stem


def test_clean_text_blanks_controls_mentions_and_bounds_length() -> None:
    assert clean_text("a\x00b\x1b[0m @everyone <@123> c", 1200).split() == ["a", "b", "[0m", "c"]
    assert len(clean_text("가" * 10_000, 1200)) == 1200
    assert compact("Scale-Out ") == "scaleout"
    assert detect_language("zjsxpdlsj") == "en"  # detection runs after repair, never on raw slips
