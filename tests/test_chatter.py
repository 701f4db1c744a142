"""Chat noise is recognised before matching and cut off the edges of a question; a real question never is noise."""

from __future__ import annotations

import pytest

from bot.chatter import (
    addresses_bot,
    is_about_bot_word,
    is_chat_noise,
    is_small_talk_word,
    names_course_logistics,
    read_chatter,
    without_vocative,
)


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
    ("kind", "messages"),
    [
        (
            "greeting",
            ["hi", "Hello!", "hey there", "good morning", "Good evening everyone :)", "morning all", "yo guys"],
        ),
        (
            "greeting",
            [
                "안녕",
                "안녕하세요!",
                "좋은 아침",
                "좋은 아침이에요 여러분",
                "좋은아침입니다",
                "하이루",
                "반갑습니다 다들",
            ],
        ),
        ("farewell", ["bye", "bye bye everyone", "see you tomorrow!", "good night all", "take care"]),
        ("farewell", ["잘 자요", "안녕히 계세요", "내일 봐요~", "수고하셨습니다", "ㅂㅂ"]),
        ("thanks", ["thx", "thank u", "thanks a lot!", "many thanks", "much appreciated", "ty all"]),
        ("thanks", ["고마워", "고맙습니다", "ㄳ", "정말 감사드립니다", "땡큐"]),
        ("ack", ["ok", "okay got it", "I see", "makes sense", "yep", "sounds good", "alright"]),
        ("ack", ["넵", "네 알겠습니다", "ㅇㅇ", "그렇구나", "아하 이해했어요", "맞아요"]),
        ("laughter", ["lol", "lmao", "xD", "ㅋㅋ", "크크크", "하하하", "^^", "T_T"]),
        ("phatic", ["how are you?", "how's it going", "hi there, how's your day going?", "what's up"]),
        ("phatic", ["잘 지내셨어요?", "좋은 하루 되세요", "오늘도 화이팅!"]),
        # A newcomer introducing themselves asks nothing either.
        ("phatic", ["hi all, I'm new here!", "first time here :)", "glad to be here"]),
        ("phatic", ["처음 뵙겠습니다", "반가워요 처음 와봤어요 ㅎㅎ", "앞으로 잘 부탁드립니다!"]),
        ("praise", ["nice", "awesome!", "good job", "대박", "최고예요"]),
    ],
)
def test_every_kind_of_chat_noise_in_both_languages(kind: str, messages: list[str]) -> None:
    for message in messages:
        reading = read_chatter(message)
        assert reading.only_noise, message
        assert kind in reading.kinds, message


@pytest.mark.parametrize(
    ("variant", "plain"),
    [
        ("hiiii", "hi"),
        ("heyyy", "hey"),
        ("thaaanks!!!", "thanks"),
        ("byebye", "bye"),
        ("안녕하세여", "안녕하세요"),
        ("감사해용", "감사해요"),
        ("감사합니당", "감사합니다"),
        ("감사합니다아", "감사합니다"),
        ("안녕하세요오", "안녕하세요"),
        ("네에", "네"),
        ("넵넵", "넵"),
        ("고마워용~", "고마워요"),
        ("good night everyone, see u tmrw", "good night everyone, see you tomorrow"),
        ("thank u", "thank you"),
    ],
)
def test_spelling_variants_read_as_their_plain_form(variant: str, plain: str) -> None:
    assert is_chat_noise(plain)
    assert is_chat_noise(variant)


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
        "what is everyone doing this weekend?",
        "k8s",
    ],
)
def test_a_message_with_one_real_word_is_a_question(message: str) -> None:
    assert not is_chat_noise(message)


@pytest.mark.parametrize(
    ("message", "question"),
    [
        ("안녕하세요 컨테이너가 뭐예요?", "컨테이너가 뭐예요?"),
        ("hi everyone, what is a VM?", "what is a VM?"),
        ("좋은 아침입니다 여러분! MSA가 뭔가요?", "MSA가 뭔가요?"),
        ("넵 그렇군요 그럼 VM은 왜 느려요?", "그럼 VM은 왜 느려요?"),
        ("what is a VM? thanks!", "what is a VM?"),
        ("VM은 무거운 거죠 ㅎㅎ 감사합니다", "VM은 무거운 거죠"),
        ("ok so what is a vm", "what is a vm"),
    ],
)
def test_chat_noise_is_cut_off_the_edges_of_a_question(message: str, question: str) -> None:
    assert read_chatter(message).question == question


