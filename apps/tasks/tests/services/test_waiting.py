"""Every write to waiting items, through the services: each writes its Log (naming who acted) and
publishes its event on commit; an update that changes nothing writes and publishes nothing; a refused
change (a second resolve, status resolved set by hand, a foreign reference) publishes nothing."""

import pytest

from apps.activity.models import Actor, Log
from apps.core.errors import Conflict, InvalidInput
from apps.tasks.models import WaitingItem
from apps.tasks.services import waiting as services


def _log(entity, action) -> Log:
    return Log.objects.get(entity_id=entity.pk, action=action)


@pytest.fixture
def item(tenant_a):
    return tenant_a.make("tasks.waiting", what="The signed contract", who="Patrick")


def test_create_logs_and_publishes_who_acted(tenant_a, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        created = services.waiting_create(by=tenant_a.by_claude, what="Budget approval", who="Maria")
        log = _log(created, "waiting.created")
    assert [e.type for e in sent] == ["waiting.created"]
    assert sent[0].payload["entity_id"] == str(created.pk) and sent[0].schema_name == tenant_a.tenant.schema_name
    assert (log.actor, log.user_id, log.details) == (Actor.CLAUDE, tenant_a.owner.pk,
                                                     {"what": "Budget approval", "who": "Maria", "follow_up_date": None})


def test_a_refused_create_publishes_nothing(tenant_a, tenant_b, capture_events):
    foreign = tenant_b.make("tasks.task")
    with tenant_a.schema():
        with pytest.raises(InvalidInput) as refused, capture_events() as sent:
            services.waiting_create(by=tenant_a.by_claude, what="x", task_id=foreign.pk)
        assert not WaitingItem.objects.exists()
    assert refused.value.message.startswith("task_id: no such task") and sent == []


def test_update_logs_the_changed_fields_as_the_owner(tenant_a, item, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.waiting_update(item=item, by=tenant_a.by_owner, who="Patrick Fields", what="The signed contract")
        log = _log(item, "waiting.updated")
    assert [e.type for e in sent] == ["waiting.updated"] and sent[0].payload["actor"] == Actor.USER
    assert (log.actor, log.user_id, log.details) == (Actor.USER, tenant_a.owner.pk, {
        "what": "The signed contract", "fields": ["who"], "status": "waiting"})


def test_update_that_changes_nothing_writes_and_publishes_nothing(tenant_a, item, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.waiting_update(item=item, by=tenant_a.by_owner, who="Patrick", status="waiting")
        assert not Log.objects.filter(entity_id=item.pk).exists()
    assert sent == []


def test_a_refused_update_to_resolved_publishes_nothing(tenant_a, item, capture_events):
    with tenant_a.schema():
        with pytest.raises(InvalidInput) as refused, capture_events() as sent:
            services.waiting_update(item=item, by=tenant_a.by_owner, status="resolved")
        assert WaitingItem.objects.get(pk=item.pk).status == "waiting"
    assert refused.value.message.startswith("status:") and sent == []


def test_resolve_logs_and_publishes_and_a_second_resolve_publishes_nothing(tenant_a, item, capture_events):
    with tenant_a.schema():
        with capture_events() as sent:
            services.waiting_resolve(item=item, by=tenant_a.by_owner, notes="Arrived signed")
        log = _log(item, "waiting.resolved")
        with pytest.raises(Conflict) as refused, capture_events() as sent_again:
            services.waiting_resolve(item=item, by=tenant_a.by_owner, notes="again")
        assert Log.objects.filter(entity_id=item.pk, action="waiting.resolved").count() == 1
    assert [e.type for e in sent] == ["waiting.resolved"]
    assert (log.actor, log.user_id, log.details) == (Actor.USER, tenant_a.owner.pk,
                                                     {"what": "The signed contract", "notes": "Arrived signed"})
    assert refused.value.code == "invalid_transition" and sent_again == []


def test_delete_logs_and_publishes(tenant_a, item, capture_events):
    pk = item.pk
    with tenant_a.schema(), capture_events() as sent:
        services.waiting_delete(item=item, by=tenant_a.by_owner)
        log = Log.objects.get(entity_id=pk, action="waiting.deleted")
        assert not WaitingItem.objects.filter(pk=pk).exists()
    assert [e.type for e in sent] == ["waiting.deleted"]
    assert (log.actor, log.user_id, log.details) == (Actor.USER, tenant_a.owner.pk,
                                                     {"what": "The signed contract", "status": "waiting"})
