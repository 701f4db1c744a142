"""Tests for bot.hangul: jamo tables, the 2-beolsik IME automaton and the keyboard-slip heuristics."""

from __future__ import annotations

import itertools
import string
import unicodedata

import pytest

from bot.hangul import (
    choseong,
    compose,
    decompose,
    hangul_to_qwerty,
    is_choseong_only,
    looks_like_slipped_korean,
    qwerty_to_hangul,
    repair_korean_mode_english,
    repair_slipped_words,
)

SYLLABLES = [chr(code) for code in range(0xAC00, 0xD7A4)]
PER_CHOSEONG = 21 * 28
CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
JONGSEONG = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")


def block(initial: int) -> list[str]:
    """The 588 syllables that share the initial consonant at index initial."""
    return SYLLABLES[initial * PER_CHOSEONG : (initial + 1) * PER_CHOSEONG]


def words(spaced: str) -> list[str]:
    """The whitespace-separated words of spaced, so word tables read like prose."""
    return spaced.split()


def jamo_name(char: str) -> str:
    """A jamo's Unicode name without its kind, so 'HANGUL LETTER A' and 'HANGUL JUNGSEONG A' agree."""
    return unicodedata.name(char).split(" ", 2)[2]


# --- decompose / compose --------------------------------------------------------------------------


def test_there_are_11172_syllables() -> None:
    assert len(SYLLABLES) == 11172 == 19 * PER_CHOSEONG


@pytest.mark.parametrize("initial", range(19), ids=list(CHOSEONG))
def test_decompose_compose_round_trip_all_syllables(initial: int) -> None:
    bad = [s for s in block(initial) if compose(*decompose(s)) != s]
    assert bad == []


@pytest.mark.parametrize("initial", range(19), ids=list(CHOSEONG))
def test_decompose_agrees_with_unicode_nfd(initial: int) -> None:
    # NFD splits a syllable into conjoining jamo; their names must match our compatibility jamo.
    for syllable in block(initial):
        expected = [jamo_name(j) for j in unicodedata.normalize("NFD", syllable)]
        got = [jamo_name(j) for j in decompose(syllable) if j]
        assert got == expected, syllable
        assert all(0x3131 <= ord(j) <= 0x318E for j in decompose(syllable) if j)


@pytest.mark.parametrize(
    ("syllable", "parts"),
    [
        ("가", ("ㄱ", "ㅏ", "")),
        ("값", ("ㄱ", "ㅏ", "ㅄ")),
        ("뷁", ("ㅂ", "ㅞ", "ㄺ")),
        ("깎", ("ㄲ", "ㅏ", "ㄲ")),
        ("힣", ("ㅎ", "ㅣ", "ㅎ")),
        ("컨", ("ㅋ", "ㅓ", "ㄴ")),
    ],
)
def test_decompose_examples(syllable: str, parts: tuple[str, str, str]) -> None:
    assert decompose(syllable) == parts
    assert compose(*parts) == syllable


@pytest.mark.parametrize("text", ["", "a", "ㄱ", "ㅏ", "가나", "ᄀ", "\ud7a4", "豈"])
def test_decompose_rejects_non_syllables(text: str) -> None:
    with pytest.raises(ValueError, match="not a precomposed Hangul syllable"):
        decompose(text)


@pytest.mark.parametrize(
    "jamo",
    [
        ("ㄱ", "ㅏ", "ㄸ"),
        ("ㄳ", "ㅏ", ""),
        ("ㄱ", "ㄱ", ""),
        ("ㅏ", "ㅏ", ""),
        ("g", "ㅏ", ""),
        ("", "ㅏ", ""),
    ],
)
def test_compose_rejects_impossible_jamo(jamo: tuple[str, str, str]) -> None:
    with pytest.raises(ValueError, match="no Hangul syllable"):
        compose(*jamo)


def test_compose_default_has_no_final() -> None:
    assert compose("ㅋ", "ㅓ") == "커"


