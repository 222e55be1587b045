"""The stack a benchmark runs on, started the way production runs it and stopped afterwards.

A database of the benchmark's own (on the PostgreSQL server DATABASE_URL names, else the local
one), the local Redis (db 8 unless BENCH_REDIS_URL says otherwise, on a queue of the run's own),
gunicorn serving the site with DEBUG off, a Celery worker, an SMTP sink. Every process is started
here and stopped here.
"""

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import django
import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent


def _postgres_server() -> str:
    """The server DATABASE_URL points at (its database is never touched), else the local one."""
    configured = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", ""))
    if configured.scheme.startswith("postgres"):
        return configured._replace(path="", query="", fragment="").geturl()
    return "postgres://postgres@127.0.0.1:5432"


POSTGRES_URL = _postgres_server()
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/8")

# Ports of this machine's benchmark range, one per service so two benchmarks never collide.
FORM_WEB_PORT = 8201
STATS_WEB_PORT = 8202
PAGE_WEB_PORT = 8203
SPIKE_WEB_PORT = 8204
SENDING_SMTP_PORT = 8225


class BenchSetupError(RuntimeError):
    pass


@dataclass
class Site:
    """The settings every process of one benchmark shares, as environment variables."""

    database: str
    web_port: int
    smtp_port: int | None = None
    var_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="takeback-bench-")))
    queue: str = field(default_factory=lambda: f"takeback-bench-{os.getpid()}")

    @property
    def database_url(self) -> str:
        return f"{POSTGRES_URL}/{self.database}"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def environment(self) -> dict[str, str]:
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            # Production mode: no debug toolbar-like overheads, hashed static files, no query log.
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": _SECRET_KEY,
            "ANYMAIL_WEBHOOK_SECRET": "bench:" + _SECRET_KEY,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": self.base_url,
            # Plain http on loopback, as docker-compose.yml runs it without a TLS proxy.
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_TASK_DEFAULT_QUEUE": self.queue,
            "CACHE_URL": REDIS_URL,
            "TAKEBACK_VAR_DIR": str(self.var_dir),
            # gunicorn's worker count, as the Dockerfile sets it.
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "3"),
            "PYTHONUNBUFFERED": "1",
        }
        if self.smtp_port is not None:
            environment.update(
                EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=str(self.smtp_port),
            )
        return environment


# New for every run; the web server and the worker of one run share it.
_SECRET_KEY = secrets.token_urlsafe(50)


@contextlib.contextmanager
def database_of_its_own(site: Site) -> Iterator[None]:
    """Create the benchmark's database (dropping a leftover from an interrupted run), migrate and
    seed it, collect the static files production serves; drop it all afterwards."""
    try:
        _drop_database(site.database)
        with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{site.database}"')
        manage(site, "migrate", "--noinput", "--verbosity=0")
        manage(site, "seed_campaign")
        manage(site, "collectstatic", "--noinput", "--verbosity=0")
        yield
    finally:
        _drop_database(site.database)
        # The queue, and the bindings kombu keeps for it (the exchange is named after the queue).
        redis.Redis.from_url(REDIS_URL).delete(
            site.queue, f"_kombu.binding.{site.queue}", f"_kombu.binding_permanent.{site.queue}"
        )
        shutil.rmtree(site.var_dir, ignore_errors=True)


def use_django(site: Site) -> None:
    """Configure Django in this process as the site's processes are, to use the services."""
    os.environ.update(site.environment())
    django.setup()


def _drop_database(name: str) -> None:
    with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(site: Site, *arguments: str) -> None:
    completed = subprocess.run(
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=site.environment(),
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise BenchSetupError(f"manage.py {arguments[0]} failed:\n{completed.stderr[-3000:]}")


def sql(site: Site, statement: str, parameters: tuple = ()) -> list[tuple]:
    with psycopg.connect(site.database_url, autocommit=True) as connection:
        cursor = connection.execute(statement, parameters)
        return cursor.fetchall() if cursor.description else []


@contextlib.contextmanager
def gunicorn(site: Site) -> Iterator[subprocess.Popen]:
    """gunicorn as the Dockerfile runs it, with the access log written to a file, as a
    container's log driver would take it."""
    log = open(site.var_dir / "gunicorn.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{site.web_port}",
            "--access-logfile",
            "-",
            "--worker-tmp-dir",
            "/dev/shm",
        ],
        cwd=ROOT,
        env=site.environment(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(site.web_port, process=process, log=site.var_dir / "gunicorn.log")
        yield process
    finally:
        _stop(process)
        log.close()


@contextlib.contextmanager
def smtp_sink(site: Site) -> Iterator[subprocess.Popen]:
    """aiosmtpd in a process of its own, accepting every message and keeping none."""
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink", "-l", f"127.0.0.1:{site.smtp_port}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(site.smtp_port, process=process)
        yield process
    finally:
        _stop(process)


@contextlib.contextmanager
def celery_worker(site: Site) -> Iterator[tuple[subprocess.Popen, float]]:
    """`celery -A config worker` as docker-compose.yml runs it; yields the process and the
    monotonic time it said it was ready."""
    log_path = site.var_dir / "worker.log"
    log = open(log_path, "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--loglevel=INFO",
            f"--hostname=bench-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env={**site.environment(), "DJANGO_SETTINGS_MODULE": "config.settings"},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while " ready." not in log_path.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise BenchSetupError(f"The Celery worker did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.02)
        yield process, time.monotonic()
    finally:
        _stop(process, timeout=30)
        with contextlib.suppress(ProcessLookupError):
            # Pool children left behind by a worker that had to be killed.
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def wait_for_port(port: int, *, process: subprocess.Popen, log: Path | None = None, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    output = log.read_text()[-3000:] if log is not None and log.exists() else ""
    raise BenchSetupError(f"Nothing listens on port {port} (is it taken?)\n{output}")


def _stop(process: subprocess.Popen, *, timeout: float = 15) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
