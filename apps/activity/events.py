"""The live event bus: state changes are pushed to the tenant's open dashboards over channels-redis.

Events go out only after the transaction commits (a rolled-back change never reaches a screen). If
Redis is down the write has already succeeded; only the push is lost, and that is logged.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection, transaction

logger = logging.getLogger(__name__)


def tenant_group(schema_name: str) -> str:
    """The channel group every open dashboard of a tenant joins."""
    return f"tenant.{schema_name}"


def event_send(*, schema_name: str, event_type: str, payload: dict) -> bool:
    """Push one event now; False (and a warning) when the channel layer cannot be reached."""
    try:
        async_to_sync(get_channel_layer().group_send)(
            tenant_group(schema_name), {"type": "event.message", "event": {"type": event_type, "payload": payload}}
        )
    except Exception as exc:  # noqa: BLE001 - a lost push must never break the request that made it
        logger.warning("live event %s for %s not delivered: %s", event_type, schema_name, exc)
        return False
    return True


def event_publish(*, event_type: str, payload: dict) -> None:
    """Publish an event of the current tenant once the surrounding transaction commits."""
    schema_name = connection.schema_name
    transaction.on_commit(lambda: event_send(schema_name=schema_name, event_type=event_type, payload=payload))
