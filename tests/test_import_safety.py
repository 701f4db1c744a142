"""`lessonbot import` never loses knowledge: hand-written files need --force and keep a backup,
re-import keeps what was written by hand, and odd output paths get one clear line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.exit_codes import ExitCode
from bot.importer import import_lesson
from bot.knowledge import load_lesson

ROOT = Path(__file__).parent.parent
DAY17 = Path(__file__).parent / "fixtures" / "lessons" / "day17-cicd.md"
DAY16 = ROOT.parent / "shared" / "lessons" / "day16-containers.md"
BUNDLED16 = ROOT / "knowledge" / "day16-containers.yaml"
NOW = datetime(2026, 7, 2, 9, 30, tzinfo=UTC)


def imported(folder: Path) -> Path:
    """Import the day-17 fixture into `folder` and return the file, exactly as the importer wrote it."""
    result = import_lesson(DAY17, folder=folder)
    return Path(result.target)


def test_a_file_only_the_importer_wrote_is_replaced_without_force(tmp_path: Path) -> None:
    target = imported(tmp_path)
    lesson = tmp_path / "day17-cicd.md"
    lesson.write_text(DAY17.read_text(encoding="utf-8").replace("실수의 통로", "사고의 통로"), encoding="utf-8")
    result = import_lesson(lesson, output=target)
    assert result.written
    assert not result.hand_written
    assert result.backup is None
    assert "사고의 통로" in target.read_text(encoding="utf-8")
    assert list(tmp_path.glob("*.bak-*")) == []


def test_import_without_o_refuses_to_replace_hand_written_knowledge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # As in the repository: ./knowledge holds a lesson file written by hand, and the lesson is re-imported.
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    target = imported(knowledge)
    edited = target.read_text(encoding="utf-8").replace("format: 1\n", "format: 1\n# a note by hand\n")
    target.write_text(edited, encoding="utf-8")
    changed_lesson = _changed_lesson(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert main(["import", str(changed_lesson)]) == ExitCode.NO
    err = capsys.readouterr().err
    assert err.startswith(f"lessonbot: {Path('knowledge') / 'day17-cicd.yaml'} holds hand-written content")
    assert "--force" in err
    assert target.read_text(encoding="utf-8") == edited
    assert sorted(p.name for p in knowledge.iterdir()) == ["day17-cicd.yaml"]


def test_reimporting_an_unchanged_lesson_over_a_hand_edited_file_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = imported(tmp_path)
    edited = target.read_text(encoding="utf-8").replace("format: 1\n", "format: 1\n# a note by hand\n")
    target.write_text(edited, encoding="utf-8")
    assert main(["import", str(DAY17), "-o", str(target)]) == ExitCode.OK
    assert "unchanged" in capsys.readouterr().out
    assert target.read_text(encoding="utf-8") == edited


def _changed_lesson(folder: Path) -> Path:
    lesson = folder / "day17-cicd.md"
    lesson.write_text(DAY17.read_text(encoding="utf-8").replace("실수의 통로", "사고의 통로"), encoding="utf-8")
    return lesson


@pytest.mark.skipif(not DAY16.exists(), reason="no shared/ lesson")
def test_reimporting_over_the_bundled_lesson_needs_force_and_then_keeps_every_hand_written_entry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "knowledge").mkdir()
    target = tmp_path / "knowledge" / BUNDLED16.name
    shutil.copyfile(BUNDLED16, target)
    before = target.read_bytes()
    monkeypatch.chdir(tmp_path)
    assert main(["import", str(DAY16)]) == ExitCode.NO
    assert target.read_bytes() == before
    capsys.readouterr()

    assert main(["import", str(DAY16), "--force"]) == ExitCode.OK
    out = capsys.readouterr().out
    backups = list(target.parent.glob(f"{target.name}.bak-*"))
    assert len(backups) == 1
    assert backups[0].read_bytes() == before
    assert f"the replaced file is kept as {backups[0].relative_to(tmp_path)}" in out
    old = yaml.safe_load(before)
    new = yaml.safe_load(target.read_text(encoding="utf-8"))
    new_entries = {e["id"]: e for e in new["entries"]}
    for entry in old["entries"]:  # every entry, those tied to a table too, with its English
        assert entry["id"] in new_entries
        assert new_entries[entry["id"]]["title"] == entry["title"]
        assert new_entries[entry["id"]].get("answer") == entry.get("answer")
    assert {t["id"] for t in old["tables"]} <= {t["id"] for t in new["tables"]}
    assert load_lesson(target).id == "day16-containers"
    assert comment_lines(target.read_text(encoding="utf-8")) == comment_lines(before.decode("utf-8"))


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


def test_reimport_with_force_keeps_comments_and_layout_of_a_hand_edited_file(tmp_path: Path) -> None:
    target = imported(tmp_path)
    text = target.read_text(encoding="utf-8")
    at = text.index("  - id: s2")
    hand = (
        text[:at].replace("glossary:\n", "# Synonyms: only true ones.\nglossary:\n")
        + "  # --- CI ---------------------------------------------\n"
        + text[at:].replace("    source:", "    source:", 1)
        + "  # a closing note\n"
        + "  - id: ci.merge  # written by hand\n"
        + '    source: "2️⃣ CI"\n'
        + '    title: {ko: "병합이란?", en: "What is a merge?"}\n'
        + "    answer: {ko: 브랜치를 합치는 것, en: Joining branches}\n"
        + "    questions: {ko: [병합이 뭐야], en: [what is a merge]}\n"
    )
    target.write_text(hand, encoding="utf-8")
    lesson = tmp_path / "day17-cicd.md"
    lesson.write_text(DAY17.read_text(encoding="utf-8").replace("실수의 통로", "사고의 통로"), encoding="utf-8")
    result = import_lesson(lesson, output=target, force=True, now=NOW)
    after = target.read_text(encoding="utf-8")
    assert comment_lines(after) == comment_lines(hand)
    assert "  # --- CI ---------------------------------------------\n  - id: s2" in after
    assert "  - id: ci.merge  # written by hand\n" in after
    assert '    title: {ko: "병합이란?", en: "What is a merge?"}\n' in after  # flow style and quotes as written
    assert "사고의 통로" in after
    assert result.report.kept == ["ci.merge"]
    # The only lines that changed are those the lesson changed.
    changed = [line for line in result.diff().splitlines() if line[:1] in "+-" and line[:3] not in {"---", "+++"}]
    assert changed
    assert all("통로" in line or "# imported:" in line for line in changed)


def test_ask_and_a_first_import_do_not_load_the_round_trip_library(tmp_path: Path) -> None:
    code = (
        "import sys; from bot.cli import main; main(['ask', '컨테이너가 뭐야']); "
        f"main(['import', {str(DAY17)!r}, '-o', {str(tmp_path / 'new.yaml')!r}]); "
        "print('ruamel' in ' '.join(sys.modules))"
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith("False")


def test_force_keeps_a_backup_and_hand_edited_korean(tmp_path: Path) -> None:
    target = imported(tmp_path)
    text = target.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    s1 = next(e for e in data["entries"] if e["id"] == "s1")
    s2 = next(e for e in data["entries"] if e["id"] == "s2")
    # Edit s2's Korean title by hand, in place, as an editor would (the rest of the file untouched).
    at = text.index("  - id: s2")
    hand = text[:at] + text[at:].replace(f"ko: {s2['title']['ko']}", "ko: CI는 무엇인가? (손으로 고침)", 1)
    assert hand != text
    target.write_text(hand, encoding="utf-8")
    lesson = tmp_path / "day17-cicd.md"
    lesson.write_text(
        DAY17.read_text(encoding="utf-8").replace("실수의 통로", "사고의 통로").replace(s2["title"]["ko"], "CI란"),
        encoding="utf-8",
    )
    result = import_lesson(lesson, output=target, force=True, now=NOW)
    assert result.backup == f"{target}.bak-20260702T093000Z"
    assert Path(result.backup).read_text(encoding="utf-8") == hand
    after = {e["id"]: e for e in yaml.safe_load(target.read_text(encoding="utf-8"))["entries"]}
    assert after["s2"]["title"]["ko"] == "CI는 무엇인가? (손으로 고침)"  # edited by hand: kept
    assert "사고의 통로" in after["s1"]["answer"]["ko"]  # untouched: the lesson's new text
    assert s1["answer"]["ko"] != after["s1"]["answer"]["ko"]
    assert result.report.edited == ["s2"]


def test_dry_run_shows_a_unified_diff_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = imported(tmp_path)
    before = target.read_text(encoding="utf-8")
    target.write_text(before.replace("draft: true\n", "draft: true\n# mine\n"), encoding="utf-8")
    lesson = _changed_lesson(tmp_path)
    assert main(["import", str(lesson), "-o", str(target), "--dry-run"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.startswith("(dry run: nothing written) re-imported day17-cicd:")
    assert "holds hand-written content: writing it needs --force" in out
    assert f"--- {target}\n+++ {target}\n" in out
    assert "\n+" in out
    assert "사고의 통로" in out
    assert "-# mine" not in out  # the comment is kept
    assert "# mine" in target.read_text(encoding="utf-8")
    assert "사고의 통로" not in target.read_text(encoding="utf-8")
    assert main(["import", str(DAY17), "-o", str(tmp_path / "new.yaml"), "--dry-run"]) == ExitCode.OK
    assert "--- /dev/null" in capsys.readouterr().out
    assert not (tmp_path / "new.yaml").exists()


def test_without_o_the_file_goes_to_the_folder_lessonbot_knowledge_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    monkeypatch.setenv("LESSONBOT_KNOWLEDGE", str(lessons))
    monkeypatch.chdir(tmp_path)
    assert main(["import", str(DAY17)]) == ExitCode.OK
    assert (lessons / "day17-cicd.yaml").is_file()
    assert not (tmp_path / "knowledge").exists()


def test_a_symlinked_output_stays_a_link(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    assert main(["import", str(DAY17), "-o", str(link)]) == ExitCode.OK
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("# Knowledge for lesson day17-cicd")


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("/dev/null", "not a regular file"),
        ("/dev/zero", "not a regular file"),
        ("{tmp}", "is a folder"),
        ("{tmp}/plain.txt/x.yaml", "is a file, not a folder"),
        ("/proc/lessonbot.yaml", "cannot write"),
    ],
)
def test_outputs_that_cannot_be_a_knowledge_file_are_one_clear_line(tmp_path: Path, output: str, message: str) -> None:
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    done = _run("import", str(DAY17), "-o", output.format(tmp=tmp_path))
    assert done.returncode == ExitCode.USAGE, done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert message in done.stderr


def test_output_to_dev_stdout_through_a_pipe_ends_at_once() -> None:
    done = _run("import", str(DAY17), "-o", "/dev/stdout")
    assert done.returncode == ExitCode.USAGE
    assert "not a regular file" in done.stderr
    assert "'-o -'" in done.stderr


def test_a_lesson_that_is_a_device_is_refused() -> None:
    done = _run("import", "/dev/zero", "--dry-run")
    assert done.returncode == ExitCode.USAGE
    assert "not a regular file" in done.stderr


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=60,
        check=False,
    )
