"""Writing a learning where it belongs (seed: "Knowledge Routing Logic").

| category | goes to                                                                    | field_updated            |
|----------|----------------------------------------------------------------------------|--------------------------|
| person   | the person: communication_notes if it is about how to communicate with     | communication_notes or   |
|          | them (COMMUNICATION_WORDS), else context_notes                             | context_notes            |
| client   | the client's notes                                                         | notes                    |
| project  | the project's description                                                  | description              |
| playbook | a new playbook in status proposed (name from the content), or appended to  | status / content         |
|          | the playbook given as target                                               |                          |
| rule     | the user's one "Rules" playbook (created on first use), or the target      | content                  |
| setting  | the user's settings: `learned.<key>` for "key: value" / "key = value" /    | learned.<key> or         |
|          | "<key> is <url>", else a note in `learned_notes`                           | learned_notes            |

Text fields get one dated line per learning ("[2026-01-21] Patrick prefers brief emails"), dated
in the owner's time zone. The target row is locked while it is appended to, so two learnings
routed at once both land. These functions only write the entity; the Knowledge row, the log and
the event are the caller's (apps.knowledge.services).
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from apps.accounts.models import User
from apps.activity.attribution import Attribution
from apps.people.models import Client, Person
from apps.playbooks.models import Playbook, PlaybookCategory, PlaybookStatus
from apps.playbooks.services import playbook_propose
from apps.tasks.models import Project

from .models import Knowledge, KnowledgeCategory, RoutedToType
from .targets import text_fold

# A learning about a person is about how to communicate with them when it names a channel, a
# tone or a habit of correspondence (whole words, accents and case ignored). Anything else about
# them (role, politics, family, preferences unrelated to contact) is context.
COMMUNICATION_WORDS = (
    "email", "emails", "e-mail", "e-mails", "mail", "mails", "inbox", "newsletter", "call", "calls", "calling",
    "phone", "phones", "voicemail", "text", "texts", "texting", "sms", "whatsapp", "telegram", "slack",
    "teams", "zoom", "message", "messages", "messaging", "dm", "dms", "reply", "replies", "respond", "responds",
    "response", "responses", "write", "writes", "writing", "written", "tone", "formal", "informal", "brief",
    "concise", "lengthy", "verbose", "bullet", "bullets", "greeting", "greet", "salutation", "sign-off",
    "addressed", "cc", "bcc", "contact", "contacted", "reach", "reached", "communicate", "communicates",
    "communication", "talk", "talks", "speak", "speaks", "language", "letter", "letters", "subject line",
)
_COMMUNICATION_RE = re.compile(
    r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in sorted(COMMUNICATION_WORDS, key=len, reverse=True))
    + r")(?![\w-])"
)

RULES_PLAYBOOK_NAME = "Rules"
RULES_PLAYBOOK_DESCRIPTION = "Company rules and terminology the owner taught; knowledge capture appends to it."
PLAYBOOK_NAME_MAX = 80

# Leading words that introduce a learning but do not name it ("Going forward, …").
_LEAD_IN_RE = re.compile(
    r"^\s*(?:(?:remember(?: that)?|for future reference|here['’]s how we do this|going forward|fyi for next time|"
    r"fyi|note(?: that)?|tip)\s*[:,\-–—]?\s*)+",
    re.IGNORECASE,
)
# "CRM URL: https://…", "timezone = Europe/Paris": a short key (1-5 words) then its value.
_KEY_VALUE_RE = re.compile(r"^(?P<key>[A-Za-z][\w\-/ ]{0,60}?)\s*(?::|=)\s*(?P<value>\S.*)$", re.DOTALL)
# "the Slack workspace URL is https://…": only with a URL as the value ("X is Y" is too common).
_KEY_IS_URL_RE = re.compile(r"^(?:(?:the|our|my|his|her|their)\s+)?(?P<key>[A-Za-z][\w\-/ ]{0,60}?)\s+is\s+"
                            r"(?P<value>(?:https?://|www\.)\S+)\s*$", re.IGNORECASE)


@dataclass
class Routed:
    """Where a learning went: the seed's routed_to {type, id, field_updated} and action_taken."""

    type: str
    id: object
    field_updated: str
    action_taken: str

    def as_dict(self) -> dict:
        return {"type": self.type, "id": str(self.id) if self.id else None, "field_updated": self.field_updated}


