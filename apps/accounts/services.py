"""Writes for users and API keys. Keys are created and revoked only here."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.activity.attribution import Attribution
from apps.activity.models import Actor, LogAction
from apps.activity.services import log_record
from apps.core.errors import InvalidInput

from .keys import api_key_generate, api_key_hash
from .models import ApiKey, ApiKeyRole, User

# last_used_at is for people deciding which keys to revoke; minute precision spares a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _log_in_tenant(*, by: Attribution, action: LogAction, entity, details: dict) -> None:
    """Keys and users live in the public schema; their audit rows go to their tenant's Log."""
    with schema_context(by.user.tenant.schema_name):
        log_record(action=action, by=by, entity=entity, details=details)


@transaction.atomic
def user_create(*, tenant, email: str, name: str = "", role: str = User.Role.MEMBER, password: str | None = None,
                timezone_name: str = "UTC", actor: Actor) -> User:
    """A user of `tenant` (password optional: API-key-only users never log in). `actor` is who made
    them (the system for ops commands, the owner from his settings); the Log row is the new user's."""
    user = User.objects.create_user(email, password, tenant=tenant, name=name, role=role, timezone=timezone_name)
    _log_in_tenant(by=Attribution(user=user, actor=actor), action=LogAction.USER_CREATED, entity=user,
                   details={"email": user.email, "role": role})
    return user


@transaction.atomic
def api_key_create(*, by: Attribution, name: str, role: str = ApiKeyRole.AGENT) -> tuple[ApiKey, str]:
    """A new key for `by.user` (made by `by.actor`), for an agent (Claude: the default) or for the
    owner's own scripts (`role` owner: it acts as the owner and may make his decisions). Returns the
    row and the raw key, which exists nowhere else afterwards: show it once and forget it."""
    if role not in ApiKeyRole.values:
        raise InvalidInput.field("role", f"one of {', '.join(ApiKeyRole.values)}")
    user = by.user
    if user.tenant_id is None:
        raise ValueError("API keys belong to users of a tenant; ops staff have none.")
    raw_key, prefix = api_key_generate()
    api_key = ApiKey.objects.create(user=user, name=name, role=role, prefix=prefix, key_hash=api_key_hash(raw_key))
    _log_in_tenant(by=by, action=LogAction.API_KEY_CREATED, entity=api_key, details={"prefix": prefix, "name": name,
                                                                                     "role": role})
    return api_key, raw_key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, by: Attribution) -> ApiKey:
    """Revoke a key for good (idempotent). Requests with it answer 401 from the next one on."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        _log_in_tenant(by=by, action=LogAction.API_KEY_REVOKED, entity=api_key, details={"prefix": api_key.prefix})
    return api_key


def api_key_touch(*, api_key: ApiKey, now: datetime) -> None:
    """Note that a key was used, at most once a minute (not an audited state change)."""
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
