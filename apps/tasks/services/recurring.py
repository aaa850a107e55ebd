"""Every write to recurring tasks (seed: recurring_tasks; DESIGN "Recurring work"). The schedule
arithmetic is apps.tasks.schedule.

Materializing is idempotent. Task has a unique key on (recurring_task, scheduled_for); the insert runs
in a savepoint and gives way to an existing row (INSERT … ON CONFLICT DO NOTHING semantics; PostgreSQL
makes a concurrent insert of the same slot wait for the first and then conflict). The template row is
locked while it is advanced. So two beats, a redelivered job and a POST /run racing each other make
one task per occurrence.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.activity.attribution import Attribution
from apps.activity.models import LogAction
from apps.activity.services import log_record
from apps.core.error_codes import ErrorCode
from apps.core.errors import Conflict, InvalidInput
from apps.core.selectors import reference_get
from apps.core.services import model_update

from ..models import Frequency, Project, RecurringTask, Task, TaskSource
from ..schedule import cron_for_frequency, occurrence_after, series_anchor
from ..selectors.recurring import recurring_due_ids
from .tasks import task_create

logger = logging.getLogger(__name__)

SLOT_KEY = "task_recurring_slot_unique"
TEMPLATE_FIELDS = ("priority", "assignee", "project_id", "tags", "context")


@dataclass
class RecurringRun:
    recurring: RecurringTask
    task: Task
    created: bool  # False: the occurrence already had its task (another beat, a retry, an earlier /run)
    scheduled_for: datetime


def _template_checked(*, user, template: dict | None) -> dict:
    """The task template, its project checked to be the owner's (400 naming task_template.project_id)."""
    template = {k: v for k, v in (template or {}).items() if k in TEMPLATE_FIELDS and v is not None}
    project_id = template.get("project_id")
    try:
        reference_get(Project, user=user, field="project_id", value=project_id or None)
    except InvalidInput as refused:  # the body names it task_template.project_id
        raise InvalidInput(f"task_template: {refused.message}", details={"task_template": refused.details}) from None
    if project_id:
        template["project_id"] = str(project_id)
    return template


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@transaction.atomic
def recurring_create(*, by: Attribution, title: str, frequency: str, cron_expression: str | None = None,
                     next_run: datetime | None = None, description: str | None = None,
                     task_template: dict | None = None, active: bool = True) -> RecurringTask:
    """A new recurring template. `next_run` is its first run: daily, weekly and monthly series keep that
    run's local time (and weekday, day of month) in the owner's zone, so it is required for them; a
    custom (cron) schedule starts at the expression's first time from now unless told otherwise."""
    cron_expression = cron_for_frequency(frequency=frequency, cron_expression=cron_expression)
    if next_run is None:
        if frequency != Frequency.CUSTOM:
            problem = (f"required for a {frequency} schedule: the first run, whose local time "
                       f"({'weekday and time' if frequency == Frequency.WEEKLY else 'time'}) the series keeps")
            raise InvalidInput.field("next_run", problem)
        now = timezone.now()
        next_run = occurrence_after(frequency=frequency, cron_expression=cron_expression, anchor=now, after=now,
                                    zone=by.user.zone)
    recurring = RecurringTask.objects.create(
        user=by.user, title=title, description=description, frequency=frequency, cron_expression=cron_expression,
        task_template=_template_checked(user=by.user, template=task_template), next_run=next_run,
        schedule_anchor=next_run, active=active,
    )
    log_record(action=LogAction.RECURRING_CREATED, by=by, entity=recurring,
               details={"title": title, "frequency": frequency, "cron_expression": cron_expression,
                        "next_run": _iso(next_run), "timezone": str(by.user.zone)})
    return recurring


def _locked(recurring: RecurringTask) -> RecurringTask:
    return RecurringTask.objects.select_for_update().get(pk=recurring.pk)


