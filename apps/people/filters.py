"""Query filters of GET /api/people and GET /api/clients (django-filter). `search` is full-text over
each model's indexed search_vector (person: name, company, title, notes; client: name, notes)."""

import django_filters

from apps.core.filters import ChoiceInFilter, RankedSearchFilterSet

from .models import Client, ClientStatus, Person, Relationship


class PersonFilter(RankedSearchFilterSet):
    client_id = django_filters.UUIDFilter(field_name="client_id")
    relationship = ChoiceInFilter(
        field_name="relationship",
        choices=Relationship.choices,
        help_text="One or more of: " + ", ".join(Relationship.values) + " (comma-separated).",
    )
    follow_up_before = django_filters.IsoDateTimeFilter(
        field_name="next_follow_up", lookup_expr="lt", help_text="People due a follow-up before this time."
    )
    ordering = django_filters.OrderingFilter(fields=("name", "last_contact", "next_follow_up", "created_at", "updated_at"))
    default_order = ("name",)

    class Meta:
        model = Person
        fields = []


class ClientFilter(RankedSearchFilterSet):
    status = ChoiceInFilter(
        field_name="status",
        choices=ClientStatus.choices,
        help_text="One or more of: " + ", ".join(ClientStatus.values) + " (comma-separated).",
    )
    name = django_filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")
    ordering = django_filters.OrderingFilter(fields=("name", "status", "created_at", "updated_at"))
    default_order = ("name",)

    class Meta:
        model = Client
        fields = []
