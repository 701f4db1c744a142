"""`lessonbot import`: a lesson written in Markdown → a draft knowledge file.

The pure steps do no I/O:
  parse_markdown   lesson Markdown → LessonDoc (header, title, sections, tables, summary)
  build_draft      LessonDoc → knowledge data (the dict a knowledge file holds), `draft: true`
  merge_draft      fresh draft + the existing file's data → merged data and an ImportReport
  format_yaml      knowledge data → the file's text;  format_report: ImportReport → text
`import_lesson` is the thin edge that reads the Markdown and the existing file and writes the result.

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

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from bot.hangul import decompose

if TYPE_CHECKING:
    from markdown_it.tree import SyntaxTreeNode


class ImportFailure(Exception):
    """The lesson cannot be imported or the result cannot be written; the message says why."""


# --- the lesson document ---------------------------------------------------------------------------


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


# --- Markdown → LessonDoc --------------------------------------------------------------------------

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


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


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
    bold = tuple(_squash(m.group(1)) for m in _STRONG.finditer(text) if _squash(m.group(1)))
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
        if day and self.day is None:
            self.day = int(day.group(1) or day.group(2))
        if level == 1 or _TITLE_NUMBER.match(text):
            number, title = split_number(text)
            if day and day.start() == 0:
                title = text[day.end() :].strip(" –-—:·|") or title
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
            self.course = text[day.end() :].strip(" –-—:·|") or self.course
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


# --- Korean particles --------------------------------------------------------------------------------

# Final consonants of Latin letters and digits as Korean reads them (엘, 엠, 엔, 알; 영, 일, 삼, 육, 칠, 팔, 십).
_LETTER_FINAL = {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "ㄹ"}
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "3": "ㅁ", "6": "ㄱ", "7": "ㄹ", "8": "ㄹ"}
_PARTICLES = {
    "이/가": ("이", "가"),
    "은/는": ("은", "는"),
    "을/를": ("을", "를"),
    "과/와": ("과", "와"),
    "이랑/랑": ("이랑", "랑"),
    "이란/란": ("이란", "란"),
    "이야/야": ("이야", "야"),
    "이에요/예요": ("이에요", "예요"),
    "으로/로": ("으로", "로"),
    "이라는/라는": ("이라는", "라는"),
}
_CLOSERS = "”’\"')]」』>.!? "


def final_consonant(word: str) -> str | None:
    """Return the final consonant (받침) the word is read with, "" for none, None when it cannot tell.

    Hangul is exact. An acronym (VM, MSA) is read letter by letter; a digit by its Sino-Korean name;
    another Latin word by its spelling's usual Korean reading (server→서버, pod→파드, git→깃).
    Closing quotes and brackets are skipped; `X(Y)` is read as X, as Korean particles follow X.
    """
    text = word.rstrip(_CLOSERS)
    if text.endswith(")") or (word.rstrip().endswith(")") and "(" in text):
        text = text[: text.rfind("(")].rstrip()
    text = text.rstrip(_CLOSERS)
    if not text:
        return None
    last = text[-1]
    if "가" <= last <= "힣":
        return decompose(last)[2]
    if last.isdigit():
        return _DIGIT_FINAL.get(last, "")
    if not last.isascii() or not last.isalpha():
        return None
    tail = re.search(r"[A-Za-z]+\Z", text)
    letters = tail.group(0) if tail else last
    if letters.isupper() or len(letters) == 1:
        return _LETTER_FINAL.get(last.lower(), "")
    lower = letters.lower()
    if lower.endswith("ng"):
        return "ㅇ"
    if lower.endswith(("er", "or", "ar", "ure")):
        return ""
    return {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "k": "ㄱ", "p": "ㅂ", "t": "ㅅ"}.get(lower[-1], "")


def particle(word: str, pair: str) -> str:
    """Return `word` with the particle of `pair` ("이/가", "은/는", ...) that its final consonant takes."""
    with_final, without = _PARTICLES[pair]
    final = final_consonant(word)
    if final is None:
        return f"{word} {without}" if pair in {"이/가", "은/는", "을/를"} else word + without
    if pair == "으로/로":
        return word + (with_final if final and final != "ㄹ" else without)
    return word + (with_final if final else without)


# --- phrasings ---------------------------------------------------------------------------------------

_QUOTES = "“”‘’\"'「」『』"
_VERB_END = re.compile(r"(?:다|요|함|됨|짐|음|임|남|봄|줌|럼|까|가|나|죠)\s*[.?!]?\Z")
_DEFINE = re.compile(
    r"(?P<x>.+?)\s*(?:이란|란|은|는|이|가)?\s*(?:무엇인가요|무엇인가|무엇일까요?|뭘까요?|뭐예요|뭐야)\s*\??\Z"
)
_DEFINE_SHORT = re.compile(r"(?P<x>.+?)\s*(?:이란|란)\s*\??\Z")
_WHY_IS = re.compile(
    r"왜\s+(?P<x>.+?)\s*(?:인가요|인가|일까요|일까|이어야\s*할까|을\s*써야\s*할까|를\s*써야\s*할까)\s*\??\Z"
)
_REASON = re.compile(r"(?P<c>.+?)\s*(?:이유|까닭)\s*\??\Z")
_VERSUS = re.compile(
    r"(?P<a>.+?)\s+(?:vs\.?|VS|대)\s+(?P<b>.+?)(?:\s+(?P<w>(?:핵심\s*|주요\s*)?(?:비교|차이점?|정리)))?\s*\??\Z"
)
_AND_DIFF = re.compile(r"(?P<a>.+?)(?:와|과|랑|이랑|하고)\s+(?P<b>.+?)(?:의)?\s+(?P<w>차이점?|비교|관계)\s*\??\Z")
_ASPECT = re.compile(
    r"(?P<x>.+?)(?:의|이\s+주는|가\s+주는|이\s+가진|가\s+가진)?\s+(?:핵심\s*|주요\s*)?"
    r"(?P<w>가치|장점|이점|단점|특징|역할|목적|원리|구조|종류|한계|문제점?|조건|흐름|구성\s*요소|단계)"
    r"(?:\s*\d+\s*가지)?\s*\??\Z"
)
_NOT_BUT = re.compile(r"(?P<a>.+?)(?:이|가)?\s+아니라\s+(?P<b>.+?)\s*\??\Z")
_TERM_END = re.compile(r"(?:다|요|함|됨|짐|음|림|남|봄|며|고|서|게|히|로|에|지|까|죠|야|만|도|면)\Z")
_QUOTED = re.compile(r"“([^”\n]{2,40})”|‘([^’\n]{2,40})’|\"([^\"\n]{2,40})\"")
_DEFINITION = re.compile(r"(?P<s>[^,.]{1,20}?)(?:은|는)\s+.+(?:입니다|이다|예요|이에요|다)[.!]?\Z")
_DEMONSTRATIVES = {"이", "그", "저", "이걸", "그걸", "이것", "그것", "이건", "그건", "이게", "그게"}
# Syllables that end verb and adjective stems before 다 (하다, 되다, 크다, …), unlike a noun + copula (단위다).
_VERB_STEMS = set("하되지주크보나오가이르우추키기시리쁘쓰뜨")
_NOMINAL_END = {
    "짐": ("지는", "져"),
    "됨": ("되는", "돼"),
    "함": ("하는", "해"),
    "남": ("나는", "나"),
    "임": ("인", "이야"),
}
_ADNOMINAL_END = {"한": "해", "된": "됐어", "진": "졌어", "인": "이야", "난": "났어", "운": "워"}
# Words of a heading and the everyday words learners use for them instead.
_PARAPHRASES = {
    "가치": ("장점", "이점"),
    "장점": ("이점",),
    "이점": ("장점",),
    "차이": ("차이점", "다른 점"),
    "비교": ("차이",),
    "목표": ("목적",),
    "특징": ("특성",),
    "부족한": ("한계",),
}


def _plain(text: str) -> str:
    """Return text without quotes, emoji or brackets around it, spaces squashed."""
    text = "".join(char for char in text if char not in _QUOTES)
    text = "".join(char for char in text if char.isalnum() or char.isspace() or char in "()/·,.-+:&?!%~")
    return _squash(text).strip(" ,.:·-")


def _without_parens(text: str) -> tuple[str, list[str]]:
    """Return text without its bracketed parts, and those: '컨테이너(Container)란' → '컨테이너란', ['Container']."""
    inside = [_squash(part) for part in re.findall(r"\(([^()]*)\)", text) if part.strip()]
    outside = _squash(re.sub(r"\s*\([^()]*\)", "", text))
    return outside, inside


def _has_hangul(text: str) -> bool:
    return bool(re.search(r"[가-힣]", text))


def _is_latin_word(text: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9 .+#-]*", text))


def topic_questions(topic: str) -> list[str]:
    """Return "what is X" questions for a noun phrase X, each with the particle X takes."""
    x = _plain(topic)
    if not x:
        return []
    if _is_latin_word(x) and not x.isupper():
        # A Latin word's Korean reading is a guess: keep its questions free of particles.
        return [f"{x} 뜻", f"{x} 설명해줘", f"{x} 개념"]
    return [
        f"{particle(x, '이란/란')}?",
        f"{particle(x, '이/가')} 뭐야",
        f"{particle(x, '은/는')} 뭐예요?",
        f"{x} 뜻",
        f"{x} 설명해줘",
        f"{x}에 대해 알려줘",
        f"{x} 뭐임",
    ]


def _reason_questions(clause: str) -> list[str]:
    c = _plain(clause)
    if not c:
        return []
    questions = [f"{c} 이유", f"{c} 이유가 뭐야?", f"왜 {c} 거야?"]
    words = c.split()
    last = words[-1]
    for ending, declarative in _ADNOMINAL_END.items():
        if last.endswith(ending) and len(last) > 1:
            said = last[: -len(ending)] + declarative
            head = " ".join(words[:-1])
            questions.append(f"{head} 왜 {said}?".strip() if head else f"왜 {said}?")
            break
    return questions


def _compare_questions(a: str, b: str) -> list[str]:
    a, b = _plain(a), _plain(b)
    if not a or not b:
        return []
    return [
        f"{particle(a, '과/와')} {b}의 차이",
        f"{particle(a, '이랑/랑')} {b} 차이점",
        f"{a} vs {b}",
        f"{a} {b} 비교",
        f"{particle(a, '과/와')} {b} 비교해줘",
    ]


def _quoted_form(statement: str) -> str:
    """Return a statement as quoted speech before "게/말": '환경이 같다' → '환경이 같다는', '단위다' → '단위라는'."""
    if statement.endswith("이다") and len(statement) >= 3:
        return statement[:-2] + "이라는"
    if statement.endswith("다") and len(statement) >= 2:
        before = statement[-2]
        noun_copula = "가" <= before <= "힣" and not decompose(before)[2] and before not in _VERB_STEMS
        return statement[:-1] + ("라는" if noun_copula else "다는")
    return particle(statement, "이라는/라는")


def _statement_questions(statement: str) -> list[str]:
    s = _plain(statement)
    if not s:
        return []
    said = _quoted_form(s)
    return [s, f"{said} 게 무슨 뜻이야?", f"{said} 말의 의미"]


def _nominal_questions(phrase: str) -> list[str]:
    """Return questions for a phrase ending in a nominalised verb: '복구가 빨라짐' → '복구가 왜 빨라져?'."""
    p = _plain(phrase)
    words = p.split()
    if not words:
        return []
    last = words[-1]
    for ending, (adnominal, declarative) in _NOMINAL_END.items():
        if last.endswith(ending) and len(last) > 1:
            stem = last[: -len(ending)]
            head = " ".join(words[:-1])
            return [
                f"{head} {stem}{adnominal} 이유".strip(),
                f"{head} 왜 {stem}{declarative}?".strip(),
                f"{head} {stem}{declarative}?".strip(),
            ]
    return []


def _paraphrased(phrases: Iterable[str]) -> list[str]:
    out: list[str] = []
    for phrase in phrases:
        for word, replacements in _PARAPHRASES.items():
            if re.search(rf"(?<![가-힣]){word}(?![가-힣])", phrase):
                out.extend(re.sub(rf"(?<![가-힣]){word}(?![가-힣])", new, phrase, count=1) for new in replacements)
    return out


def heading_topics(title: str) -> list[str]:
    """Return the noun phrases a heading is about: what it defines, compares, or describes an aspect of."""
    base, inside = _without_parens(_plain_keep_parens(title))
    topics: list[str] = []
    for clause in [base, *[part for part in inside if _has_hangul(part) and " " in part]]:
        clause = _plain(clause.split(":", 1)[-1] if ":" in clause else clause)
        for pattern in (_DEFINE, _DEFINE_SHORT, _WHY_IS):
            found = pattern.fullmatch(clause)
            if found:
                topics.append(found.group("x"))
                break
        versus = _VERSUS.fullmatch(clause) or _AND_DIFF.fullmatch(clause)
        if versus:
            topics.extend([versus.group("a"), versus.group("b")])
        aspect = _ASPECT.fullmatch(clause)
        if aspect:
            topics.append(aspect.group("x"))
    topics.extend(part for part in inside if not (" " in part and _has_hangul(part)))
    return [_plain(t) for t in topics if _plain(t)]


def _plain_keep_parens(text: str) -> str:
    return _squash("".join(char for char in text if char not in _QUOTES))


def heading_questions(title: str) -> list[str]:
    """Return alternate questions for a section heading, by the heading's shape.

    Shapes: "X란?" (definition), "… 이유" (reason), "A vs B 비교" / "A와 B의 차이" (comparison),
    "X의 핵심 가치 3가지" (aspect), "결론: …" (label and statement), "A가 아니라 B" (contrast),
    "… 빨라짐" (nominalised change); parenthesised parts add aliases or a second heading.
    """
    raw = _plain_keep_parens(title)
    base, inside = _without_parens(raw)
    questions = [_plain(raw), _plain(base)]
    clauses = [base, *[part for part in inside if _has_hangul(part) and " " in part]]
    aliases = [part for part in inside if part not in clauses]
    for clause in clauses:
        label = None
        if ":" in clause:
            label, clause = (part.strip() for part in clause.split(":", 1))
        clause = _plain(clause)
        if label:
            label = _plain(label)
            questions += [label, f"{particle(label, '이/가')} 뭐야?", f"{label} 정리해줘"]
            questions += _statement_questions(clause)
        defined = next((p.fullmatch(clause) for p in (_DEFINE, _DEFINE_SHORT) if p.fullmatch(clause)), None)
        why_is = _WHY_IS.fullmatch(clause)
        reason = _REASON.fullmatch(clause)
        versus = _VERSUS.fullmatch(clause) or _AND_DIFF.fullmatch(clause)
        aspect = _ASPECT.fullmatch(clause)
        contrast = _NOT_BUT.fullmatch(clause)
        if defined:
            x = _plain(defined.group("x"))
            questions += topic_questions(x)
            questions += [f"{x} 특징", f"{x}의 특징은?"]
        if why_is:
            x = _plain(why_is.group("x"))
            questions += [f"왜 {x}?", f"{x} 쓰는 이유", f"{x} 왜 써?", f"{x} 필요한 이유"]
        if reason:
            questions += _reason_questions(reason.group("c"))
        if versus:
            questions += _compare_questions(versus.group("a"), versus.group("b"))
        if aspect:
            x, w = _plain(aspect.group("x")), _squash(aspect.group("w"))
            questions += [
                f"{x}의 {w}",
                f"{x} {w}",
                f"{x} {w} 알려줘",
                f"{x}의 {w}{'는' if not final_consonant(w) else '은'}?",
            ]
        if contrast:
            a, b = _plain(contrast.group("a")), re.sub(r"(?<=[가-힣])(?:이)?다\Z", "", _plain(contrast.group("b")))
            questions += [
                b,
                f"{a} 대신 {b}",
                f"{particle(a, '이/가')} 아니라 {particle(b, '이라는/라는')} 게 무슨 뜻이야?",
            ]
        if not (label or defined or why_is or reason or versus or aspect or contrast):
            nominal = _nominal_questions(clause)
            questions += nominal
            if not _VERB_END.search(clause):
                questions += [f"{particle(clause, '이/가')} 뭐야?", f"{clause} 설명해줘"]
            elif not nominal:
                questions += _statement_questions(clause)
    for alias in aliases:
        if _is_latin_word(alias):
            questions += [f"{alias} 뜻", f"{alias} 설명"]
    for quoted in re.findall(r"[“\"‘']([^”\"’']+)[”\"’']", title):
        questions += _statement_questions(quoted) if _VERB_END.search(quoted) else topic_questions(quoted)[:3]
    for clause in clauses:
        clause = _plain(clause.split(":", 1)[-1])
        questions += _paraphrased([clause])
        aspect = _ASPECT.fullmatch(clause)
        if aspect:
            questions += _paraphrased([f"{_plain(aspect.group('x'))} {_squash(aspect.group('w'))}"])
    return questions


def bold_questions(phrase: str) -> list[str]:
    """Return questions for a bold phrase: a term gets "what is X"; a sentence is a phrasing itself."""
    text, inside = _without_parens(_plain_keep_parens(phrase))
    text = _plain(text)
    if not text:
        return []
    if _is_term(text) and len(text) <= 16 and not _VERB_END.search(text):
        questions = topic_questions(text)[:4]
        questions += [f"{alias} 뜻" for alias in inside if _is_latin_word(alias)]
        return questions
    if len(text.split()) <= 2:
        return []  # an adverb or a fragment ("운영 가능하게"): no question to ask about it
    return _statement_questions(text)[:2] if _VERB_END.search(text) else [text, f"{text} 설명해줘"]


def _is_term(text: str) -> bool:
    """Whether text reads as a term (a noun phrase of up to three words), not a clause or an adverb."""
    words = text.split()
    return 0 < len(words) <= 3 and len(text) <= 20 and not _TERM_END.search(text)


def _is_subject(text: str) -> bool:
    """Whether text can be what a "A는 …입니다" sentence defines: a short noun phrase, not a clause."""
    words = text.split()
    if not _is_term(text) or len(words) > 2 or words[0] in _DEMONSTRATIVES:
        return False
    return not any(re.search(r"(?:을|를|로|에|서)\Z", word) for word in words) and not re.search(
        r"(?:하|되|주|지|보|오|가)\Z", words[-1]
    )


def bullet_questions(items: Sequence[ListItem], owned: set[str], topic: str = "") -> list[str]:
    """Return phrasings from bullet points.

    Short bullets are phrasings as they are; the terms a bullet names in brackets or lists with
    slashes ("어디에 배치할지(스케줄링)", "서비스 디스커버리/로드밸런싱") get "what is X" questions;
    a bullet whose sub-bullets are short items lists the parts of `topic` ("구성 요소").
    """
    out: list[str] = []
    for item in items:
        text = _plain_keep_parens(item.text)
        base, inside = _without_parens(text)
        base = _plain(base)
        for term in inside:
            if _is_term(term) and _has_hangul(term) and _compact(term) not in owned:
                out += topic_questions(term)[:3]
        if "/" in base and len(base.split()) <= 4:
            for term in re.split(r"\s*/\s*", base):
                if _is_term(term) and len(term) > 1 and _compact(term) not in owned:
                    out += topic_questions(term)[:2]
        if len(base.split()) <= 5:
            out.append(base)
        leaves = [child for child in item.children if not child.children and _is_term(_plain(child.text))]
        if topic and len(leaves) >= 2 and len(leaves) == len(item.children):
            parts = " ".join(_plain(child.text) for child in leaves)
            out += [parts, f"{topic} 구성 요소", f"{topic}에 포함되는 것", f"{topic} 안에 뭐가 들어가?"]
        out += bullet_questions(item.children, owned, topic)
    return out


def sentence_questions(line: str, owned: set[str]) -> list[str]:
    """Return phrasings from a sentence of the lesson's text, by its shape.

    "A는 …입니다" (a definition) asks what A is; "“A”가 아니라 “B”" (a contrast) asks about B
    and how A and B differ.
    """
    out: list[str] = []
    defined = _DEFINITION.match(_plain(line))
    if defined:
        subject = _plain(defined.group("s"))
        if _is_subject(subject) and _compact(subject) not in owned:
            out += topic_questions(subject)[:3]
            if "의 " in subject:
                out.append(subject.replace("의 ", " "))
    quoted = _quoted(line)
    if "아니라" in line and len(quoted) >= 2:
        a, b = _plain(quoted[0]), _plain(quoted[1])
        out += [
            f"{particle(a, '이/가')} 아니라 {b}",
            f"{a} 대신 {b}",
            f"{particle(a, '과/와')} {b}의 차이",
            f"{particle(a, '이랑/랑')} {b} 차이점",
        ]
    return out


def _quoted(line: str) -> list[str]:
    return [_squash(next(group for group in found.groups() if group)) for found in _QUOTED.finditer(line)]


def key_phrases(section: Section) -> list[str]:
    """Return the phrases a section marks as key: bold ones, and quoted ones in its text."""
    phrases = list(section.bold)
    for line in section_lines(section):
        phrases += _quoted(line)
    return list(dict.fromkeys(p for p in phrases if _plain(p)))


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


def row_questions(label: str, columns: Sequence[str], cells: Sequence[str] = ()) -> list[str]:
    """Return questions for one comparison-table row: its label against the columns, and what each cell says."""
    x = _plain(label)
    questions = [x, f"{x} 비교", f"{x} 차이", f"{x} 측면에서 차이"]
    if len(columns) >= 2:
        a, b = _plain(columns[0]), _plain(columns[1])
        questions += [
            f"{particle(a, '과/와')} {b}의 {x} 차이",
            f"{a} {b} {x} 비교",
            f"{particle(x, '은/는')} {particle(a, '이랑/랑')} {b} 중 어느 쪽?",
            f"{a}의 {x}",
            f"{b}의 {x}",
        ]
    for column, cell in zip(columns, cells, strict=False):
        said = _plain(_without_parens(cell)[0])
        if said and said != "-":
            questions.append(f"{_plain(column)} {x} {said}")
    return questions


_ASPECT_HEADERS = {"항목", "구분", "비교", "비교 항목", "기준", "특징", "측면", "aspect", "item", "-"}


def is_comparison(table: MdTable, caption: str) -> bool:
    """Whether a table compares its columns (| 항목 | VM | 컨테이너 |) rather than lists records by row.

    Its first header names an aspect (항목, 구분, 기준, …), or its heading names two of its columns.
    """
    columns = table.header[1:]
    if _squash(table.header[0]).casefold() in _ASPECT_HEADERS:
        return True
    heading = _compact(caption)
    return sum(1 for column in columns if _compact(column) and _compact(column) in heading) >= 2


def record_questions(label: str, columns: Sequence[str], cells: Sequence[str], caption: str) -> list[str]:
    """Return questions for one row of a table whose rows are things and columns their attributes."""
    x = _plain(label)
    questions = [x, f"{particle(x, '이/가')} 뭐야?", f"{x} 설명해줘", f"{_plain(caption)} {x}"]
    for column, cell in zip(columns, cells, strict=False):
        c = _plain(column)
        questions += [f"{x} {c}", f"{x}의 {particle(c, '은/는')}?"] if _is_term(c) else [f"{x} {c}"]
        said = _plain(_without_parens(cell)[0])
        if said and said != "-":
            questions.append(f"{x} {said}")
    return questions


def table_questions(columns: Sequence[str], caption: str, header: str = "", *, comparison: bool = True) -> list[str]:
    """Return questions for a whole table: comparing its columns, or listing its rows."""
    questions = [_plain(caption)]
    if not comparison:
        h = _plain(header)
        return [
            *questions,
            f"{_plain(caption)} 정리",
            f"{_plain(caption)} 표",
            f"{h} 목록",
            f"어떤 {particle(h, '이/가')} 있어?",
        ]
    if len(columns) >= 2:
        questions += _compare_questions(columns[0], columns[1])
        questions += [
            f"{_plain(columns[0])} {_plain(columns[1])} 표 정리",
            f"{particle(_plain(columns[0]), '과/와')} {_plain(columns[1])} 항목별 비교",
        ]
    return questions


def _compact(text: str) -> str:
    return re.sub(r"[\s\-_.·/]+", "", _plain(text).casefold())


def _dedupe(phrasings: Iterable[str], *, limit: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for phrasing in phrasings:
        text = _squash(phrasing)
        key = re.sub(r"[\s?!.]+", "", text)
        if len(key) < 2 or key in seen:
            continue
        seen.add(key)
        out.append(text)
    return out[:limit]


# --- LessonDoc → knowledge data -----------------------------------------------------------------------

GENERATED_ID = re.compile(r"(?:lesson|summary|(?:s\d+|part\d+)[a-z]?(?:-\d+[a-z]?)?(?:-t\d+)?(?:\.r\d+)?)\Z")
_MAX_QUESTIONS = 60
_NEXT_LESSON_TERMS = (
    "다음 수업",
    "다음 강의",
    "다음 시간",
    "내일 수업",
    "내일 강의",
    "next lesson",
    "next class",
    "tomorrow's lesson",
)
_HOMEWORK_TERMS = ("과제", "숙제", "homework", "assignment", "assignments")
_SUMMARY_QUESTIONS = (
    "오늘의 핵심 요약",
    "요약해줘",
    "오늘 수업 요약",
    "핵심 정리",
    "오늘 배운 거 정리해줘",
    "핵심만 알려줘",
    "요약 좀",
    "오늘 내용 정리",
    "한 줄 요약",
    "수업 내용 요약해 주세요",
)


def _pair(text: str | None) -> dict[str, Any]:
    return {"ko": text, "en": None}


def _unique(base: str, taken: set[str]) -> str:
    candidate, suffix = base, ord("b")
    while candidate in taken:
        candidate, suffix = f"{base}{chr(suffix)}", suffix + 1
    taken.add(candidate)
    return candidate


@dataclass
class _Planned:
    section: Section
    id: str
    parent: str | None
    source: str
    tables: list[tuple[str, MdTable]] = field(default_factory=list)


def _plan(doc: LessonDoc) -> list[_Planned]:
    taken = {"lesson", "summary"}
    table_ids: set[str] = set()
    planned: list[_Planned] = []
    unnumbered = 0
    for section in doc.sections:
        if section.number is None:
            unnumbered += 1
        sid = _unique(f"s{section.number}" if section.number else f"part{unnumbered}", taken)
        top = _Planned(section, sid, None, section.heading)
        planned.append(top)
        for position, sub in enumerate(section.subsections, start=1):
            cid = _unique(f"{sid}-{sub.number or position}", taken)
            planned.append(_Planned(sub, cid, sid, f"{section.heading} · {sub.heading}"))
    for item in planned:
        for number, block in enumerate(b for b in item.section.blocks if b.kind == "table"):
            assert block.table is not None
            if len(block.table.header) < 2:
                continue
            tid = _unique(item.id if number == 0 else f"{item.id}-t{number + 1}", table_ids)
            item.tables.append((tid, block.table))
    return planned


def _owned_topics(planned: Sequence[_Planned]) -> dict[str, str]:
    """Return each topic (compacted) → the id of the one entry that asks "what is it" about it.

    A heading's topics belong to its entry; a key phrase (bold or quoted) belongs to the first
    section that marks it. Others that mention it do not generate questions about it.
    """
    owned: dict[str, str] = {}
    for item in planned:
        for topic in heading_topics(item.section.title):
            owned.setdefault(_compact(topic), item.id)
    for item in planned:
        for phrase in key_phrases(item.section):
            owned.setdefault(_compact(_without_parens(phrase)[0]), item.id)
    return owned


def find_glossary(texts: Iterable[str]) -> list[list[str]]:
    """Return synonym groups from `한국어(English)`, `ACRONYM(Expansion)` and `ACRONYM(한국어)` pairs."""
    groups: list[list[str]] = []
    for text in texts:
        for words, inside in re.findall(r"((?:[0-9A-Za-z가-힣]+ ){0,2}[0-9A-Za-z가-힣]+)\s?\(([^()]+)\)", text):
            inside = _squash(inside)
            before = words.split()[-1]
            pair: list[str] | None = None
            if re.fullmatch(r"[A-Za-z][A-Za-z .\-]*[A-Za-z]", inside) and _has_hangul(before):
                # As many Korean words as the English has: 지속적 배포(Continuous Deployment).
                korean = words.split()[-len(inside.split()) :]
                if len(korean) == len(inside.split()) and all(re.fullmatch(r"[가-힣]+", w) for w in korean):
                    pair = [" ".join(korean), inside]
            elif re.fullmatch(r"[A-Z][A-Z0-9]{1,5}", before):
                initials = "".join(word[0] for word in re.split(r"[\s\-]+", inside) if word).upper()
                if initials == before.upper() and re.fullmatch(r"[A-Za-z .\-]+", inside):
                    pair = [before, inside]
                elif re.fullmatch(r"[가-힣]{2,}", inside):
                    pair = [inside, before]
            if pair is None:
                continue
            keys = {_compact(term) for term in pair}
            for group in groups:
                if keys & {_compact(term) for term in group}:
                    group.extend(term for term in pair if _compact(term) not in {_compact(t) for t in group})
                    break
            else:
                groups.append(pair)
    return groups


def _lesson_text(doc: LessonDoc) -> str:
    parts = [doc.title, doc.subtitle or "", *doc.taglines, *render_blocks(doc.intro), *doc.summary]
    for section in doc.sections:
        for part in (section, *section.subsections):
            parts += [part.heading, *render_blocks(part.blocks)]
    return "\n".join(parts)


def generic_out_of_scope(doc: LessonDoc) -> list[dict[str, Any]]:
    """Return the topics learners ask every lesson about but a lesson's text does not cover.

    The next lesson and homework are asked about in any daily study group; each is listed only when
    none of its terms occurs in this lesson. These are texts of the importer's own, so it writes them
    in both languages.
    """
    next_day = [f"{doc.day + 1}일차", f"day {doc.day + 1}"] if doc.day else []
    topics = [
        ({"ko": "다음 수업 내용", "en": "the next lesson"}, [*_NEXT_LESSON_TERMS, *next_day]),
        ({"ko": "과제·숙제", "en": "homework and assignments"}, list(_HOMEWORK_TERMS)),
    ]
    text = _compact(_lesson_text(doc))
    return [
        {"topic": topic, "terms": terms} for topic, terms in topics if not any(_compact(term) in text for term in terms)
    ]


def build_draft(doc: LessonDoc, *, lesson_id: str) -> dict[str, Any]:
    """Return the knowledge data of a draft for `doc`: Korean from the lesson, every English `None`."""
    planned = _plan(doc)
    owned = _owned_topics(planned)
    ids = [item.id for item in planned]
    tables: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = [_lesson_entry(doc, planned)]
    tops = [item for item in planned if item.parent is None]
    for item in planned:
        entries.extend(_section_entries(item, planned, tops, owned, tables))
    summary = [point for point in (_squash(p) for p in doc.summary) if point]
    if not summary:
        summary = [f"{item.section.number or '-'}. {item.section.title}" for item in tops]
    entries.append(_summary_entry(doc, ids))
    subtitle = {"subtitle": _pair(doc.subtitle)} if doc.subtitle else {}
    everything = [doc.title, *(item.section.heading for item in planned)]
    everything += [line for item in planned for line in section_lines(item.section)]
    data: dict[str, Any] = {
        "format": 1,
        "draft": True,
        "lesson": {
            "id": lesson_id,
            "day": doc.day or 1,
            "date": doc.date or "날짜 미상",
            "title": _pair(doc.title),
            **subtitle,
        },
        "glossary": find_glossary(everything),
        "out_of_scope": generic_out_of_scope(doc),
        "summary": {"ko": summary, "en": None},
        "tables": tables,
        "entries": entries,
    }
    return data


def _lesson_entry(doc: LessonDoc, planned: Sequence[_Planned]) -> dict[str, Any]:
    day = f"{doc.day}일차" if doc.day else "이번"
    when = f"{day}({doc.date})" if doc.date else day
    lines = [f"{when} 수업의 주제는 “{doc.title}”입니다."]
    if doc.subtitle:
        lines.append(doc.subtitle)
    lines += [f"> {line}" for tagline in doc.taglines for line in tagline.split("\n")]
    lines += render_blocks(doc.intro)
    title = _plain(doc.title)
    questions = [
        "오늘 수업 주제가 뭐야?",
        "오늘 뭐 배워?",
        "이번 강의 제목이 뭐예요?",
        "오늘 강의 무슨 내용이야",
        "수업 개요",
        title,
    ]
    if doc.day:
        questions += [
            f"{doc.day}일차 수업 주제",
            f"{doc.day}일차 뭐 배워?",
            f"{doc.day}일차 수업 내용",
            f"{doc.day}강 주제",
        ]
    if doc.date:
        questions += [f"{doc.date} 수업 주제는?", f"{doc.date} 수업 날짜", "수업 날짜가 언제야?"]
    if doc.course:
        questions += [f"{doc.course} 수업 개요", f"{doc.course} 수업 주제"]
    for tagline in doc.taglines:
        questions += _statement_questions(tagline)[1:2]
    tops = [item.id for item in planned if item.parent is None]
    return {
        "id": "lesson",
        "source": _plain_keep_parens(doc.title_heading),
        "title": _pair(f"{day} 수업은 무엇에 대한 건가요?"),
        "answer": _pair("\n".join(lines)),
        "questions": {"ko": _dedupe(questions, limit=_MAX_QUESTIONS), "en": None},
        "related": ["summary", *tops[:1]],
    }


def _section_entries(
    item: _Planned,
    planned: Sequence[_Planned],
    tops: Sequence[_Planned],
    owned: dict[str, str],
    tables: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    section = item.section
    not_mine = {topic for topic, owner in owned.items() if owner != item.id}
    text_blocks = [b for b in section.blocks if b.kind != "table" or len(b.table.header if b.table else ()) < 2]
    lines = render_blocks(text_blocks)
    children = [p for p in planned if p.parent == item.id]
    if children:
        lines += [f"- {_sub_label(child.section)}" for child in children]
    questions = heading_questions(section.title)
    topics = heading_topics(section.title)
    for phrase in key_phrases(section):
        if _compact(_without_parens(phrase)[0]) not in not_mine:
            questions += bold_questions(phrase)
    for line in section_lines(section):
        questions += sentence_questions(line, not_mine)
    for block in section.blocks:
        if block.kind == "list":
            questions += bullet_questions(block.items, not_mine, topics[0] if topics else "")
    entry: dict[str, Any] = {"id": item.id, "source": item.source}
    if item.parent:
        entry["parent"] = item.parent
    entry["title"] = _pair(_plain_keep_parens(section.title) or section.heading)
    if lines or not item.tables:
        entry["answer"] = _pair("\n".join(lines) if lines else _plain_keep_parens(section.title))
    row_entries: list[dict[str, Any]] = []
    for number, (table_id, table) in enumerate(item.tables):
        data = _table_data(table_id, table, section.title)
        tables.append(data)
        columns = data["columns"]["ko"]
        comparison = is_comparison(table, section.title)
        whole = table_questions(columns, data["caption"]["ko"], data["header"]["ko"], comparison=comparison)
        if number == 0:
            entry["table"] = table_id
            questions += whole
        else:
            row_entries.append(
                {
                    "id": table_id,
                    "source": f"{item.source} · 표 {number + 1}",
                    "title": _pair(data["caption"]["ko"]),
                    "table": table_id,
                    "questions": {"ko": _dedupe(whole, limit=_MAX_QUESTIONS), "en": None},
                    "related": [item.id],
                }
            )
        row_ids = [f"{table_id}.{row['key']}" for row in data["rows"]]
        for position, row in enumerate(data["rows"]):
            label = row["label"]["ko"]
            neighbours = [row_ids[i] for i in (position - 1, position + 1) if 0 <= i < len(row_ids)]
            if comparison:
                asked = row_questions(label, columns, row["cells"]["ko"])
            else:
                asked = record_questions(label, columns, row["cells"]["ko"], data["caption"]["ko"])
            row_entries.append(
                {
                    "id": row_ids[position],
                    "source": f"{item.source} · {label}",
                    "title": _pair(_row_title(data, label, comparison=comparison)),
                    "table": table_id,
                    "row": row["key"],
                    "questions": {"ko": _dedupe(asked, limit=_MAX_QUESTIONS), "en": None},
                    "related": [item.id if number == 0 else table_id, *neighbours],
                }
            )
    entry["questions"] = {"ko": _dedupe(questions, limit=_MAX_QUESTIONS), "en": None}
    entry["related"] = _related(item, planned, tops)
    keywords = [
        _plain(_without_parens(p)[0])
        for p in section.bold
        if len(_plain(p).split()) <= 3 and _compact(_without_parens(p)[0]) not in not_mine
    ]
    keywords = _dedupe(keywords, limit=8)
    if keywords:
        entry["keywords"] = keywords
    return [entry, *row_entries]


def _sub_label(section: Section) -> str:
    return (
        f"{section.number}) {_plain_keep_parens(section.title)}"
        if section.number
        else _plain_keep_parens(section.title)
    )


def _related(item: _Planned, planned: Sequence[_Planned], tops: Sequence[_Planned]) -> list[str]:
    if item.parent is not None:
        siblings = [p.id for p in planned if p.parent == item.parent]
        at = siblings.index(item.id)
        return [item.parent, *(siblings[i] for i in (at - 1, at + 1) if 0 <= i < len(siblings))]
    order = [p.id for p in tops]
    at = order.index(item.id)
    related = [order[i] for i in (at - 1, at + 1) if 0 <= i < len(order)]
    children = [p.id for p in planned if p.parent == item.id]
    return [*children[:1], *related]


def _row_title(table: dict[str, Any], label: str, *, comparison: bool) -> str:
    columns = table["columns"]["ko"]
    if comparison and len(columns) == 2:
        return f"{columns[0]} vs {columns[1]}: {label}"
    return f"{table['caption']['ko']}: {label}"


def _table_data(table_id: str, table: MdTable, caption: str) -> dict[str, Any]:
    header = [cell or "-" for cell in table.header]
    columns = header[1:]
    rows: list[dict[str, Any]] = []
    for number, row in enumerate(table.rows, start=1):
        cells = [*(cell or "-" for cell in row[1 : len(header)])]
        cells += ["-"] * (len(columns) - len(cells))
        label = row[0] if row and row[0] else f"{number}"
        rows.append({"key": f"r{number}", "label": _pair(label), "cells": {"ko": cells, "en": None}})
    return {
        "id": table_id,
        "caption": _pair(_plain_keep_parens(caption)),
        "header": _pair(header[0] if header[0] != "-" else "항목"),
        "columns": {"ko": columns, "en": None},
        "rows": rows,
    }


def _summary_entry(doc: LessonDoc, ids: Sequence[str]) -> dict[str, Any]:
    heading = doc.summary_heading or "오늘의 핵심 요약"
    _, title = split_number(heading)
    questions = [*_SUMMARY_QUESTIONS, _plain(title)]
    if doc.day:
        questions += [f"{doc.day}일차 요약", f"{doc.day}일차 핵심 정리"]
    return {
        "id": "summary",
        "source": heading,
        "title": _pair(_plain(title) or "오늘의 핵심 요약"),
        "summary": True,
        "questions": {"ko": _dedupe(questions, limit=_MAX_QUESTIONS), "en": None},
        "related": ["lesson", *ids[-1:]],
    }


# --- re-import: keep what was written by hand -----------------------------------------------------


@dataclass
class ImportReport:
    """What an import did: entry ids added, removed, changed under kept English, and kept by hand."""

    lesson_id: str
    entries: int = 0
    tables: int = 0
    rows: int = 0
    points: int = 0
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    missing_english: int = 0
    previous: bool = False


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _texts(value: Any) -> list[str] | None:
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return list(value)
    return None


def _pair_of(node: Any, key: str) -> dict[str, Any]:
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, dict) else {}


def _keep_en(new: dict[str, Any], old: dict[str, Any], key: str) -> None:
    """Keep the old English of the bilingual text at new[key] (a string pair)."""
    english = _text(_pair_of(old, key).get("en"))
    if key in new and isinstance(new[key], dict) and english is not None:
        new[key]["en"] = english


def _keep_en_list(new: dict[str, Any], old: dict[str, Any], key: str) -> bool:
    """Keep the old English list at new[key] when it has as many items as the new Korean one."""
    english = _texts(_pair_of(old, key).get("en"))
    if key in new and english is not None and len(english) == len(new[key]["ko"]):
        new[key]["en"] = english
        return True
    return False


def _union(first: Iterable[str], second: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in [*first, *second]:
        if isinstance(item, str) and item not in out:
            out.append(item)
    return out


def merge_draft(new: dict[str, Any], old: Any) -> tuple[dict[str, Any], ImportReport]:
    """Merge a fresh draft with the data of the file it replaces; return the result and what changed.

    For entries, tables and rows whose id is unchanged the lesson's Korean is taken anew, and what was
    written by hand is kept: English texts, extra alternate questions, related links and keywords;
    the glossary and out_of_scope are kept whole. Entries with ids outside the importer's scheme were
    written by hand and are kept. English kept under a changed Korean text is reported for review.
    """
    report = ImportReport(lesson_id=new["lesson"]["id"])
    if not isinstance(old, dict) or not isinstance(old.get("entries"), list):
        _finish_report(new, report)
        return new, report
    report.previous = True
    merged = new
    old_lesson: dict[str, Any] = old["lesson"] if isinstance(old.get("lesson"), dict) else {}
    if isinstance(old_lesson.get("id"), str) and old_lesson["id"].strip():
        merged["lesson"]["id"] = report.lesson_id = old_lesson["id"]
    for key in ("title", "subtitle"):
        _keep_en(merged["lesson"], old_lesson, key)
    if merged["lesson"]["date"] == "날짜 미상" and _text(old_lesson.get("date")):
        merged["lesson"]["date"] = old_lesson["date"]
    merged["glossary"] = _merge_glossary(old.get("glossary"), merged["glossary"])
    if isinstance(old.get("out_of_scope"), list):
        merged["out_of_scope"] = old["out_of_scope"]
    old_summary = _pair_of(old, "summary")
    if _keep_en_list(merged, old, "summary") and old_summary.get("ko") != merged["summary"]["ko"]:
        report.changed.append("summary")
    old_tables = {t.get("id"): t for t in old.get("tables") or [] if isinstance(t, dict)}
    for table in merged["tables"]:
        _merge_table(table, old_tables.get(table["id"]), report)
    merged["entries"] = _merge_entries(merged["entries"], old["entries"], merged["tables"], report)
    _finish_report(merged, report)
    return merged, report


def _merge_glossary(old: Any, new: list[list[str]]) -> list[list[str]]:
    groups = [list(g) for g in old if _texts(g)] if isinstance(old, list) else []
    known = {_compact(term) for group in groups for term in group}
    for group in new:
        if not {_compact(term) for term in group} & known:
            groups.append(group)
    return groups


def _merge_table(table: dict[str, Any], old: Any, report: ImportReport) -> None:
    if not isinstance(old, dict):
        return
    for key in ("caption", "header"):
        _keep_en(table, old, key)
    _keep_en_list(table, old, "columns")
    old_rows = {r.get("key"): r for r in old.get("rows") or [] if isinstance(r, dict)}
    for row in table["rows"]:
        previous = old_rows.get(row["key"])
        if not isinstance(previous, dict):
            continue
        _keep_en(row, previous, "label")
        _keep_en_list(row, previous, "cells")
        english = row["label"]["en"] is not None or row["cells"]["en"] is not None
        if english and (_pair_of(previous, "label").get("ko"), _pair_of(previous, "cells").get("ko")) != (
            row["label"]["ko"],
            row["cells"]["ko"],
        ):
            report.changed.append(f"{table['id']} row {row['key']}")


def _merge_entries(
    new: list[dict[str, Any]], old: list[Any], tables: list[dict[str, Any]], report: ImportReport
) -> list[dict[str, Any]]:
    old_by_id: dict[str, dict[str, Any]] = {
        e["id"]: e for e in old if isinstance(e, dict) and isinstance(e.get("id"), str)
    }
    new_ids = [entry["id"] for entry in new]
    for entry in new:
        previous = old_by_id.get(entry["id"])
        if previous is None:
            report.added.append(entry["id"])
            continue
        _merge_entry(entry, previous, report)
    rows = {(t["id"], r["key"]) for t in tables for r in t["rows"]}
    table_ids = {t["id"] for t in tables}
    result = list(new)
    for position, (entry_id, previous) in enumerate(old_by_id.items()):
        if entry_id in new_ids:
            continue
        if GENERATED_ID.match(entry_id):
            report.removed.append(entry_id)
            continue
        table, row = previous.get("table"), previous.get("row")
        if (table is not None and table not in table_ids) or (row is not None and (table, row) not in rows):
            report.removed.append(entry_id)
            report.notes.append(f"hand-written entry {entry_id!r} removed: its table or row is gone")
            continue
        # A hand-written entry goes back after the entry it followed.
        before = [e for e in list(old_by_id)[:position] if e in {x["id"] for x in result}]
        at = next((i + 1 for i, e in enumerate(result) if before and e["id"] == before[-1]), len(result))
        result.insert(at, dict(previous))
        report.kept.append(entry_id)
    _note_renumbered(new, old_by_id, report)
    ids = {entry["id"] for entry in result}
    for entry in result:
        related = entry.get("related")
        if isinstance(related, list):
            entry["related"] = [r for r in related if r in ids and r != entry["id"]]
        if entry.get("parent") is not None and entry["parent"] not in ids:
            del entry["parent"]
    return result


def _heading_words(source: Any) -> str:
    return " · ".join(split_number(part)[1] for part in str(source).split(" · "))


def _note_renumbered(new: list[dict[str, Any]], old_by_id: dict[str, dict[str, Any]], report: ImportReport) -> None:
    """Point out removed and added entries with the same heading: a section renumbered in the lesson."""
    added = {_heading_words(e["source"]): e["id"] for e in new if e["id"] in report.added}
    for removed in report.removed:
        same = added.get(_heading_words(old_by_id[removed].get("source", "")))
        if same is not None:
            report.notes.append(
                f"{removed} → {same}: same heading under a new number; what was written by hand for "
                f"{removed} was not carried over (copy it from version control if you want it)"
            )


def _merge_entry(entry: dict[str, Any], old: dict[str, Any], report: ImportReport) -> None:
    _keep_en(entry, old, "title")
    if "answer" in entry:
        _keep_en(entry, old, "answer")
    elif isinstance(old.get("answer"), dict):
        entry["answer"] = old["answer"]  # a lead-in written by hand above a table or summary
    old_questions = _pair_of(old, "questions")
    entry["questions"]["ko"] = _union(entry["questions"]["ko"], _texts(old_questions.get("ko")) or [])
    entry["questions"]["en"] = _texts(old_questions.get("en"))
    for key in ("related", "keywords"):
        if isinstance(old.get(key), list):
            entry[key] = _union(entry.get(key, []), old[key])
    has_english = any(
        isinstance(entry.get(key), dict) and entry[key].get("en") is not None for key in ("title", "answer")
    )
    korean_changed = old.get("source") != entry["source"] or _pair_of(old, "answer").get("ko") != _pair_of(
        entry, "answer"
    ).get("ko")
    if has_english and korean_changed:
        report.changed.append(entry["id"])


def _count_missing(node: Any) -> int:
    if isinstance(node, dict):
        own = 1 if set(node) == {"ko", "en"} and node["en"] is None else 0
        return own + sum(_count_missing(value) for value in node.values())
    if isinstance(node, list):
        return sum(_count_missing(value) for value in node)
    return 0


def _finish_report(data: dict[str, Any], report: ImportReport) -> None:
    report.entries = len(data["entries"])
    report.tables = len(data["tables"])
    report.rows = sum(len(t["rows"]) for t in data["tables"])
    report.points = len(data["summary"]["ko"])
    report.missing_english = _count_missing(data)
    if report.missing_english:
        data["draft"] = True
    else:
        data.pop("draft", None)


def format_report(report: ImportReport, target: str) -> str:
    """Return the short report `lessonbot import` prints."""
    verb = "re-imported" if report.previous else "imported"
    lines = [
        f"{verb} {report.lesson_id}: {report.entries} entries, {report.tables} table(s) with {report.rows} rows, "
        f"{report.points} summary points → {target}"
    ]
    if report.previous:
        lines.append(f"  added: {', '.join(report.added) or '-'}")
        lines.append(f"  removed: {', '.join(report.removed) or '-'}")
        if report.kept:
            lines.append(f"  kept (hand-written): {', '.join(report.kept)}")
        if report.changed:
            lines.append(f"  Korean changed, English kept (review): {', '.join(report.changed)}")
    lines.extend(f"  note: {note}" for note in report.notes)
    if report.missing_english:
        lines.append(
            f"  draft: {report.missing_english} English text(s) to write (en: null); `lessonbot check` lists them"
        )
    return "\n".join(lines)


# --- YAML ---------------------------------------------------------------------------------------------


class _Flow(list[Any]):
    """A short list written on one line: [a, b]."""


class _Dumper(yaml.SafeDumper):
    """Block style, sequences indented under their key, no anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=True)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)

