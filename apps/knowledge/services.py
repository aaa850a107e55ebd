"""Writes for knowledge: capturing what was learned (routing to entities comes with the learning loop)."""

from django.db import transaction

from apps.activity.models import Actor
from apps.activity.services import log_record

from .models import Knowledge, KnowledgeSourceType


@transaction.atomic
def knowledge_capture(
    *,
    user,
    content: str,
    category: str,
    source_task=None,
    source_type: str = KnowledgeSourceType.TASK,
    trigger_phrase: str | None = None,
    actor: str = Actor.CLAUDE,
    session_id: str | None = None,
) -> Knowledge:
    """Store a learning with its source, so it cannot be lost (seed principle 1), and log it."""
    knowledge = Knowledge.objects.create(
        user=user, content=content.strip(), category=category, source_task=source_task, source_type=source_type,
        trigger_phrase=trigger_phrase,
    )
    log_record(
        action="knowledge.captured", actor=actor, user=user, entity=knowledge, session_id=session_id,
        details={"category": category, "source_task_id": str(source_task.pk) if source_task else None},
    )
    return knowledge
