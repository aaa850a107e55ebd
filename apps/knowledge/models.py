"""Knowledge: what Claude learned, and where it was routed (the learning loop, principle 1)."""


from django.db import models
from django.db.models import Q
from django.utils import timezone

from apps.core.fields import UserForeignKey
from apps.core.models import CreatedModel, choices_check


class KnowledgeSourceType(models.TextChoices):
    TASK = "task", "Task"
    CONVERSATION = "conversation", "Conversation"
    TRIGGER_PHRASE = "trigger_phrase", "Trigger phrase"


class KnowledgeCategory(models.TextChoices):
    PLAYBOOK = "playbook", "How to do something → playbook"
    PERSON = "person", "About a person"
    CLIENT = "client", "About a client"
    PROJECT = "project", "About a project"
    SETTING = "setting", "URL, tool or preference → user settings"
    RULE = "rule", "Company rule or terminology → Rules playbook"


class KnowledgeStatus(models.TextChoices):
    CAPTURED = "captured", "Captured"
    ROUTED = "routed", "Routed"
    PENDING_REVIEW = "pending_review", "Pending review"
    DISMISSED = "dismissed", "Dismissed"


class RoutedToType(models.TextChoices):
    PERSON = "person", "Person"
    CLIENT = "client", "Client"
    PROJECT = "project", "Project"
    PLAYBOOK = "playbook", "Playbook"
    USER_SETTINGS = "user_settings", "User settings"


class Knowledge(CreatedModel):
    SourceType = KnowledgeSourceType
    Category = KnowledgeCategory
    Status = KnowledgeStatus

    user = UserForeignKey(db_on_delete="CASCADE", related_name="+", db_index=False)
    source_task = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="knowledge", db_index=False
    )
    source_question = models.ForeignKey(
        "questions.Question", on_delete=models.SET_NULL, null=True, blank=True, related_name="knowledge",
        help_text="The answered question whose text held the trigger phrase (auto-captured entries).",
    )
    source_type = models.CharField(max_length=50, choices=KnowledgeSourceType.choices)
    trigger_phrase = models.CharField(max_length=255, null=True, blank=True)
    content = models.TextField()
    category = models.CharField(max_length=50, choices=KnowledgeCategory.choices)
    routed_to_type = models.CharField(max_length=50, choices=RoutedToType.choices, null=True, blank=True)
    routed_to_id = models.UUIDField(null=True, blank=True)
    routed_field = models.CharField(max_length=100, null=True, blank=True,
                                    help_text="What routing wrote, e.g. communication_notes or learned.crm_url")
    candidates = models.JSONField(default=list, blank=True,
                                  help_text="Entities the content could be about, when routing could not pick one: "
                                            "[{type, id, name, matched}]")
    review_note = models.TextField(null=True, blank=True, help_text="Why the entry waits for review")
    dismissed_reason = models.TextField(null=True, blank=True)
    status = models.CharField(max_length=50, choices=KnowledgeStatus.choices, default=KnowledgeStatus.CAPTURED)
    learned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-learned_at"]
        verbose_name_plural = "knowledge"
        indexes = [
            models.Index(fields=["user", "status"], name="idx_knowledge_status"),
            models.Index(fields=["source_task"], name="idx_knowledge_source"),
        ]
        constraints = [
            choices_check("knowledge_source_type_valid", "source_type", KnowledgeSourceType),
            choices_check("knowledge_category_valid", "category", KnowledgeCategory),
            choices_check("knowledge_status_valid", "status", KnowledgeStatus),
            choices_check("knowledge_routed_to_type_valid", "routed_to_type", RoutedToType, null=True),
            models.CheckConstraint(
                name="knowledge_routed_has_target",
                condition=~Q(status="routed") | Q(routed_to_type__isnull=False),
            ),
            models.CheckConstraint(
                name="knowledge_trigger_source_has_phrase",
                condition=~Q(source_type="trigger_phrase") | Q(trigger_phrase__isnull=False),
            ),
            models.CheckConstraint(
                name="knowledge_dismissed_has_reason",
                condition=~Q(status="dismissed") | (Q(dismissed_reason__isnull=False) & ~Q(dismissed_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.category}] {self.content[:60]}"
