"""The `lessonbot` command line. Uses the core directly; only `run` imports discord.py."""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO, cast

from bot.exit_codes import ExitCode
from bot.index_cache import index_cache
from bot.input_lines import InputLine, question_problem, read_lines
from bot.knowledge import Knowledge, KnowledgeError, Lang, load_knowledge
from bot.knowledge_path import BUNDLED, resolve_knowledge
from bot.matching import Answer, Candidate, Matcher, NoMatch, Result, Suggestions
from bot.render import format_result, render_answer, topic_titles, ui_text
from bot.source import SourceError

if TYPE_CHECKING:  # imported when used: `ask` and `check` without --config never load the config module
    from bot.config import Config

# Kept for callers of the old names; ExitCode is the one table.
EXIT_OK, EXIT_NO_MATCH, EXIT_USAGE = ExitCode.OK, ExitCode.NO, ExitCode.USAGE
TOKEN_VARIABLE = "DISCORD_TOKEN"  # noqa: S105 - the variable's name, not a token


# Characters that some line readers (Python's str.splitlines among them) take for line breaks; JSON
# allows them raw, so escape them to keep one record per line whatever reads it.
_LINE_BREAKERS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(record: dict[str, Any]) -> str:
    """Return `record` as one JSON line: Korean as written, never split by a reader."""
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKERS) + "\n"


class CliError(Exception):
    """A failure to report in one clear message (exit status 2)."""


def _knowledge_path(args: argparse.Namespace, configured: Path | None = None) -> Path:
    return resolve_knowledge(flag=args.knowledge, environ=os.environ, configured=configured).path


def _load(args: argparse.Namespace) -> Knowledge:
    from bot.knowledge import lesson_cache

    choice = resolve_knowledge(flag=args.knowledge, environ=os.environ)
    path = choice.path
    if not path.exists():
        raise CliError(f"{path}: no such lesson file or folder (set by {choice.origin})")
    try:
        # Lessons validated before (same bytes, same code) are read back from the user's cache.
        return load_knowledge(path, cache=lesson_cache(os.environ))
    except KnowledgeError as exc:
        raise CliError(f"invalid knowledge ({path}):\n{exc}") from None


def _matcher(args: argparse.Namespace) -> Matcher:
    # An index built before from the same lessons, tuning, data and code is read back from the user's cache.
    return Matcher(_load(args), cache=index_cache(os.environ))


def result_json(knowledge: Knowledge, result: Result, *, lang: Lang | None = None) -> dict[str, Any]:
    """Return the JSON object `ask --json` prints for one result."""
    reply_lang = lang or result.lang
    payload: dict[str, Any] = {
        "status": result.status,
        "id": None,
        "lesson": None,
        "score": 0.0,
        "lang": reply_lang,
        "answer": None,
        "suggestions": [],
    }
    if isinstance(result, Answer):
        rendered = render_answer(knowledge, result.candidate, reply_lang)
        payload.update(
            id=result.candidate.entry_id,
            lesson=result.candidate.lesson_id,
            score=result.candidate.score,
            answer=rendered.body,
            title=rendered.title,
            source=rendered.source,
        )
    elif isinstance(result, Suggestions):
        top = result.candidates[0]
        payload.update(id=top.entry_id, lesson=top.lesson_id, score=top.score)
        payload["suggestions"] = [
            {"id": c.entry_id, "lesson": c.lesson_id, "title": c.title.get(reply_lang), "score": c.score}
            for c in result.candidates
        ]
    else:
        payload["score"] = result.best.score if result.best is not None else 0.0
        payload["reason"] = result.reason
        payload["answer"] = format_result(knowledge, result, lang=reply_lang, topics=False)
    return payload


def _stdin_bytes() -> IO[bytes]:
    # pytest and some embedders replace sys.stdin with a text-only stream.
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return cast(IO[bytes], buffer)
    import io

    return io.BytesIO(sys.stdin.read().encode("utf-8", errors="replace"))


