"""Writes for questions. Asking blocks the tasks named; answering (or dismissing) unblocks them.

Questions sit above tasks: they move tasks through the state machine's own moves
(apps.tasks.services.tasks), never the other way round. An answer by the owner is handed on through
apps.core.owner_words, because knowledge (which captures its trigger phrases) sits above questions.
"""

from django.db import transaction
from django.utils import timezone

from apps.activity.attribution import Attribution
from apps.activity.models import LogAction
from apps.activity.services import log_record
from apps.core.error_codes import ErrorCode
from apps.core.errors import Conflict
from apps.core.owner_words import owner_words_heard
from apps.core.services import model_update
from apps.tasks.models import Task, TaskStatus
from apps.tasks.services.tasks import task_answer_note, task_lock, task_mark_blocked, task_requeue

from .models import AnsweredBy, Question, QuestionStatus, QuestionUnblock


@transaction.atomic
def question_create(*, by: Attribution, text: str, tasks: list[Task] = (), context: str | None = None,
                    why_asking: str | None = None, what_claude_will_do: str | None = None, priority: int = 3,
                    priority_reason: str | None = None) -> Question:
    """Ask the owner something. Every open task named waits on the answer (one question may block
    several tasks); a completed or cancelled task cannot be blocked (409). The tasks' rows are
    locked and re-read first, so the state checked is the current one, not the caller's copy."""
    locked = Task.objects.select_for_update().in_bulk([task.pk for task in tasks])
    tasks = [locked[task.pk] for task in tasks]
    for task in tasks:
        if not task.is_open:
            raise Conflict(f"Cannot block task '{task.title}': it is {task.status}. Only queued, working or blocked "
                           "tasks can wait on a question.", code=ErrorCode.INVALID_TRANSITION,
                           details={"task_id": str(task.pk), "status": task.status})
    if priority_reason is None and len(tasks) > 1:
        priority_reason = Question.PriorityReason.BLOCKING_MULTIPLE
    question = Question.objects.create(user=by.user, text=text, context=context, why_asking=why_asking,
                                       what_claude_will_do=what_claude_will_do, priority=priority,
                                       priority_reason=priority_reason)
    QuestionUnblock.objects.bulk_create([QuestionUnblock(question=question, task=task) for task in tasks])
    log_record(action=LogAction.QUESTION_CREATED, by=by, entity=question,
               details={"text": text, "priority": priority, "task_ids": [str(t.pk) for t in tasks]})
    for task in tasks:
        task_mark_blocked(task=task, question=question, by=by)
    return question


@transaction.atomic
def task_block(*, by: Attribution, task: Task, question_text: str, why_asking: str | None = None,
               what_claude_will_do: str | None = None, priority: int = 3) -> tuple[Task, Question]:
    """Block a working (or queued) task on a new question for the owner (principle 3: block early,
    don't guess). The task's state is checked first, under its row lock: any other state is the
    state machine's 409 with its hint, and nothing is written. Returns (task, question)."""
    task = task_lock(task=task, action="block")
    question = question_create(by=by, text=question_text, why_asking=why_asking,
                               what_claude_will_do=what_claude_will_do, priority=priority, tasks=[task])
    task.refresh_from_db()
    return task, question


QUESTION_EDITABLE_FIELDS = ("text", "context", "why_asking", "what_claude_will_do", "priority", "priority_reason")


@transaction.atomic
def question_update(*, by: Attribution, question: Question, **changes) -> Question:
    """Reword or reprioritize an unanswered question (any of QUESTION_EDITABLE_FIELDS). An answered or
    dismissed one is the record of what was asked and answered: 409. The tasks it blocks are not
    touched (they are linked when it is asked). An edit that changes nothing writes and logs nothing."""
    unknown = set(changes) - set(QUESTION_EDITABLE_FIELDS)
    if unknown:  # a programming error, not the caller's input
        raise TypeError(f"Not editable question fields: {sorted(unknown)}")
    question = _lock_unanswered(question, "edit")
    model_update(instance=question, changes=changes, log=lambda changed: log_record(
        action=LogAction.QUESTION_UPDATED, by=by, entity=question, details={"text": question.text, "fields": changed}))
    return question


