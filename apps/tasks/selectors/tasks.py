"""Reads for tasks and projects: next-task selection, lists, and the context Claude works from."""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet

from apps.activity.models import Log
from apps.core.errors import InvalidInput
from apps.core.pagination import limited
from apps.people.models import Person
from apps.playbooks.matching import PlaybookMatch, playbooks_match
from apps.playbooks.models import Playbook, PlaybookStatus

from ..filters import TaskFilter, filterset_apply
from ..models import Assignee, Project, Task, TaskPerson, TaskStatus
from .projects import project_queryset

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


def task_list(*, user, filters: dict) -> QuerySet[Task]:
    """Tasks of `user` narrowed by the query parameters of apps.tasks.filters.TaskFilter (status, assignee,
    project_id, priority, due dates, tag, search; ordering); a bad value is a 400 naming the parameter."""
    return filterset_apply(TaskFilter, filters, task_queryset(user=user))


def people_for_user(*, user, people: list[dict]) -> list[dict]:
    """[{person_id, role}] of a request body as [{person, role}], each person of this workspace (else 400
    naming people)."""
    found = Person.objects.filter(user=user, pk__in=[p["person_id"] for p in people]).in_bulk()
    missing = [str(p["person_id"]) for p in people if p["person_id"] not in found]
    if missing:
        raise InvalidInput.field("people", f"no such person in this workspace: {', '.join(missing)}")
    return [{"person": found[p["person_id"]], "role": p.get("role")} for p in people]


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


# --- shared by the context endpoints ----------------------------------------------------------

def history_where(*, where: Q, limit: int = HISTORY_LIMIT) -> list[Log]:
    """The newest Log rows matching `where` (e.g. an entity and the tasks about it)."""
    return list(Log.objects.filter(where).order_by("-timestamp")[:limit])


@dataclass(frozen=True)
class RelevantPlaybook:
    playbook: Playbook
    match_reason: str
    relevance_score: float
    warning: str | None = None  # must-consult playbooks: read it in full before the work


def playbooks_relevant(*, user, text: str = "", categories: tuple[str, ...] = (),
                       match: PlaybookMatch | None = None) -> list[RelevantPlaybook]:
    """The playbooks a context should point Claude to, as one list: those that match `text` (the
    rules of apps.playbooks.matching: triggers, then full-text similarity), the must-consult ones
    with their warning (also when only their category matched), then the active playbooks of
    `categories` (e.g. communication, before dealing with a person). Pass `match` when the caller
    already matched."""
    match = match if match is not None else playbooks_match(user=user, text=text)
    warnings = {m.playbook.pk: m.warning for m in match.must_consult}
    relevant = [RelevantPlaybook(m.playbook, m.match_reason, m.relevance_score, warnings.get(m.playbook.pk))
                for m in match.matched]
    seen = {r.playbook.pk for r in relevant}
    for must in match.must_consult:
        if must.playbook.pk not in seen:
            relevant.append(RelevantPlaybook(must.playbook, f"must consult: {must.playbook.category or 'this'} work",
                                             0.0, must.warning))
            seen.add(must.playbook.pk)
    if categories:
        for playbook in (Playbook.objects.filter(user=user, status=PlaybookStatus.ACTIVE, category__in=categories)
                         .exclude(pk__in=seen).defer("search_vector").order_by("-must_consult", "name")[:RELATED_LIMIT]):
            warning = (f"MUST consult '{playbook.name}' before any {playbook.category} work: "
                       f"GET /api/playbooks/{playbook.pk}?task_id=<task id>") if playbook.must_consult else None
            relevant.append(RelevantPlaybook(playbook, f"category: {playbook.category}", 0.0, warning))
    return relevant


# --- the context endpoints (GET /api/context/task|project/{id}) --------------------------------

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
        Person.objects.filter(user=user, pk__in=TaskPerson.objects.filter(task__project=project).values("person_id"))
        .select_related("client").defer("search_vector", "client__search_vector").order_by("name")
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
