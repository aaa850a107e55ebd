"""Abstract bases for the tenant tables: a UUID key, and the timestamps most rows carry. They hold
no table of their own; the columns are the ones the tables already had."""

import uuid

from django.db import models


class UUIDModel(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True


class CreatedModel(UUIDModel):
    """Rows that are written once and then move only through their state (created_at only)."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True


class TimestampedModel(CreatedModel):
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


def choices_check(name: str, field: str, choices: type[models.TextChoices], *, null: bool = False) -> models.CheckConstraint:
    """The CHECK constraint that keeps `field` to the values of its TextChoices (NULL too with `null`):
    every enumeration is enforced by the database, not only by Python."""
    condition = models.Q(**{f"{field}__in": choices.values})
    if null:
        condition = models.Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(name=name, condition=condition)
