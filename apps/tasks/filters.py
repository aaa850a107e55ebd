"""The query filters of the tasks lists, which their selectors run: FilterSets (django-filter) for
tasks and projects, query serializers for recurring templates and waiting items."""

import django_filters
from django.db.models import F
from rest_framework import serializers

from apps.core.filters import ChoiceInFilter, IntegerFilter, RankedSearchFilterSet, choices_error, websearch

from .models import Assignee, Frequency, Project, ProjectStatus, ProjectType, Task, TaskStatus, WaitingStatus


class TaskFilter(django_filters.FilterSet):
    status = ChoiceInFilter(field_name="status", choices=TaskStatus.choices, error_messages=choices_error(TaskStatus.values),
                            help_text="One or more of: " + ", ".join(TaskStatus.values) + " (comma-separated).")
    assignee = django_filters.ChoiceFilter(choices=Assignee.choices, error_messages=choices_error(Assignee.values))
    project_id = django_filters.UUIDFilter(field_name="project_id")
    priority = IntegerFilter(field_name="priority")
    priority_max = IntegerFilter(field_name="priority", lookup_expr="lte", help_text="Priority 1..N (1 is highest).")
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
        return queryset.filter(search_vector=websearch(value))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            queryset = queryset.order_by("priority", F("due_date").asc(nulls_last=True), "created_at")
        return queryset


class ProjectFilter(RankedSearchFilterSet):
    status = ChoiceInFilter(field_name="status", choices=ProjectStatus.choices,
                            help_text="One or more of: " + ", ".join(ProjectStatus.values) + " (comma-separated).")
    type = ChoiceInFilter(field_name="project_type", choices=ProjectType.choices,
                          help_text="One or more of: " + ", ".join(ProjectType.values) + " (comma-separated).")
    parent_id = django_filters.UUIDFilter(field_name="parent_id", help_text="Direct children of this project.")
    top_level = django_filters.BooleanFilter(field_name="parent", lookup_expr="isnull",
                                             help_text="true: only projects without a parent.")
    client_id = django_filters.UUIDFilter(field_name="client_id")
    ordering = django_filters.OrderingFilter(fields=("priority_order", "name", "target_date", "created_at",
                                                     "updated_at"))
    default_order = ("priority_order", "name")

    class Meta:
        model = Project
        fields = []


class RecurringListQuerySerializer(serializers.Serializer):
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    frequency = serializers.ChoiceField(choices=Frequency.choices, required=False)


class WaitingListQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=WaitingStatus.choices, required=False)
    person_id = serializers.UUIDField(required=False)
    task_id = serializers.UUIDField(required=False)
