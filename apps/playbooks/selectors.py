"""Reads for playbooks."""

from django.db.models import QuerySet

from apps.activity.models import Log
from apps.core.errors import InvalidInput, NotFound
from apps.tasks.models import Task
from apps.tasks.selectors.tasks import task_queryset

from .models import Playbook

CONSULTED_ACTION = "playbook.consulted"


def playbook_list(*, user, filters: dict | None = None) -> QuerySet[Playbook]:
    qs = Playbook.objects.filter(user=user).defer("search_vector")
    filters = filters or {}
    for key in ("category", "status", "must_consult"):
        if filters.get(key) not in (None, ""):
            qs = qs.filter(**{key: filters[key]})
    return qs.order_by("name")


def playbook_get(*, user, playbook_id) -> Playbook:
    return Playbook.objects.defer("search_vector").get(user=user, pk=playbook_id)


def playbook_source_task(*, user, task_id, field: str = "source_task_id") -> Task | None:
    """The task a playbook was learned from, in the caller's workspace; an id of another workspace
    is the same unknown id (400 naming the field: it is the body that is wrong, not the URL)."""
    if task_id is None:
        return None
    task = Task.objects.filter(user=user, pk=task_id).only("id", "title").first()
    if task is None:
        problem = f"no task {task_id} in this workspace."
        raise InvalidInput(f"{field}: {problem}", details={field: [problem]})
    return task


def playbook_consulting_task(*, user, task_id) -> Task | None:
    """The task a playbook is read for (GET /api/playbooks/{id}?task_id=…), in the caller's workspace;
    an unknown or foreign id is a 404 naming task_id."""
    if task_id is None:
        return None
    task = task_queryset(user=user).filter(pk=task_id).first()
    if task is None:
        raise NotFound(f"task_id: no task {task_id} in this workspace.")
    return task


def playbooks_consulted_for_task(*, task, playbook_ids) -> set:
    """Which of these playbooks were served in full for this task (the audit log says so)."""
    if not playbook_ids:
        return set()
    return set(
        Log.objects.filter(
            entity_type="playbook", entity_id__in=list(playbook_ids), action=CONSULTED_ACTION,
            details__task_id=str(task.pk),
        ).values_list("entity_id", flat=True)
    )