def _batch_line_json(matcher: Matcher, line: InputLine, lang: Lang | None) -> dict[str, Any]:
    if line.too_long:
        # Not asked: one over-long line must not cost what a question costs, nor pass for one.
        payload: dict[str, Any] = {
            "status": "none",
            "id": None,
            "lesson": None,
            "score": 0.0,
            "lang": lang or "en",
            "answer": None,
            "suggestions": [],
            "reason": "too_long",
        }
    else:
        payload = result_json(matcher.knowledge, matcher.ask(line.text, lang=lang), lang=lang)
    record = {"q": line.text, **payload}
    if line.problem is not None:
        record["warning"] = f"line {line.number}: {line.problem}"
    return record


def cmd_ask(args: argparse.Namespace, out: TextIO) -> int:
    lang = cast(Lang | None, args.lang)
    if args.question == ["-"]:
        if not args.json:
            raise CliError("reading questions from stdin ('-') needs --json")
        matcher = _matcher(args)
        for line in read_lines(_stdin_bytes()):
            record = _batch_line_json(matcher, line, lang)
            if line.problem is not None:
                sys.stderr.write(f"lessonbot: stdin line {line.number}: {line.problem}\n")
            out.write(json_line(record))
        return ExitCode.OK
    question = " ".join(args.question)
    problem = question_problem(question)
    if problem is not None:
        raise CliError(problem)
    matcher = _matcher(args)
    result = matcher.ask(question, lang=lang)
    if args.json:
        out.write(json_line(result_json(matcher.knowledge, result, lang=lang)))
    else:
        out.write(format_result(matcher.knowledge, result, lang=lang) + "\n")
    return ExitCode.NO if result.status == "none" else ExitCode.OK


def _chat_lines(interactive: bool) -> Iterator[tuple[str, str | None]]:
    """Yield (line, problem) pairs: typed with line editing, or piped (bytes, bounded, repaired)."""
    if not interactive:
        for line in read_lines(_stdin_bytes()):
            yield line.text, ("too_long" if line.too_long else None)
        return
    while True:
        try:
            yield input("> "), None
        except EOFError:
            return
        except KeyboardInterrupt:
            # Ctrl-C clears the line being typed, as in a shell; Ctrl-D (or /quit) ends the session.
            sys.stdout.write("\n")