@transaction.atomic
def recurring_update(*, by: Attribution, recurring: RecurringTask, **changes) -> RecurringTask:
    """Change a template (any subset of title, description, task_template, frequency, cron_expression,
    next_run, active). A new next_run or frequency starts the series anew from next_run; a new cron
    expression without a next_run runs from its first time from now. Reactivating a paused template
    does not run the occurrences it missed while paused: next_run moves to the first one from now."""
    current = _locked(recurring)
    now, zone = timezone.now(), by.user.zone
    frequency = changes.get("frequency", current.frequency)
    if frequency != Frequency.CUSTOM and "frequency" in changes and "cron_expression" not in changes:
        changes["cron_expression"] = None  # leaving cron: the old expression goes with it
    cron_expression = cron_for_frequency(frequency=frequency,
                                         cron_expression=changes.get("cron_expression", current.cron_expression))
    if "cron_expression" in changes:
        changes["cron_expression"] = cron_expression
    if "task_template" in changes:
        changes["task_template"] = _template_checked(user=by.user, template=changes["task_template"])
    new_series = "next_run" in changes or frequency != current.frequency
    if "next_run" not in changes and frequency == Frequency.CUSTOM and cron_expression != current.cron_expression:
        changes["next_run"] = occurrence_after(frequency=frequency, cron_expression=cron_expression, anchor=now,
                                               after=now, zone=zone)
    next_run = changes.get("next_run", current.next_run)
    anchor = next_run if new_series else series_anchor(current, zone)
    if changes.get("active") and not current.active and next_run <= now:
        next_run = changes["next_run"] = occurrence_after(frequency=frequency, cron_expression=cron_expression,
                                                          anchor=anchor, after=now, zone=zone)
    if "next_run" in changes or new_series:
        changes["schedule_anchor"] = next_run if frequency == Frequency.CUSTOM else anchor
    model_update(instance=current, changes=changes, log=lambda changed: log_record(
        action=LogAction.RECURRING_UPDATED, by=by, entity=current,
        details={"title": current.title, "fields": [k for k in changed if k != "schedule_anchor"],
                 "next_run": _iso(current.next_run), "active": current.active}))
    return current


@transaction.atomic
def recurring_delete(*, by: Attribution, recurring: RecurringTask) -> None:
    """Delete a template. The tasks it made stay (their recurring_task becomes null); pause it with
    active: false instead to keep it."""
    log_record(action=LogAction.RECURRING_DELETED, by=by, entity=recurring,
               details={"title": recurring.title, "frequency": recurring.frequency})
    recurring.delete()


def _uuid_or_none(value):
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _task_fields(recurring: RecurringTask, slot: datetime) -> dict:
    """The Task an occurrence becomes: the template's title and description, its task fields, and the
    occurrence in the context (a project deleted since is left out, not an error)."""
    template = recurring.task_template or {}
    project_id = _uuid_or_none(template.get("project_id"))
    project = Project.objects.filter(user_id=recurring.user_id, pk=project_id).first() if project_id else None
    context = template.get("context") if isinstance(template.get("context"), dict) else {}
    return {
        "description": recurring.description,
        "priority": template.get("priority"),
        "assignee": template.get("assignee"),
        "project": project,
        "tags": template.get("tags"),
        "context": {**context, "recurring": {"recurring_task_id": str(recurring.pk), "scheduled_for": slot.isoformat()}},
        "source": TaskSource.RECURRING,
        "recurring_task": recurring,
        "scheduled_for": slot,
    }


def recurring_task_for_slot(*, by: Attribution, recurring: RecurringTask, slot: datetime) -> tuple[Task, bool]:
    """The task of occurrence `slot`, made through task_create (Log + task.created) unless it exists.
    Returns (task, created).

    INSERT … ON CONFLICT DO NOTHING semantics on the unique key (recurring_task, scheduled_for): the
    insert runs in a savepoint; if another transaction inserted the same slot, PostgreSQL makes this
    insert wait for it and then refuse it, the savepoint is rolled back and that row is returned.
    """
    existing = Task.objects.filter(recurring_task=recurring, scheduled_for=slot).first()
    if existing is not None:
        return existing, False
    try:
        task = task_create(by=by, title=recurring.title, **_task_fields(recurring, slot))
    except IntegrityError as exc:
        if getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None) != SLOT_KEY:
            raise
        return Task.objects.get(recurring_task=recurring, scheduled_for=slot), False
    return task, True


