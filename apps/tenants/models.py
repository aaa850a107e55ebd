"""Tenants (organisations) and their host names. Public schema."""

import re
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django_tenants.models import DomainMixin, TenantMixin

from apps.core.error_codes import ErrorCode

from .encryption import EncryptedTextField

SLUG_PATTERN = r"^[a-z][a-z0-9-]{1,48}[a-z0-9]$"
RESERVED_SLUGS = frozenset({"public", "admin", "api", "www", "static", "information-schema"})


def schema_name_for_slug(slug: str) -> str:
    """PostgreSQL schema for a tenant slug: hyphens are not valid in unquoted identifiers."""
    return slug.replace("-", "_")


def validate_tenant_slug(slug: str) -> None:
    if not re.fullmatch(SLUG_PATTERN, slug):
        raise ValidationError(
            "Use 3-50 lowercase letters, digits or hyphens, starting with a letter and not ending with a hyphen.",
            code=ErrorCode.INVALID_SLUG,
        )
    if slug in RESERVED_SLUGS or slug.startswith("pg-"):
        raise ValidationError(f"'{slug}' is reserved; choose another slug.", code=ErrorCode.RESERVED_SLUG)


class Tenant(TenantMixin):
    class DatabaseMode(models.TextChoices):
        SHARED = "shared", "Shared database, own schema"
        DEDICATED = "dedicated", "Dedicated database"

    class Tier(models.TextChoices):
        STANDARD = "standard", "Standard"
        PREMIUM = "premium", "Premium"
        ENTERPRISE = "enterprise", "Enterprise"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=255)
    slug = models.CharField(max_length=100, unique=True, validators=[validate_tenant_slug])
    database_mode = models.CharField(max_length=20, choices=DatabaseMode.choices, default=DatabaseMode.SHARED)
    # Connection string of a dedicated database; encrypted at rest, NULL in shared mode.
    connection_config = EncryptedTextField(null=True, blank=True)
    tier = models.CharField(max_length=50, choices=Tier.choices, default=Tier.STANDARD)
    settings = models.JSONField(default=dict, blank=True)
    # The owner's brake: while set, Claude gets no work in this workspace (next and claim say "paused").
    claude_paused_at = models.DateTimeField(null=True, blank=True, editable=False)
    claude_paused_note = models.TextField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    auto_create_schema = True
    auto_drop_schema = True

    @property
    def claude_paused(self) -> bool:
        """The owner's brake is on: Claude gets no work in this workspace."""
        return self.claude_paused_at is not None

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="tenant_database_mode_valid",
                condition=models.Q(database_mode__in=["shared", "dedicated"]),
            ),
            models.CheckConstraint(
                name="tenant_tier_valid", condition=models.Q(tier__in=["standard", "premium", "enterprise"])
            ),
            models.CheckConstraint(
                name="tenant_dedicated_has_connection",
                condition=models.Q(database_mode="shared") | models.Q(connection_config__isnull=False),
                violation_error_message="A dedicated tenant needs its connection_config.",
            ),
            models.CheckConstraint(name="tenant_slug_format", condition=models.Q(slug__regex=SLUG_PATTERN)),
            models.CheckConstraint(
                name="tenant_schema_matches_slug",
                condition=models.Q(schema_name=models.Func(
                    models.F("slug"), models.Value("-"), models.Value("_"), function="replace",
                    output_field=models.CharField(),
                )),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.slug})"

    @property
    def is_public(self) -> bool:
        return self.schema_name == "public"


class Domain(DomainMixin):
    """A host name that resolves to a tenant (`<slug>.localhost` in development)."""

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain
