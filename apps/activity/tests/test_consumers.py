"""The live pages' socket (`/ws/events`) through the real ASGI application and the real Redis layer:
a logged-in user of the host's tenant connects from a page of that very host, receives his own
events and no one else's, an idle socket stays open, and an unreachable Redis closes the socket with
a code the page retries on instead of crashing it."""

import asyncio

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels_redis.core import RedisChannelLayer
from django.conf import settings

from apps.accounts.services import user_create
from apps.activity.attribution import Attribution
from apps.activity.consumers import CLOSE_FORBIDDEN, CLOSE_TRY_AGAIN_LATER
from apps.activity.events import events_flush
from apps.activity.models import Actor, Log, LogAction
from apps.activity.services import log_record


def _connect(communicator) -> tuple[bool, int | None]:
    """Open the socket; close it again if it was accepted. Returns (accepted, close code)."""

    async def scenario():
        connected, code = await communicator.connect()
        if connected:
            await communicator.disconnect()
        return connected, code

    return async_to_sync(scenario)()


@pytest.fixture
def colleague(tenant_a, capture_events):
    """A second user of tenant A (a member, not the owner); his user.created is out before he listens."""
    with capture_events():
        user = user_create(tenant=tenant_a.tenant, email="colleague@tenant-a.example", actor=Actor.SYSTEM)
    events_flush()
    return user


def _publish_as(world, capture_events, by: Attribution, action=LogAction.QUESTION_ANSWERED, **details):
    """A state change of `by.user`'s, committed (its event goes out), from inside a scenario."""

    def change():
        with world.schema(), capture_events():
            log_record(action=action, by=by, details=details)

    return sync_to_async(change)()


def test_a_socket_receives_the_events_of_its_user(live_socket, tenant_a, capture_events):
    socket = live_socket(tenant_a, tenant_a.owner)

    async def scenario():
        assert (await socket.connect())[0]
        await _publish_as(tenant_a, capture_events, tenant_a.by_owner, answer="Call him")
        frame = await socket.receive_json_from(timeout=2)
        await socket.disconnect()
        return frame

    frame = async_to_sync(scenario)()
    assert frame["type"] == "question.answered" and frame["payload"]["details"] == {"answer": "Call him"}


def test_a_user_does_not_receive_another_users_events_of_the_same_tenant(live_socket, tenant_a, colleague, capture_events):
    owners, colleagues = live_socket(tenant_a, tenant_a.owner), live_socket(tenant_a, colleague)

    async def scenario():
        assert (await owners.connect())[0] and (await colleagues.connect())[0]
        await _publish_as(tenant_a, capture_events, tenant_a.by_owner, answer="Call him")
        owner_frame = await owners.receive_json_from(timeout=2)
        colleague_heard_nothing = await colleagues.receive_nothing(timeout=0.5)
        await _publish_as(tenant_a, capture_events, Attribution.claude(colleague), action=LogAction.TASK_CREATED)
        colleague_frame = await colleagues.receive_json_from(timeout=2)
        owner_heard_nothing = await owners.receive_nothing(timeout=0.5)
        await owners.disconnect()
        await colleagues.disconnect()
        return owner_frame, colleague_heard_nothing, colleague_frame, owner_heard_nothing

    owner_frame, colleague_heard_nothing, colleague_frame, owner_heard_nothing = async_to_sync(scenario)()
    assert owner_frame["type"] == "question.answered" and colleague_heard_nothing
    assert colleague_frame["type"] == "task.created" and owner_heard_nothing


def test_the_events_of_no_user_reach_the_owners_socket_only(live_socket, tenant_a, colleague, capture_events):
    owners, colleagues = live_socket(tenant_a, tenant_a.owner), live_socket(tenant_a, colleague)

    async def scenario():
        assert (await owners.connect())[0] and (await colleagues.connect())[0]
        await _publish_as(tenant_a, capture_events, Attribution(user=None, actor=Actor.SYSTEM),
                          action=LogAction.TENANT_CREATED)
        frame = await owners.receive_json_from(timeout=2)
        colleague_heard_nothing = await colleagues.receive_nothing(timeout=0.5)
        await owners.disconnect()
        await colleagues.disconnect()
        return frame, colleague_heard_nothing

    frame, colleague_heard_nothing = async_to_sync(scenario)()
    assert frame["type"] == "tenant.created" and colleague_heard_nothing


def test_a_socket_is_refused_to_a_user_of_another_tenant(live_socket, tenant_a, tenant_b):
    assert _connect(live_socket(tenant_a, tenant_b.owner)) == (False, CLOSE_FORBIDDEN)


def test_a_socket_is_refused_without_a_login(live_socket, tenant_a):
    assert _connect(live_socket(tenant_a)) == (False, CLOSE_FORBIDDEN)


