from django.apps import AppConfig


class ContextConfig(AppConfig):
    """The context endpoints (task, project, person, client) and full-text search: reads only, no models."""

    name = "apps.context"
    label = "context"
