"""Recurring tasks: the API, idempotent materializing under concurrency, and the beat's per-tenant
fan-out on a real Celery worker (the schedule math: apps/tasks/tests/test_schedule.py)."""

import threading
import time
from datetime import datetime, timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from apps.accounts.models import User
from apps.accounts.services import api_key_create, user_create
from apps.activity.attribution import Attribution
from apps.activity.models import Actor, Log
from apps.tasks.models import Project, RecurringTask, Task
from apps.tasks.services import recurring
from apps.tasks.tests.test_schedule import NEW_YORK, _local

# --- API --------------------------------------------------------------------------------------

def _owner_in(world, zone_name: str) -> None:
    User.objects.filter(pk=world.owner.pk).update(timezone=zone_name)  # rolled back with the test
    world.owner.refresh_from_db()


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


def test_create_custom_starts_at_the_first_cron_time_in_the_owner_zone(tenant_a):
    _owner_in(tenant_a, "America/New_York")
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
    with tenant_b.schema():
        foreign = Project.objects.create(user=tenant_b.owner, name="B's project")
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


def _due(world, *, minutes_ago=5, **fields) -> RecurringTask:
    with world.schema():
        return RecurringTask.objects.create(**{
            "user": world.owner, "title": "Send the weekly report", "frequency": "weekly",
            "next_run": timezone.now() - timedelta(minutes=minutes_ago), **fields})


def test_due_lists_only_active_templates_whose_time_has_come(tenant_a):
    due = _due(tenant_a)
    _due(tenant_a, title="paused", active=False)
    _due(tenant_a, title="later", minutes_ago=-60)
    body = tenant_a.api().get("/api/recurring/due").json()
    assert [r["id"] for r in body["results"]] == [str(due.pk)]


