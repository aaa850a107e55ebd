"""Query filters of GET /api/sales (django-filter)."""

import django_filters

from apps.core.filters import ChoiceInFilter

from .models import CLOSED_STAGES, SalesOpportunity, Stage


class OpportunityFilter(django_filters.FilterSet):
    stage = ChoiceInFilter(field_name="stage", choices=Stage.choices,
                           help_text="One or more of: " + ", ".join(Stage.values) + " (comma-separated).")
    open = django_filters.BooleanFilter(method="filter_open", help_text="true: not closed yet; false: closed won or lost.")
    client_id = django_filters.UUIDFilter(field_name="client_id")
    close_before = django_filters.DateFilter(field_name="expected_close_date", lookup_expr="lt")
    close_after = django_filters.DateFilter(field_name="expected_close_date", lookup_expr="gte")
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")
    ordering = django_filters.OrderingFilter(fields=("expected_close_date", "value", "probability", "created_at",
                                                     "updated_at", "name", "next_action_date"))

    class Meta:
        model = SalesOpportunity
        fields = []

    def filter_open(self, queryset, name, value):
        return queryset.exclude(stage__in=CLOSED_STAGES) if value else queryset.filter(stage__in=CLOSED_STAGES)

