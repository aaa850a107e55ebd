"""Live events over the real Redis channel layer: log_record publishes only after commit, a rolled-back
change publishes nothing, events stay in their tenant, and a lost push never breaks the write."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from apps.activity.attribution import Attribution
from apps.activity.events import events_flush, tenant_group
from apps.activity.models import Log, LogAction
from apps.activity.services import log_record


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
    task = tenant_a.make("tasks.task", title="Draft email to Patrick")
    with tenant_a.schema():
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