# --- choseong / is_choseong_only ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("컨테이너", "ㅋㅌㅇㄴ"),
        ("쿠버네티스 VM!", "ㅋㅂㄴㅌㅅ VM!"),
        ("까치 값", "ㄲㅊ ㄱ"),
        ("ㅋㅋ 좋아", "ㅋㅋ ㅈㅇ"),
        ("docker", "docker"),
        ("", ""),
    ],
)
def test_choseong(text: str, expected: str) -> None:
    assert choseong(text) == expected


@pytest.mark.parametrize("initial", range(19), ids=list(CHOSEONG))
def test_choseong_of_every_syllable(initial: int) -> None:
    assert choseong("".join(block(initial))) == CHOSEONG[initial] * PER_CHOSEONG


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ㅋㅌㅇㄴ ㅈㅈ", True),
        ("ㅋㅌㅇㄴ", True),
        ("ㄲㄸㅃㅆㅉ", True),
        (" ㄱㄴ, ㄷ! ", True),
        ("ㅋㅌㅇㄴ?", True),
        ("「ㄱㄴ」…", True),
        ("ㄳ", True),
        ("ㅋㅋ컨테이너", False),
        ("컨테이너", False),
        ("ㅋㅌㅇㄴ ㅏ", False),
        ("ㅋㅌㅇㄴ1", False),
        ("ㄱa", False),
        ("abc", False),
        ("", False),
        ("   ", False),
        ("?!", False),
    ],
)
def test_is_choseong_only(text: str, expected: bool) -> None:
    assert is_choseong_only(text) is expected


# --- qwerty_to_hangul / hangul_to_qwerty -----------------------------------------------------------


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ("dkssud", "안녕"),
        ("rkqt", "값"),
        ("rkqtdl", "값이"),
        ("dlfrdj", "읽어"),
        ("zjsxpdlsj", "컨테이너"),
        ("zjsxpdlsj dksdp anj emfdjrk", "컨테이너 안에 뭐 들어가"),
        ("wkrkcldbrk anjdPdy", "자가치유가 뭐예요"),
        ("dlalwl rycpfh qovh", "이미지 교체로 배포"),
        # 가상머신 is typed rktkdajtls; the key run rkdtkaptls spells 강사메신.
        ("rktkdajtls", "가상머신"),
        ("rkdtkaptls", "강사메신"),
        ("qnpfr", "뷁"),
        ("Rkfr", "깕"),
        ("rkR", "갂"),
        ("dkT", "았"),
        ("ekQ", "다ㅃ"),  # ㅃ can't be a final, so it starts a syllable of its own
        ("dkE", "아ㄸ"),
        ("dkW", "아ㅉ"),
        ("EkQkWk", "따빠짜"),
        ("DKSSUD", "안녕"),  # capitals without a Shift jamo type like lowercase
        ("dhkdhodhldnjdnpdnldml", "와왜외워웨위의"),
        ("zjsxpdlsj, 123!", "컨테이너, 123!"),
        ("rk1rk", "가1가"),
        ("k", "ㅏ"),
        ("r", "ㄱ"),
        ("rt", "ㄱㅅ"),
        ("hk", "ㅘ"),
        ("kk", "ㅏㅏ"),
        ("rkk", "가ㅏ"),
        ("", ""),
        ("컨테이너 ok", "컨테이너 ㅐㅏ"),
    ],
)
def test_qwerty_to_hangul(keys: str, expected: str) -> None:
    assert qwerty_to_hangul(keys) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("컨테이너", "zjsxpdlsj"),
        ("ㅏㅕㅠㄷ굳ㅅㄷㄴ", "kubernetes"),
        ("값이", "rkqtdl"),
        ("뭐예요", "anjdPdy"),
        ("꼭 따라 했어", "Rhr Ekfk goTdj"),
        ("ㅘㄳ", "hkrt"),
        ("VM 컨테이너!", "VM zjsxpdlsj!"),
        ("ㅿㆍ", "ㅿㆍ"),  # archaic jamo have no key on the layout
        ("", ""),
    ],
)
def test_hangul_to_qwerty(text: str, expected: str) -> None:
    assert hangul_to_qwerty(text) == expected


@pytest.mark.parametrize("initial", range(19), ids=list(CHOSEONG))
def test_every_syllable_survives_typing(initial: int) -> None:
    bad = [s for s in block(initial) if qwerty_to_hangul(hangul_to_qwerty(s)) != s]
    assert bad == []


