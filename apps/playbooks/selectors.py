"""Reads for playbooks."""

from dataclasses import dataclass

from django.db.models import QuerySet

from apps.activity.models import Log, LogAction
from apps.core.errors import NotFound
from apps.core.filters import query_validate
from apps.tasks.models import Task
from apps.tasks.selectors.tasks import task_queryset

from .filters import PlaybookListQuerySerializer
from .matching import MustConsult, PlaybookMatch, playbooks_match
from .models import Playbook, PlaybookStatus

CATEGORY_LIMIT = 10  # playbooks a context adds for its categories


def playbook_list(*, user, filters: dict | None = None) -> QuerySet[Playbook]:
    """Playbooks of `user` by name, narrowed by the query parameters of
    apps.playbooks.filters.PlaybookListQuerySerializer: category, must_consult, status (active unless
    told). A blank parameter counts as absent; a bad value is a 400 naming the parameter."""
    filters = query_validate(PlaybookListQuerySerializer, filters or {}, blank_is_absent=True)
    qs = Playbook.objects.filter(user=user).defer("search_vector")
    for key in ("category", "status", "must_consult"):
        if filters.get(key) is not None:
            qs = qs.filter(**{key: filters[key]})
    return qs.order_by("name")


def playbook_get(*, user, playbook_id) -> Playbook:
    return Playbook.objects.defer("search_vector").get(user=user, pk=playbook_id)


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
            entity_type="playbook", entity_id__in=list(playbook_ids), action=LogAction.PLAYBOOK_CONSULTED,
            details__task_id=str(task.pk),
        ).values_list("entity_id", flat=True)
    )


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
                         .exclude(pk__in=seen).defer("search_vector").order_by("-must_consult", "name")[:CATEGORY_LIMIT]):
            warning = (f"MUST consult '{playbook.name}' before any {playbook.category} work: "
                       f"GET /api/playbooks/{playbook.pk}?task_id=<task id>") if playbook.must_consult else None
            relevant.append(RelevantPlaybook(playbook, f"category: {playbook.category}", 0.0, warning))
    return relevant


def playbooks_for_task(*, task, user) -> PlaybookMatch:
    """The playbooks that apply to a task: matched against its title and description."""
    return playbooks_match(user=user, text=f"{task.title}\n{task.description or ''}")


def must_consult_skipped(*, task, user) -> list[MustConsult]:
    """Must-consult playbooks that match the task but were never served in full for it (GET
    /api/playbooks/{id}?task_id=…, logged as playbook.consulted)."""
    required = playbooks_for_task(task=task, user=user).must_consult
    consulted = playbooks_consulted_for_task(task=task, playbook_ids=[m.playbook.pk for m in required])
    return [m for m in required if m.playbook.pk not in consulted]
