"""The context of a task and of a project (seed: "Context Retrieval"): what Claude reads before
working, and the `context` of the work loop's payload."""

from django.db.models import Count, Q

from apps.activity.selectors import entity_history, history_where
from apps.core.pagination import limited
from apps.people.selectors import person_queryset
from apps.playbooks.selectors import playbooks_for_task, playbooks_relevant
from apps.tasks.models import Project, Task, TaskPerson, TaskStatus
from apps.tasks.selectors.projects import project_queryset
from apps.tasks.selectors.tasks import task_people, task_queryset

RECENT_LIMIT = 5
RELATED_LIMIT = 10


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
        "playbooks": playbooks_for_task(task=task, user=user),
    }


def task_context_full(*, task: Task, user) -> dict:
    """GET /api/context/task/{id}, in the seed's shape: {task, project, related_people,
    related_tasks, history, relevant_playbooks}. Built on task_context (the same reads as the work
    loop), so it runs in a constant number of queries; `recent_tasks` feeds the project entry."""
    context = task_context(task=task, user=user)
    return {
        "task": task,
        "project": context["project"],
        "recent_tasks": context["recent_tasks"],
        "related_people": context["people"],
        "related_tasks": context["related_tasks"],
        "history": context["history"],
        "relevant_playbooks": playbooks_relevant(user=user, match=context["playbooks"]),
    }


def project_context(*, project: Project, user) -> dict:
    """GET /api/context/project/{id}: the project, its parent and child projects, its recent tasks
    and how many it has in each status, the people on its tasks, the history of the project and
    its tasks, and the playbooks that match it. A constant number of queries whatever the size;
    lists are capped (apps.core.pagination.LIST_LIMIT) and `counts` says how many there are in all."""
    tasks = task_queryset(user=user).filter(project=project)
    recent, tasks_total = limited(tasks.order_by("-updated_at"))
    children, children_total = limited(project_queryset(user=user).filter(parent=project).order_by("priority_order",
                                                                                                    "name"))
    people, people_total = limited(
        person_queryset(user=user).filter(pk__in=TaskPerson.objects.filter(task__project=project).values("person_id"))
        .order_by("name")
    )
    by_status = dict(tasks.order_by().values_list("status").annotate(n=Count("pk")))
    history = history_where(where=Q(entity_type="project", entity_id=project.pk)
                            | Q(entity_type="task", entity_id__in=Task.objects.filter(project=project).values("pk")))
    text = "\n".join(filter(None, [project.name, project.description, project.success_criteria]))
    return {
        "project": project,
        "parent": project.parent,
        "child_projects": children,
        "recent_tasks": recent,
        "task_counts": {status: by_status.get(status, 0) for status in TaskStatus.values},
        "people": people,
        "history": history,
        "relevant_playbooks": playbooks_relevant(user=user, text=text),
        "counts": {"tasks": tasks_total, "child_projects": children_total, "people": people_total},
    }
