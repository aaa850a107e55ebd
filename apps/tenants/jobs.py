"""Running a Celery job in every workspace.

A job that must run per tenant is sent once per tenant schema, each message carrying its schema in
the `_schema_name` header that tenant-schemas-celery switches to before the job runs. The schema is
named explicitly per message, never taken from whatever schema the sending connection happens to be
on (fan-outs have lost their tenant that way: tenant-schemas-celery #12, #132, #170).
"""

import functools
import logging

from django.db import connection
from django_tenants.utils import get_public_schema_name

from .models import Tenant

logger = logging.getLogger(__name__)


def tenant_schema_names() -> list[str]:
    """Every tenant's schema, in a stable order (the public schema is no tenant)."""
    return list(Tenant.objects.exclude(schema_name=get_public_schema_name()).order_by("schema_name")
                .values_list("schema_name", flat=True))


def per_tenant(job_body):
    """For the body of a job sent by tenants_fan_out: run it only inside a tenant schema. Without one
    (the public schema: a message that lost its header) it is logged and skipped, returning None."""

    @functools.wraps(job_body)
    def run(*args, **kwargs):
        if connection.schema_name == get_public_schema_name():
            logger.error("%s arrived without a tenant schema; ignored", job_body.__qualname__)
            return None
        return job_body(*args, **kwargs)

    return run


def tenants_fan_out(job, *, expires: int | None = None) -> int:
    """Send `job` (a Celery task taking no arguments) once per tenant schema; returns how many were
    sent. `expires`: a message not started within that many seconds is dropped."""
    schemas = tenant_schema_names()
    for schema_name in schemas:
        job.apply_async(headers={"_schema_name": schema_name}, expires=expires)
    return len(schemas)
