"""LessonDoc → knowledge data: the dict a draft knowledge file holds (`draft: true`, every English `None`).

Entry ids come from the lesson's own numbering (see `bot.importer`); each section, subsection,
table and table row becomes an entry with its answer text and generated questions, plus the
lesson and summary entries, the glossary and the generic out-of-scope topics. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.glossary import load_paraphrases
from bot.importer.code import (
    command_questions,
    identifiers,
    key_questions,
    setting_questions,
    unshown_commands,
    yaml_keys,
)
from bot.importer.deferred import deferred_keys, deferred_topics
from bot.importer.lesson import LessonDoc, MdTable, Section, render_blocks, section_lines
from bot.importer.markdown import split_number
from bot.importer.questions import (
    asked_questions,
    bold_questions,
    bullet_questions,
    cell_phrase_questions,
    english_heading_questions,
    english_line_bags,
    english_record_questions,
    english_row_questions,
    english_term_questions,
    heading_questions,
    heading_quotes,
    heading_subjects,
    heading_topics,
    introduces,
    is_comparison,
    key_phrases,
    record_questions,
    row_questions,
    sentence_questions,
    statement_questions,
    subject_terms,
    table_questions,
    when_questions,
)
from bot.importer.terms import draft_glossary, english_forms
from bot.importer.text import compact, has_hangul, plain, plain_keep_parens, squash, without_parens
from bot.it_lexicon import Lexicon, extended_by, load_it_lexicon
from bot.loanword import best_latin_match

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
# The importer's own English phrasings for the lesson and summary entries, as the Korean ones.
_LESSON_ENGLISH = (
    "what is today's lesson about",
    "what date was the lesson",
    "which day did we learn this",
    "what are we learning today",
    "today's topic",
    "lesson topic",
    "lesson overview",
    "what is this lesson about",
    "when was this lesson",
    "lesson date",
)
_SUMMARY_ENGLISH = (
    "summary",
    "summarize today's lesson",
    "key points",
    "main points of the lesson",
    "recap",
    "recap of today",
    "give me a quick summary",
    "lesson summary",
    # How people ask for the short version in chat; "today's lesson" would otherwise pull the overview.
    "summary of today's lesson",
    "tl;dr",
    "tl;dr of today's lesson",
)
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


def _pair(korean: str | list[str] | None) -> dict[str, Any]:
    """Return a bilingual value: the Korean from the lesson, the English still to write (None)."""
    return {"ko": korean, "en": None}


def _questions(phrasings: Iterable[str], english: Iterable[str] = ()) -> dict[str, Any]:
    """Return an entry's alternate questions, deduplicated and capped: Korean, and English where any (else None)."""
    return {"ko": _dedupe(phrasings, limit=_MAX_QUESTIONS), "en": _dedupe(english, limit=_MAX_QUESTIONS) or None}


def _neighbours(ids: Sequence[str], at: int) -> list[str]:
    """Return the ids before and after position `at`, those that exist."""
    return [ids[i] for i in (at - 1, at + 1) if 0 <= i < len(ids)]


def _topic_key(phrase: str) -> str:
    """Return the key a phrase is owned by in `_owned_topics`: its words outside brackets, compacted."""
    return compact(without_parens(phrase)[0])


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


def _distinct_bags(planned: Sequence[_Planned], lexicon: Lexicon) -> dict[str, list[str]]:
    """Return each entry's English term phrases from its sentences, those no other entry has too."""
    bags = {item.id: english_line_bags(section_lines(item.section), lexicon) for item in planned}
    owners: dict[str, set[str]] = {}
    sections_of: dict[str, set[str]] = {}  # term → the entries whose sentences use it
    for entry_id, phrases in bags.items():
        for phrase in phrases:
            owners.setdefault(compact(phrase), set()).add(entry_id)
            for term in phrase.split():
                sections_of.setdefault(term.casefold(), set()).add(entry_id)

    def telling(phrase: str) -> bool:
        # Unique to one entry, with a term few entries use: "IP service" says nothing about where it is.
        rare = any(len(sections_of[term.casefold()]) <= 2 for term in phrase.split())
        return len(owners[compact(phrase)]) == 1 and rare

    return {entry_id: list(dict.fromkeys(p for p in phrases if telling(p))) for entry_id, phrases in bags.items()}


