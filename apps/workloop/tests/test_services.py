"""Claude's loop through its services: completing (apps.workloop.services.work_complete: the state
first, then the knowledge step, all or nothing; the move, the learnings, the follow-ups and the
must-consult warnings each with their Log and event) and claiming (task_claim: the atomic pick and
start, under concurrency)."""

import threading

import pytest
from django.db import IntegrityError, connection, connections
from django_tenants.utils import schema_context
from model_bakery import baker

from apps.accounts.services import user_create
from apps.activity.attribution import Attribution
from apps.activity.models import Actor, Log
from apps.core.errors import InvalidInput
from apps.questions.services import task_block
from apps.tasks.models import Task
from apps.tasks.services import tasks as services
from apps.workloop.services import task_claim, work_complete
from tests.fixtures.audit import recorded
from tests.fixtures.tasks import completion_undone, loop_complete, transition_refused


def _moves(sent) -> list[tuple[str, str]]:
    return [(e.type, e.payload["action"]) for e in sent]


# --- completing -------------------------------------------------------------------------------

def test_complete_logs_and_publishes_the_move_the_learnings_the_follow_ups_and_the_skipped_playbook(
        tenant_a, capture_events):
    guide = tenant_a.make("playbooks.email_guide")
    task = tenant_a.make("tasks.task", title="Draft email to Maria", status="working")
    with tenant_a.schema(), capture_events() as sent:
        done = work_complete(task=task, by=tenant_a.by_claude, output="Sent", learnings_captured=None,
                             knowledge=[{"content": "Maria reads email on Mondays", "category": "rule"}],
                             follow_up_tasks=[{"title": "Chase Maria"}])
    assert _moves(sent) == [
        ("task.status_changed", "task.completed"), ("knowledge.captured", "knowledge.captured"),
        ("knowledge.routed", "knowledge.routed"), ("task.created", "task.created"),
        ("playbook.consult_skipped", "playbook.consult_skipped")]
    assert {e.payload["actor"] for e in sent} == {Actor.CLAUDE}
    recorded(tenant_a, sent, "task.created", by=tenant_a.by_claude, entity_id=done.follow_up_tasks[0].pk)
    assert recorded(tenant_a, sent, "task.completed", by=tenant_a.by_claude, event="task.status_changed").details == {
        "task_id": str(task.pk), "title": "Draft email to Maria", "old_status": "working", "new_status": "completed",
        "learnings_captured": True}
    assert recorded(tenant_a, sent, "playbook.consult_skipped", by=tenant_a.by_claude, entity_id=guide.pk).details == {
        "task_id": str(task.pk), "name": "email-drafting-guide"}


def test_a_refused_completion_publishes_nothing(tenant_a, capture_events):
    task = tenant_a.make("tasks.task", status="working")
    with tenant_a.schema():
        with pytest.raises(InvalidInput), capture_events() as sent:
            work_complete(task=task, by=tenant_a.by_claude, output="x", learnings_captured=None)
        assert not Log.objects.filter(entity_id=task.pk).exists()
    assert sent == []


def test_cannot_complete_a_blocked_task(tenant_a):
    task = tenant_a.make("tasks.task")
    with tenant_a.schema():
        task = services.task_start(task=task, by=tenant_a.by_claude)
        task, question = task_block(task=task, by=tenant_a.by_claude, question_text="?")
        transition_refused(lambda: loop_complete(task, tenant_a.owner), state="blocked",
                           says=f"questions/{question.pk}/answer")
        assert Task.objects.get(pk=task.pk).status == "blocked"


def test_cannot_complete_a_queued_task(tenant_a):
    task = tenant_a.make("tasks.task")
    with tenant_a.schema():
        transition_refused(lambda: loop_complete(task, tenant_a.owner), state="queued",
                           says=f"/api/tasks/{task.pk}/start")


def test_completion_requires_the_knowledge_step(tenant_a):
    task = tenant_a.make("tasks.task")
    with tenant_a.schema():
        task = services.task_start(task=task, by=tenant_a.by_claude)
        with pytest.raises(InvalidInput) as excinfo:
            work_complete(task=task, by=tenant_a.by_claude, output="x", learnings_captured=None)
        assert excinfo.value.message.startswith("Before completing, what did you learn?")
        for category in ("playbook", "person", "client", "project", "setting", "rule"):
            assert category in excinfo.value.message
        assert Task.objects.get(pk=task.pk).status == "working"
        assert work_complete(task=task, by=tenant_a.by_claude, output="x", learnings_captured=False).task \
            .status == "completed"


def test_a_completion_failing_in_the_database_after_the_transition_writes_nothing(tenant_a):
    """The service's own transaction: the task was already moved, a knowledge entry and one
    follow-up written, when the second follow-up breaks a CHECK constraint. All of it is undone."""
    task = tenant_a.make("tasks.task", title="Draft email to Maria", status="working")
    with tenant_a.schema():
        logs_before = Log.objects.count()
        with pytest.raises(IntegrityError, match="task_priority_range"):
            work_complete(task=task, by=tenant_a.by_claude, output="Sent", learnings_captured=None,
                          knowledge=[{"content": "Maria reads email on Mondays", "category": "person"}],
                          follow_up_tasks=[{"title": "A good one"}, {"title": "Bad", "priority": 9}])
    completion_undone(tenant_a, task, logs_before)


# --- claiming ---------------------------------------------------------------------------------

def test_claim_logs_and_publishes_the_start(tenant_a, capture_events):
    task = tenant_a.make("tasks.task", title="Draft email to Maria", priority=1)
    with tenant_a.schema(), capture_events() as sent:
        claimed = task_claim(by=tenant_a.by_claude)
    assert claimed.pk == task.pk and claimed.status == "working" and len(sent) == 1
    assert recorded(tenant_a, sent, "task.started", by=tenant_a.by_claude, event="task.status_changed").details == {
        "task_id": str(task.pk), "title": "Draft email to Maria", "old_status": "queued", "new_status": "working",
        "claimed": True}


def test_claiming_with_nothing_queued_writes_and_publishes_nothing(tenant_a, capture_events):
    tenant_a.make("tasks.task", assignee="user")
    with tenant_a.schema(), capture_events() as sent:
        assert task_claim(by=tenant_a.by_claude) is None
        assert not Log.objects.filter(action="task.started").exists()
    assert sent == []


@pytest.fixture
def claim_pool(_worlds, django_db_blocker):
    """500 committed queued tasks of a user of their own (threads need committed rows)."""
    world = _worlds["a"]
    with django_db_blocker.unblock():
        user = user_create(tenant=world.tenant, email="claimer@tenant-a.example", actor=Actor.SYSTEM)
        with schema_context(world.tenant.schema_name):
            baker.make_recipe("tasks.task", _quantity=500, _bulk_create=True, user=user,
                              title=(f"job {i}" for i in range(500)), priority=(1 + i % 5 for i in range(500)))
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
