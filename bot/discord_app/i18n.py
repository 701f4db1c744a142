"""Korean localisation of the slash commands, the bot's own interface texts, and reply-language choice."""

from __future__ import annotations

import re

import discord
from discord import app_commands

from bot.knowledge import Lang

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


# The bot's own sentences (render.ui_text holds the answer-related ones shared with the CLI).
_TEXTS: dict[str, dict[Lang, str]] = {
    "not_moderator": {
        "ko": "이 명령은 모더레이터만 쓸 수 있어요.",
        "en": "Only moderators can use this command.",
    },
    "apology": {
        "ko": "죄송해요, 처리하는 중에 문제가 생겼어요. 잠시 후 다시 시도해 주세요.",
        "en": "Sorry, something went wrong while handling that. Please try again in a moment.",
    },
    "feedback_up": {"ko": "피드백 고마워요! 👍", "en": "Thanks for the feedback! 👍"},
    "feedback_down": {
        "ko": "알려줘서 고마워요. 답변을 개선하는 데 참고할게요. 👎",
        "en": "Thanks for telling us; we'll use it to improve the answers. 👎",
    },
    "helpful": {"ko": "도움이 됐어요", "en": "Helpful"},
    "unhelpful": {"ko": "도움이 안 됐어요", "en": "Not helpful"},
    "gone": {
        "ko": "이 질문은 더 이상 강의 자료에 없어요. /ask 로 다시 물어봐 주세요.",
        "en": "That question is no longer in the lesson material. Please ask again with /ask.",
    },
    "your_question": {"ko": "질문", "en": "Your question"},
    "topics_title": {"ko": "물어볼 수 있는 주제", "en": "Topics you can ask about"},
    "topics_pick": {"ko": "주제를 골라 보세요", "en": "Pick a topic"},
    "topics_more": {"ko": "주제 더 보기 ({n})", "en": "More topics ({n})"},
    "no_tables": {"ko": "이 강의에는 비교표가 없어요.", "en": "The lesson has no comparison table."},
    "no_current_lesson": {
        "ko": "오늘 예정된 강의가 아직 없어요. '강의' 옵션에서 강의를 골라 주세요.",
        "en": "No lesson is scheduled for today yet. Pick one with the 'lesson' option.",
    },
    "no_lesson": {
        "ko": "'{lesson}' 강의가 없어요. 있는 강의: {known}",
        "en": "No lesson '{lesson}'. Loaded: {known}",
    },
    "unanswered_title": {"ko": "답하지 못한 질문", "en": "Unanswered questions"},
    "unanswered_none": {"ko": "아직 답하지 못한 질문이 없어요.", "en": "No unanswered questions yet."},
    "times": {"ko": "{n}회", "en": "{n}×"},
    "reloaded": {
        "ko": "강의 파일을 다시 불러왔어요: 강의 {lessons}개, 항목 {entries}개.",
        "en": "Reloaded the lesson files: {lessons} lesson(s), {entries} entries.",
    },
    "reload_failed": {
        "ko": "새 강의 파일에 문제가 있어 이전 내용을 계속 사용해요:",
        "en": "The new lesson files have problems, so the previous ones stay in use:",
    },
    "teach_pick": {"ko": "가르칠 질문을 골라요", "en": "Pick a question to teach"},
    "teach_entry": {"ko": "이 질문에 답해야 할 항목", "en": "The entry that should answer it"},
    "teach_which": {
        "ko": "이 질문에 어느 항목으로 답해야 했나요?",
        "en": "Which entry should have answered this question?",
    },
    "teach_dismiss": {"ko": "무시하기", "en": "Dismiss"},
    "teach_undo": {"ko": "되돌리기", "en": "Undo"},
    "teach_gone": {
        "ko": "이 질문이나 항목은 더 이상 없어요.",
        "en": "That question or entry is no longer there.",
    },
    "teach_no_entry": {"ko": "'{entry}' 항목이 없어요.", "en": "No entry '{entry}'."},
    "taught": {
        "ko": "배웠어요: 이제 이 질문에 '{title}' ({id})(으)로 답해요.",
        "en": "Learned: this question now gets '{title}' ({id}).",
    },
    "unlearned": {"ko": "되돌렸어요: {id}에서 이 질문을 뺐어요.", "en": "Undone: {id} no longer has this phrasing."},
    "dismissed": {"ko": "무시했어요: 미답변 목록에서 뺐어요.", "en": "Dismissed: removed from the unanswered list."},
    "stats_title": {"ko": "통계 — 최근 {days}일 · {lesson}", "en": "Stats — last {days} days · {lesson}"},
    "stats_all_lessons": {"ko": "전체 강의", "en": "all lessons"},
    "stats_questions": {"ko": "질문 {n}개", "en": "{n} questions"},
    "stats_answered": {"ko": "답변", "en": "answered"},
    "stats_suggested": {"ko": "제안", "en": "suggested"},
    "stats_declined": {"ko": "답 못함", "en": "declined"},
    "stats_votes": {"ko": "항목별 👍/👎", "en": "👍/👎 per entry"},
}


def text(key: str, lang: Lang, **values: object) -> str:
    """Return one of the bot's interface texts in `lang`, formatted with `values`."""
    template = _TEXTS[key][lang]
    return template.format(**values) if values else template


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
