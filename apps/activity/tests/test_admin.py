"""Every model of the workspace admin renders (changelist, add, change) for the owner, and every one but
the read-only audit Log is an AuditedModelAdmin: its writes go through its app's services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.activity.models import Log
from apps.core.admin import AuditedModelAdmin, tenant_admin_site

MAKERS = {
    "tasks.project": lambda world: world.make("tasks.project"),
    "tasks.task": lambda world: world.make("tasks.task"),
    "tasks.recurringtask": lambda world: world.make("tasks.recurring", title="Weekly report", frequency="weekly",
                                                    next_run=timezone.now() + timedelta(days=1)),
    "tasks.waitingitem": lambda world: world.make("tasks.waiting", what="The signed contract"),
    "people.client": lambda world: world.make("people.client"),
    "people.person": lambda world: world.make("people.person"),
    "drafts.draft": lambda world: world.make("drafts.email"),
    "knowledge.knowledge": lambda world: world.make("knowledge.knowledge"),
    "playbooks.playbook": lambda world: world.make("playbooks.playbook"),
    "questions.question": lambda world: world.make("questions.question", text="Which template for Liberty?"),
    "sales.salesopportunity": lambda world: world.make("sales.opportunity", name="Liberty pilot"),
    "activity.log": lambda world: world.make("activity.log", action="test.rendered"),
}
REGISTERED = sorted(f"{model._meta.app_label}.{model._meta.model_name}" for model in tenant_admin_site._registry)


def test_every_registered_tenant_model_has_a_maker_here():
    assert sorted(MAKERS) == REGISTERED


def test_every_tenant_admin_but_the_log_writes_through_the_services():
    for model, model_admin in tenant_admin_site._registry.items():
        assert model is Log or isinstance(model_admin, AuditedModelAdmin), model


@pytest.mark.parametrize("label", REGISTERED)
def test_the_admin_pages_of_every_tenant_model_render(tenant_a, admin_client, label):
    app_label, model_name = label.split(".")
    obj = MAKERS[label](tenant_a)
    base = f"/admin/{app_label}/{model_name}/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(f"{base}?q=a").status_code == 200
    assert admin_client.get(f"{base}add/").status_code == (403 if label == "activity.log" else 200)
    assert admin_client.get(f"{base}{obj.pk}/change/").status_code == 200
