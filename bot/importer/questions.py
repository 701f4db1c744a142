"""Generated Korean alternate questions: how learners may ask for a heading, phrase, bullet or table row.

Each function reads one part of the lesson (a heading's shape, a bold or quoted phrase, a sentence,
bullets, a table and its rows) and returns phrasings, with the particle each word takes. Pure: no
I/O; `bot.importer.draft` gathers, dedupes and caps them per entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from bot.hangul import decompose
from bot.importer.lesson import ListItem, MdTable, Section, section_lines
from bot.importer.particles import particle
from bot.importer.terms import english_forms
from bot.importer.text import compact, has_hangul, is_latin_word, plain, plain_keep_parens, squash, without_parens
from bot.it_lexicon import Lexicon

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
_AND = re.compile(r"(?P<a>[^\s]+(?:\s[^\s]+)?)(?:와|과|랑|이랑|하고)\s+(?P<b>[^\s]+(?:\s[^\s]+)?)")
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
# A heading that is itself a question ("…언제 반영될까?") is asked as it is, not as a statement to explain.
_ASKS = re.compile(r"(?:\?|까|까요|나요|가요)\s*\Z")
_DEMONSTRATIVES = {
    *("이", "그", "저", "이걸", "그걸", "이것", "그것", "이건", "그건", "이게", "그게"),
    *("우리", "저희", "여러분"),  # pronouns: "우리는 …입니다" defines nothing
}
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


# Adverbs and quantifiers a lesson puts in bold for emphasis ("**같이** 떠야", "**따로** 관리"): no topic.
_NOT_TERMS = frozenset(
    "같이 함께 따로 바로 다시 먼저 모두 전부 항상 반드시 계속 직접 자동 자동으로 조금씩 한꺼번에 "
    "동시에 그대로 절대 꼭 주로 보통 매번 하나 둘 셋 여러 개 임시 공유".split()
)


def topic_questions(topic: str) -> list[str]:
    """Return "what is X" questions for a noun phrase X, each with the particle X takes."""
    x = plain(topic)
    if not x or x in _NOT_TERMS:
        return []
    if is_latin_word(x) and not x.isupper():
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
    c = plain(clause)
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
    a, b = plain(a), plain(b)
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


def statement_questions(statement: str) -> list[str]:
    s = plain(statement)
    if not s:
        return []
    said = _quoted_form(s)
    return [s, f"{said} 게 무슨 뜻이야?", f"{said} 말의 의미"]


def _nominal_questions(phrase: str) -> list[str]:
    """Return questions for a phrase ending in a nominalised verb: '복구가 빨라짐' → '복구가 왜 빨라져?'."""
    p = plain(phrase)
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


# How a question heading ends, and the endings learners type for the same question.
_ASKED_ENDINGS = (
    ("될까", ("돼", "되나요", "되는지")),
    ("할까", ("해", "하나요", "하는지")),
    ("일까", ("야", "인가요", "인지")),
    ("을까", ("어", "나요", "는지")),
    ("까", ("", "나요", "는지")),
)


def _asked_variants(clause: str) -> list[str]:
    """Return a question heading as learners type it: "…언제 반영될까?" → "…언제 반영돼?", "…반영되나요?";
    "왜 …빼야 할까?" also as "…빼야 하는 이유"."""
    text = plain(clause).rstrip("?").strip()
    for ending, said in _ASKED_ENDINGS:
        if text.endswith(ending) and len(text) > len(ending):
            stem = text[: -len(ending)]
            out = [f"{stem}{end}?" if end else f"{stem}?" for end in said if not end.endswith("지")]
            out += [f"{stem}{end}" for end in said if end.endswith("지")]
            if stem.startswith("왜 ") and ending == "할까":
                out.append(f"{stem[2:]}하는 이유")
            return out
    return []


def _how_to_questions(clause: str) -> list[str]:
    """Return how-to questions for a heading that names an action ("환경 변수로 주입하기" → "…주입하는 법")."""
    text = plain(without_parens(clause)[0])
    words = text.split()
    if not words or not words[-1].endswith("기") or len(words[-1]) < 2:
        return []
    stem = words[-1][:-1]
    head = " ".join(words[:-1])
    said = stem[:-1] + "해" if stem.endswith("하") else stem
    return [f"{head} {stem}는 법".strip(), f"{head} {stem}는 방법".strip(), f"{head} 어떻게 {said}?".strip()]


def _paraphrased(phrases: Iterable[str]) -> list[str]:
    out: list[str] = []
    for phrase in phrases:
        for word, replacements in _PARAPHRASES.items():
            if re.search(rf"(?<![가-힣]){word}(?![가-힣])", phrase):
                out.extend(re.sub(rf"(?<![가-힣]){word}(?![가-힣])", new, phrase, count=1) for new in replacements)
    return out


def _heading_clauses(title: str) -> tuple[str, list[str], list[str]]:
    """Return a heading's words outside brackets, its bracketed parts, and its clauses.

    The clauses are the words outside brackets and each bracketed part that reads as a second heading;
    the other bracketed parts are aliases: '컨테이너(Container)'.
    """
    base, inside = without_parens(plain_keep_parens(title))
    return base, inside, [base, *[part for part in inside if _is_clause(part) and not _REMARK.search(part)]]


def _is_clause(part: str) -> bool:
    """Whether a bracketed part of a heading reads as a second heading: Korean words with a space."""
    return has_hangul(part) and " " in part


def heading_topics(title: str) -> list[str]:
    """Return the noun phrases a heading is about: what it defines, compares, or describes an aspect of."""
    _, inside, clauses = _heading_clauses(title)
    topics: list[str] = []
    for clause in clauses:
        clause = plain(clause.split(":", 1)[-1] if ":" in clause else clause)
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
    topics.extend(part for part in inside if not _is_clause(part) and not _REMARK.search(part))
    return [plain(t) for t in topics if plain(t)]


def heading_quotes(title: str) -> list[str]:
    """Return the phrases a heading quotes (“원하는 상태(Desired State)”), without their bracketed parts."""
    return [plain(without_parens(q)[0]) for q in re.findall(r"[“\"‘']([^”\"’']+)[”\"’']", title) if plain(q)]


def heading_questions(title: str, not_mine: Iterable[str] = ()) -> list[str]:
    """Return alternate questions for a section heading, by the heading's shape.

    Shapes: "X란?" (definition), "… 이유" (reason), "A vs B 비교" / "A와 B의 차이" (comparison),
    "X의 핵심 가치 3가지" (aspect), "결론: …" (label and statement), "A가 아니라 B" (contrast),
    "… 빨라짐" (nominalised change); parenthesised parts add aliases or a second heading.
    """
    base, inside, clauses = _heading_clauses(title)
    questions = [plain(plain_keep_parens(title)), plain(base)]
    aliases = [part for part in inside if part not in clauses]
    for clause in clauses:
        label = None
        if ":" in clause:
            label, clause = (part.strip() for part in clause.split(":", 1))
        clause = plain(clause)
        if label:
            label = plain(label)
            questions += [label, f"{particle(label, '이/가')} 뭐야?", f"{label} 정리해줘"]
            if label in _LESSON_LABELS:
                # "결론: …" closes the lesson: learners ask for the lesson's conclusion in a word.
                questions += [f"수업 {label}", f"{label} 한마디로", f"{label}만 말해줘"]
            questions += statement_questions(clause)
        defined = next((p.fullmatch(clause) for p in (_DEFINE, _DEFINE_SHORT) if p.fullmatch(clause)), None)
        why_is = _WHY_IS.fullmatch(clause)
        reason = _REASON.fullmatch(clause)
        versus = _VERSUS.fullmatch(clause) or _AND_DIFF.fullmatch(clause)
        aspect = _ASPECT.fullmatch(clause)
        contrast = _NOT_BUT.fullmatch(clause)
        if defined:
            x = plain(defined.group("x"))
            questions += topic_questions(x)
            questions += [f"{x} 특징", f"{x}의 특징은?"]
        if why_is:
            x = plain(why_is.group("x"))
            questions += [f"왜 {x}?", f"{x} 쓰는 이유", f"{x} 왜 써?", f"{x} 필요한 이유"]
        if reason:
            questions += _reason_questions(reason.group("c"))
        if versus:
            questions += _compare_questions(versus.group("a"), versus.group("b"))
        if aspect:
            x, w = plain(aspect.group("x")), squash(aspect.group("w"))
            questions += [
                f"{x}의 {w}",
                f"{x} {w}",
                f"{x} {w} 알려줘",
                f"{x}의 {particle(w, '은/는')}?",
            ]
        if contrast:
            a, b = plain(contrast.group("a")), re.sub(r"(?<=[가-힣])(?:이)?다\Z", "", plain(contrast.group("b")))
            questions += [
                b,
                f"{a} 대신 {b}",
                f"{particle(a, '이/가')} 아니라 {particle(b, '이라는/라는')} 게 무슨 뜻이야?",
            ]
        pair = None if versus else _AND.fullmatch(plain(without_parens(clause)[0]))
        if pair and _is_term(pair.group("a")) and _is_term(pair.group("b")):
            # "A와 B": a section about two related things is asked how they relate.
            a, b = pair.group("a"), pair.group("b")
            questions += [f"{particle(a, '과/와')} {b}의 관계", f"{a} {b} 관계", f"{particle(a, '이랑/랑')} {b}"]
        if not (label or defined or why_is or reason or versus or aspect or contrast):
            nominal = _nominal_questions(clause)
            questions += nominal
            if not _VERB_END.search(clause):
                questions += [f"{particle(clause, '이/가')} 뭐야?", f"{clause} 설명해줘"]
            elif not nominal and not _ASKS.search(clause):
                questions += statement_questions(clause)
            questions += _how_to_questions(clause) + _asked_variants(clause)
    for alias in aliases:
        if is_latin_word(alias):
            questions += [f"{alias} 뜻", f"{alias} 설명"]
    owned_elsewhere = set(not_mine)
    for quoted in re.findall(r"[“\"‘']([^”\"’']+)[”\"’']", title):
        if _VERB_END.search(quoted):
            questions += statement_questions(quoted)
        elif compact(without_parens(quoted)[0]) not in owned_elsewhere:
            # A term another section's heading is about ("원하는 상태") is only quoted here.
            questions += topic_questions(quoted)[:3]
    for clause in clauses:
        clause = plain(clause.split(":", 1)[-1])
        questions += _paraphrased([clause])
        aspect = _ASPECT.fullmatch(clause)
        if aspect:
            questions += _paraphrased([f"{plain(aspect.group('x'))} {squash(aspect.group('w'))}"])
    return questions


def bold_questions(phrase: str) -> list[str]:
    """Return questions for a bold phrase: a term gets "what is X"; a sentence is a phrasing itself."""
    text, inside = without_parens(plain_keep_parens(phrase))
    text = plain(text)
    if not text:
        return []
    if _is_term(text) and len(text) <= 16 and not _VERB_END.search(text):
        questions = topic_questions(text)[:4]
        questions += [f"{alias} 뜻" for alias in inside if is_latin_word(alias)]
        return questions
    if len(text.split()) <= 2:
        return []  # an adverb or a fragment ("운영 가능하게"): no question to ask about it
    return statement_questions(text)[:2] if _VERB_END.search(text) else [text, f"{text} 설명해줘"]


def _is_term(text: str) -> bool:
    """Whether text reads as a term (a noun phrase of up to three words), not a clause or an adverb.

    A phrase ending in a modifier ("확인하고 맞추는") or with an object inside ("트래픽을 나눠 보냄")
    is a clause, whatever its length.
    """
    words = text.split()
    if not (0 < len(words) <= 3 and len(text) <= 20) or _TERM_END.search(text):
        return False
    modifier_end = re.search(r"[가-힣](?:는|던)\Z", words[-1])
    has_object = any(re.search(r"[가-힣](?:을|를)\Z", word) for word in words[:-1])
    return len(words) == 1 or not (modifier_end or has_object)


def _is_subject(text: str) -> bool:
    """Whether text can be what a "A는 …입니다" sentence defines: a short noun phrase, not a clause."""
    words = text.split()
    if not _is_term(text) or len(words) > 2 or words[0] in _DEMONSTRATIVES:
        return False
    return not any(re.search(r"(?:을|를|로|에|서)\Z", word) for word in words) and not re.search(
        r"(?:하|되|주|지|보|오|가)\Z", words[-1]
    )


# A bracket that comments rather than names: "(예: …)", "(기본 25%)", "(AWS, GCP 등)", "(다음 시간)".
_REMARK = re.compile(r"[0-9,:%~=/]|등\Z|예\b|다음|이전|참고|기본|선택|권장|생략")


def _is_alias(term: str) -> bool:
    """Whether a bracketed part of a bullet names a Korean term ("어디에 배치할지(스케줄링)"), not a remark."""
    return _is_term(term) and has_hangul(term) and len(term.split()) <= 2 and not _REMARK.search(term)


def bullet_questions(items: Sequence[ListItem], owned: set[str], topic: str = "") -> list[str]:
    """Return phrasings from bullet points.

    Bullets of up to eight words are phrasings as they are (learners ask what a bullet says).
    The terms a bullet names in brackets or lists with slashes get "what is X" questions:
    "어디에 배치할지(스케줄링)", "서비스 디스커버리/로드밸런싱".
    A bullet whose sub-bullets are short items lists the parts of `topic` ("구성 요소").
    """
    out: list[str] = []
    for item in items:
        text = plain_keep_parens(item.text)
        base, inside = without_parens(text)
        base = plain(base)
        for term in inside:
            if _is_alias(term) and compact(term) not in owned:
                out += topic_questions(term)[:3]
        if "/" in base and len(base.split()) <= 4:
            for term in re.split(r"\s*/\s*", base):
                if _is_term(term) and len(term) > 1 and compact(term) not in owned:
                    out += topic_questions(term)[:2]
        if len(base.split()) <= 8:
            out.append(base)
        else:
            out += _bullet_parts(base)
        leaves = [child for child in item.children if not child.children and _is_term(plain(child.text))]
        if topic and len(leaves) >= 2 and len(leaves) == len(item.children):
            parts = " ".join(plain(child.text) for child in leaves)
            out += [parts, f"{topic} 구성 요소", f"{topic}에 포함되는 것", f"{topic} 안에 뭐가 들어가?"]
        out += bullet_questions(item.children, owned, topic)
    return out


_BULLET_LABEL = re.compile(r"\A[가-힣A-Za-z ]{1,8}:\s+")


def _bullet_parts(text: str) -> list[str]:
    """Return the phrasings of a long bullet: what follows its label ("주의: …"), else its clauses.

    A learner asks about one thing a long bullet says, in about as many words as a short one.
    """
    unlabelled = _BULLET_LABEL.sub("", text)
    if unlabelled != text and len(unlabelled.split()) <= 8:
        return [unlabelled]
    return [part for part in re.split(r",\s+|;\s+", unlabelled) if 3 <= len(part.split()) <= 8]


def sentence_questions(line: str, owned: set[str]) -> list[str]:
    """Return phrasings from a sentence of the lesson's text, by its shape.

    "A는 …입니다" (a definition) asks what A is; "“A”가 아니라 “B”" (a contrast) asks about B
    and how A and B differ.
    """
    out: list[str] = []
    defined = _DEFINITION.match(plain(line))
    if defined:
        subject = _LEAD_IN.sub("", plain(defined.group("s")))
        if subject and _is_subject(subject) and compact(subject) not in owned:
            out += topic_questions(subject)[:3]
            if "의 " in subject:
                out.append(subject.replace("의 ", " "))
    out += _consequence_questions(plain(line))
    quoted = _quoted(line)
    if "아니라" in line and len(quoted) >= 2:
        a, b = plain(quoted[0]), plain(quoted[1])
        out += [
            f"{particle(a, '이/가')} 아니라 {b}",
            f"{a} 대신 {b}",
            f"{particle(a, '과/와')} {b}의 차이",
            f"{particle(a, '이랑/랑')} {b} 차이점",
        ]
    return out


# "그래서/그래야 X할 수 있습니다": X is what the section gives a reason for.
_CONSEQUENCE = re.compile(
    r"\A(?:그래서|그래야|그래야만|따라서|덕분에|그러면)\s*,?\s+(?P<c>.+?)\s*(?P<e>수\s*있(?:습니다|다|음|어요)|됩니다|된다|됨)[.!]?\Z"
)
_CONSEQUENCE_END = {"수 있": "수 있는", "됩": "되는", "된": "되는", "됨": "되는"}
# "A면 문제가 생깁니다": learners ask what goes wrong when A.
_TROUBLE = re.compile(r"\A(?P<c>.+?면)\s*,?\s+(?:문제가|문제)\s*(?:생깁니다|생긴다|생김|생겨요|됩니다|돼요)[.!]?\Z")


def _consequence_questions(line: str) -> list[str]:
    """Return why-questions for a sentence that states a consequence or a problem.

    "그래야 파드를 마음 놓고 버릴 수 있습니다" → "파드를 마음 놓고 버릴 수 있는 이유";
    "이 값들을 이미지 안에 넣어 버리면 문제가 생깁니다" → "이미지 안에 넣어 버리면 뭐가 문제야?".
    """
    out: list[str] = []
    found = _CONSEQUENCE.match(line)
    if found:
        end = squash(found.group("e"))
        adnominal = next(said for start, said in _CONSEQUENCE_END.items() if end.startswith(start))
        clause = f"{found.group('c')} {adnominal}"
        out += [f"{clause} 이유", f"왜 {clause} 거야?"]
    trouble = _TROUBLE.match(line)
    if trouble:
        words = trouble.group("c").split()
        # "이 값들을 …": the demonstrative and what it points back to say nothing on their own.
        if words and words[0] in _DEMONSTRATIVES | {"이런", "그런", "이렇게"}:
            words = words[2:] if len(words) > 2 and re.search(r"(?:을|를)\Z", words[1]) else words[1:]
        clause = " ".join(words)
        if len(clause.split()) >= 2:
            out += [f"{clause} 뭐가 문제야?", f"{clause} 왜 안 돼?"]
    return out


def _quoted(line: str) -> list[str]:
    return [squash(next(group for group in found.groups() if group)) for found in _QUOTED.finditer(line)]


def key_phrases(section: Section) -> list[str]:
    """Return the phrases a section marks as key: bold ones, and quoted ones in its text."""
    phrases = list(section.text_bold)
    for line in section_lines(section):
        phrases += _quoted(line)
    return list(dict.fromkeys(p for p in phrases if plain(p)))


def row_questions(label: str, columns: Sequence[str], cells: Sequence[str] = ()) -> list[str]:
    """Return questions for one comparison-table row: its label against the columns, and what each cell says."""
    x = plain(label)
    questions = [x, f"{x} 비교", f"{x} 차이", f"{x} 측면에서 차이"]
    if len(columns) >= 2:
        a, b = plain(columns[0]), plain(columns[1])
        questions += [
            f"{particle(a, '과/와')} {b}의 {x} 차이",
            f"{a} {b} {x} 비교",
            f"{particle(x, '은/는')} {particle(a, '이랑/랑')} {b} 중 어느 쪽?",
            f"{a}의 {x}",
            f"{b}의 {x}",
        ]
    for column, cell in zip(columns, cells, strict=False):
        said = _cell_words(cell)
        if said:
            questions.append(f"{plain(column)} {x} {said}")
        questions += [f"{x} {clause}" for clause in _cell_clauses(cell)]
    return questions


def _cell_words(cell: str) -> str:
    """Return what a table cell says, without its bracketed parts; "" for an empty cell ('-')."""
    return plain(without_parens(cell)[0])


def _cell_clauses(cell: str) -> list[str]:
    """Return the bracketed parts of a cell that say something ("반영 안 됨 (파일이 갱신되지 않음)"), not
    an alias or an example list ("(EBS 등)")."""
    return [
        plain(part)
        for part in without_parens(plain_keep_parens(cell))[1]
        if _is_clause(part) and not _REMARK.search(part)
    ]


def cell_phrase_questions(label: str, phrases: Iterable[str]) -> list[str]:
    """Return questions for the phrases a table row marks in bold: what the row says about its label."""
    x = plain(label)
    out: list[str] = []
    for phrase in phrases:
        text = plain(without_parens(plain_keep_parens(phrase))[0])
        if text and compact(text) != compact(x):
            out.append(f"{x} {text}")
    return out


_ASPECT_HEADERS = {"항목", "구분", "비교", "비교 항목", "기준", "특징", "측면", "aspect", "item", "-"}


def is_comparison(table: MdTable, caption: str) -> bool:
    """Whether a table compares its columns (| 항목 | VM | 컨테이너 |) rather than lists records by row.

    Its first header names an aspect (항목, 구분, 기준, …), or its heading names two of its columns.
    """
    columns = table.header[1:]
    if squash(table.header[0]).casefold() in _ASPECT_HEADERS:
        return True
    heading = compact(caption)
    return sum(1 for column in columns if compact(column) and compact(column) in heading) >= 2


def record_questions(
    label: str, columns: Sequence[str], cells: Sequence[str], caption: str, header: str = ""
) -> list[str]:
    """Return questions for one row of a table whose rows are things and columns their attributes.

    Learners also ask the other way round, from what a row says to which one it is: "여러 노드에서
    읽기/쓰기 하려면 어떤 모드?" finds the row whose first cell says so (`header` names the rows' kind).
    """
    x = plain(label)
    questions = [x, f"{particle(x, '이/가')} 뭐야?", f"{x} 설명해줘", f"{plain(caption)} {x}"]
    kind = plain(header)
    first = _cell_words(cells[0]) if cells else ""
    if kind and _is_term(kind) and first and first != "-":
        questions += [f"{first} 어떤 {kind}?", f"{first} {particle(kind, '은/는')} 뭐야?"]
    for column, cell in zip(columns, cells, strict=False):
        c = plain(column)
        questions += [f"{x} {c}", f"{x}의 {particle(c, '은/는')}?"] if _is_term(c) else [f"{x} {c}"]
        said = _cell_words(cell)
        if said:
            questions.append(f"{x} {said}")
        questions += [f"{x} {clause}" for clause in _cell_clauses(cell)]
    return questions


def table_questions(columns: Sequence[str], caption: str, header: str = "", *, comparison: bool = True) -> list[str]:
    """Return questions for a whole table: comparing its columns, or listing its rows."""
    questions = [plain(caption)]
    if not comparison:
        h = plain(header)
        return [
            *questions,
            f"{plain(caption)} 정리",
            f"{plain(caption)} 표",
            f"{h} 목록",
            f"어떤 {particle(h, '이/가')} 있어?",
        ]
    if len(columns) >= 2:
        questions += _compare_questions(columns[0], columns[1])
        questions += [
            f"{plain(columns[0])} {plain(columns[1])} 표 정리",
            f"{particle(plain(columns[0]), '과/와')} {plain(columns[1])} 항목별 비교",
        ]
    return questions


# English questions. The importer writes no English answers, but it can write English *questions*
# from the lesson's English terms (its Latin words and the lexicon's English names of its Korean
# terms), so an English question finds the entry while its English answer is still `null`.
_ASPECT_EN = {
    "가치": ("value", "benefits"),
    "장점": ("advantages", "benefits"),
    "이점": ("benefits", "advantages"),
    "단점": ("disadvantages", "drawbacks"),
    "특징": ("features", "characteristics"),
    "역할": ("role", "what it does"),
    "목적": ("purpose", "goal"),
    "원리": ("how it works",),
    "구조": ("structure",),
    "종류": ("types", "kinds"),
    "한계": ("limits", "limitations"),
    "문제": ("problems",),
    "문제점": ("problems",),
    "조건": ("conditions",),
    "흐름": ("flow",),
    "구성요소": ("components", "parts"),
    "단계": ("steps", "stages"),
}
# Heading labels that name what a whole lesson comes to, not one topic of it.
_LESSON_LABELS = frozenset({"결론", "마무리", "총정리"})
_LABEL_EN = {
    "결론": ("conclusion", "takeaway", "main takeaway", "bottom line"),
    "요약": ("summary",),
    "정리": ("summary", "wrap-up"),
    "핵심": ("key point", "main point"),
}


def english_topic_questions(term: str) -> list[str]:
    """Return English "what is X" questions for an English term."""
    t = squash(term)
    if not t:
        return []
    return [
        f"what is {t}",
        f"what's a {t}",
        f"{t} meaning",
        f"explain {t}",
        f"what does {t} do",
        f"how does {t} work",
        f"why do we need {t}",
        # Learners ask what a thing is *for* as often as what it is; without these, "used for" meets
        # only entries that say "use" and the definition loses to them.
        f"what is {t} used for",
        f"when to use {t}",
    ]


def english_compare_questions(a: str, b: str) -> list[str]:
    """Return English questions comparing two English terms."""
    a, b = squash(a), squash(b)
    if not a or not b or compact(a) == compact(b):
        return []
    return [
        f"{a} vs {b}",
        f"difference between {a} and {b}",
        f"compare {a} and {b}",
        f"how is {a} different from {b}",
        f"{a} or {b}",
    ]


def _english(phrase: str, lexicon: Lexicon) -> list[str]:
    """Return a phrase's English terms: its bracketed Latin aliases and the lexicon's names of its terms."""
    base, inside = without_parens(plain_keep_parens(phrase))
    forms = [alias for alias in inside if is_latin_word(alias)]
    keys = {compact(form) for form in forms}
    forms += [form for form in english_forms(base, lexicon) if compact(form) not in keys]
    forms = list(dict.fromkeys(forms))
    # A form inside a longer one is the same concept ("policy" inside "Eviction Policy").
    folded = [compact(form) for form in forms]
    return [f for f, k in zip(forms, folded, strict=True) if not any(k != o and k in o for o in folded)]


_LATIN_PHRASE = re.compile(r"[A-Za-z][A-Za-z0-9 .+#-]*[A-Za-z0-9+#]|[A-Za-z]")


def heading_subjects(title: str) -> list[str]:
    """Return the terms a heading is *about*: what it defines or compares, its aliases, its label.

    "X란?", "A vs B", "X의 장점", a bracketed alias, a label before ':' ("emptyDir: 임시 공간"), or the
    whole heading when it is only a term ("접근 모드(Access Mode)"). Words a heading merely mentions
    ("왜 설정을 파드 밖으로 빼야 할까?" mentions 파드) are not its subjects: the lesson does not explain them there.
    """
    base, _, clauses = _heading_clauses(title)
    # "(env / envFrom)" names two things.
    subjects = [part for topic in heading_topics(title) for part in re.split(r"\s*/\s*", topic)]
    for clause in clauses:
        if ":" in clause:
            label = plain(clause.split(":", 1)[0])
            if label and not any(word in label for word in _LABEL_EN):
                subjects.append(label)
    if _is_term(plain(base)) and not _VERB_END.search(plain(base)) and "?" not in base:
        subjects.append(plain(base))
    return list(dict.fromkeys(s for s in subjects if s))


def subject_terms(title: str, lexicon: Lexicon) -> list[str]:
    """Return the English names of a heading's subjects (`heading_subjects`), a Latin phrase kept whole."""
    written: list[str] = []  # the lesson's own spelling ("Pod") wins over the lexicon's ("pod")
    found: list[str] = []
    for subject in heading_subjects(title):
        if _LATIN_PHRASE.fullmatch(subject) and not re.search(r"\s(?:vs|and|or)\s", subject):
            written.append(subject)
        else:
            found += _english(subject, lexicon)
    terms = [*written, *found]
    keys: set[str] = set()
    out: list[str] = []
    for term in terms:
        if compact(term) not in keys:
            keys.add(compact(term))
            out.append(term)
    return out