def is_about_communication(content: str) -> bool:
    """The person rule: communication_notes when the learning names a channel, tone or habit."""
    return bool(_COMMUNICATION_RE.search(text_fold(content)))


def _dated_line(knowledge: Knowledge, user) -> str:
    return f"[{timezone.localtime(knowledge.learned_at, user.zone):%Y-%m-%d}] {knowledge.content}"


def _append(existing: str | None, line: str) -> str:
    existing = (existing or "").rstrip()
    return f"{existing}\n{line}" if existing else line


def _append_to(model, pk, field_name: str, line: str):
    """Append under a row lock (SELECT … FOR UPDATE) so concurrent learnings are not lost."""
    row = model.objects.select_for_update().defer("search_vector").get(pk=pk)
    setattr(row, field_name, _append(getattr(row, field_name), line))
    row.save(update_fields=[field_name, "updated_at"])
    return row


def route_person(*, knowledge: Knowledge, person: Person, user) -> Routed:
    field_name = "communication_notes" if is_about_communication(knowledge.content) else "context_notes"
    person = _append_to(Person, person.pk, field_name, _dated_line(knowledge, user))
    return Routed(RoutedToType.PERSON, person.pk, field_name, f"Updated {person.name}'s {field_name}")


def route_client(*, knowledge: Knowledge, client: Client, user) -> Routed:
    client = _append_to(Client, client.pk, "notes", _dated_line(knowledge, user))
    return Routed(RoutedToType.CLIENT, client.pk, "notes", f"Updated {client.name}'s notes")


def route_project(*, knowledge: Knowledge, project: Project, user) -> Routed:
    project = _append_to(Project, project.pk, "description", _dated_line(knowledge, user))
    return Routed(RoutedToType.PROJECT, project.pk, "description", f"Updated {project.name}'s description")


def route_playbook_existing(*, knowledge: Knowledge, playbook: Playbook, user) -> Routed:
    playbook = _append_to(Playbook, playbook.pk, "content", f"- {_dated_line(knowledge, user)}")
    return Routed(RoutedToType.PLAYBOOK, playbook.pk, "content", f"Added to playbook '{playbook.name}'")


def playbook_name_from(content: str) -> str:
    """A playbook name from the learning: its first sentence, without the lead-in, capitalised,
    cut at a word boundary (e.g. "Going forward, when scheduling check all 3 calendars." →
    "When scheduling check all 3 calendars")."""
    text = _LEAD_IN_RE.sub("", " ".join(content.split()))
    first = re.split(r"(?<=[.!?;:])\s|\n", text, maxsplit=1)[0].strip().rstrip(".!?;:,")
    first = first or text.strip() or "Learned procedure"
    if len(first) > PLAYBOOK_NAME_MAX:
        first = first[:PLAYBOOK_NAME_MAX].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return first[0].upper() + first[1:]


def _learned_from(knowledge: Knowledge, user) -> str:
    when = _dated_line(knowledge, user)[1:11]
    if knowledge.source_task_id:
        return f"Task {knowledge.source_task_id} (knowledge {knowledge.pk}, {when})"
    return f"Knowledge {knowledge.pk} ({when})"


def route_playbook_proposed(*, by: Attribution, knowledge: Knowledge) -> Routed:
    """A new playbook in status proposed (apps.playbooks.services.playbook_propose): the owner
    approves it before it is matched to tasks."""
    playbook = playbook_propose(by=by,
                                name=playbook_name_from(knowledge.content), description=knowledge.content,
                                content=knowledge.content, learned_from=_learned_from(knowledge, by.user),
                                source_task=knowledge.source_task,
                                details={"knowledge_id": str(knowledge.pk)})
    return Routed(RoutedToType.PLAYBOOK, playbook.pk, "status", f"Proposed playbook '{playbook.name}' for review")