_FLOW_KEYS = {"related", "keywords", "terms", "columns", "cells"}


def _styled(node: Any, key: str = "") -> Any:
    if isinstance(node, dict):
        return {k: _styled(v, k) for k, v in node.items()}
    if isinstance(node, list):
        items = [_styled(v, key) for v in node]
        if key == "glossary":
            return [_Flow(group) if isinstance(group, list) else group for group in items]
        return _Flow(items) if key in _FLOW_KEYS else items
    return node


def format_yaml(data: dict[str, Any], *, source: str = "") -> str:
    """Return the knowledge file text: a header comment, then block-style YAML with Korean as written."""
    header = [
        f"# Knowledge for lesson {data['lesson']['id']}, imported from {source or 'Markdown'} by `lessonbot import`.",
    ]
    if data.get("draft"):
        header += [
            "# A draft: the Korean comes from the lesson; every `en: null` is English still to write",
            "# (`lessonbot check` lists them as warnings). Remove `draft: true` once all are written.",
        ]
    header += [
        "# Re-importing keeps English, extra questions, related links, keywords, glossary, out_of_scope and",
        "# entries with ids of your own for ids that stay; the Korean is taken from the lesson again.",
        "# Comments are not kept.",
    ]
    body = yaml.dump(
        _styled(data),
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=110,
        indent=2,
    )
    return "\n".join(header) + "\n" + body


