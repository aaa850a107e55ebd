"""Reads for questions."""

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Count, Q, QuerySet, Value

from apps.core.filters import filterset_apply

from .filters import QuestionFilter
from .models import Question, QuestionStatus


def question_queryset(*, user) -> QuerySet[Question]:
    """Questions with how many tasks each currently blocks and the ids of all tasks it is linked to."""
    return Question.objects.filter(user=user).annotate(
        blocking_count=Count("question_unblocks", filter=Q(question_unblocks__task__status="blocked"), distinct=True),
        # the LEFT JOIN gives one NULL row to a question without tasks: aggregate only real links
        linked_task_ids=ArrayAgg("question_unblocks__task_id", distinct=True,
                                 filter=Q(question_unblocks__task_id__isnull=False), default=Value([])),
    )


def question_list(*, user, filters: dict) -> QuerySet[Question]:
    """The user's questions, most pressing first (priority, then newest), narrowed by the query
    parameters of apps.questions.filters.QuestionFilter (status, priority); a bad value is a 400 naming
    the parameter."""
    return filterset_apply(QuestionFilter, filters, question_queryset(user=user).order_by("priority", "-created_at"))


def question_unanswered(*, user) -> QuerySet[Question]:
    """Unanswered questions, most pressing first: priority, then how many tasks each blocks, then age."""
    return question_queryset(user=user).filter(status=QuestionStatus.UNANSWERED).order_by(
        "priority", "-blocking_count", "created_at"
    )


def question_get(*, user, question_id) -> Question:
    return question_queryset(user=user).get(pk=question_id)
