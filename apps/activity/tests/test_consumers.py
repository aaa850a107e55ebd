"""The dashboard socket (EventsConsumer): it receives its own user's events, and only its tenant's users connect."""

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing.websocket import WebsocketCommunicator

from apps.activity.consumers import EventsConsumer
from apps.activity.events import user_group


def _socket(world, user):
    communicator = WebsocketCommunicator(EventsConsumer.as_asgi(), "/ws/events",
                                         headers=[(b"host", world.host.encode())])
    communicator.scope["user"] = user
    return communicator


def test_dashboard_socket_receives_its_users_events(tenant_a):
    async def scenario():
        communicator = _socket(tenant_a, tenant_a.owner)
        connected, _ = await communicator.connect()
        assert connected
        await get_channel_layer().group_send(
            user_group(tenant_a.tenant.schema_name, tenant_a.owner.pk),
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
