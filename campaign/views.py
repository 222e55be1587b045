import hashlib
import time
from collections.abc import Callable
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, HttpResponse, HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.http import quote_etag
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_safe
from django.views.static import serve
from kombu.exceptions import OperationalError

from campaign.content_cache import cached_content, campaign_or_404
from campaign.models import Campaign, PrivacyPolicy, Subscriber, home_campaign
from campaign.share_image import draw_share_card, share_card
from campaign.shared_pages import mark_shared, shared_pages_version
from campaign.stats import cached_public_counts
from campaign.subscriptions import unsubscribe
from config.celery import app as celery_app
from config.crosssite import posted_from_this_site
from config.ratelimits import limit_per_client, limit_per_email
from requests_app import tokens
from requests_app.campaign_setup import Availability, campaign_availability, campaign_missing_letters
from requests_app.consent import SEND_IN_MY_NAME
from requests_app.forms import DataRequestForm, ResendConfirmationForm
from requests_app.retention import retention_periods
from requests_app.submissions import Submission, SubmitResult, resend_confirmation, submit_request

# Error reports (and the debug page) show these form fields as stars.
PERSONAL_POST_FIELDS = ("first_name", "last_name", "email")

# How long the site, and after it any CDN or proxy, may serve one rendering of the campaign page.
CAMPAIGN_PAGE_SECONDS = 5
# The same for one drawing of its share image. Networks keep the image they fetched for days anyway;
# this only spares the site a redraw for each crawler of a burst.
SHARE_IMAGE_SECONDS = 60


def home(request):
    campaign = cached_content("home_campaign", home_campaign)
    if campaign is None:
        raise Http404("No campaign yet.")
    return campaign_page(request, slug=campaign.slug)


def availability_of(campaign: Campaign) -> Availability:
    """Whether the campaign takes requests now; its letters are checked once per content-cache period."""
    missing = cached_content(f"missing_letters:{campaign.pk}", partial(campaign_missing_letters, campaign=campaign))
    return campaign_availability(campaign=campaign, missing=missing)


@sensitive_post_parameters(*PERSONAL_POST_FIELDS)
@limit_per_client(group="takeback.request-form")
@limit_per_email
@csrf_exempt  # protected by posted_from_this_site instead: see config/crosssite.py
@require_http_methods(["GET", "HEAD", "POST"])
def campaign_page(request, slug):
    if request.method != "POST":
        return shared_campaign_page(request, slug=slug)
    campaign = campaign_or_404(slug)
    if not posted_from_this_site(request):
        return HttpResponseForbidden(_("This form only accepts submissions from itself."))
    availability = availability_of(campaign)
    # Lazy: only a form shown again with its errors needs its address.
    form = DataRequestForm(request.POST, campaign=campaign, action=reverse_lazy("campaign", kwargs={"slug": slug}))
    if availability == Availability.OPEN and form.is_valid():
        result = submit_form(campaign=campaign, form=form)
        if result is not None and result.created and not campaign.requires_confirmation:
            return redirect("requests_app:thanks", token=tokens.make_token(result.request, purpose=tokens.STATUS))
        return redirect("check_inbox", slug=slug)
    # The form with its errors: this visitor's own answer, never kept by any cache.
    response = _render_campaign_page(request, campaign=campaign, form=form, availability=availability, status=400)
    add_never_cache_headers(response)
    return response


def shared_campaign_page(request, *, slug: str) -> HttpResponse:
    """The campaign page as every visitor in this language sees it, rendered at most once per
    CAMPAIGN_PAGE_SECONDS by the whole site (in the shared cache), and marked so that each process
    (campaign/shared_pages.py), a CDN or a proxy may keep it for what is left of those seconds.

    Nothing on it belongs to a visitor (no CSRF token, no session, no cookie), so nothing is lost
    by serving one visitor's copy to the next. The counter on it is at most STATS_CACHE_SECONDS +
    CAMPAIGN_PAGE_SECONDS old (10 s, and up to a second more as max-age rounds up), whichever
    cache (ours, each process's, a proxy's, a browser's) answers.
    """

    def render_page() -> bytes:
        campaign = campaign_or_404(slug)
        return _render_campaign_page(
            request,
            campaign=campaign,
            form=_blank_form(campaign),
            availability=availability_of(campaign),
            status=200,
            shared_path=request.path,
        ).content

    # One copy per address (/, /en/, /en/c/<slug>/: the language switcher's link differs) and
    # language (/ follows the browser's); never per query string, which the page does not use.
    key = f"campaign-page:{shared_pages_version()}:{slug}:{get_language()}:{request.path}"
    page = _shared_copy(key=key, lifetime=CAMPAIGN_PAGE_SECONDS, render=render_page)
    return _shared_response(request, page, lifetime=CAMPAIGN_PAGE_SECONDS, content_type="text/html; charset=utf-8")


@require_safe
def campaign_share_image(request, slug):
    """The image a shared campaign link shows when the campaign has none of its own
    (campaign/share_image.py), drawn at most once per SHARE_IMAGE_SECONDS per language for the
    whole site, however many crawlers ask, and kept that long by any cache after us."""

    def draw() -> bytes:
        campaign = campaign_or_404(slug)
        return draw_share_card(share_card(campaign, cached_public_counts(campaign)))

    key = f"share-image:{shared_pages_version()}:{slug}:{get_language()}"
    image = _shared_copy(key=key, lifetime=SHARE_IMAGE_SECONDS, render=draw)
    return _shared_response(request, image, lifetime=SHARE_IMAGE_SECONDS, content_type="image/png")


