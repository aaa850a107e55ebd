"""Claim throughput and hot-path latency (issue: work-loop API benchmark).

Runs on its own against DATABASE_URL / REDIS_URL (the Makefile's `make bench` provides them):

  1. seeds N queued tasks (default 20,000) in a fresh `bench` tenant;
  2. (a) K concurrent agents (default 8) claim all of them through the HTTP API
     (POST /api/tasks/claim against a real uvicorn ASGI server), then
     (b) the same number of agents claim the same tasks again with the bare SQL claim statement
     over psycopg: the baseline, measured in the same run on the same machine;
  3. grows the tenant to 100,000 tasks and times GET /api/tasks/next and GET /api/dashboard.

Prints a table: claims/s for both, their ratio (target: within 4x), p50/p95 latencies (target:
p50 under 25 ms). Usage: python bench/claim.py [--tasks 20000] [--agents 8] [--big 100000]
"""

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "expertly.settings.development")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django_tenants.utils import schema_context  # noqa: E402

from apps.tasks.models import Task  # noqa: E402
from apps.tenants.models import Tenant  # noqa: E402
from apps.tenants.services import tenant_create, tenant_delete  # noqa: E402
from apps.workloop.services import CLAIM_SQL  # noqa: E402

SLUG = "bench"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_tenant():
    existing = Tenant.objects.filter(slug=SLUG).first()
    if existing:
        tenant_delete(tenant=existing)
    return tenant_create(slug=SLUG, name="Benchmark", owner_email="bench@bench.example")


def seed(tenant, user, count: int, batch: int = 5000) -> None:
    with schema_context(tenant.schema_name):
        for start in range(0, count, batch):
            Task.objects.bulk_create([
                Task(user=user, title=f"Benchmark task {i}", description="Prepare the weekly numbers",
                     priority=1 + i % 5)
                for i in range(start, min(count, start + batch))
            ])


def requeue_all(tenant) -> None:
    with schema_context(tenant.schema_name), django.db.connection.cursor() as cursor:
        cursor.execute("UPDATE tasks_task SET status = 'queued', started_at = NULL")
        cursor.execute("ANALYZE tasks_task")


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "false", "LOG_LEVEL": "WARNING"}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "uvicorn"), "expertly.asgi:application", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(workers), "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            if conn.getresponse().status in (200, 503):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the ASGI server did not start")


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1000, ordered[int(len(ordered) * 0.95) - 1] * 1000


