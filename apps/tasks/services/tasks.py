"""Every write to tasks, and the task state machine (seed: "Task State Machine").

    queued ──start/claim──▶ working ──complete──▶ completed
                              │  ▲
                            block│  │(question answered → queued → start again)
                              ▼  │
                            blocked ──(answered/dismissed)──▶ queued
    queued | working | blocked ──cancel──▶ cancelled

Each move is row-locked (apps.core.states: of two agents starting one task, the second gets a 409
naming the state and what to do), sets its timestamps, writes the audit Log and publishes
`task.status_changed` on commit. Claiming is apps.workloop.services.task_claim.

Only the moves live here. What a move means in Claude's loop (the knowledge step before completing,
follow-ups, must-consult warnings) is apps.workloop.services; blocking on a new question is
apps.questions.services.task_block. The owner's words in a description are handed on through
apps.core.owner_words (knowledge sits above tasks).
"""

from django.db import transaction
from django.utils import timezone

from apps.activity.attribution import Attribution
from apps.activity.models import Actor, LogAction
from apps.activity.services import log_record
from apps.core.error_codes import ErrorCode
from apps.core.errors import Conflict, InvalidInput
from apps.core.owner_words import owner_words_heard
from apps.core.services import model_update
from apps.core.states import StateMachine

from ..models import Task, TaskPerson, TaskSource, TaskStatus

QUEUED, WORKING, BLOCKED = TaskStatus.QUEUED, TaskStatus.WORKING, TaskStatus.BLOCKED
COMPLETED, CANCELLED = TaskStatus.COMPLETED, TaskStatus.CANCELLED

# action: (states it may start from, state it leads to)
TRANSITIONS = {
    "start": ({QUEUED}, WORKING),
    "complete": ({WORKING}, COMPLETED),
    "block": ({QUEUED, WORKING}, BLOCKED),
    "requeue": ({BLOCKED}, QUEUED),
    "cancel": ({QUEUED, WORKING, BLOCKED}, CANCELLED),
    "stop": ({WORKING}, CANCELLED),  # the owner's brake on the task Claude is working on
}


def _hint(task: Task, action: str) -> str:
    """What to do instead, for each illegal move."""
    tid = task.pk
    if task.status == COMPLETED:
        return "It is already completed; create a follow-up task (POST /api/tasks) if more work is needed."
    if task.status == CANCELLED:
        return "It was cancelled; create a new task if the work is still needed."
    if task.status == BLOCKED:
        return (f"It is waiting on question {task.blocking_question_id}; it returns to the queue when that "
                f"question is answered (PUT /api/questions/{task.blocking_question_id}/answer).")
    if task.status == WORKING and action == "start":
        return (f"It was started at {task.started_at:%Y-%m-%d %H:%M:%S} UTC by another agent; take another task "
                "with POST /api/tasks/claim.")
    if task.status == QUEUED and action == "complete":
        return f"Start it first: POST /api/tasks/{tid}/start."
    if action == "requeue":
        return "Only a blocked task goes back to the queue."
    return ""


ACTIONS = {"start": LogAction.TASK_STARTED, "complete": LogAction.TASK_COMPLETED, "block": LogAction.TASK_BLOCKED,
           "requeue": LogAction.TASK_REQUEUED, "cancel": LogAction.TASK_CANCELLED, "stop": LogAction.TASK_STOPPED}


def _stopped_guard(task: Task, action: str) -> None:
    """A task the owner stopped answers every later move with his note (409 stopped_by_owner)."""
    stop = task.context.get("stopped_by_owner") if task.status == CANCELLED else None
    if stop:
        raise Conflict(f"The owner stopped task '{task.title}' at {stop['at']}: {stop['note']} Leave it; take the "
                       "next task (POST /api/tasks/claim).", code=ErrorCode.STOPPED_BY_OWNER,
                       details={"task_id": str(task.pk), "note": stop["note"], "stopped_at": stop["at"]})


TASK_STATES = StateMachine(moves=TRANSITIONS, name=lambda task: f"task '{task.title}'", hint=_hint,
                           guard=_stopped_guard)


def task_lock(*, task: Task, action: str) -> Task:
    """The task's row, locked for this transaction, if its current state allows `action` (else 409
    naming the state and the way out): for a caller that must check the state before anything else
    it does (completing, blocking on a question), then moves the task."""
    return TASK_STATES.lock(task, action)


def _transition(*, by: Attribution, task: Task, action: str, details=None, **changes) -> Task:
    """Move `task` by `action` (409 when its current state does not allow it) and log the move."""
    current, old_status = TASK_STATES.move(task, action, **changes)
    log_record(action=ACTIONS[action], event_type="task.status_changed", by=by, entity=current,
               details={"task_id": str(current.pk), "title": current.title, "old_status": old_status,
                        "new_status": current.status, **(details or {})})
    return current


# --- creating and editing ---------------------------------------------------------------------

EDITABLE_FIELDS = ("title", "description", "priority", "assignee", "project", "due_date", "context", "tags", "source")


def _set_people(task: Task, people: list[dict]) -> bool:
    """Replace the task's people with [{person, role}] (persons already checked to be the user's);
    False when they were already those."""
    wanted = {(p["person"].pk, p.get("role")) for p in people}
    if set(TaskPerson.objects.filter(task=task).values_list("person_id", "role")) == wanted:
        return False
    TaskPerson.objects.filter(task=task).delete()
    TaskPerson.objects.bulk_create([TaskPerson(task=task, person=p["person"], role=p.get("role")) for p in people])
    return True