def _heading_names(title: str, lexicon: Lexicon) -> list[str]:
    """Return what a heading names: its subjects as written and their English terms."""
    return [*heading_subjects(title), *subject_terms(title, lexicon)]


def _owned_topics(planned: Sequence[_Planned], lexicon: Lexicon) -> dict[str, str]:
    """Return each topic (compacted) → the id of the one entry that asks "what is it" about it.

    A heading's topics belong to its entry; a key phrase (bold or quoted) belongs to the first
    section that marks it. Others that mention it do not generate questions about it.
    """
    owned: dict[str, str] = {}
    for item in planned:
        for topic in [*heading_topics(item.section.title), *heading_subjects(item.section.title)]:
            owned.setdefault(compact(topic), item.id)
        for term in subject_terms(item.section.title, lexicon):
            owned.setdefault(compact(term), item.id)
        for quoted in heading_quotes(item.section.title):
            owned.setdefault(compact(quoted), item.id)
    for item in planned:
        for phrase in key_phrases(item.section):
            owned.setdefault(_topic_key(phrase), item.id)
            for term in english_forms(phrase, lexicon)[:1]:
                owned.setdefault(compact(term), item.id)
    # A name the text explains (`envFrom` in a sentence) belongs there, not to the YAML that uses it later.
    for item in planned:
        for name in identifiers(section_lines(item.section)):
            owned.setdefault(compact(name), item.id)
    for item in planned:
        for key in yaml_keys(item.section):
            owned.setdefault(compact(key), item.id)
    # A section about several things whose subsections each take one of them ("리소스 요청(Requests)과
    # 제한(Limits)" over "requests: …" and "limits: …") is about how they go together: what each one is,
    # the subsection named after it explains, so it asks "what is it".
    planned_by_id = {item.id: item for item in planned}
    named_by = {item.id: {compact(s) for s in _heading_names(item.section.title, lexicon)} for item in planned}
    for item in planned:
        if item.parent is None or len(heading_subjects(planned_by_id[item.parent].section.title)) < 2:
            continue
        for subject in heading_subjects(item.section.title)[:1]:
            # "requests" is the parent's "Requests" and its singular "request" alike.
            key = compact(subject)
            for form in {key, key.removesuffix("s"), f"{key}s"}:
                if form in named_by[item.parent] and owned.get(form) == item.parent:
                    owned[form] = item.id
    return owned


def find_glossary(texts: Iterable[str], lexicon: Lexicon | None = None) -> list[list[str]]:
    """Return synonym groups from `한국어(English)`, `ACRONYM(Expansion)` and `ACRONYM(한국어)` pairs.

    An acronym the lexicon knows keeps the lexicon's Korean: "퍼시스턴트 볼륨(PV)" does not make PV a
    볼륨, and "밖 저장소(PV)" names no translation. Brackets that gloss rather than translate are left
    out (see `_glosses`): "트래픽(ingress)" and "트래픽(egress)", "이름(STATUS)".
    """
    pairs = _bracket_pairs(texts, lexicon)
    glosses = _glosses(pairs, lexicon)
    groups: list[list[str]] = []
    for pair in pairs:
        if (compact(pair[0]), compact(pair[1])) in glosses:
            continue
        keys = {compact(term) for term in pair}
        for group in groups:
            if keys & {compact(term) for term in group}:
                group.extend(term for term in pair if compact(term) not in {compact(t) for t in group})
                break
        else:
            groups.append(pair)
    return groups


