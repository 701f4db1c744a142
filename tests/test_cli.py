"""The command line as a user runs it: output, JSON shape, exit codes, and no tracebacks.

Behaviour is checked on a fixture lesson (tests/fixtures/cli/lesson.yaml), chosen through
LESSONBOT_KNOWLEDGE, so editing the bundled lesson cannot break these tests; eval sets judge it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from bot.exit_codes import ExitCode
from bot.input_lines import MAX_QUESTION_CHARS, read_lines

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
LESSON = FIXTURES / "cli" / "lesson.yaml"
EVAL_SAMPLE = """
- {q: "컨테이너가 뭐야?", ids: [container], lang: ko, kind: plain}
- {q: "What is a VM?", ids: [vm], lang: en, kind: plain}
- {q: "오늘 점심 뭐 먹지", ids: null, lang: ko, kind: offtopic}
"""


@pytest.fixture(autouse=True)
def fixture_lesson(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LESSONBOT_KNOWLEDGE", str(LESSON))
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)


def run_cli(
    *args: str, stdin: str | bytes | None = None, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """Run `python -m bot` as a separate process, the way a user's shell would."""
    environ = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    done = subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=data,
        capture_output=True,
        cwd=cwd,
        env=environ,
        timeout=60,
        check=False,
    )
    return subprocess.CompletedProcess(
        done.args, done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8")
    )


def assert_one_clear_line(done: subprocess.CompletedProcess[str], status: int, *words: str) -> None:
    assert done.returncode == status, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0]


# --- ask ----------------------------------------------------------------------------------------------


def test_ask_prints_the_korean_answer_with_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "컨테이너가 뭐야?"]) == 0
    out = capsys.readouterr().out
    assert "■ 컨테이너란?" in out
    assert "실행 환경을 패키징한 단위" in out
    assert "출처: 1. 컨테이너" in out


def test_ask_lang_override_answers_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--lang", "en", "컨테이너가 뭐야?"]) == 0
    assert "What is a container?" in capsys.readouterr().out


def test_ask_no_match_exits_1_and_lists_topics(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "what is a pod"]) == ExitCode.NO
    out = capsys.readouterr().out
    assert "doesn't cover pods" in out
    assert "Topics you can ask about:" in out
    assert "  • What is a VM?" in out


def test_ask_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "시작 속도 차이"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert {"status", "id", "lesson", "score", "lang", "answer", "suggestions", "title", "source"} <= payload.keys()
    assert payload["status"] == "answer"
    assert payload["id"] == "cmp.speed"
    assert payload["lesson"] == "cli-lesson"
    assert payload["lang"] == "ko"
    assert "빠름" in payload["answer"]
    assert isinstance(payload["score"], float)


