from django.db import connection
from django.db.utils import DatabaseError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from kombu.exceptions import OperationalError

from campaign.celery import app as celery_app
from campaign.content_cache import campaign_or_404
from campaign.models import Campaign, PrivacyPolicy
from campaign.stats import public_counts
from requests_app import tokens
from requests_app.consent import SEND_IN_MY_NAME
from requests_app.forms import DataRequestForm, ResendConfirmationForm
from requests_app.submissions import Submission, resend_confirmation, submit_request

DEFAULT_CAMPAIGN = "clearview"


def home(request):
    return campaign_page(request, slug=DEFAULT_CAMPAIGN)


def campaign_page(request, slug):
    campaign = campaign_or_404(slug)
    form = DataRequestForm(request.POST or None, action=reverse("campaign", kwargs={"slug": slug}))
    if request.method == "POST" and campaign.is_open() and form.is_valid():
        if form.is_bot():
            return redirect("check_inbox", slug=slug)
        result = submit_request(
            campaign=campaign,
            submission=Submission(
                supporter=form.supporter(),
                language=get_language(),
                wants_updates=form.cleaned_data["wants_updates"],
                wants_reminder=form.cleaned_data["wants_reminder"],
                consent_text=str(SEND_IN_MY_NAME),
            ),
        )
        if result.created and not campaign.requires_confirmation:
            return redirect("requests_app:thanks", token=tokens.make_token(result.request, purpose=tokens.STATUS))
        return redirect("check_inbox", slug=slug)
    return render(
        request,
        "campaign/campaign.html",
        {"campaign": campaign, "form": form, "counts": public_counts(campaign)},
        status=400 if form.is_bound else 200,
    )


def check_inbox(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    return render(request, "campaign/check_inbox.html", {"campaign": campaign})


def resend(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resend_confirmation(campaign=campaign, email=form.cleaned_data["email"])
        return redirect("check_inbox", slug=slug)
    return render(request, "campaign/resend.html", {"campaign": campaign, "form": form})


def privacy(request):
    return render(request, "campaign/privacy.html", {"policy": PrivacyPolicy.current()})


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
