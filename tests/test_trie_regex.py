"""The one-regex alternation of many terms: longest term first, and the same regex whatever the order."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.trie_regex import trie_regex


def test_the_longest_term_wins_where_terms_share_a_prefix() -> None:
    pattern = re.compile(trie_regex([list("마이크로"), list("마이크로서비스"), list("마이")]))
    found = pattern.match("마이크로서비스 아키텍처")
    assert found is not None
    assert found.group(0) == "마이크로서비스"


def test_the_same_terms_in_any_order_give_the_same_regex() -> None:
    # Terms often come from a set, whose order changes with the hash seed between runs; a question
    # must be read the same way in every run.
    terms = [["micro", r"[\s\-]*", "service"], ["micro", "k", "8", "s"], ["마", "이"], ["a", "b"], ["a", "c"]]
    assert trie_regex(terms) == trie_regex(list(reversed(terms)))
    assert trie_regex(terms) == trie_regex([terms[2], terms[0], terms[4], terms[1], terms[3]])


def test_a_longer_term_wins_over_a_shorter_one_ending_in_a_zero_width_marker() -> None:
    # Each term ends in a word-boundary lookahead and an empty named group that tells which matched:
    # those match no characters, so they must not cut "kubectl logs" short at "kubectl".
    alternatives = [["kubectl", "(?![a-z])", "(?P<short>)"], ["kubectl", "[ ]*", "logs", "(?![a-z])", "(?P<long>)"]]
    pattern = re.compile(trie_regex(alternatives))
    found = pattern.search("kubectl logs로")
    assert found is not None
    assert found.lastgroup == "long"
    short = pattern.search("kubectl get")
    assert short is not None
    assert short.lastgroup == "short"


@given(
    st.lists(st.text(alphabet="ab-.^]\\ 가나", min_size=1, max_size=4), min_size=1, max_size=12),
    st.text(alphabet="ab-.^]\\ 가나x", max_size=30),
)
def test_the_trie_finds_what_a_longest_first_alternation_finds(terms: list[str], text: str) -> None:
    # The trie (with its class test of first characters before many branches) is only a faster way to
    # write the alternation of the terms, longest first: the same matches, found at the same places.
    plain = re.compile("|".join(re.escape(term) for term in sorted(set(terms), key=lambda t: (-len(t), t))))
    trie = re.compile(trie_regex([re.escape(char) for char in term] for term in terms))
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_many_branches_of_plain_characters_are_tested_as_one_class_first() -> None:
    # A long question is scanned at every character: a position no term starts at is rejected by one
    # class test, not branch by branch.
    pattern = trie_regex([list("apple"), list("banana"), list("cherry"), list("date"), list("가지")])
    assert pattern.startswith("(?=[abcd가])(?:")
