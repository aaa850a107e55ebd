"""Every model of the workspace admin renders (changelist, add, change) for the owner, and every one but
the read-only audit Log is an AuditedModelAdmin: its writes go through its app's services."""

from datetime import timedelta

import pytest
from django.utils import timezone
from model_bakery import baker

from apps.activity.attribution import Attribution
from apps.activity.models import Log, LogAction
from apps.activity.services import log_record
from apps.core.admin import AuditedModelAdmin, tenant_admin_site
from apps.questions.models import Question
from apps.sales.models import SalesOpportunity
from apps.tasks.models import RecurringTask, WaitingItem

MAKERS = {
    "tasks.project": lambda owner: baker.make_recipe("tasks.project", user=owner),
    "tasks.task": lambda owner: baker.make_recipe("tasks.task", user=owner),
    "tasks.recurringtask": lambda owner: RecurringTask.objects.create(
        user=owner, title="Weekly report", frequency="weekly", next_run=timezone.now() + timedelta(days=1)),
    "tasks.waitingitem": lambda owner: WaitingItem.objects.create(user=owner, what="The signed contract"),
    "people.client": lambda owner: baker.make_recipe("people.client", user=owner),
    "people.person": lambda owner: baker.make_recipe("people.person", user=owner),
    "drafts.draft": lambda owner: baker.make_recipe("drafts.email", user=owner),
    "knowledge.knowledge": lambda owner: baker.make_recipe("knowledge.knowledge", user=owner),
    "playbooks.playbook": lambda owner: baker.make_recipe("playbooks.playbook", user=owner),
    "questions.question": lambda owner: Question.objects.create(user=owner, text="Which template for Liberty?"),
    "sales.salesopportunity": lambda owner: SalesOpportunity.objects.create(user=owner, name="Liberty pilot"),
    "activity.log": lambda owner: log_record(action=LogAction.TASK_UPDATED, by=Attribution.owner(owner)),
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
    with tenant_a.schema():
        obj = MAKERS[label](tenant_a.owner)
    base = f"/admin/{app_label}/{model_name}/"
    assert admin_client.get(base).status_code == 200
    assert admin_client.get(f"{base}?q=a").status_code == 200
    assert admin_client.get(f"{base}add/").status_code == (403 if label == "activity.log" else 200)
    assert admin_client.get(f"{base}{obj.pk}/change/").status_code == 200
