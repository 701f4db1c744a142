"""`lessonbot eval` and bot/evaluation.py: strict vs first choice, section-labelled sets, gates, warnings.

Judging is tested on fixture lessons (tests/fixtures), never the bundled one, so tuning the matcher
or editing the day-16 lesson cannot change what these tests expect.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.evaluation import (
    EvalItem,
    Judge,
    check_floor,
    gate,
    heading_key,
    judge_result,
    parse_eval_set,
    parse_floor,
    run_eval,
    summarise,
)
from bot.index import Candidate
from bot.knowledge import Knowledge, Text, load_knowledge
from bot.matching import Answer, Matcher, NoMatch, Suggestions
from bot.source import SourceError

FIXTURES = Path(__file__).parent / "fixtures"
PETS = FIXTURES / "discord" / "day1-pets.yaml"
BIRDS = FIXTURES / "discord" / "day2-birds.yaml"
PLANTS = FIXTURES / "eval" / "day5-plants.yaml"

# On the pets fixture: a clear answer, an ambiguous question (suggestions: food.cat and food.dog share
# their phrasings on purpose), and a question it must not answer.
PETS_SET = """\
- {q: "What is a cat?", ids: [cat], lang: en, kind: plain}
- {q: "pet food?", ids: [food.cat, food.dog], lang: en, kind: plain}
- {q: "오늘 점심 뭐 먹지", ids: null, lang: ko, kind: offtopic}
"""


def section_item(section: str | None, row: str | None = None) -> EvalItem:
    return EvalItem("?", None, "ko", "plain", section=section, row=row)


def candidate(lesson_id: str, entry_id: str) -> Candidate:
    return Candidate(lesson_id, entry_id, 0.7, Text("t", "t"))


@pytest.fixture(scope="module")
def plants() -> Knowledge:
    return load_knowledge(PLANTS)


# --- parsing -------------------------------------------------------------------------------------


def test_both_label_formats_parse_with_their_lines() -> None:
    text = (
        '- {q: "컨테이너가 뭐야?", ids: [container], lang: ko, kind: plain}\n'
        '- q: "파드가 뭐야?"\n'
        '  section: "1️⃣ 파드(Pod)란?"\n'
        "  lang: ko\n"
        "  kind: plain\n"
        '- {q: "비교표의 수명", section: "4️⃣ 비교", row: 수명, lang: ko, kind: plain}\n'
        '- {q: "Ingress?", section: null, lang: en, kind: near-miss}\n'
    )
    items = parse_eval_set(text, path="set.yaml")
    assert [(i.ids, i.section, i.row, i.line) for i in items] == [
        (("container",), None, None, 1),
        (None, "1️⃣ 파드(Pod)란?", None, 2),
        (None, "4️⃣ 비교", "수명", 6),
        (None, None, None, 7),
    ]
    assert [i.answerable for i in items] == [True, True, True, False]


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        ('- {q: "x", lang: ko, kind: plain}\n', "set.yaml:1:", "exactly one of `ids`"),
        ('- {q: "x", ids: [a], section: s, lang: ko, kind: plain}\n', "set.yaml:1:", "exactly one of `ids`"),
        ('- {q: "ok", ids: [a], lang: ko}\n- {q: "x", section: null, row: r, lang: ko}\n', "set.yaml:2:", "row:"),
        ('- {q: "x", section: "", lang: ko}\n', "set.yaml:1:", "section:"),
        ('- {q: "x", ids: [], lang: ko}\n', "set.yaml:1:", "ids:"),
        ('- {q: "x", ids: null, lang: de}\n', "set.yaml:1:", "lang: expected one of ko, en, mixed"),
        ('- {q: "x", ids: null, lang: ko, kinds: typo}\n', "set.yaml:1:", "unknown key 'kinds'"),
        ('- {q: "", ids: null, lang: ko}\n', "set.yaml:1:", "q: expected a non-empty question"),
        ("- just a string\n", "set.yaml:1:", "expected a mapping"),
        ("q: not a list\n", "set.yaml:1:", "expected a non-empty list"),
        ("[]\n", "set.yaml:1:", "expected a non-empty list"),
        ('- {q: "x", ids: null\n', "set.yaml:", "invalid YAML"),
    ],
)
def test_a_bad_eval_file_is_one_line_per_problem_with_file_and_line(text: str, where: str, says: str) -> None:
    with pytest.raises(SourceError) as caught:
        parse_eval_set(text, path="set.yaml")
    assert len(caught.value.problems) == 1
    message = str(caught.value)
    assert message.startswith(where)
    assert says in message
    assert "\n" not in message


# --- judging -------------------------------------------------------------------------------------


def test_headings_compare_without_emoji_numbering_markup_or_spaces() -> None:
    assert heading_key("1️⃣ 파드(Pod)란?") == heading_key("파드 (pod) 란")
    assert heading_key("✅ 1) **과습**: 뿌리가 썩는다") == heading_key("과습: 뿌리가  썩는다")
    assert heading_key("18. 파드(Pod), 서비스") == heading_key("파드(Pod) 서비스")
    assert heading_key("1️⃣ 파드") != heading_key("2️⃣ 서비스")


def test_a_section_is_answered_by_the_entry_of_that_heading_only(plants: Knowledge) -> None:
    judge = Judge(plants, [])
    section = section_item("1️⃣ 물 주기 (가장 흔한 실수)")
    subsection = section_item("✅ 1) 과습: 뿌리가 썩는다")
    assert judge.accepts(section, "day5-plants", "s1")
    assert not judge.accepts(section, "day5-plants", "s1-1")  # a part does not answer the whole
    assert judge.accepts(subsection, "day5-plants", "s1-1")
    assert not judge.accepts(subsection, "day5-plants", "s1")  # nor the whole one part
    assert judge.accepts(section_item("✅ 오늘의 핵심 요약"), "day5-plants", "summary")
    assert not judge.accepts(section_item(None), "day5-plants", "s1")


def test_a_row_question_is_answered_by_that_rows_entry_only(plants: Knowledge) -> None:
    judge = Judge(plants, [])
    water = section_item("3️⃣ 선인장 vs 고사리", row="물 주기")
    assert judge.accepts(water, "day5-plants", "s3.r1")
    assert not judge.accepts(water, "day5-plants", "s3")  # the whole table
    assert not judge.accepts(water, "day5-plants", "s3.r2")  # another row
    assert judge.accepts(section_item("3️⃣ 선인장 vs 고사리", row="Watering"), "day5-plants", "s3.r1")
    # A question about the whole comparison is not answered by one of its rows.
    assert not judge.accepts(section_item("3️⃣ 선인장 vs 고사리"), "day5-plants", "s3.r1")
    assert judge.accepts(section_item("3️⃣ 선인장 vs 고사리"), "day5-plants", "s3")


@pytest.mark.parametrize("heading", ["5일차 – 식물 이야기", "Day 5: plants", "식물(Plant) 기르기"])
def test_the_lessons_own_heading_is_answered_by_its_lesson_entry(plants: Knowledge, heading: str) -> None:
    judge = Judge(plants, [])
    assert judge.accepts(section_item(heading), "day5-plants", "lesson")
    assert not judge.accepts(section_item("6일차 – 다른 날"), "day5-plants", "lesson")


def test_answers_from_another_loaded_lesson_never_count() -> None:
    both = load_knowledge(PETS.parent)  # pets and birds, both with a `summary` entry
    items = [EvalItem("summary?", ("summary",), "en", "plain"), EvalItem("cat?", ("cat",), "en", "plain")]
    judge = Judge(both, items)
    assert judge.lesson.id == "day1-pets"  # the lesson that holds the set's ids
    assert judge.accepts(items[0], "day1-pets", "summary")
    assert not judge.accepts(items[0], "day2-birds", "summary")
    assert Judge(both, items, lesson_id="day2-birds").accepts(items[0], "day2-birds", "summary")
    with pytest.raises(ValueError, match="no lesson 'day9'"):
        Judge(both, items, lesson_id="day9")


def test_strict_counts_only_answers_and_first_choice_counts_the_first_suggestion(plants: Knowledge) -> None:
    judge = Judge(plants, [])
    asked = EvalItem("?", ("s1",), "ko", "plain")
    null = EvalItem("?", None, "ko", "offtopic")
    right, wrong = candidate("day5-plants", "s1"), candidate("day5-plants", "s3")
    assert judge_result(judge, asked, Answer(right, "ko")) == (True, True)
    assert judge_result(judge, asked, Answer(wrong, "ko")) == (False, False)
    assert judge_result(judge, asked, Suggestions((right, wrong), "ko")) == (False, True)
    assert judge_result(judge, asked, Suggestions((wrong, right), "ko")) == (False, False)
    assert judge_result(judge, asked, NoMatch("ko", "unknown")) == (False, False)
    # A null question: only "did you mean" is not an answer, but it is a (wrong) first choice.
    assert judge_result(judge, null, NoMatch("ko", "unknown")) == (True, True)
    assert judge_result(judge, null, Suggestions((right,), "ko")) == (True, False)
    assert judge_result(judge, null, Answer(right, "ko")) == (False, False)


def test_a_label_no_entry_has_is_warned_about_once_with_its_lines(plants: Knowledge) -> None:
    text = (
        '- {q: "a", ids: [s1, nope], lang: ko, kind: plain}\n'
        '- {q: "b", ids: [nope], lang: ko, kind: plain}\n'
        '- {q: "c", section: "9️⃣ 없는 절", lang: ko, kind: plain}\n'
        '- {q: "d", section: "3️⃣ 선인장 vs 고사리", row: 가격, lang: ko, kind: plain}\n'
        '- {q: "e", section: "1️⃣ 물 주기 (가장 흔한 실수)", lang: ko, kind: plain}\n'
    )
    items = parse_eval_set(text, path="set.yaml")
    warnings = [str(w) for w in Judge(plants, items).warnings(items, path="set.yaml")]
    assert len(warnings) == 3
    assert warnings[0].startswith("set.yaml:1: warning: expected id 'nope' is not an entry of lesson day5-plants")
    assert warnings[0].endswith("(also line 2)")
    assert warnings[1].startswith("set.yaml:3: warning: section '9️⃣ 없는 절' has no entry")
    assert warnings[2].startswith("set.yaml:4: warning: section '3️⃣ 선인장 vs 고사리' row '가격' has no entry")


# --- summaries and gates -------------------------------------------------------------------------


def test_the_summary_reports_strict_first_choice_and_abstain_per_lang_and_kind() -> None:
    matcher = Matcher(load_knowledge(PETS))
    outcomes = run_eval(matcher, parse_eval_set(PETS_SET, path="pets.yaml"))
    assert [o.status for o in outcomes] == ["answer", "suggest", "none"]
    summary = summarise(outcomes)
    assert summary["strict"] == {"n": 3, "right": 2, "rate": 0.6667}
    assert summary["first_choice"]["right"] == 3
    assert summary["answerable"]["strict"]["right"] == 1
    assert summary["abstain"] == {"n": 1, "right": 1, "rate": 1.0}
    assert summary["by_lang"]["en"]["strict"]["rate"] == 0.5
    assert summary["by_lang"]["en"]["first_choice"]["rate"] == 1.0
    assert set(summary["by_kind"]) == {"plain", "offtopic"}
    assert summary["statuses"] == {"answer": 1, "suggest": 1, "none": 1}


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -0.01, 1.5, 5])
def test_a_floor_outside_0_to_1_or_nan_is_refused(bad: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        check_floor(bad, name="the floor")
    with pytest.raises(ValueError, match="between 0 and 1"):
        gate({"strict": {"rate": 1.0}, "abstain": {"rate": 1.0}}, min_strict=bad)


@pytest.mark.parametrize("text", ["nan", "NaN", "-1", "5", "1e300", "ninety", ""])
def test_parse_floor_refuses_text_that_is_no_rate(text: str) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        parse_floor(text)


def test_the_gate_checks_strict_and_abstain_separately() -> None:
    summary = {"strict": {"rate": 0.9}, "abstain": {"rate": 0.8}}
    assert gate(summary, min_strict=0.9, min_abstain=0.8) == []
    failures = gate(summary, min_strict=0.95, min_abstain=0.85)
    assert failures == [
        "strict accuracy 0.9000 is below the floor 0.9500",
        "abstain on null questions 0.8000 is below the floor 0.8500",
    ]
    with pytest.raises(ValueError, match="needs null questions"):
        gate({"strict": {"rate": 1.0}, "abstain": {"rate": None}}, min_abstain=0.5)


# --- the command line ----------------------------------------------------------------------------


@pytest.fixture
def pets_set(tmp_path: Path) -> Path:
    path = tmp_path / "pets.yaml"
    path.write_text(PETS_SET, encoding="utf-8")
    return path


def test_eval_json_is_one_line_per_question_then_the_summary(
    pets_set: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--knowledge", str(PETS), "eval", str(pets_set), "--json"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(lines) == 4
    assert [(r["status"], r["strict"], r["first_choice"]) for r in lines[:3]] == [
        ("answer", True, True),
        ("suggest", False, True),
        ("none", True, True),
    ]
    assert lines[1]["expected"] == ["food.cat", "food.dog"]
    assert lines[2]["expected"] is None
    summary = lines[-1]["summary"]
    assert summary["lesson"] == "day1-pets"
    assert summary["strict"]["rate"] == 0.6667
    assert {"p50", "p99"} <= summary["latency_us"].keys()


def test_eval_text_report_leads_with_strict(pets_set: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--knowledge", str(PETS), "eval", str(pets_set), "-v"]) == 0
    out = capsys.readouterr().out
    assert f"✗ {pets_set}:2 [plain] 'pet food?' want food.cat,food.dog got food." in out
    assert "judged on lesson day1-pets" in out
    assert out.splitlines()[2].split() == ["strict", "first", "choice"]
    assert "overall          66.7% (2/3)        100.0% (3/3)" in out
    assert "abstain (null)  100.0% (1/1)" in out


def test_eval_gates_on_strict_and_on_abstain(pets_set: Path, capsys: pytest.CaptureFixture[str]) -> None:
    knowledge = ["--knowledge", str(PETS), "eval", str(pets_set)]
    assert main([*knowledge, "--min-accuracy", "0.66", "--min-abstain", "1"]) == 0
    # First choice is 100 % here: the gate must read strict (66.7 %), not first choice.
    assert main([*knowledge, "--min-accuracy", "0.7"]) == 1
    assert "strict accuracy 0.6667 is below the floor 0.7000" in capsys.readouterr().err


@pytest.mark.parametrize("flag", ["--min-accuracy", "--min-abstain"])
@pytest.mark.parametrize("value", ["nan", "5", "-1", "inf"])
def test_eval_refuses_a_floor_that_is_no_rate(
    pets_set: Path, capsys: pytest.CaptureFixture[str], flag: str, value: str
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--knowledge", str(PETS), "eval", str(pets_set), flag, value])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "must be a number between 0 and 1" in err
    assert "Traceback" not in err


def test_eval_abstain_floor_on_a_set_without_null_questions_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answerable.yaml"
    path.write_text('- {q: "What is a cat?", ids: [cat], lang: en, kind: plain}\n', encoding="utf-8")
    assert main(["--knowledge", str(PETS), "eval", str(path), "--min-abstain", "0.9"]) == 2
    assert "needs null questions" in capsys.readouterr().err


def test_eval_warns_about_ids_the_lesson_does_not_have(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(PETS_SET + '- {q: "What is a cat?", ids: [kat], lang: en, kind: plain}\n', encoding="utf-8")
    assert main(["--knowledge", str(PETS), "eval", str(path)]) == 0
    err = capsys.readouterr().err
    assert f"{path}:4: warning: expected id 'kat' is not an entry of lesson day1-pets" in err


def test_eval_reads_a_section_labelled_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plants.yaml"
    path.write_text(
        '- {q: "cactus vs fern watering", section: "3️⃣ 선인장 vs 고사리", row: "물 주기", lang: en, kind: plain}\n'
        '- {q: "과습이 뭐야", section: "✅ 1) 과습: 뿌리가 썩는다", lang: ko, kind: plain}\n'
        '- {q: "오늘 점심 뭐 먹지", section: null, lang: ko, kind: offtopic}\n',
        encoding="utf-8",
    )
    assert main(["--knowledge", str(PLANTS), "eval", str(path), "--json", "--min-accuracy", "1"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["got"], r["strict"]) for r in lines[:3]] == [("s3.r1", True), ("s1-1", True), (None, True)]
    assert lines[0]["expected"] == {"section": "3️⃣ 선인장 vs 고사리", "row": "물 주기"}


def test_eval_on_a_bad_file_says_where_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text('- {q: "x", ids: [a], lang: ko}\n- {q: "y", lang: ko}\n', encoding="utf-8")
    assert main(["--knowledge", str(PETS), "eval", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{path}:2:" in err
    assert main(["--knowledge", str(PETS), "eval", str(tmp_path / "missing.yaml")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_eval_refuses_a_lesson_that_is_not_loaded(pets_set: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--knowledge", str(PETS), "eval", str(pets_set), "--prefer", "day9"]) == 2
    assert "--prefer: no lesson 'day9' is loaded" in capsys.readouterr().err


def test_eval_refuses_a_set_written_for_another_lesson(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "plants.yaml"
    path.write_text(
        '- {q: "과습이 뭐야", section: "✅ 1) 과습: 뿌리가 썩는다", lang: ko, kind: plain}\n'
        '- {q: "요약", section: "핵심 요약", lang: ko, kind: plain}\n'
        '- {q: "햇빛", section: "3️⃣ 선인장 vs 고사리", row: 햇빛, lang: ko, kind: plain}\n',
        encoding="utf-8",
    )
    assert main(["--knowledge", str(PETS), "eval", str(path)]) == 2
    err = capsys.readouterr().err
    assert "only 1 of 3 answerable questions name an entry of lesson day1-pets" in err
    assert "another lesson" in err
