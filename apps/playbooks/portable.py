"""One playbook as a file, in the seed's "Playbook Structure" format: YAML front matter between
`---` lines, a blank line, then the markdown content.

    ---
    name: email-drafting-guide
    description: Guide for drafting external emails. ...
    must_consult: true
    triggers:
      - draft email
      - email to
    category: communication
    learned_from: David's communication patterns, documented 2026-01-15
    ---

    # Email Drafting Guide
    ...

The round trip is exact: exporting, importing that text and exporting again gives the same bytes,
because the front matter is written by one deterministic dumper (fixed key order, no line wrapping,
multi-line text as `|` blocks) and the body is the stored content, byte for byte.

Keys: name and description are required; must_consult (default false), triggers (default []),
category, learned_from, examples (a list), scripts and references ({filename: text}) are optional.
A key missing from a file means its default: the file is the whole playbook. Status, usage counts
and the source task are the workspace's, not the file's. Unknown keys are refused (a typo such as
`trigger:` would otherwise be lost silently). YAML is read with safe_load only, and anchors and
aliases are refused (they can expand a small file into a huge value).
"""

import math
import re

import yaml
from django.utils.text import slugify

from apps.core.errors import InvalidInput

from .models import Playbook

FRONT_MATTER_KEYS = ("name", "description", "must_consult", "triggers", "category", "learned_from", "examples",
                     "scripts", "references")
REQUIRED_KEYS = ("name", "description")
_OPENING = re.compile(r"\A\ufeff?---[ \t]*\r?\n")
_CLOSING = re.compile(r"^---[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
_MAX_LENGTH = {"name": Playbook._meta.get_field("name").max_length,
               "category": Playbook._meta.get_field("category").max_length}


class _FrontMatterDumper(yaml.SafeDumper):
    """Lists indented under their key, as the seed writes them (`triggers:` / `  - draft email`)."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def _represent_text(dumper, text: str):
    # Multi-line text as a literal block, so scripts and long notes stay readable. PyYAML falls back
    # to a quoted scalar on its own when a block cannot carry the text exactly.
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|" if "\n" in text else None)


_FrontMatterDumper.add_representer(str, _represent_text)


def _front_matter(playbook: Playbook) -> dict:
    data = {"name": playbook.name, "description": playbook.description, "must_consult": playbook.must_consult,
            "triggers": list(playbook.triggers or [])}
    for key in ("category", "learned_from"):
        if getattr(playbook, key) is not None:
            data[key] = getattr(playbook, key)
    for key in ("examples", "scripts", "references"):
        if getattr(playbook, key):
            data[key] = getattr(playbook, key)
    return data


def playbook_export(*, playbook: Playbook) -> str:
    """The playbook as a .md file: front matter, a blank line, the content exactly as stored."""
    front = yaml.dump(_front_matter(playbook), Dumper=_FrontMatterDumper, sort_keys=False, allow_unicode=True,
                      default_flow_style=False, width=float("inf"))
    return f"---\n{front}---\n\n{playbook.content}"


def playbook_filename(*, playbook: Playbook) -> str:
    return f"{slugify(playbook.name) or 'playbook'}.md"


def _invalid(key: str, problem: str) -> InvalidInput:
    return InvalidInput(f"{key}: {problem}", details={key: [problem]})


def _split(text: str) -> tuple[str, str]:
    """(front matter YAML, markdown body) of a playbook file."""
    opening = _OPENING.match(text)
    if opening is None:
        raise _invalid("content", "a playbook file starts with YAML front matter: a line '---', the keys "
                                  "(name, description, ...), a line '---', then the markdown.")
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        raise _invalid("content", "the front matter is not closed: add a line '---' after its last key.")
    body = text[closing.end():]
    # The blank line that separates the front matter from the body is part of the format, not the content.
    for separator in ("\r\n", "\n"):
        if body.startswith(separator):
            body = body[len(separator):]
            break
    return text[opening.end():closing.start()], body


def _load(front: str) -> dict:
    try:
        if any(isinstance(event, yaml.AliasEvent) for event in yaml.parse(front, Loader=yaml.SafeLoader)):
            raise _invalid("front_matter", "YAML anchors and aliases (&name, *name) are not supported: write the "
                                           "values out.")
        data = yaml.safe_load(front)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""  # +1: 0-based, +1: the opening '---'
        problem = getattr(exc, "problem", None) or str(exc)
        raise _invalid("front_matter", f"not valid YAML{where}: {problem}.") from None
    if not isinstance(data, dict):
        raise _invalid("front_matter", "must be YAML keys and values (name: ..., description: ...).")
    return data


def _text(key: str, value, *, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise _invalid(key, "must be text (quote it if YAML reads it as a number, a date or true/false).")
    if required and not value.strip():
        raise _invalid(key, "must not be empty.")
    if key in _MAX_LENGTH and len(value) > _MAX_LENGTH[key]:
        raise _invalid(key, f"at most {_MAX_LENGTH[key]} characters.")
    return value


def _is_json(value) -> bool:
    """What a JSON column stores: YAML can also give dates, sets and non-finite numbers."""
    if value is None or isinstance(value, str | bool | int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_is_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _is_json(v) for k, v in value.items())
    return False


def _files(key: str, value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise _invalid(key, "must map file names to their text ({filename: content}).")
    return value


def playbook_parse(*, text: str) -> dict:
    """A playbook file → the Playbook fields it defines (content included). Any problem is an
    InvalidInput naming the key."""
    front, body = _split(text)
    data = _load(front)
    unknown = sorted(str(key) for key in data if key not in FRONT_MATTER_KEYS)
    if unknown:
        raise _invalid(unknown[0], f"not a playbook key; the keys are {', '.join(FRONT_MATTER_KEYS)}.")
    for key in REQUIRED_KEYS:
        if key not in data:
            raise _invalid(key, "missing from the front matter (required).")
    must_consult = data.get("must_consult", False)
    if not isinstance(must_consult, bool):
        raise _invalid("must_consult", "must be true or false.")
    triggers = data.get("triggers") or []
    if not isinstance(triggers, list) or not all(isinstance(t, str) and t.strip() for t in triggers):
        raise _invalid("triggers", "must be a list of phrases (text), one '- phrase' per line.")
    examples = data.get("examples") or []
    if not isinstance(examples, list) or not _is_json(examples):
        raise _invalid("examples", "must be a list of plain values (text, numbers, lists, key: value maps; "
                                   "quote dates).")
    if not body.strip():
        raise _invalid("content", "the markdown after the front matter is empty.")
    return {
        "name": _text("name", data["name"], required=True),
        "description": _text("description", data["description"], required=True),
        "must_consult": must_consult,
        "triggers": triggers,
        "category": _text("category", data.get("category"), required=False),
        "learned_from": _text("learned_from", data.get("learned_from"), required=False),
        "examples": examples,
        "scripts": _files("scripts", data.get("scripts")),
        "references": _files("references", data.get("references")),
        "content": body,
    }
