"""The supporter's follow-up pages: report what the target did, and the complaint to the regulator."""

import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from config.ratelimits import limit_per_client
from requests_app import tokens
from requests_app.complaints import (
    CompanyStepNotRecorded,
    build_complaint,
    build_complaints,
    complaint_available,
    complaint_kinds,
    complaint_languages,
    record_company_step,
)
from requests_app.followup import (
    COMPLAINT_OUTCOMES,
    REPORTABLE_OUTCOMES,
    OutcomeNotAllowed,
    asks_when_answered,
    outcome_refusal,
    report_outcome,
    request_timeline,
)
from requests_app.models import DataRequest, Outcome
from requests_app.reminders import stop_reminders
from requests_app.views import request_from_token

TIMING_CHOICES = {"in_time": True, "late": False}


def _after_answer(data_request: DataRequest, *, outcome: str):
    status_token = tokens.make_token(data_request, purpose=tokens.STATUS)
    timeline = request_timeline(data_request)
    if outcome in COMPLAINT_OUTCOMES and complaint_available(data_request, timeline=timeline):
        return redirect("requests_app:complaint", token=status_token)
    if outcome == Outcome.VERIFICATION:
        # The status page holds the ready reply.
        return redirect(reverse("requests_app:status", kwargs={"token": status_token}) + "#identity-reply")
    return redirect("requests_app:status", token=status_token)


def _date_from(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request, token, outcome):
    """GET shows the answer and a button; only the POST records it, so a mail scanner following
    the reminder's links records nothing."""
    data_request = request_from_token(token, purpose=tokens.ANSWER)
    if outcome not in REPORTABLE_OUTCOMES:
        raise Http404("No such answer.")
    if data_request.outcome == outcome:
        return _after_answer(data_request, outcome=outcome)
    timeline = request_timeline(data_request)
    reason = outcome_refusal(data_request, outcome=outcome, timeline=timeline)
    asks_when = asks_when_answered(data_request, outcome=outcome, timeline=timeline)
    if request.method == "POST" and reason is None:
        timing = request.POST.get("timing")
        asked_on = _date_from(request.POST.get("asked_on"))
        if asks_when and timing not in TIMING_CHOICES:
            reason = "timing"
        else:
            try:
                report_outcome(
                    data_request,
                    outcome=outcome,
                    answered_in_time=TIMING_CHOICES.get(timing),
                    identity_requested_on=asked_on,
                )
            except OutcomeNotAllowed as error:
                reason = error.reason
            else:
                return _after_answer(data_request, outcome=outcome)
    return render(
        request,
        "requests_app/answer.html",
        {
            "data_request": data_request,
            "outcome": outcome,
            "timeline": timeline,
            "reason": reason,
            "asks_when": asks_when,
            "today": timeline.today,
            "status_token": tokens.make_token(data_request, purpose=tokens.STATUS),
        },
        status=409 if reason else 200,
    )


def _complaint_request(token: str) -> tuple[DataRequest, bool]:
    data_request = request_from_token(token, purpose=tokens.STATUS)
    return data_request, complaint_available(data_request, timeline=request_timeline(data_request))


@never_cache
def complaint(request, token):
    data_request, available = _complaint_request(token)
    if not available:
        return redirect("requests_app:status", token=token)
    return _complaint_page(request, data_request, token=token)


def _complaint_page(request, data_request: DataRequest, *, token: str, company_step_error: str = ""):
    timeline = request_timeline(data_request)
    return render(
        request,
        "requests_app/complaint.html",
        {
            "data_request": data_request,
            "complaints": build_complaints(data_request, language=get_language()),
            "today": timeline.today,
            "sent_on": timeline.sent_on,
            "token": token,
            "company_step_error": company_step_error,
        },
        status=400 if company_step_error else 200,
    )


@never_cache
@limit_per_client(group="takeback.company-step")
@require_http_methods(["POST"])
def company_step(request, token):
    """The complaint page's "I sent it to the company on <date>": the regulator's step is then
    counted from that day. A bad date shows the page again with the error and changes nothing."""
    data_request, available = _complaint_request(token)
    if not available:
        return redirect("requests_app:status", token=token)
    try:
        record_company_step(data_request, taken_on=_date_from(request.POST.get("taken_on")))
    except CompanyStepNotRecorded as error:
        if error.reason == "no_step":
            raise Http404("No step to the company here.") from error
        return _complaint_page(request, data_request, token=token, company_step_error=error.reason)
    return redirect(reverse("requests_app:complaint", kwargs={"token": token}) + "#company-step")


@never_cache
def complaint_download(request, token, kind):
    data_request, available = _complaint_request(token)
    if not available or kind not in complaint_kinds(data_request):
        raise Http404("No complaint here.")
    # ?language=pt for Brazil's complaint in Portuguese; the page's language otherwise.
    language = request.GET.get("language", get_language())
    if language not in complaint_languages(data_request):
        raise Http404("No complaint in this language.")
    complaint = build_complaint(data_request, kind=kind, language=language)
    return HttpResponse(
        complaint.text,
        content_type="text/plain; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{complaint.filename}"'},
    )


@csrf_exempt
@limit_per_client(group="takeback.stop-reminders")
@require_http_methods(["GET", "POST"])
def stop_reminders_page(request, token):
    """The reminder's List-Unsubscribe link. GET asks; the POST (the button, or a mail client's
    RFC 8058 one-click POST, which carries no CSRF token: the signed token is the authority)
    stops the reminders for this request."""
    data_request = request_from_token(token, purpose=tokens.STOP_REMINDERS)
    if request.method == "POST":
        stop_reminders(request_id=data_request.pk)
        data_request.refresh_from_db(fields=["wants_reminder"])
    return render(request, "requests_app/stop_reminders.html", {"data_request": data_request})
