"""Playbooks: how David wants things done. Matched to tasks; some must be consulted (principle 6)."""


from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import F, Q, Value

from apps.core.fields import UserForeignKey
from apps.core.models import TimestampedModel, choices_check


class PlaybookStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    PROPOSED = "proposed", "Proposed"
    REJECTED = "rejected", "Rejected"
    ARCHIVED = "archived", "Archived"


class PlaybookCategory(models.TextChoices):
    """Suggested categories; the column stays open (owners add their own)."""

    SCHEDULING = "scheduling", "Scheduling"
    COMMUNICATION = "communication", "Communication"
    SALES = "sales", "Sales"
    TECHNICAL = "technical", "Technical"
    RULES = "rules", "Rules and terminology"


class ImmutableArrayToString(models.Func):
    """array_to_string() is only STABLE, which PostgreSQL refuses in an index or generated column;
    migration 0001 creates this IMMUTABLE wrapper (the seed's idx_playbooks_search needs it)."""

    function = "expertly_array_to_string"
    output_field = models.TextField()


class Playbook(TimestampedModel):
    Status = PlaybookStatus
    Category = PlaybookCategory

    user = UserForeignKey(db_on_delete="CASCADE", related_name="+", db_index=False)
    name = models.CharField(max_length=255)
    description = models.TextField(help_text="Used for matching")
    category = models.CharField(max_length=100, null=True, blank=True)
    triggers = ArrayField(models.TextField(), default=list, blank=True, help_text="Phrases that match this playbook")
    must_consult = models.BooleanField(default=False)
    content = models.TextField(help_text="Markdown")
    scripts = models.JSONField(default=dict, blank=True, help_text="{filename: content}")
    references = models.JSONField(default=dict, blank=True, help_text="{filename: content}")
    examples = models.JSONField(default=list, blank=True)
    learned_from = models.TextField(null=True, blank=True)
    source_task = models.ForeignKey(
        "tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="playbooks_learned"
    )
    last_used = models.DateTimeField(null=True, blank=True)
    use_count = models.IntegerField(default=0)
    status = models.CharField(max_length=50, choices=PlaybookStatus.choices, default=PlaybookStatus.ACTIVE)
    rejected_reason = models.TextField(null=True, blank=True, help_text="Why the owner rejected this proposal")
    search_vector = models.GeneratedField(
        expression=SearchVector("name", weight="A", config="english")
        + SearchVector(ImmutableArrayToString(F("triggers"), Value(" ")), weight="A", config="english")
        + SearchVector("description", weight="B", config="english"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["user"], name="idx_playbooks_user"),
            models.Index(fields=["user"], name="idx_playbooks_must_consult", condition=Q(must_consult=True)),
            GinIndex(fields=["search_vector"], name="idx_playbooks_search"),
        ]
        constraints = [
            choices_check("playbook_status_valid", "status", PlaybookStatus),
            models.CheckConstraint(name="playbook_use_count_not_negative", condition=Q(use_count__gte=0)),
            models.CheckConstraint(name="playbook_name_not_blank", condition=~Q(name="")),
            # A rejected proposal is kept for the record, with the owner's reason.
            models.CheckConstraint(
                name="playbook_rejected_has_reason",
                condition=~Q(status=PlaybookStatus.REJECTED) | (Q(rejected_reason__isnull=False) & ~Q(rejected_reason="")),
            ),
        ]

    def __str__(self) -> str:
        return self.name
