"""Chat noise is recognised before matching, and a real question never is."""

from __future__ import annotations

import pytest

from bot.chatter import is_chat_noise


@pytest.mark.parametrize(
    "message",
    [
        "ㅇㅋ",
        "ㅋㅋㅋㅋㅋ",
        "ㅠㅠ",
        "넵 감사합니다!",
        "넵ㅎㅎ",
        "감사합니닼ㅋㅋ",  # a laugh typed straight on lands as the last syllable's final consonant
        "오케이~ 이해했어요",
        "안녕하세요",
        "thanks lol",
        "Thank you so much!!",
        "got it, thanks",
        "hahaha",
        "👍",
        "🙏🙏",
        "<:pepe:123456789012345678> ㅋㅋ",
        "@everyone ㅎㅇ",
    ],
)
def test_acknowledgements_laughter_and_greetings_are_chat_noise(message: str) -> None:
    assert is_chat_noise(message)


@pytest.mark.parametrize(
    "message",
    [
        "",  # empty is an empty question, answered as such
        "컨테이너가 뭐야",
        "감사합니다 근데 VM은 왜 느려요?",
        "ㅋㅋ 컨테이너 뭐임",
        "컨테이넠ㅋㅋ",
        "ok so what is a vm",
        "ㅋㅌㅇㄴ",  # 초성 of a lesson word is a question, not a laugh
        "thanks, but why kubernetes?",
        "ㅠㅠ 어려워요 msa가 뭐예요",
    ],
)
def test_a_message_with_one_real_word_is_a_question(message: str) -> None:
    assert not is_chat_noise(message)
