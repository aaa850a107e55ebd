"""Questions for the owner: Claude blocks on them, answering unblocks every task they block."""


from django.db import models
from django.db.models import Q

from apps.core.fields import UserForeignKey
from apps.core.models import CreatedModel, UUIDModel, choices_check


class QuestionStatus(models.TextChoices):
    UNANSWERED = "unanswered", "Unanswered"
    ANSWERED = "answered", "Answered"
    DISMISSED = "dismissed", "Dismissed"


class PriorityReason(models.TextChoices):
    HIGH_IMPACT = "high_impact", "High impact"
    BLOCKING_MULTIPLE = "blocking_multiple", "Blocking several tasks"
    TIME_SENSITIVE = "time_sensitive", "Time sensitive"


class AnsweredBy(models.TextChoices):
    USER = "user", "User"
    CLAUDE = "claude", "Claude (self-resolved)"


class Question(CreatedModel):
    Status = QuestionStatus
    PriorityReason = PriorityReason

    user = UserForeignKey(db_on_delete="CASCADE", related_name="+", db_index=False)
    text = models.TextField()
    context = models.TextField(null=True, blank=True, help_text="Background for the question")
    why_asking = models.TextField(null=True, blank=True)
    what_claude_will_do = models.TextField(null=True, blank=True, help_text="What Claude will do with the answer")
    priority = models.IntegerField(default=3, help_text="1 (highest) to 5 (lowest)")
    priority_reason = models.CharField(max_length=50, choices=PriorityReason.choices, null=True, blank=True)
    status = models.CharField(max_length=50, choices=QuestionStatus.choices, default=QuestionStatus.UNANSWERED)
    answer = models.TextField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.CharField(max_length=50, choices=AnsweredBy.choices, null=True, blank=True)
    dismissed_reason = models.TextField(null=True, blank=True)
    unblocks = models.ManyToManyField("tasks.Task", through="QuestionUnblock", related_name="unblocking_questions")

    class Meta:
        ordering = ["priority", "created_at"]
        indexes = [
            models.Index(
                fields=["user", "priority", "created_at"],
                name="idx_questions_unanswered",
                condition=Q(status="unanswered"),
            ),
        ]
        constraints = [
            models.CheckConstraint(name="question_priority_range", condition=Q(priority__gte=1, priority__lte=5)),
            choices_check("question_status_valid", "status", QuestionStatus),
            choices_check("question_priority_reason_valid", "priority_reason", PriorityReason, null=True),
            choices_check("question_answered_by_valid", "answered_by", AnsweredBy, null=True),
            models.CheckConstraint(
                name="question_answered_has_answer",
                condition=~Q(status="answered") | (Q(answer__isnull=False) & Q(answered_at__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.text


class QuestionUnblock(UUIDModel):
    """A question may block (and so unblock) several tasks: the seed's question_unblocks."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="question_unblocks", db_index=False)
    task = models.ForeignKey("tasks.Task", on_delete=models.CASCADE, related_name="question_unblocks")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["question", "task"], name="question_unblock_unique")]

    def __str__(self) -> str:
        return f"{self.question_id} unblocks {self.task_id}"
