"""The campaign page answered from each process's memory, before most of the middleware runs.

The campaign page is the same for every visitor (campaign/views.py: no token, no session, no
cookie), so the whole response a visitor got, headers included, can go to the next one. The view
renders it into the shared cache at most once per CAMPAIGN_PAGE_SECONDS for the whole site; this
middleware keeps that finished response in each process for at most MEMO_SECONDS more and answers
GET with it straight away: no URL resolving, no session, CSRF, locale, CSP or rate-limit middleware
for a page none of them changes. That is what lets one server keep up with a launch's page views
when no CDN is in front.

It sits right after SecurityMiddleware and WhiteNoise. Every middleware after it has already run
once on the response it replays, so its headers are there; a middleware that sets a header per
request (a request id, a CSP nonce) must come before it.
"""

import math
import time
from typing import NamedTuple

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response

MEMO_SECONDS = 1.0
_VERSION_KEY = "campaign-page-version"
# Like every key in the cache, it expires; a new one only means one more rendering of each page.
_VERSION_SECONDS = 3600


class SharedPage(NamedTuple):
    body: bytes
    headers: list[tuple[str, str]]
    etag: str
    shared_until: float
    until: float


_pages_in_this_process: dict[tuple[str, str, str], SharedPage] = {}


def mark_shared(response: HttpResponse, *, rendered_at: float, lifetime: float) -> None:
    """Say that this response may go to every visitor until `rendered_at` + `lifetime` (wall
    clock), and set the Cache-Control that lets a CDN or a proxy keep it that long."""
    response.shared_until = rendered_at + lifetime
    _set_cache_control(response, until=response.shared_until)


class SharedPageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        # get_host() refuses a Host outside ALLOWED_HOSTS, as CommonMiddleware would; the language is
        # the one LocaleMiddleware would pick (the path's, else the browser's for /).
        key = (request.get_host(), request.path, translation.get_language_from_request(request, check_path=True))
        page = _pages_in_this_process.get(key)
        if page is not None and page.until >= time.monotonic():
            return _replay(request, page)
        response = self.get_response(request)
        shared_until = getattr(response, "shared_until", None)
        if shared_until is not None and request.method == "GET" and response.status_code == 200:
            _pages_in_this_process[key] = SharedPage(
                body=response.content,
                headers=list(response.items()),
                etag=response["ETag"],
                shared_until=shared_until,
                # Never past the page's own life, so that the memo adds nothing to its age.
                until=time.monotonic() + min(MEMO_SECONDS, shared_until - time.time()),
            )
        return response


def forget_pages_in_this_process() -> None:
    """What the passing of MEMO_SECONDS does, for tests."""
    _pages_in_this_process.clear()


def shared_pages_version() -> int:
    """Part of every shared copy's key in the shared cache: a new one forgets them all at once."""
    return cache.get_or_set(_VERSION_KEY, time.time_ns, timeout=_VERSION_SECONDS)


def forget_shared_pages(**signal_arguments) -> None:
    """An admin saved something the campaign page shows: every process renders it again on its
    next view (this one at once, the others within MEMO_SECONDS)."""
    cache.set(_VERSION_KEY, time.time_ns(), timeout=_VERSION_SECONDS)
    forget_pages_in_this_process()


def _replay(request, page: SharedPage) -> HttpResponse:
    response = HttpResponse(page.body)
    for name, value in page.headers:
        response[name] = value
    _set_cache_control(response, until=page.shared_until)
    return get_conditional_response(request, etag=page.etag, response=response)


def _set_cache_control(response: HttpResponse, *, until: float) -> None:
    # A downstream cache keeps the page only for what is left of our own copy's life, so the ages
    # do not add up.
    seconds_left = max(1, math.ceil(until - time.time()))
    response["Cache-Control"] = f"public, max-age={seconds_left}, s-maxage={seconds_left}"