@pytest.mark.parametrize(
    "message",
    [
        "컨테이너는 커널 공유 맞아?",  # a closing 맞아 asks for a confirmation
        "is that ok?",
        "so what is docker",  # a lone "so" is part of the question
        "everyone says containers are light, why?",
        "```yaml\nkind: Pod\n``` 이게 뭐예요?",  # nothing cut: the text is untouched, code fences and all
    ],
)
def test_a_question_without_chat_noise_at_its_edges_is_left_as_typed(message: str) -> None:
    assert read_chatter(message).question == message


@pytest.mark.parametrize(
    "word", ["everyone", "오늘", "수업은", "weekend", "끝나고", "끝나요", "시에", "finished", "ok", "lesson"]
)
def test_course_and_chat_words_are_small_talk(word: str) -> None:
    assert is_small_talk_word(word)


@pytest.mark.parametrize("word", ["컨테이너", "image", "도커파일", "격리는", "kernel"])
def test_lesson_words_are_not_small_talk(word: str) -> None:
    assert not is_small_talk_word(word)


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("봇아 컨테이너가 뭐야?", "컨테이너가 뭐야?"),
        ("챗봇님, 쿠버네티스 왜 써?", "쿠버네티스 왜 써?"),
        ("bot, what is a VM?", "what is a VM?"),
        ("hey bot: VM vs container?", "VM vs container?"),
        ("what is a pod, bot?", "what is a pod?"),
        # Not a vocative: a question about bots, or the bot's name alone.
        ("bot 만드는 법", "bot 만드는 법"),
        ("what is a chatbot?", "what is a chatbot?"),
        ("봇이 뭐야?", "봇이 뭐야?"),
        ("봇아", "봇아"),
    ],
)
def test_calling_the_bot_by_name_is_no_part_of_the_question(question: str, asked: str) -> None:
    assert without_vocative(question) == asked


@pytest.mark.parametrize(
    ("message", "addressed"),
    [
        ("봇아 이름이 뭐야", True),
        ("what's your name", True),
        ("넌 누구야", True),
        ("컨테이너가 뭐야", False),
        ("네 맞아요", False),
    ],
)
def test_a_message_that_speaks_to_the_bot_is_recognised(message: str, addressed: bool) -> None:
    assert addresses_bot(message) is addressed


@pytest.mark.parametrize(
    ("word", "about_bot"),
    [("name", True), ("이름이", True), ("만들었어", True), ("너는", True), ("container", False), ("컨테이너", False)],
)
def test_words_that_ask_who_the_bot_is(word: str, about_bot: bool) -> None:
    assert is_about_bot_word(word) is about_bot


@pytest.mark.parametrize(
    ("message", "remark"),
    [
        ("lol my laptop just died", True),
        ("ㅋㅋㅋ 오늘 진도 너무 빨랐다", True),
        ("ㅋㅋ 오늘 빡세네", True),
        ("ㅋㅋ 컨테이너 뭐임", False),
        ("VM은 무거운 거죠 ㅎㅎ 감사합니다", False),  # 거죠 asks for a confirmation
        ("lol is docker a vm", False),
        ("ㅋㅋ 도커 설치법", False),
        ("오늘 진도 너무 빨랐다", False),  # no laugh: left to the matcher
        ("ㅋㅋ ㄷㅋ ㅅㅊ", False),  # 초성 after a laugh: no ending to read
        ("haha k8s scheduling pls", False),  # a request
    ],
)
def test_a_laugh_with_a_remark_is_told_from_a_laugh_with_a_question(message: str, remark: bool) -> None:
    assert read_chatter(message).laughing_remark is remark


@pytest.mark.parametrize(
    ("question", "logistics"),
    [
        ("녹화본 언제 올라와요?", True),
        ("When is the next session?", True),
        ("슬라이드 공유해 주실 수 있나요?", True),
        ("is the zoom link the same?", True),
        ("컨테이너가 빨리 올라와요?", False),
        ("what happens next when a container crashes?", False),
        ("recap pls, exam tmrw", False),
    ],
)
def test_study_group_logistics_are_named(question: str, logistics: bool) -> None:
    assert names_course_logistics(question) is logistics
