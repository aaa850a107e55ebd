"""The live event bus: state changes are pushed to the tenant's open dashboards over channels-redis.

Events go out only after the transaction commits (a rolled-back change never reaches a screen). They
are handed to one background thread per process that owns an event loop, so a request never waits
for Redis and the channel layer's connections are reused. If Redis is down the write has already
succeeded; only the push is lost, and that is logged.
"""

import asyncio
import concurrent.futures
import logging
import os
import threading

from channels.layers import get_channel_layer
from django.db import connection, transaction

logger = logging.getLogger(__name__)


def tenant_group(schema_name: str) -> str:
    """The channel group every open dashboard of a tenant joins."""
    return f"tenant.{schema_name}"


class _Publisher:
    """A daemon thread running an asyncio loop for channel-layer sends (restarted after a fork)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._loop = None
        self._pid = None
        self._pending: set[concurrent.futures.Future] = set()

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="live-events", daemon=True).start()
                self._loop, self._pid, self._pending = loop, os.getpid(), set()
            return self._loop

    def submit(self, coroutine_factory, describe: str) -> concurrent.futures.Future:
        async def send_and_report() -> bool:
            try:
                await coroutine_factory()
            except Exception as exc:  # noqa: BLE001 - a lost push must never break anything else
                logger.warning("live event %s not delivered: %s", describe, exc)
                return False
            return True

        future = asyncio.run_coroutine_threadsafe(send_and_report(), self._ensure_loop())
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)
        return future

    def flush(self, timeout: float = 5.0) -> None:
        """Wait for the sends in flight (tests, and process shutdown)."""
        concurrent.futures.wait(list(self._pending), timeout=timeout)


_publisher = _Publisher()


def event_send(*, schema_name: str, event_type: str, payload: dict) -> concurrent.futures.Future:
    """Push one event without waiting for it. The future's result is True once delivered, False
    (with a warning logged) when the channel layer could not be reached; it never raises."""
    message = {"type": "event.message", "event": {"type": event_type, "payload": payload}}
    return _publisher.submit(lambda: get_channel_layer().group_send(tenant_group(schema_name), message),
                             f"{event_type} for {schema_name}")


def events_flush(timeout: float = 5.0) -> None:
    _publisher.flush(timeout)


def event_publish(*, event_type: str, payload: dict) -> None:
    """Publish an event of the current tenant once the surrounding transaction commits."""
    schema_name = connection.schema_name
    transaction.on_commit(lambda: event_send(schema_name=schema_name, event_type=event_type, payload=payload))
