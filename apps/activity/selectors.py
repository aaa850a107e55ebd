"""Reads of the audit trail."""

from django.db.models import Q, QuerySet

from .models import Log


def log_queryset(*, user) -> QuerySet[Log]:
    """The user's log entries and the workspace's own (system entries with no user, e.g. the tenant
    being created), newest first."""
    return Log.objects.filter(Q(user=user) | Q(user__isnull=True)).order_by("-timestamp", "-created_at")
