"""Reads of the audit trail."""

from django.db.models import Q, QuerySet

from apps.core.filters import filterset_apply

from .filters import LogFilter
from .models import Log

HISTORY_LIMIT = 20  # Log rows a context shows, newest first


def log_queryset(*, user) -> QuerySet[Log]:
    """The user's log entries and the workspace's own (system entries with no user, e.g. the tenant
    being created), newest first."""
    return Log.objects.filter(Q(user=user) | Q(user__isnull=True)).order_by("-timestamp", "-created_at")


def log_list(*, user, filters: dict) -> QuerySet[Log]:
    """The user's and the workspace's log entries, newest first, narrowed by the query parameters of
    apps.activity.filters.LogFilter (entity_type, entity_id, actor, action or an action prefix,
    start_date, end_date in the user's time zone); a bad value is a 400 naming the parameter."""
    return filterset_apply(LogFilter, filters, log_queryset(user=user), user=user)


def entity_history(*, entity_type: str, entity_id, limit: int = HISTORY_LIMIT) -> list[Log]:
    """The newest Log rows of one entity."""
    return history_where(where=Q(entity_type=entity_type, entity_id=entity_id), limit=limit)


def history_where(*, where: Q, limit: int = HISTORY_LIMIT) -> list[Log]:
    """The newest Log rows matching `where` (e.g. an entity and the tasks about it)."""
    return list(Log.objects.filter(where).order_by("-timestamp")[:limit])
