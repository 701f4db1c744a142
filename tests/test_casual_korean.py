"""Korean typed casually: place words without their particle, 초성 with a particle's initial typed on.

The lesson is the matcher tests' small one with one entry added here (no eval wording).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge import load_knowledge
from bot.matching import Answer, Matcher

FIXTURES = Path(__file__).parent / "fixtures"
# The matcher's small lesson with one more entry, written the way a hand-written lesson phrases
# what a thing holds (안에/속에, with the particle).
_CONTENTS_ENTRY = """
  - id: container-contents
    source: "9. 컨테이너 내용물"
    title: {ko: "컨테이너 안에는 무엇이 들어가나요?", en: "What goes inside a container?"}
    answer:
      ko: 컨테이너 안에는 앱 코드와 라이브러리, 설정이 들어갑니다.
      en: A container holds the app's code, its libraries and its settings.
    questions:
      ko: [컨테이너 안에 뭐가 있어, 컨테이너 속에 든 것]
      en: [what is inside a container]
"""


@pytest.fixture(scope="module")
def matcher(tmp_path_factory: pytest.TempPathFactory) -> Matcher:
    lesson = tmp_path_factory.mktemp("casual") / "containers.yaml"
    lesson.write_text((FIXTURES / "matcher" / "containers.yaml").read_text(encoding="utf-8") + _CONTENTS_ENTRY)
    return Matcher(load_knowledge(lesson))


@pytest.mark.parametrize("question", ["컨테이너 안 뭐 있음", "컨테이너 안 뭐가 있어", "컨테이너 속 뭐 있음"])
def test_a_bare_place_word_after_a_noun_asks_what_is_inside(matcher: Matcher, question: str) -> None:
    result = matcher.ask(question)
    assert isinstance(result, Answer), (question, result)
    assert result.candidate.entry_id == "container-contents", (question, result)


@pytest.mark.parametrize("question", ["컨테이너 안 돼", "컨테이너 안 뜸", "컨테이너가 안 떠요"])
def test_negation_before_a_verb_is_not_read_as_inside(matcher: Matcher, question: str) -> None:
    readings = [slot.best for slot in matcher.normaliser.question_slots(question) if slot.known]
    assert "안에" not in readings, (question, readings)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        # a particle's or the copula's initial typed on to the last word of a spaced term
        ("ㄱㅅ ㅁㅅㅇ ㅁㅇ", "vm"),
        ("ㄹㄹ ㅇㄷㅇㅌㄴ ㅁㅇ", "k8s.rolling-update"),
        # a term's first initials that are also a chat shorthand (ㄱㅅ, "thanks")
        ("ㄱㅅ ㅁㅅ ㅁㅇ", "vm"),
    ],
)
def test_spaced_choseong_of_a_term_reads_past_a_particle_initial(
    matcher: Matcher, question: str, expected: str
) -> None:
    result = matcher.ask(question)
    picked = result.candidate.entry_id if isinstance(result, Answer) else None
    assert picked == expected, (question, result)


def test_a_chat_shorthand_alone_is_still_chat(matcher: Matcher) -> None:
    assert matcher.normaliser.question_slots("ㄱㅅ ㅋㅋ") == ()
