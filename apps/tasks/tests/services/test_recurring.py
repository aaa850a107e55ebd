"""Every write to recurring templates, through the services: each writes its Log (naming who acted)
and publishes its event on commit, a refused one publishes nothing; materializing an occurrence is
idempotent, across the DST change and under concurrency (threads with their own connections). The
API: apps/tasks/tests/api/test_recurring.py; the schedule math: apps/tasks/tests/test_schedule.py;
the beat's fan-out: apps/tasks/tests/test_tasks.py."""

import threading
import time
from datetime import datetime, timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone
from django_tenants.utils import schema_context
from model_bakery import baker
from rest_framework.test import APIClient

from apps.accounts.services import api_key_create, user_create
from apps.activity.attribution import Attribution
from apps.activity.models import Actor, Log
from apps.core.errors import Conflict, InvalidInput
from apps.tasks.models import RecurringTask, Task
from apps.tasks.services import recurring
from apps.tasks.tests.test_schedule import NEW_YORK, _local
from tests.fixtures.audit import recorded

FIRST_RUN = datetime.fromisoformat("2030-01-07T09:00:00+00:00")


# --- Log and events ---------------------------------------------------------------------------

def test_create_logs_and_publishes_who_acted(tenant_a, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        created = recurring.recurring_create(by=tenant_a.by_claude, title="Weekly report", frequency="weekly",
                                             next_run=FIRST_RUN)
    assert recorded(tenant_a, sent, "recurring.created", by=tenant_a.by_claude, entity_id=created.pk).details == {
        "title": "Weekly report", "frequency": "weekly", "cron_expression": None, "next_run": FIRST_RUN.isoformat(),
        "timezone": "UTC"}


def test_update_then_delete_log_and_publish_as_the_owner(tenant_a, capture_events):
    template = tenant_a.make("tasks.recurring", title="Weekly report", next_run=FIRST_RUN, schedule_anchor=FIRST_RUN)
    with tenant_a.schema(), capture_events() as sent:
        template = recurring.recurring_update(recurring=template, by=tenant_a.by_owner, title="Weekly KPIs", active=True)
        recurring.recurring_delete(recurring=template, by=tenant_a.by_owner)
        assert not RecurringTask.objects.exists()
    assert [e.type for e in sent] == ["recurring.updated", "recurring.deleted"]
    assert recorded(tenant_a, sent, "recurring.updated", by=tenant_a.by_owner).details == {
        "title": "Weekly KPIs", "fields": ["title"], "next_run": FIRST_RUN.isoformat(), "active": True}
    assert recorded(tenant_a, sent, "recurring.deleted", by=tenant_a.by_owner).details == {
        "title": "Weekly KPIs", "frequency": "daily"}


def test_update_that_changes_nothing_writes_and_publishes_nothing(tenant_a, capture_events):
    template = tenant_a.make("tasks.recurring", title="Weekly report", next_run=FIRST_RUN, schedule_anchor=FIRST_RUN)
    with tenant_a.schema(), capture_events() as sent:
        recurring.recurring_update(recurring=template, by=tenant_a.by_owner, title="Weekly report", active=True)
        assert not Log.objects.filter(entity_id=template.pk).exists()
    assert sent == []


def test_run_logs_and_publishes_the_task_and_the_run(tenant_a, capture_events):
    template = tenant_a.make("tasks.due")
    with tenant_a.schema(), capture_events() as sent:
        run = recurring.recurring_run(recurring=template, by=tenant_a.by_claude)
    assert [e.type for e in sent] == ["task.created", "recurring.run"]
    recorded(tenant_a, sent, "task.created", by=tenant_a.by_claude, entity_id=run.task.pk)
    log = recorded(tenant_a, sent, "recurring.run", by=tenant_a.by_claude, entity_id=template.pk)
    assert (log.details["task_id"], log.details["created"], log.details["trigger"]) == (str(run.task.pk), True, "api")


@pytest.mark.parametrize("refused", ["daily without a first run", "paused"])
def test_a_refused_change_publishes_nothing(tenant_a, capture_events, refused):
    paused = tenant_a.make("tasks.due", active=False)
    error, call = {
        "daily without a first run": (InvalidInput, lambda: recurring.recurring_create(
            by=tenant_a.by_claude, title="Inbox zero", frequency="daily")),
        "paused": (Conflict, lambda: recurring.recurring_run(recurring=paused, by=tenant_a.by_claude)),
    }[refused]
    with tenant_a.schema():
        with pytest.raises(error), capture_events() as sent:
            call()
        assert RecurringTask.objects.get() == paused and not Task.objects.exists()
        assert not Log.objects.filter(action__startswith="recurring.").exists()
    assert sent == []


# --- materializing ----------------------------------------------------------------------------

def test_run_keeps_a_daily_0900_new_york_series_across_the_dst_change(tenant_a, set_timezone):
    set_timezone("America/New_York")
    with tenant_a.schema():
        anchor = _local(NEW_YORK, 2025, 3, 7, 9, 0)
        rt = tenant_a.make("tasks.recurring", title="Daily brief", frequency="daily", next_run=anchor,
                           schedule_anchor=anchor)
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
    rt = tenant_a.make("tasks.due")
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
            rt = baker.make_recipe("tasks.recurring", user=user, title="Race report", frequency="weekly",
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


