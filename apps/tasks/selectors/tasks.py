"""Reads for tasks: the list, the body's references, and the querysets the contexts and the loop start from."""

from django.db.models import F, QuerySet

from apps.core.filters import filterset_apply
from apps.core.selectors import reference_get, references_get
from apps.people.models import Person

from ..filters import TaskFilter
from ..models import Project, Task, TaskPerson

NEXT_ORDER = ("priority", F("due_date").asc(nulls_last=True), "created_at")


def task_queryset(*, user) -> QuerySet[Task]:
    return Task.objects.filter(user=user).select_related("project").defer("search_vector", "project__search_vector")


def task_get(*, user, task_id) -> Task:
    return task_queryset(user=user).get(pk=task_id)


def task_list(*, user, filters: dict) -> QuerySet[Task]:
    """Tasks of `user` narrowed by the query parameters of apps.tasks.filters.TaskFilter (status, assignee,
    project_id, priority, due dates, tag, search; ordering); a bad value is a 400 naming the parameter."""
    return filterset_apply(TaskFilter, filters, task_queryset(user=user))


def task_references_get(*, user, fields: dict) -> dict:
    """A task's fields from a request body with their references resolved in this workspace:
    `project_id` → `project`, `people` [{person_id, role}] → [{person, role}]. An unknown id, or
    another workspace's, is a 400 naming the field (project_id, people), all people in one query."""
    fields = dict(fields)
    if "project_id" in fields:
        fields["project"] = reference_get(Project, user=user, field="project_id", value=fields.pop("project_id"))
    if "people" in fields:
        people = fields["people"]
        found = references_get(Person, user=user, field="people", values=[p["person_id"] for p in people])
        fields["people"] = [{"person": found[str(p["person_id"])], "role": p.get("role")} for p in people]
    return fields


def task_people(*, task: Task) -> list[TaskPerson]:
    return list(TaskPerson.objects.filter(task=task).select_related("person__client")
                .defer("person__search_vector", "person__client__search_vector").order_by("person__name"))
