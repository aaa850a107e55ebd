"""Query filters of GET /api/drafts (django-filter)."""

import django_filters

from apps.core.filters import ChoiceInFilter

from .models import Draft, DraftStatus, DraftType


class DraftFilter(django_filters.FilterSet):
    status = ChoiceInFilter(field_name="status", choices=DraftStatus.choices,
                            help_text="One or more of: " + ", ".join(DraftStatus.values) + " (comma-separated).")
    type = django_filters.ChoiceFilter(choices=DraftType.choices)
    task_id = django_filters.UUIDFilter(field_name="task_id")
    person_id = django_filters.UUIDFilter(method="filter_person", help_text="The recipient person (as snapshotted "
                                                                            "in relationship_context).")

    class Meta:
        model = Draft
        fields = []

    def filter_person(self, queryset, name, value):
        return queryset.filter(relationship_context__person__id=str(value))
