"""/api/health: the database, Redis and the Celery worker's heartbeat (apps.activity.tasks)."""

import time

from apps.activity import health
from apps.activity.tasks import worker_heartbeat


def test_health_reports_database_and_redis(client, db):
    response = client.get("/api/health", HTTP_HOST="localhost")
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["redis"]["ok"]


def test_health_is_503_when_redis_is_unreachable(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    health.redis_client.cache_clear()
    try:
        response = client.get("/api/health", HTTP_HOST="localhost")
    finally:
        health.redis_client.cache_clear()
    assert response.status_code == 503
    assert response.json()["redis"]["ok"] is False
    assert response.json()["database"]["ok"] is True


def test_worker_heartbeat_shows_in_health(client, db):
    health.redis_client().delete(health.heartbeat_key())
    assert client.get("/api/health", HTTP_HOST="localhost").json()["worker"]["ok"] is False
    worker_heartbeat.apply()
    worker = client.get("/api/health", HTTP_HOST="localhost").json()["worker"]
    assert worker["ok"] is True
    assert worker["last_heartbeat_seconds_ago"] < 5


def test_a_real_celery_worker_runs_the_heartbeat_over_redis(db):
    from celery.contrib.testing.worker import start_worker

    from expertly.celery import app

    health.redis_client().delete(health.heartbeat_key())
    with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
        worker_heartbeat.delay()
        deadline = time.monotonic() + 10
        while health.redis_client().get(health.heartbeat_key()) is None and time.monotonic() < deadline:
            time.sleep(0.05)
    assert health.redis_client().get(health.heartbeat_key()) is not None
