"""Blocking a task on a new question (task_block), answering and dismissing: the answer reaches every
task linked to the question (question_unblocks), and each task it blocked is requeued or waits on
its next unanswered question."""

import pytest

from apps.activity.attribution import Attribution
from apps.activity.models import Log
from apps.core.errors import Conflict
from apps.questions.services import question_answer, question_create, question_dismiss, task_block
from apps.tasks.services import tasks as services
from apps.workloop.services import work_complete


@pytest.fixture
def owner(tenant_a):
    with tenant_a.schema():
        yield tenant_a.owner


def _answers(task) -> list[str]:
    task.refresh_from_db()
    return [note.get("answer") or note.get("reason") for note in task.context.get("answers", [])]


def test_answering_the_non_blocking_question_first_keeps_the_task_blocked_with_the_answer(owner):
    task = services.task_create(by=Attribution.claude(owner), title="Proposal for Acme")
    q1 = question_create(by=Attribution.claude(owner), text="Which template?", tasks=[task])
    q2 = question_create(by=Attribution.claude(owner), text="Discount?", tasks=[task])
    task.refresh_from_db()
    assert task.status == "blocked" and task.blocking_question_id == q1.pk

    _, unblocked = question_answer(question=q2, by=Attribution.owner(owner), answer="10%")
    assert unblocked == []
    assert _answers(task) == ["10%"]
    assert task.status == "blocked" and task.blocking_question_id == q1.pk

    _, unblocked = question_answer(question=q1, by=Attribution.owner(owner), answer="The blue one")
    assert [t.pk for t in unblocked] == [task.pk]
    assert _answers(task) == ["10%", "The blue one"]
    assert task.status == "queued" and task.blocking_question_id is None
    log = Log.objects.filter(action="question.answered").order_by("-timestamp").first()
    assert log.details["task_ids"] == [str(task.pk)] and log.details["unblocked_task_ids"] == [str(task.pk)]


def test_answering_the_blocking_question_moves_the_task_to_its_next_unanswered_question(owner):
    task = services.task_create(by=Attribution.claude(owner), title="Invites")
    other = services.task_create(by=Attribution.claude(owner), title="Agenda")
    q1 = question_create(by=Attribution.claude(owner), text="Which calendar?", tasks=[task, other])
    low = question_create(by=Attribution.claude(owner), text="Colour?", tasks=[task], priority=4)
    high = question_create(by=Attribution.claude(owner), text="Who is invited?", tasks=[task], priority=1)

    _, unblocked = question_answer(question=q1, by=Attribution.owner(owner), answer="Work")
    assert [t.pk for t in unblocked] == [other.pk]  # only the task with nothing else to wait for
    task.refresh_from_db()
    assert task.status == "blocked" and task.blocking_question_id == high.pk  # the most pressing one
    assert _answers(task) == ["Work"] and _answers(other) == ["Work"]

    question_dismiss(question=high, by=Attribution.owner(owner), reason="Everyone")
    task.refresh_from_db()
    assert task.status == "blocked" and task.blocking_question_id == low.pk
    question_answer(question=low, by=Attribution.owner(owner), answer="Green")
    assert _answers(task) == ["Work", "Everyone", "Green"]
    assert task.status == "queued" and task.blocking_question_id is None


def test_a_closed_task_keeps_the_answer_as_a_record_and_stays_closed(owner):
    task = services.task_create(by=Attribution.claude(owner), title="Old proposal")
    question = question_create(by=Attribution.claude(owner), text="Discount?", tasks=[task])
    services.task_cancel(task=task, by=Attribution.claude(owner))
    _, unblocked = question_answer(question=question, by=Attribution.owner(owner), answer="No")
    assert unblocked == []
    assert _answers(task) == ["No"] and task.status == "cancelled"


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


def test_working_blocked_unblocked_completed(tenant_a, make_task):
    task = make_task()
    with tenant_a.schema():
        task = services.task_start(task=task, by=tenant_a.by_claude)
        task, question = task_block(task=task, by=tenant_a.by_claude, question_text="Which calendar?")
        assert task.status == "blocked" and task.blocking_question_id == question.pk
        question, unblocked = question_answer(question=question, by=tenant_a.by_owner, answer="The work one")
        task.refresh_from_db()
        assert [t.pk for t in unblocked] == [task.pk]
        assert task.status == "queued" and task.blocking_question_id is None and task.started_at is None
        assert task.context["answers"][0]["answer"] == "The work one"
        task = services.task_start(task=task, by=tenant_a.by_claude)
        assert _complete(task, tenant_a.owner).task.status == "completed"


def test_cannot_block_a_completed_task(tenant_a, make_task):
    task = make_task()
    with tenant_a.schema():
        task = _complete(services.task_start(task=task, by=tenant_a.by_claude), tenant_a.owner).task
        _refused(lambda: task_block(task=task, by=tenant_a.by_claude, question_text="?"), state="completed",
                 says="follow-up task")
        assert not Log.objects.filter(action="question.created").exists()  # nothing half-written
