"""Questions from a lesson's commands and YAML: `kubectl rollout undo deployment/web`, `claimName:`.

Learners ask how to do what a command does ("디플로이먼트 되돌리는 명령어", "how to roll back a
deployment") and what a YAML key means ("claimName이 뭐야"). The command's action is read from its
verb (a fixed, small table of kubectl/docker verbs), its object from the lexicon. Pure: no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from bot.importer.lesson import Section
from bot.importer.particles import particle
from bot.importer.text import compact, has_hangul
from bot.it_lexicon import Lexicon

_COMMAND = re.compile(
    r"\b(?P<tool>kubectl|docker|helm|git)\s+(?P<verb>[a-z][a-z-]*)(?:\s+(?P<sub>[a-z][a-z-]*))?"
    r"(?:\s+(?P<object>[A-Za-z][\w.-]*))?"
)
# verb (or "verb sub") → (Korean action, English action)
_ACTIONS = {
    "get": ("조회", "list"),
    "create": ("생성", "create"),
    "apply": ("적용", "apply"),
    "delete": ("삭제", "delete"),
    "describe": ("상세 조회", "describe"),
    "logs": ("로그 보기", "view logs of"),
    "scale": ("개수 조절", "scale"),
    "expose": ("노출", "expose"),
    "run": ("실행", "run"),
    "edit": ("수정", "edit"),
    "exec": ("접속", "exec into"),
    "build": ("빌드", "build"),
    "push": ("푸시", "push"),
    "pull": ("풀", "pull"),
    "rollout undo": ("되돌리기", "roll back"),
    "rollout history": ("이력 보기", "see the history of"),
    "rollout restart": ("재시작", "restart"),
    "rollout status": ("상태 확인", "check the rollout of"),
    "set image": ("이미지 변경", "change the image of"),
}
# The everyday subcommands of each tool: one a lesson never shows is a command it does not teach.
_OTHER_VERBS = {
    "kubectl": "get apply create delete edit expose run scale rollout set logs exec describe port-forward top cp "
    "attach label annotate patch drain cordon taint autoscale explain config wait debug",
    "docker": "run build pull push ps images rm rmi stop start restart inspect network volume compose exec logs "
    "tag login commit",
    "helm": "install upgrade uninstall rollback repo search template lint package",
    "git": "rebase merge cherry-pick stash reset revert bisect tag",
}


def unshown_commands(texts: Iterable[str]) -> list[dict[str, Any]]:
    """Return out_of_scope items for the everyday subcommands of the tools a lesson uses but never shows.

    A lesson that runs `kubectl apply` and `kubectl get` teaches those; "kubectl logs로 …" asks about
    one it does not, and is answered by no entry rather than by the one that mentions logs.
    """
    shown: dict[str, set[str]] = {}
    for text in texts:
        for found in _COMMAND.finditer(text):
            shown.setdefault(found.group("tool"), set()).add(found.group("verb"))
    items: list[dict[str, Any]] = []
    for tool, verbs in shown.items():
        unshown = [verb for verb in _OTHER_VERBS.get(tool, "").split() if verb not in verbs]
        if unshown:
            topic = {"ko": f"이 수업에 나오지 않는 {tool} 명령", "en": f"{tool} commands this lesson does not show"}
            items.append({"topic": topic, "terms": [f"{tool} {verb}" for verb in unshown]})
    return items


# Keys every manifest has: they name no concept a lesson teaches.
_COMMON_KEYS = frozenset(
    "apiversion kind metadata name spec containers image ports containerport template value values "
    "labels items key data type".split()
)
_YAML_KEY = re.compile(r"^\s*(?:-\s+)?([A-Za-z][A-Za-z0-9]{3,}):", re.MULTILINE)
_MAX_KEYS = 8


def _object_names(word: str | None, lexicon: Lexicon) -> tuple[str, str]:
    """Return (Korean, English) names of a command's object ("pods" → 파드, pod), "" where unknown."""
    if not word:
        return "", ""
    base = word.split("/")[0]
    group = lexicon.group_of(base) or (lexicon.group_of(base[:-1]) if base.endswith("s") else None)
    if group is None:
        return "", base if base.isalpha() and base.islower() else ""
    korean = next((term for term in group if has_hangul(term)), "")
    return korean, group[0]


