"""Query filters of GET /api/tasks (django-filter)."""

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.db.models import F

from .models import Assignee, Task, TaskStatus


class CharInFilter(django_filters.BaseInFilter, django_filters.CharFilter):
    pass


class TaskFilter(django_filters.FilterSet):
    status = CharInFilter(field_name="status", help_text="One or more of: " + ", ".join(TaskStatus.values)
                          + " (comma-separated).")
    assignee = django_filters.ChoiceFilter(choices=Assignee.choices)
    project_id = django_filters.UUIDFilter(field_name="project_id")
    priority = django_filters.NumberFilter(field_name="priority")
    priority_max = django_filters.NumberFilter(field_name="priority", lookup_expr="lte",
                                               help_text="Priority 1..N (1 is highest).")
    due_before = django_filters.IsoDateTimeFilter(field_name="due_date", lookup_expr="lt")
    due_after = django_filters.IsoDateTimeFilter(field_name="due_date", lookup_expr="gte")
    tag = django_filters.CharFilter(field_name="tags", lookup_expr="contains", method="filter_tag")
    search = django_filters.CharFilter(method="filter_search", help_text="Full-text (web search syntax).")
    ordering = django_filters.OrderingFilter(fields=("priority", "due_date", "created_at", "updated_at", "title"))

    class Meta:
        model = Task
        fields = []

    def filter_tag(self, queryset, name, value):
        return queryset.filter(tags__contains=[value])

    def filter_search(self, queryset, name, value):
        return queryset.filter(search_vector=SearchQuery(value, search_type="websearch", config="english"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            queryset = queryset.order_by("priority", F("due_date").asc(nulls_last=True), "created_at")
        return queryset