def test_run_materializes_the_occurrence_and_reschedules(tenant_a):
    with tenant_a.schema():
        project = Project.objects.create(user=tenant_a.owner, name="Reporting")
    rt = _due(tenant_a, description="Numbers for the board",
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
    rt = _due(tenant_a)
    api = tenant_a.api()
    slot = rt.next_run.isoformat()
    first = api.post(f"/api/recurring/{rt.pk}/run", {"scheduled_for": slot}, format="json")
    again = api.post(f"/api/recurring/{rt.pk}/run", {"scheduled_for": slot}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["created"] is False and again.json()["task"]["id"] == first.json()["task"]["id"]
    with tenant_a.schema():
        assert Task.objects.filter(recurring_task=rt).count() == 1


def test_run_of_a_slot_that_is_not_next_or_of_a_paused_template_is_409(tenant_a):
    rt = _due(tenant_a)
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
    rt = _due(tenant_a, frequency="daily", active=False, minutes_ago=3 * 24 * 60 + 30)
    body = tenant_a.api().patch(f"/api/recurring/{rt.pk}", {"active": True}, format="json").json()
    next_run = datetime.fromisoformat(body["next_run"])
    assert timezone.now() < next_run <= timezone.now() + timedelta(days=1)
    assert (next_run - rt.next_run) % timedelta(days=1) == timedelta(0)  # same time of day (UTC owner)


def test_run_keeps_a_daily_0900_new_york_series_across_the_dst_change(tenant_a):
    _owner_in(tenant_a, "America/New_York")
    with tenant_a.schema():
        anchor = _local(NEW_YORK, 2025, 3, 7, 9, 0)
        rt = RecurringTask.objects.create(user=tenant_a.owner, title="Daily brief", frequency="daily",
                                          next_run=anchor, schedule_anchor=anchor)
        seen = []
        for _ in range(3):  # a run on time each day, the clock standing at the slot
            current = RecurringTask.objects.get(pk=rt.pk)
            with transaction.atomic():
                locked = RecurringTask.objects.select_for_update().get(pk=rt.pk)
                run = recurring._run_slot(locked, by=Attribution.system(tenant_a.owner), slot=current.next_run,
                                          now=current.next_run, trigger="beat")
            seen.append(run.task.scheduled_for.astimezone(NEW_YORK))
        final = RecurringTask.objects.get(pk=rt.pk).next_run.astimezone(NEW_YORK)
    assert [(s.day, s.hour) for s in seen] == [(7, 9), (8, 9), (9, 9)]
    assert (final.day, final.hour, final.minute) == (10, 9, 0)
    assert [s.utcoffset() for s in seen] == [timedelta(hours=-5)] * 2 + [timedelta(hours=-4)]


def test_a_slot_already_materialized_is_not_made_twice(tenant_a):
    rt = _due(tenant_a)
    with tenant_a.schema():
        first, created = recurring.recurring_task_for_slot(recurring=rt, by=Attribution.system(tenant_a.owner), slot=rt.next_run)
        again, created_again = recurring.recurring_task_for_slot(recurring=rt, by=Attribution.system(tenant_a.owner),
                                                                 slot=rt.next_run)
        assert Task.objects.filter(recurring_task=rt).count() == 1
    assert created and not created_again and again.pk == first.pk


# --- concurrency: threads with their own database connections ---------------------------------

@pytest.fixture
def committed_due(_worlds, django_db_blocker):
    """A due weekly template of a user of its own in tenant A, committed (threads need committed rows)."""
    world = _worlds["a"]
    with django_db_blocker.unblock():
        user = user_create(tenant=world.tenant, email="recurring-race@tenant-a.example",
                           timezone_name="Europe/Berlin", actor=Actor.SYSTEM)
        with schema_context(world.tenant.schema_name):
            rt = RecurringTask.objects.create(user=user, title="Race report", frequency="weekly",
                                              next_run=timezone.now() - timedelta(minutes=1))
    yield world.tenant, user, rt
    with django_db_blocker.unblock():
        user.delete()  # PostgreSQL cascades to the templates, tasks and log rows in the tenant schema


def _in_threads(tenant, work, n=2):
    results, errors = [None] * n, []
    start = threading.Barrier(n)

    def run(slot):
        try:
            connection.set_tenant(tenant)
            start.wait()
            results[slot] = work(slot)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(slot,)) for slot in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    return results


def test_two_concurrent_beats_materialize_one_task(committed_due, django_db_blocker):
    tenant, user, rt = committed_due
    now = timezone.now()
    with django_db_blocker.unblock():
        runs = _in_threads(tenant, lambda slot: recurring.recurring_materialize_due(now=now))
        with schema_context(tenant.schema_name):
            tasks = list(Task.objects.filter(recurring_task=rt))
            advanced = RecurringTask.objects.get(pk=rt.pk).next_run
            run_logs = Log.objects.filter(action="recurring.run", entity_id=rt.pk).count()
    assert len(tasks) == 1 and tasks[0].scheduled_for == rt.next_run
    assert sorted(len(r) for r in runs) == [0, 1]
    assert advanced == rt.next_run + timedelta(weeks=1)
    assert run_logs == 1


def test_two_concurrent_inserts_of_one_slot_make_one_task(committed_due, django_db_blocker):
    """The unique key alone (no row lock): the second insert waits for the first transaction and gives way."""
    tenant, user, rt = committed_due
    first_inserted = threading.Event()

    def insert(slot):
        if slot == 1:
            first_inserted.wait(10)
        with transaction.atomic():
            task, created = recurring.recurring_task_for_slot(recurring=rt, by=Attribution.system(user), slot=rt.next_run)
            if slot == 0:
                first_inserted.set()
                time.sleep(0.5)  # hold the uncommitted row while the other inserts the same slot
        return task.pk, created

    with django_db_blocker.unblock():
        results = _in_threads(tenant, insert)
        with schema_context(tenant.schema_name):
            count = Task.objects.filter(recurring_task=rt).count()
            created_logs = Log.objects.filter(action="task.created", user=user).count()
    assert count == 1 and created_logs == 1
    assert results[0][0] == results[1][0]
    assert (results[0][1], results[1][1]) == (True, False)


def test_two_concurrent_api_runs_of_one_occurrence_make_one_task(committed_due, django_db_blocker):
    """Two agents saw the same due occurrence and both POST /api/recurring/{id}/run with it, at once,
    each request on its own connection: one creates the task (201), the other gets that task (200)."""
    tenant, user, rt = committed_due
    with django_db_blocker.unblock():
        _key, raw_key = api_key_create(by=Attribution.system(user), name="race")

    def run(slot):
        client = APIClient()
        client.credentials(HTTP_X_API_KEY=raw_key)
        response = client.post(f"/api/recurring/{rt.pk}/run", {"scheduled_for": rt.next_run.isoformat()},
                               format="json")
        return response.status_code, response.json()

    with django_db_blocker.unblock():
        results = _in_threads(tenant, run)
        with schema_context(tenant.schema_name):
            tasks = list(Task.objects.filter(recurring_task=rt))
            advanced = RecurringTask.objects.get(pk=rt.pk).next_run
            runs = Log.objects.filter(action="recurring.run", entity_id=rt.pk).count()
            created = Log.objects.filter(action="task.created", user=user).count()
    assert sorted(status for status, _ in results) == [200, 201], results
    assert sorted(body["created"] for _, body in results) == [False, True]
    assert len(tasks) == 1 and tasks[0].scheduled_for == rt.next_run
    assert {body["task"]["id"] for _, body in results} == {str(tasks[0].pk)}
    assert advanced == rt.next_run + timedelta(weeks=1)  # rescheduled once, not twice
    assert (runs, created) == (1, 1)


# --- the beat's fan-out on a real worker ------------------------------------------------------

@pytest.fixture
def due_in_both_tenants(_worlds, django_db_blocker):
    made = {}
    with django_db_blocker.unblock():
        for key in ("a", "b"):
            world = _worlds[key]
            user = user_create(tenant=world.tenant, email=f"beat@{world.tenant.slug}.example", actor=Actor.SYSTEM)
            with schema_context(world.tenant.schema_name):
                rt = RecurringTask.objects.create(user=user, title=f"Beat job of {key}", frequency="daily",
                                                  next_run=timezone.now() - timedelta(minutes=2))
            made[key] = (world, user, rt)
    yield made
    with django_db_blocker.unblock():
        for _world, user, _rt in made.values():
            user.delete()


def test_beat_fan_out_materializes_due_tasks_in_each_tenant_schema(due_in_both_tenants, django_db_blocker):
    from celery.contrib.testing.worker import start_worker

    from apps.tasks.tasks import recurring_fan_out, recurring_materialize  # noqa: F401 - registers the jobs
    from expertly.celery import app

    def materialized(world, rt):
        with schema_context(world.tenant.schema_name):
            return list(Task.objects.filter(recurring_task_id=rt.pk).values_list("title", "scheduled_for"))

    with django_db_blocker.unblock():
        assert connection.schema_name == "public"
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            recurring_fan_out.delay()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not all(
                    materialized(world, rt) for world, _user, rt in due_in_both_tenants.values()):
                time.sleep(0.1)
        results = {key: materialized(world, rt) for key, (world, _user, rt) in due_in_both_tenants.items()}
        with schema_context(due_in_both_tenants["a"][0].tenant.schema_name):
            titles_in_a = set(Task.objects.filter(source="recurring").values_list("title", flat=True))
            advanced_a = RecurringTask.objects.get(pk=due_in_both_tenants["a"][2].pk).next_run
            beat_log = Log.objects.get(action="recurring.run", entity_id=due_in_both_tenants["a"][2].pk)
    for key, (_world, _user, rt) in due_in_both_tenants.items():
        assert results[key] == [(f"Beat job of {key}", rt.next_run)], results
    assert "Beat job of b" not in titles_in_a  # each tenant's task lands in its own schema only
    assert advanced_a > timezone.now()
    assert beat_log.actor == "system" and beat_log.details["trigger"] == "beat"


def test_beat_sends_the_fan_out_every_minute(settings):
    from apps.tasks.tasks import recurring_fan_out
    from expertly.celery import app

    [entry] = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == recurring_fan_out.name]
    assert entry["schedule"] == 60.0
    assert app.tasks[entry["task"]].name == recurring_fan_out.name  # registered under the name beat sends
