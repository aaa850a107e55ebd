"""API keys as generated: random, with distinct prefixes, in the key pattern."""

import base64

from apps.accounts.keys import KEY_PATTERN, api_key_generate


def test_keys_carry_256_random_bits_and_distinct_prefixes():
    keys = [api_key_generate() for _ in range(2000)]
    assert len({raw for raw, _ in keys}) == 2000
    assert len({prefix for _, prefix in keys}) == 2000
    raw, prefix = keys[0]
    assert KEY_PATTERN.match(raw) and raw.startswith(prefix + "_")
    secret = raw[len(prefix) + 1:]
    assert len(base64.urlsafe_b64decode(secret + "=")) == 32