def test_keys_survive_composition() -> None:
    # Every lowercase key run of up to three keys (and Shift pairs) types jamo that type those keys.
    alphabet = string.ascii_lowercase + "QWERTOP"
    runs = [*itertools.product(alphabet, repeat=2), *itertools.product(string.ascii_lowercase, repeat=3)]
    bad = [keys for keys in map("".join, runs) if hangul_to_qwerty(qwerty_to_hangul(keys)) != keys]
    assert bad == []


# Typing two whole syllables is never ambiguous. The second syllable always starts with a consonant key
# followed by a vowel key; the consonant may first join the syllable before it as a final (or as the
# second half of a compound final, 각+사 'rkrtk' passes through 갃), but the vowel then pulls it back,
# so the boundary always lands where it was. Ambiguity needs a lone jamo, listed in
# AMBIGUOUS_WITH_LONE_JAMO below. So the pair tests assert the round trip for every pair they try.
PAIR_STRIDE = 41_603  # ~3,000 pairs spread over all 11172**2


def sampled_pairs() -> list[str]:
    """Every PAIR_STRIDE-th two-syllable string, in code-point order."""
    count = len(SYLLABLES)
    return [SYLLABLES[i // count] + SYLLABLES[i % count] for i in range(0, count * count, PAIR_STRIDE)]


def boundary_pairs() -> list[str]:
    """Each final of the first syllable (incl. none) against each initial of the second, twice."""
    pairs = []
    for (j, final), (c, initial) in itertools.product(enumerate(JONGSEONG), enumerate(CHOSEONG)):
        # Vary the vowels, and give the second syllable a compound one whose second key comes late.
        pairs.append(compose("ㅎ", "ㅢ", final) + compose(initial, "ㅘ", JONGSEONG[(j + c) % 28]))
        pairs.append(compose(CHOSEONG[c - 1], "ㅏ", final) + compose(initial, "ㅓ"))
    return pairs


def test_sampled_pairs_survive_typing() -> None:
    pairs = sampled_pairs()
    assert len(pairs) > 2900
    bad = [p for p in pairs if qwerty_to_hangul(hangul_to_qwerty(p)) != p]
    assert bad == []


def test_every_final_initial_boundary_survives_typing() -> None:
    pairs = boundary_pairs()
    assert len(pairs) == 28 * 19 * 2
    bad = [p for p in pairs if qwerty_to_hangul(hangul_to_qwerty(p)) != p]
    assert bad == []


def test_sentences_survive_typing() -> None:
    text = "컨테이너 안에 뭐 들어가? 값이 읽어, 앉아 닭 삶 핥다 읊다 없어 괜찮아요 뷁 쀍"
    assert qwerty_to_hangul(hangul_to_qwerty(text)) == text


AMBIGUOUS_WITH_LONE_JAMO = [
    ("가ㅅ", "갓"),  # a lone consonant after an open syllable becomes its final
    ("각ㅅ", "갃"),  # ... or completes a compound final
    ("각ㅏ", "가가"),  # a lone vowel after a final pulls the final into a new syllable
    ("고ㅏ", "과"),  # ... or forms a compound vowel
    ("ㅗㅏ", "ㅘ"),
    ("ㄳ", "ㄱㅅ"),  # lone consonants never merge, so a lone compound final comes apart
]


@pytest.mark.parametrize(("text", "typed_back"), AMBIGUOUS_WITH_LONE_JAMO)
def test_lone_jamo_can_be_ambiguous(text: str, typed_back: str) -> None:
    assert hangul_to_qwerty(text) == hangul_to_qwerty(typed_back)
    assert qwerty_to_hangul(hangul_to_qwerty(text)) == typed_back


# --- slips: Korean typed in English mode -----------------------------------------------------------

ENGLISH_WORDS = words(
    "container kubernetes docker the what is deploy rollback scaling hypervisor vm msa k8s api os speed "
    "run fast lol pls tmrw rollbak contaner "
    # English that does type whole Hangul syllables: plausible letters or known exceptions keep them.
    "with they then them than when fish such rich gosh git got cut dig fix go to do so ci cm "
    "dns tls dhcp smtp vlan xml rpc rkt thx "
    # mistyped or short English whose keys spell only syllables Korean is never typed with (얀챞교, 둪)
    "discovry env wbe "
    # capitals that no Shift key produces mean English on purpose
    "VM DNS Docker TLS ZJSXPDLSJ zjsXpdlsj"
)
SLIPPED_WORDS = words(
    "zjsxpdlsj dksdp anj emfdjrk wkrkcldbrk anjdPdy dlalwl rycpfh qovh rnqjspdltm vmfhtptm rudfl "
    "znqjspxltm ehzj gkdlvjqkdlwj tjqj wkdwja ckdlwja dP Zjsxpdlsj"
)


@pytest.mark.parametrize("word", ENGLISH_WORDS)
def test_english_words_are_not_slips(word: str) -> None:
    assert not looks_like_slipped_korean(word)


@pytest.mark.parametrize("word", SLIPPED_WORDS)
def test_slipped_words_are_slips(word: str) -> None:
    assert looks_like_slipped_korean(word)


@pytest.mark.parametrize("text", ["", " ", "z", "zjs-xpd", "zjsxpdlsj dksdp", "컨테이너", "zjsxpdlsj1"])
def test_only_single_latin_words_can_be_slips(text: str) -> None:
    assert not looks_like_slipped_korean(text)


def test_slip_word_may_carry_surrounding_whitespace() -> None:
    assert looks_like_slipped_korean("  zjsxpdlsj\n")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("zjsxpdlsj 격리 수준", "컨테이너 격리 수준"),
        ("VM vs zjsxpdlsj", "VM vs 컨테이너"),
        ("zjsxpdlsj dksdp anj emfdjrk", "컨테이너 안에 뭐 들어가"),
        ("wkrkcldbrk anjdPdy?", "자가치유가 뭐예요?"),
        ("(zjsxpdlsj), docker", "(컨테이너), docker"),
        ("docker  vs\tzjsxpdlsj\n", "docker  vs\t컨테이너\n"),
        ("https://example.com/zjsxpdlsj k8s zjsxpdlsj_x", "https://example.com/zjsxpdlsj k8s zjsxpdlsj_x"),
        ("the rollback is fast", "the rollback is fast"),
        ("", ""),
    ],
)
def test_repair_slipped_words(text: str, expected: str) -> None:
    assert repair_slipped_words(text) == expected


