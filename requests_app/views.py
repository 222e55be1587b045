from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from requests_app import tokens
from requests_app.complaints import complaint_available
from requests_app.followup import outcomes_to_offer, request_timeline
from requests_app.models import DataRequest, Status
from requests_app.submissions import confirm_request


def _request_from_token(token: str, *, purpose: str, **read_options) -> DataRequest:
    try:
        request_id = tokens.read_token(token, purpose=purpose, **read_options)
    except tokens.TokenInvalid as error:
        raise Http404("This link is not valid.") from error
    return get_object_or_404(DataRequest.objects.select_related("campaign", "target"), pk=request_id)


@require_http_methods(["GET", "POST"])
def confirm(request, token):
    """GET shows the letter; only the button's POST sends it, so a mail scanner that opens the
    link confirms nothing."""
    try:
        data_request = _request_from_token(token, purpose=tokens.CONFIRM, max_age=tokens.confirmation_max_age())
    except tokens.TokenExpired:
        return render(request, "requests_app/confirm_expired.html", status=410)
    status_token = tokens.make_token(data_request, purpose=tokens.STATUS)
    if data_request.status != Status.AWAITING_CONFIRMATION:
        return redirect("requests_app:status", token=status_token)
    if request.method == "POST":
        confirm_request(data_request)
        return redirect("requests_app:thanks", token=status_token)
    return render(request, "requests_app/confirm.html", {"data_request": data_request})


def thanks(request, token):
    data_request = _request_from_token(token, purpose=tokens.STATUS)
    return render(
        request,
        "requests_app/thanks.html",
        {"data_request": data_request, "campaign": data_request.campaign, "status_token": token},
    )


def status(request, token):
    data_request = _request_from_token(token, purpose=tokens.STATUS)
    timeline = request_timeline(data_request)
    return render(
        request,
        "requests_app/status.html",
        {
            "data_request": data_request,
            "timeline": timeline,
            "token": token,
            # The one-click answers about what the target did, and the complaint once it is due.
            "answer_token": tokens.make_token(data_request, purpose=tokens.ANSWER),
            "answers": outcomes_to_offer(data_request, timeline=timeline),
            "complaint_available": complaint_available(data_request, timeline=timeline),
        },
    )
