"""Which questions ask for a comparison, and which ask how to do something (features of the answer decision)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.question_kind import (
    _DETAILS_EN,
    _HOW_TO_EN,
    _HOW_TO_EN_WORDS,
    _HOW_TO_KO,
    _HOW_TO_KO_WORDS,
    asks_comparison,
    asks_how_to,
    details_named,
    named_identifiers,
    without_denied,
)


@pytest.mark.parametrize(
    "question",
    [
        "What's the difference between a VM and a container?",
        "VM vs 컨테이너",
        "이미지랑 컨테이너는 뭐가 다른 거예요?",
        "VM이랑 컨테이너 차이점",
        "how does container isolation compare with VM isolation?",
        "도커 볼륨이랑 바인드 마운트 비교해줘",
        "VM이랑 하이퍼바이저는 뭐가 달라?",
    ],
)
def test_questions_that_ask_how_things_differ_ask_for_a_comparison(question: str) -> None:
    assert asks_comparison(question)


@pytest.mark.parametrize(
    "question",
    [
        "컨테이너가 뭐야?",
        "What is a VM?",
        "도커 이미지는 어떻게 만들어요?",
        "파드 IP가 바뀌면 다른 앱은 어디로 보내요?",
        "서버마다 버전이 달라서 깨지는 문제는 뭐라고 해?",
    ],
)
def test_other_questions_do_not(question: str) -> None:
    assert not asks_comparison(question)


@pytest.mark.parametrize(
    "question",
    [
        "서비스 메시는 어떻게 설정해?",
        "로드밸런서 구현은 어떻게 하나요?",
        "노트북에서 쿠버네티스 돌려도 돼?",
        "클러스터 만들려면 뭐가 필요해?",
        "네임스페이스는 어떤 기능으로 구현돼?",
        "How do I configure a load balancer?",
        "how to set up a registry",
        "How is CPU scheduling implemented under the hood?",
        "Can we run databases in containers?",
    ],
)
def test_questions_that_ask_how_to_do_something_are_how_tos(question: str) -> None:
    assert asks_how_to(question)


@pytest.mark.parametrize(
    "question",
    [
        "컨테이너가 뭐야?",
        "쿠버네티스는 왜 써야 돼?",
        "VM이랑 컨테이너는 뭐가 달라?",
        "이걸 컨테이너가 어떻게 해결해 준다는 거야?",
        "성능이 좋아진다고 봐도 되나요?",
        "설정은 수정하면 바로 반영돼?",
        "Why do we need Kubernetes?",
        "How would you define a VM?",
        "How does self-healing work?",
        "What is a hypervisor?",
    ],
)
def test_what_and_why_questions_are_not(question: str) -> None:
    assert not asks_how_to(question)


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("so a container isn't a virtual machine? what is it then", "so a container isn't? what is it then"),
        ("컨테이너는 가상 머신이 아니라는 거야?", "컨테이너는 아니라는 거야?"),
        ("Why isn't running containers by themselves enough?", "Why isn't running containers by themselves enough?"),
        ("VM이 아니면 뭐로 돌려?", "VM이 아니면 뭐로 돌려?"),
    ],
)
def test_a_denied_complement_is_dropped_and_other_negations_kept(question: str, kept: str) -> None:
    assert without_denied(question) == kept


@pytest.mark.parametrize(
    ("question", "kept"),
    [
        ("볼륨이 뭐임? 그냥 폴더랑 같은거야?", "볼륨이 뭐임? 그냥 같은거야?"),
        ("잡이 정확히 뭔데? 크론 스크립트랑 비슷한 건가요?", "잡이 정확히 뭔데? 비슷한 건가요?"),
        # Both things are the question's subjects when it never asked what one of them is.
        ("이미지랑 컨테이너랑 같은 거야?", "이미지랑 컨테이너랑 같은 거야?"),
        ("볼륨 만들었어? 폴더랑 같은 거야?", "볼륨 만들었어? 폴더랑 같은 거야?"),
    ],
)
def test_what_a_thing_is_likened_to_after_asking_what_it_is_is_dropped(question: str, kept: str) -> None:
    # "X가 뭐야? 그냥 Y랑 같은 거야?" asks what X is: the answer is X's entry, whatever names Y.
    assert without_denied(question) == kept


@pytest.mark.parametrize(
    ("text", "stated", "families"),
    [
        ("롤링 업데이트 기본값은?", False, {"default"}),
        ("what's the default port?", False, {"default", "port"}),
        ("도커 버전이 뭐야", False, {"version"}),
        ("기본 개념이 뭐야?", False, set()),  # "basic" in a question
        ("서포트 되나요?", False, set()),  # 포트 inside a word
        ("인그레스 컨트롤러 설치하는 명령어 알려줘", False, {"install", "command"}),
        ("which command installs helm?", False, {"install", "command"}),
        ("한 번에 바꿀 개수 (기본 25%)", True, {"default"}),  # a lesson's terse default
        ("컨테이너란?", True, set()),
    ],
)
def test_details_a_text_names(text: str, stated: bool, families: set[str]) -> None:
    assert details_named(text, stated=stated) == families


@pytest.mark.parametrize(
    ("pattern", "words"),
    [
        (_HOW_TO_EN, _HOW_TO_EN_WORDS),
        (_HOW_TO_KO, _HOW_TO_KO_WORDS),
        *(((pattern, (family,)) for family, pattern in _DETAILS_EN.items())),
    ],
    ids=["en", "ko", *(f"detail-{family}" for family in _DETAILS_EN)],
)
@settings(max_examples=300)
@given(data=st.data())
def test_every_wording_holds_a_word_its_pattern_is_tried_for(
    data: st.DataObject, pattern: re.Pattern[str], words: tuple[str, ...]
) -> None:
    # asks_how_to and details_named only scan a pattern when the question holds one of its prefilter words
    # (for a detail family, its own name): a wording added to a pattern but not to its words would
    # silently never be recognised.
    match = pattern.search(data.draw(st.from_regex(pattern)))
    assert match is not None
    assert any(word in match.group(0) for word in words), match.group(0)


# How to configure something is a detail an entry must name (설정, configure): asked in so many words,
# not 설정 as a noun ("설정 파일") nor how to change a setting the entry explains.
@pytest.mark.parametrize(
    ("text", "stated", "families"),
    [
        ("오토스케일러 설정하는 방법 알려줘", False, {"configur"}),
        ("오토스케일링 설정은 어떻게 해요?", False, {"configur"}),
        ("how do I configure the autoscaler?", False, {"configur"}),
        ("설정파일에서 한 줄만 고치면 반영돼요?", False, set()),
        ("설정을 어떻게 바꾸는 게 맞는 건가요?", False, set()),
        ("replicas를 3으로 설정하면 파드가 셋", True, {"configur"}),
    ],
)
def test_asking_how_to_configure_is_a_detail(text: str, stated: bool, families: set[str]) -> None:
    assert details_named(text, stated=stated) == families


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("ExternalName 서비스 타입은 뭐예요?", ["externalname"]),
        ("How do I write an HTTPRoute?", ["httproute"]),
        ("How does VXLAN work in Flannel?", ["vxlan"]),
        # Korean typed on the English layout is no name: MSA에서, 어떻게.
        ("dho MSAdptj zjsxpdlsjfmf Tjdy", []),
        ("fhfqor djEjgrp go", []),
        ("what is a container?", []),
    ],
)
def test_technical_names_are_read_by_their_spelling(text: str, names: list[str]) -> None:
    assert named_identifiers(text) == names


@pytest.mark.parametrize("question", ["VM 안에서 컨테이너 돌리는 것도 가능해요?", "파드끼리 통신 가능?"])
def test_asking_whether_something_is_possible_asks_how_to(question: str) -> None:
    assert asks_how_to(question)
