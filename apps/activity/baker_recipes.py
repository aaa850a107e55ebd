"""model-bakery recipes for the audit trail: `tenant_a.make("activity.log", action=..., entity_id=...)`
(see the root conftest). Services write Log rows through log_record; a recipe is for the history a test
needs as it stands (old timestamps, many rows), which no service writes. Pass `user=` explicitly."""

from model_bakery.recipe import Recipe

from .models import Actor, Log, LogAction

log = Recipe(Log, action=LogAction.TASK_CREATED, actor=Actor.CLAUDE, details=dict)
