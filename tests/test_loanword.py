"""Hangul ↔ Latin loanword matching: a fresh lesson links 도커파일 to Dockerfile without a glossary."""

from __future__ import annotations

import pytest

from bot.loanword import best_hangul_match, best_latin_match, link_loanwords, loanword_match


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [
        ("도커파일", "Dockerfile"),
        ("레플리카셋", "ReplicaSet"),
        ("디플로이먼트", "deployment"),
        ("레지스트리", "registry"),
        ("쿠버네티스", "Kubernetes"),
        ("클러스터", "cluster"),
        ("네임스페이스", "namespace"),
        ("인그레스", "ingress"),
        ("롤링 업데이트", "rolling update"),
        ("사이드카", "sidecar"),
        ("매니페스트", "manifest"),
        ("히스토리", "history"),
        ("깃허브", "GitHub"),
    ],
)
def test_loanword_spellings_match_their_english_word(hangul: str, latin: str) -> None:
    assert loanword_match(hangul, latin) >= 0.85


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [
        ("파드", "node"),
        ("컨테이너", "registry"),
        ("디플로이먼트", "replica"),
        ("셀렉터", "sidecar"),
        ("안녕하세요", "hello"),
        ("", "pod"),
        ("도커", ""),
    ],
)
def test_different_words_do_not_match(hangul: str, latin: str) -> None:
    assert loanword_match(hangul, latin) < 0.85


def test_best_latin_match_picks_the_word_from_a_lesson_vocabulary() -> None:
    vocabulary = ["Pod", "Deployment", "Service", "ReplicaSet", "Dockerfile", "kubectl", "YAML"]
    link = best_latin_match("도커파일", vocabulary)
    assert link is not None
    assert link.latin == "Dockerfile"
    assert best_latin_match("레플리카셋", vocabulary) is not None
    assert best_latin_match("강아지", vocabulary) is None


def test_best_hangul_match_goes_the_other_way() -> None:
    link = best_hangul_match("selector", ["라벨", "셀렉터", "서비스"])
    assert link is not None
    assert link.hangul == "셀렉터"
    assert best_hangul_match("SDK", ["사이드카"]) is None  # read letter by letter, not by sound


def test_words_the_sounds_cannot_tell_apart_are_not_linked() -> None:
    # "poster" and "pastor" have the same consonants and syllables: 포스터 could be either, so no guess.
    assert best_latin_match("포스터", ["poster", "pastor"]) is None


def test_syllable_count_separates_words_with_the_same_consonants() -> None:
    link = best_latin_match("프로세스", ["processor", "process"])
    assert link is not None
    assert link.latin == "process"
    # Native Korean words that share a skeleton with an English word are not loanwords of it.
    assert loanword_match("수집기", "spec") < 0.85
    assert loanword_match("별도", "prod") < 0.85


def test_links_are_mutual_best_matches() -> None:
    links = link_loanwords(["도커", "도커파일", "클러스터"], ["Dockerfile", "cluster"])
    assert {(link.hangul, link.latin) for link in links} == {("도커파일", "Dockerfile"), ("클러스터", "cluster")}


@pytest.mark.parametrize(
    ("hangul", "latin"),
    [
        # A spelling of several letters is read as one sound before any letter of it on its own:
        # ch is ㅊ (or ㅋ), not a k followed by an h; the w of wh is no vowel; gh is silent after a
        # vowel and a ㄱ at the start of a word.
        ("헬름 차트", "helm chart"),
        ("헬스체크", "healthcheck"),
        ("체크섬", "checksum"),
        ("브랜치", "branch"),
        ("캐싱", "caching"),
        ("엘라스틱서치", "elasticsearch"),
        ("오케스트레이션", "orchestration"),
        ("왓츠앱", "WhatsApp"),
        ("스루풋", "throughput"),
        ("고스트", "ghost"),
    ],
)
def test_letter_clusters_are_read_as_the_sound_korean_writes(hangul: str, latin: str) -> None:
    assert loanword_match(hangul, latin) >= 0.85


def test_a_lesson_links_its_ch_words_to_their_hangul_spelling() -> None:
    links = link_loanwords(["헬스체크", "브랜치", "클러스터"], ["healthcheck", "branch", "cluster"])
    assert {(link.hangul, link.latin) for link in links} == {
        ("헬스체크", "healthcheck"),
        ("브랜치", "branch"),
        ("클러스터", "cluster"),
    }
