"""The live event bus: state changes are pushed to the open pages of the user they belong to, over
channels-redis.

Each event goes to one group: that of the workspace user the change belongs to (the Log row's user,
`user_group`), so a workspace's users never see each other's questions and answers. An event that
belongs to no user (the system's, such as the workspace's creation) goes to the workspace's owners
(`owners_group`, which only owners' sockets join).

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
import uuid

from channels.layers import get_channel_layer
from django.db import connection, transaction

logger = logging.getLogger(__name__)


def user_group(schema_name: str, user_id) -> str:
    """The channel group of one user's open pages in one workspace. Group names stay under Channels'
    100 characters: a schema name has at most 63 and the user's UUID is written as 32 hex digits."""
    return f"u.{schema_name}.{uuid.UUID(str(user_id)).hex}"


def owners_group(schema_name: str) -> str:
    """The channel group of the workspace owners' open pages: the events that belong to no user."""
    return f"owners.{schema_name}"


def event_group(*, schema_name: str, user_id) -> str:
    """Where an event of `user_id` (None: of no user) in this workspace is pushed."""
    return user_group(schema_name, user_id) if user_id else owners_group(schema_name)


# channels-redis keeps one connection pool per event loop, of 100 connections (redis-py's default),
# and a send beyond them fails at once ("Too many connections") rather than waiting: a burst of
# events (sixteen agents claiming hundreds of tasks) waits for a free slot instead.
SENDS_AT_ONCE = 50


class _Publisher:
    """A daemon thread running an asyncio loop for channel-layer sends (restarted after a fork)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._loop = None
        self._slots = None
        self._pid = None
        self._pending: set[concurrent.futures.Future] = set()

    def _ensure_loop(self) -> tuple[asyncio.AbstractEventLoop, asyncio.Semaphore]:
        with self._lock:
            if self._loop is None or self._pid != os.getpid():
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="live-events", daemon=True).start()
                self._loop, self._slots, self._pid, self._pending = loop, asyncio.Semaphore(SENDS_AT_ONCE), os.getpid(), set()
            return self._loop, self._slots

    def submit(self, coroutine_factory, describe: str) -> concurrent.futures.Future:
        loop, slots = self._ensure_loop()

        async def send_and_report() -> bool:
            try:
                async with slots:
                    await coroutine_factory()
            except Exception as exc:  # noqa: BLE001 - a lost push must never break anything else
                logger.warning("live event %s not delivered: %s", describe, exc)
                return False
            return True

        future = asyncio.run_coroutine_threadsafe(send_and_report(), loop)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)
        return future

    def flush(self, timeout: float = 5.0) -> None:
        """Wait for the sends in flight (tests, and process shutdown)."""
        concurrent.futures.wait(list(self._pending), timeout=timeout)


_publisher = _Publisher()


def event_send(*, schema_name: str, user_id, event_type: str, payload: dict) -> concurrent.futures.Future:
    """Push one event to the pages of `user_id` (None: the workspace's owners) without waiting for it.
    The future's result is True once delivered, False (with a warning logged) when the channel layer
    could not be reached; it never raises."""
    message = {"type": "event.message", "event": {"type": event_type, "payload": payload}}
    group = event_group(schema_name=schema_name, user_id=user_id)
    return _publisher.submit(lambda: get_channel_layer().group_send(group, message), f"{event_type} to {group}")


def events_flush(timeout: float = 5.0) -> None:
    _publisher.flush(timeout)


def event_publish(*, user_id, event_type: str, payload: dict) -> None:
    """Publish an event of the current tenant, for the pages of `user_id` (None: the owners'), once
    the surrounding transaction commits."""
    schema_name = connection.schema_name
    transaction.on_commit(
        lambda: event_send(schema_name=schema_name, user_id=user_id, event_type=event_type, payload=payload))
