"""People who log in (owners and members of a tenant, or platform ops staff) and their API keys.

Public schema. A tenant's data rows point here through apps.core.fields.UserForeignKey.
"""

import logging
import uuid
import zoneinfo

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone as django_timezone

from apps.core.error_codes import ErrorCode
from apps.core.models import choices_check

logger = logging.getLogger(__name__)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"'{value}' is not an IANA time zone name (e.g. 'Europe/Berlin').", code=ErrorCode.INVALID_TIMEZONE)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)  # None gives an unusable password: API-key-only users
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        """Platform ops staff: no tenant, access to the public admin only."""
        fields.update(tenant=None, is_staff=True, is_superuser=True, role=User.Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        ADMIN = "admin", "Admin"
        MEMBER = "member", "Member"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # NULL only for platform ops staff, who belong to no tenant.
    tenant = models.ForeignKey(
        "tenants.Tenant", on_delete=models.CASCADE, null=True, blank=True, related_name="users"
    )
    email = models.EmailField(max_length=255)
    name = models.CharField(max_length=255, blank=True)
    role = models.CharField(max_length=50, choices=Role.choices, default=Role.MEMBER)
    settings = models.JSONField(default=dict, blank=True)
    timezone = models.CharField(max_length=50, default="UTC", validators=[validate_timezone])
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="Platform ops staff: may use the public admin.")
    created_at = models.DateTimeField(default=django_timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["email"]
        constraints = [
            # Email unique within a tenant; NULLS NOT DISTINCT makes it unique among ops staff too.
            models.UniqueConstraint(
                fields=["tenant", "email"], name="user_email_unique_per_tenant", nulls_distinct=False
            ),
            models.CheckConstraint(name="user_email_lowercase", condition=models.Q(email=Lower("email"))),
            models.CheckConstraint(name="user_role_valid", condition=models.Q(role__in=["owner", "admin", "member"])),
            # Tenant users can never be platform staff.
            models.CheckConstraint(
                name="user_staff_has_no_tenant",
                condition=models.Q(tenant__isnull=True) | models.Q(is_staff=False, is_superuser=False),
            ),
        ]

    def __str__(self) -> str:
        return self.email

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The owner's time zone, for everything shown or scheduled on his wall clock (UTC when the
        stored name is unknown to this machine)."""
        try:
            return zoneinfo.ZoneInfo(self.timezone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            logger.warning("unknown time zone %r of user %s; using UTC", self.timezone, self.pk)
            return zoneinfo.ZoneInfo("UTC")

    @property
    def is_tenant_admin(self) -> bool:
        return self.tenant_id is not None and self.role in (self.Role.OWNER, self.Role.ADMIN)


class ApiKeyRole(models.TextChoices):
    AGENT = "agent", "Agent (Claude)"  # works the loop; proposes, never decides for the owner
    OWNER = "owner", "Owner"  # the owner's own scripts: acts as the owner, may make his decisions


class ApiKey(models.Model):
    """A key Claude (or a script) authenticates with. Only its SHA-256 is stored; the key is shown once.
    Its role says who acts with it: an agent (Claude) or the owner himself."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, help_text="What the key is for, e.g. 'Claude on David's laptop'.")
    # The key's first characters, shown to tell keys apart; not secret.
    prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=django_timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    role = models.CharField(max_length=20, choices=ApiKeyRole.choices, default=ApiKeyRole.AGENT)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"
        constraints = [
            choices_check("apikey_role_valid", "role", ApiKeyRole),
            models.CheckConstraint(name="apikey_hash_is_sha256_hex", condition=models.Q(key_hash__regex=r"^[0-9a-f]{64}$")),
            models.CheckConstraint(name="apikey_prefix_format", condition=models.Q(prefix__regex=r"^etk_[a-z0-9]{8}$")),
        ]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def acts_as_owner(self) -> bool:
        """An owner key is the owner himself (his scripts); an agent key is Claude."""
        return self.role == ApiKeyRole.OWNER

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
