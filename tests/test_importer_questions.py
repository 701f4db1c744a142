"""Draft questions from a lesson's body and its English terms, and the draft glossary from the IT lexicon."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from drafts import draft_matcher

from bot.glossary import load_paraphrases
from bot.importer import build_draft, import_lesson, parse_markdown
from bot.importer.questions import asked_questions, english_compare_questions, when_questions
from bot.importer.terms import english_forms, hangul_stems, loanword_pairs
from bot.it_lexicon import load_it_lexicon
from bot.knowledge import load_lesson
from bot.matching import Answer

LESSON = """\
## 5일차 – 쿠버네티스 맛보기

**날짜: 4월 1일**

# **5. 파드(Pod)와 노드(Node)**

## 1️⃣ 파드(Pod)란?

파드는 컨테이너를 감싸는 **최소 실행 단위**입니다.
그럼 왜 컨테이너를 바로 배치하지 않을까요?

* 같은 파드의 컨테이너는 네트워크를 공유함
* 이렇게 **확인하고 맞추는** 과정이 반복됨

## 2️⃣ 파드 vs 노드 비교

| 항목 | 파드(Pod) | 노드(Node) |
|---|---|---|
| 역할 | 컨테이너 실행 단위 | 파드가 도는 머신 |
| 개수 | 수십 개 | 몇 대 |

## 3️⃣ 워크플로 자동화

* 빌드와 배포를 한 번에 묶는 workflow를 만든다
* 테스트 환경에서 쓸 때 특히 편하다

## 4️⃣ 오늘의 소감

* 천천히 익숙해지면 된다

## ✅ 오늘의 핵심 요약

* 파드는 최소 실행 단위다.
"""


def draft() -> dict[str, Any]:
    return build_draft(parse_markdown(LESSON), lesson_id="day5")


def entries() -> dict[str, dict[str, Any]]:
    return {entry["id"]: entry for entry in draft()["entries"]}


def group_with(glossary: list[list[str]], term: str) -> list[str]:
    return next(group for group in glossary if term in group)


# --- glossary: the lesson's pairs, the lexicon's spellings, loanword links -------------------------


def test_glossary_gives_the_lessons_terms_their_common_spellings() -> None:
    glossary = draft()["glossary"]
    pod = group_with(glossary, "파드")
    assert pod[:2] == ["파드", "Pod"]  # the lesson's own pair leads, in its spelling
    assert {"팟", "포드", "pods"} <= set(pod)


def test_glossary_leaves_out_concepts_the_lesson_never_mentions() -> None:
    terms = {term for group in draft()["glossary"] for term in group}
    assert "인그레스" not in terms
    assert "ingress" not in terms


def test_glossary_links_a_loanword_the_lexicon_lacks() -> None:
    assert group_with(draft()["glossary"], "워크플로") == ["워크플로", "workflow"]


def test_loanword_pairs_skip_words_already_known_and_strip_particles() -> None:
    assert hangul_stems("워크플로를 만들고 워크플로는") == ["워크플로", "워크플로를", "만들고", "워크플로는"]
    assert loanword_pairs("워크플로를 쓰는 workflow") == [["워크플로", "workflow"]]
    assert loanword_pairs("워크플로를 쓰는 workflow", known=["워크플로"]) == []


def test_english_forms_name_korean_terms_by_the_lexicon() -> None:
    lexicon = load_it_lexicon()
    assert english_forms("롤링 업데이트: 끊김 없이 조금씩 교체", lexicon) == ["rolling update"]
    assert english_forms("레플리카셋(ReplicaSet)", lexicon) == ["ReplicaSet"]
    assert english_forms("오늘의 소감", lexicon) == []


# --- English questions ------------------------------------------------------------------------------


def test_sections_with_english_terms_get_english_questions() -> None:
    by_id = entries()
    assert "what is Pod" in by_id["s1"]["questions"]["en"]
    assert "difference between Pod and Node" in by_id["s2"]["questions"]["en"]
    role_row = next(e for e in by_id.values() if e.get("row") and e["source"].endswith("역할"))
    assert any("role" in question for question in role_row["questions"]["en"])


def test_english_questions_stay_null_where_the_lesson_has_no_english_term() -> None:
    by_id = entries()
    assert by_id["s4"]["questions"]["en"] is None
    assert by_id["s1"]["answer"]["en"] is None  # the importer writes questions, never English answers


def test_a_row_does_not_repeat_the_tables_questions() -> None:
    # 개수 is an everyday word, named in English by the paraphrase lexicon (count): the row is asked
    # about that aspect, never with the whole table's "Pod vs Node".
    table = next(e for e in entries().values() if e.get("table") and not e.get("row") and e["questions"]["en"])
    count_row = next(e for e in entries().values() if e.get("row") and e["source"].endswith("개수"))
    assert "Pod vs Node count" in count_row["questions"]["en"]
    assert not set(count_row["questions"]["en"]) & set(table["questions"]["en"])


def test_english_compare_questions_need_two_different_terms() -> None:
    assert "Pod vs Node" in english_compare_questions("Pod", "Node")
    assert english_compare_questions("Pod", "pod") == []


def test_an_english_question_finds_a_draft_entry(tmp_path: Path) -> None:
    matcher = draft_matcher(tmp_path, "day5", LESSON)
    for question in ("what is a pod", "팟이 뭐야"):
        found = matcher.ask(question)
        assert isinstance(found, Answer), question
        assert found.candidate.entry_id == "s1"


# --- Korean questions from the body -----------------------------------------------------------------


def test_the_question_a_section_asks_is_one_of_its_phrasings() -> None:
    assert "왜 컨테이너를 바로 배치하지 않을까요?" in entries()["s1"]["questions"]["ko"]
    assert asked_questions(["그럼 왜 그럴까요?", "이건 질문이 아니다."]) == ["왜 그럴까요?"]


def test_a_clause_in_bold_is_not_asked_about_as_a_term() -> None:
    questions = entries()["s1"]["questions"]["ko"]
    assert not any(question.startswith("확인하고 맞추는") for question in questions)


def test_when_questions_only_where_the_text_says_when() -> None:
    korean, english = when_questions("워크플로", ["테스트 환경에서 쓸 때 특히 편하다"], ["workflow"])
    assert "워크플로 언제 써?" in korean
    assert "when to use workflow" in english
    assert when_questions("워크플로", ["빌드와 배포를 묶는다"]) == ([], [])


# --- the draft stays deterministic and valid --------------------------------------------------------


def test_drafts_are_deterministic() -> None:
    assert draft() == draft()


@pytest.mark.parametrize("name", ["day16-containers.md", "day18-k8s-objects.md"])
def test_shared_lessons_import_into_valid_drafts(tmp_path: Path, name: str) -> None:
    lesson = Path(__file__).resolve().parents[2] / "shared" / "lessons" / name
    if not lesson.exists():
        pytest.skip("the shared lessons are not next to this checkout")
    result = import_lesson(lesson, output=tmp_path / "draft.yaml")
    loaded = load_lesson(result.target)
    assert loaded.entries
    english = [entry for entry in loaded.entries if entry.questions.get("en")]
    assert len(english) >= len(loaded.entries) // 2


def test_native_everyday_words_are_never_linked_as_loanwords() -> None:
    # 그런데 / current, 빠르게 / public share consonants only: a draft's glossary must not make them one word.
    text = "그런데 `--current` 로 바꾸면 빠르게 뜹니다. kube-public 은 빠르지 않음. 도커파일 과 Dockerfile"
    assert loanword_pairs(text) == [["도커파일", "Dockerfile"]]


USED_FOR_LESSON = """\
## 21일차 – 워크로드 컨트롤러

