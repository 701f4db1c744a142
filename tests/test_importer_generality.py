"""What a draft answers on a lesson of another topic (tests/fixtures/lessons/day12-logging.md): the kinds
of question that reach the wrong entry, or none, on a fresh import — a table row's own words, a YAML
key late in a long manifest, an acronym typed as it is said, a why-question the text answers with
"그래야 …", the date asked by what was learnt that day."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.importer import import_lesson
from bot.knowledge import Entry, Lesson, load_lesson, parse_knowledge
from bot.matching import Answer, Matcher

LESSON = Path(__file__).parent / "fixtures" / "lessons" / "day12-logging.md"


Imported = tuple[Matcher, Lesson, str]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Imported:
    """The fixture lesson imported with no edits: its matcher, the draft, and the draft file's text."""
    target = tmp_path_factory.mktemp("draft") / "day12-logging.yaml"
    import_lesson(LESSON, output=target)
    lesson = load_lesson(target)
    return Matcher(parse_knowledge([lesson])), lesson, target.read_text(encoding="utf-8")


def entry(lesson: Lesson, entry_id: str) -> Entry:
    return next(e for e in lesson.entries if e.id == entry_id)


def answered(matcher: Matcher, question: str) -> str | None:
    result = matcher.ask(question)
    return result.candidate.entry_id if isinstance(result, Answer) else None


@pytest.mark.parametrize(
    ("question", "row"),
    [
        ("서비스 멈출 정도의 실패는 어떤 레벨이야?", "s2-1.r1"),  # a record row, from what its first cell says
        ("로그는 양이 많음?", "s3.r2"),  # a phrase a comparison row marks in bold belongs to that row
    ],
)
def test_a_question_about_what_a_table_row_says_reaches_that_row(imported: Imported, question: str, row: str) -> None:
    assert answered(imported[0], question) == row


def test_a_bold_phrase_in_a_table_cell_is_not_a_topic_of_the_section(
    imported: Imported,
) -> None:
    section, row = entry(imported[1], "s3"), entry(imported[1], "s3.r2")
    assert not any("적게 듦" in q for q in section.questions.ko)
    assert "적게 듦" not in section.keywords
    assert any("적게 듦" in q for q in row.questions.ko)


def test_a_yaml_key_late_in_a_long_manifest_is_still_asked_about(imported: Imported) -> None:
    # the last key of the manifest: the cap of eight counts keys only after those another entry explains (logPath)
    assert answered(imported[0], "dashboardTitle 뭐야?") == "s4"


def test_a_setting_the_text_writes_inline_is_asked_about_as_an_option(imported: Imported) -> None:
    assert answered(imported[0], "compress 옵션 켜면 어떻게 돼?") == "s2"


def test_one_clause_of_a_long_bullet_finds_its_entry(imported: Imported) -> None:
    assert answered(imported[0], "한 줄에 사건 하나만 적어야 돼?") == "s4"


def test_an_acronym_typed_as_it_is_said_finds_its_entry(imported: Imported) -> None:
    assert answered(imported[0], "에스엘오가 뭐야?") == "s2"


def test_glossary_pairs_no_korean_words_with_the_key_written_beside_them(
    imported: Imported,
) -> None:
    glossary = imported[2].split("glossary:", 1)[1].split("out_of_scope:", 1)[0]
    assert "logPath" not in glossary
    assert "retentionDays" not in glossary
    assert "이알알오알" not in glossary  # ERROR is a word in capitals, not letters to spell out


def test_why_questions_the_text_answers_with_a_consequence_or_a_problem(
    imported: Imported,
) -> None:
    section = entry(imported[1], "s1")
    # "로그를 서버 안에만 두면 문제가 생깁니다" and "그래야 장애 원인을 빨리 찾을 수 있습니다"
    assert "로그를 서버 안에만 두면 뭐가 문제야?" in section.questions.ko
    assert "장애 원인을 빨리 찾을 수 있는 이유" in section.questions.ko
    matcher = imported[0]
    assert answered(matcher, "로그를 서버에만 두면 뭐가 문제야?") == "s1"
    assert answered(matcher, "장애 원인 빨리 찾을 수 있는 건 왜야?") == "s1"


def test_the_lesson_date_is_found_by_what_was_learnt_that_day(imported: Imported) -> None:
    assert answered(imported[0], "로그 수집기 배운 날이 며칠이었지?") == "lesson"


def test_a_two_word_term_typed_as_spaced_initials_reaches_its_section(imported: Imported) -> None:
    # "로그 수집기" is one term of the lesson: its initials typed word by word are that term, not
    # 로그 and 수집기 apart (which the section on the collector's settings file matches better).
    assert answered(imported[0], "ㄹㄱ ㅅㅈㄱ") == "s2"
    assert answered(imported[0], "ㄹㄱㅅㅈㄱ") == "s2"


def test_a_draft_does_not_answer_outright_a_question_about_a_concept_its_lesson_never_names(
    imported: Imported,
) -> None:
    # Sidecars are an IT concept the logging lesson never names: its sections match "로그 모으는"
    # loosely, but the question is about the sidecar pattern (a near miss, offered at most).
    assert answered(imported[0], "사이드카로 로그 모으는 법") is None


def test_the_lessons_conclusion_asked_for_is_its_conclusion_section_not_the_summary(tmp_path: Path) -> None:
    # "6️⃣ 결론: 배포는 … 습관이다" closes the CI/CD lesson; asked for "today's conclusion", a
    # draft answers with it, not with the key-points summary that "오늘 수업" also matches.
    target = tmp_path / "day17-cicd.yaml"
    import_lesson(LESSON.with_name("day17-cicd.md"), output=target)
    matcher = Matcher(parse_knowledge([load_lesson(target)]))
    assert answered(matcher, "오늘 수업 결론이 뭐야? 한마디로") == "s6"
