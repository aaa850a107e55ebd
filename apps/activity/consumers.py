"""The dashboard's WebSocket: one per open tab, joined to its user's event group."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django_tenants.utils import get_tenant_domain_model

from .events import owners_group, user_group


@database_sync_to_async
def _tenant_for_host(hostname: str):
    # the domain model through django-tenants (TENANT_DOMAIN_MODEL): activity sits below tenants
    domain = get_tenant_domain_model().objects.select_related("tenant").filter(domain=hostname).first()
    return domain.tenant if domain else None


def _hostname(scope) -> str:
    headers = dict(scope.get("headers", []))
    return headers.get(b"host", b"").decode().split(":")[0].lower()


class EventsConsumer(AsyncJsonWebsocketConsumer):
    """Accepts only a logged-in user of the tenant whose host the socket was opened on, and pushes
    him his own events (`user_group`); an owner's socket also gets those of no user (`owners_group`)."""

    async def connect(self):
        tenant = await _tenant_for_host(_hostname(self.scope))
        user = self.scope.get("user")
        if tenant is None or user is None or not user.is_authenticated or user.tenant_id != tenant.id:
            await self.close(code=4403)
            return
        self.joined = [user_group(tenant.schema_name, user.pk)]
        if user.role == user.Role.OWNER:
            self.joined.append(owners_group(tenant.schema_name))
        for group in self.joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def event_message(self, message):
        await self.send_json(message["event"])
