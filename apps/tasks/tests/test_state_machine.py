"""The task state machine (seed "Critical Test Cases" 1) and every illegal move, through the services."""

import pytest

from apps.activity.attribution import Attribution
from apps.activity.models import Log
from apps.core.errors import Conflict
from apps.questions.models import Question
from apps.questions.services import question_answer, question_create, question_dismiss, task_block
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


def test_queued_to_working_to_completed(tenant_a, make_task):
    task = make_task()
    with tenant_a.schema():
        assert task.status == "queued" and task.started_at is None
        task = services.task_start(task=task, by=tenant_a.by_claude)
        assert task.status == "working" and task.started_at is not None
        task = _complete(task, tenant_a.owner).task
        assert task.status == "completed" and task.completed_at >= task.started_at
        actions = list(Log.objects.filter(entity_id=task.pk).order_by("timestamp").values_list("action", flat=True))
        assert actions == ["task.created", "task.started", "task.completed"]


def _refused(call, *, state: str, says: str):
    with pytest.raises(Conflict) as excinfo:
        call()
    assert excinfo.value.status == 409
    assert f"it is {state}" in excinfo.value.message
    assert says in excinfo.value.message
    return excinfo.value


def test_cannot_start_a_task_someone_else_started(tenant_a, make_task):
    task = make_task()
    with tenant_a.schema():
        services.task_start(task=task, by=tenant_a.by_claude)
        stale = Task.objects.get(pk=task.pk)
        stale.status = "queued"  # the second agent's copy, read before the first agent started it
        error = _refused(lambda: services.task_start(task=stale, by=tenant_a.by_claude), state="working",
                         says="POST /api/tasks/claim")
        assert error.details["allowed_from"] == ["queued"]


ILLEGAL = [
    ("queued", "complete", "queued"),
    ("blocked", "start", "blocked"),
    ("blocked", "complete", "blocked"),
    ("completed", "start", "completed"),
    ("completed", "complete", "completed"),
    ("completed", "block", "completed"),
    ("completed", "cancel", "completed"),
    ("cancelled", "start", "cancelled"),
    ("cancelled", "complete", "cancelled"),
    ("cancelled", "block", "cancelled"),
    ("cancelled", "cancel", "cancelled"),
    ("working", "start", "working"),
    ("blocked", "block", "blocked"),
]
ILLEGAL_IDS = [f"{action}-from-{setup}" for setup, action, _ in ILLEGAL]


def _task_in(state: str, task, user) -> Task:
    """`task` (queued) moved to `state` through the services."""
    if state in ("working", "blocked", "completed"):
        task = services.task_start(task=task, by=Attribution.claude(user))
    if state == "blocked":
        task, _ = task_block(task=task, by=Attribution.claude(user), question_text="?")
    if state == "completed":
        task = _complete(task, user).task
    if state == "cancelled":
        task = services.task_cancel(task=task, by=Attribution.claude(user))
    return task


def test_the_illegal_list_is_every_move_the_state_machine_refuses():
    refused = {(state, action) for state in ("queued", "working", "blocked", "completed", "cancelled")
               for action in ("start", "complete", "block", "cancel")
               if state not in services.TRANSITIONS[action][0]}
    refused.discard(("queued", "block"))  # not refused: see TRANSITIONS (a queued task may wait on a question)
    assert {(setup, action) for setup, action, _ in ILLEGAL} == refused


@pytest.mark.parametrize(("setup", "action", "state"), ILLEGAL, ids=ILLEGAL_IDS)
def test_every_illegal_transition_is_409(tenant_a, make_task, setup, action, state):
    task = make_task()
    user = tenant_a.owner
    with tenant_a.schema():
        task = _task_in(setup, task, user)
        call = {
            "start": lambda: services.task_start(task=task, by=Attribution.claude(user)),
            "complete": lambda: _complete(task, user),
            "block": lambda: task_block(task=task, by=Attribution.claude(user), question_text="?"),
            "cancel": lambda: services.task_cancel(task=task, by=Attribution.claude(user)),
        }[action]
        _refused(call, state=state, says="")
        assert Task.objects.get(pk=task.pk).status == setup


