"""knowledge_list validates its query parameters (apps.knowledge.filters) itself, so the API and the
owner's web app narrow the same way: a blank parameter is no parameter, and a bad value is a
ValidationError naming the parameter."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from apps.knowledge.selectors import knowledge_list


def test_knowledge_list_applies_the_filters_newest_first(tenant_a):
    task = tenant_a.make("tasks.task", title="Call Sarah")
    now = timezone.now()
    rule = tenant_a.make("knowledge.knowledge", learned_at=now - timedelta(hours=2))
    about_sarah = tenant_a.make("knowledge.pending", source_task=task, learned_at=now - timedelta(hours=1))
    routed = tenant_a.make("knowledge.knowledge", status="routed", routed_to_type="playbook",
                            learned_at=now)
    with tenant_a.schema():
        ids = lambda filters: [k.pk for k in knowledge_list(user=tenant_a.owner, filters=filters)]  # noqa: E731
        assert ids({}) == [routed.pk, about_sarah.pk, rule.pk]
        assert ids({"category": "rule"}) == [routed.pk, rule.pk]
        assert ids({"status": "captured"}) == [rule.pk]
        assert ids({"source_task_id": str(task.pk)}) == [about_sarah.pk]
        assert ids({"category": "", "status": ""}) == [routed.pk, about_sarah.pk, rule.pk]


@pytest.mark.parametrize("filters, parameter", [({"status": "done"}, "status"), ({"category": "gossip"}, "category"),
                                                ({"source_task_id": "nope"}, "source_task_id")])
def test_knowledge_list_bad_value_names_the_parameter(tenant_a, filters, parameter):
    with tenant_a.schema(), pytest.raises(ValidationError) as raised:
        knowledge_list(user=tenant_a.owner, filters=filters)
    assert list(raised.value.detail) == [parameter]
