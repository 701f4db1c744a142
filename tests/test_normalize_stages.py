"""Each normalisation stage alone, on a vocabulary of a few words: repair, segment, correct, expand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import lexicon
from bot.correct import Corrector, slipped_korean
from bot.expand import Expander
from bot.normalize import _KEYED_WORD, Normaliser
from bot.repair import Repair, clean_text, detect_language
from bot.segment import Segmenter, detach_particle, split_words
from bot.tuning import MatcherTuning
from bot.vocabulary import Vocabulary, build_vocabulary, fold

TUNING = MatcherTuning()
GLOSSARY = [
    ("컨테이너", "container", "도커"),
    ("가상머신", "가상 머신", "vm", "virtual machine"),
    ("자가치유", "self-healing", "self healing"),
]
CORPUS = [
    "컨테이너는 가볍다",
    "가상머신은 무겁다",
    "격리 수준",
    "오토스케일 설정",
    "자가치유가 뭐야",
    "kubernetes rollback",
    "컨트롤러",
]


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return build_vocabulary(GLOSSARY, CORPUS, compound_min_chars=TUNING.compound_min_chars)


# -- repair ----------------------------------------------------------------------------------------


def test_repair_undoes_keyboard_slips_both_ways_and_keeps_the_rest() -> None:
    repair = Repair(max_chars=100, cache_size=10)
    assert repair("zjsxpdlsj 격리") == "컨테이너 격리"  # Korean typed in English mode
    assert repair("ㅏㅕㅠㄷ굳ㅅㄷㄴ 왜") == "kubernetes 왜"  # English typed in Korean mode
    assert repair("what is a container") == "what is a container"


def test_repair_blanks_markup_and_urls_and_bounds_the_length() -> None:
    repair = Repair(max_chars=20, cache_size=10)
    assert repair("<@123> 컨테이너 https://x.y/z").split() == ["컨테이너"]
    assert len(repair("가" * 100)) == 20


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("```import os``` 격리", ["격리"]),
        ("```py\nprint(vm)\n``` 격리", ["격리"]),
        ("`os.path.join(a, b)` 격리", ["격리"]),
        ("`kubectl` 격리", ["kubectl", "격리"]),  # a single term in backticks is what is asked about
        ("[격리 수준](https://x.y/vm) 뭐야", ["격리", "수준", "뭐야"]),  # a link keeps its text
        ("[link](http://x.y) 격리", ["격리"]),  # ... unless it only says "link"
        ("<https://x.y/vm> 격리 www.x.y/vm", ["<", "격리"]),
        ("``` open fence 격리", ["```", "open", "fence", "격리"]),  # shown as typed, so read as typed
    ],
)
def test_code_and_urls_are_blanked_before_reading(text: str, kept: list[str]) -> None:
    assert clean_text(text, 200).split() == kept


def test_a_full_repair_cache_starts_afresh_with_the_same_answers() -> None:
    repair = Repair(max_chars=100, cache_size=2)
    first = [repair(word) for word in ("zjsxpdlsj", "rurfl", "tnwns", "zjsxpdlsj")]
    assert first == ["컨테이너", "격리", "수준", "컨테이너"]


def test_language_is_read_after_repair() -> None:
    assert detect_language("컨테이너 what") == "ko"
    assert detect_language("ㅋㅌㅇㄴ") == "ko"
    assert detect_language("what is a vm") == "en"


# -- segment ---------------------------------------------------------------------------------------


def test_words_after_a_latin_word_are_marked_attached(vocabulary: Vocabulary) -> None:
    words = split_words(fold("VM이랑 컨테이너", vocabulary.phrase_pattern))
    assert [(w.text, w.attached) for w in words] == [("vm", False), ("이랑", True), ("컨테이너", False)]
    assert detach_particle("이랑격리") == "격리"
    assert detach_particle("격리") == "격리"


def test_glossary_phrases_become_one_word(vocabulary: Vocabulary) -> None:
    assert [w.text for w in split_words(fold("Virtual Machine 이란", vocabulary.phrase_pattern))] == [
        "virtualmachine",
        "이란",
    ]


def test_run_together_korean_splits_into_lesson_words(vocabulary: Vocabulary) -> None:
    segmenter = Segmenter(vocabulary)
    assert segmenter.segment("가상머신이랑컨테이너는") == [("가상머신", True), ("컨테이너", True)]
    # Less than half of the word known: not a split, an unknown word.
    assert segmenter.segment("딸기수박참외") is None


def test_compounds_split_and_stray_spaces_join(vocabulary: Vocabulary) -> None:
    segmenter = Segmenter(vocabulary)
    assert segmenter.compound_parts("격리수준") == ["격리", "수준"]
    assert segmenter.compound_parts("컨테이너") is None  # a glossary term stays one word
    assert segmenter.join(["오토", "스", "케일", "설정"], 0) == ("오토스케일", 3)
    assert segmenter.join(["격리", "수준"], 0) is None  # already a lesson word


# -- correct ---------------------------------------------------------------------------------------


def test_typos_are_read_as_the_nearest_lesson_word(vocabulary: Vocabulary) -> None:
    corrector = Corrector(vocabulary, TUNING)
    assert corrector.korean("컨테이녀") == "컨테이너"
    assert corrector.latin("rollbak") == ("rollback", TUNING.latin_one_edit_confidence)
    assert corrector.latin("rolbakc") is None  # two edits: too far for a seven-letter word
    assert corrector.latin("cat") is None  # short words are never corrected


def test_correction_distance_follows_the_tuning(vocabulary: Vocabulary) -> None:
    strict = Corrector(vocabulary, MatcherTuning(typo_min_chars=20))
    assert strict.korean("컨테이녀") is None
    assert strict.latin("rollbak") is None


def test_two_latin_words_can_be_one_mistyped_compound(vocabulary: Vocabulary) -> None:
    corrector = Corrector(vocabulary, TUNING)
    assert corrector.compound("self", "healng") == "selfhealing"
    assert corrector.compound("rollback", "kubernetes") is None  # both lesson words already


def test_short_latin_slips_are_read_as_hangul() -> None:
    assert slipped_korean("rurfl") == "격리"
    assert slipped_korean("ab") is None
    assert slipped_korean("qqq") is None  # consonants only: no syllables


# -- expand ----------------------------------------------------------------------------------------


def test_choseong_expands_to_the_words_with_those_initials(vocabulary: Vocabulary) -> None:
    expander = Expander(vocabulary, TUNING)
    [slot] = expander.choseong("ㅋㅌㅇㄴ")
    assert slot.readings == (("컨테이너", TUNING.choseong_confidence),)
    # Run-together initials split into the longest known ones.
    assert [s.best for s in expander.choseong("ㅋㅌㅇㄴㄱㄹ")] == ["컨테이너", "격리"]
    assert expander.choseong("ㅋㅋㅋ") == []
    assert expander.choseong("ㅇㅋ") == []


def test_shared_initials_make_less_certain_readings(vocabulary: Vocabulary) -> None:
    expander = Expander(vocabulary, TUNING)
    [slot] = expander.choseong("ㅋㅌㄹㄹ")  # 컨트롤러 only
    assert len(slot.readings) == 1
    [shared] = Expander(build_vocabulary([], ["거리 고래 가루"], compound_min_chars=8), TUNING).choseong("ㄱㄹ")
    assert {word for word, _ in shared.readings} == {"거리", "고래", "가루"}
    assert all(confidence < TUNING.choseong_confidence for _, confidence in shared.readings)


# -- the stages together ---------------------------------------------------------------------------


def test_a_misspelt_inflected_word_is_corrected_whole_when_its_stem_is_too_short() -> None:
    # 쫒겨나 (for 쫓겨나) loses 나 as an ending; 쫒겨 alone is too far from 쫓겨나 to correct.
    vocab = build_vocabulary([], ["누가 먼저 쫓겨나나"], compound_min_chars=TUNING.compound_min_chars)
    normaliser = Normaliser(vocab, TUNING)
    (slot,) = normaliser.question_slots("쫒겨나?")
    assert slot.best == "쫓겨나"
    assert slot.known


def test_the_reader_runs_the_stages_in_order(vocabulary: Vocabulary) -> None:
    normaliser = Normaliser(vocabulary, TUNING)
    words = [slot.best for slot in normaliser.question_slots("zjsxpdlsj랑 가상머싱은 ㄱㄹ 수준이 뭐야?")]
    assert words == ["컨테이너", "가상머신", "격리", "수준"]


def test_a_knowledge_text_reads_its_words_as_a_question_does_but_is_never_corrected(vocabulary: Vocabulary) -> None:
    normaliser = Normaliser(vocabulary, TUNING)
    # A particle typed straight after a Latin word, a glossary phrase, a compound, 초성: alike on both sides.
    for text in ("VM이랑컨테이너", "vm 이랑컨테이너", "self healing이 격리수준은 ㅋㅌㅇㄴ", "가상 머신 the 설정해요"):
        question = tuple(dict.fromkeys(slot.best for slot in normaliser.question_slots(text)))
        assert normaliser.phrasing_tokens(text) == question
    assert normaliser.phrasing_tokens("VM이랑컨테이너") == ("가상머신", "컨테이너")
    # The lesson is the reference: a word it spells its own way stays as written.
    assert normaliser.phrasing_tokens("zjsxpdlsj 컨테이녀") == ("zjsxpdlsj", "컨테이녀")


def test_word_lists_keep_particles_and_fillers_apart() -> None:
    assert lexicon.strip_particles("컨테이너는") == "컨테이너"
    assert lexicon.strip_ending("설정해요", frozenset({"설정"})) == "설정"
    assert lexicon.strip_ending("설정해요", frozenset()) == "설정해요"
    assert lexicon.is_korean_filler("설명하나요")
    assert not lexicon.is_korean_filler("컨테이너")
    assert list(lexicon.english_variants("containers"))[:2] == ["containers", "container"]


def test_chat_noun_endings_read_as_the_predicate_the_lesson_uses() -> None:
    # "빨라짐?", "힘듦?", "가벼움?" end chat questions; the lesson and the paraphrase groups hold the stems.
    vocab = build_vocabulary(
        [["fast", "빨라", "빠른"], ["difficult", "힘들"], ["light", "가볍"]],
        ["배포가 빨라짐", "운영이 힘들다", "컨테이너는 가볍다"],
        compound_min_chars=TUNING.compound_min_chars,
    )
    normaliser = Normaliser(vocab, TUNING)
    for question, word in (("배포 빨라짐?", "fast"), ("관리 힘듦?", "difficult"), ("컨테이너 가벼움?", "light")):
        assert normaliser.question_slots(question)[-1].best == word
        assert word in normaliser.phrasing_tokens(question)
    assert list(lexicon.nominal_stems("빨라짐")) == ["빨라지", "빨라"]
    assert list(lexicon.nominal_stems("컨테이너")) == []


def test_chat_contractions_and_polite_tails_leave_only_the_topic(vocabulary: Vocabulary) -> None:
    normaliser = Normaliser(vocabulary, TUNING)

    def words(question: str) -> list[str]:
        return [slot.best for slot in normaliser.question_slots(question)]

    # A whole particle after a Latin word is no word of its own (not 에 + "서").
    assert words("kubernetes에서 격리 수준") == words("kubernetes 격리 수준")
    # 엔 is 에는 said fast; "…해 주실 수 있나요" and English contractions carry no topic.
    assert words("컨테이너엔 격리 수준?") == ["컨테이너", "격리", "수준"]
    assert words("격리 수준 설명해 주실 수 있나요") == ["격리", "수준"]
    assert words("why isn't the isolation level enough") == words("why the isolation level enough")


def test_an_ending_that_looks_like_a_particle_still_leaves_the_lesson_stem() -> None:
    # 정리하면: 면 is also a particle, and 정리하 is one edit from the lesson's 정리해; the word is
    # 정리 with an ending, read exactly (the summary term), not a typo guess.
    vocab = build_vocabulary(
        [["summary", "정리", "요약"]],
        ["수업 내용 정리해 드릴게요", "오늘의 요약"],
        compound_min_chars=TUNING.compound_min_chars,
    )
    [slot] = Normaliser(vocab, TUNING).question_slots("정리하면?")
    assert slot.readings == (("summary", 1.0),)


@given(st.text(alphabet="ab1Z 가나다ㄱㄴㅏㅓ-.!ß", max_size=24))
def test_the_question_reader_splits_words_as_split_words_does(text: str) -> None:
    # `Normaliser._slots` reads words with the keyed pattern the knowledge side uses (no `Word` per word):
    # the same words, attached to a Latin word before them exactly when `split_words` says so.
    folded = fold(text, None)
    keyed = [(after_latin or word, bool(after_latin)) for after_latin, word in _KEYED_WORD.findall(folded)]
    assert keyed == [(word.text, word.attached) for word in split_words(folded)]


def _loanword_reader(glossary: list[list[str]], corpus: list[str]) -> Normaliser:
    vocab = build_vocabulary(
        glossary,
        corpus,
        compound_min_chars=TUNING.compound_min_chars,
        loanword_min_sounds=TUNING.loanword_min_sounds,
    )
    return Normaliser(vocab, TUNING)


def test_a_loanword_spelt_with_other_vowels_or_clipped_reads_as_the_lessons_spelling() -> None:
    # 컨트롤룹 is as near 컨트롤러 (another term) by jamo edits as 컨트롤루프; its consonants are the loop's.
    normaliser = _loanword_reader(
        [["controlloop", "컨트롤루프", "control loop"], ["controller", "컨트롤러"], ["loadbalancer", "로드밸런서"]],
        ["컨트롤루프가 상태를 맞춘다", "컨트롤러가 돈다", "로드밸런서 서비스"],
    )
    assert [slot.best for slot in normaliser.question_slots("컨트롤룹이 뭐임")] == ["controlloop"]
    assert normaliser.question_slots("로드발란서 타입")[0].best == "loadbalancer"


def test_a_native_word_sharing_a_loanwords_consonants_is_not_read_as_it() -> None:
    # 자가치류 (a typo of 자가치유) has the consonants of 스캐줄러; its first syllable is no spelling of "s".
    normaliser = _loanword_reader(
        [["scheduler", "스캐줄러"], ["selfhealing", "자가치유"]], ["스캐줄러가 배치한다", "자가치유가 된다"]
    )
    assert normaliser.question_slots("자가치류가 뭔가요")[0].best == "selfhealing"


def test_a_latin_compound_written_as_its_loanwords_reads_as_the_compound() -> None:
    normaliser = _loanword_reader(
        [["cluster", "클러스터"], ["ip", "아이피"], ["service", "서비스"], ["loadbalancer", "로드밸런서"]],
        ["ClusterIP 서비스는 클러스터 안에서만", "파드 IP", "LoadBalancer Service"],
    )
    assert normaliser.question_slots("클러스터아이피로 접근")[0].best == "clusterip"
    assert normaliser.question_slots("클러스터IP로 접근")[0].best == "clusterip"
    # Spaced, the words keep their own readings: a LoadBalancer-type service is no one word.
    assert [slot.best for slot in normaliser.question_slots("로드밸런서 서비스")] == ["loadbalancer", "service"]


def test_a_lesson_word_and_a_stray_piece_after_it_join_into_the_longer_lesson_word() -> None:
    # 컨피그 맵 is ConfigMap typed in two parts: 컨피그 is a word of its own, 맵 is none.
    vocab = build_vocabulary(
        [["configmap", "컨피그맵"], ["configuration", "컨피그"], ["volume", "볼륨"]],
        ["컨피그맵에 설정을 담는다", "컨피그 파일", "볼륨 마운트"],
        compound_min_chars=TUNING.compound_min_chars,
    )
    normaliser = Normaliser(vocab, TUNING)
    assert [slot.best for slot in normaliser.question_slots("컨피그 맵이 뭐야")] == ["configmap"]
    # Two lesson words stay two: 컨피그 볼륨 is a volume holding configuration.
    assert [slot.best for slot in normaliser.question_slots("컨피그 볼륨")] == ["configuration", "volume"]


def test_an_auxiliary_verb_after_the_main_one_is_no_word_of_its_own() -> None:
    # "띄워놨는데" is 띄우 + 어 놓다 (done and left so), "지워버렸어" 지우 + 어 버리다: the question is
    # about the main verb; the auxiliary is an ending, and "해놨는데" / "늘리고 싶으면" (하다, 싶다) carry
    # no topic at all.
    vocab = build_vocabulary(
        [["delete", "지워", "삭제"], ["create", "만들"]],
        ["파드를 지워도 다시 만들고, 몇 개를 띄울지 정한다"],
        compound_min_chars=TUNING.compound_min_chars,
    )
    normaliser = Normaliser(vocab, TUNING)

    def words(question: str) -> list[tuple[str, bool]]:
        return [(slot.best, slot.known) for slot in normaliser.question_slots(question)]

    assert words("파드 지워버렸는데") == [("파드", True), ("delete", True)]
    assert words("파드 만들어놨어") == [("파드", True), ("create", True)]
    assert words("파드 3개로 해놨는데") == words("파드 3개로")
    assert words("파드 늘리고 싶으면") == words("파드 늘리고")
    assert [best for best, _ in words("파드 띄워놨는데")] == ["파드", "띄울"]
    assert lexicon.auxiliary_main("박아두면") == "박아"
    assert lexicon.auxiliary_main("설정해둬서") == "설정해"
    # A noun that happens to hold an auxiliary's syllable after an 아/어-like one is no such word.
    assert [lexicon.auxiliary_main(word) for word in ("서버", "서버리스", "아두이노", "하둡")] == [None] * 4
    assert [lexicon.infinitive_stem(form) for form in ("띄워", "늘려", "해", "적어", "파드")] == [
        "띄우",
        "늘리",
        "하",
        "적",
        None,
    ]


def test_a_typo_in_one_half_of_a_two_word_term_still_reads_the_term() -> None:
    # The lesson's two-word terms are one word on both sides: "롤링 업데잇" read word by word gives 롤링
    # (no lesson word alone) and a garbled 업데잇, matching nothing; read together it is the term.
    vocab = build_vocabulary(
        [["rollingupdate", "롤링 업데이트", "rolling update"], ["controlloop", "컨트롤 루프", "control loop"]],
        ["롤링 업데이트로 조금씩 교체한다", "컨트롤 루프가 원하는 상태를 맞춘다"],
        compound_min_chars=TUNING.compound_min_chars,
    )
    normaliser = Normaliser(vocab, TUNING)

    def words(question: str) -> list[str]:
        return [slot.best for slot in normaliser.question_slots(question)]

    assert words("롤링 업데잇이 뭐예요?") == ["rollingupdate"]
    assert words("컨트롤 룹이 뭐임") == ["controlloop"]
    assert words("롤링 업데이트가 뭐예요?") == ["rollingupdate"]
    # Two words that only start like the term stay two words.
    assert "rollingupdate" not in words("롤링 스톤즈 알아?")