def test_ask_json_batch_from_stdin_keeps_input_order() -> None:
    questions = ["컨테이너가 뭐야?", "what is a pod", "", "What is a VM?"]
    done = run_cli("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["q"] for line in lines] == questions
    assert [line["status"] for line in lines] == ["answer", "none", "none", "answer"]
    assert [line["id"] for line in lines] == ["container", None, None, "vm"]
    assert not any("warning" in line for line in lines)
    assert done.stderr == ""


def test_batch_replaces_invalid_utf8_and_names_the_damaged_lines() -> None:
    # Stray bytes, a cut-off character, and an encoded surrogate (invalid in UTF-8).
    stdin = "컨테이너가 뭐야?\n".encode() + b"\xff\xfe broken \xc3\n" + b"What is a VM?\r\n" + b"VM\xed\xa0\x80?\n"
    done = run_cli("ask", "--json", "-", stdin=stdin, env={"LC_ALL": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(lines) == 4
    assert [line["id"] for line in (lines[0], lines[2])] == ["container", "vm"]
    assert lines[1]["q"] == "\ufffd\ufffd broken \ufffd"
    assert lines[1]["warning"] == "line 2: invalid UTF-8 replaced with U+FFFD"
    assert "warning" in lines[3]
    assert "warning" not in lines[0]
    assert "warning" not in lines[2]
    assert done.stderr.splitlines() == [
        "lessonbot: stdin line 2: invalid UTF-8 replaced with U+FFFD",
        "lessonbot: stdin line 4: invalid UTF-8 replaced with U+FFFD",
    ]


def test_batch_caps_line_length_and_keeps_one_output_line_per_input_line() -> None:
    long_line = "컨테이너" * 1001  # 4,004 characters: over the cap
    no_end = "\0" * 3_000_000  # a NUL run like /dev/zero's, then a real question
    done = run_cli("ask", "--json", "-", stdin=f"{long_line}\n{no_end}\nWhat is a VM?")
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [line["status"] for line in lines] == ["none", "none", "answer"]
    assert [line.get("reason") for line in lines[:2]] == ["too_long", "too_long"]
    assert len(lines[0]["q"]) == MAX_QUESTION_CHARS
    assert lines[1]["warning"].startswith("line 2: 3,000,000 bytes, over the 4,000-character limit")
    assert lines[2]["q"] == "What is a VM?"


class _EndlessZeros:
    """/dev/zero as a stream: records every read size, so an unbounded read shows."""

    def __init__(self) -> None:
        self.sizes: list[int] = []
        self.served = 0

    def readline(self, size: int = -1) -> bytes:
        self.sizes.append(size)
        if self.served > 50_000_000:
            return b"\n"  # end the line at last, so the test ends
        chunk = b"\0" * size if size > 0 else b"\0" * 10**9
        self.served += len(chunk)
        return chunk


def test_an_endless_line_is_read_in_bounded_chunks() -> None:
    stream = _EndlessZeros()
    first = next(read_lines(stream))  # type: ignore[arg-type]
    assert first.too_long
    assert stream.sizes
    assert all(0 < size <= 64 * 1024 for size in stream.sizes)


@pytest.mark.parametrize("question", ["", "   ", "\t"])
def test_an_empty_question_is_bad_input(question: str) -> None:
    assert_one_clear_line(run_cli("ask", question), ExitCode.USAGE, "the question is empty")


def test_a_question_over_4000_characters_is_refused_with_the_limit() -> None:
    assert run_cli("ask", "컨테이너" * 1000).returncode == 0  # exactly 4,000
    assert_one_clear_line(run_cli("ask", "컨테이너" * 1000 + "?"), ExitCode.USAGE, "4,001 characters", "4,000")


def test_stdin_without_json_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "-"]) == 2
    assert "needs --json" in capsys.readouterr().err


@pytest.mark.parametrize("question", ["🙂", "\x07\x1b[31m", "@everyone", "²", "①"])
def test_odd_questions_never_traceback(question: str) -> None:
    done = run_cli("ask", question)
    assert done.returncode in {0, 1}
    assert "Traceback" not in done.stderr
    assert done.stdout.strip()


def test_an_unwritable_output_is_one_line_not_a_traceback() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "wb") as stdout:
        done = subprocess.run(
            [sys.executable, "-m", "bot", "ask", "컨테이너가 뭐야?"],
            stdout=stdout,
            stderr=subprocess.PIPE,
            cwd=ROOT,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            timeout=60,
            check=False,
        )
    err = done.stderr.decode("utf-8")
    assert done.returncode == ExitCode.USAGE
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert err.strip().splitlines() == ["lessonbot: cannot write the output: No space left on device"]


# --- which lessons ------------------------------------------------------------------------------------


def test_a_missing_lesson_path_says_what_chose_it() -> None:
    done = run_cli("ask", "컨테이너", env={"LESSONBOT_KNOWLEDGE": "/nonexistent/lessons"})
    assert_one_clear_line(done, ExitCode.USAGE, "/nonexistent/lessons", "set by LESSONBOT_KNOWLEDGE")


def test_a_terminal_without_korean_gets_escapes_not_a_traceback() -> None:
    done = run_cli("ask", "--json", "컨테이너가 뭐야?", env={"PYTHONIOENCODING": "ascii"})
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["title"] == "컨테이너란?"
    assert run_cli("ask", "컨테이너가 뭐야?", env={"PYTHONIOENCODING": "ascii"}).returncode == 0


def test_the_knowledge_flag_beats_the_environment(capsys: pytest.CaptureFixture[str]) -> None:
    pets = FIXTURES / "discord" / "day1-pets.yaml"
    assert main(["--knowledge", str(pets), "ask", "--json", "컨테이너가 뭐야?"]) == ExitCode.NO
    assert json.loads(capsys.readouterr().out)["status"] == "none"
    assert main(["ask", "--json", "컨테이너가 뭐야?"]) == 0
    assert json.loads(capsys.readouterr().out)["lesson"] == "cli-lesson"


def test_check_config_takes_the_environment_over_the_configs_knowledge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge: {FIXTURES / 'discord'}\n", encoding="utf-8")
    assert main(["check", "--config", str(config)]) == 0
    assert capsys.readouterr().out == "ok: 1 file(s), 1 lesson(s), 4 entries\n"


# `run` tests stop before connecting; should one not, it may only reach a closed local port.
LOCAL_ONLY = "discord: {api_base: http://127.0.0.1:9/api/v10, gateway_url: ws://127.0.0.1:9/}\n"


