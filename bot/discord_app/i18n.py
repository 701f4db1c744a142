"""Korean localisation of the slash commands and reply-language choice (the sentences are in bot.texts)."""

from __future__ import annotations

import re

import discord
from discord import app_commands

from bot.knowledge import Lang
from bot.texts import text

__all__ = ["KOREAN", "LessonTranslator", "interaction_lang", "locale_lang", "question_lang", "text", "typed_lang"]

# English source string (as written in the command decorators) → Korean. Command and option names
# must be lower case, 1–32 characters, no spaces; descriptions 1–100 characters.
KOREAN: dict[str, str] = {
    # /ask
    "ask": "질문",
    "Ask a question about the lesson": "강의 내용에 대해 질문해요",
    "question": "질문",
    "Your question, in Korean or English": "궁금한 내용 (한국어 또는 영어)",
    # /topics
    "topics": "주제",
    "Browse what you can ask about": "물어볼 수 있는 주제를 둘러봐요",
    # /compare
    "compare": "비교",
    "Show the lesson's comparison table (VM vs container)": "강의의 비교표를 보여줘요 (VM vs 컨테이너)",
    # /recap
    "recap": "요약",
    "Post the lesson's key-points recap in this channel (moderators)": (
        "이 채널에 강의 핵심 요약을 올려요 (모더레이터)"
    ),
    "lesson": "강의",
    "Which lesson (default: the lesson of the day)": "요약할 강의 (기본: 오늘의 강의)",
    # /unanswered
    "unanswered": "미답변",
    "The most frequent questions the bot could not answer (moderators)": (
        "봇이 답하지 못한 질문을 많은 순으로 보여줘요 (모더레이터)"
    ),
    "Only questions asked about this lesson (default: all)": "이 강의에 대한 질문만 (기본: 전체)",
    # /reload
    "reload": "다시불러오기",
    "Reload the lesson files (moderators)": "강의 파일을 다시 불러와요 (모더레이터)",
    # /teach
    "teach": "가르치기",
    "Teach the bot: a question should have matched an entry (moderators)": (
        "봇 가르치기: 이 질문에 답해야 할 항목을 알려줘요 (모더레이터)"
    ),
    "The question as people ask it": "사람들이 묻는 그대로의 질문",
    "entry": "항목",
    "The entry that answers it (lesson/entry)": "그 질문에 답하는 항목 (강의/항목)",
    # /stats
    "stats": "통계",
    "Questions, answers and feedback over a period (moderators)": "기간별 질문, 답변, 피드백 통계 (모더레이터)",
    "days": "기간",
    "How many days back (default: 7)": "며칠 전부터 (기본: 7일)",
}


class LessonTranslator(app_commands.Translator):
    """Translate command and option names and descriptions into Korean; English is the default."""

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        """Return the Korean text for `string`, or None (Discord then shows the English default)."""
        if locale is not discord.Locale.korean:
            return None
        return KOREAN.get(string.message)


def locale_lang(locale: discord.Locale | None) -> Lang:
    """Return the reply language for a Discord locale: Korean for ko, English otherwise."""
    return "ko" if locale is discord.Locale.korean else "en"


_LETTER = re.compile(r"[A-Za-z가-힣ㄱ-ㅎㅏ-ㅣ]")


def question_lang(question: str, locale: discord.Locale | None) -> Lang | None:
    """Return the language to force for `question`: None lets the matcher detect it from the words;
    a question without letters (\"?\", \"1 vs 2\") follows the user's locale instead."""
    return None if _LETTER.search(question) else locale_lang(locale)


def typed_lang(typed: str, locale: discord.Locale | None) -> Lang:
    """Return the language of what the user is typing: Hangul → ko, Latin letters → en, else the locale."""
    if re.search(r"[가-힣ㄱ-ㅎㅏ-ㅣ]", typed):
        return "ko"
    if re.search(r"[A-Za-z]", typed):
        return "en"
    return locale_lang(locale)


def interaction_lang(interaction: discord.Interaction) -> Lang:
    """Return the reply language when there is no question: the user's locale."""
    return locale_lang(interaction.locale)
