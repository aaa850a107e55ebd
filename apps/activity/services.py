"""Writes to the audit trail."""

import uuid

from django.db import models

from .attribution import Attribution
from .events import event_publish
from .models import Log, LogAction


def log_record(
    *,
    action: LogAction,
    by: Attribution,
    entity: models.Model | None = None,
    entity_type: str | None = None,
    entity_id: uuid.UUID | None = None,
    details: dict | None = None,
    publish: bool = True,
    event_type: str | None = None,
) -> Log:
    """Record a state change in the current tenant's Log and publish it as a live event on commit.

    Every service that changes state calls this once per change, inside its transaction, so the
    audit row and the change commit or roll back together. `action` is `entity.verb` (`task.created`);
    the live event carries the same name unless `event_type` names another (several actions share
    `task.status_changed`, as the dashboard protocol has it). The event goes only to the pages of the
    user the change belongs to (`by.user`, the row's user), or to the owners' when there is none.
    """
    if action not in LogAction.values:  # a typo'd action would be an audit row nobody can filter for
        raise ValueError(f"Unknown log action {action!r}: add it to apps.activity.models.LogAction.")
    if entity is not None:
        entity_type = entity_type or entity._meta.model_name
        entity_id = entity_id or entity.pk
    log = Log.objects.create(
        action=action,
        actor=by.actor,
        user=by.user,
        entity_type=entity_type,
        entity_id=entity_id,
        details=details or {},
        session_id=by.session_id,
    )
    if publish:
        event_publish(
            user_id=log.user_id,
            event_type=event_type or action,
            payload={
                "action": action,
                "log_id": str(log.id),
                "actor": by.actor,
                "entity_type": entity_type,
                "entity_id": str(entity_id) if entity_id else None,
                "details": log.details,
                "timestamp": log.timestamp.isoformat(),
            },
        )
    return log
