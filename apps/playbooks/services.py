"""Writes for playbooks: serving (consulting), creating, editing, the proposal workflow and import.

Status moves (seed: "Playbook Proposal Workflow"):

    proposed --approve--> active --archive--> archived
    proposed --reject (with a reason)--> rejected

Only active playbooks are matched to tasks (apps.playbooks.matching), so a proposal takes effect
when it is approved and stops when it is archived. Rejected and archived playbooks are kept for
the record, unchanged: they can be neither edited nor moved again (409, saying what to do instead).
Every state change writes the audit Log and publishes its event on commit (log_record).
"""

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from apps.activity.attribution import Attribution
from apps.activity.models import LogAction
from apps.activity.services import log_record
from apps.core.error_codes import ErrorCode
from apps.core.errors import Conflict
from apps.core.services import model_update
from apps.core.states import StateMachine

from .models import Playbook, PlaybookStatus
from .portable import playbook_parse

ACTIVE, PROPOSED, REJECTED, ARCHIVED = (PlaybookStatus.ACTIVE, PlaybookStatus.PROPOSED, PlaybookStatus.REJECTED,
                                        PlaybookStatus.ARCHIVED)
EDITABLE_FIELDS = ("name", "description", "content", "category", "triggers", "must_consult", "scripts", "references",
                   "examples", "learned_from", "source_task")
EDITABLE_STATUSES = (ACTIVE, PROPOSED)

# verb: (statuses it starts from, status it leads to); "update" is an edit in place, not a move
MOVES = {
    "approve": ((PROPOSED,), ACTIVE),
    "reject": ((PROPOSED,), REJECTED),
    "archive": ((ACTIVE,), ARCHIVED),
    "update": (EDITABLE_STATUSES, None),
}
ACTIONS = {"approve": LogAction.PLAYBOOK_APPROVED, "reject": LogAction.PLAYBOOK_REJECTED,
           "archive": LogAction.PLAYBOOK_ARCHIVED}
_KEPT = "is kept for the record as it is"
HINTS = {
    ("approve", ACTIVE): "It is already active (matched to tasks); nothing to do.",
    ("approve", REJECTED): f"A rejected proposal {_KEPT}: propose it again (POST /api/playbooks/propose) if it is "
                           "wanted after all.",
    ("approve", ARCHIVED): f"An archived playbook {_KEPT}: create a new one (POST /api/playbooks or "
                           "POST /api/playbooks/import) to use it again.",
    ("reject", ACTIVE): "Only proposals are rejected: archive an active playbook instead "
                        "(PUT /api/playbooks/{id}/archive).",
    ("reject", REJECTED): "It is already rejected; nothing to do.",
    ("reject", ARCHIVED): f"It is archived and {_KEPT.removeprefix('is ')}; nothing to do.",
    ("archive", PROPOSED): "A proposal is not in use yet: reject it with a reason instead "
                           "(PUT /api/playbooks/{id}/reject), or approve it first.",
    ("archive", REJECTED): f"A rejected proposal {_KEPT}; nothing to do.",
    ("archive", ARCHIVED): "It is already archived; nothing to do.",
    ("update", REJECTED): f"A rejected proposal {_KEPT}: propose a new one (POST /api/playbooks/propose).",
    ("update", ARCHIVED): f"An archived playbook {_KEPT}: create a new one (POST /api/playbooks or "
                          "POST /api/playbooks/import).",
}


@transaction.atomic
def playbook_serve(*, by: Attribution, playbook: Playbook, task=None) -> Playbook:
    """Serving a playbook's full content counts as consulting it (principle 6): use_count and
    last_used go up, and with a task the consultation is recorded for that task, which is what
    completing it checks for must-consult playbooks."""
    now = timezone.now()
    Playbook.objects.filter(pk=playbook.pk).update(use_count=F("use_count") + 1, last_used=now)
    playbook.refresh_from_db(fields=["use_count", "last_used"])
    log_record(
        action=LogAction.PLAYBOOK_CONSULTED, by=by, entity=playbook,
        details={"task_id": str(task.pk) if task else None, "name": playbook.name}, publish=False,
    )
    return playbook


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:  # a programming error, not the caller's input: serializers only pass editable fields
        raise TypeError(f"Not editable playbook fields: {sorted(unknown)}")


def _insert(*, user, status: str, fields: dict) -> Playbook:
    _check_fields(fields)
    values = {key: value for key, value in fields.items() if value is not None or key in ("category", "learned_from")}
    return Playbook.objects.create(user=user, status=status, **values)


def _source_task_id(playbook: Playbook) -> str | None:
    return str(playbook.source_task_id) if playbook.source_task_id else None


@transaction.atomic
def playbook_create(*, by: Attribution, name: str, description: str, content: str, **fields) -> Playbook:
    """A playbook in force at once (status active): the owner's own, or one he asked Claude to write
    down. What Claude learned by itself goes through playbook_propose, for the owner to review."""
    by.owner_decides("create a playbook in force (an agent proposes one: POST /api/playbooks/propose)",
                     page="/playbooks/")
    playbook = _insert(user=by.user, status=ACTIVE, fields={"name": name, "description": description, "content": content,
                                                         **fields})
    log_record(action=LogAction.PLAYBOOK_CREATED, by=by, entity=playbook,
               details={"name": playbook.name, "status": playbook.status, "must_consult": playbook.must_consult})
    return playbook