def cmd_chat(args: argparse.Namespace, out: TextIO) -> int:
    from bot.recap import recap_text

    matcher = _matcher(args)
    lang = cast(Lang | None, args.lang)
    interactive = sys.stdin.isatty()
    if interactive:
        # Imported for its side effect, line editing and history; not on every platform.
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401
        lesson = matcher.knowledge.lessons[-1]
        out.write(
            f"lessonbot — {lesson.day}. {lesson.title.ko} / {lesson.title.get('en')}\n"
            "질문을 입력하세요 (Ask a question). /help, /topics, /recap; Ctrl-D to quit.\n"
        )
    offered: tuple[Candidate, ...] = ()
    # The session's language: --lang, else that of the last question read as Korean or English.
    session: Lang = lang or "ko"
    for line, problem in _chat_lines(interactive):
        question = line.strip()
        if not question:
            continue
        if not interactive:
            out.write(f"> {question}\n")
        if question in {"/quit", "/exit"}:
            break
        if problem is not None or question_problem(question) is not None:
            text = ui_text("too_long", session)
        elif question == "/help":
            text = ui_text("help", session)
        elif question == "/recap":
            text = "\n\n".join(recap_text(lesson, session) for lesson in matcher.knowledge.lessons)
        elif question == "/topics":
            titles = topic_titles(matcher.knowledge, session)
            text = "\n".join([ui_text("topics", session), *(f"  • {title}" for title in titles)])
        elif question.isascii() and question.isdigit():
            # A number right after "did you mean" picks that suggestion, as a button would on Discord.
            number = int(question)
            if 1 <= number <= len(offered):
                result: Result = Answer(offered[number - 1], session)
                text = format_result(matcher.knowledge, result, lang=session)
                offered = ()
            elif offered:
                text = ui_text("pick_range", session).format(count=len(offered))
            else:
                text = ui_text("no_pending", session)
        else:
            result = matcher.ask(question, lang=lang)
            # Nothing to read a language from (emoji, "²"): keep answering in the session's.
            if lang is None and not (isinstance(result, NoMatch) and result.reason == "empty"):
                session = result.lang
            offered = result.candidates if isinstance(result, Suggestions) else ()
            text = format_result(matcher.knowledge, result, lang=session)
            if offered:
                text += "\n" + ui_text("pick_number", session)
        out.write(text + "\n\n")
        out.flush()
    return ExitCode.OK


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from bot.knowledge import lesson_files

    problems: list[str] = []
    configured: Path | None = None
    config: Config | None = None
    if args.config:
        from bot.config import ConfigError, load_config, storage_problems

        try:
            config = load_config(args.config, environ={})
        except ConfigError as exc:
            problems.extend(str(p) for p in exc.problems)
        else:
            configured = config.knowledge
            # What `run` checks before connecting: the state database must be usable.
            problems.extend(str(p) for p in storage_problems(config))
    # The lessons `run --config` would serve (an explicit PATH is checked instead).
    path = Path(args.path) if args.path else _knowledge_path(args, configured)
    knowledge: Knowledge | None = None
    if not path.exists():
        problems.append(f"{path}:0: no such file or folder")
    else:
        try:
            knowledge = load_knowledge(path)
        except KnowledgeError as exc:
            problems.extend(str(p) for p in exc.problems)
    if config is not None and knowledge is not None:
        from bot.config import lesson_problems

        # The curriculum and the scoped channels must name lessons that are loaded.
        problems.extend(str(p) for p in lesson_problems(config, {lesson.id for lesson in knowledge.lessons}))
    if problems:
        sys.stderr.write("\n".join(problems) + "\n")
        sys.stderr.write(f"{len(problems)} problem(s)\n")
        return ExitCode.NO
    assert knowledge is not None
    # Warnings (a draft's English not written yet) are reported but do not fail the check.
    warnings = [str(w) for lesson in knowledge.lessons for w in lesson.warnings]
    if warnings:
        sys.stderr.write("\n".join(warnings) + "\n")
    files = len(lesson_files(path))
    entries = sum(len(lesson.entries) for lesson in knowledge.lessons)
    noted = f", {len(warnings)} warning(s)" if warnings else ""
    out.write(f"ok: {files} file(s), {len(knowledge.lessons)} lesson(s), {entries} entries{noted}\n")
    return ExitCode.OK


