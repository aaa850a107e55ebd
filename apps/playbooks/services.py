"""Writes for playbooks."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from apps.activity.models import Actor
from apps.activity.services import log_record

from .models import Playbook
from .selectors import CONSULTED_ACTION


@transaction.atomic
def playbook_serve(*, playbook: Playbook, user, task=None, actor: str = Actor.CLAUDE, session_id=None) -> Playbook:
    """Serving a playbook's full content counts as consulting it (principle 6): use_count and
    last_used go up, and with a task the consultation is recorded for that task, which is what
    completing it checks for must-consult playbooks."""
    now = timezone.now()
    Playbook.objects.filter(pk=playbook.pk).update(use_count=F("use_count") + 1, last_used=now)
    playbook.refresh_from_db(fields=["use_count", "last_used"])
    log_record(
        action=CONSULTED_ACTION, actor=actor, user=user, entity=playbook, session_id=session_id,
        details={"task_id": str(task.pk) if task else None, "name": playbook.name}, publish=False,
    )
    return playbook