# --- slips: English typed in Korean mode -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ㅏㅕㅠㄷ굳ㅅㄷㄴ", "kubernetes"),
        ("ㅏㅕㅠㄷ굳ㅅㄷㄴ vs 도커", "kubernetes vs 도커"),
        ("애찯ㄱ", "docker"),
        ("ㅖㅛ쇄ㅜ", "Python"),  # ㅖ is Shift+p
        ("(ㅏㅕㅠㄷ굳ㅅㄷㄴ)?", "(kubernetes)?"),
        ("ㅜㅐㅇㄷ ㅗ디ㅡ", "node helm"),
    ],
)
def test_repair_korean_mode_english(text: str, expected: str) -> None:
    assert repair_korean_mode_english(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "컨테이너",
        "쿠버네티스",
        "ㅋㅌㅇㄴ",
        "ㅋㅌㅇㄴ ㅈㅈ",
        "ㅠㅠ",
        "ㅜㅡㅜ",
        "ㅡ.ㅡ",
        "ㅗㅗ",
        "ㅇㅋ",
        "좋아요ㅋㅋ",
        "ㅋㅋ진짜",
        "ㅠㅠ감사합니다",
        "감사합니다ㅠㅠ",
        "감사ㅠ",
        "아ㅏㅏ",
        "네ㅔ",
        "VM vs 컨테이너",
        "",
    ],
)
def test_korean_stays_korean(text: str) -> None:
    assert repair_korean_mode_english(text) == text


@pytest.mark.parametrize(
    "word",
    words(
        "container kubernetes docker deploy rollback scaling hypervisor image node network namespace "
        "python what is api os speed run lol rollbak contaner"
    ),
)
def test_english_typed_in_korean_mode_comes_back(word: str) -> None:
    assert repair_korean_mode_english(qwerty_to_hangul(word)) == word
