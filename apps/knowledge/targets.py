"""Which entity a learning is about: explicit ids checked, names in the content resolved.

Routing never guesses (DESIGN: "an ambiguous or unknown target goes to pending_review with the
candidates listed"). A name resolves only when the content names exactly one of the user's
entities of the category's type:

- a person by full name, by email, or by first name (a first name shared by two people names both,
  so "Sarah" with two Sarahs is ambiguous);
- a client or a project by its name.

Matching is case- and accent-insensitive ("jose" finds "José") and on whole words ("Ann" is not
found in "Annual"). A name found only inside a longer name that also matched does not count
("Liberty" inside "Liberty Mutual", a first name inside the full name). Names are compared in
Python (unicodedata), so no database extension is needed; it reads the user's names of one type,
which is a few hundred rows for an owner's working life.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from apps.core.errors import InvalidInput
from apps.core.selectors import reference_get
from apps.people.models import Client, Person
from apps.playbooks.models import Playbook
from apps.tasks.models import Project

from .models import KnowledgeCategory, RoutedToType

# The entity type each category is routed to; `playbook` entries may also be appended to an
# existing playbook, `rule` entries go to a playbook too (the Rules playbook by default).
CATEGORY_TARGET_TYPES = {
    KnowledgeCategory.PERSON: {RoutedToType.PERSON},
    KnowledgeCategory.CLIENT: {RoutedToType.CLIENT},
    KnowledgeCategory.PROJECT: {RoutedToType.PROJECT},
    KnowledgeCategory.PLAYBOOK: {RoutedToType.PLAYBOOK},
    KnowledgeCategory.RULE: {RoutedToType.PLAYBOOK},
    KnowledgeCategory.SETTING: {RoutedToType.USER_SETTINGS},
}

# Categories whose target is named in the content (the others need no name: a new proposed
# playbook, the Rules playbook, the user's own settings).
NAMED_CATEGORIES = {KnowledgeCategory.PERSON, KnowledgeCategory.CLIENT, KnowledgeCategory.PROJECT}

_MODELS = {
    RoutedToType.PERSON: Person,
    RoutedToType.CLIENT: Client,
    RoutedToType.PROJECT: Project,
    RoutedToType.PLAYBOOK: Playbook,
}


def text_fold(text: str) -> str:
    """Lower case, no accents, straight apostrophes, single spaces: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(stripped.casefold().split())


@dataclass
class Resolution:
    """The one entity the content names, or the candidates when it names none or several."""

    target: object | None = None
    candidates: list[dict] = field(default_factory=list)
    reason: str = ""


@dataclass
class _Alias:
    text: str  # folded
    entity: object
    kind: str  # "name", "email" or "first name"


def _aliases(entity_type: str, entities) -> list[_Alias]:
    aliases = []
    for entity in entities:
        name = text_fold(entity.name)
        if len(name) >= 2:
            aliases.append(_Alias(name, entity, "name"))
        if entity_type == RoutedToType.PERSON:
            if entity.email:
                aliases.append(_Alias(text_fold(entity.email), entity, "email"))
            parts = name.split(" ")
            if len(parts) > 1 and len(parts[0]) >= 2:
                aliases.append(_Alias(parts[0], entity, "first name"))
    return aliases


def _occurrences(folded: str, aliases: list[_Alias]) -> list[tuple[int, int, _Alias]]:
    """Every whole-word occurrence of every alias, minus those inside a longer occurrence."""
    found = []
    for alias in aliases:
        pattern = r"(?<![\w@.])" + re.escape(alias.text) + r"(?![\w@]|\.\w)"
        found.extend((m.start(), m.end(), alias) for m in re.finditer(pattern, folded))
    return [
        (start, end, alias) for start, end, alias in found
        if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in found)
    ]


def _candidate(entity_type: str, entity, matched: str = "") -> dict:
    return {"type": str(entity_type), "id": str(entity.pk), "name": entity.name, "matched": matched}


def _entities(*, user, entity_type: str):
    model = _MODELS[entity_type]
    fields = ["id", "name", "email"] if entity_type == RoutedToType.PERSON else ["id", "name"]
    return model.objects.filter(user=user).only(*fields).order_by("name", "id")


def target_resolve(*, user, category: str, content: str) -> Resolution:
    """The entity of `category`'s type that `content` names, if exactly one; else the candidates."""
    entity_type = next(iter(CATEGORY_TARGET_TYPES[category]))
    label = {RoutedToType.PERSON: "person", RoutedToType.CLIENT: "client", RoutedToType.PROJECT: "project"}[
        entity_type]
    occurrences = _occurrences(text_fold(content), _aliases(entity_type, _entities(user=user, entity_type=entity_type)))
    named: dict = {}
    for _, _, alias in occurrences:
        named.setdefault(alias.entity.pk, (alias.entity, set()))[1].add(alias.text)
    candidates = [_candidate(entity_type, entity, ", ".join(sorted(texts))) for entity, texts in named.values()]
    if len(named) == 1:
        return Resolution(target=next(iter(named.values()))[0], candidates=[])
    if not named:
        return Resolution(reason=f"No {label} of yours is named in the content (by name"
                                 f"{', email or first name' if label == 'person' else ''}).")
    names = ", ".join(c["name"] for c in candidates)
    return Resolution(candidates=candidates,
                      reason=f"The content could be about {len(candidates)} {label}s ({names}); not guessing which.")


def target_get(*, user, target_type: str, target_id) -> object | None:
    """The explicit target, checked: it must exist in this workspace (else 400 naming target_id, as
    any unknown or foreign id in a body). User settings take no id (they are the caller's own)."""
    if target_type == RoutedToType.USER_SETTINGS:
        if target_id is not None and str(target_id) != str(user.pk):
            raise InvalidInput("target_id: user_settings are your own settings; send no target_id.",
                               details={"target_id": ["Must be empty for user_settings."]})
        return None
    if target_id is None:
        if target_type == RoutedToType.PLAYBOOK:
            return None  # a new proposed playbook, or the Rules playbook
        raise InvalidInput(f"target_id: required with target_type {target_type}.",
                           details={"target_id": [f"Required with target_type {target_type}."]})
    return reference_get(_MODELS[target_type], user=user, field="target_id", value=target_id)


def target_type_check(*, category: str, target_type: str) -> None:
    """400 naming target_type when it is not where `category` learnings go."""
    allowed = CATEGORY_TARGET_TYPES[category]
    if target_type not in allowed:
        raise InvalidInput(
            f"target_type: a {category} learning goes to {' or '.join(sorted(allowed))}, not {target_type}. "
            f"Change the category or the target_type.",
            details={"target_type": [f"Use {' or '.join(sorted(allowed))} for category {category}."]},
        )


def category_for_target(*, category: str, target_type: str) -> str:
    """Manual routing may move an entry to another kind of entity: its category follows the target
    (a rule routed to a playbook stays a rule)."""
    if target_type in CATEGORY_TARGET_TYPES[category]:
        return category
    return {
        RoutedToType.PERSON: KnowledgeCategory.PERSON,
        RoutedToType.CLIENT: KnowledgeCategory.CLIENT,
        RoutedToType.PROJECT: KnowledgeCategory.PROJECT,
        RoutedToType.PLAYBOOK: KnowledgeCategory.PLAYBOOK,
        RoutedToType.USER_SETTINGS: KnowledgeCategory.SETTING,
    }[target_type]
