"""Live events over the real Redis channel layer: log_record publishes only after commit, a rolled-back
change publishes nothing, events go only to the pages of the user they belong to (the owners' when
they belong to no one) and stay in their tenant, and a lost push never breaks the write."""

import asyncio
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from apps.accounts.services import user_create
from apps.activity.attribution import Attribution
from apps.activity.events import event_send, events_flush, owners_group, user_group
from apps.activity.models import Actor, Log, LogAction
from apps.activity.services import log_record


def test_log_record_writes_the_row_and_publishes_only_after_commit(tenant_a, live_events,
                                                                     django_capture_on_commit_callbacks):
    task = tenant_a.make("tasks.task", title="Draft email to Patrick")
    with live_events(tenant_a) as receive:
        with tenant_a.schema():
            with django_capture_on_commit_callbacks(execute=False) as callbacks:
                log = log_record(action=LogAction.TASK_CREATED,
                                 by=Attribution.claude(tenant_a.owner, session_id="loop-1"),
                                 entity=task, details={"title": task.title})
            assert Log.objects.get(pk=log.pk).entity_type == "task"
            assert len(callbacks) == 1  # nothing sent yet: the transaction has not committed
            callbacks[0]()
        event = receive()
    assert event["type"] == "task.created"
    assert event["payload"]["entity_id"] == str(task.pk)
    assert event["payload"]["details"] == {"title": "Draft email to Patrick"}


def test_a_rolled_back_change_publishes_nothing(tenant_a, django_capture_on_commit_callbacks):
    with tenant_a.schema(), django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                log_record(action=LogAction.TASK_CREATED, by=tenant_a.by_claude)
                raise RuntimeError("boom")
        except RuntimeError:
            pass
        assert not Log.objects.filter(action="task.created").exists()
    assert callbacks == []


def test_events_do_not_reach_another_tenant(tenant_a, tenant_b, live_events, django_capture_on_commit_callbacks):
    with live_events(tenant_a) as receive:
        with tenant_b.schema(), django_capture_on_commit_callbacks(execute=True):
            log_record(action=LogAction.TASK_CREATED, by=tenant_b.by_claude)
        with pytest.raises(TimeoutError):
            receive(timeout=0.5)


def test_a_user_does_not_receive_another_users_events_of_the_same_tenant(tenant_a, live_events, capture_events):
    with capture_events():
        colleague = user_create(tenant=tenant_a.tenant, email="colleague@tenant-a.example", actor=Actor.SYSTEM)
    events_flush()  # its user.created is out before anyone listens
    with live_events(tenant_a) as owner_receives, live_events(tenant_a, user=colleague) as colleague_receives:
        with tenant_a.schema(), capture_events() as sent:
            log_record(action=LogAction.QUESTION_ANSWERED, by=tenant_a.by_owner, details={"answer": "Call him"})
        assert owner_receives()["payload"]["details"] == {"answer": "Call him"}
        with pytest.raises(TimeoutError):
            colleague_receives(timeout=0.5)

        with tenant_a.schema(), capture_events():
            log_record(action=LogAction.TASK_CREATED, by=Attribution.claude(colleague))
        assert colleague_receives()["type"] == "task.created"
        with pytest.raises(TimeoutError):
            owner_receives(timeout=0.5)
    assert [(event.type, event.user_id) for event in sent] == [("question.answered", tenant_a.owner.pk)]


def test_an_event_of_no_user_goes_to_the_workspace_owners(tenant_a, capture_events):
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    group = owners_group(tenant_a.tenant.schema_name)
    async_to_sync(layer.group_add)(group, channel)
    try:
        with tenant_a.schema(), capture_events() as sent:
            log_record(action=LogAction.TENANT_CREATED, by=Attribution(user=None, actor=Actor.SYSTEM))
        events_flush()

        async def receive():
            return await asyncio.wait_for(layer.receive(channel), 2.0)

        assert async_to_sync(receive)()["event"]["type"] == "tenant.created"
        assert [(event.type, event.user_id) for event in sent] == [("tenant.created", None)]
    finally:
        async_to_sync(layer.group_discard)(group, channel)


def test_user_group_names_are_valid_channel_group_names_for_the_longest_schema():
    name = user_group("s" * 63, uuid.uuid4())  # PostgreSQL names have at most 63 characters
    assert get_channel_layer().require_valid_group_name(name)
    assert user_group("tenant_a", "0b0e6bd8-7f6f-4a0c-9d6e-3a3b8f6f1f10") == "u.tenant_a.0b0e6bd87f6f4a0c9d6e3a3b8f6f1f10"


def test_lost_push_when_redis_is_down_does_not_break_the_write(tenant_a, channel_layer_unreachable, caplog,
                                                                django_capture_on_commit_callbacks):
    with tenant_a.schema(), django_capture_on_commit_callbacks(execute=True):
        log = log_record(action=LogAction.TASK_CREATED, by=tenant_a.by_claude)
    events_flush()
    assert "not delivered" in caplog.text
    with tenant_a.schema():
        assert Log.objects.filter(pk=log.pk).exists()


def test_a_burst_of_events_is_delivered_whole(tenant_a):
    """Sixteen agents claiming 500 tasks publish 500 events at once: every one of them goes out
    (the layer's connection pool per event loop holds 100; more sends at once fail outright)."""
    futures = [event_send(schema_name=tenant_a.tenant.schema_name, user_id=tenant_a.owner.pk,
                          event_type="task.status_changed", payload={"n": n}) for n in range(500)]
    assert all(future.result(timeout=30) for future in futures)