def _glosses(pairs: Sequence[Sequence[str]], lexicon: Lexicon | None) -> set[tuple[str, str]]:
    """Return the (Korean, English) pairs, as compact keys, whose brackets qualify the words, not translate them.

    Two kinds: a Korean word the lesson pairs with two English words that name different things (들어오는
    트래픽(ingress), 나가는 트래픽(egress): the brackets say which traffic), and a pair whose two sides
    each belong to a different group of the lexicons (이름(STATUS): name and state; 메모리(requests)).
    """
    english_of: dict[str, set[str]] = {}
    for korean, english in pairs:
        if has_hangul(korean):
            english_of.setdefault(compact(korean), set()).add(_singular(compact(english)))
    known = extended_by(lexicon, load_paraphrases()) if lexicon is not None else None
    glosses: set[tuple[str, str]] = set()
    for korean, english in pairs:
        key = (compact(korean), compact(english))
        if has_hangul(korean) and len(english_of[key[0]]) > 1:
            glosses.add(key)
        elif known is not None:
            korean_group, english_group = known.group_of(korean), known.group_of(english)
            if korean_group is not None and english_group is not None and korean_group != english_group:
                glosses.add(key)
    return glosses


def _singular(key: str) -> str:
    """Return a compact English term without a plural s (requests and request are one word)."""
    return key[:-1] if key.endswith("s") and len(key) > 3 else key


def _bracket_pairs(texts: Iterable[str], lexicon: Lexicon | None) -> list[list[str]]:
    """Return the `한국어(English)`, `ACRONYM(Expansion)` and `ACRONYM(한국어)` pairs of the texts, in order."""
    found: list[list[str]] = []
    for text in texts:
        for words, inside in re.findall(r"((?:[0-9A-Za-z가-힣]+ ){0,2}[0-9A-Za-z가-힣]+)\s?\(([^()]+)\)", text):
            inside = squash(inside)
            before = words.split()[-1]
            pair: list[str] | None = None
            if _names_code(inside) or (lexicon is not None and _known_acronym(inside, before, lexicon)):
                # `수명(emptyDir)`, `정보(imagePullSecrets)`, `통째로(nginx.conf)`: the bracket shows the key or
                # file that goes with the words, it does not translate them.
                pair = None
            elif re.fullmatch(r"[A-Za-z][A-Za-z .\-]*[A-Za-z]", inside) and has_hangul(before):
                # As many Korean words as the English has: 지속적 배포(Continuous Deployment).
                count = len(inside.split())
                korean = words.split()[-count:]
                if len(korean) == count and all(re.fullmatch(r"[가-힣]+", w) for w in korean):
                    pair = [" ".join(korean), inside]
                if pair is not None and _status_name(inside) and best_latin_match(pair[0], [inside]) is None:
                    # `강제 종료(OOMKilled)`: a status or kind the words end in, not their translation
                    # (레플리카셋(ReplicaSet) spells its name).
                    pair = None
            elif re.fullmatch(r"[A-Z][A-Z0-9]{1,5}", before):
                initials = "".join(word[0] for word in re.split(r"[\s\-]+", inside) if word).upper()
                if initials == before.upper() and re.fullmatch(r"[A-Za-z .\-]+", inside):
                    pair = [before, inside]
                elif re.fullmatch(r"[가-힣]{2,}", inside):
                    pair = [inside, before]
            if pair is not None:
                found.append(pair)
    return found


def _known_acronym(inside: str, before: str, lexicon: Lexicon) -> bool:
    """Whether `inside` is an acronym the lexicon knows under other Korean words than `before`."""
    group = lexicon.group_of(inside) if re.fullmatch(r"[A-Z]{2,5}", inside) else None
    return group is not None and compact(before) not in {compact(term) for term in group}


def _status_name(text: str) -> bool:
    """Whether a bracketed Latin part is one name with capitals inside (OOMKilled, CrashLoopBackOff)."""
    return bool(re.fullmatch(r"[A-Za-z]*(?:[a-z][A-Z]|[A-Z]{2}[a-z])[A-Za-z]*", text))


