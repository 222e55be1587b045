from dataclasses import dataclass

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_ratelimit import ALL

from campaign.subscriptions import subscription_for, unsubscribe_path
from config.ratelimits import limit_per_client, limit_per_link
from requests_app import tokens
from requests_app.complaints import complaint_available
from requests_app.evidence import build_evidence_pack, evidence_available
from requests_app.followup import Timeline, outcomes_to_offer, request_timeline
from requests_app.identity import identity_reply
from requests_app.models import DataRequest, Status
from requests_app.retention import Deletion, delete_supporter_data
from requests_app.sending import retry_failed_letter
from requests_app.submissions import confirm_request, submission_requests


def request_from_token(token: str, *, purpose: str, **read_options) -> DataRequest:
    """The request a signed link names, or 404 for a forged or mangled link (the follow-up pages
    and the embedded thanks page use it too). A link lives as long as the data it leads to: once
    the request is deleted, or its personal data erased, it opens nothing."""
    try:
        request_id = tokens.read_token(token, purpose=purpose, **read_options)
    except tokens.TokenInvalid as error:
        raise Http404("This link is not valid.") from error
    data_request = get_object_or_404(DataRequest.objects.select_related("campaign", "target"), pk=request_id)
    if data_request.personal_data_erased_at is not None:
        raise Http404("This link has expired with the data it led to.")
    return data_request


@never_cache  # every page a signed link opens: Cache-Control private, no-store
@limit_per_link(group="takeback.confirm", method=ALL)
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows the letter; only the button's POST sends it, so a mail scanner that opens the
    link confirms nothing."""
    try:
        data_request = request_from_token(token, purpose=tokens.CONFIRM, max_age=tokens.confirmation_max_age())
    except tokens.TokenExpired:
        return render(
            request, "requests_app/confirm_expired.html", {"link_days": settings.CONFIRMATION_LINK_DAYS}, status=410
        )
    except Http404:
        return request_gone(request)
    status_token = tokens.make_token(data_request, purpose=tokens.STATUS)
    # One link, one button for every letter of the submission (one per target).
    letters = submission_requests(data_request)
    if not any(letter.status == Status.AWAITING_CONFIRMATION for letter in letters):
        return redirect("requests_app:status", token=status_token)
    if request.method == "POST":
        confirm_request(data_request)
        return redirect("requests_app:thanks", token=status_token)
    return render(
        request,
        "requests_app/confirm.html",
        {
            "data_request": data_request,
            "letters": letters,
            "status_token": status_token,
            "unconfirmed_days": settings.UNCONFIRMED_RETENTION_DAYS,
        },
    )


@limit_per_client(group="takeback.retry")
@require_http_methods(["POST"])
def retry(request, token):
    """The status page's "try again" for letters that failed for good; the page then says they are queued."""
    try:
        data_request = request_from_token(token, purpose=tokens.STATUS)
    except Http404:
        return request_gone(request)
    for letter in submission_requests(data_request):
        retry_failed_letter(letter)
    return redirect("requests_app:status", token=token)


def request_gone(request):
    """A link to a request that no longer exists (deleted, withdrawn, never confirmed) or that was
    never ours: a page in the visitor's language that says what may have happened."""
    return render(
        request, "requests_app/request_gone.html", {"unconfirmed_days": settings.UNCONFIRMED_RETENTION_DAYS}, status=404
    )


@never_cache
def thanks(request, token):
    try:
        data_request = request_from_token(token, purpose=tokens.STATUS)
    except Http404:
        return request_gone(request)
    letters = submission_requests(data_request)
    return render(
        request,
        "requests_app/thanks.html",
        {
            "data_request": data_request,
            "target_names": get_text_list([letter.target.name for letter in letters], _("and")),
            "letters": letters,
            "sent": all(letter.sent_at for letter in letters),
            "campaign": data_request.campaign,
            "status_token": token,
            "unsubscribe_path": _unsubscribe_path_for(data_request),
            # The public address, never the Host header this request happened to carry.
            "site_url": settings.SITE_URL,
        },
    )


