"""Every write to projects, through the services: each writes its Log (naming who acted) and publishes
its event on commit; an update that changes nothing writes and publishes nothing; a refused change (a
foreign reference, a cycle, a project in use) publishes nothing."""

import pytest

from apps.activity.models import Log
from apps.core.errors import Conflict, InvalidInput
from apps.tasks.models import Project
from apps.tasks.services import projects as services
from tests.fixtures.audit import recorded


def test_create_logs_and_publishes_who_acted(tenant_a, capture_events):
    goal = tenant_a.make("tasks.project", name="Revenue +20%", project_type="goal")
    with tenant_a.schema(), capture_events() as sent:
        project = services.project_create(by=tenant_a.by_claude, name="Liberty pilot", parent_id=goal.pk)
    assert recorded(tenant_a, sent, "project.created", by=tenant_a.by_claude, entity_id=project.pk).details == {
        "name": "Liberty pilot", "project_type": "project", "status": "active", "parent_id": str(goal.pk)}


def test_update_then_delete_log_and_publish_as_the_owner(tenant_a, capture_events):
    project = tenant_a.make("tasks.project", name="Pilot")
    with tenant_a.schema(), capture_events() as sent:
        services.project_update(project=project, by=tenant_a.by_owner, name="Pilot", status="archived")
        services.project_delete(project=project, by=tenant_a.by_owner)
        assert not Project.objects.filter(pk=project.pk).exists()
    assert [e.type for e in sent] == ["project.updated", "project.deleted"]
    assert recorded(tenant_a, sent, "project.updated", by=tenant_a.by_owner).details == {
        "name": "Pilot", "fields": ["status"]}
    assert recorded(tenant_a, sent, "project.deleted", by=tenant_a.by_owner).details == {
        "name": "Pilot", "project_type": "project"}


def test_update_that_changes_nothing_writes_and_publishes_nothing(tenant_a, capture_events):
    project = tenant_a.make("tasks.project", name="Pilot")
    with tenant_a.schema(), capture_events() as sent:
        services.project_update(project=project, by=tenant_a.by_owner, name="Pilot", parent_id=None)
        assert not Log.objects.filter(entity_id=project.pk).exists()
    assert sent == []


@pytest.mark.parametrize("refused", ["foreign client", "cycle", "in use"])
def test_a_refused_change_publishes_nothing(tenant_a, tenant_b, capture_events, refused):
    top = tenant_a.make("tasks.initiative", name="Pilot")
    leaf = tenant_a.make("tasks.project", parent=top)
    tenant_a.make("tasks.task", project=top)
    foreign = tenant_b.make("people.client")
    error, call = {
        "foreign client": (InvalidInput, lambda: services.project_create(by=tenant_a.by_claude, name="X",
                                                                          client_id=foreign.pk)),
        "cycle": (InvalidInput, lambda: services.project_update(project=top, by=tenant_a.by_owner, parent_id=leaf.pk)),
        "in use": (Conflict, lambda: services.project_delete(project=top, by=tenant_a.by_owner)),
    }[refused]
    with tenant_a.schema():
        with pytest.raises(error), capture_events() as sent:
            call()
        assert list(Project.objects.order_by("created_at").values_list("pk", "parent_id")) == [(top.pk, None),
                                                                                              (leaf.pk, top.pk)]
        assert not Log.objects.filter(action__startswith="project.").exists()
    assert sent == []
