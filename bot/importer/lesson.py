"""The lesson document: what the importer understood of a lesson's Markdown, and how to read it back.

`LessonDoc` holds the header (day, date, course), the title, the intro and the numbered sections with
their subsections; a section's content is a list of `Block`s (paragraph, list, quote, code, table).
`render_blocks` and `section_lines` turn that content back into readable lines. No I/O, no parser:
`bot.importer.markdown` builds these from Markdown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


class ImportFailure(Exception):
    """The lesson cannot be imported or the result cannot be written; the message says why."""


@dataclass(frozen=True)
class ListItem:
    """One bullet, with its nested bullets."""

    text: str
    children: tuple[ListItem, ...] = ()


@dataclass(frozen=True)
class MdTable:
    """A Markdown table: its header cells and body rows, as plain text."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    line: int


@dataclass(frozen=True)
class Block:
    """A paragraph, list, quote, code block or table of a section, as readable text or table data."""

    kind: str
    text: str = ""
    items: tuple[ListItem, ...] = ()
    ordered: bool = False
    table: MdTable | None = None
    bold: tuple[str, ...] = ()


@dataclass
class Section:
    """A numbered section (or a subsection of one): its heading, content and subsections."""

    heading: str
    title: str
    number: str | None
    level: int
    line: int
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    @property
    def bold(self) -> list[str]:
        """Return the bold phrases of the section's own content."""
        return [phrase for block in self.blocks for phrase in block.bold]

    @property
    def text_bold(self) -> list[str]:
        """Return the bold phrases of the section's text, not of its data tables.

        A table with two or more columns becomes one entry per row: a phrase a cell marks ("**반영 안 됨**")
        is what that row says, not a topic of the section.
        """
        return [phrase for block in self.blocks if not is_data_table(block) for phrase in block.bold]


def is_data_table(block: Block) -> bool:
    """Whether a block is a table the draft turns into row entries (a label column and at least one more)."""
    return block.kind == "table" and block.table is not None and len(block.table.header) >= 2


@dataclass
class LessonDoc:
    """What the importer understood of a lesson."""

    title: str
    title_heading: str
    day: int | None = None
    date: str | None = None
    course: str | None = None
    subtitle: str | None = None
    taglines: list[str] = field(default_factory=list)
    intro: list[Block] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    summary_heading: str | None = None
    summary: list[str] = field(default_factory=list)


def render_blocks(blocks: Iterable[Block]) -> list[str]:
    """Return blocks as readable lines: paragraphs, '- ' bullets (nested by two spaces), '> ' quotes."""
    lines: list[str] = []
    for block in blocks:
        if block.kind == "list":
            lines.extend(_render_items(block.items, block.ordered, 0))
        elif block.kind == "quote":
            lines.extend(f"> {line}" for line in block.text.split("\n"))
        elif block.kind == "code":
            lines.extend(["```", block.text, "```"])
        elif block.kind == "paragraph":
            lines.extend(block.text.split("\n"))
        elif block.kind == "table" and block.table is not None:
            lines.extend(_table_lines(block.table))
    return lines


def _render_items(items: Sequence[ListItem], ordered: bool, depth: int) -> list[str]:
    lines: list[str] = []
    for number, item in enumerate(items, start=1):
        marker = f"{number}." if ordered else "-"
        lines.append(f"{'  ' * depth}{marker} {item.text}")
        lines.extend(_render_items(item.children, False, depth + 1))
    return lines


def _table_lines(table: MdTable) -> list[str]:
    # Only for tables too narrow to be comparison data (one column).
    return [f"- {' / '.join(cell for cell in row if cell)}" for row in table.rows]


def section_lines(section: Section) -> list[str]:
    """Return the sentences of a section's own text: paragraph lines, quotes and bullets."""
    lines: list[str] = []

    def walk(items: Sequence[ListItem]) -> None:
        for item in items:
            lines.append(item.text)
            walk(item.children)

    for block in section.blocks:
        if block.kind in {"paragraph", "quote"}:
            lines += block.text.split("\n")
        elif block.kind == "list":
            walk(block.items)
    return lines
