"""IT concepts a text names, and the decision features built on them: a near miss names what the lesson never does."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from bot.it_lexicon import Lexicon, load_it_lexicon, load_lexicon_groups
from bot.it_terms import TermFinder
from bot.knowledge import load_knowledge
from bot.matching import Matcher
from bot.tuning import MatcherTuning

CONTAINERS = Path(__file__).parent / "fixtures" / "matcher" / "containers.yaml"
GROUPS = (("pod", "pods", "파드", "팟"), ("docker compose", "docker-compose", "도커 컴포즈"), ("docker", "도커"))


def _names(finder: TermFinder, text: str) -> set[str]:
    return {GROUPS[group][0] for group in finder.concepts(text)}


def test_a_concept_is_found_whatever_its_spelling_or_particle() -> None:
    finder = TermFinder(GROUPS)
    assert _names(finder, "What is a Pod?") == {"pod"}
    assert _names(finder, "파드는 뭐야") == {"pod"}
    assert _names(finder, "팟이랑 도커 차이") == {"pod", "docker"}
    assert _names(finder, "tripod") == set()  # a word, not part of one


def test_the_longest_term_wins() -> None:
    finder = TermFinder(GROUPS)
    assert _names(finder, "docker compose 파일") == {"docker compose"}
    assert _names(finder, "docker-compose up") == {"docker compose"}


def test_the_cheap_read_of_the_lexicon_has_the_same_groups_as_the_full_one() -> None:
    assert load_lexicon_groups() == load_it_lexicon().groups()


def test_a_question_naming_a_concept_no_lesson_text_names_is_marked_foreign() -> None:
    matcher = Matcher(load_knowledge(CONTAINERS), tuning=MatcherTuning(decision_model=None))
    near_miss = matcher.assess("what is the difference between a container and a daemonset?")
    on_topic = matcher.assess("what is the difference between a container and a vm?")
    assert near_miss is not None
    assert on_topic is not None
    assert near_miss[1].foreign_concepts > 0
    assert on_topic[1].foreign_concepts == 0.0


def test_without_a_lexicon_no_concept_is_foreign() -> None:
    matcher = Matcher(
        load_knowledge(CONTAINERS), tuning=MatcherTuning(decision_model=None), lexicon=Lexicon.from_groups(())
    )
    assessed = matcher.assess("what is the difference between a container and a daemonset?")
    assert assessed is not None
    assert assessed[1].foreign_concepts == 0.0
    assert assessed[1].uncovered_concepts == 0.0


@given(
    st.lists(
        st.sampled_from(["pod", "파드는", "팟이랑", "docker", "compose", "도커", "컴포즈", "file", "뭐야"]), max_size=10
    )
)
def test_every_word_is_read_as_at_the_start_of_the_longest_term(words: list[str]) -> None:
    # `terms` reads a word no longer term starts with on its own; the same as the longest-term look-up.
    finder = TermFinder(GROUPS)
    expected: dict[int, str] = {}
    start = 0
    while start < len(words):
        size, group, named = finder._longest_at(words, start)
        if group is not None:
            expected.setdefault(group, named)
        start += size
    assert finder.terms(" ".join(words)) == expected