def _run_slot(current: RecurringTask, *, by: Attribution, slot: datetime, now: datetime, trigger: str) -> RecurringRun:
    """Materialize occurrence `slot` of the locked template and move next_run to the first occurrence
    after both the slot and now (occurrences missed while nothing ran are skipped, not piled up)."""
    zone = by.user.zone
    anchor = series_anchor(current, zone)
    task, created = recurring_task_for_slot(recurring=current, by=by, slot=slot)
    current.next_run = occurrence_after(frequency=current.frequency, cron_expression=current.cron_expression,
                                        anchor=anchor, after=max(slot, now), zone=zone)
    current.schedule_anchor = anchor if current.frequency != Frequency.CUSTOM else current.next_run
    current.last_run = now
    current.save(update_fields=["next_run", "schedule_anchor", "last_run"])
    log_record(action=LogAction.RECURRING_RUN, by=by, entity=current,
               details={"title": current.title, "scheduled_for": slot.isoformat(), "task_id": str(task.pk),
                        "created": created, "next_run": current.next_run.isoformat(), "trigger": trigger})
    return RecurringRun(recurring=current, task=task, created=created, scheduled_for=slot)


@transaction.atomic
def recurring_run(*, by: Attribution, recurring: RecurringTask, scheduled_for: datetime | None = None) -> RecurringRun:
    """Run a template's next occurrence now, due or early, and reschedule (POST /api/recurring/{id}/run).

    `scheduled_for` (the next_run seen in /api/recurring/due) makes the call idempotent: if that
    occurrence already has its task (the beat or another agent ran it), that task comes back with
    created false and nothing else happens. An occurrence that is neither done nor the next one is a
    409; so is running a paused template.
    """
    current = _locked(recurring)
    if scheduled_for is not None:
        done = Task.objects.filter(recurring_task=current, scheduled_for=scheduled_for).first()
        if done is not None:
            return RecurringRun(recurring=current, task=done, created=False, scheduled_for=scheduled_for)
        if scheduled_for != current.next_run:
            raise Conflict(
                f"'{current.title}' has no occurrence at {scheduled_for.isoformat()} to run: its next run is "
                f"{current.next_run.isoformat()}. Run that one (send it as scheduled_for, or send nothing).",
                code=ErrorCode.NOT_NEXT_OCCURRENCE,
                details={"recurring_id": str(current.pk), "next_run": current.next_run.isoformat(),
                         "scheduled_for": scheduled_for.isoformat()},
            )
    if not current.active:
        raise Conflict(f"'{current.title}' is paused (active: false). Activate it first: PATCH "
                       f"/api/recurring/{current.pk} with active true.", code=ErrorCode.RECURRING_INACTIVE,
                       details={"recurring_id": str(current.pk), "active": False})
    return _run_slot(current, by=by, slot=current.next_run, now=timezone.now(), trigger="api")


def recurring_materialize_due(*, now: datetime | None = None) -> list[RecurringRun]:
    """Every due active template of the current tenant schema becomes one task and moves on (the beat's
    per-tenant job). One transaction per template, so one that fails is logged and retried at the next
    beat while the others go on. A template another worker holds is skipped (SKIP LOCKED): that worker
    is running it; one already advanced past `now` is left alone."""
    now = now or timezone.now()
    runs = []
    for pk in recurring_due_ids(now=now):
        try:
            with transaction.atomic():
                current = (RecurringTask.objects.select_for_update(skip_locked=True, of=("self",))
                           .select_related("user").filter(pk=pk).first())
                if current is None or not current.active or current.next_run > now:
                    continue
                runs.append(_run_slot(current, by=Attribution.system(current.user), slot=current.next_run, now=now,
                                      trigger="beat"))
        except Exception:  # noqa: BLE001 - one broken template must not stop the others; retried next beat
            logger.exception("recurring task %s not materialized", pk)
    return runs
