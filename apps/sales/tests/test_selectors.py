"""opportunity_list runs apps.sales.filters.OpportunityFilter itself, so the API and the owner's web app
narrow the same way; a bad value is a ValidationError naming the parameter."""

from datetime import date

import pytest
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from apps.sales.selectors import opportunity_list


def test_opportunity_list_applies_the_filters_expected_close_first(tenant_a):
    liberty = tenant_a.make("people.client", name="Liberty")
    pilot = tenant_a.make("sales.opportunity", name="Pilot", client=liberty, expected_close_date=date(2026, 3, 1))
    renewal = tenant_a.make("sales.opportunity", name="Renewal", stage="negotiation",
                            expected_close_date=date(2026, 2, 1))
    lost = tenant_a.make("sales.opportunity", name="Lost deal", stage="closed_lost", closed_at=timezone.now(),
                          expected_close_date=date(2026, 1, 1))
    with tenant_a.schema():
        ids = lambda filters: [o.pk for o in opportunity_list(user=tenant_a.owner, filters=filters)]  # noqa: E731
        assert ids({}) == [lost.pk, renewal.pk, pilot.pk]
        assert ids({"open": "true"}) == [renewal.pk, pilot.pk]
        assert ids({"open": "false"}) == [lost.pk]
        assert ids({"stage": "lead,negotiation"}) == [renewal.pk, pilot.pk]
        assert ids({"client_id": str(liberty.pk)}) == [pilot.pk]
        assert ids({"close_after": "2026-02-01", "close_before": "2026-03-01"}) == [renewal.pk]
        assert ids({"search": "pil"}) == [pilot.pk]
        assert ids({"ordering": "-expected_close_date"}) == [pilot.pk, renewal.pk, lost.pk]


@pytest.mark.parametrize("filters, parameter", [({"stage": "won"}, "stage"), ({"close_before": "soon"}, "close_before"),
                                                ({"client_id": "liberty"}, "client_id")])
def test_opportunity_list_bad_value_names_the_parameter(tenant_a, filters, parameter):
    with tenant_a.schema(), pytest.raises(ValidationError) as raised:
        opportunity_list(user=tenant_a.owner, filters=filters)
    assert list(raised.value.detail) == [parameter]