def rules_playbook_for(*, user) -> tuple[Playbook, bool]:
    """The user's one Rules playbook, created on first use. A transaction-scoped advisory lock on
    the user makes two first rules at once create one playbook, not two."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"{connection.schema_name}:rules:{user.pk}"])
    existing = (Playbook.objects.filter(user=user, category=PlaybookCategory.RULES, name=RULES_PLAYBOOK_NAME)
                .exclude(status__in=[PlaybookStatus.ARCHIVED, PlaybookStatus.REJECTED])
                .defer("search_vector").order_by("created_at").first())
    if existing is not None:
        return existing, False
    return Playbook.objects.create(
        user=user, name=RULES_PLAYBOOK_NAME, description=RULES_PLAYBOOK_DESCRIPTION, category=PlaybookCategory.RULES,
        content="# Rules\n", status=PlaybookStatus.ACTIVE, learned_from="Knowledge capture (rules)",
    ), True


def route_rule(*, knowledge: Knowledge, user) -> Routed:
    playbook, created = rules_playbook_for(user=user)
    playbook = _append_to(Playbook, playbook.pk, "content", f"- {_dated_line(knowledge, user)}")
    action = "Created the 'Rules' playbook with this rule" if created else "Added a rule to the 'Rules' playbook"
    return Routed(RoutedToType.PLAYBOOK, playbook.pk, "content", action)


def setting_parse(content: str) -> tuple[str, str] | None:
    """(key, value) when the learning states one — "CRM URL: https://…", "timezone = Europe/Paris",
    "The Slack workspace URL is https://…" — with the key in snake_case; else None."""
    text = _LEAD_IN_RE.sub("", " ".join(content.split())).strip()
    for pattern in (_KEY_VALUE_RE, _KEY_IS_URL_RE):
        match = pattern.match(text)
        if not match or not 1 <= len(match["key"].split()) <= 5 or match["value"].startswith("//"):
            continue  # no key, a sentence rather than a key, or a bare URL ("https://…")
        key = re.sub(r"[^a-z0-9]+", "_", text_fold(match["key"])).strip("_")
        value = match["value"].strip().rstrip(".;,")
        if key and value:
            return key, value
    return None


def route_setting(*, knowledge: Knowledge, user) -> Routed:
    """Into the user's settings (public schema, same transaction), under `learned` / `learned_notes`
    so learned values never overwrite the settings the application itself keeps there."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    settings = dict(locked.settings or {})
    parsed = setting_parse(knowledge.content)
    if parsed:
        key, value = parsed
        settings["learned"] = {**settings.get("learned", {}), key: value}
        field_name, action = f"learned.{key}", f"Set {key} = {value} in your settings"
    else:
        settings["learned_notes"] = [*settings.get("learned_notes", []), {
            "note": knowledge.content, "learned_at": knowledge.learned_at.isoformat(), "knowledge_id": str(knowledge.pk)}]
        field_name, action = "learned_notes", "Added a note to your settings"
    locked.settings = settings
    locked.save(update_fields=["settings", "updated_at"])
    user.settings = settings  # the caller's copy (request.user) sees the change too
    return Routed(RoutedToType.USER_SETTINGS, user.pk, field_name, action)


def knowledge_route_to(*, by: Attribution, knowledge: Knowledge, target_type: str, target) -> Routed:
    """Write `knowledge` into `target` (already resolved and checked). `target` is None for a new
    proposed playbook, the Rules playbook, and the user's settings."""
    if target_type == RoutedToType.PERSON:
        return route_person(knowledge=knowledge, person=target, user=by.user)
    if target_type == RoutedToType.CLIENT:
        return route_client(knowledge=knowledge, client=target, user=by.user)
    if target_type == RoutedToType.PROJECT:
        return route_project(knowledge=knowledge, project=target, user=by.user)
    if target_type == RoutedToType.USER_SETTINGS:
        return route_setting(knowledge=knowledge, user=by.user)
    if target is not None:
        return route_playbook_existing(knowledge=knowledge, playbook=target, user=by.user)
    if knowledge.category == KnowledgeCategory.RULE:
        return route_rule(knowledge=knowledge, user=by.user)
    return route_playbook_proposed(knowledge=knowledge, by=by)