def _release_tasks(*, by: Attribution, question: Question, note: dict) -> tuple[list[Task], list[Task]]:
    """Deliver the answer (or dismissal) `note` to every task linked to `question` through
    question_unblocks, whatever it is waiting on: each gets the note in context.answers.

    A task blocked by `question` moves on: if it is also linked to another still-unanswered
    question, it stays blocked and now waits on that one (the most pressing: priority, then
    oldest), because its work still needs that answer; otherwise it goes back to the queue with
    blocking_question cleared. Tasks blocked by another question stay blocked by it; closed tasks
    keep the note as a record. Rows are locked (FOR UPDATE) in creation order.
    Returns (tasks that received the note, tasks requeued)."""
    noted, requeued = [], []
    tasks = Task.objects.select_for_update().filter(question_unblocks__question=question).order_by("created_at", "pk")
    for task in tasks:
        if task.status == TaskStatus.BLOCKED and task.blocking_question_id == question.pk:
            next_question = (Question.objects.filter(question_unblocks__task=task, status=QuestionStatus.UNANSWERED)
                             .exclude(pk=question.pk).order_by("priority", "created_at").first())
            if next_question is None:
                task = task_requeue(task=task, by=by, question=question, note=note)
                requeued.append(task)
            else:
                task = task_answer_note(task=task, note=note, next_question=next_question)
        else:
            task = task_answer_note(task=task, note=note)
        noted.append(task)
    return noted, requeued


def _lock_unanswered(question: Question, verb: str) -> Question:
    current = Question.objects.select_for_update().get(pk=question.pk)
    if current.status != QuestionStatus.UNANSWERED:
        raise Conflict(f"Cannot {verb} this question: it is already {current.status}.", code=ErrorCode.INVALID_TRANSITION,
                       details={"question_id": str(current.pk), "status": current.status})
    return current


@transaction.atomic
def question_answer(*, by: Attribution, question: Question, answer: str) -> tuple[Question, list[Task]]:
    """Answer a question: every task linked to it gets the answer in its context (Claude sees it on
    its next pick); each task it blocked is requeued, or waits on its next unanswered question
    (see _release_tasks). An answer by the owner is the owner speaking: each sentence of
    it with a trigger phrase becomes a captured Knowledge entry (handed on through
    apps.core.owner_words to apps.knowledge, in this transaction), which the tasks it blocked must
    deal with before completing. Only the owner answers (answered_by user). Returns (question,
    unblocked tasks)."""
    by.owner_decides("answer this question", page=f"/questions/{question.pk}/")
    question = _lock_unanswered(question, "answer")
    question.status = QuestionStatus.ANSWERED
    question.answer = answer
    question.answered_at = timezone.now()
    question.answered_by = AnsweredBy.USER
    question.save(update_fields=["status", "answer", "answered_at", "answered_by"])
    note = {"question_id": str(question.pk), "question": question.text, "answer": answer,
            "answered_at": question.answered_at.isoformat()}
    noted, unblocked = _release_tasks(question=question, by=by, note=note)
    log_record(action=LogAction.QUESTION_ANSWERED, by=by, entity=question,
               details={"answer": answer, "task_ids": [str(t.pk) for t in noted],
                        "unblocked_task_ids": [str(t.pk) for t in unblocked]})
    owner_words_heard(by=by, text=answer, source_question=question)
    return question, unblocked


@transaction.atomic
def question_dismiss(*, by: Attribution, question: Question, reason: str) -> tuple[Question, list[Task]]:
    """Dismiss without answering: every linked task gets the reason in its context; the tasks it
    blocked are requeued or wait on their next unanswered question, as for an answer."""
    by.owner_decides("dismiss this question", page=f"/questions/{question.pk}/")
    question = _lock_unanswered(question, "dismiss")
    question.status = QuestionStatus.DISMISSED
    question.dismissed_reason = reason
    question.save(update_fields=["status", "dismissed_reason"])
    note = {"question_id": str(question.pk), "question": question.text, "dismissed": True, "reason": reason,
            "dismissed_at": timezone.now().isoformat()}
    noted, unblocked = _release_tasks(question=question, by=by, note=note)
    log_record(action=LogAction.QUESTION_DISMISSED, by=by, entity=question,
               details={"reason": reason, "task_ids": [str(t.pk) for t in noted],
                        "unblocked_task_ids": [str(t.pk) for t in unblocked]})
    return question, unblocked
