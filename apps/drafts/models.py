"""Drafts of outgoing communication. Claude drafts; only the owner sends (seed principle 2)."""


from django.db import models
from django.db.models import F, Q

from apps.core.fields import UserForeignKey
from apps.core.models import TimestampedModel, choices_check


class DraftType(models.TextChoices):
    EMAIL = "email", "Email"
    SLACK = "slack", "Slack message"
    DOCUMENT = "document", "Document"
    NOTE = "note", "Note"


class DraftStatus(models.TextChoices):
    PENDING = "pending", "Pending review"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"
    SENT = "sent", "Sent"
    REVISED = "revised", "Revised"


class Draft(TimestampedModel):
    Type = DraftType
    Status = DraftStatus

    user = UserForeignKey(db_on_delete="CASCADE", related_name="+")
    task = models.ForeignKey("tasks.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="drafts")
    type = models.CharField(max_length=50, choices=DraftType.choices)
    recipient = models.CharField(max_length=255, null=True, blank=True)
    subject = models.CharField(max_length=500, null=True, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=50, choices=DraftStatus.choices, default=DraftStatus.PENDING)
    feedback = models.TextField(null=True, blank=True, help_text="The owner's feedback when rejected")
    # The seed's REFERENCES drafts(id) has no ON DELETE: a draft with revisions cannot be deleted.
    revision_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="revisions"
    )
    relationship_context = models.JSONField(null=True, blank=True, help_text="Snapshot of the context considered")
    approved_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "status"], name="idx_drafts_user_status")]
        constraints = [
            choices_check("draft_type_valid", "type", DraftType),
            choices_check("draft_status_valid", "status", DraftStatus),
            models.CheckConstraint(name="draft_not_revision_of_itself", condition=~Q(revision_of=F("id"))),
            models.CheckConstraint(
                name="draft_rejected_has_feedback",
                condition=~Q(status="rejected") | (Q(feedback__isnull=False) & ~Q(feedback="")),
            ),
            models.CheckConstraint(
                name="draft_approved_has_timestamp",
                condition=~Q(status__in=["approved", "sent"]) | Q(approved_at__isnull=False),
            ),
            models.CheckConstraint(
                name="draft_sent_has_timestamp", condition=~Q(status="sent") | Q(sent_at__isnull=False)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} to {self.recipient or '—'}: {self.subject or self.body[:40]}"

    @property
    def snapshot_person_id(self) -> str | None:
        """The recipient person's id as snapshotted in relationship_context (None when none was found)."""
        return ((self.relationship_context or {}).get("person") or {}).get("id")
