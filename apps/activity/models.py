"""The audit trail: one row per state change, written by apps.activity.services.log_record."""


from django.db import models
from django.utils import timezone

from apps.core.fields import UserForeignKey
from apps.core.models import CreatedModel, choices_check


class Actor(models.TextChoices):
    CLAUDE = "claude", "Claude"
    USER = "user", "User"
    SYSTEM = "system", "System"


class LogAction(models.TextChoices):
    """Every action the Log records, `entity.verb`. The live event carries the same name unless the
    service names another (several share `task.status_changed`, as the dashboard protocol has it)."""

    API_KEY_CREATED = "api_key.created"
    API_KEY_REVOKED = "api_key.revoked"
    USER_CREATED = "user.created"
    TENANT_CREATED = "tenant.created"
    TENANT_DEMO_SEEDED = "tenant.demo_seeded"
    WORKSPACE_PAUSED = "workspace.paused"
    WORKSPACE_RESUMED = "workspace.resumed"
    TASK_CREATED = "task.created"
    TASK_UPDATED = "task.updated"
    TASK_STARTED = "task.started"
    TASK_COMPLETED = "task.completed"
    TASK_BLOCKED = "task.blocked"
    TASK_REQUEUED = "task.requeued"
    TASK_CANCELLED = "task.cancelled"
    TASK_STOPPED = "task.stopped"
    PROJECT_CREATED = "project.created"
    PROJECT_UPDATED = "project.updated"
    PROJECT_DELETED = "project.deleted"
    RECURRING_CREATED = "recurring.created"
    RECURRING_UPDATED = "recurring.updated"
    RECURRING_DELETED = "recurring.deleted"
    RECURRING_RUN = "recurring.run"
    WAITING_CREATED = "waiting.created"
    WAITING_UPDATED = "waiting.updated"
    WAITING_DELETED = "waiting.deleted"
    WAITING_RESOLVED = "waiting.resolved"
    QUESTION_CREATED = "question.created"
    QUESTION_UPDATED = "question.updated"
    QUESTION_ANSWERED = "question.answered"
    QUESTION_DISMISSED = "question.dismissed"
    CLIENT_CREATED = "client.created"
    CLIENT_UPDATED = "client.updated"
    CLIENT_DELETED = "client.deleted"
    PERSON_CREATED = "person.created"
    PERSON_UPDATED = "person.updated"
    PERSON_DELETED = "person.deleted"
    DRAFT_CREATED = "draft.created"
    DRAFT_UPDATED = "draft.updated"
    DRAFT_APPROVED = "draft.approved"
    DRAFT_REJECTED = "draft.rejected"
    DRAFT_REVISED = "draft.revised"
    PLAYBOOK_CREATED = "playbook.created"
    PLAYBOOK_UPDATED = "playbook.updated"
    PLAYBOOK_PROPOSED = "playbook.proposed"
    PLAYBOOK_APPROVED = "playbook.approved"
    PLAYBOOK_REJECTED = "playbook.rejected"
    PLAYBOOK_ARCHIVED = "playbook.archived"
    PLAYBOOK_IMPORTED = "playbook.imported"
    PLAYBOOK_CONSULTED = "playbook.consulted"
    PLAYBOOK_CONSULT_SKIPPED = "playbook.consult_skipped"
    KNOWLEDGE_CAPTURED = "knowledge.captured"
    KNOWLEDGE_UPDATED = "knowledge.updated"
    KNOWLEDGE_ROUTED = "knowledge.routed"
    KNOWLEDGE_PENDING_REVIEW = "knowledge.pending_review"
    KNOWLEDGE_DISMISSED = "knowledge.dismissed"
    KNOWLEDGE_TRIGGER_ADDED = "knowledge.trigger_added"
    OPPORTUNITY_CREATED = "opportunity.created"
    OPPORTUNITY_UPDATED = "opportunity.updated"
    OPPORTUNITY_ADVANCED = "opportunity.advanced"
    OPPORTUNITY_DELETED = "opportunity.deleted"


class Log(CreatedModel):
    user = UserForeignKey(db_on_delete="CASCADE", null=True, blank=True, related_name="+", db_index=False)
    timestamp = models.DateTimeField(default=timezone.now)
    actor = models.CharField(max_length=50, choices=Actor.choices, default=Actor.CLAUDE)
    action = models.CharField(max_length=100, help_text="entity.verb, e.g. task.created")
    entity_type = models.CharField(max_length=50, null=True, blank=True)
    entity_id = models.UUIDField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    session_id = models.CharField(max_length=100, null=True, blank=True)

    class Meta:
        ordering = ["-timestamp"]
        indexes = [
            models.Index(fields=["user", "-timestamp"], name="idx_logs_user_time"),
            models.Index(fields=["entity_type", "entity_id"], name="idx_logs_entity"),
        ]
        constraints = [
            choices_check("log_actor_valid", "actor", Actor),
            models.CheckConstraint(name="log_action_format", condition=models.Q(action__regex=r"^[a-z_]+\.[a-z_.]+$")),
        ]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor} {self.action}"
