"""Every fixed sentence lessonbot says, in Korean and English: one table for the terminal (render,
chat) and for Discord (its replies, buttons and menus). Slash-command names and descriptions are
Discord's own localisation (discord_app/i18n.KOREAN), not sentences of this table."""

from __future__ import annotations

from bot.knowledge import Lang

TEXTS: dict[str, dict[Lang, str]] = {
    # --- answers, shared by the CLI and Discord ---
    "suggest": {"ko": "혹시 이 질문인가요?", "en": "Did you mean…"},
    "none": {
        "ko": "이 질문은 강의에서 다루지 않는 내용이에요.",
        "en": "The lesson doesn't cover that.",
    },
    "none_topic": {
        "ko": "'{topic}'은(는) 이 강의에서 다루지 않아요.",
        "en": "The lesson doesn't cover {topic}.",
    },
    # Nothing to detect a language from: say it in both.
    "empty": {
        "ko": "질문을 이해하지 못했어요. 강의 내용에 대해 물어봐 주세요. (I couldn't find a question in that.)",
        "en": "I couldn't find a question in that. Ask me about the lesson. (질문을 이해하지 못했어요.)",
    },
    # Chat noise ("ㅇㅋ", "thanks lol"): nothing was asked, so a friendly line and no topic list.
    "chatter": {
        "ko": "네! 강의 내용에 대해 궁금한 게 있으면 물어봐 주세요.",
        "en": "Sure! Ask me anything about the lesson.",
    },
    "topics": {"ko": "이 강의에서 물어볼 수 있는 주제:", "en": "Topics you can ask about:"},
    "pick_number": {"ko": "번호를 입력하면 그 질문에 답해요.", "en": "Type a number to get that answer."},
    "pick_range": {"ko": "1부터 {count}까지의 번호를 입력하세요.", "en": "Type a number from 1 to {count}."},
    "no_pending": {
        "ko": "고를 질문이 없어요. 강의 내용에 대해 물어봐 주세요.",
        "en": "There is nothing to pick from yet. Ask me about the lesson.",
    },
    "too_long": {
        "ko": "질문이 너무 길어요. 4,000자 안으로 물어봐 주세요.",
        "en": "That question is too long: please keep it under 4,000 characters.",
    },
    "help": {
        "ko": (
            "강의 내용을 물어보면 답해요 (한국어나 영어로).\n"
            "  번호      '혹시 이 질문인가요?' 목록에서 고르기\n"
            "  /topics   물어볼 수 있는 주제\n"
            "  /recap    오늘의 핵심 요약\n"
            "  /help     이 도움말\n"
            "  /quit     끝내기 (Ctrl-D도 됨; Ctrl-C는 입력 중인 줄을 지워요)"
        ),
        "en": (
            "Ask about the lesson, in Korean or English, and I answer from it.\n"
            '  a number  picks one of the "Did you mean…" choices\n'
            "  /topics   what you can ask about\n"
            "  /recap    the lesson's key points\n"
            "  /help     this help\n"
            "  /quit     leave (Ctrl-D too; Ctrl-C clears the line being typed)"
        ),
    },
    "source": {"ko": "출처", "en": "Source"},
    "related": {"ko": "이어서 볼 만한 질문", "en": "Related questions"},
    "recap": {"ko": "오늘의 핵심 요약", "en": "Today's key points"},
    "no_english": {
        "ko": "(영어 답변이 아직 없어 한국어로 답해요.)",
        "en": "(No English answer has been written for this yet, so here it is in Korean.)",
    },
    # --- Discord ---
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
    """Return the sentence `key` in `lang`, formatted with `values`."""
    template = TEXTS[key][lang]
    return template.format(**values) if values else template
