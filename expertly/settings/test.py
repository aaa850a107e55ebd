"""Test runs: real PostgreSQL and Redis (from DATABASE_URL/REDIS_URL), nothing faked."""

from .base import CHANNEL_LAYERS, REDIS_KEY_PREFIX, REDIS_URL
from .development import *  # noqa: F403

DEBUG = False
ALLOWED_HOSTS = [".localhost", "localhost", "testserver"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed; never in production

# Keep test keys apart from a developer's running instance on the same Redis.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"{REDIS_KEY_PREFIX}-test",
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}
# The deployed channel layer (its connection timeouts are part of what the socket tests check),
# with test keys.
CHANNEL_LAYERS = {
    "default": {
        **CHANNEL_LAYERS["default"],
        "CONFIG": {**CHANNEL_LAYERS["default"]["CONFIG"], "prefix": f"{REDIS_KEY_PREFIX}-test:channels"},
    }
}
