"""Every write to projects, through the services: each writes its Log (naming who acted) and publishes
its event on commit; an update that changes nothing writes and publishes nothing; a refused change (a
foreign reference, a cycle, a project in use) publishes nothing."""

import pytest

from apps.activity.models import Actor, Log
from apps.core.errors import Conflict, InvalidInput
from apps.tasks.models import Project
from apps.tasks.services import projects as services


def _log(entity, action) -> Log:
    return Log.objects.get(entity_id=entity.pk, action=action)


def test_create_logs_and_publishes_who_acted(tenant_a, capture_events):
    goal = tenant_a.make("tasks.project", name="Revenue +20%", project_type="goal")
    with tenant_a.schema(), capture_events() as sent:
        project = services.project_create(by=tenant_a.by_claude, name="Liberty pilot", parent_id=goal.pk)
        log = _log(project, "project.created")
    assert [e.type for e in sent] == ["project.created"]
    assert sent[0].payload["entity_id"] == str(project.pk) and sent[0].schema_name == tenant_a.tenant.schema_name
    assert (log.actor, log.user_id, log.details) == (Actor.CLAUDE, tenant_a.owner.pk, {
        "name": "Liberty pilot", "project_type": "project", "status": "active", "parent_id": str(goal.pk)})


def test_a_refused_create_publishes_nothing(tenant_a, tenant_b, capture_events):
    foreign = tenant_b.make("people.client")
    with tenant_a.schema():
        with pytest.raises(InvalidInput) as refused, capture_events() as sent:
            services.project_create(by=tenant_a.by_claude, name="X", client_id=foreign.pk)
        assert not Project.objects.exists()
    assert refused.value.message.startswith("client_id: no such client") and sent == []


def test_update_logs_the_changed_fields_as_the_owner(tenant_a, capture_events):
    project = tenant_a.make("tasks.project", name="Pilot")
    with tenant_a.schema(), capture_events() as sent:
        services.project_update(project=project, by=tenant_a.by_owner, name="Pilot", status="archived")
        log = _log(project, "project.updated")
    assert [e.type for e in sent] == ["project.updated"] and sent[0].payload["actor"] == Actor.USER
    assert (log.actor, log.user_id, log.details) == (Actor.USER, tenant_a.owner.pk,
                                                     {"name": "Pilot", "fields": ["status"]})


def test_update_that_changes_nothing_writes_and_publishes_nothing(tenant_a, capture_events):
    project = tenant_a.make("tasks.project", name="Pilot")
    with tenant_a.schema(), capture_events() as sent:
        services.project_update(project=project, by=tenant_a.by_owner, name="Pilot", parent_id=None)
        assert not Log.objects.filter(entity_id=project.pk).exists()
    assert sent == []


def test_a_refused_move_into_its_own_child_publishes_nothing(tenant_a, capture_events):
    top = tenant_a.make("tasks.initiative")
    leaf = tenant_a.make("tasks.project", parent=top)
    with tenant_a.schema():
        with pytest.raises(InvalidInput) as refused, capture_events() as sent:
            services.project_update(project=top, by=tenant_a.by_owner, parent_id=leaf.pk)
        assert Project.objects.get(pk=top.pk).parent_id is None
    assert refused.value.message.endswith("would make a cycle") and sent == []


def test_delete_logs_and_publishes(tenant_a, capture_events):
    project = tenant_a.make("tasks.project", name="Scratch")
    with tenant_a.schema(), capture_events() as sent:
        services.project_delete(project=project, by=tenant_a.by_owner)
        log = _log(project, "project.deleted")
        assert not Project.objects.filter(pk=project.pk).exists()
    assert [e.type for e in sent] == ["project.deleted"]
    assert (log.actor, log.user_id, log.details) == (Actor.USER, tenant_a.owner.pk,
                                                     {"name": "Scratch", "project_type": "project"})


def test_a_refused_delete_of_a_project_in_use_publishes_nothing(tenant_a, capture_events):
    project = tenant_a.make("tasks.project", name="Pilot")
    tenant_a.make("tasks.task", project=project)
    with tenant_a.schema():
        with pytest.raises(Conflict) as refused, capture_events() as sent:
            services.project_delete(project=project, by=tenant_a.by_owner)
        assert Project.objects.filter(pk=project.pk).exists()
        assert not Log.objects.filter(action="project.deleted").exists()
    assert refused.value.code == "project_in_use" and sent == []
