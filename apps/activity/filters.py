"""Query filters of GET /api/logs (django-filter)."""

import re
from datetime import date, datetime, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from apps.core.clock import local_midnight

from .models import Actor, Log

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# "…T09:00:00+01:00" unencoded in a query string arrives as "…T09:00:00 01:00".
_LOST_PLUS = re.compile(r"(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}(?::?\d{2})?)$")


class DateOrDateTimeField(forms.Field):
    """An ISO date (2026-01-31) or date-time (2026-01-31T09:00:00+01:00); returns a date or a datetime."""

    default_error_messages = {
        "invalid": "Enter an ISO date (2026-01-31) or date-time (2026-01-31T09:00:00Z, 2026-01-31T09:00+01:00).",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = _LOST_PLUS.sub(r"\1+\2", str(value).strip())
        try:
            parsed = parse_date(value) if _DATE.fullmatch(value) else parse_datetime(value)
        except ValueError:  # well formed but impossible, e.g. 2026-02-30
            parsed = None
        if parsed is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


@extend_schema_field({"type": "string", "example": "2026-01-31", "pattern": r"^\d{4}-\d{2}-\d{2}([T ].+)?$",
                      "description": "An ISO date (a whole day in your time zone) or date-time; inclusive."})
class DateOrDateTimeFilter(django_filters.Filter):
    field_class = DateOrDateTimeField


class LogFilter(django_filters.FilterSet):
    entity_type = django_filters.CharFilter(help_text="e.g. task, question, playbook")
    entity_id = django_filters.UUIDFilter()
    actor = django_filters.ChoiceFilter(choices=Actor.choices)
    action = django_filters.CharFilter(method="filter_action",
                                       help_text="An action (task.created), or a prefix ending in '.' or '*' (task.).")
    start_date = DateOrDateTimeFilter(method="filter_noop",
                                      help_text="From this date (00:00 in your time zone) or instant, inclusive.")
    end_date = DateOrDateTimeFilter(method="filter_noop",
                                    help_text="Up to this date (the whole day, in your time zone) or instant, inclusive.")

    class Meta:
        model = Log
        fields = []

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.user = user  # a date, or a naive date-time, is in this user's time zone

    def filter_action(self, queryset, name, value):
        if value.endswith(("*", ".")):
            return queryset.filter(action__startswith=value.rstrip("*"))
        return queryset.filter(action=value)

    def filter_noop(self, queryset, name, value):
        return queryset  # the time range is applied as one in filter_queryset (it needs both bounds)

    def _instant(self, value, *, end: bool) -> datetime | None:
        """A date is a whole day in the user's time zone (an end date includes that day); a naive
        date-time is in the user's time zone too."""
        if value is None:
            return None
        tz = self.user.zone
        if isinstance(value, datetime):
            return value if timezone.is_aware(value) else timezone.make_aware(value, tz)
        day: date = value + timedelta(days=1) if end else value
        return local_midnight(day, tz)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        start = self._instant(data.get("start_date"), end=False)
        end = self._instant(data.get("end_date"), end=True)
        # an end date stops before the next midnight; an end instant is included
        end_lookup = "timestamp__lte" if isinstance(data.get("end_date"), datetime) else "timestamp__lt"
        if start and end and (end < start if end_lookup == "timestamp__lte" else end <= start):
            raise serializers.ValidationError({"end_date": ["must not be before start_date."]})
        if start:
            queryset = queryset.filter(timestamp__gte=start)
        if end:
            queryset = queryset.filter(**{end_lookup: end})
        return queryset
