"""`lessonbot import`: a lesson written in Markdown → a draft knowledge file.

The pure steps do no I/O:
  parse_markdown   lesson Markdown → LessonDoc (header, title, sections, tables, summary)
  build_draft      LessonDoc → knowledge data (the dict a knowledge file holds), `draft: true`
  merge_draft      fresh draft + the existing file's data → merged data and an ImportReport
  format_yaml      knowledge data → the file's text;  format_report: ImportReport → text
`import_lesson` is the thin edge that reads the Markdown and the existing file and writes the result.

Modules, in the order the steps run:
  lesson      the LessonDoc model (sections, blocks, tables) and reading it back as lines
  markdown    Markdown → LessonDoc (markdown-it-py, imported only when a lesson is parsed)
  particles   Korean particles (조사) a word takes;  text: shared text helpers
  questions   generated Korean alternate questions for headings, phrases, bullets, tables
  draft       LessonDoc → knowledge data
  merge       re-import: keep what was written by hand, and the ImportReport
  yaml_text   knowledge data → the file's text
  files       the edge: import_lesson

Entry ids are stable ASCII derived from the lesson's own numbering, never from transliteration:
  lesson     the title: what the lesson is about
  s3         section "3️⃣ …" (a section without a number: part1, part2, … in order)
  s5-2       subsection "✅ 2) …" of section 5 (a subsection without a number: its position)
  s4.r1      row 1 of the table of section 4 (that table's id is s4; a second table there is s4-t2)
  summary    the closing summary ("오늘의 핵심 요약")
Entries with other ids are hand-written; a re-import keeps them.

English cannot be generated: every English text is written as `en: null` in a file marked
`draft: true`, which `lessonbot check` reports as warnings, not errors.
"""

from __future__ import annotations

from bot.importer.draft import GENERATED_ID, build_draft, find_glossary, generic_out_of_scope
from bot.importer.files import ImportRefused, ImportResult, import_lesson, lesson_id_for
from bot.importer.lesson import (
    Block,
    ImportFailure,
    LessonDoc,
    ListItem,
    MdTable,
    Section,
    render_blocks,
    section_lines,
)
from bot.importer.markdown import clean_inline, parse_markdown, split_number
from bot.importer.merge import ImportReport, format_report, merge_draft
from bot.importer.particles import final_consonant, particle
from bot.importer.questions import (
    bold_questions,
    bullet_questions,
    heading_questions,
    heading_topics,
    is_comparison,
    key_phrases,
    record_questions,
    row_questions,
    sentence_questions,
    table_questions,
    topic_questions,
)
from bot.importer.yaml_text import format_yaml

__all__ = [
    "GENERATED_ID",
    "Block",
    "ImportFailure",
    "ImportRefused",
    "ImportReport",
    "ImportResult",
    "LessonDoc",
    "ListItem",
    "MdTable",
    "Section",
    "bold_questions",
    "build_draft",
    "bullet_questions",
    "clean_inline",
    "final_consonant",
    "find_glossary",
    "format_report",
    "format_yaml",
    "generic_out_of_scope",
    "heading_questions",
    "heading_topics",
    "import_lesson",
    "is_comparison",
    "key_phrases",
    "lesson_id_for",
    "merge_draft",
    "parse_markdown",
    "particle",
    "record_questions",
    "render_blocks",
    "row_questions",
    "section_lines",
    "sentence_questions",
    "split_number",
    "table_questions",
    "topic_questions",
]
