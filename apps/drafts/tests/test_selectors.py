"""draft_list runs apps.drafts.filters.DraftFilter itself, so the API and the owner's web app narrow the
same way; a bad value is a ValidationError naming the parameter."""

import uuid

import pytest
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from apps.drafts.selectors import draft_list


def test_draft_list_applies_the_filters_newest_first(tenant_a):
    task = tenant_a.make("tasks.task", title="Follow up with Patrick")
    patrick_id = str(uuid.uuid4())
    pending = tenant_a.make("drafts.email", task=task, relationship_context={"person": {"id": patrick_id}})
    approved = tenant_a.make("drafts.email", status="approved", approved_at=timezone.now())
    note = tenant_a.make("drafts.note")
    with tenant_a.schema():
        ids = lambda filters: [d.pk for d in draft_list(user=tenant_a.owner, filters=filters)]  # noqa: E731
        assert ids({}) == [note.pk, approved.pk, pending.pk]
        assert ids({"status": "approved,sent"}) == [approved.pk]
        assert ids({"status": "pending"}) == [note.pk, pending.pk]
        assert ids({"type": "note"}) == [note.pk]
        assert ids({"task_id": str(task.pk)}) == [pending.pk]
        assert ids({"person_id": patrick_id}) == [pending.pk]


@pytest.mark.parametrize("filters, parameter", [({"status": "lost"}, "status"), ({"type": "fax"}, "type"),
                                                ({"person_id": "patrick"}, "person_id")])
def test_draft_list_bad_value_names_the_parameter(tenant_a, filters, parameter):
    with tenant_a.schema(), pytest.raises(ValidationError) as raised:
        draft_list(user=tenant_a.owner, filters=filters)
    assert list(raised.value.detail) == [parameter]