@transaction.atomic
def playbook_propose(*, by: Attribution, name: str, description: str, content: str, learned_from: str | None = None,
                     source_task=None, details: dict | None = None, **fields) -> Playbook:
    """Claude proposes a playbook it learned (seed: "Playbook Proposal Workflow"). It waits in status
    proposed, not matched to any task, until the owner approves or rejects it. `details` adds to the
    audit Log's (e.g. the knowledge entry it was routed from)."""
    playbook = _insert(user=by.user, status=PROPOSED, fields={
        "name": name, "description": description, "content": content, "learned_from": learned_from,
        "source_task": source_task, **fields})
    log_record(action=LogAction.PLAYBOOK_PROPOSED, by=by, entity=playbook,
               details={"name": playbook.name, "learned_from": learned_from,
                        "source_task_id": _source_task_id(playbook), **(details or {})})
    return playbook


PLAYBOOK_STATES = StateMachine(
    moves=MOVES, name=lambda playbook: f"playbook '{playbook.name}'", verbs={"update": "edit"}, defer=("search_vector",),
    details_action=False,
    hint=lambda playbook, verb: HINTS.get((verb, playbook.status), "").replace("{id}", str(playbook.pk)))


@transaction.atomic
def playbook_update(*, by: Attribution, playbook: Playbook, **changes) -> Playbook:
    """Change an active or proposed playbook's content and metadata. Status moves only through
    approve / reject / archive; rejected and archived playbooks are kept as they were (409)."""
    _check_fields(changes)
    playbook = PLAYBOOK_STATES.lock(playbook, "update")
    if playbook.status == ACTIVE or changes.get("must_consult"):  # what is in force is the owner's to change
        by.owner_decides("change a playbook in force or make one must-consult", page=f"/playbooks/{playbook.pk}/")
    model_update(instance=playbook, changes=changes, log=lambda changed: log_record(
        action=LogAction.PLAYBOOK_UPDATED, by=by, entity=playbook,
        details={"name": playbook.name, "status": playbook.status, "fields": changed}))
    return playbook


def _move(*, by: Attribution, playbook: Playbook, verb: str, details: dict | None = None, **fields) -> Playbook:
    playbook, previous = PLAYBOOK_STATES.move(playbook, verb, **fields)
    log_record(action=ACTIONS[verb], by=by, entity=playbook,
               details={"name": playbook.name, "from": previous, "to": playbook.status, **(details or {})})
    return playbook


@transaction.atomic
def playbook_approve(*, by: Attribution, playbook: Playbook) -> Playbook:
    """proposed → active: from now on it is matched to tasks (the owner's decision)."""
    by.owner_decides("approve this proposed playbook", page=f"/playbooks/{playbook.pk}/")
    return _move(playbook=playbook, verb="approve", by=by)


@transaction.atomic
def playbook_reject(*, by: Attribution, playbook: Playbook, reason: str) -> Playbook:
    """proposed → rejected, with the owner's reason, kept for the record (Claude learns from it)."""
    by.owner_decides("reject this proposed playbook", page=f"/playbooks/{playbook.pk}/")
    return _move(playbook=playbook, verb="reject", by=by, details={"reason": reason}, rejected_reason=reason)


@transaction.atomic
def playbook_archive(*, by: Attribution, playbook: Playbook) -> Playbook:
    """active → archived: no longer matched to tasks, kept for the record."""
    return _move(playbook=playbook, verb="archive", by=by)


@transaction.atomic
def playbook_import(*, by: Attribution, text: str) -> tuple[Playbook, bool]:
    """Import one playbook file (apps.playbooks.portable). The file's name picks the playbook: the
    active or proposed playbook of that name is updated to match the file (its status, usage and
    source task stay); with none, a new active playbook is created. Several live playbooks of that
    name make it ambiguous (409). Returns (playbook, created)."""
    by.owner_decides("import a playbook (it is in force at once)", page="/playbooks/")
    fields = playbook_parse(text=text)
    name = fields["name"]
    with connection.cursor() as cursor:  # two imports of one new name at once create one playbook, not two
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                       [f"{connection.schema_name}:playbook-import:{by.user.pk}:{name}"])
    live = list(Playbook.objects.select_for_update().defer("search_vector")
                .filter(user=by.user, name=name, status__in=EDITABLE_STATUSES).order_by("created_at")[:10])
    if len(live) > 1:
        ids = [str(p.pk) for p in live]
        raise Conflict(f"name: {len(live)} active or proposed playbooks are named '{name}', so the import cannot "
                       "tell which to update. Rename or archive all but one, then import again.",
                       code=ErrorCode.AMBIGUOUS_NAME, details={"name": name, "playbook_ids": ids})
    if live:
        playbook = live[0]
        changed = model_update(instance=playbook, changes=fields)
        created = False
    else:
        playbook = _insert(user=by.user, status=ACTIVE, fields=fields)
        changed, created = sorted(fields), True
    log_record(action=LogAction.PLAYBOOK_IMPORTED, by=by, entity=playbook,
               details={"name": name, "created": created, "status": playbook.status, "fields": changed})
    return playbook, created
