"""Reads for knowledge."""

from django.db.models import Q, QuerySet

from apps.core.filters import query_validate
from apps.tasks.models import Task

from .filters import KnowledgeListQuerySerializer
from .models import Knowledge, KnowledgeSourceType, KnowledgeStatus

AWAITING = (KnowledgeStatus.CAPTURED, KnowledgeStatus.PENDING_REVIEW)


def knowledge_queryset(*, user) -> QuerySet[Knowledge]:
    return Knowledge.objects.filter(user=user)


def knowledge_list(*, user, filters: dict | None = None) -> QuerySet[Knowledge]:
    """Knowledge of `user`, newest first, narrowed by the query parameters of
    apps.knowledge.filters.KnowledgeListQuerySerializer: category, status, source_task_id. A blank
    parameter counts as absent; a bad value is a 400 naming the parameter."""
    filters = query_validate(KnowledgeListQuerySerializer, filters or {}, blank_is_absent=True)
    qs = knowledge_queryset(user=user)
    for key in ("category", "status", "source_task_id"):
        if filters.get(key) is not None:
            qs = qs.filter(**{key: filters[key]})
    return qs.order_by("-learned_at", "-created_at")


def knowledge_pending(*, user) -> QuerySet[Knowledge]:
    """What waits for a decision: auto-captured entries not routed yet (a trigger-phrase one still
    captured blocks completing its task) and entries routing could not place (pending_review),
    oldest first (a review queue)."""
    return knowledge_queryset(user=user).filter(status__in=AWAITING).order_by("learned_at", "created_at")


def knowledge_get(*, user, knowledge_id) -> Knowledge:
    return knowledge_queryset(user=user).get(pk=knowledge_id)


def _of_task(task) -> Q:
    """Entries of `task`: captured for it, or from the answer to a question it waited on."""
    return Q(source_task=task) | Q(source_question__question_unblocks__task=task)


def knowledge_open_triggers_for_task(*, task) -> list[Knowledge]:
    """Trigger-phrase entries of `task` nobody acted on yet (status captured): detected in its
    description, or in the answer to a question it waited on."""
    return list(
        Knowledge.objects.filter(source_type=KnowledgeSourceType.TRIGGER_PHRASE, status=KnowledgeStatus.CAPTURED)
        .filter(_of_task(task)).distinct().order_by("learned_at", "created_at")
    )


def knowledge_of_task(*, task, knowledge_id) -> Knowledge | None:
    """One entry of `task` (see _of_task), or None when `knowledge_id` is no entry of it."""
    return Knowledge.objects.filter(user_id=task.user_id, pk=knowledge_id).filter(_of_task(task)).distinct().first()


def knowledge_question_first_task(*, question):
    """The oldest task `question` blocked (the source task of what its answer taught), or None."""
    # through the task's side of the link (question_unblocks): knowledge sits above questions and
    # reads tasks, never the questions app's models
    return (Task.objects.filter(question_unblocks__question=question).defer("search_vector")
            .order_by("created_at").first())
