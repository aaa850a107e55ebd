"""Liveness of the parts the app depends on, for GET /api/health and the worker heartbeat."""

import time
from functools import lru_cache

import redis
from django.conf import settings
from django.db import connection

HEARTBEAT_KEY_SUFFIX = "worker-heartbeat"


@lru_cache(maxsize=1)
def redis_client() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=1, socket_connect_timeout=1)


def heartbeat_key() -> str:
    return f"{settings.REDIS_KEY_PREFIX}:{HEARTBEAT_KEY_SUFFIX}"


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        extra = check() or {}
    except Exception as exc:  # noqa: BLE001 - report any failure as "down", with its reason
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
    return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 2), **extra}


def _database() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version')")
        return {"version": cursor.fetchone()[0]}


def _redis() -> dict:
    client = redis_client()
    client.ping()
    return {"version": client.info("server").get("redis_version")}


def _worker() -> dict:
    beat = redis_client().get(heartbeat_key())
    if beat is None:
        raise RuntimeError("no heartbeat from a Celery worker yet")
    return {"last_heartbeat_seconds_ago": round(time.time() - float(beat), 1)}


def health_report() -> dict:
    """Database and Redis decide the status; the worker is reported but optional."""
    report = {"database": _timed(_database), "redis": _timed(_redis)}
    report["worker"] = _timed(_worker) if report["redis"]["ok"] else {"ok": False, "error": "redis down"}
    report["status"] = "ok" if report["database"]["ok"] and report["redis"]["ok"] else "degraded"
    return report


def heartbeat_write() -> None:
    redis_client().set(heartbeat_key(), time.time(), ex=300)
