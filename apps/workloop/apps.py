from django.apps import AppConfig


class WorkloopConfig(AppConfig):
    """Claude's work loop in one place: next, claim, start, complete, block, and the owner's brake on it
    (pause, stop). A flow over the domain
    apps (tasks, questions, knowledge, playbooks); no models, no tables."""

    name = "apps.workloop"
    label = "workloop"
