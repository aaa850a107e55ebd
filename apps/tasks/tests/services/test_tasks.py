"""Every write to tasks and the task state machine (seed "Critical Test Cases" 1), through the services:
each move writes its Log (naming who acted) and publishes its event on commit; every illegal move is a
409 that writes and publishes nothing; task_update goes through core model_update, so an update that
changes nothing writes, logs and publishes nothing."""

import pytest

from apps.activity.attribution import Attribution
from apps.activity.models import Actor, Log
from apps.core.errors import Conflict
from apps.knowledge.models import Knowledge
from apps.questions.models import Question
from apps.questions.services import question_answer, question_create, task_block
from apps.tasks.models import Task
from apps.tasks.services import tasks as services
from apps.tasks.services.tasks import task_update
from tests.fixtures.audit import recorded
from tests.fixtures.tasks import loop_complete, transition_refused


def _updates(task) -> list[list[str]]:
    logs = Log.objects.filter(action="task.updated", entity_id=task.pk).order_by("timestamp")
    return [details["fields"] for details in logs.values_list("details", flat=True)]


def _moves(sent) -> list[tuple[str, str]]:
    return [(e.type, e.payload["action"]) for e in sent]


# --- creating and editing ---------------------------------------------------------------------

def test_create_logs_and_publishes_who_acted(tenant_a, capture_events):
    with tenant_a.schema(), capture_events() as sent:
        task = services.task_create(by=tenant_a.by_claude, title="Prepare the brief", priority=2)
    assert recorded(tenant_a, sent, "task.created", by=tenant_a.by_claude, entity_id=task.pk).details == {
        "title": "Prepare the brief", "priority": 2, "assignee": "claude", "status": "queued"}
    assert len(sent) == 1 and task.source == "claude"


def test_an_update_that_changes_nothing_writes_and_logs_nothing(tenant_a, capture_events):
    with tenant_a.schema():
        task = tenant_a.make("tasks.task", title="Weekly report")
        person = tenant_a.make("people.person")
        tenant_a.make("tasks.task_person", task=task, person=person, role="recipient")
        stamp = Task.objects.get(pk=task.pk).updated_at
        with capture_events() as sent:
            task_update(task=task, by=tenant_a.by_claude, title="Weekly report", priority=3,
                        people=[{"person": person, "role": "recipient"}])
        assert Task.objects.get(pk=task.pk).updated_at == stamp
        assert _updates(task) == []
    assert sent == []


def test_the_log_names_the_changed_fields_by_attname_and_people_count(tenant_a, capture_events):
    with tenant_a.schema():
        task = tenant_a.make("tasks.task")
        project = tenant_a.make("tasks.project")
        person = tenant_a.make("people.person")
        with capture_events() as sent:
            task_update(task=task, by=tenant_a.by_claude, project=project, priority=1)
            task_update(task=task, by=tenant_a.by_claude, people=[{"person": person, "role": None}])
        assert _updates(task) == [["priority", "project_id"], ["people"]]
        assert Task.objects.get(pk=task.pk).project_id == project.pk
        assert set(Log.objects.filter(action="task.updated").values_list("actor", "user_id")) == {
            (Actor.CLAUDE, tenant_a.owner.pk)}
    assert [e.type for e in sent] == ["task.updated", "task.updated"]


def test_the_owner_changing_a_description_still_captures_its_trigger_phrase(tenant_a):
    with tenant_a.schema():
        task = tenant_a.make("tasks.task", description="Send the report.")
        task_update(task=task, by=tenant_a.by_owner,
                    description="Send the report. For future reference, Patrick wants it as a PDF.")
        assert Knowledge.objects.get(source_task=task).trigger_phrase == "for future reference"
        assert _updates(task) == [["description"]]


def test_a_refused_update_of_a_closed_task_publishes_nothing(tenant_a, capture_events):
    task = tenant_a.make("tasks.task", status="cancelled", title="Weekly report")
    with tenant_a.schema():
        with pytest.raises(Conflict) as refused, capture_events() as sent:
            task_update(task=task, by=tenant_a.by_owner, title="Renamed")
        assert Task.objects.get(pk=task.pk).title == "Weekly report" and _updates(task) == []
    assert refused.value.code == "invalid_transition" and sent == []


# --- the moves: Log and event -----------------------------------------------------------------

def test_start_logs_and_publishes_the_status_change(tenant_a, capture_events):
    task = tenant_a.make("tasks.task", title="Prepare the brief")
    with tenant_a.schema(), capture_events() as sent:
        services.task_start(task=task, by=tenant_a.by_claude)
    assert recorded(tenant_a, sent, "task.started", by=tenant_a.by_claude, event="task.status_changed").details == {
        "task_id": str(task.pk), "title": "Prepare the brief", "old_status": "queued", "new_status": "working"}


def test_cancel_logs_and_publishes_the_status_change_as_the_owner(tenant_a, capture_events):
    task = tenant_a.make("tasks.task")
    with tenant_a.schema(), capture_events() as sent:
        services.task_cancel(task=task, by=tenant_a.by_owner, reason="Not needed any more")
    log = recorded(tenant_a, sent, "task.cancelled", by=tenant_a.by_owner, event="task.status_changed")
    assert (log.details["old_status"], log.details["new_status"], log.details["reason"], len(sent)) == (
        "queued", "cancelled", "Not needed any more", 1)


