"""The one reminder, for supporters who asked for it (one more only after an extension they told
us about); requests_app.followup decides when it is due."""

import datetime
import logging
import smtplib

from anymail.exceptions import AnymailRequestsAPIError
from django.utils import timezone

from requests_app import emails
from requests_app.followup import REPORTABLE_OUTCOMES, due_reminders, outcome_refusal, request_timeline
from requests_app.models import DataRequest

logger = logging.getLogger(__name__)

# Failures after which the reminder surely did not leave: the claim is released and the next
# hourly run tries again. Anything else keeps the claim, so a reminder is never sent twice.
NOT_SENT_ERRORS = (
    smtplib.SMTPConnectError,
    smtplib.SMTPServerDisconnected,
    ConnectionError,
    TimeoutError,
    AnymailRequestsAPIError,
)


def send_reminder(*, request_id: int, now: datetime.datetime | None = None) -> bool:
    """Send the reminder if it is still due. The conditional UPDATE on reminder_sent_at is the
    claim: of two workers, or two hourly runs, only one sends it."""
    now = now or timezone.now()
    if not due_reminders(now=now).filter(pk=request_id).update(reminder_sent_at=now):
        return False
    request = DataRequest.objects.select_related("campaign", "target").get(pk=request_id)
    timeline = request_timeline(request, now=now)
    answers = [
        outcome
        for outcome in REPORTABLE_OUTCOMES
        if outcome == request.outcome or outcome_refusal(request, outcome=outcome, timeline=timeline) is None
    ]
    try:
        if not emails.send_reminder_email(request, timeline=timeline, answers=answers):
            # The address marked one of our emails as spam: the claim stays, nothing is sent.
            return False
    except NOT_SENT_ERRORS as error:
        DataRequest.objects.filter(pk=request_id, reminder_sent_at=now).update(reminder_sent_at=None)
        logger.warning(
            "Reminder for request %s not sent; the next run tries again (%s)", request_id, type(error).__name__
        )
        return False
    logger.info("Reminder for request %s sent", request_id)
    return True


def stop_reminders(*, request_id: int) -> bool:
    """The reminder's one-click unsubscribe: no further reminder for this request. False when
    none was to come."""
    return bool(DataRequest.objects.filter(pk=request_id, wants_reminder=True).update(wants_reminder=False))


def stop_reminders_for_address(*, email: str) -> int:
    """No further reminder for any request from this address; how many were to come."""
    if not email:
        return 0
    return DataRequest.objects.filter(email__iexact=email, wants_reminder=True).update(wants_reminder=False)