def command_questions(lines: Iterable[str], lexicon: Lexicon) -> tuple[list[str], list[str]]:
    """Return (Korean, English) questions asking for the commands in a section's text and code."""
    korean: list[str] = []
    english: list[str] = []
    for line in lines:
        for found in _COMMAND.finditer(line):
            verb, sub, obj = found.group("verb"), found.group("sub"), found.group("object")
            action = _ACTIONS.get(f"{verb} {sub}") if sub else None
            if action is None:
                action = _ACTIONS.get(verb)
                obj = sub if obj is None or sub else obj  # "kubectl get pods": the object is the second word
            if action is None:
                continue
            ko_name, en_name = _object_names(obj, lexicon)
            command = " ".join(part for part in (found.group("tool"), verb, sub) if part)
            korean += [command, f"{command} 뭐야", f"{command} 명령어"]
            english += [command, f"what does {command} do"]
            if ko_name:
                korean += [
                    f"{ko_name} {action[0]} 명령어",
                    f"{ko_name} {action[0]} 방법",
                    f"{particle(ko_name, '을/를')} 어떻게 {action[0]}",
                ]
            if en_name:
                english += [
                    f"how to {action[1]} {en_name}",
                    f"how do I {action[1]} a {en_name}",
                    f"{en_name} {action[1]} command",
                ]
    return korean, english


def yaml_keys(section: Section) -> list[str]:
    """Return the keys of a section's YAML code that name something to ask about (not apiVersion, name…)."""
    keys: list[str] = []
    for block in section.blocks:
        if block.kind == "code":
            keys += [key for key in _YAML_KEY.findall(block.text) if key.casefold() not in _COMMON_KEYS]
    return list(dict.fromkeys(keys))


_IDENTIFIER = re.compile(r"(?<![\w.-])[a-z]+(?:[A-Z][a-z0-9]*)+(?![\w-])")
# A setting the text writes inline as `key: value` ("`immutable: true`로 …", "`medium: Memory`").
_INLINE_SETTING = re.compile(r"(?<![\w.-])([a-z][A-Za-z]{3,}):\s(?:true|false|[A-Za-z0-9\"'\[]\S*)")


def identifiers(lines: Iterable[str]) -> list[str]:
    """Return the names a section's text uses: camelCase (`maxUnavailable`) and inline settings (`immutable: true`)."""
    names: list[str] = []
    for line in lines:
        names += _IDENTIFIER.findall(line)
        names += [key for key in _INLINE_SETTING.findall(line) if key.casefold() not in _COMMON_KEYS]
    return list(dict.fromkeys(names))[:_MAX_KEYS]


def setting_questions(lines: Iterable[str], not_mine: Iterable[str]) -> tuple[list[str], list[str]]:
    """Return (Korean, English) questions for the settings a text writes inline (`immutable: true`).

    Learners call such a key an option: "immutable 옵션", "what does the immutable option do".
    """
    owned = set(not_mine)
    keys = [
        key
        for line in lines
        for key in _INLINE_SETTING.findall(line)
        if key.casefold() not in _COMMON_KEYS and compact(key) not in owned
    ]
    mine = list(dict.fromkeys(keys))[:_MAX_KEYS]
    # Not "{key} 설정": 설정 is the lesson's everyday word for configuration and would pull its questions here.
    korean = [q for key in mine for q in (f"{key} 옵션", f"{key} 옵션 쓰면 뭐가 좋아?")]
    english = [q for key in mine for q in (f"{key} option", f"what does the {key} option do")]
    return korean, english


def key_questions(keys: Sequence[str], not_mine: Iterable[str]) -> tuple[list[str], list[str]]:
    """Return (Korean, English) "what is this key" questions for YAML keys no other entry owns.

    At most `_MAX_KEYS`, counted after the owned ones are left out, camelCase names first: `claimName`
    says more about the lesson than `resources`.
    """
    owned = set(not_mine)
    mine = [key for key in keys if compact(key) not in owned]
    mine = sorted(mine, key=lambda key: _IDENTIFIER.fullmatch(key) is None)[:_MAX_KEYS]
    korean = [q for key in mine for q in (f"{key} 뭐야", f"{key} 뜻", f"{key} 뭘 가리켜")]
    english = [q for key in mine for q in (f"what is {key}", f"what does {key} mean", f"{key} in yaml")]
    return korean, english