@dataclass(frozen=True)
class LetterSection:
    """One letter of the submission on the status page: its state, deadline and follow-up links."""

    data_request: DataRequest
    timeline: Timeline
    # Signed links of this letter: its complaint (status purpose) and its one-click answers.
    status_token: str
    answer_token: str
    answers: list[str]
    complaint_available: bool
    # The ready reply for when the target asks the supporter to verify their identity ("" where none).
    identity_reply: str
    # The letter went out and its data is still here: its evidence PDF can be downloaded.
    evidence_available: bool
    # Suffix of the section's element ids: none for the first letter, "-2", "-3"... after it.
    id_suffix: str


@never_cache
def status(request, token):
    """The submission on a signed link to any of its letters: one section per target."""
    try:
        data_request = request_from_token(token, purpose=tokens.STATUS)
    except Http404:
        return request_gone(request)
    sections = [
        _letter_section(letter, position=position, status_token=token if letter.pk == data_request.pk else None)
        for position, letter in enumerate(submission_requests(data_request))
    ]
    return render(
        request,
        "requests_app/status.html",
        {
            "data_request": data_request,
            "sections": sections,
            "token": token,
            "evidence_available": any(section.evidence_available for section in sections),
            "unsubscribe_path": _unsubscribe_path_for(data_request),
        },
    )


def _letter_section(letter: DataRequest, *, position: int, status_token: str | None = None) -> LetterSection:
    """One letter's section; the letter the link names keeps the link's own token, so its complaint
    link is the one the supporter's emails already carry."""
    timeline = request_timeline(letter)
    return LetterSection(
        data_request=letter,
        timeline=timeline,
        status_token=status_token or tokens.make_token(letter, purpose=tokens.STATUS),
        # The one-click answers about what the target did, and the complaint once it is due.
        answer_token=tokens.make_token(letter, purpose=tokens.ANSWER),
        answers=outcomes_to_offer(letter, timeline=timeline),
        complaint_available=complaint_available(letter, timeline=timeline),
        identity_reply=identity_reply(letter, timeline=timeline, language=get_language()),
        evidence_available=evidence_available(letter),
        id_suffix=f"-{position + 1}" if position else "",
    )


def evidence_pack(request, token):
    """The evidence PDF, built for this download and not kept."""
    data_request = request_from_token(token, purpose=tokens.STATUS)
    if not evidence_available(data_request):
        raise Http404("No letter went out for this request, or its data was erased.")
    response = HttpResponse(build_evidence_pack(data_request), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="takeback-evidence.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _unsubscribe_path_for(data_request: DataRequest) -> str:
    subscriber = subscription_for(campaign_id=data_request.campaign_id, email=data_request.email)
    return unsubscribe_path(subscriber) if subscriber else ""


@never_cache
@limit_per_link(group="takeback.delete-my-data")
@require_http_methods(["GET", "POST"])
def delete_my_data(request, token):
    """ "Delete my data now", linked from the status page and every email. GET asks; the button's
    POST deletes, so a mail scanner that opens the link deletes nothing."""
    try:
        request_id = tokens.read_token(token, purpose=tokens.STATUS)
    except tokens.TokenInvalid as error:
        raise Http404("This link is not valid.") from error
    data_request = DataRequest.objects.select_related("campaign").filter(pk=request_id).first()
    if data_request is None or data_request.personal_data_erased_at is not None:
        # Deleted or erased already (by the supporter or by retention): nothing is left to delete.
        return render(request, "requests_app/deleted.html", status=410)
    if request.method == "POST":
        deletion = delete_supporter_data(data_request)
        if deletion in (Deletion.DELETED, Deletion.ERASED):
            # The status link ends with the data: the page that says it is gone is the last one.
            return redirect("requests_app:deleted")
    else:
        deletion = None
    return render(
        request,
        "requests_app/delete.html",
        {
            "data_request": data_request,
            "letters": submission_requests(data_request),
            "token": token,
            "in_flight": deletion == Deletion.IN_FLIGHT,
            "evidence_available": evidence_available(data_request),
        },
        status=409 if deletion == Deletion.IN_FLIGHT else 200,
    )


def deleted(request):
    return render(request, "requests_app/deleted.html")
