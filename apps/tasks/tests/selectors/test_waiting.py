"""waiting_list validates its query parameters (apps.tasks.filters.WaitingListQuerySerializer) itself,
so the API and the owner's web app narrow the same way; a bad value is a ValidationError naming the
parameter."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from apps.tasks.selectors.waiting import waiting_list


def test_waiting_list_applies_the_filters_next_follow_up_first(tenant_a):
    now = timezone.now()
    patrick = tenant_a.make("people.person", name="Patrick")
    task = tenant_a.make("tasks.task", title="Close the pilot")
    contract = tenant_a.make("tasks.waiting", person=patrick, task=task, follow_up_date=now + timedelta(days=2))
    invoice = tenant_a.make("tasks.waiting", follow_up_date=now + timedelta(days=1))
    undated = tenant_a.make("tasks.waiting", person=patrick)
    dropped = tenant_a.make("tasks.waiting", status="abandoned", follow_up_date=now)
    with tenant_a.schema():
        ids = lambda filters: [w.pk for w in waiting_list(user=tenant_a.owner, filters=filters)]  # noqa: E731
        assert ids({}) == [dropped.pk, invoice.pk, contract.pk, undated.pk]
        assert ids({"status": "waiting"}) == [invoice.pk, contract.pk, undated.pk]
        assert ids({"person_id": str(patrick.pk)}) == [contract.pk, undated.pk]
        assert ids({"task_id": str(task.pk)}) == [contract.pk]


@pytest.mark.parametrize("filters, parameter", [({"status": "bogus"}, "status"), ({"person_id": "patrick"}, "person_id"),
                                                ({"task_id": "7"}, "task_id")])
def test_waiting_list_bad_value_names_the_parameter(tenant_a, filters, parameter):
    with tenant_a.schema(), pytest.raises(ValidationError) as raised:
        waiting_list(user=tenant_a.owner, filters=filters)
    assert list(raised.value.detail) == [parameter]