def api_claims(port: int, key: str, agents: int) -> tuple[int, float, list[float]]:
    claimed, latencies, lock = [], [], threading.Lock()

    def agent():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, times = [], []
        while True:
            began = time.perf_counter()
            conn.request("POST", "/api/tasks/claim", headers={"X-API-Key": key, "Content-Length": "0"})
            response = conn.getresponse()
            body = json.loads(response.read())
            times.append(time.perf_counter() - began)
            if response.status != 200:
                raise SystemExit(f"claim answered {response.status}: {body}")
            if body["task"] is None:
                break
            mine.append(body["task"]["id"])
        with lock:
            claimed.extend(mine)
            latencies.extend(times)

    began = time.perf_counter()
    threads = [threading.Thread(target=agent) for _ in range(agents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    assert len(claimed) == len(set(claimed)), "a task was claimed twice"
    return len(claimed), elapsed, latencies


def floor_requests(port: int, agents: int, total: int) -> tuple[int, float]:
    """The same agents hammering GET /api/health (ASGI + Django + one database and one Redis ping):
    what any request costs on this machine, the ceiling the claim rate is measured against."""
    per_agent = max(1, total // agents)

    def agent():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(per_agent):
            conn.request("GET", "/api/health")
            conn.getresponse().read()

    began = time.perf_counter()
    threads = [threading.Thread(target=agent) for _ in range(agents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return per_agent * agents, time.perf_counter() - began


def sql_claims(tenant, user_id, agents: int) -> tuple[int, float]:
    dsn = settings.DATABASE_URL
    claimed, lock = [], threading.Lock()

    def agent():
        mine = []
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'SET search_path = "{tenant.schema_name}", public')
            while (row := conn.execute(CLAIM_SQL, [user_id]).fetchone()) is not None:
                mine.append(row[0])
        with lock:
            claimed.extend(mine)

    began = time.perf_counter()
    threads = [threading.Thread(target=agent) for _ in range(agents)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    assert len(claimed) == len(set(claimed)), "a task was claimed twice"
    return len(claimed), elapsed


def timed_gets(port: int, key: str, path: str, count: int) -> list[float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    samples = []
    for _ in range(count):
        began = time.perf_counter()
        conn.request("GET", path, headers={"X-API-Key": key})
        response = conn.getresponse()
        response.read()
        samples.append(time.perf_counter() - began)
        if response.status != 200:
            raise SystemExit(f"GET {path} answered {response.status}")
    return samples[5:]  # the first requests warm caches and connections


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=20_000)
    parser.add_argument("--agents", type=int, default=8)
    parser.add_argument("--big", type=int, default=100_000, help="tenant size for the latency measurements")
    parser.add_argument("--requests", type=int, default=300, help="GETs per latency measurement")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="uvicorn worker processes")
    args = parser.parse_args()

    call_command("migrate", "--noinput", verbosity=0)  # a fresh database works too
    created = fresh_tenant()
    tenant, user, key = created.tenant, created.owner, created.raw_api_key
    print(f"seeding {args.tasks:,} tasks …", flush=True)
    seed(tenant, user, args.tasks)
    requeue_all(tenant)
    port = free_port()
    server = start_server(port, args.workers)
    try:
        n_api, t_api, claim_lat = api_claims(port, key, args.agents)
        print(f"  API: {n_api:,} claims in {t_api:.1f} s", flush=True)
        n_floor, t_floor = floor_requests(port, args.agents, min(args.tasks, 5000))
        requeue_all(tenant)
        n_sql, t_sql = sql_claims(tenant, user.pk, args.agents)
        print(f"  SQL: {n_sql:,} claims in {t_sql:.1f} s", flush=True)
        print(f"growing the tenant to {args.big:,} tasks …", flush=True)
        seed(tenant, user, max(0, args.big - args.tasks))
        requeue_all(tenant)
        next_lat = timed_gets(port, key, "/api/tasks/next", args.requests)
        dash_lat = timed_gets(port, key, "/api/dashboard", args.requests)
    finally:
        server.terminate()
        server.wait(timeout=10)

    api_rate, sql_rate = n_api / t_api, n_sql / t_sql
    claim_p50, claim_p95 = percentiles(claim_lat)
    next_p50, next_p95 = percentiles(next_lat)
    dash_p50, dash_p95 = percentiles(dash_lat)
    rows = [
        ("claims via HTTP API", f"{n_api:,} in {t_api:.1f} s", f"{api_rate:,.0f} claims/s",
         f"p50 {claim_p50:.1f} ms, p95 {claim_p95:.1f} ms"),
        ("claims via bare SQL (baseline)", f"{n_sql:,} in {t_sql:.1f} s", f"{sql_rate:,.0f} claims/s", ""),
        ("ratio SQL / API", "", f"{sql_rate / api_rate:.2f}x", "target: within 4x"),
        ("GET /api/health (request floor)", f"{n_floor:,} in {t_floor:.1f} s", f"{n_floor / t_floor:,.0f} req/s",
         f"SQL / floor {sql_rate / (n_floor / t_floor):.2f}x"),
        (f"GET /api/tasks/next @ {args.big:,}", f"{len(next_lat)} requests", "",
         f"p50 {next_p50:.1f} ms, p95 {next_p95:.1f} ms (target p50 < 25 ms)"),
        (f"GET /api/dashboard @ {args.big:,}", f"{len(dash_lat)} requests", "",
         f"p50 {dash_p50:.1f} ms, p95 {dash_p95:.1f} ms (target p50 < 25 ms)"),
    ]
    print(f"\nagents: {args.agents}, tasks claimed: {args.tasks:,}, uvicorn workers: {args.workers}, "
          f"cores: {os.cpu_count()}, run id {uuid.uuid4().hex[:8]}")
    widths = [max(len(str(r[i])) for r in rows) for i in range(4)]
    for row in rows:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))
    tenant_delete(tenant=Tenant.objects.get(slug=SLUG))


if __name__ == "__main__":
    main()
