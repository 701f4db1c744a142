"""Lesson Markdown → LessonDoc, with markdown-it-py (CommonMark + tables).

Reads the header (day, date, course), the title and subtitle, taglines and intro, the numbered
sections and their subsections, tables and the closing summary; drops noise lines (a lone '.', '-'
or emoji) and heading decoration. markdown-it-py is imported inside `parse_markdown` only, so that
`lessonbot ask` and the bot never load it.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from bot.importer.lesson import Block, ImportFailure, LessonDoc, ListItem, MdTable, Section, render_blocks
from bot.importer.text import squash

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode


_DAY = re.compile(r"(\d{1,3})\s*일\s*차|\bday\s*(\d{1,3})\b", re.IGNORECASE)
_DATE_LABEL = re.compile(r"(?:날짜|일자|date)\s*[:：]\s*(.+)", re.IGNORECASE)
_DATE = re.compile(r"\d{1,2}\s*월\s*\d{1,2}\s*일|\d{4}\s*[-./]\s*\d{1,2}\s*[-./]\s*\d{1,2}")
_TITLE_NUMBER = re.compile(r"\d{1,3}\.\s+\S")
_SUMMARY_HEADING = re.compile(
    r"요약|핵심\s*정리|오늘의?\s*정리|한\s*줄\s*정리|마무리|summary|recap|tl;?dr|key\s*(?:points|takeaways)",
    re.IGNORECASE,
)
_KEYCAP = re.compile(r"(\d{1,2})\ufe0f?\u20e3\s*")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_NUMBERED = re.compile(
    r"\d{1,3}[-.](\d{1,3})\.?\s+(?=\S)"
    r"|(?:(?:step|part|chapter|section)\s*)?(?:\d{1,3}[-.])?(\d{1,3})\s*(?:[.)]|번[.)]?|\s[-–—:]|:)\s*(?=\S)",
    re.IGNORECASE,
)
_PAREN_NUMBERED = re.compile(r"\((\d{1,3})\)\s*(?=\S)")
# Emoji, bullets and marks in front of a heading's words (✅, 📌, ▶, ■, ★); not quotes or brackets.
_DECORATION = re.compile(r"(?:[^\w\s“”\"'‘’(\[<]\ufe0f?\s*)+")
_STRONG = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_SENTENCE_END = (".", "?", "!", "。", "？", "！", ":", "：")


def split_number(heading: str) -> tuple[str | None, str]:
    """Split a heading into its section number (if any) and its words: '✅ 2) 배포' → ('2', '배포')."""
    rest = heading.strip()
    for _ in range(3):
        keycap = _KEYCAP.match(rest)
        if keycap:
            return str(int(keycap.group(1))), _undecorate(rest[keycap.end() :])
        if rest[:1] == "🔟":
            return "10", _undecorate(rest[1:])
        if rest[:1] and rest[0] in _CIRCLED:
            return str(_CIRCLED.index(rest[0]) + 1), _undecorate(rest[1:])
        numbered = _NUMBERED.match(rest) or _PAREN_NUMBERED.match(rest)
        if numbered:
            number = next(group for group in numbered.groups() if group)
            return str(int(number)), _undecorate(rest[numbered.end() :])
        decoration = _DECORATION.match(rest)
        if not decoration:
            break
        rest = rest[decoration.end() :]
    return None, _undecorate(rest)


def _undecorate(text: str) -> str:
    decoration = _DECORATION.match(text.strip())
    text = text.strip()[decoration.end() :] if decoration else text.strip()
    return text.strip()


def _is_noise(line: str) -> bool:
    """Whether a line has no letter or digit at all (a lone '.', '-', '·' or stray emoji)."""
    return not any(char.isalnum() for char in line)


def clean_inline(markup: str) -> tuple[str, tuple[str, ...]]:
    """Return readable text and its bold phrases from inline text that marks strong spans with **.

    Lines without a letter or digit are noise and dropped. A line break inside a sentence becomes a
    space; one after a sentence's end stays. Bold is found after joining, on the ** markers: CommonMark
    leaves `**“…”**입니다` unparsed (a closing run after punctuation and before a letter does not close),
    and that is how Korean lessons write bold.
    """
    lines = [line.strip() for line in markup.replace("\r", "").split("\n")]
    text = ""
    for line in lines:
        if _is_noise(line.replace("**", "")):
            continue
        if not text:
            text = line
        elif text.endswith(_SENTENCE_END):
            text += "\n" + line
        else:
            text += " " + line
    bold = tuple(squash(m.group(1)) for m in _STRONG.finditer(text) if squash(m.group(1)))
    text = "\n".join(re.sub(r"[ \t]+", " ", line).strip() for line in text.replace("**", "").split("\n"))
    return text.strip(), bold


def _inline_markup(node: SyntaxTreeNode) -> str:
    """Return inline content as text, with ** around strong spans and a newline for each line break."""
    kind = node.type
    if kind == "text" or kind == "code_inline":
        return node.content
    if kind in {"softbreak", "hardbreak"}:
        return "\n"
    if kind == "html_inline":
        return ""
    inner = "".join(_inline_markup(child) for child in node.children)
    return f"**{inner}**" if kind == "strong" else inner


def _inline_of(node: SyntaxTreeNode) -> tuple[str, tuple[str, ...]]:
    inline = next((child for child in node.children if child.type == "inline"), None)
    return clean_inline(_inline_markup(inline)) if inline is not None else ("", ())


def _list_items(node: SyntaxTreeNode) -> tuple[list[ListItem], list[str]]:
    items: list[ListItem] = []
    bold: list[str] = []
    for item in node.children:
        texts: list[str] = []
        children: list[ListItem] = []
        for child in item.children:
            if child.type in {"bullet_list", "ordered_list"}:
                nested, nested_bold = _list_items(child)
                children.extend(nested)
                bold.extend(nested_bold)
                continue
            block = _block(child, 0)
            if block is not None and block.text:
                texts.append(block.text.replace("\n", " "))
                bold.extend(block.bold)
        text = " ".join(texts)
        if text:
            items.append(ListItem(text, tuple(children)))
        else:
            items.extend(children)  # a bullet that was only noise: its children move up
    return items, bold


def _block(node: SyntaxTreeNode, line: int) -> Block | None:
    kind = node.type
    if kind == "paragraph":
        text, bold = _inline_of(node)
        return Block("paragraph", text=text, bold=bold) if text else None
    if kind in {"bullet_list", "ordered_list"}:
        items, found = _list_items(node)
        return Block("list", items=tuple(items), ordered=kind == "ordered_list", bold=tuple(found)) if items else None
    if kind == "blockquote":
        parts = [b for b in (_block(child, line) for child in node.children) if b is not None]
        text = "\n".join(render_blocks(parts))
        bold = tuple(phrase for part in parts for phrase in part.bold)
        return Block("quote", text=text, bold=bold) if text else None
    if kind in {"fence", "code_block"}:
        code = node.content.rstrip()
        return Block("code", text=code) if code.strip() else None
    if kind == "table":
        return _table_block(node, line)
    return None


def _table_block(node: SyntaxTreeNode, line: int) -> Block | None:
    rows: list[tuple[str, ...]] = []
    bold: list[str] = []
    header: tuple[str, ...] = ()
    for part in node.children:
        for row in part.children:
            cells: list[str] = []
            for cell in row.children:
                text, cell_bold = _inline_of(cell)
                cells.append(text.replace("\n", " "))
                bold.extend(cell_bold)
            if part.type == "thead":
                header = tuple(cells)
            elif any(cells):
                rows.append(tuple(cells))
    if not header or not rows:
        return None
    return Block("table", table=MdTable(header, tuple(rows), line), bold=tuple(bold))


class _Reader:
    """Walks the top-level blocks in order: header → title → intro → sections → summary."""

    def __init__(self) -> None:
        self.doc: LessonDoc | None = None
        self.day: int | None = None
        self.date: str | None = None
        self.course: str | None = None
        self.labels: list[str] = []
        self.zone = "header"
        self.section_level: int | None = None
        self.current: Section | None = None

    def feed(self, node: SyntaxTreeNode) -> None:
        line = node.map[0] + 1 if node.map else 0
        if node.type == "heading":
            text, _ = _inline_of(node)
            if text:
                self.heading(text, int(node.tag[1:]), line)
            return
        block = _block(node, line)
        if block is not None:
            self.block(block)

    def heading(self, text: str, level: int, line: int) -> None:
        if self.doc is None:
            self.before_title(text, level, line)
            return
        doc = self.doc
        number, title = split_number(text)
        if number is None and _SUMMARY_HEADING.search(text):
            self.zone, self.current = "summary", None
            doc.summary_heading = text
            return
        if not doc.sections and number is not None and doc.day == int(number) and _TITLE_NUMBER.match(text):
            # "# 18일차 - 주제" then "## 18. 제목": the numbered heading is the title.
            doc.course, doc.title, doc.title_heading = doc.course or doc.title, title, text
            self.zone = "intro"
            return
        if self.zone == "intro" and number is None and doc.subtitle is None and not doc.sections:
            doc.subtitle = title
            return
        parent = doc.sections[-1] if doc.sections and self.zone == "body" else None
        if parent is not None and self.section_level is not None and level > self.section_level:
            sub = Section(text, title, number, level, line)
            parent.subsections.append(sub)
            self.current = sub
            return
        section = Section(text, title, number, level, line)
        if self.section_level is None:
            self.section_level = level
        doc.sections.append(section)
        self.zone, self.current = "body", section

    def before_title(self, text: str, level: int, line: int) -> None:
        day = _DAY.search(text)
        after_day = text[day.end() :].strip(" –-—:·|") if day else ""  # "18일차 - 주제" → "주제"
        if day and self.day is None:
            self.day = int(day.group(1) or day.group(2))
        if level == 1 or _TITLE_NUMBER.match(text):
            number, title = split_number(text)
            if day and day.start() == 0:
                title = after_day or title
            if self.day is None and number is not None:
                self.day = int(number)
            self.start(title, text)
            return
        if _KEYCAP.match(text):
            # No title line at all: the first numbered section starts the lesson.
            self.start(self.course or (self.labels[0] if self.labels else text), self.course or text)
            self.heading(text, level, line)
            return
        if day:
            self.course = after_day or self.course
            return
        self.labels.append(text)  # a label such as "주제" that only introduces the title

    def start(self, title: str, heading: str) -> None:
        self.doc = LessonDoc(title=title, title_heading=heading, day=self.day, date=self.date, course=self.course)
        self.zone = "intro"

    def block(self, block: Block) -> None:
        doc = self.doc
        if doc is None or self.zone == "intro":
            if self.take_date(block):
                return
            if doc is not None and block.kind == "quote":
                doc.taglines.append(block.text)
            elif doc is not None:
                doc.intro.append(block)
            return
        if self.zone == "summary":
            if block.kind == "list":
                doc.summary.extend(_flatten_point(item) for item in block.items)
            elif block.kind in {"paragraph", "quote"}:
                doc.summary.extend(line.strip() for line in block.text.split("\n") if line.strip())
            return
        if self.current is not None:
            self.current.blocks.append(block)

    def take_date(self, block: Block) -> bool:
        if block.kind != "paragraph":
            return False
        labelled = _DATE_LABEL.search(block.text)
        found = labelled.group(1).strip() if labelled else None
        if found is None and (plain := _DATE.search(block.text)) and len(block.text) <= 40:
            found = plain.group(0)
        if found is None:
            return False
        if self.date is None:
            self.date = found
            if self.doc is not None:
                self.doc.date = found
        return True

    def finish(self) -> LessonDoc:
        if self.doc is None:
            raise ImportFailure("no lesson title found (expected a heading such as '# 16. 왜 컨테이너인가')")
        doc = self.doc
        doc.day = doc.day or self.day
        doc.date = doc.date or self.date
        doc.course = doc.course or self.course
        if not doc.sections:
            raise ImportFailure("no sections found (expected headings such as '## 1️⃣ …' after the title)")
        return doc


def _flatten_point(item: ListItem) -> str:
    if not item.children:
        return item.text
    return f"{item.text}: " + ", ".join(_flatten_point(child) for child in item.children)


def parse_markdown(text: str) -> LessonDoc:
    """Parse a lesson's Markdown into a LessonDoc; raise ImportFailure if it has no title or sections."""
    from markdown_it import MarkdownIt  # imported here so that `ask` and the bot never load it
    from markdown_it.tree import SyntaxTreeNode

    parser = MarkdownIt("commonmark").enable("table")
    root = SyntaxTreeNode(parser.parse(unicodedata.normalize("NFC", text)))
    reader = _Reader()
    for node in root.children:
        reader.feed(node)
    return reader.finish()