def _names_code(text: str) -> bool:
    """Whether a bracketed Latin part names a key or a file (camelCase, a dotted name), not an English term."""
    return bool(re.fullmatch(r"[a-z]+(?:[A-Z][a-z0-9]*)+|\S*[A-Za-z]\.[A-Za-z]\S*", squash(text)))


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
    text = compact(_lesson_text(doc))
    return [
        {"topic": topic, "terms": terms} for topic, terms in topics if not any(compact(term) in text for term in terms)
    ]


def build_draft(doc: LessonDoc, *, lesson_id: str, lexicon: Lexicon | None = None) -> dict[str, Any]:
    """Return the knowledge data of a draft for `doc`: Korean from the lesson, English still to write (`None`).

    `lexicon` is the IT lexicon the glossary and the English questions draw on; without one, the
    built-in lexicon is read (the packaged data file).
    """
    lexicon = lexicon if lexicon is not None else load_it_lexicon()
    planned = _plan(doc)
    deferred = deferred_topics(doc, lexicon, _lesson_text(doc))
    # A topic put off for later belongs to no entry: none asks "what is" about it.
    owned = _owned_topics(planned, lexicon) | dict.fromkeys(deferred_keys(deferred), "")
    ids = [item.id for item in planned]
    tops = [item for item in planned if item.parent is None]
    # A table row's aspect and cells are often everyday words, not IT terms (수명 → lifespan): its English
    # questions draw on the paraphrase lexicon too. The glossary and "what is X" topics keep to IT terms.
    wording = extended_by(lexicon, load_paraphrases())
    bags = _distinct_bags(planned, lexicon)
    handed: dict[tuple[str, str], list[str]] = {}  # (subsection id, lang) → phrasings its parent handed down
    tables: list[dict[str, Any]] = []
    entries: list[dict[str, Any]] = [_lesson_entry(doc, tops, lexicon)]
    for item in planned:
        entries.extend(
            _section_entries(item, planned, tops, owned, tables, lexicon, bags.get(item.id, []), handed, wording)
        )
    summary = [point for point in (squash(p) for p in doc.summary) if point]
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
        "glossary": draft_glossary(lexicon, find_glossary(everything, lexicon), _lesson_text(doc)),
        "out_of_scope": [*generic_out_of_scope(doc), *deferred, *unshown_commands(_lesson_text(doc).split("\n"))],
        "summary": _pair(summary),
        "tables": tables,
        "entries": entries,
    }
    return data


def _lesson_entry(doc: LessonDoc, tops: Sequence[_Planned], lexicon: Lexicon) -> dict[str, Any]:
    day = f"{doc.day}일차" if doc.day else "이번"
    when = f"{day}({doc.date})" if doc.date else day
    lines = [f"{when} 수업의 주제는 “{doc.title}”입니다."]
    if doc.subtitle:
        lines.append(doc.subtitle)
    lines += [f"> {line}" for tagline in doc.taglines for line in tagline.split("\n")]
    lines += render_blocks(doc.intro)
    title = plain(doc.title)
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
        # "파드랑 서비스 배운 날이 며칠이었지?": the date is asked by what was learnt that day.
        questions += ["수업 몇 월 며칠이었어?", "배운 날짜가 언제야?", "언제 배웠어?"]
        subjects = [s for item in tops for s in heading_subjects(item.section.title) if has_hangul(s)]
        for subject in list(dict.fromkeys(subjects))[:4]:
            questions.append(f"{subject} 배운 날이 몇 월 며칠이야?")
    if doc.course:
        questions += [f"{doc.course} 수업 개요", f"{doc.course} 수업 주제"]
    for tagline in doc.taglines:
        questions += statement_questions(tagline)[1:2]
    return {
        "id": "lesson",
        "source": _lesson_source(doc),
        "title": _pair(f"{day} 수업은 무엇에 대한 건가요?"),
        "answer": _pair("\n".join(lines)),
        "questions": _questions(questions, _lesson_english(doc, lexicon)),
        "related": ["summary", *(item.id for item in tops[:1])],
    }


