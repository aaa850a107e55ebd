"""Sales services: each state change writes its Log (naming who acted) and publishes its event on commit."""

from decimal import Decimal

import pytest

from apps.activity.models import Actor, Log
from apps.core.errors import Conflict, InvalidInput
from apps.sales import services
from apps.sales.models import SalesOpportunity, Stage


@pytest.fixture
def deal(tenant_a):
    return tenant_a.make("sales.opportunity", name="Acme rollout", value=Decimal("1000"))


def test_create_logs_and_publishes_who_acted(tenant_a, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        created = services.opportunity_create(by=tenant_a.by_claude, name="Globex pilot", value=Decimal("500"))
        log = Log.objects.get(entity_id=created.pk)
    assert [e.type for e in sent] == ["opportunity.created"]
    assert sent[0].payload["actor"] == Actor.CLAUDE and sent[0].schema_name == tenant_a.tenant.schema_name
    assert (log.action, log.actor, log.user_id) == ("opportunity.created", Actor.CLAUDE, tenant_a.owner.pk)


def test_update_that_changes_nothing_writes_and_publishes_nothing(tenant_a, deal, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.opportunity_update(opportunity=deal, by=tenant_a.by_owner, name="Acme rollout")
        assert not Log.objects.filter(entity_id=deal.pk, action="opportunity.updated").exists()
    assert sent == []


def test_update_logs_the_changed_fields_as_the_owner(tenant_a, deal, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.opportunity_update(opportunity=deal, by=tenant_a.by_owner, name="Acme", probability=40)
        log = Log.objects.get(entity_id=deal.pk, action="opportunity.updated")
    assert [e.type for e in sent] == ["opportunity.updated"]
    assert log.actor == Actor.USER and log.details["fields"] == ["name", "probability"]


def test_update_with_another_workspaces_client_is_a_400_naming_the_field(tenant_a, tenant_b, deal):
    foreign = tenant_b.make("people.client")
    with tenant_a.schema(), pytest.raises(InvalidInput) as refused:
        services.opportunity_update(opportunity=deal, by=tenant_a.by_claude, client_id=foreign.pk)
    assert refused.value.message.startswith("client_id: no such client")


def test_advance_publishes_stage_changed(tenant_a, deal, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.opportunity_advance(opportunity=deal, by=tenant_a.by_claude)
    assert [(e.type, e.payload["action"]) for e in sent] == [("opportunity.stage_changed", "opportunity.advanced")]
    assert sent[0].payload["details"]["new_stage"] == Stage.QUALIFIED


def test_a_refused_advance_publishes_nothing(tenant_a, capture_events):
    lead = tenant_a.make("sales.opportunity")
    with tenant_a.schema():
        with pytest.raises(Conflict), capture_events() as sent:
            services.opportunity_advance(opportunity=lead, by=tenant_a.by_claude, stage=Stage.CLOSED_WON)
    assert sent == []


def test_delete_logs_and_publishes(tenant_a, deal, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.opportunity_delete(opportunity=deal, by=tenant_a.by_owner)
        assert not SalesOpportunity.objects.filter(pk=deal.pk).exists()
    assert [e.type for e in sent] == ["opportunity.deleted"]
