"""Reads for accounts and keys."""

import hmac

from .keys import api_key_hash, api_key_parse_prefix
from .models import ApiKey


def api_key_resolve(*, raw_key: str) -> ApiKey | None:
    """The live key matching `raw_key` (with its user and tenant loaded), or None.

    Found by its non-secret prefix, then compared in constant time, so neither the lookup nor the
    comparison leaks how much of a guessed key was right. Revoked keys, inactive users and keys of
    users without a tenant never resolve.
    """
    prefix = api_key_parse_prefix(raw_key)
    if prefix is None:
        return None
    api_key = (
        ApiKey.objects.select_related("user__tenant")
        .filter(prefix=prefix, revoked_at__isnull=True, user__is_active=True, user__tenant__isnull=False)
        .first()
    )
    if api_key is None or not hmac.compare_digest(api_key.key_hash, api_key_hash(raw_key)):
        return None
    return api_key
