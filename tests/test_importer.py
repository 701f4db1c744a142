"""`lessonbot import`: lesson Markdown → a draft knowledge file that `check` accepts, and re-import."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.cli import main
from bot.importer import (
    ImportRefused,
    build_draft,
    clean_inline,
    final_consonant,
    find_glossary,
    heading_questions,
    import_lesson,
    parse_markdown,
    particle,
    split_number,
    topic_questions,
)
from bot.importer.yaml_text import format_yaml, read_fingerprints
from bot.it_lexicon import load_it_lexicon
from bot.knowledge import KnowledgeError, load_lesson, parse_knowledge, parse_lesson
from bot.matching import Answer, Matcher
from bot.render import answer_body, render_answer

ROOT = Path(__file__).parent.parent
DAY17 = Path(__file__).parent / "fixtures" / "lessons" / "day17-cicd.md"
DAY16 = ROOT.parent / "shared" / "lessons" / "day16-containers.md"
LESSONS = [DAY17, pytest.param(DAY16, marks=pytest.mark.skipif(not DAY16.exists(), reason="no shared/ lesson"))]

SMALL = """\
## 3일차 – 네트워크 기초

**날짜: 3월 5일**

# **3. 왜 DNS인가**

### 이름으로 찾는 이유

## 1️⃣ DNS(Domain Name System)란?

DNS는 **이름을 주소로 바꾸는 시스템**입니다.

* 도메인 이름을 IP 주소로 변환(이름 풀이)
  .
* 캐시(cache)로 빠르게 응답

## ✅ 오늘의 핵심 요약

