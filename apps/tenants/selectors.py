"""Reads of the workspace itself."""

from django.db import connection

from .models import Tenant


def workspace_current() -> Tenant | None:
    """The workspace of the current schema: the Tenant a request resolved (its middleware set it on the
    connection, no query), else the one the schema belongs to (a job, a test under schema_context)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Tenant):
        return tenant
    return Tenant.objects.filter(schema_name=connection.schema_name).first()


def workspace_paused() -> Tenant | None:
    """The current workspace when its owner has paused Claude, else None."""
    tenant = workspace_current()
    return tenant if tenant is not None and tenant.claude_paused else None
