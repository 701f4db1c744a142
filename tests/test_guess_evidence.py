"""Guesses that would turn an unknown word into a lesson word on weak evidence are not made: an
off-lesson question must stay unknown words, not be read as a lesson topic."""

from __future__ import annotations

from bot.correct import Corrector
from bot.normalize import Normaliser
from bot.repair import Repair
from bot.tuning import MatcherTuning
from bot.vocabulary import build_vocabulary


def test_a_hangul_word_is_not_read_as_an_everyday_english_word_by_its_sounds() -> None:
    # "links" is plain English from the paraphrase lexicon; 리눅스 shares its consonants (L-N-K-S) but
    # learners write technical terms in Hangul, not everyday words: a Linux question is no "links" one.
    vocab = build_vocabulary(
        (),
        ["the links between the Dockerfile steps"],
        compound_min_chars=8,
        loanword_min_sounds=4,
        exact_only=["links"],
    )
    assert vocab.loanword_of_hangul("리눅스") is None
    # A technical term of the lesson is still linked by its sounds.
    assert vocab.loanword_of_hangul("도커파일") == "dockerfile"


def _corrector(*texts: str) -> Corrector:
    return Corrector(build_vocabulary((), texts, compound_min_chars=8), MatcherTuning())


def test_a_short_word_one_far_key_off_a_lesson_word_is_another_word_not_a_typo() -> None:
    corrector = _corrector("the same environment everywhere", "a node runs pods")
    # "game" is not "same" mistyped (g and s are far apart): an off-lesson question stays off-lesson.
    assert corrector.latin("game") is None
    assert corrector.latin("code") is None
    # Slips a finger makes are still corrected: a neighbouring key, a swap, a letter left out.
    assert corrector.latin("sane") == ("same", MatcherTuning().latin_one_edit_confidence)
    assert corrector.latin("nide") is not None
    assert corrector.latin("smae") is not None
    assert corrector.latin("nde") is None  # under the typo length: left alone as before
    assert corrector.latin("nodw") is not None
    # Another first letter is another word, even from a neighbouring key (b / n); a swap of the first two is a slip.
    assert corrector.latin("bode") is None
    assert corrector.latin("onde") is not None


def test_long_words_keep_every_one_letter_correction() -> None:
    corrector = _corrector("every container shares the kernel")
    assert corrector.latin("containar") is not None


def test_a_latin_word_the_lessons_write_is_not_repaired_as_a_keyboard_slip() -> None:
    # "env" spells 둪 in Korean keys and has a pair English words rarely end with, but a lesson that
    # writes env means the learner typed it on purpose: the question stays English, env stays env.
    repair = Repair(max_chars=500, cache_size=100, known=frozenset({"env", "configmap"}))
    assert repair("my env vars didn't change, (env)?") == "my env vars didn't change, (env)?"
    # Korean typed in English mode is still repaired.
    assert repair("zjsxpdlsj anj") == "컨테이너 뭐"


def test_the_question_keeps_a_lesson_latin_word_that_looks_like_a_slip() -> None:
    normaliser = Normaliser(
        build_vocabulary((), ["how to use env", "env 사용법"], compound_min_chars=8), MatcherTuning()
    )
    slots = normaliser.question_slots("env vars?")
    assert slots[0].readings[0][0] == "env"
    assert slots[0].known


def test_a_short_korean_word_with_another_first_consonant_is_another_word() -> None:
    corrector = _corrector("역할을 따로 나눕니다", "수업 요약")
    # 바로 ("right away") is one jamo from 따로 ("separately"), but not a mistyped 따로.
    assert corrector.korean("바로") is None
    # A vowel slip in a short word is still corrected, and longer words as before.
    assert corrector.korean("수엽") == "수업"
    assert corrector.korean("따러") == "따로"
