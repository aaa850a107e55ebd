"""Every write to waiting items (seed: waiting_items): what we wait on from someone else.

    waiting ──resolve (PUT /resolve, with notes)──▶ resolved      (closed: resolving again is a 409)
    waiting ◀──────── status (PATCH) ────────▶ abandoned

Every write resolves its references (person_id, task_id) within the caller's workspace (another id is a
400 naming the field), writes the audit Log and publishes `waiting.*` on commit.
"""

from django.db import transaction
from django.utils import timezone

from apps.activity.attribution import Attribution
from apps.activity.models import LogAction
from apps.activity.services import log_record
from apps.core.error_codes import ErrorCode
from apps.core.errors import Conflict, InvalidInput
from apps.core.selectors import reference_get
from apps.core.services import model_update
from apps.people.models import Person

from ..models import Task, WaitingItem, WaitingStatus

WAITING_FIELDS = ("what", "who", "since", "follow_up_date", "why_it_matters", "status")


def _references(*, user, changes: dict) -> dict:
    if "person_id" in changes:
        changes["person"] = reference_get(Person, user=user, field="person_id", value=changes.pop("person_id"))
    if "task_id" in changes:
        changes["task"] = reference_get(Task, user=user, field="task_id", value=changes.pop("task_id"))
    return changes


def _status_checked(status: str | None) -> None:
    if status == WaitingStatus.RESOLVED:
        raise InvalidInput.field("status", "an item is resolved with PUT /api/waiting/{id}/resolve (and its notes), "
                                           "not by setting status")


@transaction.atomic
def waiting_create(*, by: Attribution, what: str, person_id=None, task_id=None, **fields) -> WaitingItem:
    """Start waiting on something (fields as in WAITING_FIELDS; since defaults to now)."""
    _status_checked(fields.get("status"))
    refs = _references(user=by.user, changes={"person_id": person_id, "task_id": task_id})
    item = WaitingItem.objects.create(user=by.user, what=what, **refs,
                                      **{k: v for k, v in fields.items() if v is not None})
    log_record(action=LogAction.WAITING_CREATED, by=by, entity=item,
               details={"what": item.what, "who": item.who, "follow_up_date":
                        item.follow_up_date.isoformat() if item.follow_up_date else None})
    return item


def _locked(item: WaitingItem) -> WaitingItem:
    return WaitingItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def waiting_update(*, by: Attribution, item: WaitingItem, **changes) -> WaitingItem:
    """Change an item (any subset of WAITING_FIELDS, person_id, task_id). `status` moves between waiting
    and abandoned (give up, or pick it up again); resolving goes through waiting_resolve, and a resolved
    item keeps its status (409)."""
    current = _locked(item)
    _status_checked(changes.get("status"))
    if "status" in changes and changes["status"] != current.status and current.status == WaitingStatus.RESOLVED:
        raise Conflict(f"'{current.what}' was resolved at {current.resolved_at:%Y-%m-%d %H:%M} UTC and stays resolved. "
                       "Create a new waiting item if you are waiting again.", code=ErrorCode.INVALID_TRANSITION,
                       details={"waiting_id": str(current.pk), "status": current.status})
    model_update(instance=current, changes=_references(user=by.user, changes=changes), log=lambda changed: log_record(
        action=LogAction.WAITING_UPDATED, by=by, entity=current,
        details={"what": current.what, "fields": changed, "status": current.status}))
    return current


@transaction.atomic
def waiting_delete(*, by: Attribution, item: WaitingItem) -> None:
    """Delete an item (entered by mistake). To stop waiting, resolve it or set status abandoned."""
    log_record(action=LogAction.WAITING_DELETED, by=by, entity=item, details={"what": item.what, "status": item.status})
    item.delete()


@transaction.atomic
def waiting_resolve(*, by: Attribution, item: WaitingItem, notes: str | None = None) -> WaitingItem:
    """What we waited for came: the item is resolved with its notes. Only a waiting item resolves; one
    already resolved or abandoned is a 409 naming its status (the row is locked first, so of two
    concurrent resolves the second is refused)."""
    current = _locked(item)
    if current.status != WaitingStatus.WAITING:
        when = f" at {current.resolved_at:%Y-%m-%d %H:%M} UTC" if current.resolved_at else ""
        hint = "" if current.status == WaitingStatus.RESOLVED else \
            f" To resolve it, set status waiting first (PATCH /api/waiting/{current.pk})."
        raise Conflict(f"'{current.what}' is already {current.status}{when}.{hint}", code=ErrorCode.INVALID_TRANSITION,
                       details={"waiting_id": str(current.pk), "status": current.status,
                                "resolved_at": current.resolved_at.isoformat() if current.resolved_at else None})
    current.status = WaitingStatus.RESOLVED
    current.resolved_at = timezone.now()
    current.resolution_notes = notes
    current.save(update_fields=["status", "resolved_at", "resolution_notes"])
    log_record(action=LogAction.WAITING_RESOLVED, by=by, entity=current, details={"what": current.what, "notes": notes})
    return current
