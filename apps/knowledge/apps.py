from django.apps import AppConfig

from apps.core.owner_words import owner_words_listener


class KnowledgeConfig(AppConfig):
    name = "apps.knowledge"
    label = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        """Listen to the owner's words (apps.core.owner_words): tasks and questions, where the owner
        writes, sit below knowledge and cannot call it, so they announce what the owner wrote and
        knowledge captures its trigger phrases, in the same transaction."""
        from .services import knowledge_triggers_capture  # models are loaded only once ready() runs

        owner_words_listener(knowledge_triggers_capture)
