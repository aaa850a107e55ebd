"""Reads of recurring task templates."""

from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from apps.core.filters import query_validate

from ..filters import RecurringListQuerySerializer
from ..models import RecurringTask


def recurring_queryset(*, user) -> QuerySet[RecurringTask]:
    return RecurringTask.objects.filter(user=user)


def recurring_list(*, user, filters: dict) -> QuerySet[RecurringTask]:
    """Templates of `user`, soonest next run first; filters (query parameters): active, frequency. A bad
    value is a 400 naming the parameter."""
    filters, rows = query_validate(RecurringListQuerySerializer, filters), recurring_queryset(user=user)
    if filters.get("active") is not None:
        rows = rows.filter(active=filters["active"])
    if filters.get("frequency"):
        rows = rows.filter(frequency=filters["frequency"])
    return rows.order_by("next_run", "created_at")


def recurring_due(*, user, now: datetime | None = None) -> QuerySet[RecurringTask]:
    """Active templates of `user` whose next run has come (served by idx_recurring_due)."""
    return recurring_queryset(user=user).filter(active=True, next_run__lte=now or timezone.now()) \
        .order_by("next_run", "created_at")


def recurring_due_ids(*, now: datetime) -> list:
    """Every due active template of the current schema, all owners (the beat's job)."""
    return list(RecurringTask.objects.filter(active=True, next_run__lte=now).order_by("next_run")
                .values_list("pk", flat=True))
