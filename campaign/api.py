"""The public stats API: a campaign's numbers as JSON, for partners' sites (CORS is open on /api/)."""

import hashlib
import json

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_GET

from campaign.content_cache import campaign_or_404
from campaign.stats import STATS_CACHE_SECONDS, cached_public_counts, stats_document


@require_GET
def campaign_stats(request, slug):
    campaign = campaign_or_404(slug)
    counts = cached_public_counts(campaign)
    body = json.dumps(stats_document(campaign, counts), separators=(",", ":")).encode()
    response = HttpResponse(body, content_type="application/json")
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    response["ETag"] = etag
    last_modified = int(counts.updated_at.timestamp()) if counts.updated_at else None
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, public=True, max_age=STATS_CACHE_SECONDS)
    # A poller that sends back the ETag gets an empty 304 until the numbers change.
    return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