@pytest.mark.parametrize(("setup", "action", "state"), ILLEGAL, ids=ILLEGAL_IDS)
def test_every_illegal_transition_is_409_over_http(tenant_a, make_task, setup, action, state):
    """Through the API as Claude calls it. Complete is sent without the knowledge step too: the
    state is checked first, so a queued or blocked task is a 409, not a 400 about learnings."""
    task = make_task()
    with tenant_a.schema():
        task = _task_in(setup, task, tenant_a.owner)
        logs_before = Log.objects.count()
    api = tenant_a.api()
    path = f"/api/tasks/{task.pk}"
    bodies = {"complete": [{}, {"output": "done", "learnings_captured": False}],
              "block": [{"question_text": "Which one?"}]}.get(action, [None])
    for body in bodies:
        if action == "cancel":
            response = api.delete(path)
        else:
            response = api.post(f"{path}/{action}", body, format="json")
        assert response.status_code == 409, (body, response.content[:300])
        error = response.json()["error"]
        assert error["code"] == "invalid_transition"
        assert error["message"].startswith(f"Cannot {action} task") and f"it is {state}." in error["message"]
        assert error["details"]["status"] == state and error["details"]["action"] == action
    with tenant_a.schema():
        assert Task.objects.get(pk=task.pk).status == setup
        assert Log.objects.count() == logs_before  # nothing written
        assert not Question.objects.filter(text="Which one?").exists()


@pytest.mark.parametrize("setup", ["queued", "working", "blocked"])
def test_cancel_from_any_open_state_keeps_the_task(tenant_a, make_task, setup):
    task = make_task()
    with tenant_a.schema():
        if setup != "queued":
            task = services.task_start(task=task, by=tenant_a.by_claude)
        if setup == "blocked":
            task, _ = task_block(task=task, by=tenant_a.by_claude, question_text="?")
        services.task_cancel(task=task, by=tenant_a.by_claude)
        assert Task.objects.get(pk=task.pk).status == "cancelled"


def test_one_question_blocks_several_tasks_and_answering_requeues_all(tenant_a, make_task):
    first, second = make_task(title="Proposal"), make_task(title="Invites")
    with tenant_a.schema():
        question = question_create(by=tenant_a.by_claude, text="Discount?", tasks=[first, second])
        assert set(Task.objects.values_list("status", flat=True)) == {"blocked"}
        assert question.priority_reason == "blocking_multiple"
        _, unblocked = question_answer(question=question, by=tenant_a.by_owner, answer="No")
        assert {t.pk for t in unblocked} == {first.pk, second.pk}
        assert set(Task.objects.values_list("status", flat=True)) == {"queued"}


def test_a_task_waiting_on_two_questions_stays_blocked_until_both_are_resolved(tenant_a, make_task):
    task = make_task()
    with tenant_a.schema():
        q1 = question_create(by=tenant_a.by_claude, text="First?", tasks=[task])
        task.refresh_from_db()
        q2 = question_create(by=tenant_a.by_claude, text="Second?", tasks=[task])
        _, unblocked = question_answer(question=q1, by=tenant_a.by_owner, answer="one")
        task.refresh_from_db()
        assert unblocked == [] and task.status == "blocked" and task.blocking_question_id == q2.pk
        _, unblocked = question_dismiss(question=q2, by=tenant_a.by_owner, reason="not needed")
        task.refresh_from_db()
        assert [t.pk for t in unblocked] == [task.pk] and task.status == "queued"
        assert [a.get("answer") or a.get("reason") for a in task.context["answers"]] == ["one", "not needed"]


def test_answering_twice_is_409(tenant_a, make_task):
    with tenant_a.schema():
        question = question_create(by=tenant_a.by_claude, text="?", tasks=[make_task()])
        question_answer(question=question, by=tenant_a.by_owner, answer="yes")
        with pytest.raises(Conflict, match="already answered"):
            question_answer(question=question, by=tenant_a.by_owner, answer="again")


def test_questions_cannot_block_closed_tasks(tenant_a, make_task):
    task = make_task()
    with tenant_a.schema():
        services.task_cancel(task=task, by=tenant_a.by_claude)
        task.refresh_from_db()
        with pytest.raises(Conflict, match="cancelled"):
            question_create(by=tenant_a.by_claude, text="?", tasks=[task])
