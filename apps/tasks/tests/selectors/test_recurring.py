"""recurring_list validates its query parameters (apps.tasks.filters.RecurringListQuerySerializer)
itself, so the API and the owner's web app narrow the same way; a bad value is a ValidationError naming
the parameter."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from apps.tasks.selectors.recurring import recurring_list


def test_recurring_list_applies_the_filters_soonest_first(tenant_a):
    now = timezone.now()
    weekly = tenant_a.make("tasks.recurring", frequency="weekly", next_run=now + timedelta(days=3))
    daily = tenant_a.make("tasks.recurring", next_run=now + timedelta(days=1))
    paused = tenant_a.make("tasks.recurring", active=False, next_run=now + timedelta(days=2))
    with tenant_a.schema():
        ids = lambda filters: [r.pk for r in recurring_list(user=tenant_a.owner, filters=filters)]  # noqa: E731
        assert ids({}) == [daily.pk, paused.pk, weekly.pk]
        assert ids({"active": "true"}) == [daily.pk, weekly.pk]
        assert ids({"active": "false"}) == [paused.pk]
        assert ids({"frequency": "weekly"}) == [weekly.pk]


@pytest.mark.parametrize("filters, parameter", [({"active": "sometimes"}, "active"),
                                                ({"frequency": "hourly"}, "frequency")])
def test_recurring_list_bad_value_names_the_parameter(tenant_a, filters, parameter):
    with tenant_a.schema(), pytest.raises(ValidationError) as raised:
        recurring_list(user=tenant_a.owner, filters=filters)
    assert list(raised.value.detail) == [parameter]
