"""The public numbers and the dashboard at one million requests.

    .venv/bin/python -m bench.at_scale [--count 1000000] [--keep]

Creates its own PostgreSQL database (`takeback_bench_scale`, on the server DATABASE_URL points at),
fills it with `bench.fill_requests`, then times requests through Django's test client: the
whole middleware stack and the view, not an HTTP server. Each figure is printed beside a baseline
measured in the same run: a bare JSON view (no database) for the stats API and the counter, a bare
logged-in page for the dashboard. Measured twice: with the tallies as live traffic leaves them
(every shard), then after folding the settled days (what the hourly task keeps them at).

Settings are production's (DEBUG off, static files from the manifest), with the site's default
in-process cache unless CACHE_URL says otherwise. The database is dropped at the end unless --keep.
"""

import argparse
import os
import platform
import secrets
import statistics
import tempfile
import time
import urllib.parse

import psycopg

from bench.report import Comparison, record

BENCH_DATABASE = "takeback_bench_scale"
WARMUP = 5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="requests to fill (default 1,000,000)")
    parser.add_argument("--keep", action="store_true", help=f"keep the {BENCH_DATABASE} database afterwards")
    args = parser.parse_args()

    server = urllib.parse.urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/takeback"))
    recreate_database(server)
    os.environ.update(
        DATABASE_URL=server._replace(path=f"/{BENCH_DATABASE}").geturl(),
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ANYMAIL_WEBHOOK_SECRET="bench:" + secrets.token_urlsafe(24),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        TAKEBACK_VAR_DIR=tempfile.mkdtemp(prefix="takeback-bench-"),
        LOG_LEVEL="WARNING",
    )
    try:
        run(count=args.count)
    finally:
        if not args.keep:
            close_django_connections()
            drop_database(server)


def run(*, count: int) -> None:
    # Django is imported only now: the environment above is its configuration.
    import django

    django.setup()
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings
    from django.utils import timezone

    from bench.fill_requests import fill
    from campaign.api import forget_answers_in_this_process
    from campaign.models import Tally
    from campaign.shared_pages import forget_pages_in_this_process
    from campaign.tallies import fold_tally_shards

    print(
        f"Machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, Python {platform.python_version()}"
    )
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("seed_campaign")
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        print(cursor.fetchone()[0].split(",")[0])
    print(fill(count=count, seed=1))

    organiser = get_user_model().objects.create_user(username="bench-organiser", is_staff=True)
    organiser.groups.add(Group.objects.get(name="Organisers"))
    anonymous, logged_in = Client(), Client()
    logged_in.force_login(organiser)

    def uncached():
        # The shared cache, and each process's second-long copies in front of it.
        cache.clear()
        forget_answers_in_this_process()
        forget_pages_in_this_process()

    with override_settings(ROOT_URLCONF="bench.at_scale_urls"):
        for stage in ("tallies as written live, every shard", "after folding the settled days"):
            rows = Tally.objects.count()
            print(f"\n{count:,} requests; {rows:,} tally rows ({stage})")
            bare_json = timed(anonymous, "/bench/bare.json", repeat=500)
            bare_page = timed(logged_in, "/bench/bare-page/", repeat=300)
            report("bare JSON view (baseline)", bare_json)
            report(
                "stats API, cached (steady state)",
                timed(anonymous, "/api/campaigns/clearview/stats", repeat=500),
                bare_json,
            )
            stats_uncached = timed(anonymous, "/api/campaigns/clearview/stats", repeat=200, before_each=uncached)
            report("stats API, cache emptied each time", stats_uncached, bare_json)
            report(
                "embedded counter, cache emptied each time",
                timed(anonymous, "/embed/clearview/counter", repeat=200, before_each=uncached),
                bare_json,
            )
            report("campaign page with counter and form", timed(anonymous, "/en/c/clearview/", repeat=200), bare_json)
            report("bare logged-in page (baseline)", bare_page)
            dashboard = timed(logged_in, "/en/dashboard/clearview/", repeat=60)
            report("organiser dashboard", dashboard, bare_page)
            report(
                "aggregates CSV export",
                timed(logged_in, "/en/dashboard/clearview/aggregates.csv", repeat=10),
                bare_page,
            )
            if not stage.startswith("tallies"):
                # The steady state (hourly folding keeps the tallies like this) is what is judged.
                record_at_scale("stats API", stats_uncached, bare_json, limit_ms=20)
                record_at_scale("dashboard", dashboard, bare_page, limit_ms=500)
            if stage.startswith("tallies"):
                started = time.perf_counter()
                groups = fold_tally_shards(before=timezone.localdate() - datetime.timedelta(days=1))
                with connection.cursor() as cursor:
                    cursor.execute(f"VACUUM ANALYZE {Tally._meta.db_table}")
                print(
                    f"\nfold_tally_shards: {groups:,} (campaign, day, state) groups in {time.perf_counter() - started:.1f} s"
                )
    measure_retention()