@pytest.mark.parametrize("move", ["start", "cancel"])
def test_a_refused_move_publishes_nothing(tenant_a, capture_events, move):
    task = tenant_a.make("tasks.task", status="cancelled")
    call = {"start": services.task_start, "cancel": services.task_cancel}[move]
    with tenant_a.schema():
        with pytest.raises(Conflict), capture_events() as sent:
            call(task=task, by=tenant_a.by_claude)
        assert not Log.objects.filter(entity_id=task.pk).exists()
    assert sent == []


def test_an_answer_requeues_the_blocked_task_with_its_log_and_event(tenant_a, capture_events):
    task = tenant_a.make("tasks.task", title="Proposal")
    with tenant_a.schema():
        question = question_create(by=tenant_a.by_claude, text="Discount?", tasks=[task])
        with capture_events() as sent:
            question_answer(question=question, by=tenant_a.by_owner, answer="No")
        task.refresh_from_db()
    assert _moves(sent) == [("task.status_changed", "task.requeued"), ("question.answered", "question.answered")]
    assert recorded(tenant_a, sent, "task.requeued", by=tenant_a.by_owner, event="task.status_changed").details == {
        "task_id": str(task.pk), "title": "Proposal", "old_status": "blocked", "new_status": "queued",
        "question_id": str(question.pk)}
    assert task.context["answers"][0]["answer"] == "No"


def test_an_answer_the_task_was_not_waiting_on_is_a_note_without_a_move(tenant_a, capture_events):
    task = tenant_a.make("tasks.task")
    with tenant_a.schema():
        first = question_create(by=tenant_a.by_claude, text="Which template?", tasks=[task])
        second = question_create(by=tenant_a.by_claude, text="Discount?", tasks=[task])
        with capture_events() as sent:
            question_answer(question=second, by=tenant_a.by_owner, answer="10%")
        task.refresh_from_db()
        assert not Log.objects.filter(action="task.requeued").exists()
    assert _moves(sent) == [("question.answered", "question.answered")]
    assert task.status == "blocked" and task.blocking_question_id == first.pk
    assert [note["answer"] for note in task.context["answers"]] == ["10%"]


# --- the state machine ------------------------------------------------------------------------

def test_queued_to_working_to_completed(tenant_a):
    with tenant_a.schema():
        task = services.task_create(by=tenant_a.by_claude, title="Prepare the brief")
        assert task.status == "queued" and task.started_at is None
        task = services.task_start(task=task, by=tenant_a.by_claude)
        assert task.status == "working" and task.started_at is not None
        task = loop_complete(task, tenant_a.owner).task
        assert task.status == "completed" and task.completed_at >= task.started_at
        actions = list(Log.objects.filter(entity_id=task.pk).order_by("timestamp").values_list("action", flat=True))
        assert actions == ["task.created", "task.started", "task.completed"]


def test_cannot_start_a_task_someone_else_started(tenant_a):
    task = tenant_a.make("tasks.task")
    with tenant_a.schema():
        services.task_start(task=task, by=tenant_a.by_claude)
        stale = Task.objects.get(pk=task.pk)
        stale.status = "queued"  # the second agent's copy, read before the first agent started it
        error = transition_refused(lambda: services.task_start(task=stale, by=tenant_a.by_claude), state="working",
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
        task = loop_complete(task, user).task
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
def test_every_illegal_transition_is_409(tenant_a, setup, action, state):
    task = tenant_a.make("tasks.task")
    user = tenant_a.owner
    with tenant_a.schema():
        task = _task_in(setup, task, user)
        call = {
            "start": lambda: services.task_start(task=task, by=Attribution.claude(user)),
            "complete": lambda: loop_complete(task, user),
            "block": lambda: task_block(task=task, by=Attribution.claude(user), question_text="?"),
            "cancel": lambda: services.task_cancel(task=task, by=Attribution.claude(user)),
        }[action]
        transition_refused(call, state=state, says="")
        assert Task.objects.get(pk=task.pk).status == setup


@pytest.mark.parametrize(("setup", "action", "state"), ILLEGAL, ids=ILLEGAL_IDS)
def test_every_illegal_transition_is_409_over_http(tenant_a, setup, action, state):
    """Through the API as Claude calls it. Complete is sent without the knowledge step too: the
    state is checked first, so a queued or blocked task is a 409, not a 400 about learnings."""
    task = tenant_a.make("tasks.task")
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
def test_cancel_from_any_open_state_keeps_the_task(tenant_a, setup):
    task = tenant_a.make("tasks.task")
    with tenant_a.schema():
        if setup != "queued":
            task = services.task_start(task=task, by=tenant_a.by_claude)
        if setup == "blocked":
            task, _ = task_block(task=task, by=tenant_a.by_claude, question_text="?")
        services.task_cancel(task=task, by=tenant_a.by_claude)
        assert Task.objects.get(pk=task.pk).status == "cancelled"
