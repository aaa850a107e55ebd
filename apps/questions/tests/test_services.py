"""Asking (question_create, and task_block: blocking a task on a new question), rewording, answering and
dismissing, through the services. Each writes its Log (naming who acted) and publishes its event on
commit, and the tasks it blocks or releases move with their own Log and event; a refused change
publishes nothing. The answer reaches every task linked to the question (question_unblocks), and each
task it blocked is requeued or waits on its next unanswered question."""

import pytest

from apps.activity.attribution import Attribution
from apps.activity.models import Actor, Log
from apps.core.errors import Conflict
from apps.questions.models import Question
from apps.questions.services import question_answer, question_create, question_dismiss, question_update, task_block
from apps.tasks.models import Task
from apps.tasks.services import tasks as services
from tests.fixtures.audit import recorded
from tests.fixtures.tasks import loop_complete, transition_refused


def _answers(task) -> list[str]:
    task.refresh_from_db()
    return [note.get("answer") or note.get("reason") for note in task.context.get("answers", [])]


def _moves(sent) -> list[tuple[str, str]]:
    return [(e.type, e.payload["action"]) for e in sent]


# --- Log and events ---------------------------------------------------------------------------

def test_create_logs_and_publishes_and_blocks_each_task(tenant_a, capture_events):
    first, second = tenant_a.make("tasks.task"), tenant_a.make("tasks.task")
    with tenant_a.schema(), capture_events() as sent:
        question = question_create(by=tenant_a.by_claude, text="Discount?", tasks=[first, second], priority=2)
        blocked = set(Log.objects.filter(action="task.blocked").values_list("entity_id", "actor"))
    assert _moves(sent) == [("question.created", "question.created"), ("task.status_changed", "task.blocked"),
                            ("task.status_changed", "task.blocked")]
    assert recorded(tenant_a, sent, "question.created", by=tenant_a.by_claude, entity_id=question.pk).details == {
        "text": "Discount?", "priority": 2, "task_ids": [str(first.pk), str(second.pk)]}
    assert blocked == {(first.pk, Actor.CLAUDE), (second.pk, Actor.CLAUDE)}


def test_block_logs_and_publishes_the_question_and_the_move(tenant_a, capture_events):
    task = tenant_a.make("tasks.task", status="working")
    with tenant_a.schema(), capture_events() as sent:
        task, question = task_block(task=task, by=tenant_a.by_claude, question_text="Which calendar?")
    assert _moves(sent) == [("question.created", "question.created"), ("task.status_changed", "task.blocked")]
    log = recorded(tenant_a, sent, "task.blocked", by=tenant_a.by_claude, event="task.status_changed")
    assert (log.details["old_status"], log.details["new_status"], log.details["question_id"]) == (
        "working", "blocked", str(question.pk))


def test_update_logs_the_changed_fields_as_the_owner(tenant_a, capture_events):
    question = tenant_a.make("questions.question", text="Which template?", priority=3)
    with tenant_a.schema(), capture_events() as sent:
        question_update(question=question, by=tenant_a.by_owner, text="Which template?", priority=1)
    assert recorded(tenant_a, sent, "question.updated", by=tenant_a.by_owner).details == {
        "text": "Which template?", "fields": ["priority"]}


def test_update_that_changes_nothing_writes_and_publishes_nothing(tenant_a, capture_events):
    question = tenant_a.make("questions.question", text="Which template?", priority=3)
    with tenant_a.schema(), capture_events() as sent:
        question_update(question=question, by=tenant_a.by_owner, text="Which template?", priority=3)
        assert not Log.objects.filter(entity_id=question.pk).exists()
    assert sent == []


def test_answer_logs_and_publishes_with_the_tasks_requeued(tenant_a, capture_events):
    first, second = tenant_a.make("tasks.task"), tenant_a.make("tasks.task")
    with tenant_a.schema():
        question = question_create(by=tenant_a.by_claude, text="Discount?", tasks=[first, second])
        with capture_events() as sent:
            question_answer(question=question, by=tenant_a.by_owner, answer="No")
        requeued = list(Log.objects.filter(action="task.requeued").values_list("actor", flat=True))
    assert _moves(sent) == [("task.status_changed", "task.requeued"), ("task.status_changed", "task.requeued"),
                            ("question.answered", "question.answered")]
    assert {e.payload["entity_id"] for e in sent[:2]} == {str(first.pk), str(second.pk)}
    log = recorded(tenant_a, sent, "question.answered", by=tenant_a.by_owner)
    assert log.details["answer"] == "No" and sorted(log.details["unblocked_task_ids"]) == sorted(
        [str(first.pk), str(second.pk)])
    assert requeued == [Actor.USER, Actor.USER]