def english_heading_questions(title: str, lexicon: Lexicon, not_mine: Iterable[str] = ()) -> list[str]:
    """Return English questions for a section heading, by the heading's shape (as `heading_questions`).

    "What is X" is asked only about the heading's subjects that no other entry owns (`not_mine`, compacted
    keys): a subsection that mentions its parent's topic must not take the parent's "what is" questions.
    """
    not_mine = set(not_mine)
    _, _, clauses = _heading_clauses(title)
    questions: list[str] = []
    for clause in clauses:
        label = None
        if ":" in clause:
            label, clause = (part.strip() for part in clause.split(":", 1))
        clause = plain(clause)
        if label:
            for word, english in _LABEL_EN.items():
                if word in label:
                    questions += [*english, *(f"what is the {e}" for e in english[:2])]
        versus = _VERSUS.fullmatch(clause) or _AND_DIFF.fullmatch(clause)
        if versus:
            a, b = _english(versus.group("a"), lexicon), _english(versus.group("b"), lexicon)
            if a and b:
                questions += english_compare_questions(a[0], b[0])
        aspect = _ASPECT.fullmatch(clause)
        if aspect:
            x = _english(aspect.group("x"), lexicon)
            for word in _ASPECT_EN.get(squash(aspect.group("w")).replace(" ", ""), ()):
                questions += [f"{x[0]} {word}", f"what are the {word} of {x[0]}"] if x else []
        why = _WHY_IS.fullmatch(clause) or _REASON.fullmatch(clause)
        if why:
            x = _english(why.group(why.lastgroup or "x"), lexicon)
            questions += [f"why {x[0]}", f"why use {x[0]}", f"reason for {x[0]}"] if x else []
    compared = any(_VERSUS.fullmatch(plain(c)) or _AND_DIFF.fullmatch(plain(c)) for c in clauses)
    paired = _AND.fullmatch(plain(without_parens(clauses[0])[0])) if clauses else None
    subjects = subject_terms(title, lexicon)
    if paired and not compared and len(subjects) >= 2:
        first, second = subjects[:2]
        questions += [
            f"relationship between {first} and {second}",
            f"how are {first} and {second} related",
            f"{first} and {second}",
            # A section about two things together is where a learner asking how they differ is answered.
            f"difference between {first} and {second}",
            f"{first} vs {second}",
        ]
    if not compared:
        # "What is X" belongs to the section about X, not to the one comparing X with Y.
        for term in [t for t in subjects if compact(t) not in not_mine][:3]:
            questions += english_topic_questions(term)
    terms = _english(title, lexicon)
    if len(terms) >= 2:
        questions.append(" ".join(terms[:4]))
    questions += _english_shape_questions(title, terms)
    return questions