# **21. 스테이트풀셋(StatefulSet)**

## 1️⃣ 디플로이먼트(Deployment)만으로는 부족한 이유

* 디플로이먼트는 상태가 없는(Stateless) 앱을 가정한다
* 데이터베이스처럼 상태가 있는 앱에는 스테이트풀셋(StatefulSet)을 쓴다
* 그래서 스테이트풀셋이 필요하다

## 2️⃣ 스테이트풀셋(StatefulSet)이란?

* 파드마다 고정된 이름과 볼륨(Volume)을 준다
* 순서대로 만들고 순서대로 지운다
"""


def test_what_is_x_used_for_finds_the_definition_of_x_on_a_draft(tmp_path: Path) -> None:
    # "used for" asks what the thing is, not why another one falls short: the definition answers it.
    matcher = draft_matcher(tmp_path, "day21", USED_FOR_LESSON)
    for question in ("What is a StatefulSet used for?", "when to use a StatefulSet"):
        found = matcher.ask(question)
        assert isinstance(found, Answer), question
        assert found.candidate.entry_id == "s2", question


VERB_LESSON = """\
## 18일차 – 오브젝트

# **18. 파드(Pod)와 디플로이먼트(Deployment)**

## 1️⃣ 파드(Pod)란?

* 컨테이너를 실행하는 최소 단위
* 노드가 죽으면 파드도 사라진다

## 2️⃣ 파드 vs 디플로이먼트 비교

| 항목 | 파드(Pod) | 디플로이먼트(Deployment) |
|---|---|---|
| 역할 | 컨테이너 실행 단위 | 개수와 버전을 관리 |
| 복제 | 스스로 못 함 | replicas로 개수 지정 |
| 장애 시 | 그대로 사라짐 | 새 파드를 자동 생성 |
| 직접 만드는 경우 | 테스트용 | 실무 배포의 기본 |
"""


def test_an_english_verb_finds_the_row_named_by_the_korean_noun(tmp_path: Path) -> None:
    # Learners ask "when something fails" where the table says 장애 시 (failure, outage).
    matcher = draft_matcher(tmp_path, "day18", VERB_LESSON)
    found = matcher.ask("when something fails, how does a pod behave vs a deployment?")
    assert isinstance(found, Answer)
    assert found.candidate.entry_id == "s2.r3"


def test_english_verbs_and_adverbs_share_a_group_with_the_korean_noun() -> None:
    lexicon, paraphrases = load_it_lexicon(), load_paraphrases()
    assert lexicon.canonical("fail") == lexicon.canonical("장애")
    assert lexicon.canonical("replicate") == lexicon.canonical("복제")
    assert paraphrases.canonical("directly") == paraphrases.canonical("직접")
    # kubectl's short name is how people write it in chat ("loadbalancer svc").
    assert lexicon.canonical("svc") == lexicon.canonical("서비스")


def test_tldr_of_todays_lesson_is_the_summary_not_the_overview(tmp_path: Path) -> None:
    matcher = draft_matcher(tmp_path, "day5", LESSON)
    found = matcher.ask("tl;dr of today's lesson?")
    assert isinstance(found, Answer)
    assert found.candidate.entry_id == "summary"