def test_an_answer_with_a_trigger_phrase_publishes_its_capture_too(tenant_a, capture_events):
    question = tenant_a.make("questions.question", text="Which calendar?")
    with tenant_a.schema(), capture_events() as sent:
        question_answer(question=question, by=tenant_a.by_owner, answer="Work. Always the work one.")
    assert [e.type for e in sent] == ["question.answered", "knowledge.captured"]
    recorded(tenant_a, sent, "knowledge.captured", by=tenant_a.by_owner)


def test_dismiss_logs_and_publishes_with_the_tasks_requeued(tenant_a, capture_events):
    task = tenant_a.make("tasks.task")
    with tenant_a.schema():
        question = question_create(by=tenant_a.by_claude, text="Discount?", tasks=[task])
        with capture_events() as sent:
            question_dismiss(question=question, by=tenant_a.by_owner, reason="Already decided")
    assert _moves(sent) == [("task.status_changed", "task.requeued"), ("question.dismissed", "question.dismissed")]
    assert recorded(tenant_a, sent, "question.dismissed", by=tenant_a.by_owner).details == {
        "reason": "Already decided", "task_ids": [str(task.pk)], "unblocked_task_ids": [str(task.pk)]}


@pytest.mark.parametrize("refused", ["block a cancelled task", "reword", "answer", "dismiss"])
def test_a_refused_change_publishes_nothing(tenant_a, capture_events, refused):
    """A closed task cannot be blocked; an answered question cannot be reworded, answered or dismissed."""
    cancelled = tenant_a.make("tasks.task", status="cancelled")
    answered = tenant_a.make("questions.answered", text="Which template?")
    call = {"block a cancelled task": lambda: task_block(task=cancelled, by=tenant_a.by_claude, question_text="?"),
            "reword": lambda: question_update(question=answered, by=tenant_a.by_owner, text="Reworded"),
            "answer": lambda: question_answer(question=answered, by=tenant_a.by_owner, answer="again"),
            "dismiss": lambda: question_dismiss(question=answered, by=tenant_a.by_owner, reason="again")}[refused]
    with tenant_a.schema():
        with pytest.raises(Conflict) as excinfo, capture_events() as sent:
            call()
        assert list(Question.objects.values_list("text", "status")) == [("Which template?", "answered")]
        assert not Log.objects.filter(action__startswith="question.").exists()
    assert excinfo.value.code == "invalid_transition" and sent == []


# --- answering reaches every task -------------------------------------------------------------

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


def test_one_question_blocks_several_tasks_and_answering_requeues_all(tenant_a):
    first, second = tenant_a.make("tasks.task", title="Proposal"), tenant_a.make("tasks.task", title="Invites")
    with tenant_a.schema():
        question = question_create(by=tenant_a.by_claude, text="Discount?", tasks=[first, second])
        assert set(Task.objects.values_list("status", flat=True)) == {"blocked"}
        assert question.priority_reason == "blocking_multiple"
        _, unblocked = question_answer(question=question, by=tenant_a.by_owner, answer="No")
        assert {t.pk for t in unblocked} == {first.pk, second.pk}
        assert set(Task.objects.values_list("status", flat=True)) == {"queued"}


def test_a_task_waiting_on_two_questions_stays_blocked_until_both_are_resolved(tenant_a):
    task = tenant_a.make("tasks.task")
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


def test_answering_twice_is_409(tenant_a):
    with tenant_a.schema():
        question = question_create(by=tenant_a.by_claude, text="?", tasks=[tenant_a.make("tasks.task")])
        question_answer(question=question, by=tenant_a.by_owner, answer="yes")
        with pytest.raises(Conflict, match="already answered"):
            question_answer(question=question, by=tenant_a.by_owner, answer="again")


# --- blocking: the state machine's moves ------------------------------------------------------

def test_questions_cannot_block_closed_tasks(tenant_a):
    task = tenant_a.make("tasks.task")
    with tenant_a.schema():
        services.task_cancel(task=task, by=tenant_a.by_claude)
        task.refresh_from_db()
        with pytest.raises(Conflict, match="cancelled"):
            question_create(by=tenant_a.by_claude, text="?", tasks=[task])


def test_working_blocked_unblocked_completed(tenant_a):
    task = tenant_a.make("tasks.task")
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
        assert loop_complete(task, tenant_a.owner).task.status == "completed"


def test_cannot_block_a_completed_task(tenant_a):
    task = tenant_a.make("tasks.task")
    with tenant_a.schema():
        task = loop_complete(services.task_start(task=task, by=tenant_a.by_claude), tenant_a.owner).task
        transition_refused(lambda: task_block(task=task, by=tenant_a.by_claude, question_text="?"), state="completed",
                           says="follow-up task")
        assert not Log.objects.filter(action="question.created").exists()  # nothing half-written
