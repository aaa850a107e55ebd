"""log_list runs apps.activity.filters.LogFilter itself, so the API and the owner's web app narrow the
same way: dates are days in the user's time zone; a bad value is a ValidationError naming the parameter."""

import uuid
from datetime import UTC, datetime

import pytest
from rest_framework.exceptions import ValidationError

from apps.activity.selectors import log_list


def test_log_list_applies_the_filters_newest_first(tenant_a):
    task_id = uuid.uuid4()
    created = tenant_a.make("activity.log", action="task.created", entity_type="task", entity_id=task_id,
                            timestamp=datetime(2026, 1, 10, 9, tzinfo=UTC))
    completed = tenant_a.make("activity.log", action="task.completed", entity_type="task", entity_id=task_id,
                              actor="user", timestamp=datetime(2026, 1, 11, 9, tzinfo=UTC))
    asked = tenant_a.make("activity.log", action="question.created", entity_type="question",
                          entity_id=uuid.uuid4(), timestamp=datetime(2026, 1, 12, 9, tzinfo=UTC))
    with tenant_a.schema():
        ids = lambda filters: [log.pk for log in log_list(user=tenant_a.owner, filters=filters)]  # noqa: E731
        assert ids({"entity_id": str(task_id)}) == [completed.pk, created.pk]
        assert ids({"entity_type": "question"}) == [asked.pk]
        assert ids({"entity_type": "task", "actor": "user"}) == [completed.pk]
        assert ids({"action": "task.", "start_date": "2026-01-11"}) == [completed.pk]
        assert ids({"action": "task.created"}) == [created.pk]
        assert ids({"entity_id": str(task_id), "end_date": "2026-01-10"}) == [created.pk]


def test_log_list_dates_are_days_in_the_users_time_zone(tenant_a, set_timezone):
    """09:00 UTC on 10 January is already the 10th's evening in Auckland, and not yet the 10th in Honolulu."""
    log = tenant_a.make("activity.log", action="task.created", entity_type="task", entity_id=uuid.uuid4(),
                        timestamp=datetime(2026, 1, 10, 9, tzinfo=UTC))
    with tenant_a.schema():
        one_day = {"entity_id": str(log.entity_id), "start_date": "2026-01-10", "end_date": "2026-01-10"}
        set_timezone("Pacific/Auckland")
        assert [row.pk for row in log_list(user=tenant_a.owner, filters=one_day)] == [log.pk]
        set_timezone("Pacific/Honolulu")
        assert [row.pk for row in log_list(user=tenant_a.owner, filters=one_day)] == []


@pytest.mark.parametrize("filters, parameter", [({"start_date": "yesterday"}, "start_date"),
                                                ({"actor": "robot"}, "actor"),
                                                ({"entity_id": "task-1"}, "entity_id"),
                                                ({"start_date": "2026-01-12", "end_date": "2026-01-11"}, "end_date")])
def test_log_list_bad_value_names_the_parameter(tenant_a, filters, parameter):
    with tenant_a.schema(), pytest.raises(ValidationError) as raised:
        list(log_list(user=tenant_a.owner, filters=filters))
    assert list(raised.value.detail) == [parameter]
