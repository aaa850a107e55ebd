"""Filter bases every list shares (django-filter), and how a list's selector applies its query
parameters: a 400 naming the parameter for any bad value."""

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet
from django_filters.utils import translate_validation
from rest_framework import serializers

from .api import validated


def filterset_apply(filterset_class: type[django_filters.FilterSet], filters: dict, queryset: QuerySet,
                    **init) -> QuerySet:
    """`queryset` narrowed by the query parameters `filters`, as DRF's DjangoFilterBackend does it: a
    bad value is a ValidationError naming the parameter (a 400). `init`: the FilterSet's own keyword
    arguments (e.g. the user whose time zone a date is in)."""
    filterset = filterset_class(filters, queryset=queryset, **init)
    if not filterset.is_valid():
        raise translate_validation(filterset.errors)
    return filterset.qs


def query_validate(serializer_class: type[serializers.Serializer], filters: dict, *,
                   blank_is_absent: bool = False) -> dict:
    """The query parameters `filters` validated by a query serializer, for the lists whose parameters a
    FilterSet cannot express as they are (DRF booleans that reject a bad value, defaults): a bad value
    is a ValidationError naming the parameter (a 400). `blank_is_absent`: `?status=` means no status,
    as DRF reads a form's QueryDict; otherwise a blank value is validated like any other."""
    if blank_is_absent:
        filters = {key: value for key, value in filters.items() if value != ""}
    return validated(serializer_class, filters)


class ChoiceInFilter(django_filters.BaseInFilter, django_filters.ChoiceFilter):
    """Comma-separated values, each checked against the choices (an unknown one is a 400 naming the parameter)."""


def choices_error(values) -> dict:
    """error_messages for a choice filter: the 400 lists what is accepted."""
    return {"invalid_choice": "'%(value)s' is not valid; use one of: " + ", ".join(str(v) for v in values) + "."}


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (NumberFilter takes decimals): `priority=abc` or `priority=1.5` is a 400 naming the parameter."""

    field_class = forms.IntegerField


def websearch(value: str) -> SearchQuery:
    return SearchQuery(value, search_type="websearch", config="english")


class RankedSearchFilterSet(django_filters.FilterSet):
    """`search`: full-text over the model's indexed `search_vector` column (web search syntax: words,
    "a phrase", -excluded, or). Without an explicit `ordering` the best matches come first, then
    `default_order`. The filter is `search_vector @@ query`, which the GIN index serves."""

    search = django_filters.CharFilter(method="filter_search",
                                       help_text='Full-text, web search syntax: words, "a phrase", -not, or.')
    default_order: tuple = ()

    def filter_search(self, queryset, name, value):
        query = websearch(value)
        return queryset.filter(search_vector=query).annotate(search_rank=SearchRank(F("search_vector"), query))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("ordering"):
            best_first = ("-search_rank",) if self.form.cleaned_data.get("search") else ()
            queryset = queryset.order_by(*best_first, *self.default_order)
        return queryset