# Korean question words of a heading and the English ones a learner uses for the same question.
_SHAPE_EN = (
    (re.compile(r"왜|이유"), ("why", "why do we")),
    (re.compile(r"언제"), ("when", "when does")),
    (re.compile(r"어떻게|방법|하기\b|하는 법"), ("how to", "how do I")),
    (re.compile(r"차이|비교|vs", re.IGNORECASE), ("difference", "compare")),
)
_NOT = re.compile(r"아니다|아니라|아님")


def _english_shape_questions(title: str, terms: Sequence[str]) -> list[str]:
    """Return English questions a heading's question word asks (왜 → why, 언제 → when) about its terms."""
    if len(terms) < 2:
        # One term and a question word is that term alone to the matcher ("when cache" ≈ "cache"): it
        # would take "what is X" from the entry that explains X.
        return []
    words = " ".join(terms[:4])
    asked = [phrasings for pattern, phrasings in _SHAPE_EN if pattern.search(title)]
    questions = [f"{english} {words}" for phrasings in asked for english in phrasings]
    if _NOT.search(title):
        # "A는 B가 아니다": is A B? ("base64는 암호화가 아니다" → "is base64 encryption")
        first, second = terms[0], terms[1]
        questions += [f"is {first} {second}", f"{first} is not {second}", f"is {first} really {second}"]
    return questions


