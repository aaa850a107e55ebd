"""The workspace admin's task pages write through task_create / task_update (actor user), so what the
owner types there is handled as through the API: the audit Log, the live event, and the trigger
phrases of the description captured as Knowledge (seed principle 1). Deleting is cancelling (task_cancel);
recurring templates, waiting items and projects are written through their own services."""

from django.utils import timezone

from apps.activity.models import Log
from apps.knowledge.models import Knowledge
from apps.tasks.models import Project, RecurringTask, Task, TaskPerson, WaitingItem
from tests.fixtures.admin import admin_action, admin_page, admin_saved

NO_PEOPLE = {"task_people-TOTAL_FORMS": "0", "task_people-INITIAL_FORMS": "0"}


def _form(**fields) -> dict:
    return {"title": "Prepare the Liberty pilot review", "description": "", "priority": "3", "assignee": "claude",
            "project": "", "due_date_0": "", "due_date_1": "", "context": "{}", "source": "", "tags": "",
            **NO_PEOPLE, **fields}


def test_a_task_added_in_the_admin_is_created_by_the_service_and_its_trigger_phrase_captured(
        tenant_a, admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        admin_saved(admin_client.post("/admin/tasks/task/add/", _form(
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
    assert len(callbacks) == 2  # task.created and knowledge.captured, published on commit


def test_a_description_edited_in_the_admin_is_detected_and_the_update_logged(tenant_a, admin_client, patrick):
    task = tenant_a.make("tasks.task", title="Weekly report", description="Send the report.")
    admin_saved(admin_client.post(f"/admin/tasks/task/{task.pk}/change/", _form(
        title="Weekly report", description="Send the report. For future reference, Patrick wants it as a PDF.",
        **{"task_people-TOTAL_FORMS": "1", "task_people-INITIAL_FORMS": "0", "task_people-0-person": str(patrick.pk),
           "task_people-0-role": "recipient"})))
    with tenant_a.schema():
        task.refresh_from_db()
        assert task.description.endswith("wants it as a PDF.") and task.status == "queued"
        assert list(TaskPerson.objects.filter(task=task).values_list("person_id", "role")) == [(patrick.pk, "recipient")]
        log, = Log.objects.filter(action="task.updated", entity_id=task.pk)
        assert log.actor == "user" and log.details["fields"] == ["description", "people"]
        entry = Knowledge.objects.get(source_task=task)
        assert entry.trigger_phrase == "for future reference" and entry.status == "captured"


def test_saving_unchanged_in_the_admin_logs_nothing_and_captures_nothing_again(tenant_a, admin_client):
    admin_saved(admin_client.post("/admin/tasks/task/add/", _form(description="Always cc Mary.")))
    with tenant_a.schema():
        task = Task.objects.get(title="Prepare the Liberty pilot review")
    admin_saved(admin_client.post(f"/admin/tasks/task/{task.pk}/change/", _form(description="Always cc Mary.", source="manual")))
    with tenant_a.schema():
        assert list(Log.objects.filter(action="task.updated", entity_id=task.pk).values_list("details", flat=True)) == []
        assert Knowledge.objects.filter(source_task=task).count() == 1


def test_status_stays_read_only_and_a_final_task_cannot_be_changed_in_the_admin(tenant_a, admin_client):
    task = tenant_a.make("tasks.task", title="Weekly report")
    admin_saved(admin_client.post(f"/admin/tasks/task/{task.pk}/change/", _form(title="Weekly report", status="completed")))
    with tenant_a.schema():
        assert Task.objects.get(pk=task.pk).status == "queued"
        Task.objects.filter(pk=task.pk).update(status="cancelled")
    response = admin_client.post(f"/admin/tasks/task/{task.pk}/change/", _form(title="Renamed"))
    assert response.status_code == 403
    with tenant_a.schema():
        assert Task.objects.get(pk=task.pk).title == "Weekly report"
    assert admin_client.get(f"/admin/tasks/task/{task.pk}/change/").status_code == 200  # still viewable


# --- deleting is cancelling; recurring templates, waiting items and projects through their services ---

def test_a_task_is_cancelled_not_deleted_in_the_admin(tenant_a, admin_client):
    task = tenant_a.make("tasks.task", title="Weekly report")
    assert admin_client.get(f"/admin/tasks/task/{task.pk}/delete/").status_code == 403
    changelist = admin_page(admin_client.get("/admin/tasks/task/"))
    assert 'value="delete_selected"' not in changelist and 'value="cancel_selected"' in changelist
    page = admin_action(admin_client, "/admin/tasks/task/", "cancel_selected", task)
    assert "Cancelled: 1." in page
    with tenant_a.schema():
        task.refresh_from_db()
        assert task.status == "cancelled"  # kept, as DELETE /api/tasks/{id} keeps it
        log = Log.objects.get(action="task.cancelled", entity_id=task.pk)
        assert log.actor == "user" and log.user_id == tenant_a.owner.pk and log.details["new_status"] == "cancelled"


def test_cancelling_a_final_task_in_the_admin_shows_the_refusal_and_changes_nothing(tenant_a, admin_client):
    done = tenant_a.make("tasks.task", title="Sent the report", status="completed", completed_at=timezone.now())
    open_task = tenant_a.make("tasks.task", title="Weekly report")
    page = admin_action(admin_client, "/admin/tasks/task/", "cancel_selected", done, open_task)
    assert "Sent the report: " in page and "completed" in page and "Cancelled: 1." in page
    with tenant_a.schema():
        assert Task.objects.get(pk=done.pk).status == "completed"
        assert not Log.objects.filter(action="task.cancelled", entity_id=done.pk).exists()
        assert Task.objects.get(pk=open_task.pk).status == "cancelled"


RECURRING = {"title": "Weekly report", "description": "", "task_template": "{}", "frequency": "weekly",
             "cron_expression": "", "next_run_0": "2031-01-06", "next_run_1": "09:00:00", "active": "on"}


def test_recurring_templates_are_written_and_deleted_through_their_services(tenant_a, admin_client):
    admin_saved(admin_client.post("/admin/tasks/recurringtask/add/", RECURRING))
    with tenant_a.schema():
        template = RecurringTask.objects.get(title="Weekly report")
        assert template.schedule_anchor == template.next_run  # the service's series anchor
        assert Log.objects.get(action="recurring.created", entity_id=template.pk).actor == "user"
    admin_saved(admin_client.post(f"/admin/tasks/recurringtask/{template.pk}/change/", {**RECURRING, "title": "Weekly KPIs"}))
    with tenant_a.schema():
        log = Log.objects.get(action="recurring.updated", entity_id=template.pk)
        assert log.actor == "user" and log.details["fields"] == ["title"]
    admin_saved(admin_client.post(f"/admin/tasks/recurringtask/{template.pk}/delete/", {"post": "yes"}))
    with tenant_a.schema():
        assert not RecurringTask.objects.filter(pk=template.pk).exists()
        assert Log.objects.get(action="recurring.deleted", entity_id=template.pk).actor == "user"


def test_a_schedule_the_service_refuses_is_shown_on_the_form_and_nothing_isadmin_saved(tenant_a, admin_client):
    response = admin_client.post("/admin/tasks/recurringtask/add/",
                                 {**RECURRING, "frequency": "custom", "cron_expression": "every monday"})
    page = admin_page(response)
    assert "cron_expression" in page and 'value="every monday"' in page  # the form again, as posted
    with tenant_a.schema():
        assert not RecurringTask.objects.exists() and not Log.objects.filter(action="recurring.created").exists()


WAITING = {"what": "The signed contract", "who": "Patrick", "since_0": "2030-01-06", "since_1": "09:00:00",
           "follow_up_date_0": "", "follow_up_date_1": "", "why_it_matters": "", "task": "", "person": ""}


def test_waiting_items_are_written_resolved_and_deleted_through_their_services(tenant_a, admin_client):
    admin_saved(admin_client.post("/admin/tasks/waitingitem/add/", WAITING))
    with tenant_a.schema():
        item = WaitingItem.objects.get(what="The signed contract")
        assert Log.objects.get(action="waiting.created", entity_id=item.pk).actor == "user"
    admin_saved(admin_client.post(f"/admin/tasks/waitingitem/{item.pk}/change/", {**WAITING, "who": "Patrick Smith"}))
    assert "Resolved: 1." in admin_action(admin_client, "/admin/tasks/waitingitem/", "resolve_selected", item)
    with tenant_a.schema():
        item.refresh_from_db()
        assert (item.status, item.who) == ("resolved", "Patrick Smith") and item.resolved_at is not None
        assert Log.objects.get(action="waiting.updated", entity_id=item.pk).details["fields"] == ["who"]
        assert Log.objects.get(action="waiting.resolved", entity_id=item.pk).actor == "user"
    page = admin_action(admin_client, "/admin/tasks/waitingitem/", "resolve_selected", item)
    assert "is already resolved" in page
    with tenant_a.schema():
        assert Log.objects.filter(action="waiting.resolved", entity_id=item.pk).count() == 1
    admin_saved(admin_client.post(f"/admin/tasks/waitingitem/{item.pk}/delete/", {"post": "yes"}))
    with tenant_a.schema():
        assert not WaitingItem.objects.filter(pk=item.pk).exists()
        assert Log.objects.get(action="waiting.deleted", entity_id=item.pk).actor == "user"


PROJECT = {"name": "Liberty pilot", "description": "", "project_type": "project", "status": "active",
           "priority_order": "0", "success_criteria": "", "target_date": "", "parent": "", "client": "",
           "metadata": "{}"}


def test_projects_are_written_through_their_services_and_one_in_use_is_not_deleted(tenant_a, admin_client):
    admin_saved(admin_client.post("/admin/tasks/project/add/", PROJECT))
    with tenant_a.schema():
        project = Project.objects.get(name="Liberty pilot")
        assert Log.objects.get(action="project.created", entity_id=project.pk).actor == "user"
    tenant_a.make("tasks.task", title="Kick-off", project=project)
    admin_saved(admin_client.post(f"/admin/tasks/project/{project.pk}/change/", {**PROJECT, "status": "archived"}))
    page = admin_page(admin_client.post(f"/admin/tasks/project/{project.pk}/delete/", {"post": "yes"}, follow=True))
    assert "Project 'Liberty pilot' still has 1 task" in page
    with tenant_a.schema():
        assert Project.objects.get(pk=project.pk).status == "archived"
        assert Log.objects.get(action="project.updated", entity_id=project.pk).details["fields"] == ["status"]
        assert not Log.objects.filter(action="project.deleted").exists()
        Task.objects.filter(project=project).delete()
    page = admin_action(admin_client, "/admin/tasks/project/", "delete_selected", project)
    assert "Are you sure" in page  # Django's confirmation first
    response = admin_client.post("/admin/tasks/project/", {"action": "delete_selected", "post": "yes",
                                                           "_selected_action": [str(project.pk)]}, follow=True)
    assert "Deleted: 1." in admin_page(response)
    with tenant_a.schema():
        assert not Project.objects.filter(pk=project.pk).exists()
        assert Log.objects.get(action="project.deleted", entity_id=project.pk).actor == "user"
