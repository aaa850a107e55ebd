"""The audit Log, live events over the real Redis channel layer, the dashboard socket and /api/health."""

import time

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing.websocket import WebsocketCommunicator
from django.db import transaction

from apps.activity import health
from apps.activity.attribution import Attribution
from apps.activity.consumers import EventsConsumer
from apps.activity.events import events_flush, tenant_group
from apps.activity.models import Log, LogAction
from apps.activity.services import log_record
from apps.activity.tasks import worker_heartbeat
from apps.tasks.models import Task


def _receive(channel_name: str, timeout: float = 2.0) -> dict:
    async def receive():
        import asyncio

        return await asyncio.wait_for(get_channel_layer().receive(channel_name), timeout)

    return async_to_sync(receive)()


@pytest.fixture
def listener(tenant_a):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(tenant_group(tenant_a.tenant.schema_name), channel)
    yield channel
    async_to_sync(layer.group_discard)(tenant_group(tenant_a.tenant.schema_name), channel)


def test_log_record_writes_the_row_and_publishes_only_after_commit(tenant_a, listener,
                                                                     django_capture_on_commit_callbacks):
    with tenant_a.schema():
        task = Task.objects.create(user=tenant_a.owner, title="Draft email to Patrick")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            log = log_record(action=LogAction.TASK_CREATED, by=Attribution.claude(tenant_a.owner, session_id="loop-1"),
                             entity=task, details={"title": task.title})
        assert Log.objects.get(pk=log.pk).entity_type == "task"
        assert len(callbacks) == 1  # nothing sent yet: the transaction has not committed
        callbacks[0]()
    events_flush()
    message = _receive(listener)
    assert message["type"] == "event.message"
    assert message["event"]["type"] == "task.created"
    assert message["event"]["payload"]["entity_id"] == str(task.pk)
    assert message["event"]["payload"]["details"] == {"title": "Draft email to Patrick"}


def test_a_rolled_back_change_publishes_nothing(tenant_a, listener, django_capture_on_commit_callbacks):
    with tenant_a.schema(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                log_record(action=LogAction.TASK_CREATED, by=tenant_a.by_claude)
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        assert not Log.objects.filter(action="task.created").exists()
    assert callbacks == []


def test_events_do_not_reach_another_tenant(tenant_a, tenant_b, listener, django_capture_on_commit_callbacks):
    with tenant_b.schema(), django_capture_on_commit_callbacks(execute=True):
        log_record(action=LogAction.TASK_CREATED, by=tenant_b.by_claude)
    events_flush()
    with pytest.raises(TimeoutError):
        _receive(listener, timeout=0.5)


def test_lost_push_when_redis_is_down_does_not_break_the_write(tenant_a, settings, caplog,
                                                                django_capture_on_commit_callbacks):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}}
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        with tenant_a.schema(), django_capture_on_commit_callbacks(execute=True):
            log = log_record(action=LogAction.TASK_CREATED, by=tenant_a.by_claude)
        events_flush()
        assert "not delivered" in caplog.text
        with tenant_a.schema():
            assert Log.objects.filter(pk=log.pk).exists()
    finally:
        channel_layers.backends.clear()


def _socket(world, user):
    communicator = WebsocketCommunicator(EventsConsumer.as_asgi(), "/ws/events",
                                         headers=[(b"host", world.host.encode())])
    communicator.scope["user"] = user
    return communicator


def test_dashboard_socket_receives_its_tenant_events(tenant_a):
    async def scenario():
        communicator = _socket(tenant_a, tenant_a.owner)
        connected, _ = await communicator.connect()
        assert connected
        await get_channel_layer().group_send(
            tenant_group(tenant_a.tenant.schema_name),
            {"type": "event.message", "event": {"type": "question.answered", "payload": {"id": "q1"}}},
        )
        frame = await communicator.receive_json_from(timeout=2)
        await communicator.disconnect()
        return frame

    assert async_to_sync(scenario)() == {"type": "question.answered", "payload": {"id": "q1"}}


def test_dashboard_socket_refuses_a_user_of_another_tenant(tenant_a, tenant_b):
    async def scenario():
        communicator = _socket(tenant_a, tenant_b.owner)
        connected, code = await communicator.connect()
        return connected, code

    assert async_to_sync(scenario)() == (False, 4403)


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
