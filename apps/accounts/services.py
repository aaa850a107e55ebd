"""Writes for users and API keys. Keys are created and revoked only here."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.activity.models import Actor
from apps.activity.services import log_record

from .keys import api_key_generate, api_key_hash
from .models import ApiKey, User

# last_used_at is for people deciding which keys to revoke; minute precision spares a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _log_in_tenant(*, user: User, action: str, entity, actor: str, details: dict) -> None:
    """Keys and users live in the public schema; their audit rows go to their tenant's Log."""
    with schema_context(user.tenant.schema_name):
        log_record(action=action, actor=actor, user=user, entity=entity, details=details)


@transaction.atomic
def user_create(*, tenant, email: str, name: str = "", role: str = User.Role.MEMBER, password: str | None = None,
                timezone_name: str = "UTC", actor: str = Actor.SYSTEM) -> User:
    """A user of `tenant` (password optional: API-key-only users never log in)."""
    user = User.objects.create_user(email, password, tenant=tenant, name=name, role=role, timezone=timezone_name)
    _log_in_tenant(user=user, action="user.created", entity=user, actor=actor, details={"email": user.email, "role": role})
    return user


@transaction.atomic
def api_key_create(*, user: User, name: str, actor: str = Actor.SYSTEM) -> tuple[ApiKey, str]:
    """A new key for `user`. Returns the row and the raw key, which exists nowhere else afterwards:
    show it once and forget it."""
    if user.tenant_id is None:
        raise ValueError("API keys belong to users of a tenant; ops staff have none.")
    raw_key, prefix = api_key_generate()
    api_key = ApiKey.objects.create(user=user, name=name, prefix=prefix, key_hash=api_key_hash(raw_key))
    _log_in_tenant(
        user=user, action="api_key.created", entity=api_key, actor=actor, details={"prefix": prefix, "name": name}
    )
    return api_key, raw_key


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: str = Actor.USER) -> ApiKey:
    """Revoke a key for good (idempotent). Requests with it answer 401 from the next one on."""
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])
        _log_in_tenant(
            user=api_key.user, action="api_key.revoked", entity=api_key, actor=actor, details={"prefix": api_key.prefix}
        )
    return api_key


def api_key_touch(*, api_key: ApiKey, now: datetime) -> None:
    """Note that a key was used, at most once a minute (not an audited state change)."""
    if api_key.last_used_at is None or now - api_key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        api_key.last_used_at = now
