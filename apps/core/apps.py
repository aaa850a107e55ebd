from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared plumbing below every domain app. No models, no tables."""

    name = "apps.core"
    label = "core"