def _shared_copy(*, key: str, lifetime: int, render: Callable[[], bytes]) -> "RenderedPage":
    """The copy in the shared cache under `key`, rendered now if there is none (or it expired)."""
    page = cache.get(key)
    if page is None:
        body = render()
        page = RenderedPage(body=body, etag=quote_etag(hashlib.sha256(body).hexdigest()[:32]), at=time.time())
        cache.set(key, page, lifetime)
    return page


def _shared_response(request, page: "RenderedPage", *, lifetime: int, content_type: str) -> HttpResponse:
    response = HttpResponse(page.body, content_type=content_type)
    response["ETag"] = page.etag
    mark_shared(response, rendered_at=page.at, lifetime=lifetime)
    return get_conditional_response(request, etag=page.etag, response=response)


class RenderedPage(NamedTuple):
    body: bytes
    etag: str
    at: float


def _blank_form(campaign: Campaign) -> DataRequestForm:
    return DataRequestForm(campaign=campaign, action=reverse("campaign", kwargs={"slug": campaign.slug}))


def _render_campaign_page(
    request,
    *,
    campaign: Campaign,
    form: DataRequestForm,
    availability: Availability,
    status: int,
    shared_path: str = "",
) -> HttpResponse:
    counts = cached_public_counts(campaign)
    context = {
        "campaign": campaign,
        "form": form,
        "counts": counts,
        "share_card": share_card(campaign, counts),
        "availability": availability,
        "shared_path": shared_path,
    }
    return render(request, "campaign/campaign.html", context, status=status)


def submit_form(*, campaign: Campaign, form: DataRequestForm) -> SubmitResult | None:
    """Submit a valid form (the campaign page's and the embedded one). None for a bot that filled
    the honeypot: it is shown the same page as anyone, and nothing is saved."""
    if form.is_bot():
        return None
    return submit_request(
        campaign=campaign,
        submission=Submission(
            supporter=form.supporter(),
            language=get_language(),
            wants_updates=form.cleaned_data["wants_updates"],
            wants_reminder=form.cleaned_data["wants_reminder"],
            consent_text=str(SEND_IN_MY_NAME),
            source=form.cleaned_data["source"],
        ),
    )


def check_inbox(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    return render(request, "campaign/check_inbox.html", {"campaign": campaign})


@sensitive_post_parameters(*PERSONAL_POST_FIELDS)
@limit_per_client(group="takeback.resend-form")
@limit_per_email
def resend(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resend_confirmation(campaign=campaign, email=form.cleaned_data["email"])
        return redirect("check_inbox", slug=slug)
    return render(request, "campaign/resend.html", {"campaign": campaign, "form": form})


def privacy(request):
    return render(
        request, "campaign/privacy.html", {"policy": PrivacyPolicy.current(), "retention": retention_periods()}
    )


def campaign_privacy(request, slug):
    """The policy with the organisation(s) this campaign's letters go to: where its form links."""
    campaign = campaign_or_404(slug)
    return render(
        request,
        "campaign/privacy.html",
        {"policy": PrivacyPolicy.current(), "retention": retention_periods(campaign=campaign), "campaign": campaign},
    )


def privacy_version(request, version):
    """A published version as people agreed to it, at an address that never changes."""
    policy = get_object_or_404(PrivacyPolicy, version=version, published_at__lte=timezone.now())
    return render(request, "campaign/privacy_version.html", {"policy": policy, "current": PrivacyPolicy.current()})


@never_cache  # a signed link's page: Cache-Control private, no-store
@csrf_exempt  # the one-click POST (RFC 8058) carries no CSRF token: the signed token authorises it
@limit_per_client(group="takeback.unsubscribe")
@require_http_methods(["GET", "POST"])
def unsubscribe_page(request, token):
    """GET asks; only the button's POST removes the subscriber, so a mail scanner that opens the
    link unsubscribes nobody. The POST needs no CSRF token: the signed token in the URL is the
    authority, and a mail client's RFC 8058 one-click POST (List-Unsubscribe=One-Click) has none."""
    try:
        subscriber_id = tokens.read_token(token, purpose=tokens.UNSUBSCRIBE)
    except tokens.TokenInvalid as error:
        raise Http404("This link is not valid.") from error
    if request.method == "POST":
        unsubscribe(subscriber_id=subscriber_id)
        return redirect("unsubscribe", token=token)
    subscriber = Subscriber.objects.select_related("campaign").filter(pk=subscriber_id).first()
    return render(request, "campaign/unsubscribe.html", {"subscriber": subscriber})


@require_GET
def media(request, path):
    """Campaign images uploaded in the admin (only files under MEDIA_ROOT: `serve` refuses "..").
    Behind a proxy in production, let it serve MEDIA_ROOT at MEDIA_URL instead (README)."""
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    response["Cache-Control"] = "public, max-age=3600"
    return response


def rate_limited(request, exception):
    """RATELIMIT_VIEW: the friendly page for a visitor who hit a rate limit."""
    return render(request, "429.html", status=429)


@require_GET
def healthz(request):
    state = {"database": "ok", "broker": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        state["database"] = "unavailable"
    try:
        with celery_app.connection_for_write() as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except (OperationalError, OSError):
        # The site keeps accepting submissions without the broker; the sweeper catches up.
        state["broker"] = "unavailable"
    return JsonResponse(state, status=200 if state["database"] == "ok" else 503)