def cmd_recap(args: argparse.Namespace, out: TextIO) -> int:
    from bot.recap import recap_text

    knowledge = _load(args)
    lessons = knowledge.lessons
    if args.lesson:
        try:
            lessons = (knowledge.lesson(args.lesson),)
        except KeyError:
            raise CliError(f"no lesson {args.lesson!r}; loaded: {', '.join(lesson.id for lesson in lessons)}") from None
    out.write("\n\n".join(recap_text(lesson, args.lang or "ko") for lesson in lessons) + "\n")
    return ExitCode.OK


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    from bot.evaluation import Judge, format_summary, gate, parse_eval_set, run_eval, summarise
    from bot.source import read_text

    try:
        items = parse_eval_set(read_text(args.file), path=args.file)
    except SourceError as exc:
        raise CliError(str(exc)) from None
    matcher = _matcher(args)
    loaded = {lesson.id for lesson in matcher.knowledge.lessons}
    for flag, lesson_id in (("--lesson", args.lesson), ("--prefer", args.prefer)):
        if lesson_id is not None and lesson_id not in loaded:
            raise CliError(f"{flag}: no lesson {lesson_id!r} is loaded (loaded: {', '.join(sorted(loaded))})")
    judge = Judge(matcher.knowledge, items, lesson_id=args.lesson)
    known, answerable = judge.coverage
    if known * 2 < answerable:
        raise CliError(
            f"{args.file}: only {known} of {answerable} answerable questions name an entry of lesson "
            f"{judge.lesson.id}{'' if args.lesson else ', the closest loaded lesson'}: "
            "is the set for another lesson? (--knowledge)"
        )
    # A label no loaded entry has can never be right: say so before the numbers, not silently.
    for warning in judge.warnings(items, path=args.file):
        sys.stderr.write(f"{warning}\n")
    outcomes = run_eval(matcher, items, judge=judge, prefer=args.prefer)
    summary = {"lesson": judge.lesson.id, **summarise(outcomes)}
    if args.json:
        for o in outcomes:
            record = {
                "q": o.item.question,
                "expected": o.item.label(),
                "got": o.got,
                "lesson": o.got_lesson,
                "status": o.status,
                "strict": o.strict,
                "first_choice": o.first_choice,
                "score": o.score,
                "latency_us": round(o.latency_us, 1),
                "kind": o.item.kind,
                "lang": o.item.lang,
                "line": o.item.line,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.write(json.dumps({"summary": summary}, ensure_ascii=False) + "\n")
    else:
        if args.verbose:
            for o in outcomes:
                if not o.strict:
                    want = o.item.expected() or "∅ (must not answer)"
                    out.write(
                        f"✗ {args.file}:{o.item.line} [{o.item.kind}] {o.item.question!r} want {want} "
                        f"got {o.got or '-'} ({o.status} {o.score})\n"
                    )
        out.write(f"{args.file}: {len(items)} questions, judged on lesson {judge.lesson.id}\n")
        out.write(format_summary(summary) + "\n")
    try:
        failures = gate(summary, min_strict=args.min_accuracy, min_abstain=args.min_abstain)
    except ValueError as exc:
        raise CliError(str(exc)) from None
    for failure in failures:
        sys.stderr.write(f"lessonbot: {args.file}: {failure}\n")
    return EXIT_NO_MATCH if failures else EXIT_OK


def cmd_export(args: argparse.Namespace, out: TextIO) -> int:
    from bot.render import answer_body, english_missing

    knowledge = _load(args)
    for lesson, entry in knowledge.entries():
        # English a draft has not written yet is exported as null, not as the Korean fallback.
        english = None if english_missing(lesson, entry) else answer_body(lesson, entry, "en")
        record = {
            "lesson": lesson.id,
            "id": entry.id,
            "source": entry.source,
            "title": {"ko": entry.title.ko, "en": entry.title.en},
            "questions": {
                "ko": list(entry.questions.ko),
                "en": None if entry.questions.en is None else list(entry.questions.en),
            },
            "answer": {"ko": answer_body(lesson, entry, "ko"), "en": english},
            "related": list(entry.related),
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return ExitCode.OK


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from datetime import UTC, datetime

    from bot.importer import ImportFailure, format_report, import_lesson
    from bot.importer.files import ImportRefused

    # Without -o the file goes into the lesson folder chosen by --knowledge or LESSONBOT_KNOWLEDGE,
    # else ./knowledge (never into an installed package's bundled lessons).
    choice = resolve_knowledge(flag=args.knowledge, environ=os.environ)
    folder = choice.path if choice.origin != BUNDLED and choice.path.is_dir() else Path("knowledge")
    try:
        result = import_lesson(
            args.lesson,
            output=args.output,
            folder=folder,
            lesson_id=args.id,
            write=not args.dry_run,
            force=args.force,
            now=datetime.now(UTC),
        )
    except ImportRefused as exc:
        sys.stderr.write(f"lessonbot: {exc}\n")
        return ExitCode.NO
    except ImportFailure as exc:
        raise CliError(f"cannot import {args.lesson}: {exc}") from None
    report = format_report(result.report, result.target)
    if args.output == "-":
        out.write(result.text)
        sys.stderr.write(report + "\n")
        return ExitCode.OK
    unchanged = result.previous_text == result.text
    if args.dry_run:
        out.write("(dry run: nothing written) " + report + "\n")
        if unchanged:
            out.write("  unchanged: the file already holds exactly this\n")
        else:
            if result.hand_written:
                out.write(f"  {result.target} holds hand-written content: writing it needs --force (keeps a backup)\n")
            out.write(result.diff())
        return ExitCode.OK
    out.write(report + "\n")
    if unchanged:
        out.write("  unchanged: the file already holds exactly this\n")
    if result.backup is not None:
        out.write(f"  the replaced file is kept as {result.backup}\n")
    return ExitCode.OK


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if any(char.isspace() or not char.isprintable() for char in token):
        # An HTTP header cannot carry it; say so here rather than fail inside the connection.
        raise CliError(
            f"{TOKEN_VARIABLE} contains a line break, space or control character: copy the token again without them"
        )
    from bot.discord_app.runner import run_bot

    return run_bot(args.config, knowledge_override=args.knowledge)


def cmd_health(args: argparse.Namespace, out: TextIO) -> int:
    from bot.health import check_health

    return check_health(args.config, max_age=args.max_age, out=out)


def _floor_arg(text: str) -> float:
    from bot.evaluation import parse_floor

    try:
        return parse_floor(text, name="the floor")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _bounded_float(low: float, high: float, *, low_open: bool = False, what: str) -> Callable[[str], float]:
    """Return an argparse type: a finite number in [low, high] ((low, high] with low_open)."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number ({what})") from None
        too_low = value <= low if low_open else value < low
        if not math.isfinite(value) or too_low or value > high:
            bound = "more than" if low_open else "from"
            raise argparse.ArgumentTypeError(f"{text!r} is out of range: {what}, {bound} {low:g} up to {high:g}")
        return value

    return parse


class _VersionAction(argparse.Action):
    """`--version`: the installed package's version, looked up only when asked."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, help="print lessonbot's version and exit", **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("lessonbot")
        except PackageNotFoundError:  # pragma: no cover - run from a checkout that is not installed
            number = "unknown (not installed)"
        sys.stdout.write(f"lessonbot {number}\n")
        parser.exit(ExitCode.OK)


def cmd_learned_export(args: argparse.Namespace, out: TextIO) -> int:
    from bot.learned import export_learned

    return export_learned(args.config, out=out, err=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="lessonbot",
        description="Bilingual (Korean/English) Q&A bot for study groups: answers from lesson knowledge files.",
    )
    parser.add_argument(
        "--knowledge",
        metavar="PATH",
        help="lesson file or folder (else $LESSONBOT_KNOWLEDGE, else the config's `knowledge`, else the bundled ones)",
    )
    parser.add_argument("--version", action=_VersionAction)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def add(name: str, handler: Callable[[argparse.Namespace, TextIO], int], help_text: str) -> argparse.ArgumentParser:
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    ask = add("ask", cmd_ask, "answer one question (or, with --json and '-', one per stdin line)")
    ask.add_argument("question", nargs="+", help="the question; '-' reads one question per line from stdin")
    ask.add_argument("--lang", choices=["ko", "en"], help="answer language (default: the question's)")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")

    chat = add("chat", cmd_chat, "interactive question-and-answer session in the terminal")
    chat.add_argument("--lang", choices=["ko", "en"], help="answer language (default: each question's)")

    check = add("check", cmd_check, "validate lesson files (and a config) and report file:line problems")
    check.add_argument("path", nargs="?", help="lesson file or folder (default: the bundled lessons)")
    check.add_argument("--config", metavar="FILE", help="also validate this config file")

    recap = add("recap", cmd_recap, "print the lesson's key-points recap")
    recap.add_argument("--lang", choices=["ko", "en"], default="ko")
    recap.add_argument("--lesson", metavar="ID", help="lesson id (default: every loaded lesson)")

    evaluate = add(
        "eval", cmd_eval, "score a labelled question set (shared/eval format): strict, first choice, abstain"
    )
    evaluate.add_argument("file", help="YAML list of {q, ids, lang, kind} or {q, section, row, lang, kind}")
    evaluate.add_argument("--json", action="store_true", help="one JSON line per question, then a summary")
    evaluate.add_argument("--verbose", "-v", action="store_true", help="list the questions not strictly right")
    evaluate.add_argument(
        "--min-accuracy", type=_floor_arg, metavar="X", help="exit 1 if strict accuracy (all questions) < X (0..1)"
    )
    evaluate.add_argument(
        "--min-abstain", type=_floor_arg, metavar="X", help="exit 1 if the share of null questions not answered < X"
    )
    evaluate.add_argument("--lesson", metavar="ID", help="the lesson the set is about (default: the one it labels)")
    evaluate.add_argument("--prefer", metavar="ID", help="ask as if ID were the lesson of the day (default: none)")

    export = add("export", cmd_export, "export every entry (titles, phrasings, answers, source) for review")
    export.add_argument("--format", choices=["jsonl"], default="jsonl")

    imp = add("import", cmd_import, "draft a knowledge file from a lesson's Markdown (re-import keeps your edits)")
    imp.add_argument("lesson", help="the lesson in Markdown (e.g. day16-containers.md)")
    imp.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="knowledge file to write (default: knowledge/LESSON_ID.yaml; '-': stdout)",
    )
    imp.add_argument("--id", metavar="LESSON_ID", help="lesson id (default: from the file name, else day and title)")
    imp.add_argument("--dry-run", action="store_true", help="report what would change, as a diff; write nothing")
    imp.add_argument(
        "--force",
        action="store_true",
        help="replace a file holding hand-written content (it is kept as FILE.bak-TIME first)",
    )

    run = add("run", cmd_run, "run the Discord bot (token from DISCORD_TOKEN)")
    run.add_argument("--config", required=True, metavar="FILE", help="config file (see config.example.yaml)")

    health = add("health", cmd_health, "exit 0 while a running bot's heartbeat is fresh (container health check)")
    health.add_argument("--config", required=True, metavar="FILE")
    health.add_argument(
        "--max-age",
        type=_bounded_float(0.0, 7 * 24 * 3600.0, low_open=True, what="seconds"),
        default=90.0,
        metavar="SECONDS",
        help="how old the heartbeat may be (default: 90; the bot writes one about every 30 s)",
    )
    learned = sub.add_parser("learned", help="phrasings moderators taught the bot on Discord")
    learned_export = learned.add_subparsers(dest="learned_command", required=True, metavar="ACTION").add_parser(
        "export", help="print the taught phrasings as YAML to merge into the lesson files"
    )
    learned_export.add_argument("--config", required=True, metavar="FILE", help="the bot's config file")
    learned_export.set_defaults(handler=cmd_learned_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (see ExitCode)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out = sys.stdout
    # A terminal that cannot show Korean (PYTHONIOENCODING=ascii, a Latin-1 locale) gets \uXXXX
    # escapes, which in JSON output are even exact; never an encoding traceback.
    reconfigure = getattr(out, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="backslashreplace")
    try:
        status = int(args.handler(args, out))
        out.flush()
        return status
    except CliError as exc:
        sys.stderr.write(f"lessonbot: {exc}\n")
        return ExitCode.USAGE
    except BrokenPipeError:
        # `lessonbot export | head` closes the pipe early; that is not an error worth a traceback.
        _silence_stdout()
        return ExitCode.OK
    except OSError as exc:
        # Standard output cannot be written (a full disk, `> /dev/full`): say so once.
        _silence_stdout()
        sys.stderr.write(f"lessonbot: cannot write the output: {exc.strerror or exc}\n")
        return ExitCode.USAGE
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's final flush does not fail a second time."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