def _section_entries(
    item: _Planned,
    planned: Sequence[_Planned],
    tops: Sequence[_Planned],
    owned: dict[str, str],
    tables: list[dict[str, Any]],
    lexicon: Lexicon,
    english_bags: Sequence[str] = (),
    handed: dict[tuple[str, str], list[str]] | None = None,
    wording: Lexicon | None = None,
) -> list[dict[str, Any]]:
    section = item.section
    wording = wording if wording is not None else lexicon
    handed = handed if handed is not None else {}
    not_mine = {topic for topic, owner in owned.items() if owner != item.id}
    concepts_elsewhere = _concepts_elsewhere(item, planned, lexicon)
    text_blocks = [b for b in section.blocks if b.kind != "table" or len(b.table.header if b.table else ()) < 2]
    lines = render_blocks(text_blocks)
    children = [p for p in planned if p.parent == item.id]
    if children:
        lines += [f"- {_sub_label(child.section)}" for child in children]
    questions = heading_questions(section.title, not_mine)
    english = english_heading_questions(section.title, lexicon, not_mine)
    from_heading = (len(questions), len(english))
    topics = heading_topics(section.title)
    lines_of_text = section_lines(section)
    for phrase in key_phrases(section):
        if _topic_key(phrase) in not_mine:
            continue
        if introduces(phrase, lines_of_text):
            questions += bold_questions(phrase)
            english += english_term_questions(phrase, lexicon, not_mine)
        else:
            # Marked but not explained here ("…는 **임시**입니다"): the phrase is a phrasing, not a topic.
            questions += bold_questions(phrase)[:1] if len(plain(phrase).split()) >= 2 else []
    for line in lines_of_text:
        questions += sentence_questions(line, not_mine)
    questions += asked_questions(lines_of_text)
    kinds: list[str] = []
    if topics and len(children) >= 2:
        # A section whose subsections each take one case of its topic (ClusterIP / NodePort / LoadBalancer
        # under 서비스) is where "what kinds of X are there" is answered, not in any one of them (so it is
        # never handed down to a subsection named after X).
        kinds = [f"{topics[0]} 종류", f"{topics[0]} 종류 뭐 있어?", f"{topics[0]} 종류 정리"]
    if topics:
        asked_when, english_when = when_questions(topics[0], lines_of_text, english_forms(topics[0], lexicon))
        questions += asked_when
        english += english_when
    for block in section.blocks:
        if block.kind == "list":
            questions += bullet_questions(block.items, not_mine, topics[0] if topics else "")
    code_lines = [line for block in section.blocks if block.kind == "code" for line in block.text.split("\n")]
    asked_command, english_command = command_questions([*lines_of_text, *code_lines], lexicon)
    named = [*yaml_keys(section), *identifiers(lines_of_text)]
    asked_key, english_key = key_questions(list(dict.fromkeys(named)), not_mine | concepts_elsewhere)
    asked_setting, english_setting = setting_questions(lines_of_text, not_mine)
    questions += asked_command + asked_key + asked_setting
    english += english_command + english_key + english_setting + list(english_bags)
    # A section's text previews its subsections ("파드 수명(emptyDir) < 노드에 남음(hostPath)"); a phrasing
    # from it that names a subsection's subject would pull that subsection's questions up to the parent.
    # It is handed to that subsection instead.
    child_of = {key: owner for key, owner in owned.items() if owner in {c.id for c in children} and len(key) >= 3}
    questions = questions[: from_heading[0]] + _hand_down(questions[from_heading[0] :], child_of, handed, "ko")
    english = english[: from_heading[1]] + _hand_down(english[from_heading[1] :], child_of, handed, "en")
    questions += kinds + handed.get((item.id, "ko"), [])
    english += handed.get((item.id, "en"), [])
    entry: dict[str, Any] = {"id": item.id, "source": item.source}
    if item.parent:
        entry["parent"] = item.parent
    entry["title"] = _pair(plain_keep_parens(section.title) or section.heading)
    if lines or not item.tables:
        entry["answer"] = _pair("\n".join(lines) if lines else plain_keep_parens(section.title))
    row_entries: list[dict[str, Any]] = []
    for number, (table_id, table) in enumerate(item.tables):
        data = _table_data(table_id, table, section.title)
        tables.append(data)
        columns = data["columns"]["ko"]
        comparison = is_comparison(table, section.title)
        whole = table_questions(columns, data["caption"]["ko"], data["header"]["ko"], comparison=comparison)
        whole_english = english_row_questions("", columns, lexicon)
        if number == 0:
            entry["table"] = table_id
            questions += whole
            english += whole_english
        else:
            row_entries.append(
                {
                    "id": table_id,
                    "source": f"{item.source} · 표 {number + 1}",
                    "title": _pair(data["caption"]["ko"]),
                    "table": table_id,
                    "questions": _questions(whole, whole_english),
                    "related": [item.id],
                }
            )
        row_ids = [f"{table_id}.{row['key']}" for row in data["rows"]]
        cell_bold = next((block.bold for block in section.blocks if block.table is table), ())
        for position, row in enumerate(data["rows"]):
            label = row["label"]["ko"]
            neighbours = _neighbours(row_ids, position)
            asked_english: list[str] = []
            marked = [phrase for phrase in cell_bold if any(phrase in cell for cell in table.rows[position][1:])]
            if comparison:
                asked = row_questions(label, columns, row["cells"]["ko"])
                asked_english = english_row_questions(label, columns, wording, row["cells"]["ko"])
            else:
                asked = record_questions(
                    label, columns, row["cells"]["ko"], data["caption"]["ko"], data["header"]["ko"]
                )
                asked_english = english_record_questions(
                    label, data["caption"]["ko"], data["header"]["ko"], row["cells"]["ko"], wording, not_mine
                )
            row_entries.append(
                {
                    "id": row_ids[position],
                    "source": f"{item.source} · {label}",
                    "title": _pair(_row_title(data, label, comparison=comparison)),
                    "table": table_id,
                    "row": row["key"],
                    "questions": _questions([*asked, *cell_phrase_questions(label, marked)], asked_english),
                    "related": [item.id if number == 0 else table_id, *neighbours],
                }
            )
    entry["questions"] = _questions(questions, english)
    entry["related"] = _related(item, planned, tops)
    keywords = [
        plain(without_parens(p)[0])
        for p in section.text_bold
        if len(plain(p).split()) <= 3 and _topic_key(p) not in not_mine
    ]
    keywords = _dedupe(keywords, limit=8)
    if keywords:
        entry["keywords"] = keywords
    return [entry, *row_entries]


