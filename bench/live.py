"""Live-update latency: from a write through the API to the dashboard's WebSocket frame.

Starts a real uvicorn ASGI server, opens the owner's dashboard socket (/ws/events, logged in by a
session cookie), then creates N tasks one after another with POST /api/tasks and times, for each,
(a) request sent → `task.created` frame received and (b) response received → frame received (the
commit happens before the response, so (b) is the publish-on-commit path alone; a negative value
means the frame beat the response). Target (DESIGN.md): commit to frame under 100 ms p95.

Usage: python bench/live.py [--events 300]   (DATABASE_URL / REDIS_URL as for bench/claim.py)
"""

import argparse
import asyncio
import http.client
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expertly.settings.development")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

import websockets  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402

from apps.tenants.models import Tenant  # noqa: E402
from apps.tenants.services import tenant_create, tenant_delete  # noqa: E402
from bench.claim import free_port, percentiles, start_server  # noqa: E402

SLUG = "bench-live"


def owner_session(user) -> str:
    """A logged-in session for the owner, as the login view would make it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return session.session_key


async def measure(port: int, host: str, key: str, cookie: str, events: int) -> tuple[list[float], list[float]]:
    from_request, from_response = [], []
    uri = f"ws://127.0.0.1:{port}/ws/events"
    headers = {"Host": f"{host}:{port}", "Origin": f"http://{host}:{port}", "Cookie": f"sessionid={cookie}"}
    async with websockets.connect(uri, additional_headers=headers) as socket:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for n in range(events):
            title = f"live {n}"
            body = json.dumps({"title": title})
            sent = time.perf_counter()
            await asyncio.to_thread(conn.request, "POST", "/api/tasks", body,
                                    {"X-API-Key": key, "Content-Type": "application/json"})
            response = await asyncio.to_thread(conn.getresponse)
            await asyncio.to_thread(response.read)
            answered = time.perf_counter()
            if response.status != 201:
                raise SystemExit(f"POST /api/tasks answered {response.status}")
            while True:
                frame = json.loads(await asyncio.wait_for(socket.recv(), timeout=10))
                if frame.get("type") == "task.created" and title in json.dumps(frame):
                    break
            arrived = time.perf_counter()
            from_request.append(arrived - sent)
            from_response.append(arrived - answered)
    return from_request[5:], from_response[5:]  # the first events warm connections


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    args = parser.parse_args()

    call_command("migrate", "--noinput", verbosity=0)
    existing = Tenant.objects.filter(slug=SLUG).first()
    if existing:
        tenant_delete(tenant=existing)
    created = tenant_create(slug=SLUG, name="Live benchmark", owner_email="live@bench.example",
                            owner_password="bench-live-password")
    host = created.tenant.get_primary_domain().domain
    cookie = owner_session(created.owner)
    port = free_port()
    server = start_server(port, 1)
    try:
        from_request, from_response = asyncio.run(measure(port, host, created.raw_api_key, cookie, args.events))
    finally:
        server.terminate()
        server.wait(timeout=10)
        tenant_delete(tenant=Tenant.objects.get(slug=SLUG))

    req50, req95 = percentiles(from_request)
    res50, res95 = percentiles(from_response)
    print(f"\nlive updates: {len(from_request)} task.created events, 1 uvicorn worker, cores: {os.cpu_count()}")
    print(f"request sent  -> frame   p50 {req50:.1f} ms, p95 {req95:.1f} ms")
    print(f"response read -> frame   p50 {res50:.1f} ms, p95 {res95:.1f} ms   (target: commit to frame p95 < 100 ms)")
    print(f"mean request -> frame {statistics.mean(from_request) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
