"""The `lessonbot` command line. Uses the core directly; only `run` imports discord.py."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from bot.knowledge import Knowledge, KnowledgeError, Lang, load_knowledge
from bot.matching import Answer, Candidate, Matcher, Result, Suggestions
from bot.render import format_result, render_answer, ui_text
from bot.source import SourceError

if TYPE_CHECKING:  # imported when used: `ask` and `check` without --config never load the config module
    from bot.config import Config

EXIT_OK, EXIT_NO_MATCH, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A failure to report in one clear message (exit status 2)."""


def _knowledge_path(args: argparse.Namespace) -> Path:
    from bot.knowledge import default_knowledge_path

    chosen = args.knowledge or os.environ.get("LESSONBOT_KNOWLEDGE")
    return Path(chosen) if chosen else default_knowledge_path()


def _load(args: argparse.Namespace) -> Knowledge:
    path = _knowledge_path(args)
    try:
        return load_knowledge(path)
    except KnowledgeError as exc:
        raise CliError(f"invalid knowledge ({path}):\n{exc}") from None


def _matcher(args: argparse.Namespace) -> Matcher:
    return Matcher(_load(args))


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


def cmd_ask(args: argparse.Namespace, out: TextIO) -> int:
    matcher = _matcher(args)
    lang = cast(Lang | None, args.lang)
    if args.question == ["-"]:
        if not args.json:
            raise CliError("reading questions from stdin ('-') needs --json")
        for line in sys.stdin:
            question = line.rstrip("\n")
            payload = result_json(matcher.knowledge, matcher.ask(question, lang=lang), lang=lang)
            out.write(json.dumps({"q": question, **payload}, ensure_ascii=False) + "\n")
        return EXIT_OK
    question = " ".join(args.question)
    result = matcher.ask(question, lang=lang)
    if args.json:
        out.write(json.dumps(result_json(matcher.knowledge, result, lang=lang), ensure_ascii=False) + "\n")
    else:
        out.write(format_result(matcher.knowledge, result, lang=lang) + "\n")
    return EXIT_NO_MATCH if result.status == "none" else EXIT_OK


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
            "질문을 입력하세요 (Ask a question). /recap, /topics, Ctrl-D to quit.\n"
        )
    offered: tuple[Candidate, ...] = ()
    offered_lang: Lang = "ko"
    while True:
        try:
            line = input("> ") if interactive else sys.stdin.readline()
        except EOFError:
            break
        except KeyboardInterrupt:
            out.write("\n")
            break
        if not interactive and not line:
            break
        question = line.strip()
        if not question:
            continue
        if question in {"/quit", "/exit"}:
            break
        if question == "/recap":
            for lesson in matcher.knowledge.lessons:
                out.write(recap_text(lesson, lang or "ko") + "\n\n")
            continue
        if question == "/topics":
            question = "?"
        if not interactive:
            out.write(f"> {question}\n")
        if question.isdigit() and 1 <= int(question) <= len(offered):
            # A number right after "did you mean" picks that suggestion, as a button would on Discord.
            chosen = offered[int(question) - 1]
            result: Result = Answer(chosen, lang or offered_lang)
        else:
            result = matcher.ask(question, lang=lang)
        offered = result.candidates if isinstance(result, Suggestions) else ()
        offered_lang = result.lang
        text = format_result(matcher.knowledge, result, lang=lang)
        if offered:
            text += "\n" + ui_text("pick_number", lang or result.lang)
        out.write(text + "\n\n")
        out.flush()
    return EXIT_OK


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from bot.knowledge import lesson_files

    problems: list[str] = []
    configured: Path | None = None
    config: Config | None = None
    if args.config:
        from bot.config import ConfigError, load_config

        try:
            config = load_config(args.config, environ={})
        except ConfigError as exc:
            problems.extend(str(p) for p in exc.problems)
        else:
            configured = config.knowledge
    # The lessons `run --config` would serve: an explicit path or --knowledge, else the config's.
    if args.path:
        path = Path(args.path)
    elif configured is not None and not args.knowledge:
        path = configured
    else:
        path = _knowledge_path(args)
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
        return EXIT_NO_MATCH
    assert knowledge is not None
    # Warnings (a draft's English not written yet) are reported but do not fail the check.
    warnings = [str(w) for lesson in knowledge.lessons for w in lesson.warnings]
    if warnings:
        sys.stderr.write("\n".join(warnings) + "\n")
    files = len(lesson_files(path))
    entries = sum(len(lesson.entries) for lesson in knowledge.lessons)
    noted = f", {len(warnings)} warning(s)" if warnings else ""
    out.write(f"ok: {files} file(s), {len(knowledge.lessons)} lesson(s), {entries} entries{noted}\n")
    return EXIT_OK


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
    return EXIT_OK


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    from bot.evaluation import format_summary, parse_eval_set, run_eval, summarise
    from bot.source import read_text

    matcher = _matcher(args)
    try:
        items = parse_eval_set(read_text(args.file), path=args.file)
    except SourceError as exc:
        raise CliError(str(exc)) from None
    outcomes = run_eval(matcher, items)
    summary = summarise(outcomes)
    if args.json:
        for o in outcomes:
            record = {
                "q": o.item.question,
                "expected": list(o.item.ids) if o.item.ids else None,
                "got": o.got,
                "status": o.status,
                "correct": o.correct,
                "score": o.score,
                "latency_us": round(o.latency_us, 1),
                "kind": o.item.kind,
                "lang": o.item.lang,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.write(json.dumps({"summary": summary}, ensure_ascii=False) + "\n")
    else:
        if args.verbose:
            for o in outcomes:
                if not o.correct:
                    want = ",".join(o.item.ids) if o.item.ids else "∅"
                    out.write(f"✗ [{o.item.kind}] {o.item.question!r} want {want} got {o.got} ({o.status} {o.score})\n")
        out.write(format_summary(summary) + "\n")
    accuracy = summary["overall"]["accuracy"] or 0.0
    if args.min_accuracy is not None and accuracy < args.min_accuracy:
        sys.stderr.write(f"top-1 accuracy {accuracy:.4f} is below the floor {args.min_accuracy:.4f}\n")
        return EXIT_NO_MATCH
    return EXIT_OK


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
    return EXIT_OK


def cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    from bot.importer import ImportFailure, format_report, import_lesson

    # Without -o the file goes into the --knowledge folder when one is given, else ./knowledge.
    folder = Path(args.knowledge) if args.knowledge and Path(args.knowledge).is_dir() else Path("knowledge")
    try:
        result = import_lesson(
            args.lesson, output=args.output, folder=folder, lesson_id=args.id, write=not args.dry_run
        )
    except ImportFailure as exc:
        raise CliError(f"cannot import {args.lesson}: {exc}") from None
    if args.output == "-":
        out.write(result.text)
        sys.stderr.write(format_report(result.report, result.target) + "\n")
    else:
        prefix = "(dry run: nothing written) " if args.dry_run else ""
        out.write(prefix + format_report(result.report, result.target) + "\n")
    return EXIT_OK


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    from bot.discord_app.runner import run_bot

    return run_bot(args.config, knowledge_override=args.knowledge)


def cmd_health(args: argparse.Namespace, out: TextIO) -> int:
    from bot.health import check_health

    return check_health(args.config, max_age=args.max_age, out=out)


def cmd_learned_export(args: argparse.Namespace, out: TextIO) -> int:
    from bot.learned import export_learned

    return export_learned(args.config, out=out, err=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="lessonbot",
        description="Bilingual (Korean/English) Q&A bot for study groups: answers from lesson knowledge files.",
    )
    parser.add_argument("--knowledge", metavar="PATH", help="lesson file or folder (default: the bundled lessons)")
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

    evaluate = add("eval", cmd_eval, "score a labelled question set (shared/eval format)")
    evaluate.add_argument("file", help="YAML list of {q, ids, lang, kind}")
    evaluate.add_argument("--json", action="store_true", help="one JSON line per question, then a summary")
    evaluate.add_argument("--verbose", "-v", action="store_true", help="list the questions it got wrong")
    evaluate.add_argument("--min-accuracy", type=float, metavar="X", help="exit 1 if top-1 accuracy < X (0..1)")

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
    imp.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")

    run = add("run", cmd_run, "run the Discord bot (token from DISCORD_TOKEN)")
    run.add_argument("--config", required=True, metavar="FILE", help="config file (see config.example.yaml)")

    health = add("health", cmd_health, "exit 0 while a running bot's heartbeat is fresh (container health check)")
    health.add_argument("--config", required=True, metavar="FILE")
    health.add_argument("--max-age", type=float, default=90.0, metavar="SECONDS")
    learned = sub.add_parser("learned", help="phrasings moderators taught the bot on Discord")
    learned_export = learned.add_subparsers(dest="learned_command", required=True, metavar="ACTION").add_parser(
        "export", help="print the taught phrasings as YAML to merge into the lesson files"
    )
    learned_export.add_argument("--config", required=True, metavar="FILE", help="the bot's config file")
    learned_export.set_defaults(handler=cmd_learned_export)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    out = sys.stdout
    try:
        return int(args.handler(args, out))
    except CliError as exc:
        sys.stderr.write(f"lessonbot: {exc}\n")
        return EXIT_USAGE
    except BrokenPipeError:
        # `lessonbot export | head` closes the pipe early; that is not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
