"""The live pages' WebSocket (`/ws/events`): one per open page, joined to its user's event group."""

import asyncio
import logging
from urllib.parse import urlsplit

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import get_channel_layer
from channels.utils import await_many_dispatch
from django_tenants.utils import get_tenant_domain_model
from redis.exceptions import RedisError

from .events import owners_group, user_group

logger = logging.getLogger(__name__)

CLOSE_FORBIDDEN = 4403  # not this user, tenant or page (sent before accepting: the browser sees HTTP 403)
CLOSE_TRY_AGAIN_LATER = 1013  # the channel layer (Redis) is unreachable: the page reconnects later

# What a channel layer that cannot reach Redis raises (connection refused, timeouts, a reset).
LAYER_ERRORS = (RedisError, OSError)

_DEFAULT_PORTS = {"http": 80, "https": 443}


@database_sync_to_async
def _tenant_for_host(hostname: str):
    # the domain model through django-tenants (TENANT_DOMAIN_MODEL): activity sits below tenants
    domain = get_tenant_domain_model().objects.select_related("tenant").filter(domain=hostname).first()
    return domain.tenant if domain else None


def _header(scope, name: bytes) -> str:
    return dict(scope.get("headers", [])).get(name, b"").decode("latin-1").strip().lower()


def _hostname(scope) -> str:
    return urlsplit(f"//{_header(scope, b'host')}").hostname or ""


def _origin_is_own_host(scope) -> bool:
    """The page that opened the socket is on exactly the socket's own scheme, host and port
    (`http://a.localhost:8000` for `ws://a.localhost:8000/ws/events`; wss pairs with https). Behind
    a proxy that ends TLS, the server's proxy headers make the scope's scheme wss (uvicorn
    --proxy-headers, as the Dockerfile runs it)."""
    origin = urlsplit(_header(scope, b"origin"))
    own = urlsplit(f"{'https' if scope.get('scheme') == 'wss' else 'http'}://{_header(scope, b'host')}")
    try:
        return (origin.scheme, origin.hostname, origin.port or _DEFAULT_PORTS.get(origin.scheme)) == (
            own.scheme, own.hostname, own.port or _DEFAULT_PORTS[own.scheme]) and own.hostname is not None
    except ValueError:  # a port that is not a number
        return False


class EventsConsumer(AsyncJsonWebsocketConsumer):
    """Pushes to an open page the live events of the user who opened it.

    Who connects: a logged-in user (the session, through AuthMiddlewareStack) of the tenant whose
    host the socket was opened on, from a page of that very host: the Origin header must be the
    socket's own scheme, host and port. A sibling tenant's page, another site, or no Origin at all
    (browsers always send one) is refused with 4403 before the handshake completes: the browser sees
    a failed connection (HTTP 403), and nothing is ever accepted for a page it should not serve.

    What it receives: the events of its user's group (`user_group`); an owner's socket also joins
    the workspace's owners group, which carries the events that belong to no user (`owners_group`).

    When Redis is unreachable (at the handshake, or later while the socket is open) the socket is
    accepted and closed with 1013 (Try Again Later) instead of crashing, which would answer the
    handshake with 500 or drop the socket with 1011 and a traceback. The page reconnects with
    backoff after a close and re-renders its panels once it is back, so what was pushed meanwhile
    is not missing; the socket does not wait on Redis itself, since events it missed would stay
    missed. The channel is read only after the socket joined its groups.
    """

    async def __call__(self, scope, receive, send):
        # Channels' AsyncConsumer.__call__, but the channel is read through `_channel_receive`: a
        # lost channel layer becomes a `layer.lost` message instead of an exception that kills the
        # consumer, and nothing is read from Redis before connect() has decided.
        self.scope = scope
        self.channel_layer = get_channel_layer(self.channel_layer_alias)
        self.channel_name = await self.channel_layer.new_channel()  # a name only; no Redis call
        self.base_send = send
        self.joined: list[str] = []
        self.listening = asyncio.Event()
        try:
            await await_many_dispatch([receive, self._channel_receive], self.dispatch)
        except StopConsumer:
            pass

    async def _channel_receive(self):
        await self.listening.wait()
        try:
            return await self.channel_layer.receive(self.channel_name)
        except LAYER_ERRORS as exc:
            return {"type": "layer.lost", "error": f"{type(exc).__name__}: {exc}"}

    async def connect(self):
        tenant = await _tenant_for_host(_hostname(self.scope))
        user = self.scope.get("user")
        if (tenant is None or not _origin_is_own_host(self.scope) or user is None or not user.is_authenticated
                or user.tenant_id != tenant.id):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        groups = [user_group(tenant.schema_name, user.pk)]
        if user.role == user.Role.OWNER:
            groups.append(owners_group(tenant.schema_name))
        try:
            for group in groups:
                await self.channel_layer.group_add(group, self.channel_name)
                self.joined.append(group)
        except LAYER_ERRORS as exc:
            logger.warning("live events: socket of user %s closed, channel layer unreachable: %s", user.pk, exc)
            await self.accept()
            await self.close(code=CLOSE_TRY_AGAIN_LATER)
            return
        await self.accept()
        self.listening.set()

    async def disconnect(self, code):
        self.listening.clear()
        for group in self.joined:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except LAYER_ERRORS:
                pass  # Redis drops the membership itself (group_expiry)

    async def event_message(self, message):
        await self.send_json(message["event"])

    async def layer_lost(self, message):
        self.listening.clear()  # read no more: the page reconnects
        logger.warning("live events: socket closed, channel layer unreachable: %s", message["error"])
        await self.close(code=CLOSE_TRY_AGAIN_LATER)
