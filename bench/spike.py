"""A campaign's launch: page views and submissions mixed ten to one, 128 connections, one minute.

Everyone who clicks the launch email loads the campaign page; one in ten or so sends the form. This
runs both at once on the stack production uses (gunicorn, PostgreSQL, Redis, rate limits off as in
every benchmark: the load comes from one address) and then checks what a supporter would notice:
no error, the slowest answers, and that every submission the site answered (302) is saved and its
confirmation job is on the queue. No worker runs, so the jobs wait there to be counted.

    .venv/bin/python -m bench.spike        (BENCH_SPIKE_SECONDS=60 by default)
"""

import os
import time

import redis

from bench.load import require_wrk, run_wrk
from bench.report import Comparison, record
from bench.stack import REDIS_URL, SPIKE_WEB_PORT, Site, database_of_its_own, gunicorn, sql

CLIENTS = 128
SECONDS = int(os.environ.get("BENCH_SPIKE_SECONDS", "60"))
VIEWS_PER_SUBMISSION = 10
WARM_UP_SECONDS = 3
SETTLE_SECONDS = 2


def main() -> None:
    require_wrk()
    site = Site(database="takeback_bench_spike", web_port=SPIKE_WEB_PORT)
    print(
        f"spike: gunicorn + PostgreSQL + Redis on 127.0.0.1:{site.web_port}, {CLIENTS} connections for {SECONDS} s, "
        f"{VIEWS_PER_SUBMISSION} page views per submission",
        flush=True,
    )
    with database_of_its_own(site):
        sql(site, "UPDATE campaign_campaign SET requires_confirmation = true WHERE slug = 'clearview'")
        with gunicorn(site):
            page_url = f"{site.base_url}/en/c/clearview/"
            _mix(page_url, clients=32, seconds=WARM_UP_SECONDS, tag="warm-spike")
            queue = redis.Redis.from_url(REDIS_URL)
            # Requests still in flight when wrk stops finish their commit and their publish first.
            time.sleep(SETTLE_SECONDS)
            saved_before, queued_before = _count_requests(site), queue.llen(site.queue)
            result = _mix(page_url, clients=CLIENTS, seconds=SECONDS, tag="spike")
            time.sleep(SETTLE_SECONDS)
            saved, queued = _count_requests(site) - saved_before, queue.llen(site.queue) - queued_before
    # wrk counts the answers it got in time; submissions still in flight when it stops are saved
    # and queued too, so there may be a few more rows and jobs than answers, never fewer.
    kept = min(result.submissions, saved, queued)
    nothing_lost = saved >= result.submissions and queued >= result.submissions
    record(
        Comparison(
            bench="spike",
            case=f"{CLIENTS} clients",
            unit="submissions",
            measured=kept,
            baseline_name="answered",
            baseline=result.submissions,
            target_ratio=1.0,
            extra_target="0 errors, none lost",
            extra_met=result.errors == 0 and nothing_lost,
            detail=(
                f"{result.per_second:.0f} requests/s for {result.seconds:.0f} s: {result.pages} page views, "
                f"{result.submissions} submissions answered, {result.errors} errors; "
                f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms; "
                f"{saved} requests saved, {queued} confirmation jobs queued"
            ),
        )
    )


def _mix(url: str, *, clients: int, seconds: int, tag: str):
    return run_wrk(url, connections=clients, seconds=seconds, arguments=["mix", tag, str(VIEWS_PER_SUBMISSION)])


def _count_requests(site: Site) -> int:
    return sql(site, "SELECT count(*) FROM requests_app_datarequest")[0][0]


if __name__ == "__main__":
    main()