def _concepts_elsewhere(item: _Planned, planned: Sequence[_Planned], lexicon: Lexicon) -> set[str]:
    """Return the YAML keys of a section (compacted) that name a concept other sections' text talks about.

    `storage:` in a manifest is the concept 스토리지 that a section explains; "storage 뭐야" belongs there.
    """
    others = compact(" ".join(line for p in planned if p is not item for line in section_lines(p.section)))
    out: set[str] = set()
    for key in yaml_keys(item.section):
        group = lexicon.group_of(key)
        if group and any(has_hangul(term) and compact(term) in others for term in group):
            out.add(compact(key))
    return out


def _hand_down(
    phrasings: Sequence[str], child_of: dict[str, str], handed: dict[tuple[str, str], list[str]], lang: str
) -> list[str]:
    """Return the phrasings that name no subsection's subject; hand each other one to that subsection."""
    kept: list[str] = []
    for phrasing in phrasings:
        key = compact(phrasing)
        child = next((owner for subject, owner in child_of.items() if _names(key, subject)), None)
        if child is None:
            kept.append(phrasing)
        else:
            handed.setdefault((child, lang), []).append(phrasing)
    return kept


def _names(key: str, subject: str) -> bool:
    """Return whether a compacted phrasing names a compacted subject: a Latin subject as a whole word.

    "replicas" is no part of "replicaset종류": a subsection about the `replicas` field must not take
    the questions its parent asks about ReplicaSet.
    """
    start = key.find(subject)
    while start >= 0:
        end = start + len(subject)
        before = key[start - 1] if start else ""
        after = key[end] if end < len(key) else ""
        cut_before = subject[0].isascii() and subject[0].isalpha() and before.isascii() and before.isalpha()
        cut_after = subject[-1].isascii() and subject[-1].isalpha() and after.isascii() and after.isalpha()
        if not (cut_before or cut_after):
            return True
        start = key.find(subject, start + 1)
    return False