def test_a_socket_is_refused_on_a_host_that_is_no_tenants(live_socket, tenant_a):
    assert _connect(live_socket(tenant_a, tenant_a.owner, host="nobody.localhost")) == (False, CLOSE_FORBIDDEN)


@pytest.mark.parametrize("origin", [
    "http://tenant-b.localhost",  # a sibling tenant's page
    "https://evil.example",  # another site
    None,  # no Origin: browsers always send one
    "null",  # a sandboxed or file page
    "https://tenant-a.localhost",  # the host, but not the scheme the socket was opened with
    "http://tenant-a.localhost:8001",  # the host, another port
    "http://sub.tenant-a.localhost",
])
def test_a_socket_is_refused_from_a_page_of_any_origin_but_its_own_host(live_socket, tenant_a, origin):
    assert _connect(live_socket(tenant_a, tenant_a.owner, origin=origin)) == (False, CLOSE_FORBIDDEN)


@pytest.mark.parametrize(("host_suffix", "scheme", "origin"), [
    ("", "ws", "http://tenant-a.localhost"),
    (":8000", "ws", "http://tenant-a.localhost:8000"),
    ("", "wss", "https://tenant-a.localhost"),
    (":443", "wss", "https://TENANT-A.localhost"),  # the default port, written or not; case-blind
])
def test_a_socket_is_accepted_from_a_page_of_its_own_scheme_host_and_port(live_socket, tenant_a, host_suffix, scheme, origin):
    socket = live_socket(tenant_a, tenant_a.owner, host=tenant_a.host + host_suffix, origin=origin, scheme=scheme)
    assert _connect(socket) == (True, None)


def test_the_channel_layer_read_timeout_outlasts_its_blocking_read():
    """channels-redis blocks BZPOPMIN for brpop_timeout seconds on every idle read; a socket read
    timeout no longer than that (redis-py 8's default is 5 s, the same) kills the idle socket."""
    host = settings.CHANNEL_LAYERS["default"]["CONFIG"]["hosts"][0]
    assert host["socket_timeout"] >= RedisChannelLayer.brpop_timeout + 5


def test_an_idle_socket_stays_open_and_receives_an_event_after_30_seconds(live_socket, tenant_a, capture_events):
    socket = live_socket(tenant_a, tenant_a.owner)

    async def scenario():
        assert (await socket.connect())[0]
        heard_nothing = await socket.receive_nothing(timeout=30, interval=1)  # no close frame either
        await _publish_as(tenant_a, capture_events, tenant_a.by_owner, answer="Still here")
        frame = await socket.receive_json_from(timeout=5)
        await socket.disconnect()
        return heard_nothing, frame

    heard_nothing, frame = async_to_sync(scenario)()
    assert heard_nothing
    assert frame["payload"]["details"] == {"answer": "Still here"}


def test_with_redis_down_the_handshake_is_accepted_then_closed_to_retry_and_writes_still_succeed(
        live_socket, tenant_a, channel_layer_unreachable, caplog, django_capture_on_commit_callbacks):
    socket = live_socket(tenant_a, tenant_a.owner)

    async def scenario():
        connected, _ = await socket.connect()
        closed = await socket.receive_output(timeout=2)
        await socket.disconnect(code=CLOSE_TRY_AGAIN_LATER)
        return connected, closed

    connected, closed = async_to_sync(scenario)()
    assert connected  # no 500 answer to the handshake
    assert closed == {"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER}

    with django_capture_on_commit_callbacks(execute=True):
        response = tenant_a.api().post("/api/tasks", {"title": "Call Patrick"}, format="json")
    events_flush()
    assert response.status_code == 201, response.content[:300]
    with tenant_a.schema():
        assert Log.objects.filter(action=LogAction.TASK_CREATED, entity_id=response.json()["id"]).exists()
    assert "live event task.created" in caplog.text and "not delivered" in caplog.text  # the push is lost, logged


def test_a_socket_whose_redis_goes_away_is_closed_to_retry_not_crashed(live_socket, tenant_a, redis_that_goes_away, caplog):
    socket = live_socket(tenant_a, tenant_a.owner)

    async def scenario():
        assert (await socket.connect())[0]
        await asyncio.sleep(0.2)  # the socket is reading its channel
        await sync_to_async(redis_that_goes_away)()
        closed = await socket.receive_output(timeout=10)
        await socket.disconnect(code=CLOSE_TRY_AGAIN_LATER)
        return closed

    assert async_to_sync(scenario)() == {"type": "websocket.close", "code": CLOSE_TRY_AGAIN_LATER}
    assert "channel layer unreachable" in caplog.text
