"""Which questions ask for a comparison (a feature of the answer decision)."""

from __future__ import annotations

import pytest

from bot.question_kind import asks_comparison


@pytest.mark.parametrize(
    "question",
    [
        "What's the difference between a VM and a container?",
        "VM vs 컨테이너",
        "이미지랑 컨테이너는 뭐가 다른 거예요?",
        "VM이랑 컨테이너 차이점",
        "how does container isolation compare with VM isolation?",
        "도커 볼륨이랑 바인드 마운트 비교해줘",
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
    ],
)
def test_other_questions_do_not(question: str) -> None:
    assert not asks_comparison(question)