def english_term_questions(phrase: str, lexicon: Lexicon, not_mine: Iterable[str] = ()) -> list[str]:
    """Return English "what is X" questions for a key phrase (bold or `한국어(English)`) of the body,
    unless another entry owns X (`not_mine`, compacted keys)."""
    text, _ = without_parens(plain_keep_parens(phrase))
    if not _is_term(plain(text)):
        return []
    owned = set(not_mine)
    terms = [term for term in _english(phrase, lexicon)[:1] if compact(term) not in owned]
    return [q for term in terms for q in english_topic_questions(term)[:4]]


def english_row_questions(label: str, columns: Sequence[str], lexicon: Lexicon, cells: Sequence[str] = ()) -> list[str]:
    """Return English questions for a comparison-table row, when its columns have English names.

    The row's aspect in English when the lexicon names it; else what each column's cell says in
    English ("Deployment" cell "**자동 복구**" → "deployment self-healing"), so the row still has a voice.
    """
    names = [(_english(column, lexicon) or [""])[0] for column in columns[:2]]
    aspect = _english(label, lexicon)
    if len(names) < 2 or not all(names):
        return []
    a, b = names
    if not label:
        return english_compare_questions(a, b)  # the whole table
    questions: list[str] = []
    if aspect:
        x = aspect[0]
        questions += [f"{a} vs {b} {x}", f"{x} of {a} and {b}", f"{a} {x}", f"{b} {x}", f"{x} difference"]
    for name, cell in zip(names, cells, strict=False):
        said = _cell_english(cell, lexicon, {compact(a), compact(b)})
        if said:
            questions.append(f"{name} {said}")
    return questions


