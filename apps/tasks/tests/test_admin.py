"""The workspace admin's task pages write through task_create / task_update (actor user), so what the
owner types there is handled as through the API: the audit Log, the live event, and the trigger
phrases of the description captured as Knowledge (seed principle 1)."""

import pytest
from django.test import Client
from model_bakery import baker

from apps.activity.models import Log
from apps.knowledge.models import Knowledge
from apps.tasks.models import Task, TaskPerson

PASSWORD = "correct horse battery staple"
NO_PEOPLE = {"task_people-TOTAL_FORMS": "0", "task_people-INITIAL_FORMS": "0"}


@pytest.fixture
def admin_client(tenant_a) -> Client:
    client = Client(HTTP_HOST=tenant_a.host)
    response = client.post("/admin/login/", {"username": tenant_a.owner.email, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    return client


def _form(**fields) -> dict:
    return {"title": "Prepare the Liberty pilot review", "description": "", "priority": "3", "assignee": "claude",
            "project": "", "due_date_0": "", "due_date_1": "", "context": "{}", "source": "", "tags": "",
            **NO_PEOPLE, **fields}


def _saved(response):
    assert response.status_code == 302, response.content.decode()[:3000]


def test_a_task_added_in_the_admin_is_created_by_the_service_and_its_trigger_phrase_captured(
        tenant_a, admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _saved(admin_client.post("/admin/tasks/task/add/", _form(
            description="Review the pilot numbers. Going forward, always send Patrick the numbers before the call.")))
    with tenant_a.schema():
        task = Task.objects.get(title="Prepare the Liberty pilot review")
        assert task.user_id == tenant_a.owner.pk and task.status == "queued" and task.source == "manual"
        log = Log.objects.get(action="task.created", entity_id=task.pk)
        assert log.actor == "user" and log.details["title"] == task.title
        entry = Knowledge.objects.get(source_task=task)
        assert (entry.source_type, entry.status, entry.trigger_phrase) == ("trigger_phrase", "captured", "going forward")
        assert entry.content == "Going forward, always send Patrick the numbers before the call."
        assert Log.objects.filter(action="knowledge.captured", entity_id=entry.pk, actor="user").exists()
        assert not Log.objects.filter(action="task.created", details__via="admin").exists()  # one write, one log
    assert len(callbacks) >= 2  # task.created and knowledge.captured are published on commit


def test_a_description_edited_in_the_admin_is_detected_and_the_update_logged(tenant_a, admin_client):
    with tenant_a.schema():
        task = Task.objects.create(user=tenant_a.owner, title="Weekly report", description="Send the report.")
        person = baker.make_recipe("drafts.patrick", user=tenant_a.owner)
    _saved(admin_client.post(f"/admin/tasks/task/{task.pk}/change/", _form(
        title="Weekly report", description="Send the report. For future reference, Patrick wants it as a PDF.",
        **{"task_people-TOTAL_FORMS": "1", "task_people-INITIAL_FORMS": "0", "task_people-0-person": str(person.pk),
           "task_people-0-role": "recipient"})))
    with tenant_a.schema():
        task.refresh_from_db()
        assert task.description.endswith("wants it as a PDF.") and task.status == "queued"
        assert list(TaskPerson.objects.filter(task=task).values_list("person_id", "role")) == [(person.pk, "recipient")]
        log, = Log.objects.filter(action="task.updated", entity_id=task.pk)
        assert log.actor == "user" and log.details["fields"] == ["description", "people"]
        entry = Knowledge.objects.get(source_task=task)
        assert entry.trigger_phrase == "for future reference" and entry.status == "captured"


def test_saving_unchanged_in_the_admin_logs_nothing_and_captures_nothing_again(tenant_a, admin_client):
    _saved(admin_client.post("/admin/tasks/task/add/", _form(description="Always cc Mary.")))
    with tenant_a.schema():
        task = Task.objects.get(title="Prepare the Liberty pilot review")
    _saved(admin_client.post(f"/admin/tasks/task/{task.pk}/change/", _form(description="Always cc Mary.", source="manual")))
    with tenant_a.schema():
        assert list(Log.objects.filter(action="task.updated", entity_id=task.pk).values_list("details", flat=True)) == []
        assert Knowledge.objects.filter(source_task=task).count() == 1


def test_status_stays_read_only_and_a_final_task_cannot_be_changed_in_the_admin(tenant_a, admin_client):
    with tenant_a.schema():
        task = Task.objects.create(user=tenant_a.owner, title="Weekly report")
    _saved(admin_client.post(f"/admin/tasks/task/{task.pk}/change/", _form(title="Weekly report", status="completed")))
    with tenant_a.schema():
        assert Task.objects.get(pk=task.pk).status == "queued"
        Task.objects.filter(pk=task.pk).update(status="cancelled")
    response = admin_client.post(f"/admin/tasks/task/{task.pk}/change/", _form(title="Renamed"))
    assert response.status_code == 403
    with tenant_a.schema():
        assert Task.objects.get(pk=task.pk).title == "Weekly report"
    assert admin_client.get(f"/admin/tasks/task/{task.pk}/change/").status_code == 200  # still viewable
