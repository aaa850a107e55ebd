from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "apps.activity"
    label = "activity"
    default_auto_field = "django.db.models.BigAutoField"
