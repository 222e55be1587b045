"""The suite's cast: real PostgreSQL and Redis, a real SMTP sink, a real Celery worker process."""

import collections
import contextlib
import datetime
import io
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import psycopg
import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.core.management import call_command

from campaign.api import forget_answers_in_this_process
from campaign.models import Campaign, CampaignTarget, Target
from campaign.shared_pages import forget_pages_in_this_process
from config.celery import app as celery_app
from requests_app.laws import law_for_jurisdiction
from requests_app.letters import Supporter
from requests_app.models import DataRequest, LetterTemplate, RequestKind
from requests_app.queueing import publish
from requests_app.sending import SendResult, send_letter
from requests_app.submissions import Submission, confirm_request, submit_request
from tests.smtp_sink import SmtpSink
from tests.supporters import days_ago

ROOT = Path(__file__).resolve().parent.parent
# Each run gets a queue of its own, so parallel runs on one Redis never take each other's jobs.
TEST_QUEUE = f"takeback-test-{os.getpid()}"


def pytest_configure(config):
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.exit("The suite runs against PostgreSQL: run it with `make test` (or set DATABASE_URL).", returncode=3)
    try:
        psycopg.connect(
            host=database["HOST"] or "127.0.0.1",
            port=database["PORT"] or 5432,
            user=database["USER"],
            password=database["PASSWORD"],
            dbname="postgres",
            connect_timeout=3,
        ).close()
    except psycopg.OperationalError as error:
        pytest.exit(
            f"PostgreSQL is not reachable at {database['HOST']}:{database['PORT'] or 5432} ({error}). "
            "Start it, or point DATABASE_URL at a running server.",
            returncode=3,
        )
    broker = settings.CELERY_BROKER_URL
    if not broker.startswith("redis"):
        pytest.exit("The suite runs against Redis: run it with `make test` (or set CELERY_BROKER_URL).", returncode=3)
    try:
        redis.Redis.from_url(broker, socket_connect_timeout=3, socket_timeout=3).ping()
    except redis.RedisError as error:
        pytest.exit(
            f"Redis is not reachable at {broker} ({error}). Start it, or point CELERY_BROKER_URL at a running server.",
            returncode=3,
        )
    celery_app.conf.task_default_queue = TEST_QUEUE
    # Logins in tests need no deliberately slow hash.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Tests that start real servers and workers (gunicorn, celery worker, redis-server): `make test-quick`
