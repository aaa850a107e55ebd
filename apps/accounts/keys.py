"""The API key format. A key is `etk_<prefix>_<secret>`: the prefix (8 random characters) names the
key in lists and finds its row; the secret is 256 bits from the OS CSPRNG. Only the key's SHA-256
is stored; a slow hash would add nothing for a secret of this entropy."""

import hashlib
import re
import secrets
import string

KEY_PATTERN = re.compile(r"^(etk_[a-z0-9]{8})_([A-Za-z0-9_-]{43})$")
_PREFIX_ALPHABET = string.ascii_lowercase + string.digits


def api_key_generate() -> tuple[str, str]:
    """A new raw key and its prefix."""
    prefix = "etk_" + "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(8))
    return f"{prefix}_{secrets.token_urlsafe(32)}", prefix


def api_key_hash(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def api_key_parse_prefix(raw_key: str) -> str | None:
    """The prefix of a well-formed key, or None for anything else."""
    match = KEY_PATTERN.match(raw_key)
    return match.group(1) if match else None


def api_key_from_headers(meta: dict) -> str | None:
    """The key a request carries in X-API-Key or `Authorization: Bearer`, or None."""
    key = (meta.get("HTTP_X_API_KEY") or "").strip()
    if key:
        return key
    scheme, _, value = meta.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None
