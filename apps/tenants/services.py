"""Creating and deleting tenants (the schema, its domain, its owner and a first API key), and the
owner's brake on Claude for his workspace."""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.accounts.models import ApiKey, User
from apps.accounts.services import api_key_create, user_create
from apps.activity.attribution import Attribution
from apps.activity.models import Actor, LogAction
from apps.activity.services import log_record

from .models import Domain, Tenant, schema_name_for_slug, validate_tenant_slug
from .selectors import workspace_current


@dataclass(frozen=True)
class TenantCreated:
    tenant: Tenant
    domain: Domain
    owner: User
    api_key: ApiKey
    raw_api_key: str  # shown once, stored nowhere


def tenant_domain_for_slug(slug: str) -> str:
    return f"{slug}.{settings.TENANT_DOMAIN_SUFFIX}"


def _validate_new_tenant(*, slug: str, name: str, owner_email: str) -> None:
    errors = {}
    try:
        validate_tenant_slug(slug)
    except ValidationError as exc:
        errors["slug"] = exc.messages
    else:
        if Tenant.objects.filter(slug=slug).exists():
            errors["slug"] = [f"A tenant with slug '{slug}' already exists."]
    if not name.strip():
        errors["name"] = ["Give the tenant a name."]
    try:
        validate_email(owner_email)
    except ValidationError:
        errors["owner_email"] = [f"'{owner_email}' is not a valid email address."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def tenant_create(
    *,
    slug: str,
    name: str,
    owner_email: str,
    owner_name: str = "",
    owner_password: str | None = None,
    owner_timezone: str = "UTC",
    tier: str = Tenant.Tier.STANDARD,
    api_key_name: str = "Claude",
) -> TenantCreated:
    """A new tenant with its own schema (migrated), the domain `<slug>.<suffix>`, an owner and a
    first API key for Claude. All or nothing: on any error no schema or row is left behind."""
    _validate_new_tenant(slug=slug, name=name, owner_email=owner_email)
    tenant = Tenant(slug=slug, name=name.strip(), schema_name=schema_name_for_slug(slug), tier=tier)
    tenant.full_clean(exclude=["schema_name"])
    tenant.save(verbosity=0)  # django-tenants creates and migrates the schema here
    domain = Domain.objects.create(domain=tenant_domain_for_slug(slug), tenant=tenant, is_primary=True)
    with schema_context(tenant.schema_name):
        log_record(action=LogAction.TENANT_CREATED, by=Attribution(user=None, actor=Actor.SYSTEM), entity=tenant,
                   details={"slug": slug, "name": name})
    owner = user_create(
        tenant=tenant, email=owner_email, name=owner_name, role=User.Role.OWNER,
        password=owner_password, timezone_name=owner_timezone, actor=Actor.SYSTEM,
    )
    api_key, raw_api_key = api_key_create(by=Attribution.system(owner), name=api_key_name)
    return TenantCreated(tenant=tenant, domain=domain, owner=owner, api_key=api_key, raw_api_key=raw_api_key)


@transaction.atomic
def tenant_delete(*, tenant: Tenant) -> None:
    """Drop the tenant's schema with all its data, then its domains, users and keys."""
    with connection.cursor() as cursor:
        # Deferred foreign-key checks still pending in this transaction would block DROP SCHEMA:
        # run them now, then go back to deferred checks for the row deletions that follow.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    tenant.delete(force_drop=True)


@transaction.atomic
def workspace_pause(*, by: Attribution, paused: bool, note: str | None = None) -> Tenant:
    """The owner's brake on the current workspace: paused, Claude gets no work (next and claim answer
    no task, reason "paused"; start is a 409) until he resumes. Only the owner pauses or resumes (an
    agent may not release itself). Logged and pushed live; setting what is already set changes nothing."""
    by.owner_decides("pause or resume Claude", page="/")
    current = workspace_current()
    tenant = Tenant.objects.select_for_update().get(pk=current.pk)
    if tenant.claude_paused == paused:
        return tenant
    tenant.claude_paused_at = timezone.now() if paused else None
    tenant.claude_paused_note = ((note or "").strip() or None) if paused else None
    tenant.save(update_fields=["claude_paused_at", "claude_paused_note", "updated_at"])
    if isinstance(getattr(connection, "tenant", None), Tenant):
        connection.tenant = tenant  # the rest of this request sees the brake too
    log_record(action=LogAction.WORKSPACE_PAUSED if paused else LogAction.WORKSPACE_RESUMED, by=by, entity=tenant,
               details={"note": tenant.claude_paused_note})
    return tenant
