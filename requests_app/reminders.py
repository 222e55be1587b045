"""The hourly follow-up: deadlines pass, open requests become "no answer", and supporters who
asked for it get their one reminder (one more only after an extension they told us about)."""

import datetime
import logging
import smtplib
from dataclasses import dataclass

from anymail.exceptions import AnymailRequestsAPIError
from django.db.models import QuerySet
from django.utils import timezone

from requests_app import emails
from requests_app.followup import (
    REPORTABLE_OUTCOMES,
    mark_overdue_requests,
    outcome_refusal,
    request_timeline,
    schedule_follow_ups,
)
from requests_app.models import LETTER_WENT_OUT, DataRequest, Outcome
from requests_app.queueing import SEND_REMINDER, publish

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


@dataclass(frozen=True)
class FollowUpReport:
    scheduled: int
    marked_no_answer: int
    reminders_queued: int


def run_follow_up(*, now: datetime.datetime | None = None) -> FollowUpReport:
    now = now or timezone.now()
    scheduled = schedule_follow_ups(now=now)
    marked = mark_overdue_requests(now=now)
    queued = [pk for pk in due_reminders(now=now).values_list("pk", flat=True) if publish(SEND_REMINDER, pk)]
    if scheduled or marked or queued:
        logger.info(
            "Follow-up: %d deadlines set, %d requests past their deadline, %d reminders queued",
            scheduled,
            marked,
            len(queued),
        )
    return FollowUpReport(scheduled, marked, len(queued))


def due_reminders(*, now: datetime.datetime) -> QuerySet[DataRequest]:
    """Requests whose supporter asked for the reminder, the day after the deadline that applies,
    while no answer is known. An erased request has no address left to write to."""
    return DataRequest.objects.filter(
        wants_reminder=True,
        reminder_sent_at__isnull=True,
        follow_up_due_on__lte=timezone.localdate(now),
        outcome=Outcome.NO_ANSWER,
        status__in=LETTER_WENT_OUT,
    ).exclude(email="")


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
        emails.send_reminder_email(request, timeline=timeline, answers=answers)
    except NOT_SENT_ERRORS as error:
        DataRequest.objects.filter(pk=request_id, reminder_sent_at=now).update(reminder_sent_at=None)
        logger.warning(
            "Reminder for request %s not sent; the next run tries again (%s)", request_id, type(error).__name__
        )
        return False
    logger.info("Reminder for request %s sent", request_id)
    return True
