"""Form submissions per second and their latency, against a bare view that does one INSERT.

Both run on the same gunicorn, database, Redis and middleware, one after the other at each
concurrency. The campaign asks for confirmation, so every submission takes the real path: the
form, the saved request and its tally in one transaction, and the confirmation job published to
Redis after the commit. No worker runs: the jobs wait in the run's own queue, deleted afterwards.

    .venv/bin/python -m bench.form        (BENCH_SECONDS=9 per measurement by default)
"""

import os

import redis

from bench.load import LoadResult, require_wrk, run_wrk
from bench.report import Comparison, record
from bench.stack import FORM_WEB_PORT, REDIS_URL, Site, database_of_its_own, gunicorn, sql
from bench.views import CREATE_BASELINE_TABLE

CLIENTS = (8, 32, 128)
SECONDS = int(os.environ.get("BENCH_SECONDS", "9"))
WARM_UP_SECONDS = 3
# Each measurement is split in slices, the form and the baseline taking turns, so that a burst of
# other work on the machine weighs on both alike.
SLICES = 3
# Issue 17's target: the request form, its saved row and tally, the job on Redis and the redirect
# at a third of the cost of one bare INSERT and the same redirect.
TARGET_RATIO = 0.35
P99_BOUND_MS = 250
P99_BOUND_AT_CLIENTS = 32


def main() -> None:
    require_wrk()
    site = Site(database="takeback_bench_form", web_port=FORM_WEB_PORT)
    print(f"form: gunicorn + PostgreSQL + Redis on 127.0.0.1:{site.web_port}, {SECONDS} s per measurement", flush=True)
    with database_of_its_own(site):
        sql(site, CREATE_BASELINE_TABLE)
        sql(site, "UPDATE campaign_campaign SET requires_confirmation = true WHERE slug = 'clearview'")
        with gunicorn(site):
            form_url = f"{site.base_url}/en/c/clearview/"
            baseline_url = f"{site.base_url}/bench/insert"
            # The first requests of each gunicorn worker load templates and open connections.
            _post(baseline_url, clients=32, seconds=WARM_UP_SECONDS, tag="warm-baseline")
            _post(form_url, clients=32, seconds=WARM_UP_SECONDS, tag="warm-form")
            for clients in CLIENTS:
                compare_at(site, clients=clients, form_url=form_url, baseline_url=baseline_url)


def compare_at(site: Site, *, clients: int, form_url: str, baseline_url: str) -> None:
    slice_seconds = max(1, round(SECONDS / SLICES))
    baselines, forms, created, jobs = [], [], 0, 0
    queue = redis.Redis.from_url(REDIS_URL)
    for number in range(SLICES):
        baselines.append(_post(baseline_url, clients=clients, seconds=slice_seconds, tag=f"b{clients}-{number}"))
        requests_before, jobs_before = _count_requests(site), queue.llen(site.queue)
        forms.append(_post(form_url, clients=clients, seconds=slice_seconds, tag=f"f{clients}-{number}"))
        created += _count_requests(site) - requests_before
        jobs += queue.llen(site.queue) - jobs_before
    baseline, form = LoadResult.combine(baselines), LoadResult.combine(forms)

    bounded = clients == P99_BOUND_AT_CLIENTS
    record(
        Comparison(
            bench="form",
            case=f"{clients} clients",
            unit="submissions/s",
            measured=form.per_second,
            baseline_name="bare INSERT view",
            baseline=baseline.per_second,
            target_ratio=TARGET_RATIO,
            extra_target=f"p99 < {P99_BOUND_MS} ms" if bounded else "",
            extra_met=form.p99_ms < P99_BOUND_MS if bounded else True,
            detail=(
                f"form p50 {form.p50_ms:.1f} ms, p99 {form.p99_ms:.1f} ms; "
                f"bare INSERT p50 {baseline.p50_ms:.1f} ms, p99 {baseline.p99_ms:.1f} ms; "
                f"{created} requests saved, {jobs} confirmation jobs queued"
            ),
        )
    )
    # wrk counts the answers it got in time; requests still in flight when it stops are saved too.
    if form.errors or baseline.errors or not form.requests <= created <= form.requests + SLICES * clients:
        print(
            f"{'':22}WARNING: {form.errors} form errors, {baseline.errors} baseline errors, "
            f"{form.requests} answers for {created} saved requests",
            flush=True,
        )


def _post(url: str, *, clients: int, seconds: int, tag: str) -> LoadResult:
    return run_wrk(url, connections=clients, seconds=seconds, arguments=["form", tag])


def _count_requests(site: Site) -> int:
    return sql(site, "SELECT count(*) FROM requests_app_datarequest")[0][0]


if __name__ == "__main__":
    main()
