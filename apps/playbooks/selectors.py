"""Reads for playbooks."""

from django.db.models import QuerySet

from apps.activity.models import Log

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
