"""The public stats API against a bare JSON view, on the same gunicorn, database and middleware.

The campaign has tallies for two months of a busy campaign, so the API has real rows to count.
The API arrives with the organisers' dashboard; until then this benchmark says so and skips.

    .venv/bin/python -m bench.stats        (BENCH_SECONDS=9 per measurement by default)
"""

import datetime
import os

from bench.load import LoadResult, get_status, require_wrk, run_wrk
from bench.report import Comparison, record
from bench.stack import STATS_WEB_PORT, Site, database_of_its_own, gunicorn, use_django

CLIENTS = (32, 128)
SECONDS = int(os.environ.get("BENCH_SECONDS", "9"))
WARM_UP_SECONDS = 3
# Each measurement is split in slices, the API and the baseline taking turns, so that a burst of
# other work on the machine weighs on both alike.
SLICES = 3
TARGET_RATIO = 0.90
STATS_PATH = "/api/campaigns/clearview/stats"


def main() -> None:
    require_wrk()
    site = Site(database="takeback_bench_stats", web_port=STATS_WEB_PORT)
    print(f"stats: gunicorn + PostgreSQL + Redis on 127.0.0.1:{site.web_port}, {SECONDS} s per measurement", flush=True)
    with database_of_its_own(site):
        use_django(site)
        fill_tallies()
        with gunicorn(site):
            stats_url = site.base_url + STATS_PATH
            if get_status(stats_url) == 404:
                print(f"stats: stats API not present (GET {STATS_PATH} answered 404); skipped", flush=True)
                return
            baseline_url = f"{site.base_url}/bench/json/clearview"
            _get(baseline_url, clients=32, seconds=WARM_UP_SECONDS)
            _get(stats_url, clients=32, seconds=WARM_UP_SECONDS)
            for clients in CLIENTS:
                baseline, stats = _take_turns(baseline_url, stats_url, clients=clients)
                record(
                    Comparison(
                        bench="stats",
                        case=f"{clients} clients",
                        unit="requests/s",
                        measured=stats.per_second,
                        baseline_name="bare JSON view",
                        baseline=baseline.per_second,
                        target_ratio=TARGET_RATIO,
                        detail=(
                            f"stats API p50 {stats.p50_ms:.1f} ms, p99 {stats.p99_ms:.1f} ms; "
                            f"bare JSON p50 {baseline.p50_ms:.1f} ms, p99 {baseline.p99_ms:.1f} ms"
                        ),
                    )
                )
                if stats.errors or baseline.errors:
                    print(f"{'':22}WARNING: {stats.errors} API errors, {baseline.errors} baseline errors", flush=True)


def fill_tallies() -> None:
    """60 days x 8 jurisdictions x 4 states x 8 shards: the tallies of a busy campaign's first months."""
    # Imported here: Django is configured by main() first.
    from django.utils import timezone

    from campaign.models import Campaign, Tally

    campaign = Campaign.objects.get(slug="clearview")
    target = campaign.ordered_targets()[0]
    today = timezone.localdate()
    places = [("pipeda", "CA-ON"), ("pipeda", "CA-QC"), ("pipeda", "CA-BC"), ("gdpr", "FR")]
    places += [("gdpr", "DE"), ("uk_gdpr", "GB"), ("ccpa", "US-CA"), ("general", "US-NY")]
    Tally.objects.bulk_create(
        (
            Tally(
                campaign=campaign,
                day=today - datetime.timedelta(days=days_ago),
                law=law,
                jurisdiction=jurisdiction,
                language="en",
                target=target,
                status=status,
                shard=shard,
                count=1 + (days_ago * 7 + shard) % 13,
            )
            for days_ago in range(60)
            for law, jurisdiction in places
            for status in ("awaiting_confirmation", "queued", "sent", "delivered")
            for shard in range(8)
        ),
        batch_size=2000,
    )


def _take_turns(baseline_url: str, stats_url: str, *, clients: int) -> tuple[LoadResult, LoadResult]:
    slice_seconds = max(1, round(SECONDS / SLICES))
    baselines, measured = [], []
    for _ in range(SLICES):
        baselines.append(_get(baseline_url, clients=clients, seconds=slice_seconds))
        measured.append(_get(stats_url, clients=clients, seconds=slice_seconds))
    return LoadResult.combine(baselines), LoadResult.combine(measured)


def _get(url: str, *, clients: int, seconds: int) -> LoadResult:
    return run_wrk(url, connections=clients, seconds=seconds, arguments=["get"])


if __name__ == "__main__":
    main()
