"""The command line as a user runs it: output, JSON shape, exit codes, and no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot` as a separate process, the way a user's shell would."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("DISCORD_TOKEN", None)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=60,
        check=False,
    )


def test_ask_prints_the_korean_answer_with_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "컨테이너가 뭐야?"]) == 0
    out = capsys.readouterr().out
    assert "컨테이너란?" in out
    assert "프로세스 실행 환경" in out
    assert "출처: 3️⃣" in out


def test_ask_lang_override_answers_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--lang", "en", "컨테이너가 뭐야?"]) == 0
    assert "What is a container?" in capsys.readouterr().out


def test_ask_no_match_exits_1_and_lists_topics(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "what is a pod"]) == 1
    out = capsys.readouterr().out
    assert "doesn't cover" in out
    assert "Topics you can ask about:" in out


def test_ask_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "VM 격리 수준은?"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert {"status", "id", "lesson", "score", "lang", "answer", "suggestions"} <= payload.keys()
    assert payload["status"] == "answer"
    assert payload["id"] == "compare.isolation"
    assert payload["lesson"] == "day16-containers"
    assert payload["lang"] == "ko"
    assert "격리 수준" in payload["answer"]
    assert isinstance(payload["score"], float)


def test_ask_json_batch_from_stdin_keeps_input_order() -> None:
    questions = ["컨테이너가 뭐야?", "what is a pod", "", "What is a VM?"]
    done = run_cli("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["q"] for line in lines] == questions
    assert [line["status"] for line in lines] == ["answer", "none", "none", "answer"]
    for line in lines:
        for suggestion in line["suggestions"]:
            assert {"id", "title", "score"} <= suggestion.keys()


def test_stdin_without_json_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "-"]) == 2
    assert "needs --json" in capsys.readouterr().err


def test_check_ok_and_bad(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert "27 entries" in capsys.readouterr().out
    assert main(["check", str(FIXTURES / "bad_related.yaml")]) == 1
    err = capsys.readouterr().err
    assert "bad_related.yaml:33: entry 'container': related id 'kubernetes'" in err


def test_check_config_reports_curriculum_lessons_that_are_not_loaded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lessons = FIXTURES / "discord"
    config = tmp_path / "config.yaml"
    config.write_text(
        f"knowledge: {lessons}\n"
        "curriculum:\n"
        "  schedule:\n"
        '    "2025-03-03": day1-pets\n'
        '    "2025-03-04": day2-bird\n'
        "lesson_channels: {123456789012345678: day3-fish}\n",
        encoding="utf-8",
    )
    assert main(["check", "--config", str(config)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{config}:5: curriculum.schedule 2025-03-04: unknown lesson 'day2-bird' (did you mean 'day2-birds'?)",
        f"{config}:6: lesson_channels 123456789012345678: unknown lesson 'day3-fish' (loaded: day1-pets, day2-birds)",
        "2 problem(s)",
    ]
    config.write_text(
        config.read_text(encoding="utf-8").replace("day2-bird\n", "day2-birds\n").replace("day3-fish", "day1-pets")
    )
    assert main(["check", "--config", str(config)]) == 0
    assert capsys.readouterr().out == "ok: 2 file(s), 2 lesson(s), 10 entries\n"


def test_bad_knowledge_is_a_clear_message_not_a_traceback() -> None:
    done = run_cli("--knowledge", str(FIXTURES / "bad_syntax.yaml"), "ask", "컨테이너")
    assert done.returncode == 2
    assert "bad_syntax.yaml:7: invalid YAML" in done.stderr
    assert "Traceback" not in done.stderr


def test_recap_prints_the_summary_points(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["recap"]) == 0
    out = capsys.readouterr().out
    assert "오늘의 핵심 요약" in out
    assert "7월 2일" in out
    assert out.count("• ") == 4
    assert main(["recap", "--lang", "en", "--lesson", "day16-containers"]) == 0
    assert "Today's key points" in capsys.readouterr().out
    assert main(["recap", "--lesson", "nope"]) == 2


def test_export_jsonl_has_every_entry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 27
    row = next(r for r in rows if r["id"] == "compare.startup")
    assert row["lesson"] == "day16-containers"
    assert "시작 속도" in row["answer"]["ko"]
    assert row["questions"]["en"]


def test_chat_answers_piped_lines_and_ends_on_eof() -> None:
    done = run_cli("chat", stdin="컨테이너가 뭐야?\n/recap\nwhat is a pod\n")
    assert done.returncode == 0, done.stderr
    assert "컨테이너란?" in done.stdout
    assert "오늘의 핵심 요약" in done.stdout
    assert "doesn't cover" in done.stdout


@pytest.mark.parametrize("question", ["", "🙂", "\x07\x1b[31m", "@everyone", "컨테이너" * 2500])
def test_bad_questions_never_traceback(question: str) -> None:
    done = run_cli("ask", question)
    assert done.returncode in {0, 1}
    assert "Traceback" not in done.stderr
    assert done.stdout.strip()


def test_chat_picks_a_suggestion_by_number() -> None:
    # The pets fixture makes "pet food?" ambiguous on purpose, whatever the matcher's tuning.
    pets = str(FIXTURES / "discord" / "day1-pets.yaml")
    done = run_cli("--knowledge", pets, "chat", stdin="pet food?\n2\n")
    assert done.returncode == 0, done.stderr
    first, second = done.stdout.split("> 2\n")
    assert "Did you mean" in first
    assert "Type a number" in first
    offered = [line.split(") ", 1)[1] for line in first.splitlines() if line.startswith("  2) ")]
    assert offered
    assert second.lstrip().startswith(f"■ {offered[0]}")


def test_ask_with_chat_noise_is_a_friendly_line_without_the_topic_list() -> None:
    done = run_cli("--knowledge", str(FIXTURES / "discord" / "day1-pets.yaml"), "ask", "넵 감사합니다!")
    assert done.returncode == 1, done.stderr  # no answer, as for any no-match
    assert done.stdout.strip() == "네! 강의 내용에 대해 궁금한 게 있으면 물어봐 주세요."