# --- the edge: files -----------------------------------------------------------------------------------

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


def lesson_id_for(doc: LessonDoc, *names: str) -> str:
    """Return a lesson id: the first of `names` (file stems) that is a valid id, else day + title words."""
    for name in names:
        slug = re.sub(r"[\s_]+", "-", name.strip().lower())
        if _SLUG.match(slug):
            return slug
    words = re.findall(r"[a-z0-9]+", _plain(doc.title).lower())
    return "-".join([f"day{doc.day}" if doc.day else "lesson", *words[:4]])


@dataclass(frozen=True)
class ImportResult:
    """What `import_lesson` produced: the file's text, where it goes, and the report."""

    text: str
    target: str
    report: ImportReport


def import_lesson(
    markdown_path: str | Path,
    *,
    output: str | Path | None = None,
    folder: str | Path = "knowledge",
    lesson_id: str | None = None,
    write: bool = True,
) -> ImportResult:
    """Import a lesson's Markdown into a knowledge file, merging with the file it replaces.

    `output` "-" means no file (the caller prints the text). The result is validated as a knowledge
    file before anything is written; raise ImportFailure with the reason when it cannot be done.
    """
    from bot.knowledge import KnowledgeError, parse_lesson
    from bot.source import SourceError, read_text

    source = Path(markdown_path)
    try:
        doc = parse_markdown(read_text(str(source)))
    except SourceError as exc:
        raise ImportFailure(str(exc)) from None
    out_name = Path(output).stem if output not in (None, "-") else ""
    ident = lesson_id or lesson_id_for(doc, *(n for n in (out_name, source.stem) if n))
    if not _SLUG.match(ident):
        raise ImportFailure(f"lesson id {ident!r} must be lowercase letters, digits and '-'")
    target = Path(output) if output not in (None, "-") else Path(folder) / f"{ident}.yaml"
    previous: Any = None
    if output != "-" and target.exists():
        try:
            previous = yaml.safe_load(read_text(str(target)))
        except (SourceError, yaml.YAMLError) as exc:
            raise ImportFailure(
                f"{target}: cannot read the existing file to keep its hand-written parts: {exc}"
            ) from None
        if not (isinstance(previous, dict) and isinstance(previous.get("entries"), list)):
            raise ImportFailure(f"{target}: exists and is not a knowledge file; move it away first")
    data, report = merge_draft(build_draft(doc, lesson_id=ident), previous)
    text = format_yaml(data, source=source.name)
    shown = "-" if output == "-" else str(target)
    try:
        parse_lesson(text, path=shown)
    except KnowledgeError as exc:
        raise ImportFailure(f"the merged knowledge would not be valid, nothing written:\n{exc}") from None
    if write and output != "-":
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(target)
    return ImportResult(text=text, target=shown, report=report)
