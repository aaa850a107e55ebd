"""The Celery jobs of the tasks app: beat's per-tenant fan-out of recurring tasks, on a real worker."""

import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context
from model_bakery import baker

from apps.accounts.services import user_create
from apps.activity.models import Actor, Log
from apps.tasks.models import RecurringTask, Task


@pytest.fixture
def due_in_both_tenants(_worlds, django_db_blocker):
    made = {}
    with django_db_blocker.unblock():
        for key in ("a", "b"):
            world = _worlds[key]
            user = user_create(tenant=world.tenant, email=f"beat@{world.tenant.slug}.example", actor=Actor.SYSTEM)
            with schema_context(world.tenant.schema_name):
                rt = baker.make_recipe("tasks.recurring", user=user, title=f"Beat job of {key}", frequency="daily",
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
