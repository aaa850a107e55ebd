from django.apps import AppConfig


class PlaybooksConfig(AppConfig):
    name = "apps.playbooks"
    label = "playbooks"
    default_auto_field = "django.db.models.BigAutoField"