* DNS는 이름을 주소로 바꾼다.
"""


def draft_of(text: str, lesson_id: str = "lesson-x") -> dict[str, Any]:
    return build_draft(parse_markdown(text), lesson_id=lesson_id)


def entries_by_id(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in data["entries"]}


# --- parsing ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "day", "date", "title", "subtitle", "course"),
    [
        (DAY17, 17, "7월 3일", "왜 CI/CD인가", "수동 배포의 한계, 그리고 파이프라인으로 가는 이유", "CI/CD 입문"),
        pytest.param(
            DAY16,
            16,
            "7월 2일",
            "왜 컨테이너(Container)인가",
            "VM과의 차이, 그리고 MSA·쿠버네티스로 가는 이유",
            "컨테이너 입문",
            marks=pytest.mark.skipif(not DAY16.exists(), reason="no shared/ lesson"),
        ),
    ],
)
def test_metadata_comes_from_the_header_and_title(
    path: Path, day: int, date: str, title: str, subtitle: str, course: str
) -> None:
    doc = parse_markdown(path.read_text(encoding="utf-8"))
    assert (doc.day, doc.date, doc.title, doc.subtitle, doc.course) == (day, date, title, subtitle, course)


def test_metadata_falls_back_to_the_title_number_and_a_plain_date() -> None:
    doc = parse_markdown("# 7. 캐시\n\n2024-03-05\n\n## 1) 캐시란?\n\n빠른 저장소\n")
    assert (doc.day, doc.date, doc.title) == (7, "2024-03-05", "캐시")


def test_a_day_heading_on_top_and_the_numbered_title_below_it() -> None:
    doc = parse_markdown("# 18일차 - 로드밸런서\n\n## 18. 트래픽 나누기\n\n### 1. 로드밸런서란?\n\n- 분산\n")
    assert (doc.day, doc.course, doc.title) == (18, "로드밸런서", "트래픽 나누기")
    assert [(s.number, s.title, s.level) for s in doc.sections] == [("1", "로드밸런서란?", 3)]


@pytest.mark.parametrize(
    ("heading", "number", "rest"),
    [
        ("1️⃣ MSA에서 컨테이너가 사실상 표준이 된 이유", "1", "MSA에서 컨테이너가 사실상 표준이 된 이유"),
        ("✅ 2) 배포가 “파일 전달”이 아니라 “이미지 교체”", "2", "배포가 “파일 전달”이 아니라 “이미지 교체”"),
        ("📌 1) 지속적 전달(Continuous Delivery)", "1", "지속적 전달(Continuous Delivery)"),
        ("16. 왜 컨테이너(Container)인가", "16", "왜 컨테이너(Container)인가"),
        ("③ 세 번째", "3", "세 번째"),
        ("🔟 열 번째", "10", "열 번째"),
        ("Step 4: 배포", "4", "배포"),
        ("(2) 괄호 번호", "2", "괄호 번호"),
        ("2-1) 헬스 체크", "1", "헬스 체크"),
        ("5.2 하위 절", "2", "하위 절"),
        ("✅ 오늘의 핵심 요약", None, "오늘의 핵심 요약"),
        ("VM vs 컨테이너 핵심 비교", None, "VM vs 컨테이너 핵심 비교"),
        ("3가지 이유", None, "3가지 이유"),
    ],
)
def test_split_number_reads_the_section_numbering(heading: str, number: str | None, rest: str) -> None:
    assert split_number(heading) == (number, rest)


@pytest.mark.parametrize(
    ("path", "ids"),
    [
        (DAY17, "lesson s1 s2 s3 s3-1 s3-2 s4 s4.r1 s4.r2 s4.r3 s4.r4 s5 s5-1 s5-2 s6 summary".split()),
        pytest.param(
            DAY16,
            "lesson s1 s2 s3 s4 s4.r1 s4.r2 s4.r3 s4.r4 s4.r5 s4.r6 s4.r7 s5 s5-1 s5-2 s5-3 s6 s7 summary".split(),
            marks=pytest.mark.skipif(not DAY16.exists(), reason="no shared/ lesson"),
        ),
    ],
)
def test_one_entry_per_section_subsection_and_table_row(path: Path, ids: list[str]) -> None:
    data = draft_of(path.read_text(encoding="utf-8"))
    assert [entry["id"] for entry in data["entries"]] == ids


def test_entries_carry_source_heading_parent_and_neighbours() -> None:
    entries = entries_by_id(draft_of(DAY17.read_text(encoding="utf-8")))
    assert entries["s2"]["source"] == "2️⃣ CI(Continuous Integration)란?"
    sub = entries["s3-2"]
    assert sub["source"] == "3️⃣ CD(Continuous Delivery/Deployment)란? · 📌 2) 지속적 배포(Continuous Deployment)"
    assert sub["parent"] == "s3"
    assert sub["related"] == ["s3", "s3-1"]
    assert entries["s2"]["related"] == ["s1", "s3"]
    assert entries["s3"]["related"][0] == "s3-1"
    assert entries["s4.r1"]["source"] == "4️⃣ 파이프라인의 단계 · 빌드"


def test_section_text_becomes_a_readable_answer_with_nested_bullets_and_quotes() -> None:
    entries = entries_by_id(draft_of(DAY17.read_text(encoding="utf-8")))
    assert entries["s1"]["answer"]["ko"] == (
        "서비스가 커질수록 사람이 직접 하는 배포는 실수의 통로가 됩니다.\n"
        "- 배포 절차가 사람 머릿속에만 있음\n"
        "- 빌드 환경이 개발자 PC마다 다름\n"
        "- 배포 시간이 길어져 한 번에 많이 바꾸게 됨\n"
        "  - 변경이 크면 장애 원인을 찾기 어려움\n"
        "  - 롤백 범위도 커짐\n"
        "결국 배포가 “금요일에는 하지 않는 일”이 됩니다."
    )
    assert entries["s3-2"]["answer"]["ko"].endswith("> 전달은 “언제든 배포 가능”, 배포는 “통과하면 바로 배포”")
    # A section with subsections lists them; bold markers never reach the answer.
    assert entries["s5"]["answer"]["ko"] == "- 1) 빠른 피드백\n- 2) 반복 가능한 배포"
    assert all("**" not in entry.get("answer", {}).get("ko", "") for entry in entries.values())


def test_tables_become_data_with_one_entry_per_row_plus_the_whole_table() -> None:
    data = draft_of(DAY17.read_text(encoding="utf-8"))
    (table,) = data["tables"]
    assert table["id"] == "s4"
    assert table["header"]["ko"] == "단계"
    assert table["columns"]["ko"] == ["하는 일", "예시 도구", "실패하면"]
    assert [(row["key"], row["label"]["ko"]) for row in table["rows"]] == [
        ("r1", "빌드"),
        ("r2", "테스트"),
        ("r3", "패키징"),
        ("r4", "배포"),
    ]
    assert table["rows"][3]["cells"]["ko"] == ["스테이징/운영 환경에 반영", "Argo CD, GitHub Actions", "이전 버전 유지"]
    entries = entries_by_id(data)
    assert entries["s4"]["table"] == "s4"
    assert "row" not in entries["s4"]
    assert (entries["s4.r2"]["table"], entries["s4.r2"]["row"]) == ("s4", "r2")
    assert entries["s4.r2"]["title"]["ko"] == "파이프라인의 단계: 테스트"


@pytest.mark.parametrize(
    ("markdown", "row_title", "asks"),
    [
        # Columns are the things compared: the header names an aspect.
        (
            "| 항목 | VM | 컨테이너 |\n|---|---|---|\n| 시작 속도 | 느림 | 빠름 |",
            "VM vs 컨테이너: 시작 속도",
            "VM과 컨테이너의 시작 속도 차이",
        ),
        # Rows are records, columns their attributes: no "하는 일과 예시 도구의 차이".
        ("| 단계 | 하는 일 | 도구 |\n|---|---|---|\n| 빌드 | 컴파일 | Gradle |", "도구 정리: 빌드", "빌드 하는 일"),
    ],
)
def test_comparison_and_record_tables_are_asked_about_differently(markdown: str, row_title: str, asks: str) -> None:
    data = draft_of(f"# 1. 표\n\n## 1️⃣ 도구 정리\n\n{markdown}\n")
    row = entries_by_id(data)["s1.r1"]
    assert row["title"]["ko"] == row_title
    assert asks in row["questions"]["ko"]


def test_summary_becomes_points_and_a_summary_entry() -> None:
    data = draft_of(DAY17.read_text(encoding="utf-8"))
    assert data["summary"] == {
        "ko": [
            "수동 배포는 실수와 큰 변경을 부른다.",
            "CI는 자주 합치고 자동으로 검증한다.",
            "CD는 언제든 배포 가능한 상태를 유지한다.",
            "파이프라인이 빌드·테스트·배포를 자동으로 이어준다.",
        ],
        "en": None,
    }
    summary = entries_by_id(data)["summary"]
    assert summary["summary"] is True
    assert summary["source"] == "✅ 오늘의 핵심 요약"
    assert "요약해줘" in summary["questions"]["ko"]


@pytest.mark.parametrize(
    ("markup", "text", "bold"),
    [
        ("첫 줄은\n이어진다.", "첫 줄은 이어진다.", ()),
        ("끝난 문장.\n새 문장", "끝난 문장.\n새 문장", ()),
        ("앞\n.\n뒤", "앞 뒤", ()),
        ("  .  ", "", ()),
        ("**“프로세스 실행 환경”**입니다.", "“프로세스 실행 환경”입니다.", ("“프로세스 실행 환경”",)),
        ("**A는\nB다**라고", "A는 B다라고", ("A는 B다",)),
    ],
)
def test_clean_inline_joins_lines_drops_noise_and_finds_bold(markup: str, text: str, bold: tuple[str, ...]) -> None:
    assert clean_inline(markup) == (text, bold)


@pytest.mark.parametrize("path", LESSONS)
def test_noise_lines_are_dropped_everywhere(path: Path) -> None:
    data = draft_of(path.read_text(encoding="utf-8"))
    texts = [*data["summary"]["ko"], *(e.get("answer", {}).get("ko", "") for e in data["entries"])]
    lines = [line.strip() for text in texts for line in text.split("\n")]
    assert all(any(char.isalnum() for char in line) for line in lines if line), lines
    assert not any(line.endswith((" .", "  ")) for line in lines)


# --- Korean particles and generated questions -----------------------------------------------------


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("컨테이너", "이/가", "컨테이너가"),
        ("격리", "이/가", "격리가"),
        ("환경", "이/가", "환경이"),
        ("VM", "이/가", "VM이"),  # 엠
        ("MSA", "은/는", "MSA는"),  # 에이
        ("SQL", "을/를", "SQL을"),  # 엘
        ("API", "을/를", "API를"),  # 아이
        ("쿠버네티스", "을/를", "쿠버네티스를"),
        ("배포", "과/와", "배포와"),
        ("확장", "과/와", "확장과"),
        ("파일", "으로/로", "파일로"),  # ㄹ takes 로
        ("이미지", "으로/로", "이미지로"),
        ("환경", "으로/로", "환경으로"),
        ("이미지", "이란/란", "이미지란"),
        ("자가치유", "이란/란", "자가치유란"),
        ("오토스케일", "이랑/랑", "오토스케일이랑"),
        ("“환경이 같다”", "이/가", "“환경이 같다”가"),
        ("컨테이너(Container)", "이/가", "컨테이너(Container)가"),  # read as the word before the brackets
        ("VM(Virtual Machine)", "은/는", "VM(Virtual Machine)은"),
        ("Docker", "은/는", "Docker는"),  # 도커
        ("Git", "이/가", "Git이"),  # 깃
        ("3", "이/가", "3이"),  # 삼
        ("2", "이/가", "2가"),  # 이
    ],
)
def test_particle_follows_the_final_consonant(word: str, pair: str, expected: str) -> None:
    assert particle(word, pair) == expected


def test_final_consonant_unknown_falls_back_to_a_neutral_spacing() -> None:
    assert final_consonant("…") is None
    assert particle("…", "이/가") == "… 가"


@pytest.mark.parametrize(
    ("topic", "expected"),
    [
        ("컨테이너", ["컨테이너란?", "컨테이너가 뭐야", "컨테이너는 뭐예요?", "컨테이너 뜻"]),
        ("격리 수준", ["격리 수준이란?", "격리 수준이 뭐야", "격리 수준은 뭐예요?"]),
        ("VM", ["VM이란?", "VM이 뭐야", "VM은 뭐예요?"]),
        ("Kubernetes", ["Kubernetes 뜻", "Kubernetes 설명해줘"]),  # no guessed particle after a Latin word
    ],
)
def test_topic_questions_use_the_right_particles(topic: str, expected: list[str]) -> None:
    questions = topic_questions(topic)
    assert all(question in questions for question in expected), questions


@pytest.mark.parametrize(
    ("heading", "asks"),
    [
        ("MSA에서 컨테이너가 사실상 표준이 된 이유", ["MSA에서 컨테이너가 사실상 표준이 된 이유가 뭐야?"]),
        ("쿠버네티스가 필요한 이유", ["쿠버네티스가 왜 필요해?", "왜 쿠버네티스가 필요한 거야?"]),
        ("쿠버네티스(Kubernetes)란?", ["쿠버네티스가 뭐야", "쿠버네티스 특징", "Kubernetes 뜻"]),
        ("VM vs 컨테이너 핵심 비교", ["VM과 컨테이너의 차이", "VM이랑 컨테이너 차이점", "VM vs 컨테이너"]),
        ("캐시와 버퍼의 차이", ["캐시와 버퍼의 차이", "캐시랑 버퍼 차이점"]),
        ("컨테이너의 핵심 가치 3가지", ["컨테이너의 가치", "컨테이너 장점"]),
        ("파이프라인이 주는 이점", ["파이프라인 이점", "파이프라인 장점"]),
        (
            "결론: 컨테이너는 “MSA 운영의 기본 단위”다",
            ["결론이 뭐야?", "컨테이너는 MSA 운영의 기본 단위라는 게 무슨 뜻이야?"],
        ),
        ("배포가 “파일 전달”이 아니라 “이미지 교체”", ["이미지 교체", "이미지 교체가 뭐야"]),
        ("확장과 복구가 빨라짐", ["확장과 복구가 왜 빨라져?", "확장과 복구가 빨라지는 이유"]),
        ("“환경이 같다”", ["환경이 같다는 게 무슨 뜻이야?"]),
    ],
)
def test_heading_questions_by_the_shape_of_the_heading(heading: str, asks: list[str]) -> None:
    questions = heading_questions(heading)
    assert all(question in questions for question in asks), questions


def test_bold_and_bullet_terms_generate_questions_only_where_they_belong() -> None:
    entries = entries_by_id(draft_of(SMALL))
    questions = entries["s1"]["questions"]["ko"]
    assert "DNS가 뭐야" in questions  # heading: 에스 takes 가
    assert "이름 풀이란?" in questions  # a term a bullet names in brackets
    assert "도메인 이름을 IP 주소로 변환" in questions  # a short bullet as it is
    assert "이름을 주소로 바꾸는 시스템" in questions  # a bold phrase
    assert entries["s1"]["title"]["ko"] == "DNS(Domain Name System)란?"
    glossary = draft_of(SMALL)["glossary"]
    # The lesson's own pairs come first, in its spelling; the IT lexicon adds its variants to them.
    assert glossary[0][:2] == ["DNS", "Domain Name System"]
    assert glossary[1][:2] == ["캐시", "cache"]
    assert "캐쉬" in glossary[1]


def test_a_term_named_by_another_sections_heading_is_left_to_that_section() -> None:
    markdown = (
        "# 1. 두 가지\n\n## 1️⃣ 도입 이유\n\n결국 **컨테이너**가 답입니다.\n\n"
        "## 2️⃣ 컨테이너란?\n\n실행 환경을 묶은 단위입니다.\n"
    )
    entries = entries_by_id(draft_of(markdown))
    assert "컨테이너가 뭐야" in entries["s2"]["questions"]["ko"]
    assert not any(q.startswith("컨테이너") for q in entries["s1"]["questions"]["ko"])


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("컨테이너(Container)란?", [["컨테이너", "Container"]]),
        ("VM(Virtual Machine)이란?", [["VM", "Virtual Machine"]]),
        ("게스트 OS(운영체제)", [["운영체제", "OS"]]),
        ("지속적 배포(Continuous Deployment)", [["지속적 배포", "Continuous Deployment"]]),
        ("느림(부팅)", []),  # Korean in Korean brackets is an aside, not a synonym
        ("CD(Continuous Delivery/Deployment)", []),
        ("DNS(Domain Name System)", [["DNS", "Domain Name System"]]),
        # A status the words end in is not their translation; a name spelled in Hangul is.
        ("컨테이너가 강제 종료(OOMKilled) 되고 재시작", []),
        ("재시작 무한 반복(CrashLoopBackOff)", []),
        ("레플리카셋(ReplicaSet)", [["레플리카셋", "ReplicaSet"]]),
        ("컨피그맵(ConfigMap)이란?", [["컨피그맵", "ConfigMap"]]),
    ],
)
def test_glossary_holds_only_the_pairs_the_lesson_writes(text: str, groups: list[list[str]]) -> None:
    assert find_glossary([text]) == groups


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        # One Korean word qualified by two different English words is a general noun the brackets
        # narrow ("incoming traffic (ingress)"), translated by neither.
        ("들어오는 트래픽(ingress)과 나가는 트래픽(egress)을 따로 제어", []),
        ("정확히 일치(Exact)인지, 앞부분 일치(Prefix)인지", []),
        # Korean and English each naming another concept the lexicons know: a gloss, not a synonym.
        ("장애 상태 이름(STATUS)은 힌트", []),
        ("CPU·메모리(requests)만큼 여유", []),
        # Where both name one concept, or the English is new to the lexicons, the pair stands.
        ("지금 단계(Phase)와 노드", [["단계", "Phase"]]),
        ("레플리카셋(ReplicaSet)을 만든다", [["레플리카셋", "ReplicaSet"]]),
    ],
)
def test_glossary_leaves_out_brackets_that_gloss_rather_than_translate(text: str, groups: list[list[str]]) -> None:
    assert find_glossary([text], load_it_lexicon()) == groups


def test_out_of_scope_starts_with_next_lesson_and_homework_unless_the_lesson_covers_them() -> None:
    topics = [item["topic"]["ko"] for item in draft_of(SMALL)["out_of_scope"]]
    assert topics == ["다음 수업 내용", "과제·숙제"]
    covered = SMALL.replace("* 캐시(cache)로 빠르게 응답", "* 오늘의 과제: 캐시 설정")
    assert [item["topic"]["ko"] for item in draft_of(covered)["out_of_scope"]] == ["다음 수업 내용"]


# --- the draft as a knowledge file ----------------------------------------------------------------


@pytest.mark.parametrize("path", LESSONS)
def test_draft_passes_check_with_warnings_for_english_only(path: Path, tmp_path: Path) -> None:
    result = import_lesson(path, folder=tmp_path)
    lesson = load_lesson(result.target)
    assert lesson.draft
    assert lesson.warnings
    assert all(w.severity == "warning" and "English not written yet" in w.message for w in lesson.warnings)
    # English titles and answers are left to write; English questions come from the lesson's English terms.
    assert all(entry.title.en is None for entry in lesson.entries)
    assert len(lesson.entries) >= 10


def test_check_prints_warnings_and_exits_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "day17.yaml"
    assert main(["import", str(DAY17), "-o", str(target)]) == 0
    capsys.readouterr()
    assert main(["check", str(target)]) == 0
    captured = capsys.readouterr()
    assert f"{target}:" in captured.err
    assert ": warning: entry 's1' title: English not written yet" in captured.err
    assert "warning(s)" in captured.out
    assert captured.out.startswith("ok: 1 file(s), 1 lesson(s), 16 entries")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        # Without `draft: true`, en: null is an error: hand-written files stay strict.
        (lambda t: t.replace("draft: true\n", ""), "en: null is allowed only in a draft: true file"),
        # In a draft, an `en` key that is missing altogether is still an error.
        (lambda t: t.replace("      en: null\n", "", 1), "missing 'en'"),
        (lambda t: t.replace("draft: true", "draft: maybe"), "draft: expected true or false"),
    ],
)
def test_missing_english_is_an_error_outside_the_explicit_draft_marker(change: Any, message: str) -> None:
    text = import_lesson(DAY17, output="-", write=False).text
    with pytest.raises(KnowledgeError) as caught:
        parse_lesson(change(text), path="x.yaml")
    assert any(message in p.message for p in caught.value.problems), caught.value.problems


def test_a_draft_with_all_english_written_is_told_to_drop_the_flag() -> None:
    text = (Path(__file__).parent / "fixtures" / "mini.yaml").read_text(encoding="utf-8")
    lesson = parse_lesson("draft: true\n" + text, path="mini.yaml")
    assert [w.message for w in lesson.warnings] == ["draft: every English text is written; remove 'draft: true'"]


def test_english_answer_of_a_draft_is_the_korean_one_under_a_note(tmp_path: Path) -> None:
    knowledge = parse_knowledge([load_lesson(import_lesson(DAY17, folder=tmp_path).target)])
    matcher = Matcher(knowledge)
    result = matcher.ask("CI가 뭐야?")
    assert isinstance(result, Answer)
    candidate = result.candidate
    english = render_answer(knowledge, candidate, "en")
    korean = render_answer(knowledge, candidate, "ko")
    assert english.body.startswith("(No English answer has been written for this yet, so here it is in Korean.)\n\n")
    assert english.body.endswith(korean.body)
    assert "No English" not in korean.body
    lesson = knowledge.lessons[0]
    assert answer_body(lesson, lesson.entry("s4.r1"), "en") == answer_body(lesson, lesson.entry("s4.r1"), "ko")


def test_output_is_deterministic_block_yaml_with_korean_as_written(tmp_path: Path) -> None:
    first = import_lesson(DAY17, output="-", write=False).text
    second = import_lesson(DAY17, output="-", write=False).text
    assert first == second
    assert "\\u" not in first
    assert "수동 배포가 위험한 이유" in first
    assert "    answer:\n      ko: |-\n" in first
    assert first.startswith("# Knowledge for lesson day17-cicd")
    data = yaml.safe_load(first)
    assert list(data)[:3] == ["format", "draft", "lesson"]


# --- re-import --------------------------------------------------------------------------------------


def test_reimport_keeps_hand_written_parts_and_reports_added_and_removed(tmp_path: Path) -> None:
    lesson_md = tmp_path / "day17-cicd.md"
    lesson_md.write_text(DAY17.read_text(encoding="utf-8"), encoding="utf-8")
    target = tmp_path / "day17-cicd.yaml"
    import_lesson(lesson_md, output=target)

    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    entries = entries_by_id(data)
    entries["s2"]["title"]["en"] = "What is CI?"
    entries["s2"]["answer"]["en"] = "CI means merging often and checking every merge automatically."
    entries["s2"]["questions"]["ko"].append("씨아이 뭐임")
    entries["s2"]["questions"]["en"] = ["what is ci", "continuous integration meaning"]
    entries["s2"]["related"].append("s6")
    entries["s1"]["answer"]["en"] = "Manual deploys invite mistakes."
    data["entries"].insert(3, {
        "id": "ci.merge",
        "source": "2️⃣ CI · 병합",
        "title": {"ko": "병합이란?", "en": "What is a merge?"},
        "answer": {"ko": "브랜치를 합치는 것", "en": "Joining branches"},
        "questions": {"ko": ["병합이 뭐야"], "en": ["what is a merge"]},
        "related": ["s2", "s6"],
    })  # fmt: skip
    data["glossary"].append(["병합", "머지", "merge"])
    data["out_of_scope"].append({"topic": {"ko": "Git 사용법", "en": "using Git"}, "terms": ["git"]})
    data["tables"][0]["rows"][0]["label"]["en"] = "Build"
    data["summary"]["en"] = ["one", "two", "three", "four"]
    save_as_edited(target, data)

    # The lesson changes: section 6 becomes 7, a new 6 appears, section 1's text is edited.
    edited = lesson_md.read_text(encoding="utf-8")
    edited = edited.replace("## 6️⃣ 결론", "## 6️⃣ 모니터링\n\n배포 뒤에는 지표를 봅니다.\n\n## 7️⃣ 결론")
    edited = edited.replace("실수의 통로", "사고의 통로")
    lesson_md.write_text(edited, encoding="utf-8")

    with pytest.raises(ImportRefused):
        import_lesson(lesson_md, output=target)  # hand-written work is never replaced without force
    result = import_lesson(lesson_md, output=target, force=True)
    report = result.report
    assert report.previous
    assert report.edited == []  # no Korean was edited by hand: the lesson's new text is taken
    assert report.added == ["s7"]
    assert report.removed == []  # s6 still exists (now "모니터링"), so its id is kept
    assert report.kept == ["ci.merge"]
    assert "s1" in report.changed  # Korean changed under kept English: review it

    merged = yaml.safe_load(target.read_text(encoding="utf-8"))
    after = entries_by_id(merged)
    assert after["s2"]["title"]["en"] == "What is CI?"
    assert after["s2"]["answer"]["en"].startswith("CI means")
    assert "씨아이 뭐임" in after["s2"]["questions"]["ko"]
    assert after["s2"]["questions"]["en"] == ["what is ci", "continuous integration meaning"]
    assert "s6" in after["s2"]["related"]
    assert "사고의 통로" in after["s1"]["answer"]["ko"]
    assert after["s1"]["answer"]["en"] == "Manual deploys invite mistakes."
    assert [e["id"] for e in merged["entries"]].index("ci.merge") == 3
    assert ["병합", "머지", "merge"] in merged["glossary"]
    assert {"topic": {"ko": "Git 사용법", "en": "using Git"}, "terms": ["git"]} in merged["out_of_scope"]
    assert merged["tables"][0]["rows"][0]["label"]["en"] == "Build"
    assert merged["summary"]["en"] == ["one", "two", "three", "four"]
    assert load_lesson(target).draft


def test_reimport_reports_removed_sections_and_drops_links_to_them(tmp_path: Path) -> None:
    target = tmp_path / "small.yaml"
    lesson_md = tmp_path / "small.md"
    lesson_md.write_text(
        SMALL.replace("## ✅", "## 2️⃣ 캐시\n\n캐시는 **임시 저장소**입니다.\n\n## ✅"), encoding="utf-8"
    )
    import_lesson(lesson_md, output=target)
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    entries_by_id(data)["s1"]["related"] = ["s2"]
    save_as_edited(target, data)
    lesson_md.write_text(SMALL, encoding="utf-8")
    result = import_lesson(lesson_md, output=target, force=True)
    assert result.report.removed == ["s2"]
    assert "s2" not in entries_by_id(yaml.safe_load(target.read_text(encoding="utf-8")))["s1"]["related"]


def test_renumbered_section_is_pointed_out(tmp_path: Path) -> None:
    target = tmp_path / "small.yaml"
    lesson_md = tmp_path / "small.md"
    lesson_md.write_text(SMALL, encoding="utf-8")
    import_lesson(lesson_md, output=target)
    lesson_md.write_text(SMALL.replace("## 1️⃣ DNS", "## 2️⃣ DNS"), encoding="utf-8")
    report = import_lesson(lesson_md, output=target).report
    assert (report.added, report.removed) == (["s2"], ["s1"])
    assert any(note.startswith("s1 → s2: same heading") for note in report.notes)


# --- the command line ---------------------------------------------------------------------------------


def test_cli_import_writes_the_file_and_prints_a_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--knowledge", str(tmp_path), "import", str(DAY17)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"imported day17-cicd: 16 entries, 1 table(s) with 4 rows, 4 summary points → {tmp_path}")
    assert "English text(s) to write" in out
    assert (tmp_path / "day17-cicd.yaml").is_file()


def test_cli_import_to_stdout_and_dry_run_write_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "x.yaml"
    assert main(["import", str(DAY17), "-o", "-"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("# Knowledge for lesson day17-cicd")
    assert "→ -" in captured.err
    assert main(["import", str(DAY17), "-o", str(target), "--dry-run"]) == 0
    # The lesson is named by its Markdown file, never by the output's name.
    assert capsys.readouterr().out.startswith("(dry run: nothing written) imported day17-cicd:")
    assert not target.exists()


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda d: d / "missing.md", "cannot read"),
        (lambda d: _write(d / "empty.md", "그냥 문단입니다.\n"), "no lesson title found"),
        (lambda d: _write(d / "title.md", "# 1. 제목만\n"), "no sections found"),
    ],
)
def test_cli_import_failures_exit_2_with_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], setup: Any, message: str
) -> None:
    assert main(["import", str(setup(tmp_path)), "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("lessonbot: cannot import")
    assert message in err
    assert "Traceback" not in err


def test_lesson_id_comes_from_the_file_name_else_the_day_and_title(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(_write(tmp_path / "3일차 노트.md", SMALL)), "--dry-run"]) == 0
    assert "imported day3-dns:" in capsys.readouterr().out
    assert main(["import", str(DAY17), "--id", "Bad_ID!", "--dry-run"]) == 2
    assert "lesson id 'Bad_ID!' must be lowercase" in capsys.readouterr().err


def test_cli_import_refuses_to_overwrite_a_file_that_is_not_knowledge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = _write(tmp_path / "notes.yaml", "- just\n- a list\n")
    assert main(["import", str(DAY17), "-o", str(target)]) == 2
    assert "is not a knowledge file" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8") == "- just\n- a list\n"


def test_ask_does_not_load_the_markdown_parser() -> None:
    code = "import sys; from bot.cli import main; main(['ask', '컨테이너가 뭐야']); print('markdown_it' in sys.modules)"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("False")


def save_as_edited(target: Path, data: dict[str, Any]) -> None:
    """Write `data` over `target` as a person editing it would: the importer's `# imported:` marks stay."""
    marks = read_fingerprints(target.read_text(encoding="utf-8"))
    target.write_text(format_yaml(data, fingerprints=marks), encoding="utf-8")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_table_row_about_an_everyday_aspect_gets_english_questions_naming_it() -> None:
    # "수명" is no IT term: the paraphrase lexicon names it in English (lifespan), so an English
    # question about one row of the comparison finds that row, not only the whole table.
    table = "| 항목 | VM | 컨테이너 |\n|---|---|---|\n| 수명 | 몇 달씩 켜 둠 | 작업이 끝나면 버림 |\n"
    row = entries_by_id(draft_of(f"# 1. 가상화\n\n## 1️⃣ VM과 컨테이너\n\n{table}"))["s1.r1"]
    assert row["questions"]["en"] is not None
    assert "VM vs container lifespan" in row["questions"]["en"]


def test_a_section_whose_subsections_are_cases_of_its_topic_is_asked_what_kinds_there_are() -> None:
    markdown = (
        "# 40. 로드밸런서\n\n## 1️⃣ 로드밸런서(Load Balancer)란?\n\n요청을 나눠 보내는 장치입니다.\n\n"
        "### ✅ 1) 라운드 로빈: 차례대로 보내기\n\n* 서버를 순서대로 돎\n\n"
        "### ✅ 2) 최소 연결: 한가한 서버로 보내기\n\n* 연결 수가 가장 적은 서버를 고름\n"
    )
    entries = entries_by_id(draft_of(markdown))
    assert "로드밸런서 종류 뭐 있어?" in entries["s1"]["questions"]["ko"]
    assert not any("종류" in q for q in entries["s1-1"]["questions"]["ko"])
