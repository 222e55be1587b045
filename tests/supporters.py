"""Supporters' requests put into each state through the real services (no worker, mail to memory)."""

import datetime

from django.utils import timezone

from campaign.models import Target
from requests_app.consent import SEND_IN_MY_NAME
from requests_app.letters import Supporter
from requests_app.models import DataRequest, RequestKind
from requests_app.sending import SendResult, send_letter
from requests_app.submissions import Submission, confirm_request, submit_request


def submitted(
    campaign,
    *,
    email: str = "jeanne.tremblay@example.org",
    first_name: str = "Jeanne",
    last_name: str = "Tremblay",
    wants_updates: bool = False,
    language: str = "en",
    jurisdiction: str = "CA-ON",
) -> DataRequest:
    supporter = Supporter(
        first_name=first_name,
        last_name=last_name,
        email=email,
        jurisdiction=jurisdiction,
        kind=RequestKind.ACCESS_AND_DELETION,
    )
    submission = Submission(
        supporter=supporter,
        language=language,
        wants_updates=wants_updates,
        wants_reminder=False,
        consent_text=str(SEND_IN_MY_NAME),
    )
    return submit_request(campaign=campaign, submission=submission).request


def confirmed(campaign, **supporter) -> DataRequest:
    request = submitted(campaign, **supporter)
    assert confirm_request(request)
    request.refresh_from_db()
    return request


def several_confirmed(campaign, count: int, *, prefix: str = "supporter") -> list[DataRequest]:
    """`count` confirmed requests from different addresses, oldest first."""
    return [confirmed(campaign, email=f"{prefix}{number}@example.org") for number in range(count)]


def sent(campaign, **supporter) -> DataRequest:
    request = confirmed(campaign, **supporter)
    # The drip would hold a second letter to the same inbox back; these tests are not about it.
    Target.objects.filter(pk=request.target_id).update(next_send_slot=timezone.now() - datetime.timedelta(minutes=1))
    assert send_letter(request_id=request.pk).result == SendResult.SENT
    request.refresh_from_db()
    return request


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)