def _cell_english(cell: str, lexicon: Lexicon, known: Iterable[str] = ()) -> str:
    """Return a table cell's English terms as one phrase ("" when it has none), leaving out `known` keys."""
    base, inside = without_parens(plain_keep_parens(cell))
    skip = set(known)
    found = [*_english(base, lexicon), *(alias for alias in inside if is_latin_word(alias))]
    terms = [term for term in found if compact(term) not in skip]
    return " ".join(dict.fromkeys(terms[:4]))


def english_record_questions(
    label: str, caption: str, header: str, cells: Sequence[str], lexicon: Lexicon, not_mine: Iterable[str] = ()
) -> list[str]:
    """Return English questions for one row of a record table (its rows are things, its columns attributes).

    The row's name in English (its Latin words and the lexicon's name of its Korean) gets "what is";
    the table's subject and what the row's cells say in English let "which <subject> …" questions find it.
    """
    base, inside = without_parens(plain_keep_parens(label))
    # One name for the row: "볼륨 마운트" is "volume mount", not a row about volumes and one about mounts.
    whole = plain(base) if _LATIN_PHRASE.fullmatch(plain(base)) else " ".join(_english(base, lexicon))
    names = [whole] if whole else []
    names += [alias for alias in inside if is_latin_word(alias) and compact(alias) not in {compact(n) for n in names}]
    subject = " ".join((_english(caption, lexicon) or _english(header, lexicon))[:2])
    owned = set(not_mine)
    questions: list[str] = []
    for name in names[:2]:
        if compact(name) not in owned:  # another section explains it; the row only lists it
            questions += [f"what is {name}", f"{name} meaning", f"explain {name}"]
        if subject:
            questions.append(f"{subject} {name}")
    words = " ".join(filter(None, (_cell_english(cell, lexicon) for cell in cells))).split()
    said = " ".join(dict.fromkeys(words))
    if said:
        questions += [f"{name} {said}" for name in names[:1]]
        if subject:
            questions += [f"which {subject} {said}", f"{subject} for {said}"]
    return questions