def _sub_label(section: Section) -> str:
    return (
        f"{section.number}) {plain_keep_parens(section.title)}" if section.number else plain_keep_parens(section.title)
    )


def _related(item: _Planned, planned: Sequence[_Planned], tops: Sequence[_Planned]) -> list[str]:
    if item.parent is not None:
        siblings = [p.id for p in planned if p.parent == item.parent]
        return [item.parent, *_neighbours(siblings, siblings.index(item.id))]
    order = [p.id for p in tops]
    related = _neighbours(order, order.index(item.id))
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
        rows.append({"key": f"r{number}", "label": _pair(label), "cells": _pair(cells)})
    return {
        "id": table_id,
        "caption": _pair(plain_keep_parens(caption)),
        "header": _pair(header[0] if header[0] != "-" else "항목"),
        "columns": _pair(columns),
        "rows": rows,
    }


def _summary_entry(doc: LessonDoc, ids: Sequence[str]) -> dict[str, Any]:
    heading = doc.summary_heading or "오늘의 핵심 요약"
    _, title = split_number(heading)
    questions = [*_SUMMARY_QUESTIONS, plain(title)]
    if doc.day:
        questions += [f"{doc.day}일차 요약", f"{doc.day}일차 핵심 정리"]
    return {
        "id": "summary",
        "source": heading,
        "title": _pair(plain(title) or "오늘의 핵심 요약"),
        "summary": True,
        "questions": _questions(questions, _summary_english(doc)),
        "related": ["lesson", *ids[-1:]],
    }


def _lesson_source(doc: LessonDoc) -> str:
    """Return the heading the lesson entry comes from: the day heading ("18일차 – 쿠버네티스 첫걸음") when the
    lesson opens with one, since it names the lesson as a whole; else the title heading."""
    if doc.day and doc.course:
        return f"{doc.day}일차 – {doc.course}"
    return plain_keep_parens(doc.title_heading)


def _lesson_english(doc: LessonDoc, lexicon: Lexicon) -> list[str]:
    """Return English questions about the lesson itself: its topic, day and date, its terms."""
    questions = list(_LESSON_ENGLISH)
    if doc.day:
        questions += [f"day {doc.day} topic", f"what did we learn on day {doc.day}", f"what was day {doc.day} about"]
    terms = english_forms(plain(doc.title), lexicon)
    if terms:
        questions.append(f"lesson about {' '.join(terms[:4])}")
    return questions


def _summary_english(doc: LessonDoc) -> list[str]:
    """Return English questions asking for the recap."""
    questions = list(_SUMMARY_ENGLISH)
    if doc.day:
        questions += [f"day {doc.day} summary", f"summary of day {doc.day}"]
    return questions


def _dedupe(phrasings: Iterable[str], *, limit: int) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for phrasing in phrasings:
        text = squash(phrasing)
        key = re.sub(r"[\s?!.]+", "", text)
        if len(key) < 2 or key in seen:
            continue
        seen.add(key)
        out.append(text)
    return out[:limit]
