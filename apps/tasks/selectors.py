"""Reads for tasks and projects: next-task selection and the querysets the lists and contexts start from."""

from django.db.models import F, QuerySet

from .models import Assignee, Project, Task, TaskPerson, TaskStatus

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


# --- projects ---------------------------------------------------------------------------------

def project_queryset(*, user) -> QuerySet[Project]:
    return (Project.objects.filter(user=user).select_related("parent", "client")
            .defer("search_vector", "parent__search_vector", "client__search_vector"))


def project_get(*, user, project_id) -> Project:
    return project_queryset(user=user).get(pk=project_id)
