"""English questions on an imported draft: the everyday English a learner asks a Korean lesson with.

A draft's English answers are null; its English comes from the lesson's English terms, the built-in
IT lexicon and the paraphrase groups. These tests use a small lesson written here (no eval wording).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from drafts import draft_matcher

from bot.importer import import_lesson
from bot.lexicon import english_variants
from bot.matching import Matcher

FIXTURES = Path(__file__).parent / "fixtures"

_LESSON = (
    "## 31일차 – 운영 기초\n\n**날짜: 9월 2일**\n\n# **31. 주소와 확장**\n\n"
    "## 1️⃣ 게이트웨이란? (바뀌는 서버 앞의 고정 주소)\n\n"
    "게이트웨이는 서버가 바뀌어도 같은 주소를 줍니다.\n\n* 서버는 수명이 짧고 다시 만들어지면 복구되지 않음\n\n"
    "## 2️⃣ 설정은 이미지 밖에\n\n이미지 안 설정값의 하드코딩은 바꿀 때마다 다시 빌드해야 합니다.\n\n"
    "## 3️⃣ 늘릴 때는 빠르게, 줄일 때는 천천히\n\n스케일 다운은 기본 5분을 기다립니다.\n"
)


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    return draft_matcher(tmp_path_factory.mktemp("draft"), "day31-ops", _LESSON)


def readings(matcher: Matcher, question: str) -> list[str]:
    return [slot.best for slot in matcher.normaliser.question_slots(question) if slot.known]


@pytest.mark.parametrize(
    ("english", "korean"),
    [
        ("fixed", "고정"),  # a fixed address is the lesson's 고정 주소, not a solved problem
        ("lives", "수명"),  # "how long does it live"
        ("comes back", "복구"),
        ("bake", "하드코딩"),  # "bake the password into the image"
        ("scaling down", "스케일 다운"),
        ("slowly", "천천히"),
    ],
)
def test_everyday_english_reads_as_the_drafts_korean(draft: Matcher, english: str, korean: str) -> None:
    read = readings(draft, english)
    assert read
    assert set(read) <= set(readings(draft, korean))


def test_the_lessons_conjugated_verbs_meet_their_english(draft: Matcher) -> None:
    # The heading writes 늘릴/줄일 (-ㄹ forms): "increase" and "decrease" must reach them.
    assert readings(draft, "늘릴") == readings(draft, "increase")
    assert readings(draft, "줄일") == readings(draft, "decrease")


def test_during_is_no_topic_word(draft: Matcher) -> None:
    # A preposition, not a typo of a lesson word ("during" once read as "differ").
    assert draft.normaliser.question_slots("during") == ()


@pytest.mark.parametrize(("plural", "singular"), [("ips", "ip"), ("vms", "vm"), ("pvs", "pv")])
def test_plurals_of_two_letter_terms_reach_the_term(plural: str, singular: str) -> None:
    assert singular in english_variants(plural)


def test_spin_up_is_not_read_as_a_startup_probe(tmp_path: Path) -> None:
    # "start up" compacts to "startup": it used to merge every start word into a lesson's Startup term.
    matcher = draft_matcher(
        tmp_path,
        "day32-probes",
        "## 32일차 – 프로브\n\n**날짜: 9월 3일**\n\n# **32. 프로브**\n\n"
        "## 1️⃣ 스타트업 프로브(Startup Probe)\n\n느리게 뜨는 앱을 보호합니다.\n\n"
        "## 2️⃣ 파드를 더 띄우기\n\n파드를 여러 개 띄웁니다.\n",
    )
    assert "스타트업" not in readings(matcher, "spin up more pods")


def test_a_section_about_two_things_is_asked_how_they_differ(tmp_path: Path) -> None:
    result = import_lesson(FIXTURES / "lessons" / "day7-objects.md", output=tmp_path / "day7.yaml")
    data: dict[str, Any] = yaml.safe_load(Path(result.target).read_text(encoding="utf-8"))
    entries = {entry["id"]: entry for entry in data["entries"]}
    english = [q.casefold() for q in entries["s1"]["questions"]["en"]]
    assert "difference between replicaset and deployment" in english


_SETTINGS_LESSON = (
    "## 33일차 – 설정과 버전\n\n**날짜: 9월 4일**\n\n# **33. 설정과 버전**\n\n"
    "## 1️⃣ 기본값 알아보기\n\n타임아웃의 기본값은 30초입니다.\n\n"
    "## 2️⃣ 예전 버전으로 돌아가기\n\n이전 버전 기록이 남아 있어 옛날 설정으로 돌아갈 수 있습니다.\n\n"
    "## 3️⃣ 전체 이름 규칙\n\n게이트웨이의 전체 이름은 길게 씁니다.\n"
)


@pytest.mark.parametrize(
    ("english", "korean"),
    [
        ("default", "기본값"),
        ("by default", "기본값"),
        ("old", "예전"),
        ("older", "옛날"),
        ("previous", "이전"),
        ("full", "전체"),
    ],
)
def test_english_of_defaults_and_versions_reads_as_the_drafts_korean(tmp_path: Path, english: str, korean: str) -> None:
    # Words a learner asks any lesson with: "what's the default", "the old version", "the full name".
    matcher = draft_matcher(tmp_path, "day33-settings", _SETTINGS_LESSON)
    read = readings(matcher, english)
    assert read
    assert set(read) <= set(readings(matcher, korean))
