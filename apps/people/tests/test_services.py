"""People and clients services: each state change writes its Log (naming who acted) and publishes its
event on commit; a change that changes nothing writes nothing; a refused change (409, 400) publishes
nothing."""

import pytest

from apps.activity.models import Actor, Log
from apps.core.errors import Conflict, InvalidInput
from apps.people import services
from apps.people.models import Client, Person


def _log(entity, action) -> Log:
    return Log.objects.get(entity_id=entity.pk, action=action)


# --- clients ----------------------------------------------------------------------------------

def test_client_create_logs_and_publishes_who_acted(tenant_a, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        client = services.client_create(by=tenant_a.by_claude, name="Liberty Hotel", status="prospect")
        log = _log(client, "client.created")
    assert [e.type for e in sent] == ["client.created"]
    assert sent[0].payload["entity_id"] == str(client.pk) and sent[0].schema_name == tenant_a.tenant.schema_name
    assert (log.actor, log.user_id, log.details) == (Actor.CLAUDE, tenant_a.owner.pk,
                                                     {"name": "Liberty Hotel", "status": "prospect"})


def test_client_update_logs_the_changed_fields_as_the_owner(tenant_a, capture_events):
    client = tenant_a.make("people.liberty")
    with tenant_a.schema(), capture_events() as sent:
        services.client_update(client=client, by=tenant_a.by_owner, name="Liberty Hotel", status="archived")
        log = _log(client, "client.updated")
    assert [e.type for e in sent] == ["client.updated"] and sent[0].payload["actor"] == Actor.USER
    assert (log.actor, log.user_id, log.details["fields"]) == (Actor.USER, tenant_a.owner.pk, ["status"])


def test_client_update_that_changes_nothing_writes_and_publishes_nothing(tenant_a, capture_events):
    client = tenant_a.make("people.liberty")
    with tenant_a.schema(), capture_events() as sent:
        services.client_update(client=client, by=tenant_a.by_owner, name="Liberty Hotel", status="active")
        assert not Log.objects.filter(entity_id=client.pk).exists()
    assert sent == []


def test_client_delete_logs_and_publishes(tenant_a, capture_events):
    client = tenant_a.make("people.liberty")
    with tenant_a.schema(), capture_events() as sent:
        services.client_delete(client=client, by=tenant_a.by_owner)
        log = _log(client, "client.deleted")
        assert not Client.objects.filter(pk=client.pk).exists()
    assert [e.type for e in sent] == ["client.deleted"]
    assert (log.actor, log.user_id, log.details) == (Actor.USER, tenant_a.owner.pk, {"name": "Liberty Hotel"})


def test_a_refused_client_delete_publishes_nothing(tenant_a, patrick, capture_events):
    with tenant_a.schema():
        with pytest.raises(Conflict) as refused, capture_events() as sent:
            services.client_delete(client=patrick.client, by=tenant_a.by_owner)
        assert Client.objects.filter(pk=patrick.client_id).exists() and not Log.objects.filter(
            action="client.deleted").exists()
    assert refused.value.code == "client_in_use" and sent == []


# --- people -----------------------------------------------------------------------------------

def test_person_create_logs_and_publishes_who_acted(tenant_a, capture_events):
    liberty = tenant_a.make("people.liberty")
    with tenant_a.schema(), capture_events() as sent:
        person = services.person_create(by=tenant_a.by_claude, name="Patrick Fields", client_id=liberty.pk)
        log = _log(person, "person.created")
    assert [e.type for e in sent] == ["person.created"]
    assert (log.actor, log.user_id, log.details) == (Actor.CLAUDE, tenant_a.owner.pk,
                                                     {"name": "Patrick Fields", "client_id": str(liberty.pk)})


def test_person_create_with_another_workspaces_client_is_a_400_and_publishes_nothing(tenant_a, tenant_b,
                                                                                      capture_events):
    foreign = tenant_b.make("people.liberty")
    with tenant_a.schema():
        with pytest.raises(InvalidInput) as refused, capture_events() as sent:
            services.person_create(by=tenant_a.by_claude, name="X", client_id=foreign.pk)
        assert not Person.objects.exists() and not Log.objects.filter(action="person.created").exists()
    assert refused.value.message.startswith("client_id: no such client") and sent == []


def test_person_update_logs_the_changed_fields_and_publishes(tenant_a, patrick, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.person_update(person=patrick, by=tenant_a.by_claude, communication_notes="Bullet points only.",
                               name="Patrick Fields")
        log = _log(patrick, "person.updated")
    assert [e.type for e in sent] == ["person.updated"]
    assert (log.actor, log.user_id, log.details) == (Actor.CLAUDE, tenant_a.owner.pk,
                                                     {"name": "Patrick Fields", "fields": ["communication_notes"]})


def test_person_update_that_changes_nothing_writes_and_publishes_nothing(tenant_a, patrick, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.person_update(person=patrick, by=tenant_a.by_claude, name="Patrick Fields",
                               client_id=patrick.client_id)
        assert not Log.objects.filter(entity_id=patrick.pk).exists()
    assert sent == []


def test_person_delete_logs_and_publishes(tenant_a, patrick, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        services.person_delete(person=patrick, by=tenant_a.by_owner)
        log = _log(patrick, "person.deleted")
    assert [e.type for e in sent] == ["person.deleted"]
    assert (log.actor, log.user_id, log.details) == (Actor.USER, tenant_a.owner.pk,
                                                     {"name": "Patrick Fields", "closed_task_links": 0})


@pytest.mark.parametrize("depends", ["open task", "waiting item"])
def test_a_refused_person_delete_publishes_nothing(tenant_a, patrick, capture_events, depends):
    if depends == "open task":
        tenant_a.make("tasks.task_person", task=tenant_a.make("tasks.task"), person=patrick)
    else:
        tenant_a.make("tasks.waiting", person=patrick)
    with tenant_a.schema():
        with pytest.raises(Conflict) as refused, capture_events() as sent:
            services.person_delete(person=patrick, by=tenant_a.by_owner)
        assert Person.objects.filter(pk=patrick.pk).exists() and not Log.objects.filter(entity_id=patrick.pk).exists()
    assert refused.value.code == "person_in_use" and sent == []
