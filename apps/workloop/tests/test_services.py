"""Completing in the loop (apps.workloop.services.work_complete): the state first, then the knowledge
step, all or nothing."""

import pytest
from django.db import IntegrityError

from apps.activity.attribution import Attribution
from apps.activity.models import Log
from apps.core.errors import Conflict, InvalidInput
from apps.knowledge.models import Knowledge
from apps.questions.services import task_block
from apps.tasks.models import Task
from apps.tasks.services import tasks as services
from apps.workloop.services import work_complete


@pytest.fixture
def make_task(tenant_a):
    def make(**fields):
        with tenant_a.schema():
            return services.task_create(by=tenant_a.by_claude, title=fields.pop("title", "Prepare the brief"), **fields)
    return make


def _complete(task, user, **kw):
    return work_complete(task=task, by=Attribution.claude(user), output="done", learnings_captured=kw.pop("learned", False), **kw)


def _refused(call, *, state: str, says: str):
    with pytest.raises(Conflict) as excinfo:
        call()
    assert excinfo.value.status == 409
    assert f"it is {state}" in excinfo.value.message
    assert says in excinfo.value.message
    return excinfo.value


def test_cannot_complete_a_blocked_task(tenant_a, make_task):
    task = make_task()
    with tenant_a.schema():
        task = services.task_start(task=task, by=tenant_a.by_claude)
        task, question = task_block(task=task, by=tenant_a.by_claude, question_text="?")
        _refused(lambda: _complete(task, tenant_a.owner), state="blocked", says=f"questions/{question.pk}/answer")
        assert Task.objects.get(pk=task.pk).status == "blocked"


def test_cannot_complete_a_queued_task(tenant_a, make_task):
    task = make_task()
    with tenant_a.schema():
        _refused(lambda: _complete(task, tenant_a.owner), state="queued", says=f"/api/tasks/{task.pk}/start")


def test_completion_requires_the_knowledge_step(tenant_a, make_task):
    task = make_task()
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


def _task(world, title="Draft email to Maria", status="queued", **fields):
    with world.schema():
        return Task.objects.create(user=world.owner, title=title, status=status, **fields)


def _nothing_written(world, task, logs_before: int):
    with world.schema():
        assert Task.objects.get(pk=task.pk).status == "working"
        assert Task.objects.get(pk=task.pk).completed_at is None
        assert Task.objects.count() == 1  # no follow-up
        assert not Knowledge.objects.exists()
        assert Log.objects.count() == logs_before


def test_a_completion_failing_in_the_database_after_the_transition_writes_nothing(tenant_a):
    """The service's own transaction: the task was already moved, a knowledge entry and one
    follow-up written, when the second follow-up breaks a CHECK constraint. All of it is undone."""
    task = _task(tenant_a, status="working")
    with tenant_a.schema():
        logs_before = Log.objects.count()
        with pytest.raises(IntegrityError, match="task_priority_range"):
            work_complete(task=task, by=tenant_a.by_claude, output="Sent", learnings_captured=None,
                          knowledge=[{"content": "Maria reads email on Mondays", "category": "person"}],
                          follow_up_tasks=[{"title": "A good one"}, {"title": "Bad", "priority": 9}])
    _nothing_written(tenant_a, task, logs_before)