_ASKED = re.compile(r"(?P<q>[^.!?]*[가-힣][^.!?]*\?)\s*\Z")
_LEAD_IN = re.compile(r"\A(?:그럼|그러면|그래서|그런데|근데|자|즉)\s+")
_WHEN_USED = re.compile(r"(?:[할일쓸] 때|경우|용도|용으로|에 주로 사용|에 사용)")


def asked_questions(lines: Iterable[str]) -> list[str]:
    """Return the questions a section's own text asks ("그럼 왜 컨테이너가 아니라 파드를 스케줄링할까요?").

    A lesson asks the question its section answers; learners ask it in the same words.
    """
    out: list[str] = []
    for line in lines:
        found = _ASKED.search(plain(line))
        if found:
            question = _LEAD_IN.sub("", squash(found.group("q")))
            if len(question.split()) >= 2:
                out.append(question)
    return out


def when_questions(topic: str, lines: Sequence[str], english: Sequence[str] = ()) -> tuple[list[str], list[str]]:
    """Return "when is X used" questions (Korean, English) when the section's text says when X is used."""
    x = plain(topic)
    if not x or not any(_WHEN_USED.search(line) for line in lines):
        return [], []
    korean = [f"{x} 언제 써?", f"{x} 언제 사용해?", f"{particle(x, '은/는')} 언제 쓰는 거야?", f"{x} 용도"]
    return korean, [q for e in english[:1] for q in (f"when to use {e}", f"when should I use {e}", f"{e} use case")]


