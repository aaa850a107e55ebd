"""Celery app. Tasks carry their tenant's schema in their headers (tenant-schemas-celery), so a
job queued inside a tenant runs in that tenant's schema."""

import os

from celery.signals import worker_ready
from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expertly.settings.development")

app = CeleryApp("expertly")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def _heartbeat_on_start(**_kwargs) -> None:
    """Health reports the worker as soon as it is up, not only after beat's first 30 s tick."""
    from apps.activity.health import heartbeat_write

    heartbeat_write()
