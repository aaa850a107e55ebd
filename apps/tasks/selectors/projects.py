"""Reads of projects (projects, initiatives and goals)."""

from django.db.models import QuerySet

from apps.core.filters import filterset_apply

from ..filters import ProjectFilter
from ..models import Project


def project_queryset(*, user) -> QuerySet[Project]:
    return (Project.objects.filter(user=user).select_related("parent", "client")
            .defer("search_vector", "parent__search_vector", "client__search_vector"))


def project_get(*, user, project_id) -> Project:
    return project_queryset(user=user).get(pk=project_id)


def project_list(*, user, filters: dict) -> QuerySet[Project]:
    """Projects of `user` narrowed by the query parameters of apps.tasks.filters.ProjectFilter (status,
    type, parent_id, top_level, client_id, search; ordering); a bad value is a 400 naming the parameter."""
    return filterset_apply(ProjectFilter, filters, project_queryset(user=user))
