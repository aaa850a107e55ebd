"""person_list and client_list run the people filters (apps.people.filters) themselves, so the API and
the owner's web app narrow the same way; a bad value is a ValidationError naming the parameter."""

from datetime import UTC, datetime

import pytest
from rest_framework.exceptions import ValidationError

from apps.people.selectors import client_list, person_list


def test_person_list_applies_the_filters_and_orders_by_name(tenant_a):
    liberty = tenant_a.make("people.client", name="Liberty")
    tenant_a.make("people.person", name="Zoe", client=liberty, relationship="client",
                  next_follow_up=datetime(2026, 1, 10, tzinfo=UTC))
    tenant_a.make("people.person", name="Adam", client=liberty, relationship="client")
    tenant_a.make("people.person", name="Bea", relationship="colleague", next_follow_up=datetime(2026, 1, 5, tzinfo=UTC))
    with tenant_a.schema():
        names = lambda filters: [p.name for p in person_list(user=tenant_a.owner, filters=filters)]  # noqa: E731
        assert names({}) == ["Adam", "Bea", "Zoe"]
        assert names({"client_id": str(liberty.pk)}) == ["Adam", "Zoe"]
        assert names({"relationship": "colleague,partner"}) == ["Bea"]
        assert names({"follow_up_before": "2026-01-08T00:00:00Z"}) == ["Bea"]
        assert names({"ordering": "-name"}) == ["Zoe", "Bea", "Adam"]


@pytest.mark.parametrize("filters, parameter", [({"relationship": "nemesis"}, "relationship"),
                                                ({"client_id": "nope"}, "client_id"),
                                                ({"ordering": "shoe_size"}, "ordering")])
def test_person_list_bad_value_names_the_parameter(tenant_a, filters, parameter):
    with tenant_a.schema(), pytest.raises(ValidationError) as raised:
        person_list(user=tenant_a.owner, filters=filters)
    assert list(raised.value.detail) == [parameter]


def test_client_list_applies_the_filters(tenant_a):
    tenant_a.make("people.client", name="Liberty Mutual", status="active")
    tenant_a.make("people.client", name="Acme", status="prospect")
    tenant_a.make("people.client", name="Liberty Old", status="churned")
    with tenant_a.schema():
        names = lambda filters: [c.name for c in client_list(user=tenant_a.owner, filters=filters)]  # noqa: E731
        assert names({}) == ["Acme", "Liberty Mutual", "Liberty Old"]
        assert names({"status": "active,churned"}) == ["Liberty Mutual", "Liberty Old"]
        assert names({"name": "liberty", "status": "churned"}) == ["Liberty Old"]


def test_client_list_bad_value_names_the_parameter(tenant_a):
    with tenant_a.schema(), pytest.raises(ValidationError) as raised:
        client_list(user=tenant_a.owner, filters={"status": "bankrupt"})
    assert list(raised.value.detail) == ["status"]