def test_run_honours_lessonbot_knowledge(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge: {FIXTURES / 'discord'}\n" + LOCAL_ONLY, encoding="utf-8")
    missing = tmp_path / "nowhere.yaml"
    done = run_cli("run", "--config", str(config), env={"DISCORD_TOKEN": "x", "LESSONBOT_KNOWLEDGE": str(missing)})
    assert done.returncode == ExitCode.USAGE
    assert str(missing) in done.stderr
    assert "Traceback" not in done.stderr


def test_a_token_with_a_line_break_is_refused_before_connecting(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(LOCAL_ONLY, encoding="utf-8")
    done = run_cli("run", "--config", str(config), env={"DISCORD_TOKEN": "x\ny"})
    assert_one_clear_line(done, ExitCode.USAGE, "DISCORD_TOKEN", "line break")


def test_the_example_config_is_valid_wherever_it_is_copied(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    copy = tmp_path / "config.yaml"
    copy.write_text((ROOT / "config.example.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    os.environ.pop("LESSONBOT_KNOWLEDGE")  # the config alone decides: the bundled lessons
    assert main(["check", "--config", str(copy)]) == 0, capsys.readouterr().err


# --- check, recap, eval, export -------------------------------------------------------------------------


def test_check_ok_and_bad(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    assert capsys.readouterr().out == "ok: 1 file(s), 1 lesson(s), 4 entries\n"
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
    os.environ.pop("LESSONBOT_KNOWLEDGE")
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


def test_recap_prints_the_summary_points_with_the_date_in_the_recaps_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["recap"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("오늘의 핵심 요약 — 1. 작은 강의\n(1월 1일)\n")
    assert out.count("• ") == 2
    assert main(["recap", "--lang", "en", "--lesson", "cli-lesson"]) == 0
    assert capsys.readouterr().out.startswith("Today's key points — 1. A small lesson\n(January 1)\n")
    assert main(["recap", "--lesson", "nope"]) == 2


@pytest.mark.parametrize("floor", ["nan", "5", "-1", "inf", "1e300", "abc"])
def test_eval_rejects_a_floor_outside_0_to_1(tmp_path: Path, floor: str) -> None:
    sample = tmp_path / "sample.yaml"
    sample.write_text(EVAL_SAMPLE, encoding="utf-8")
    done = run_cli("eval", str(sample), f"--min-accuracy={floor}")
    assert done.returncode == ExitCode.USAGE
    assert "argument --min-accuracy" in done.stderr
    assert "Traceback" not in done.stderr


def test_export_jsonl_has_every_entry(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [row["id"] for row in rows] == ["container", "vm", "cmp.speed", "summary"]
    row = next(r for r in rows if r["id"] == "cmp.speed")
    assert row["lesson"] == "cli-lesson"
    assert "시작 속도" in row["answer"]["ko"]
    assert row["questions"]["en"]


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.startswith("lessonbot 0.")


# --- chat ---------------------------------------------------------------------------------------------


def test_chat_answers_piped_lines_echoes_commands_and_ends_on_eof() -> None:
    done = run_cli("chat", stdin="컨테이너가 뭐야?\n/recap\nwhat is a pod\n")
    assert done.returncode == 0, done.stderr
    assert "컨테이너란?" in done.stdout
    assert "> /recap\n오늘의 핵심 요약" in done.stdout
    assert "> what is a pod\nThe lesson doesn't cover pods." in done.stdout


def test_chat_survives_digits_that_are_not_ascii_and_stays_in_korean() -> None:
    done = run_cli("chat", stdin="²\n①\n컨테이너가 뭐야?\n")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "> ²\n질문을 이해하지 못했어요" in done.stdout
    assert "> ①\n질문을 이해하지 못했어요" in done.stdout
    assert "■ 컨테이너란?" in done.stdout


def test_chat_topics_are_a_list_in_the_sessions_language() -> None:
    done = run_cli("chat", stdin="/topics\nWhat is a VM?\n/topics\n")
    first, _, second = done.stdout.split("> ")[1:4]
    assert (
        first
        == "/topics\n이 강의에서 물어볼 수 있는 주제:\n  • 컨테이너란?\n  • VM이란?\n" + first.split("VM이란?\n", 1)[1]
    )
    assert "couldn't find" not in done.stdout
    assert second.startswith("/topics\nTopics you can ask about:\n  • What is a container?")


def test_chat_a_number_with_nothing_to_pick_answers_in_the_sessions_language() -> None:
    done = run_cli("chat", stdin="5\nWhat is a VM?\n5\n")
    parts = done.stdout.split("> ")
    assert parts[1].startswith("5\n고를 질문이 없어요.")
    assert parts[3].startswith("5\nThere is nothing to pick from yet.")


def test_chat_help_lists_the_commands() -> None:
    done = run_cli("chat", stdin="/help\n")
    for command in ("/topics", "/recap", "/help", "/quit", "Ctrl-C"):
        assert command in done.stdout


def test_chat_refuses_an_overlong_line_and_goes_on() -> None:
    done = run_cli("chat", stdin="컨테이너" * 1200 + "\n컨테이너가 뭐야?\n")
    assert done.returncode == 0, done.stderr
    assert "질문이 너무 길어요" in done.stdout
    assert "■ 컨테이너란?" in done.stdout


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


def test_batch_output_stays_one_line_per_question_for_any_line_reader() -> None:
    questions = ["a\u2028b", "c\u0085d", "e\u2029f\x1cg", "What is a VM?"]
    done = run_cli("ask", "--json", "-", stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()  # splits on U+2028, U+0085 … too
    assert [json.loads(line)["q"] for line in lines] == questions


def _wait_until_blocked_reading(pid: int) -> None:
    """Return once process `pid` sleeps in a system call: for a chat that has just shown its prompt,
    the read of its terminal (it runs one thread, and nothing else between the prompt and that read
    can sleep). A bound of a minute is only a safety net against a hang.
    """
    import time

    stat = Path(f"/proc/{pid}/stat")
    deadline = time.monotonic() + 60
    while stat.read_text().rsplit(")", 1)[1].split()[0] != "S":
        assert time.monotonic() < deadline, "the chat never waited for a line"
        os.sched_yield()


def _default_sigint() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _process_report(process: subprocess.Popen[bytes]) -> str:
    """Say what a silent child is doing, for a failure message: alive or not, its /proc state, its stderr."""
    import select

    lines = [f"exit status {process.poll()}"]
    status = Path(f"/proc/{process.pid}/status")
    if process.returncode is None and status.exists():
        wanted = ("State:", "SigIgn:", "SigCgt:")
        lines += [line for line in status.read_text().splitlines() if line.startswith(wanted)]
    if process.stderr is not None and select.select([process.stderr], [], [], 0)[0]:
        lines.append(f"stderr {os.read(process.stderr.fileno(), 65536)!r}")
    return ", ".join(lines)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the chat wait for a line")
def test_ctrl_c_in_an_interactive_chat_clears_the_line_and_the_chat_goes_on() -> None:
    import select
    import signal

    controller, terminal = os.openpty()
    chat = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat"],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"},
        # Ctrl-C as a chat started at a terminal gets it: a suite run from a script's background job
        # (`pytest &`) inherits SIGINT ignored, Python then leaves it ignored, and the signal is lost.
        preexec_fn=_default_sigint,
    )
    os.close(terminal)
    assert chat.stdout is not None
    assert chat.stderr is not None
    output = chat.stdout.fileno()

    def read_until(marker: bytes) -> bytes:
        seen = b""
        while marker not in seen:
            ready, _, _ = select.select([output], [], [], 60)
            assert ready, f"no {marker!r} in {seen!r}; {_process_report(chat)}"
            chunk = os.read(output, 65536)
            assert chunk, f"the chat ended before {marker!r}: {seen!r}"
            seen += chunk
        return seen

    try:
        read_until(b"> ")
        # input() writes its prompt, then reads; a SIGINT landing between the two is only noticed once
        # a line arrives (Python handles signals between bytecodes, and the read does not start
        # interrupted), so the signal goes once the chat waits for a line, as a person's Ctrl-C does.
        _wait_until_blocked_reading(chat.pid)
        chat.send_signal(signal.SIGINT)  # what Ctrl-C at the prompt sends
        read_until(b"> ")  # a fresh prompt, not the end of the session
        os.write(controller, "컨테이너가 뭐야?\n".encode())
        assert "■ 컨테이너란?".encode() in read_until("실행 환경".encode())
        os.write(controller, b"/quit\n")
        assert chat.wait(timeout=30) == 0
    finally:
        os.close(controller)
        if chat.poll() is None:
            chat.kill()
            chat.wait()
        chat.stdout.close()
        chat.stderr.close()


def test_ask_with_chat_noise_is_a_friendly_line_without_the_topic_list() -> None:
    done = run_cli("--knowledge", str(FIXTURES / "discord" / "day1-pets.yaml"), "ask", "넵 감사합니다!")
    assert done.returncode == 1, done.stderr  # no answer, as for any no-match
    assert done.stdout.strip() == "네! 강의 내용에 대해 궁금한 게 있으면 물어봐 주세요."
