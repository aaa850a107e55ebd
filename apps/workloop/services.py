"""The writes of Claude's loop: claiming and starting (refused while the owner has paused Claude), and
completing: everything a completion means beyond the state move.

Seed principle 1 (the learning loop): completion requires the knowledge step, `learnings_captured`
true/false or learnings inline; inline learnings are stored (or, with a knowledge_id, route that
entry of the task), and a trigger phrase the owner used for the task must be settled first
(apps.knowledge.triggers.trigger_entries_check). Follow-up tasks are created with it. Principle 6:
a must-consult playbook that matched but was not consulted does not block completion; it comes back
as a warning and is logged as `playbook.consult_skipped`. The move itself (working → completed) is
the task state machine's (apps.tasks.services.tasks.task_complete).
"""

from dataclasses import dataclass, field

from django.db import connection, transaction

from apps.activity.attribution import Attribution
from apps.activity.models import LogAction
from apps.activity.services import log_record
from apps.core.error_codes import ErrorCode
from apps.core.errors import Conflict, InvalidInput
from apps.knowledge.models import Knowledge, KnowledgeCategory
from apps.knowledge.services import knowledge_inline_store
from apps.knowledge.triggers import trigger_entries_check
from apps.playbooks.selectors import must_consult_skipped
from apps.tasks.models import Task, TaskStatus
from apps.tasks.services.tasks import task_complete, task_create, task_lock, task_start
from apps.tenants.selectors import workspace_paused

KNOWLEDGE_QUESTION = (
    "Before completing, what did you learn? Send learnings_captured: true (you already captured them "
    "with POST /api/knowledge/capture) or false (nothing to capture), or pass them inline as "
    "knowledge: [{content, category}]. Categories: " + ", ".join(KnowledgeCategory.values) + "."
)


@dataclass
class Completion:
    task: Task
    warnings: list[dict] = field(default_factory=list)
    knowledge: list[Knowledge] = field(default_factory=list)
    follow_up_tasks: list[Task] = field(default_factory=list)


@transaction.atomic
def work_complete(*, by: Attribution, task: Task, output: str | None, learnings_captured: bool | None,
                  knowledge: list[dict] | None = None, follow_up_tasks: list[dict] | None = None) -> Completion:
    """Complete a working task, all or nothing (one transaction).

    The state comes first: the row is locked and a task that is not working (queued, blocked,
    completed, cancelled) is refused with the 409 naming its state, whatever the body says.
    Then the knowledge step (seed principle 1): `learnings_captured` true/false, or learnings
    inline, else 400 asking what was learned (KNOWLEDGE_QUESTION). A trigger phrase the owner used
    for this task must be dealt with first (400 naming it). Inline learnings and follow-up tasks
    (fields as for task_create; ids already resolved, in the task's project unless given) are
    created in the same transaction. Each must-consult playbook that matched but was not consulted
    is a warning and a `playbook.consult_skipped` Log (principle 6).
    """
    task = task_lock(task=task, action="complete")
    if learnings_captured is None and not knowledge:
        raise InvalidInput(KNOWLEDGE_QUESTION, code=ErrorCode.KNOWLEDGE_STEP_REQUIRED,
                           details={"learnings_captured": ["Required unless knowledge is given."],
                                    "categories": KnowledgeCategory.values})
    trigger_entries_check(task=task, inline=knowledge)  # inline items with knowledge_id settle their entries
    task = task_complete(task=task, by=by, output=output,
                         learnings_captured=bool(learnings_captured) or bool(knowledge))
    completion = Completion(task=task)
    completion.knowledge = knowledge_inline_store(task=task, by=by, items=knowledge or [])
    for spec in follow_up_tasks or []:
        completion.follow_up_tasks.append(task_create(by=by, **{"project": task.project, **spec}))
    for skipped in must_consult_skipped(task=task, user=by.user):
        completion.warnings.append({"code": "must_consult_skipped", "playbook_id": str(skipped.playbook.pk),
                                    "playbook_name": skipped.playbook.name,
                                    "warning": f"Completed without consulting must-consult playbook "
                                               f"'{skipped.playbook.name}'. {skipped.warning}"})
        log_record(action=LogAction.PLAYBOOK_CONSULT_SKIPPED, by=by, entity=skipped.playbook,
                   details={"task_id": str(task.pk), "name": skipped.playbook.name})
    return completion


CLAIM_SQL = """
UPDATE tasks_task SET status = 'working', started_at = now(), updated_at = now()
WHERE id = (
    SELECT id FROM tasks_task
    WHERE user_id = %s AND status = 'queued' AND assignee = 'claude' AND blocking_question_id IS NULL
    ORDER BY priority, due_date, created_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED
)
RETURNING id
"""


def work_start(*, by: Attribution, task: Task) -> Task:
    """Start a queued task, unless the owner paused Claude for the workspace (409 paused)."""
    paused = workspace_paused()
    if paused is not None:
        note = f" ({paused.claude_paused_note})" if paused.claude_paused_note else ""
        raise Conflict(f"The owner paused Claude for this workspace at {paused.claude_paused_at:%Y-%m-%d %H:%M} UTC"
                       f"{note}. Start nothing until he resumes; GET /api/tasks/next says when there is work again.",
                       code=ErrorCode.PAUSED, details={"paused_at": paused.claude_paused_at.isoformat(),
                                                       "note": paused.claude_paused_note})
    return task_start(by=by, task=task)


@transaction.atomic
def task_claim(*, by: Attribution) -> Task | None:
    """Pick the next task and start it in one statement, for several agents at once.

    FOR UPDATE SKIP LOCKED: concurrent claimers skip rows another transaction holds, so each task
    goes to exactly one agent and nobody waits. Served by the partial index idx_tasks_next. Nothing
    while the owner has paused Claude for the workspace.
    """
    if workspace_paused() is not None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(CLAIM_SQL, [by.user.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    task = Task.objects.select_related("project").get(pk=row[0])
    log_record(action=LogAction.TASK_STARTED, event_type="task.status_changed", by=by, entity=task,
               details={"task_id": str(task.pk), "title": task.title, "old_status": TaskStatus.QUEUED,
                        "new_status": TaskStatus.WORKING, "claimed": True})
    return task
