"""Every write to clients and people (seed: "PEOPLE & CLIENTS").

Each write resolves its references within the caller's workspace (`client_id`: an id the workspace
does not have is a 400 naming the field), writes the audit Log and publishes its event on commit
(`client.created|updated|deleted`, `person.created|updated|deleted`).
"""

from django.db import transaction

from apps.activity.attribution import Attribution
from apps.activity.models import LogAction
from apps.activity.services import log_record
from apps.core.error_codes import ErrorCode
from apps.core.errors import Conflict
from apps.core.selectors import reference_get
from apps.core.services import model_update

from .models import Client, Person

CLIENT_FIELDS = ("name", "status", "notes", "metadata")
PERSON_FIELDS = (
    "name",
    "email",
    "phone",
    "title",
    "company",
    "relationship",
    "relationship_to_user",
    "political_context",
    "communication_notes",
    "last_contact",
    "next_follow_up",
    "context_notes",
    "metadata",
)

LISTED = 10  # how many blocking rows a 409 names
NOUNS = {
    "people": ("person", "people"),
    "projects": ("project", "projects"),
    "sales_opportunities": ("sales opportunity", "sales opportunities"),
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _changes_save(instance: Client | Person, changes: dict, *, by: Attribution) -> Client | Person:
    """Set `changes` (model_update): `<model>.updated` is logged with the fields that really changed, or nothing."""
    action = LogAction.CLIENT_UPDATED if isinstance(instance, Client) else LogAction.PERSON_UPDATED
    model_update(instance=instance, changes=changes, log=lambda changed: log_record(
        action=action, by=by, entity=instance, details={"name": instance.name, "fields": changed}))
    return instance


# --- clients ----------------------------------------------------------------------------------


@transaction.atomic
def client_create(*, by: Attribution, name: str, **fields) -> Client:
    """A new client (account) of the workspace; fields as in CLIENT_FIELDS."""
    client = Client.objects.create(user=by.user, name=name, **{k: v for k, v in fields.items() if v is not None})
    log_record(
        action=LogAction.CLIENT_CREATED,
        by=by,
        entity=client,
        details={"name": client.name, "status": client.status},
    )
    return client


@transaction.atomic
def client_update(*, by: Attribution, client: Client, **changes) -> Client:
    """Change a client's fields (any subset of CLIENT_FIELDS). Archiving is an update
    (`status: archived`). A change that changes nothing writes nothing and logs nothing."""
    return _changes_save(client, changes, by=by)


@transaction.atomic
def client_delete(*, by: Attribution, client: Client) -> None:
    """Delete a client nothing refers to; otherwise 409 saying what to do.

    A client with people, projects or sales opportunities is refused: the database would silently
    detach them (ON DELETE SET NULL), and a person or a deal without its account loses the context
    drafts and the pipeline rely on. Archive the client instead (`status: archived`: it keeps its
    history and leaves the active lists), or move or delete those rows first. The row is locked
    before counting, so a row being attached concurrently is either counted or refused by its key."""
    client = Client.objects.select_for_update().defer("search_vector").get(pk=client.pk)
    # Through the reverse relations: tasks and sales build on people, not the other way round.
    counts = {
        "people": client.people.count(),
        "projects": client.projects.count(),
        "sales_opportunities": client.opportunities.count(),
    }
    if any(counts.values()):
        still = ", ".join(f"{n} {NOUNS[key][n != 1]}" for key, n in counts.items() if n)
        raise Conflict(
            f"Client '{client.name}' still has {still}. Archive it instead (PATCH /api/clients/{client.pk} with "
            'status "archived"), or move those to another client (client_id) or delete them first.',
            code=ErrorCode.CLIENT_IN_USE,
            details={"client_id": str(client.pk), **counts},
        )
    log_record(action=LogAction.CLIENT_DELETED, by=by, entity=client, details={"name": client.name})
    client.delete()


# --- people -----------------------------------------------------------------------------------


@transaction.atomic
def person_create(*, by: Attribution, name: str, client_id=None, **fields) -> Person:
    """A new person of the workspace (fields as in PERSON_FIELDS). `client_id` must name a client of this
    workspace (400 naming client_id otherwise)."""
    client = reference_get(Client, user=by.user, field="client_id", value=client_id)
    person = Person.objects.create(user=by.user, name=name, client=client, **{k: v for k, v in fields.items() if v is not None})
    log_record(
        action=LogAction.PERSON_CREATED,
        by=by,
        entity=person,
        details={"name": person.name, "client_id": str(client.pk) if client else None},
    )
    return person


@transaction.atomic
def person_update(*, by: Attribution, person: Person, **changes) -> Person:
    """Change a person's fields (any subset of PERSON_FIELDS, and `client_id`; None detaches). This
    is how relationship context is kept current (seed: "Update person context → PUT /api/people/{id}").
    A change that changes nothing writes nothing and logs nothing."""
    if "client_id" in changes:
        changes["client"] = reference_get(Client, user=by.user, field="client_id", value=changes.pop("client_id"))
    return _changes_save(person, changes, by=by)


@transaction.atomic
def person_delete(*, by: Attribution, person: Person) -> None:
    """Delete a person, unless live work depends on them (409 saying what to do).

    Refused while the person is on an open task (queued, working, blocked) or is someone we are
    still waiting on: deleting would silently take them out of work in progress, and their
    relationship context is what the drafts for that work need. Links to completed or cancelled
    tasks do not block: a person's details are theirs and the owner must be able to remove them
    (those links go with the person; the Log keeps the name and how many). The row is locked before
    checking, so a task link being added concurrently is either seen or refused by its key."""
    person = Person.objects.select_for_update().defer("search_vector").get(pk=person.pk)
    # Through the reverse relations: tasks build on people, not the other way round.
    open_tasks = list(
        person.tasks.filter(status__in=person.tasks.model.OPEN_STATUSES).order_by("priority", "created_at")
        .values_list("pk", "title")[: LISTED + 1]
    )
    waiting = list(
        person.waiting_items.filter(status=person.waiting_items.model.Status.WAITING).order_by("since")
        .values_list("pk", "what")[: LISTED + 1]
    )
    if open_tasks or waiting:
        parts = []
        if open_tasks:
            titles = ", ".join(f"'{title}'" for _, title in open_tasks[:3])
            parts.append(
                f"on open task{'s' if len(open_tasks) > 1 else ''} {titles}"
                f"{' and more' if len(open_tasks) > 3 else ''} (take them off with PUT /api/tasks/{{id}} "
                "people, or complete or cancel the tasks)"
            )
        if waiting:
            parts.append(f"someone we are waiting on ({_plural(len(waiting), 'open waiting item')}; resolve or abandon them)")
        raise Conflict(
            f"Cannot delete '{person.name}': they are {' and '.join(parts)}.",
            code=ErrorCode.PERSON_IN_USE,
            details={
                "person_id": str(person.pk),
                "open_task_ids": [str(pk) for pk, _ in open_tasks[:LISTED]],
                "waiting_item_ids": [str(pk) for pk, _ in waiting[:LISTED]],
            },
        )
    closed_links = person.task_people.count()
    log_record(
        action=LogAction.PERSON_DELETED,
        by=by,
        entity=person,
        details={"name": person.name, "closed_task_links": closed_links},
    )
    person.delete()