def english_line_bags(lines: Iterable[str], lexicon: Lexicon) -> list[str]:
    """Return, per sentence of a section, its English terms as one phrase ("pod IP" from "파드마다 IP가 하나").

    An English question about what a sentence says shares its terms; a sentence with fewer than two
    terms says too little to tell sections apart.
    """
    bags: list[str] = []
    for line in lines:
        terms = [term for term in english_forms(line, lexicon) if len(term) >= 2]
        if len(terms) >= 2:
            bags.append(" ".join(terms[:5]))
    return bags


_BULLET_MARK = re.compile(r"\A(?:[-*>•]|\d+[.)])\s*")


def introduces(phrase: str, lines: Iterable[str]) -> bool:
    """Whether the section's text introduces a key phrase rather than only marking it.

    Introduced: it names its English (`파드(Pod)`), or a sentence or bullet starts with it as its subject
    or label ("**레플리카셋**은 …", "`Retain`: …"). Marked only: it ends a sentence ("…는 **임시**입니다")
    or sits inside one ("**창고에 있는 디스크**").
    """
    text, inside = without_parens(plain_keep_parens(phrase))
    if any(is_latin_word(alias) for alias in inside) and has_hangul(text):
        return True
    key = plain(text)
    if not key:
        return False
    lead = re.compile(rf"{re.escape(key)}\s*(?:\([^()]*\))?\s*(?:은|는|이|가|란|이란|이라는|라는|:|=|→|-|\Z)")
    return any(lead.match(_BULLET_MARK.sub("", plain_keep_parens(line).strip())) for line in lines)
