"""Celery app. Tasks carry their tenant's schema in their headers (tenant-schemas-celery), so a
job queued inside a tenant runs in that tenant's schema."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expertly.settings.development")

app = CeleryApp("expertly")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