def measure_retention(*, batch: int = 10_000) -> None:
    """The daily retention job's erasure, timed on 10,000 rows due among a million, against a bare
    UPDATE blanking the same fields of another 10,000 rows of the same table."""
    import datetime

    from django.db import connection, transaction
    from django.utils import timezone

    from requests_app.models import DataRequest
    from requests_app.retention import erase_expired_personal_data

    kept = DataRequest.objects.filter(personal_data_erased_at__isnull=True, sent_at__isnull=False)
    due = list(kept.order_by("pk").values_list("pk", flat=True)[: 2 * batch])
    if len(due) < 2 * batch:
        print(f"\nretention: only {len(due):,} sent requests still hold personal data; skipped")
        return
    now = timezone.now()
    DataRequest.objects.filter(pk__in=due[:batch]).update(erase_after=now - datetime.timedelta(days=1))
    DataRequest.objects.filter(pk__in=due[batch:]).update(erase_after=now + datetime.timedelta(days=365))
    started = time.perf_counter()
    erased = erase_expired_personal_data(now=now)
    job = time.perf_counter() - started
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {DataRequest._meta.db_table} SET first_name = '', last_name = '', email = '', "  # noqa: S608
            "letter_subject = '', letter_body = '', personal_data_erased_at = %s WHERE id = ANY(%s)",
            [now, due[batch:]],
        )
    bare = time.perf_counter() - started
    print(
        f"\nretention: erased {erased:,} requests' personal data in {job:.2f} s; a bare UPDATE of {batch:,} rows: {bare:.2f} s"
    )
    record(
        Comparison(
            bench="scale",
            case="retention",
            unit="s/10k rows",
            measured=job * 10_000 / max(erased, 1),
            baseline_name="bare UPDATE",
            baseline=bare * 10_000 / batch,
            target_ratio=0.0,
            detail="time per 10,000 rows; lower is better (no target set)",
        )
    )


def record_at_scale(what: str, seconds: list[float], baseline: list[float], *, limit_ms: float) -> None:
    median_ms = statistics.median(seconds) * 1000
    record(
        Comparison(
            bench="scale",
            case=what,
            unit="ms median",
            measured=median_ms,
            baseline_name="bare view",
            baseline=statistics.median(baseline) * 1000,
            target_ratio=0.0,
            extra_target=f"under {limit_ms:.0f} ms at 1M requests",
            extra_met=median_ms < limit_ms,
            detail="lower is better; the ratio is time over the bare view's time",
        )
    )


def timed(client, path: str, *, repeat: int, before_each=None) -> list[float]:
    for _ in range(WARMUP):
        read(client, path)
    seconds = []
    for _ in range(repeat):
        if before_each:
            before_each()
        started = time.perf_counter()
        read(client, path)
        seconds.append(time.perf_counter() - started)
    return seconds


def read(client, path: str) -> None:
    response = client.get(path)
    if response.status_code != 200:
        raise SystemExit(f"{path} answered {response.status_code}")
    if response.streaming:
        b"".join(response.streaming_content)


def report(name: str, seconds: list[float], baseline: list[float] | None = None) -> None:
    median = statistics.median(seconds)
    p99 = statistics.quantiles(seconds, n=100)[98]
    ratio = f"x{median / statistics.median(baseline):6.1f} the baseline" if baseline else ""
    print(f"  {name:<44} median {median * 1000:8.2f} ms   p99 {p99 * 1000:8.2f} ms   {ratio}")


def recreate_database(server: urllib.parse.SplitResult) -> None:
    with maintenance_connection(server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')
        admin.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')


def drop_database(server: urllib.parse.SplitResult) -> None:
    with maintenance_connection(server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')


def maintenance_connection(server: urllib.parse.SplitResult) -> psycopg.Connection:
    return psycopg.connect(server._replace(path="/postgres").geturl(), autocommit=True)


def close_django_connections() -> None:
    from django.db import connections

    connections.close_all()


if __name__ == "__main__":
    main()
