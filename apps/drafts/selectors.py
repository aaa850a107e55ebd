"""Reads for drafts: lists, the revision chain, and what drafting must know (who the recipient is to
the owner, and which must-consult playbooks were skipped)."""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q, QuerySet

from apps.core.filters import filterset_apply
from apps.people.models import Person
from apps.playbooks.matching import MustConsult
from apps.playbooks.models import PlaybookCategory
from apps.playbooks.selectors import must_consult_skipped
from apps.tasks.models import Task, TaskPerson, TaskPersonRole

from .filters import DraftFilter
from .models import Draft

EMAIL_IN_TEXT = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def draft_queryset(*, user) -> QuerySet[Draft]:
    return Draft.objects.filter(user=user)


def draft_list(*, user, filters: dict) -> QuerySet[Draft]:
    """Drafts of `user`, newest first, narrowed by the query parameters of apps.drafts.filters.DraftFilter
    (status, type, task_id, person_id); a bad value is a 400 naming the parameter."""
    return filterset_apply(DraftFilter, filters, draft_queryset(user=user))


def draft_get(*, user, draft_id) -> Draft:
    return draft_queryset(user=user).get(pk=draft_id)


# The chain is linear (only a pending or rejected draft can be revised, and revising it makes it
# `revised`), so it is: walk up to the root, then down from the root. One statement whatever its length.
CHAIN_SQL = """
WITH RECURSIVE up AS (
    SELECT id, revision_of_id FROM drafts_draft WHERE id = %s AND user_id = %s
    UNION ALL
    SELECT d.id, d.revision_of_id FROM drafts_draft d JOIN up ON d.id = up.revision_of_id
),
down AS (
    SELECT id, 0 AS position FROM up WHERE revision_of_id IS NULL
    UNION ALL
    SELECT d.id, down.position + 1 FROM drafts_draft d JOIN down ON d.revision_of_id = down.id
)
SELECT id FROM down ORDER BY position
"""


def _chain_ids(*, user_id, draft_id) -> list:
    with connection.cursor() as cursor:
        cursor.execute(CHAIN_SQL, [draft_id, user_id])
        return [row[0] for row in cursor.fetchall()]


def draft_chain(*, user, draft_id) -> list[Draft]:
    """The whole revision chain `draft_id` belongs to, oldest first, in two queries whatever its
    length (a recursive CTE for the ids in order, then the rows). Empty when there is no such draft."""
    ids = _chain_ids(user_id=user.pk, draft_id=draft_id)
    rows = draft_queryset(user=user).in_bulk(ids)
    return [rows[pk] for pk in ids if pk in rows]


def draft_with_chain(*, user, draft_id) -> tuple[Draft, list[Draft]]:
    """The draft and its whole revision chain, oldest first (Draft.DoesNotExist when there is no such draft)."""
    chain = draft_chain(user=user, draft_id=draft_id)
    draft = next((d for d in chain if d.pk == draft_id), None)
    if draft is None:
        raise Draft.DoesNotExist
    return draft, chain


def draft_latest_revision(*, draft: Draft) -> Draft:
    """The newest draft of `draft`'s chain (where the work on a superseded draft continues)."""
    return Draft.objects.get(pk=_chain_ids(user_id=draft.user_id, draft_id=draft.pk)[-1])


# --- who the recipient is ---------------------------------------------------------------------

@dataclass
class RecipientLookup:
    """The outcome of looking the recipient up among the owner's people (principle 4)."""

    person: Person | None = None
    resolved_by: str | None = None  # person_id | recipient_email | recipient_name | task_recipient | revision_of
    candidates: list[Person] = field(default_factory=list)  # when the recipient named several people
    others: list[TaskPerson] = field(default_factory=list)  # the task's other people: who else is involved


def draft_people(*, user_id) -> QuerySet[Person]:
    return Person.objects.filter(user_id=user_id).select_related("client").defer("search_vector", "client__search_vector")


def person_for_draft(*, user_id, person_id) -> Person | None:
    if person_id is None:
        return None
    return draft_people(user_id=user_id).filter(pk=person_id).first()


def _loosely_names(recipient: str, person: Person) -> bool:
    text = recipient.lower()
    return any(part and (part.lower() in text or text in part.lower()) for part in (person.name, person.email))


def draft_recipient_lookup(*, user, recipient: str | None, task: Task | None, person: Person | None = None,
                           resolved_by: str = "person_id") -> RecipientLookup:
    """Find who a draft is for, without guessing: the person given; else the one person whose email
    (or else whose full name) the recipient text names; else the task's one recipient-role person,
    when it agrees with the recipient text. Several matches leave the person unknown, with the candidates."""
    lookup = RecipientLookup(person=person, resolved_by=resolved_by if person else None)
    recipient = (recipient or "").strip()
    if lookup.person is None and recipient:
        emails = EMAIL_IN_TEXT.findall(recipient)
        name = re.sub(r"<[^>]*>", "", recipient).strip().strip('"').strip()
        for how, condition in (("recipient_email", Q(email__iexact=emails[0]) if emails else None),
                               ("recipient_name", Q(name__iexact=name) if name and not EMAIL_IN_TEXT.fullmatch(name)
                                else None)):
            if condition is None:
                continue
            found = list(draft_people(user_id=user.pk).filter(condition)[:10])
            if len(found) == 1:
                lookup.person, lookup.resolved_by = found[0], how
                break
            if found:
                lookup.candidates = found
                break
    task_people = []
    if task is not None:
        task_people = list(TaskPerson.objects.filter(task=task).select_related("person__client")
                           .defer("person__search_vector", "person__client__search_vector").order_by("person__name"))
    if lookup.person is None and not lookup.candidates:
        recipients = [tp.person for tp in task_people if tp.role == TaskPersonRole.RECIPIENT
                      and (not recipient or _loosely_names(recipient, tp.person))]
        if len(recipients) == 1:
            lookup.person, lookup.resolved_by = recipients[0], "task_recipient"
        elif len(recipients) > 1:
            lookup.candidates = recipients
    lookup.others = [tp for tp in task_people if lookup.person is None or tp.person_id != lookup.person.pk]
    return lookup


# --- must-consult playbooks -------------------------------------------------------------------

def draft_playbooks_not_consulted(*, user, task: Task | None) -> list[MustConsult]:
    """Must-consult communication playbooks that match the draft's task but were never served in
    full for it (GET /api/playbooks/{id}?task_id=…, logged as playbook.consulted): the task's
    apps.playbooks.selectors.must_consult_skipped, narrowed to communication. A draft without a task has
    no consultation to check."""
    if task is None:
        return []
    return [m for m in must_consult_skipped(task=task, user=user)
            if (m.playbook.category or "").lower() == PlaybookCategory.COMMUNICATION]
