"""The sales pipeline."""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from apps.core.fields import UserForeignKey
from apps.core.models import TimestampedModel, choices_check


class Stage(models.TextChoices):
    LEAD = "lead", "Lead"
    QUALIFIED = "qualified", "Qualified"
    PROPOSAL = "proposal", "Proposal"
    NEGOTIATION = "negotiation", "Negotiation"
    CLOSED_WON = "closed_won", "Closed won"
    CLOSED_LOST = "closed_lost", "Closed lost"


CLOSED_STAGES = (Stage.CLOSED_WON, Stage.CLOSED_LOST)
CENTS = Decimal("0.01")


class SalesOpportunity(TimestampedModel):
    Stage = Stage

    user = UserForeignKey(db_on_delete="CASCADE", related_name="+")
    client = models.ForeignKey(
        "people.Client", on_delete=models.SET_NULL, null=True, blank=True, related_name="opportunities"
    )
    name = models.CharField(max_length=255)
    description = models.TextField(null=True, blank=True)
    stage = models.CharField(max_length=50, choices=Stage.choices, default=Stage.LEAD)
    value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    probability = models.IntegerField(null=True, blank=True, help_text="0 to 100 (%)")
    expected_close_date = models.DateField(null=True, blank=True)
    last_activity = models.DateTimeField(null=True, blank=True)
    next_action = models.TextField(null=True, blank=True)
    next_action_date = models.DateField(null=True, blank=True)
    notes = models.TextField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["expected_close_date", "name"]
        verbose_name_plural = "sales opportunities"
        indexes = [models.Index(fields=["user", "stage"], name="idx_sales_user_stage")]
        constraints = [
            choices_check("sales_stage_valid", "stage", Stage),
            models.CheckConstraint(
                name="sales_probability_range",
                condition=Q(probability__isnull=True) | Q(probability__gte=0, probability__lte=100),
            ),
            models.CheckConstraint(name="sales_value_not_negative", condition=Q(value__isnull=True) | Q(value__gte=0)),
            models.CheckConstraint(
                name="sales_closed_has_timestamp",
                condition=~Q(stage__in=CLOSED_STAGES) | Q(closed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def weighted_value(self) -> Decimal | None:
        """value × probability / 100, to the cent (None when either is unset)."""
        if self.value is None or self.probability is None:
            return None
        return (self.value * self.probability / 100).quantize(CENTS)
