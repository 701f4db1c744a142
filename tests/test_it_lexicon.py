"""The built-in IT lexicon: packaged data that validates, canonical forms, and a lesson glossary extending it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.it_lexicon import Lexicon, load_it_lexicon, merge_glossary, parse_it_lexicon
from bot.source import SourceError


def test_builtin_lexicon_loads_and_has_several_hundred_concepts() -> None:
    lexicon = load_it_lexicon()
    assert len(lexicon) >= 300


@pytest.mark.parametrize(
    ("term", "canonical"),
    [
        ("팟", "pod"),
        ("포드", "pod"),
        ("Pods", "pod"),
        ("리플리카", "replica"),
        ("디플로이먼트", "deployment"),
        ("레지스트리", "registry"),
        ("다이제스트", "digest"),
        ("레이어", "layer"),
        ("롤링업데이트", "rolling update"),
        ("Rolling-Update", "rolling update"),
        ("네임스페이스", "namespace"),
        ("인그레스", "ingress"),
    ],
)
def test_loanword_spellings_share_one_canonical_form(term: str, canonical: str) -> None:
    assert load_it_lexicon().canonical(term) == canonical


def test_unknown_and_ambiguous_words_have_no_canonical_form() -> None:
    lexicon = load_it_lexicon()
    # 배포 (deploying) is not the Deployment object, and 배치 (placing) is not a batch job.
    assert lexicon.canonical("배포") != lexicon.canonical("디플로이먼트")
    assert lexicon.canonical("배치") is None
    assert lexicon.canonical("안녕하세요") is None


def test_group_of_returns_every_form_canonical_first() -> None:
    group = load_it_lexicon().group_of("파드")
    assert group is not None
    assert group[0] == "pod"
    assert {"파드", "팟", "pods"} <= set(group)


def test_groups_in_finds_terms_as_words_with_particles() -> None:
    lexicon = load_it_lexicon()
    found = {group[0] for group in lexicon.groups_in("파드는 노드에 배치됩니다. tripod")}
    assert {"pod", "node"} <= found
    assert not lexicon.groups_in("프로파드팟") or all(g[0] != "pod" for g in lexicon.groups_in("프로파드팟"))


def test_lesson_glossary_extends_and_joins_lexicon_groups() -> None:
    lexicon = load_it_lexicon()
    merged = merge_glossary(lexicon, [["컨테이너", "도커"]])
    first = merged[0]
    assert first[0] == "컨테이너"  # the lesson's canonical form wins
    assert {"container", "docker", "콘테이너", "다커"} <= set(first)
    assert all("docker" not in group for group in merged[1:])
    extended = Lexicon.from_groups(merge_glossary(lexicon, [["컨테이너", "도커"], ["웹훅", "훅"]]))
    assert extended.canonical("다커") == "컨테이너"
    assert extended.canonical("훅") == "웹훅"
    assert extended.canonical("팟") == "pod"


def test_a_term_in_two_groups_is_reported_with_both_lines() -> None:
    text = "format: 1\ngroups:\n  - [pod, 파드]\n  - [node, 노드]\n  - [pods, 파드]\n"
    with pytest.raises(SourceError) as caught:
        parse_it_lexicon(text, path="lex.yaml")
    assert caught.value.path == "lex.yaml"
    assert caught.value.line == 5
    assert "line 3" in caught.value.message


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("format: 2\ngroups: []\n", 1, "format must be 1"),
        ("format: 1\ngroups:\n  - [pod]\n", 3, "at least two terms"),
        ("format: 1\ngroups:\n  - [pod, 3]\n", 3, "non-empty string"),
        ("format: 1\ngroups: {pod: 파드}\n", 2, "list of term lists"),
        ("format: 1\ngroups: []\nextra: 1\n", 3, "unknown key"),
        ("- [pod, 파드]\n", 1, "mapping"),
    ],
)
def test_bad_lexicon_data_is_one_located_error(text: str, line: int, what: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_it_lexicon(text, path="lex.yaml")
    assert caught.value.line == line
    assert what in caught.value.message


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError):
        load_it_lexicon(tmp_path / "none.yaml")


def test_used_in_keeps_only_the_groups_a_lesson_text_uses() -> None:
    lexicon = load_it_lexicon()
    used = lexicon.used_in(["파드는 컨테이너를 감싼다", "Run it with Docker Compose."])
    assert used.canonical("팟") == "pod"  # 파드는: a term with a particle after it
    assert used.canonical("도커 컴포즈") == "docker compose"  # a term of two words
    assert used.canonical("카프카") is None  # in the lexicon, in no text
    assert len(used) < len(lexicon)


def test_a_word_the_lesson_writes_only_inflected_still_lets_its_group_in() -> None:
    # The lesson says 부족할 / 부족해지면, never 부족 bare: learners asking 모자라면 mean the same word.
    lexicon = Lexicon.from_groups([("lack", "부족", "모자라"), ("kafka", "카프카")])
    used = lexicon.used_in(["메모리가 부족할 때", "노드가 부족해지면"])
    assert used.canonical("모자라") == "lack"
    assert used.canonical("카프카") is None


def test_the_packaged_file_reads_the_same_without_the_yaml_parser() -> None:
    from bot.it_lexicon import _plain_groups, builtin_lexicon_path
    from bot.source import YList, YMap, parse_yaml

    text = Path(builtin_lexicon_path()).read_text(encoding="utf-8")
    plain = _plain_groups(text)
    assert plain is not None  # the packaged file stays in the fast subset: no YAML parser at start-up
    data = parse_yaml(text, path="lexicon")
    assert isinstance(data, YMap)
    listed = data["groups"]
    assert isinstance(listed, YList)
    assert plain == [(listed.line_of(index), list(group)) for index, group in enumerate(listed)]


@pytest.mark.parametrize(
    "group",
    ["[pod, 3]", "[pod, yes]", "[pod, 'quoted']", "[pod, [nested]]", "[pod, 2024-01-02]", "[a: b, c]"],
)
def test_words_yaml_would_read_otherwise_go_to_the_full_parser(group: str) -> None:
    from bot.it_lexicon import _plain_groups

    assert _plain_groups(f"format: 1\ngroups:\n  - {group}\n") is None
