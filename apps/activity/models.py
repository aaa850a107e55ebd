"""The audit trail: one row per state change, written by apps.activity.services.log_record."""

import uuid

from django.db import models
from django.utils import timezone

from apps.accounts.fields import UserForeignKey


class Actor(models.TextChoices):
    CLAUDE = "claude", "Claude"
    USER = "user", "User"
    SYSTEM = "system", "System"


class Log(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = UserForeignKey(db_on_delete="CASCADE", null=True, blank=True, related_name="+", db_index=False)
    timestamp = models.DateTimeField(default=timezone.now)
    actor = models.CharField(max_length=50, choices=Actor.choices, default=Actor.CLAUDE)
    action = models.CharField(max_length=100, help_text="entity.verb, e.g. task.created")
    entity_type = models.CharField(max_length=50, null=True, blank=True)
    entity_id = models.UUIDField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    session_id = models.CharField(max_length=100, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-timestamp"]
        indexes = [
            models.Index(fields=["user", "-timestamp"], name="idx_logs_user_time"),
            models.Index(fields=["entity_type", "entity_id"], name="idx_logs_entity"),
        ]
        constraints = [
            models.CheckConstraint(name="log_actor_valid", condition=models.Q(actor__in=Actor.values)),
            models.CheckConstraint(name="log_action_format", condition=models.Q(action__regex=r"^[a-z_]+\.[a-z_.]+$")),
        ]

    def __str__(self) -> str:
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.actor} {self.action}"
