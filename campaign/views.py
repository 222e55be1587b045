from functools import partial

from django.db import connection
from django.db.utils import DatabaseError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods
from kombu.exceptions import OperationalError

from campaign.content_cache import cached_content, campaign_or_404
from campaign.models import Campaign, PrivacyPolicy, Subscriber, home_campaign
from campaign.stats import cached_public_counts
from campaign.subscriptions import unsubscribe
from config.celery import app as celery_app
from config.ratelimits import limit_per_client, limit_per_email
from requests_app import tokens
from requests_app.campaign_setup import Availability, campaign_availability, campaign_missing_letters
from requests_app.consent import SEND_IN_MY_NAME
from requests_app.forms import DataRequestForm, ResendConfirmationForm
from requests_app.retention import retention_periods
from requests_app.submissions import Submission, SubmitResult, resend_confirmation, submit_request

# Error reports (and the debug page) show these form fields as stars.
PERSONAL_POST_FIELDS = ("first_name", "last_name", "email")


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
def campaign_page(request, slug):
    campaign = campaign_or_404(slug)
    availability = availability_of(campaign)
    form = DataRequestForm(request.POST or None, campaign=campaign, action=reverse("campaign", kwargs={"slug": slug}))
    if request.method == "POST" and availability == Availability.OPEN and form.is_valid():
        result = submit_form(campaign=campaign, form=form)
        if result is not None and result.created and not campaign.requires_confirmation:
            return redirect("requests_app:thanks", token=tokens.make_token(result.request, purpose=tokens.STATUS))
        return redirect("check_inbox", slug=slug)
    return render(
        request,
        "campaign/campaign.html",
        {"campaign": campaign, "form": form, "counts": cached_public_counts(campaign), "availability": availability},
        status=400 if form.is_bound else 200,
    )


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


@csrf_exempt
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
