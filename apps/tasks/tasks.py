"""Celery jobs of the tasks app: recurring tasks are materialized once a minute, per tenant.

Beat sends `tasks.recurring_fan_out` (CELERY_BEAT_SCHEDULE); it runs in the public schema and sends one
`tasks.recurring_materialize` per tenant schema (apps.tenants.jobs.tenants_fan_out). Both jobs are
idempotent (apps.tasks.services.recurring), so a second beat or a message Redis redelivers is harmless.
"""

from celery import shared_task

from apps.tenants.jobs import per_tenant, tenants_fan_out

from .services.recurring import recurring_materialize_due

# A per-tenant job not started within this many seconds is dropped: the next minute's fan-out covers it,
# so a backlog after an outage does not run every missed minute in turn.
MATERIALIZE_EXPIRES = 55


@shared_task(name="tasks.recurring_fan_out", ignore_result=True)
def recurring_fan_out() -> int:
    """One recurring_materialize job per tenant schema. Returns how many were sent."""
    return tenants_fan_out(recurring_materialize, expires=MATERIALIZE_EXPIRES)


@shared_task(name="tasks.recurring_materialize", ignore_result=True)
@per_tenant
def recurring_materialize() -> int:
    """Materialize every due recurring task of the tenant this job carries. Returns how many tasks it ran."""
    return len(recurring_materialize_due())
