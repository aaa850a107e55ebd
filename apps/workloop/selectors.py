"""The one read behind GET /api/tasks/next, POST /api/tasks/claim and POST /api/tasks/{id}/start:
the task Claude works on and everything it works from, as one result (Work). The responses are
serialized from it (apps.workloop.serializers), and the OpenAPI schema describes those serializers,
so the documented shape is the shape served."""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from apps.activity.models import Log
from apps.context.selectors.tasks import task_context
from apps.people.models import Person
from apps.playbooks.matching import MustConsult, PlaybookMatchResult
from apps.tasks.models import Assignee, Project, Task, TaskStatus
from apps.tasks.selectors.tasks import NEXT_ORDER, task_queryset
from apps.tenants.selectors import workspace_paused


def task_next_queryset(*, user) -> QuerySet[Task]:
    """Claude's queue in next-task order: unblocked queued tasks assigned to Claude, priority 1
    first, then the earliest due date (undated last), then the oldest. Served by the partial index
    idx_tasks_next."""
    return (task_queryset(user=user)
            .filter(status=TaskStatus.QUEUED, assignee=Assignee.CLAUDE, blocking_question__isnull=True)
            .order_by(*NEXT_ORDER))


def task_next(*, user) -> Task | None:
    """The next task of Claude's queue. No side effects (see task_claim to take it)."""
    return task_next_queryset(user=user).first()


@dataclass(frozen=True)
class WorkContext:
    """What surrounds the task: its people (and each one's role on it), its project with the
    project's most recently updated other tasks, related tasks (same project or same people), and
    the task's history, newest first."""

    people: list[Person]
    roles: dict  # person id → role on the task (TaskPerson.role), or None
    project: Project | None
    recent_tasks: list[Task]
    related_tasks: list[Task]
    history: list[Log]


@dataclass(frozen=True)
class Work:
    """The task Claude works on and what it works from; without a task (nothing queued), every part
    is empty. `matched_playbooks` are the playbooks that apply; `must_consult_warnings` the ones to
    read in full first (principle 6)."""

    task: Task | None = None
    context: WorkContext | None = None
    reason: str | None = None  # why there is no work when it is not an empty queue: "paused"
    matched_playbooks: list[PlaybookMatchResult] = field(default_factory=list)
    must_consult_warnings: list[MustConsult] = field(default_factory=list)


def work_paused() -> Work | None:
    """No work while the owner has paused Claude for the workspace (apps.tenants.services.workspace_pause)."""
    return Work(reason="paused") if workspace_paused() is not None else None


def work_next(*, user) -> Work:
    """GET /api/tasks/next: the next task's Work, or none and why (paused)."""
    return work_paused() or work_get(task=task_next(user=user), user=user)


def work_claimed(*, task: Task | None, user) -> Work:
    """POST /api/tasks/claim: the claimed task's Work, or none and why (paused)."""
    return work_get(task=task, user=user) if task is not None else work_paused() or Work()


def work_get(*, task: Task | None, user) -> Work:
    """The Work for `task` (an empty one for None), in a constant number of queries whatever the
    number of people, tasks, log rows and playbooks around it (apps.context.selectors.tasks.task_context)."""
    if task is None:
        return Work()
    context = task_context(task=task, user=user)
    return Work(
        task=task,
        context=WorkContext(
            people=[link.person for link in context["people"]],
            roles={link.person_id: link.role for link in context["people"]},
            project=context["project"],
            recent_tasks=context["recent_tasks"],
            related_tasks=context["related_tasks"],
            history=context["history"],
        ),
        matched_playbooks=context["playbooks"].matched,
        must_consult_warnings=context["playbooks"].must_consult,
    )
