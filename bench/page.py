"""The campaign page against a static file, on the same gunicorn, database, Redis and middleware.

The campaign page is what everyone who clicks an email or a shared link loads. It is the same for
every visitor, so the site renders it once per language every few seconds into the shared cache
(campaign/views.py) and a CDN or proxy in front may keep it too. Without a CDN, gunicorn answers
every view: this compares it with the cheapest thing that stack serves, a static file through
WhiteNoise. It also checks the headers a CDN would need to keep the page.

    .venv/bin/python -m bench.page        (BENCH_SECONDS=9 per measurement by default)
"""

import os
import urllib.request

from bench.load import LoadResult, require_wrk, run_wrk
from bench.report import Comparison, record
from bench.stack import PAGE_WEB_PORT, Site, database_of_its_own, gunicorn

CLIENTS = (32, 128)
SECONDS = int(os.environ.get("BENCH_SECONDS", "9"))
WARM_UP_SECONDS = 3
# Each measurement is split in slices, the page and the static file taking turns, so that a burst
# of other work on the machine weighs on both alike.
SLICES = 3
TARGET_RATIO = 0.50
PAGE_PATH = "/en/c/clearview/"
STATIC_PATH = "/static/css/takeback.css"


def main() -> None:
    require_wrk()
    site = Site(database="takeback_bench_page", web_port=PAGE_WEB_PORT)
    print(f"page: gunicorn + PostgreSQL + Redis on 127.0.0.1:{site.web_port}, {SECONDS} s per measurement", flush=True)
    with database_of_its_own(site), gunicorn(site):
        page_url, static_url = site.base_url + PAGE_PATH, site.base_url + STATIC_PATH
        cacheable, headers_seen = cdn_may_keep(page_url)
        _get(static_url, clients=32, seconds=WARM_UP_SECONDS)
        _get(page_url, clients=32, seconds=WARM_UP_SECONDS)
        sizes = f"page {_size(page_url)} bytes, static file {_size(static_url)} bytes"
        for clients in CLIENTS:
            static, page = _take_turns(static_url, page_url, clients=clients)
            record(
                Comparison(
                    bench="page",
                    case=f"{clients} clients",
                    unit="pages/s",
                    measured=page.per_second,
                    baseline_name="static file",
                    baseline=static.per_second,
                    target_ratio=TARGET_RATIO,
                    extra_target="a CDN may keep it",
                    extra_met=cacheable,
                    detail=(
                        f"page p50 {page.p50_ms:.1f} ms, p99 {page.p99_ms:.1f} ms; "
                        f"static p50 {static.p50_ms:.1f} ms, p99 {static.p99_ms:.1f} ms; {sizes}; {headers_seen}"
                    ),
                )
            )
            if page.errors or static.errors:
                print(f"{'':22}WARNING: {page.errors} page errors, {static.errors} static file errors", flush=True)


def cdn_may_keep(url: str) -> tuple[bool, str]:
    """Whether a shared cache may keep the page: public with an s-maxage, an ETag, no cookie set
    and no Vary on one. Returns the verdict and the headers it read."""
    with urllib.request.urlopen(url, timeout=30) as response:
        headers = response.headers
    cache_control = headers.get("Cache-Control", "")
    verdict = (
        "public" in cache_control
        and "s-maxage=" in cache_control
        and "private" not in cache_control
        and "no-store" not in cache_control
        and headers.get("ETag") is not None
        and headers.get("Set-Cookie") is None
        and "cookie" not in headers.get("Vary", "").lower()
    )
    return verdict, f"Cache-Control: {cache_control}; Set-Cookie: {headers.get('Set-Cookie') is not None}"


def _size(url: str) -> int:
    with urllib.request.urlopen(url, timeout=30) as response:
        return len(response.read())


def _take_turns(static_url: str, page_url: str, *, clients: int) -> tuple[LoadResult, LoadResult]:
    slice_seconds = max(1, round(SECONDS / SLICES))
    statics, pages = [], []
    for _ in range(SLICES):
        statics.append(_get(static_url, clients=clients, seconds=slice_seconds))
        pages.append(_get(page_url, clients=clients, seconds=slice_seconds))
    return LoadResult.combine(statics), LoadResult.combine(pages)


def _get(url: str, *, clients: int, seconds: int) -> LoadResult:
    return run_wrk(url, connections=clients, seconds=seconds, arguments=["get"])


if __name__ == "__main__":
    main()
