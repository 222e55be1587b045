"""The public stats API: a campaign's numbers as JSON, for partners' sites (CORS is open on /api/)."""

import hashlib
import json
import time
from typing import NamedTuple

from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_GET

from campaign.content_cache import campaign_or_404
from campaign.stats import STATS_CACHE_SECONDS, cached_public_counts, stats_document

# In front of the shared cache, each process keeps the finished answer this long: a poll then costs
# no round trip to Redis, and every process still agrees with the others within this second.
STATS_MEMO_SECONDS = 1.0


class StatsAnswer(NamedTuple):
    body: bytes
    etag: str
    last_modified: int | None
    headers: dict[str, str]
    until: float


_answers_in_this_process: dict[str, StatsAnswer] = {}


@require_GET
def campaign_stats(request, slug):
    answer = _answers_in_this_process.get(slug)
    if answer is None or answer.until < time.monotonic():
        answer = _stats_answer(slug)
        _answers_in_this_process[slug] = answer
    response = HttpResponse(answer.body, content_type="application/json", headers=answer.headers)
    # A poller that sends back the ETag gets an empty 304 until the numbers change.
    return get_conditional_response(request, etag=answer.etag, last_modified=answer.last_modified, response=response)


def _stats_answer(slug: str) -> StatsAnswer:
    campaign = campaign_or_404(slug)
    counts = cached_public_counts(campaign)
    body = json.dumps(stats_document(campaign, counts), separators=(",", ":")).encode()
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    last_modified = int(counts.updated_at.timestamp()) if counts.updated_at else None
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={STATS_CACHE_SECONDS}"}
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    return StatsAnswer(
        body=body,
        etag=etag,
        last_modified=last_modified,
        headers=headers,
        until=time.monotonic() + STATS_MEMO_SECONDS,
    )


def forget_answers_in_this_process() -> None:
    """What the passing of STATS_MEMO_SECONDS does, for tests."""
    _answers_in_this_process.clear()
