"""playbook_list validates its query parameters (apps.playbooks.filters) itself, so the API and the
owner's web app narrow the same way: active playbooks unless told, a blank parameter is no parameter,
and a bad value is a ValidationError naming the parameter."""

import pytest
from rest_framework.exceptions import ValidationError

from apps.playbooks.selectors import playbook_list


def test_playbook_list_applies_the_filters_by_name(tenant_a):
    guide = tenant_a.make("playbooks.email_guide")
    onboarding = tenant_a.make("playbooks.playbook", name="client-onboarding", category="sales")
    proposed = tenant_a.make("playbooks.playbook", name="a-proposal", category="sales", status="proposed")
    with tenant_a.schema():
        names = lambda filters: [p.name for p in playbook_list(user=tenant_a.owner, filters=filters)]  # noqa: E731
        assert names({}) == [onboarding.name, guide.name]  # active only, by name
        assert names({"status": "proposed"}) == [proposed.name]
        assert names({"category": "sales"}) == [onboarding.name]
        assert names({"must_consult": "true"}) == [guide.name]
        assert names({"must_consult": "false", "category": "communication"}) == []
        assert names({"status": "", "must_consult": "", "category": ""}) == [onboarding.name, guide.name]


@pytest.mark.parametrize("filters, parameter", [({"status": "retired"}, "status"),
                                                ({"must_consult": "maybe"}, "must_consult")])
def test_playbook_list_bad_value_names_the_parameter(tenant_a, filters, parameter):
    with tenant_a.schema(), pytest.raises(ValidationError) as raised:
        playbook_list(user=tenant_a.owner, filters=filters)
    assert list(raised.value.detail) == [parameter]
