"""Periodic jobs of the activity app."""

from celery import shared_task

from .health import heartbeat_write


@shared_task(name="activity.worker_heartbeat", ignore_result=True)
def worker_heartbeat() -> None:
    """Beat sends this every 30 s; /api/health reports how long ago a worker last ran it."""
    heartbeat_write()
