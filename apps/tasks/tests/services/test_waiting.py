"""Every write to waiting items, through the services: each writes its Log (naming who acted) and
publishes its event on commit; an update that changes nothing writes and publishes nothing; a refused
change (a foreign reference, status resolved set by hand, a second resolve) publishes nothing."""

import pytest
from django.utils import timezone

from apps.activity.models import Log
from apps.core.errors import Conflict, InvalidInput
from apps.tasks.models import WaitingItem
from apps.tasks.services import waiting as services
from tests.fixtures.audit import recorded


@pytest.fixture
def item(tenant_a):
    return tenant_a.make("tasks.waiting", what="The signed contract", who="Patrick")


def test_create_logs_and_publishes_who_acted(tenant_a, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        created = services.waiting_create(by=tenant_a.by_claude, what="Budget approval", who="Maria")
    log = recorded(tenant_a, sent, "waiting.created", by=tenant_a.by_claude, entity_id=created.pk)
    assert log.details == {"what": "Budget approval", "who": "Maria", "follow_up_date": None} and len(sent) == 1


def test_update_resolve_and_delete_log_and_publish_as_the_owner(tenant_a, item, capture_events):
    by, pk = tenant_a.by_owner, item.pk
    with tenant_a.schema(), capture_events() as sent:
        item = services.waiting_update(item=item, by=by, who="Patrick Fields", what="The signed contract")
        item = services.waiting_resolve(item=item, by=by, notes="Arrived signed")
        services.waiting_delete(item=item, by=by)
        assert not WaitingItem.objects.filter(pk=pk).exists()
    assert [e.type for e in sent] == ["waiting.updated", "waiting.resolved", "waiting.deleted"]
    assert recorded(tenant_a, sent, "waiting.updated", by=by).details == {
        "what": "The signed contract", "fields": ["who"], "status": "waiting"}
    assert recorded(tenant_a, sent, "waiting.resolved", by=by).details == {
        "what": "The signed contract", "notes": "Arrived signed"}
    assert recorded(tenant_a, sent, "waiting.deleted", by=by).details == {
        "what": "The signed contract", "status": "resolved"}


def test_update_that_changes_nothing_writes_and_publishes_nothing(tenant_a, item, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.waiting_update(item=item, by=tenant_a.by_owner, who="Patrick", status="waiting")
        assert not Log.objects.filter(entity_id=item.pk).exists()
    assert sent == []


@pytest.mark.parametrize("refused", ["foreign task", "status resolved by hand", "second resolve"])
def test_a_refused_change_publishes_nothing(tenant_a, tenant_b, capture_events, refused):
    resolved = tenant_a.make("tasks.waiting", status="resolved", resolved_at=timezone.now())
    foreign = tenant_b.make("tasks.task")
    call = {"foreign task": lambda: services.waiting_create(by=tenant_a.by_claude, what="x", task_id=foreign.pk),
            "status resolved by hand": lambda: services.waiting_update(item=resolved, by=tenant_a.by_owner,
                                                                       status="resolved"),
            "second resolve": lambda: services.waiting_resolve(item=resolved, by=tenant_a.by_owner)}[refused]
    with tenant_a.schema():
        with pytest.raises((InvalidInput, Conflict)), capture_events() as sent:
            call()
        assert WaitingItem.objects.get().status == "resolved"
        assert not Log.objects.filter(action__startswith="waiting.").exists()
    assert sent == []
