"""Reads for tasks: next-task selection, lists, and the context Claude works from."""

from django.db.models import F, Q, QuerySet

from apps.activity.models import Log
from apps.playbooks.matching import PlaybookMatch, playbooks_match

from .models import Assignee, Task, TaskPerson, TaskStatus

HISTORY_LIMIT = 20
RECENT_LIMIT = 5
RELATED_LIMIT = 10

NEXT_ORDER = ("priority", F("due_date").asc(nulls_last=True), "created_at")


def task_next(*, user) -> Task | None:
    """The highest-priority unblocked queued task assigned to Claude: priority 1 first, then the
    earliest due date (undated last), then the oldest. No side effects (see task_claim to take it).
    Served by the partial index idx_tasks_next."""
    return (
        Task.objects.select_related("project")
        .defer("search_vector", "project__search_vector")
        .filter(user=user, status=TaskStatus.QUEUED, assignee=Assignee.CLAUDE, blocking_question__isnull=True)
        .order_by(*NEXT_ORDER)
        .first()
    )


def task_queryset(*, user) -> QuerySet[Task]:
    return Task.objects.filter(user=user).select_related("project").defer("search_vector", "project__search_vector")


def task_get(*, user, task_id) -> Task:
    return task_queryset(user=user).get(pk=task_id)


def task_people(*, task: Task) -> list[TaskPerson]:
    return list(TaskPerson.objects.filter(task=task).select_related("person__client")
                .defer("person__search_vector", "person__client__search_vector").order_by("person__name"))


def entity_history(*, entity_type: str, entity_id, limit: int = HISTORY_LIMIT) -> list[Log]:
    return list(Log.objects.filter(entity_type=entity_type, entity_id=entity_id).order_by("-timestamp")[:limit])


def task_context(*, task: Task, user) -> dict:
    """Everything Claude needs beside the task itself, in a constant number of queries:
    the people (with relationship context), the project and its recent tasks, related tasks (same
    project or same people), the task's history, and the playbooks that apply."""
    people = task_people(task=task)
    person_ids = [tp.person_id for tp in people]
    recent = []
    if task.project_id:
        recent = list(task_queryset(user=user).filter(project_id=task.project_id).exclude(pk=task.pk)
                      .order_by("-updated_at")[:RECENT_LIMIT])
    related_filter = Q(task_people__person_id__in=person_ids)
    if task.project_id:
        related_filter |= Q(project_id=task.project_id, status__in=Task.OPEN_STATUSES)
    related = list(task_queryset(user=user).filter(related_filter).exclude(pk=task.pk).distinct()
                   .order_by("-updated_at")[:RELATED_LIMIT]) if person_ids or task.project_id else []
    return {
        "people": people,
        "project": task.project,
        "recent_tasks": recent,
        "related_tasks": related,
        "history": entity_history(entity_type="task", entity_id=task.pk),
        "playbooks": task_playbooks(task=task, user=user),
    }


def task_playbooks(*, task: Task, user) -> PlaybookMatch:
    return playbooks_match(user=user, text=f"{task.title}\n{task.description or ''}")
