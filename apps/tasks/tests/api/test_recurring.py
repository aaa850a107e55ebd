"""Recurring tasks API: templates created, changed and deleted with the schedule checked (400 naming the
field), the due list, and running an occurrence (idempotent with the slot seen, 409 for a slot that is not
next or a paused template). The schedule math: apps/tasks/tests/test_schedule.py; materializing under
concurrency: apps/tasks/tests/services/test_recurring.py."""

from datetime import datetime, timedelta

from django.utils import timezone

from apps.activity.models import Log
from apps.tasks.models import RecurringTask, Task
from apps.tasks.tests.test_schedule import NEW_YORK


def _logs(world, action):
    with world.schema():
        return list(Log.objects.filter(action=action).order_by("timestamp"))


def test_create_daily_requires_next_run(tenant_a):
    response = tenant_a.api().post("/api/recurring", {"title": "Inbox zero", "frequency": "daily"}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["message"].startswith("next_run: required for a daily schedule")


def test_create_refuses_a_bad_cron_expression_naming_the_field(tenant_a):
    api = tenant_a.api()
    bad = api.post("/api/recurring", {"title": "x", "frequency": "custom", "cron_expression": "0 25 * * *"},
                   format="json")
    assert bad.status_code == 400
    assert bad.json()["error"]["message"].startswith("cron_expression:")
    assert "cron_expression" in bad.json()["error"]["details"]
    stray = api.post("/api/recurring", {"title": "x", "frequency": "daily", "cron_expression": "0 9 * * *",
                                        "next_run": "2030-01-01T09:00:00Z"}, format="json")
    assert stray.status_code == 400 and stray.json()["error"]["message"].startswith("cron_expression: only used")
    with tenant_a.schema():
        assert not RecurringTask.objects.exists()


def test_create_custom_starts_at_the_first_cron_time_in_the_owner_zone(tenant_a, set_timezone):
    set_timezone("America/New_York")
    response = tenant_a.api().post("/api/recurring", {
        "title": "Weekly pipeline review", "frequency": "custom", "cron_expression": "0 9 * * 1",
        "task_template": {"priority": 2, "tags": ["sales"]},
    }, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    next_run = datetime.fromisoformat(body["next_run"]).astimezone(NEW_YORK)
    assert (next_run.weekday(), next_run.hour, next_run.minute) == (0, 9, 0)
    assert timezone.now() < next_run <= timezone.now() + timedelta(days=7)
    assert body["task_template"] == {"priority": 2, "tags": ["sales"]}
    [log] = _logs(tenant_a, "recurring.created")
    assert log.details["timezone"] == "America/New_York" and log.details["cron_expression"] == "0 9 * * 1"


def test_task_template_is_checked(tenant_a, tenant_b):
    foreign = tenant_b.make("tasks.project", name="B's project")
    api = tenant_a.api()
    base = {"title": "x", "frequency": "daily", "next_run": "2030-01-01T09:00:00Z"}
    unknown = api.post("/api/recurring", {**base, "task_template": {"priorty": 1}}, format="json")
    assert unknown.status_code == 400 and unknown.json()["error"]["message"].startswith("task_template: priorty:")
    other = api.post("/api/recurring", {**base, "task_template": {"project_id": str(foreign.pk)}}, format="json")
    assert other.status_code == 400
    assert other.json()["error"]["message"].startswith("task_template: project_id: no such project")


def test_crud_writes_the_log(tenant_a):
    api = tenant_a.api()
    created = api.post("/api/recurring", {"title": "Standup notes", "frequency": "daily",
                                          "next_run": "2030-01-01T09:00:00Z"}, format="json").json()
    url = f"/api/recurring/{created['id']}"
    assert api.get(url).json()["title"] == "Standup notes"
    assert [r["id"] for r in api.get("/api/recurring").json()["results"]] == [created["id"]]
    patched = api.patch(url, {"active": False, "title": "Standup summary"}, format="json")
    assert patched.status_code == 200 and patched.json()["active"] is False
    assert api.get("/api/recurring", {"active": "true"}).json()["results"] == []
    assert api.get("/api/recurring", {"frequency": "nope"}).status_code == 400
    assert api.put(url, {"frequency": "weekly"}, format="json").json()["frequency"] == "weekly"
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    [updated_1, updated_2] = _logs(tenant_a, "recurring.updated")
    assert updated_1.details["fields"] == ["active", "title"] and updated_2.details["fields"] == ["frequency"]
    assert len(_logs(tenant_a, "recurring.created")) == len(_logs(tenant_a, "recurring.deleted")) == 1


def test_switching_to_custom_needs_an_expression_and_back_drops_it(tenant_a):
    api = tenant_a.api()
    created = api.post("/api/recurring", {"title": "x", "frequency": "daily", "next_run": "2030-01-01T09:00:00Z"},
                       format="json").json()
    url = f"/api/recurring/{created['id']}"
    assert api.patch(url, {"frequency": "custom"}, format="json").status_code == 400
    custom = api.patch(url, {"frequency": "custom", "cron_expression": "30 7 * * *"}, format="json").json()
    assert custom["cron_expression"] == "30 7 * * *"
    assert datetime.fromisoformat(custom["next_run"]) < datetime.fromisoformat("2030-01-01T09:00:00+00:00")
    daily = api.patch(url, {"frequency": "daily", "next_run": "2031-01-01T09:00:00Z"}, format="json").json()
    assert daily["cron_expression"] is None and daily["frequency"] == "daily"


def test_due_lists_only_active_templates_whose_time_has_come(tenant_a):
    due = tenant_a.make("tasks.due")
    tenant_a.make("tasks.due", title="paused", active=False)
    tenant_a.make("tasks.due", title="later", next_run=timezone.now() + timedelta(minutes=60))
    body = tenant_a.api().get("/api/recurring/due").json()
    assert [r["id"] for r in body["results"]] == [str(due.pk)]


def test_run_materializes_the_occurrence_and_reschedules(tenant_a):
    project = tenant_a.make("tasks.project", name="Reporting")
    rt = tenant_a.make("tasks.due", description="Numbers for the board",
              task_template={"priority": 1, "assignee": "claude", "project_id": str(project.pk), "tags": ["weekly"],
                             "context": {"audience": "board"}})
    slot = rt.next_run
    response = tenant_a.api().post(f"/api/recurring/{rt.pk}/run", format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] is True and datetime.fromisoformat(body["scheduled_for"]) == slot
    task = body["task"]
    assert (task["title"], task["description"], task["priority"], task["source"], task["tags"]) == (
        "Send the weekly report", "Numbers for the board", 1, "recurring", ["weekly"])
    assert task["project"]["id"] == str(project.pk)
    assert task["context"]["audience"] == "board" and task["context"]["recurring"]["recurring_task_id"] == str(rt.pk)
    assert datetime.fromisoformat(body["recurring"]["next_run"]) == slot + timedelta(weeks=1)
    assert body["recurring"]["last_run"] is not None
    with tenant_a.schema():
        assert Task.objects.get(pk=task["id"]).scheduled_for == slot
    [run_log] = _logs(tenant_a, "recurring.run")
    assert run_log.details["task_id"] == task["id"] and run_log.details["trigger"] == "api"
    assert len(_logs(tenant_a, "task.created")) == 1


def test_run_with_the_seen_slot_is_idempotent(tenant_a):
    rt = tenant_a.make("tasks.due")
    api = tenant_a.api()
    slot = rt.next_run.isoformat()
    first = api.post(f"/api/recurring/{rt.pk}/run", {"scheduled_for": slot}, format="json")
    again = api.post(f"/api/recurring/{rt.pk}/run", {"scheduled_for": slot}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["created"] is False and again.json()["task"]["id"] == first.json()["task"]["id"]
    with tenant_a.schema():
        assert Task.objects.filter(recurring_task=rt).count() == 1


def test_run_of_a_slot_that_is_not_next_or_of_a_paused_template_is_409(tenant_a):
    rt = tenant_a.make("tasks.due")
    api = tenant_a.api()
    stale = api.post(f"/api/recurring/{rt.pk}/run", {"scheduled_for": "2001-01-01T00:00:00Z"}, format="json")
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "not_next_occurrence"
    assert stale.json()["error"]["details"]["next_run"] == rt.next_run.isoformat()
    api.patch(f"/api/recurring/{rt.pk}", {"active": False}, format="json")
    paused = api.post(f"/api/recurring/{rt.pk}/run", format="json")
    assert paused.status_code == 409 and paused.json()["error"]["code"] == "recurring_inactive"
    with tenant_a.schema():
        assert not Task.objects.exists()


def test_reactivating_skips_the_runs_missed_while_paused(tenant_a):
    rt = tenant_a.make("tasks.due", frequency="daily", active=False,
                       next_run=timezone.now() - timedelta(minutes=3 * 24 * 60 + 30))
    body = tenant_a.api().patch(f"/api/recurring/{rt.pk}", {"active": True}, format="json").json()
    next_run = datetime.fromisoformat(body["next_run"])
    assert timezone.now() < next_run <= timezone.now() + timedelta(days=1)
    assert (next_run - rt.next_run) % timedelta(days=1) == timedelta(0)  # same time of day (UTC owner)