@transaction.atomic
def task_create(*, by: Attribution, title: str, people: list[dict] | None = None, **fields) -> Task:
    """A new queued task of the workspace (fields as in EDITABLE_FIELDS; `people` as [{person, role}])."""
    fields.setdefault("source", TaskSource.CLAUDE if by.actor == Actor.CLAUDE else TaskSource.MANUAL)
    task = Task.objects.create(user=by.user, title=title, **{k: v for k, v in fields.items() if v is not None})
    if people:
        _set_people(task, people)
    log_record(action=LogAction.TASK_CREATED, by=by, entity=task,
               details={"title": task.title, "priority": task.priority, "assignee": task.assignee,
                        "status": task.status})
    if by.actor == Actor.USER and task.description:  # the owner's words: trigger phrases are captured
        owner_words_heard(by=by, text=task.description, source_task=task)
    return task


@transaction.atomic
def task_update(*, by: Attribution, task: Task, people: list[dict] | None = None, **changes) -> Task:
    """Change a task's editable fields and (`people` given) its people. Status moves only through the
    transitions below. A change that changes nothing writes nothing and logs nothing. The row is
    locked first, so an edit racing a stop or a completion sees where the task now is."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    _stopped_guard(task, "update")
    if task.status in (COMPLETED, CANCELLED):
        raise Conflict(f"Task '{task.title}' is {task.status} and can no longer be edited. {_hint(task, 'update')}",
                       code=ErrorCode.INVALID_TRANSITION, details={"task_id": str(task.pk), "status": task.status})
    changed = model_update(instance=task, changes=changes)
    if people is not None and _set_people(task, people):
        changed.append("people")
    if changed:
        log_record(action=LogAction.TASK_UPDATED, by=by, entity=task, details={"fields": changed})
    if by.actor == Actor.USER and "description" in changed and task.description:
        owner_words_heard(by=by, text=task.description, source_task=task)
    return task


# --- the work loop ----------------------------------------------------------------------------

@transaction.atomic
def task_start(*, by: Attribution, task: Task) -> Task:
    """Claim a queued task (409 when another agent got it first)."""
    return _transition(task=task, action="start", by=by, started_at=timezone.now(), completed_at=None)


@transaction.atomic
def task_complete(*, by: Attribution, task: Task, output: str | None, learnings_captured: bool) -> Task:
    """Move a working task to completed with its output (409 from any other state). The audit Log
    records whether the knowledge step was done (`learnings_captured`); the step itself, and what
    else completing means in Claude's loop, is apps.workloop.services.work_complete."""
    return _transition(task=task, action="complete", by=by,
                       completed_at=timezone.now(), output=output, details={"learnings_captured": learnings_captured})


def task_mark_blocked(*, by: Attribution, task: Task, question) -> Task:
    """An open task linked to a new question waits on it (a task already blocked keeps waiting on
    its first question; the new one is linked too and takes over when the first is answered)."""
    if task.status == BLOCKED:
        return task
    return _transition(task=task, action="block", by=by,
                       blocking_question=question, details={"question_id": str(question.pk)})


def task_answer_note(*, task: Task, note: dict, next_question=None) -> Task:
    """A question linked to `task` was answered or dismissed while the task stays where it is: the
    note goes into context.answers (Claude sees it on its next pick). `next_question`: a blocked
    task whose blocking question this was now waits on that one. The caller holds the row lock."""
    task.context = {**task.context, "answers": [*task.context.get("answers", []), note]}
    fields = ["context", "updated_at"]
    if next_question is not None:
        task.blocking_question = next_question
        fields.append("blocking_question")
    task.save(update_fields=fields)
    return task


def task_requeue(*, by: Attribution, task: Task, question, note: dict) -> Task:
    """The last open question a blocked task waited on was answered or dismissed: put the note into
    the task's context (Claude sees it on its next pick) and requeue it."""
    answers = [*task.context.get("answers", []), note]
    return _transition(task=task, action="requeue", by=by,
                       blocking_question=None, started_at=None, context={**task.context, "answers": answers},
                       details={"question_id": note.get("question_id")})


@transaction.atomic
def task_stop(*, by: Attribution, task: Task, note: str) -> Task:
    """The owner stops the task Claude is working on: it is cancelled with his note, and Claude's next
    call on it answers 409 stopped_by_owner carrying the note. Only the owner stops."""
    by.owner_decides("stop a task Claude is working on", page=f"/tasks/{task.pk}/")
    note = (note or "").strip()
    if not note:
        raise InvalidInput.field("note", "say why, for Claude: it gets the note on its next call")
    stop = {"note": note, "at": timezone.now().isoformat()}
    return _transition(task=task, action="stop", by=by, context={**task.context, "stopped_by_owner": stop},
                       details={"note": note})


@transaction.atomic
def task_cancel(*, by: Attribution, task: Task, reason: str | None = None) -> Task:
    """Soft delete: the task is cancelled and kept (DELETE /api/tasks/{id})."""
    return _transition(task=task, action="cancel", by=by, details={"reason": reason} if reason else None)
