"""Reads of waiting items."""

from datetime import datetime

from django.db.models import F, QuerySet
from django.utils import timezone

from apps.core.filters import query_validate

from ..filters import WaitingListQuerySerializer
from ..models import WaitingItem, WaitingStatus


def waiting_queryset(*, user) -> QuerySet[WaitingItem]:
    return WaitingItem.objects.filter(user=user)


def waiting_list(*, user, filters: dict) -> QuerySet[WaitingItem]:
    """Waiting items of `user`, next follow-up first (undated last); filters (query parameters): status,
    person_id, task_id. A bad value is a 400 naming the parameter."""
    filters, rows = query_validate(WaitingListQuerySerializer, filters), waiting_queryset(user=user)
    for key in ("status", "person_id", "task_id"):
        if filters.get(key) is not None:
            rows = rows.filter(**{key: filters[key]})
    return rows.order_by(F("follow_up_date").asc(nulls_last=True), "since", "created_at")


def waiting_overdue(*, user, now: datetime | None = None) -> QuerySet[WaitingItem]:
    """Open items whose follow-up date has passed, most overdue first (served by idx_waiting_follow_up)."""
    return waiting_queryset(user=user).filter(status=WaitingStatus.WAITING, follow_up_date__lt=now or timezone.now()) \
        .order_by("follow_up_date", "created_at")
