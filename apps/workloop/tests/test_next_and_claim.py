"""Next-task selection and the atomic claim under concurrency (the endpoints serving them are
apps.workloop's)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.services import user_create
from apps.activity.attribution import Attribution
from apps.activity.models import Actor
from apps.tasks.models import Task
from apps.tasks.selectors.tasks import NEXT_ORDER
from apps.tasks.services.tasks import task_start
from apps.workloop.selectors import task_next
from apps.workloop.services import task_claim


def _task(world, **fields):
    return Task.objects.create(user=world.owner, **{"title": "t", **fields})


def test_next_orders_by_priority_then_due_date_then_age(tenant_a):
    now = timezone.now()
    with tenant_a.schema():
        _task(tenant_a, title="p2 old", priority=2)
        _task(tenant_a, title="p1 undated", priority=1)
        _task(tenant_a, title="p1 due later", priority=1, due_date=now + timedelta(days=3))
        _task(tenant_a, title="p1 due soon", priority=1, due_date=now + timedelta(days=1))
        _task(tenant_a, title="p1 for the owner", priority=1, assignee="user")
        _task(tenant_a, title="p1 working", priority=1, status="working")
        order = []
        while (task := task_next(user=tenant_a.owner)) is not None:
            order.append(task.title)
            task_start(task=task, by=tenant_a.by_claude)
    assert order == ["p1 due soon", "p1 due later", "p1 undated", "p2 old"]


def test_next_uses_the_partial_index(tenant_a):
    with tenant_a.schema():
        Task.objects.bulk_create([Task(user=tenant_a.owner, title=f"t{i}", priority=1 + i % 5) for i in range(3000)])
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tasks_task")
        plan = task_next(user=tenant_a.owner) and Task.objects.filter(
            user=tenant_a.owner, status="queued", assignee="claude", blocking_question__isnull=True,
        ).order_by(*NEXT_ORDER)[:1].explain()
    assert "idx_tasks_next" in plan


@pytest.fixture
def claim_pool(_worlds, django_db_blocker):
    """500 committed queued tasks of a user of their own (threads need committed rows)."""
    world = _worlds["a"]
    with django_db_blocker.unblock():
        user = user_create(tenant=world.tenant, email="claimer@tenant-a.example", actor=Actor.SYSTEM)
        with schema_context(world.tenant.schema_name):
            Task.objects.bulk_create([Task(user=user, title=f"job {i}", priority=1 + i % 5) for i in range(500)])
    yield world.tenant, user
    with django_db_blocker.unblock():
        user.delete()  # PostgreSQL cascades to the tasks and log rows in the tenant schema


def test_sixteen_agents_claim_every_task_exactly_once(claim_pool, django_db_blocker):
    tenant, user = claim_pool
    claimed: list[list] = [[] for _ in range(16)]
    errors = []
    start = threading.Barrier(16)

    def agent(slot):
        try:
            connection.set_tenant(tenant)
            start.wait()
            while (task := task_claim(by=Attribution.claude(user))) is not None:
                claimed[slot].append(task.pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    with django_db_blocker.unblock():
        threads = [threading.Thread(target=agent, args=(slot,)) for slot in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        with schema_context(tenant.schema_name):
            statuses = set(Task.objects.filter(user=user).values_list("status", flat=True))
    all_claims = [pk for per_agent in claimed for pk in per_agent]
    assert errors == []
    assert len(all_claims) == 500
    assert len(set(all_claims)) == 500
    assert statuses == {"working"}
    assert sum(1 for per_agent in claimed if per_agent) > 1  # the work really was shared