# leaves them out, `make test` runs them.
PROCESS_FIXTURES = {"celery_worker", "live_server"}
PROCESS_MODULES = {
    "test_delivery_faults",
    "test_end_to_end",
    "test_worker_database",
    "test_browser",
    "test_make_run",
    "test_scripts",
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if PROCESS_FIXTURES & set(item.fixturenames) or item.module.__name__.rpartition(".")[2] in PROCESS_MODULES:
            item.add_marker(pytest.mark.processes)


def pytest_unconfigure(config):
    if settings.CELERY_BROKER_URL.startswith("redis"):
        redis.Redis.from_url(settings.CELERY_BROKER_URL).delete(TEST_QUEUE)


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations(django_test_environment):
    # `make test` compiles the catalogues first; this keeps a bare `pytest` (and the workers it
    # starts) from running on a stale .mo. It only recompiles a .po newer than its .mo.
    call_command("compilemessages", ignore_patterns=[".venv", "var"], verbosity=0)


@pytest.fixture
def run_queued_jobs(django_capture_on_commit_callbacks):
    """Runs, here and now, the Celery jobs that a block of code queues after commit: the worker's
    work without a worker, for tests that check what an email says rather than how it travels."""

    celery_app.loader.import_default_modules()  # registers the autodiscovered tasks, as a worker does

    @contextlib.contextmanager
    def capture():
        with django_capture_on_commit_callbacks() as callbacks:
            yield
        for callback in callbacks:
            assert callback.func is publish, f"not a queued job: {callback}"
            task_name, *arguments = callback.args
            celery_app.tasks[task_name](*arguments)

    return capture


@pytest.fixture(autouse=True)
def _mail_to_memory(settings, tmp_path):
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    settings.SITE_URL = "http://testserver"


def _cache_redis_url() -> str:
    """CACHE_URL when it names a Redis, else the broker's Redis (keys carry a prefix of this run's own)."""
    url = os.environ.get("CACHE_URL", "")
    return url if url.startswith("redis") else settings.CELERY_BROKER_URL


@pytest.fixture(autouse=True)
def redis_cache(settings):
    """The cache on Redis through django-redis, as in production (rate limits, login attempts),
    emptied before each test. Only this run's keys are deleted: the database may be shared."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": _cache_redis_url(),
            "KEY_PREFIX": TEST_QUEUE,
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
        },
    }
    cache.delete_pattern("*")
    yield cache
    cache.delete_pattern("*")


@pytest.fixture
def campaign(db) -> Campaign:
    call_command("seed_campaign", stdout=io.StringIO())
    return Campaign.objects.get(slug="clearview")


@pytest.fixture
def french_pipeda_template(campaign) -> LetterTemplate:
    """The French PIPEDA letter: the seeded one, or a short stand-in while no seed file exists, so
    the French journey is tested either way."""
    template, _ = LetterTemplate.objects.get_or_create(
        campaign=campaign,
        law="pipeda",
        language="fr",
        defaults={
            "subject": "Demande d'accès à mes renseignements personnels : {{ full_name }}",
            "body": (
                "Madame, Monsieur,\n\nEn vertu de l'article 8 de la LPRPDE, je vous demande l'accès aux "
                "renseignements personnels que {{ target_name }} détient à mon sujet. La loi vous donne "
                "{{ deadline_days }} jours pour répondre.\n\n{{ full_name }}\n{{ email }}\n"
            ),
        },
    )
    return template


@pytest.fixture
def supporter_form() -> dict:
    return {
        "first_name": "Jeanne",
        "last_name": "Tremblay",
        "email": "jeanne.tremblay@example.org",
        "jurisdiction": "CA-ON",
        "kind": "access_and_deletion",
        "consent": "on",
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def smtp_sink():
    sink = SmtpSink(port=free_port())
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def sink(smtp_sink):
    smtp_sink.reset()
    return smtp_sink


def _test_database_url() -> str:
    database = settings.DATABASES["default"]
    user = urllib.parse.quote(database["USER"] or "")
    password = f":{urllib.parse.quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    return f"postgres://{user}{password}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"


def worker_environment(*, smtp_port: int, **overrides) -> dict:
    environment = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CELERY_TASK_DEFAULT_QUEUE": celery_app.conf.task_default_queue,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "SITE_URL": "http://testserver",
        "TAKEBACK_RETRY_BACKOFF_BASE_SECONDS": "0.2",
        "TAKEBACK_RETRY_BACKOFF_MAX_SECONDS": "1",
        # Load and fault tests submit hundreds of forms from one address.
        "TAKEBACK_RATELIMIT_PER_CLIENT": "100000/m",
        "TAKEBACK_RATELIMIT_PER_EMAIL": "100000/m",
    }
    environment.update(overrides)
    return environment


def start_worker(
    environment: dict, *, concurrency: int = 2, loglevel: str = "INFO", keep_lines: int | None = 300
) -> subprocess.Popen:
    """A worker process; `process.log` holds its last `keep_lines` lines of output (None: all)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--loglevel={loglevel}",
            f"--concurrency={concurrency}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            f"--hostname=test-{os.getpid()}-{time.monotonic_ns()}@%h",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        # Its own process group, so a test can kill the worker and its pool children together.
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    process.log = collections.deque(maxlen=keep_lines)
    for line in process.stdout:
        process.log.append(line)
        if " ready." in line:
            break
        if time.monotonic() > deadline:
            break
    else:
        raise RuntimeError(f"The Celery worker exited before it was ready (code {process.poll()}).")
    # Keep reading its output so a full pipe never blocks the worker; the tail helps a failing test.
    threading.Thread(target=lambda: process.log.extend(process.stdout), daemon=True).start()
    return process


def stop_worker(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def celery_worker(transactional_db, smtp_sink):
    """A real `celery worker` process on the suite's queue and test database, mailing the sink."""
    process = start_worker(worker_environment(smtp_port=smtp_sink.port))
    yield process
    stop_worker(process)


def wait_until(condition, *, timeout: float = 30, interval: float = 0.1, what: str = "the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")


@pytest.fixture(autouse=True)
def _empty_cache():
    # Public counts are cached for a few seconds; one test's numbers must not show in the next.
    cache.clear()
    caches["content"].clear()
    forget_answers_in_this_process()
    forget_pages_in_this_process()
    yield
    cache.clear()


@pytest.fixture
def organiser(db):
    """A staff login in the Organisers group, with no model permissions: the dashboard, nothing else."""
    user = get_user_model().objects.create_user(username="olivia", password="not-a-real-password", is_staff=True)
    # get_or_create: a transactional test's flush also empties the group the migration made.
    user.groups.add(Group.objects.get_or_create(name="Organisers")[0])
    return user


@pytest.fixture
def sent_letter(campaign):
    """Make a supporter's request and send its letter through the services (mail to the test
    outbox); `sent_at` moves the send date into the past where a test needs time to have passed."""
    serial = iter(range(1, 1000))

    def make(
        *,
        jurisdiction: str = "CA-ON",
        wants_reminder: bool = False,
        kind: str = RequestKind.ACCESS_AND_DELETION,
        language: str = "en",
        sent_at: datetime.datetime | None = None,
    ) -> DataRequest:
        law = law_for_jurisdiction(jurisdiction)
        # Only the PIPEDA letters are seeded; other laws get a plain template of their own here.
        if not LetterTemplate.objects.filter(campaign=campaign, law=law).exists():
            LetterTemplate.objects.create(
                campaign=campaign,
                law=law,
                language="en",
                subject="Data request from {{ full_name }}",
                body="To {{ target_name }}: tell me what you hold about me, then delete it.\n\n{{ full_name }}",
            )
        number = next(serial)
        result = submit_request(
            campaign=campaign,
            submission=Submission(
                supporter=Supporter(
                    first_name="Jeanne",
                    last_name=f"Tremblay{'' if number == 1 else '-Roy' * (number - 1)}",
                    email=f"supporter{number}@example.org",
                    jurisdiction=jurisdiction,
                    kind=kind,
                ),
                language=language,
                wants_updates=False,
                wants_reminder=wants_reminder,
                consent_text="Send this data request in my name.",
            ),
        )
        request = result.request
        confirm_request(request)
        # The drip spaces letters to one target; these tests are not about the drip.
        Target.objects.filter(pk=request.target_id).update(next_send_slot=days_ago(1))
        assert send_letter(request_id=request.pk).result == SendResult.SENT
        if sent_at is not None:
            DataRequest.objects.filter(pk=request.pk).update(sent_at=sent_at)
        request.refresh_from_db()
        return request

    return make


@pytest.fixture
def second_target(campaign) -> Target:
    """A second organisation the campaign writes to, after its first."""
    target = Target.objects.create(
        name="Facefinder Example Ltd", privacy_email="privacy@facefinder.example.org", postal_address="1 Example Road"
    )
    CampaignTarget.objects.create(campaign=campaign, target=target, position=1)
    return target
