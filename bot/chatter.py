"""Chat noise: acknowledgements, laughter, thanks and greetings that ask nothing.

A study channel is full of "ㅇㅋ", "ㅋㅋㅋ", "넵 감사합니다", "thanks lol". None of these is a question,
and answering one with a lesson entry is the bot's most visible mistake, so they are recognised
before any matching: a message is chat noise when every word in it is one of these words (after
punctuation, emoji and Discord markup are gone). One real word ("감사합니다 근데 VM은?") and it is a
question again. Pure: no I/O.
"""

from __future__ import annotations

import re
import unicodedata

# Whole words, compared case-folded. Korean forms are listed as typed in chat (with and without
# the common endings) rather than stemmed: stemming "네" or "예" would swallow real words.
_NOISE_WORDS: frozenset[str] = frozenset(
    """
    ㅇㅋ ㅇㅋㅇㅋ ㅇㅇ ㅇㅇㅇ ㅇㅎ ㅇㅎㅇㅎ ㄱㅅ ㄱㅅㄱㅅ ㄱㅅㅇ ㄳ ㄳㄳ ㄱㄱ ㄱㄱㄱ ㅊㅋ ㅊㅋㅊㅋ ㅎㅇ ㅎㅇㅎㅇ
    ㅂㅂ ㅂㅂㅂ ㅂㅇ ㅈㅅ ㄴㄴ ㄷㄷ ㄷㄷㄷ ㅁㅊ ㅗㅋ
    네 넵 넹 넴 네네 넵넵 넹넹 네엡 녜 예 예예 응 웅 엉 어 오 아 음 흠 흐음 헐 헉 와 우와 오오 오호 아하 아아 앗 엥
    오케이 오키 오케 오키오키 오케바리 콜 굿 굿굿 좋아 좋아요 좋네요 좋습니다 좋다 좋네 좋음 최고 대박 짱 멋져요 멋지다
    감사 감사해요 감사합니다 감사드립니다 감사해 감사욥 감사용 감삼다 감사함다 고마워 고마워요 고맙습니다
    고맙다 고마워용 땡큐 땡스 생큐 쌩큐 수고 수고하셨습니다 수고했어 수고하세요 수고링
    알겠어 알겠어요 알겠습니다 알았어 알았어요 알겠다
    이해 이해했어 이해했어요 이해했습니다 이해완료 이해됐어요 이해됨 그렇구나 그렇군요 그렇네 그렇네요 그렇군 그쵸 그치
    맞아 맞아요 맞네 맞네요 맞습니다 확인 확인했습니다 확인요 넵넵넵 안녕 안녕하세요 안녕하십니까 하이 하이요 반가워요
    반갑습니다 ㅎㅇ요 잘자 굿밤 굿모닝 좋은아침 잘가 바이 바이바이 또봐요 내일봐요 화이팅 파이팅 힘내요 아싸 크 캬
    ok okay okk kk k yes yep yeah yup ya sure cool nice great good awesome perfect neat noted gotcha got it understood
    thanks thank thx ty tysm tyvm thankyou thanx cheers appreciated appreciate much very so you it a lot
    lol lmao lmfao rofl haha hahaha hehe xd wow oh ah hmm hm ooh uh um wait
    hi hello hey hiya yo sup morning evening night gm gn bye cya later see good-night
    """.split()
)
# Laughter and crying typed as runs of jamo or letters: ㅋㅋㅋ, ㅎㅎ, ㅠㅠ, ㅜㅜ, hahaha, lololol.
_RUNS = re.compile(r"(?:[ㅋㅎㅠㅜㄷ]{2,}|(?:ha){2,}h?|(?:he){2,}h?|(?:lo)+l|k{2,}|z{2,})\Z")
_WORD = re.compile(r"[0-9a-z가-힣ㄱ-ㅎㅏ-ㅣ'-]+")
# Discord custom emoji, mentions and roles carry no question.
_MARKUP = re.compile(r"<a?:\w+:\d+>|<(?:@[!&]?|#)\d+>|@everyone|@here")


# Final consonants (종성 index) that a laugh leaves on the last syllable when typed straight on:
# 감사합니다 + ㅋㅋ → 감사합니닼ㅋ.
_LAUGH_FINALS = {24, 27}  # ㅋ, ㅎ


def _is_noise_word(word: str) -> bool:
    if word in _NOISE_WORDS or _RUNS.match(word) is not None:
        return True
    bare = word.rstrip("ㅋㅎㅠㅜ")
    return bool(bare != word and bare and (bare in _NOISE_WORDS or _drop_laugh_final(bare) in _NOISE_WORDS))


def _drop_laugh_final(word: str) -> str:
    last = ord(word[-1]) - 0xAC00
    if 0 <= last < 11172 and last % 28 in _LAUGH_FINALS:
        return word[:-1] + chr(0xAC00 + last - last % 28)
    return word


def is_chat_noise(text: str) -> bool:
    """Return whether `text` is only acknowledgement, laughter, thanks, greeting or emoji.

    An empty message is not chat noise (it is an empty question, answered as such).
    """
    folded = unicodedata.normalize("NFC", _MARKUP.sub(" ", text)).casefold()
    if not folded.strip():
        return False
    words = _WORD.findall(folded)
    if not words:
        # Only emoji and punctuation ("👍", "!!", "🙏🙏"): a reaction, not a question.
        return not any(unicodedata.category(ch).startswith(("L", "N")) for ch in folded)
    # A trailing laugh glued to a word ("감사합니닼ㅋㅋ", "넵ㅎㅎ") is still noise.
    return all(_is_noise_word(word) for word in words)
