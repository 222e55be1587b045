"""The sweeper: finds requests the queue lost and puts them back, or sets them aside for review."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from requests_app.lifecycle import change_status
from requests_app.models import DataRequest, Status
from requests_app.queueing import SEND_FIRST_CONFIRMATION, SEND_LETTER, publish
from requests_app.supporter_emails import confirmations_to_resend

logger = logging.getLogger(__name__)

# A job queued less than this long ago may still be on its way; leave it alone.
GRACE = datetime.timedelta(seconds=30)
BATCH = 500


@dataclass(frozen=True)
class SweepReport:
    letters_requeued: int
    confirmations_requeued: int
    set_aside_for_review: int


def sweep_requests(*, now: datetime.datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    due = DataRequest.objects.filter(Q(not_before__isnull=True) | Q(not_before__lte=now - GRACE), status=Status.QUEUED)
    letters = [
        pk for pk in due.order_by("not_before", "pk").values_list("pk", flat=True)[:BATCH] if publish(SEND_LETTER, pk)
    ]

    # One confirmation email per submission, its first letter's, and only while attempts remain and
    # the backoff has passed (requests_app/supporter_emails.py). The job claims the row before
    # sending, so a second sweeper (a second beat started by mistake) sends nothing twice.
    unconfirmed = confirmations_to_resend(now=now, grace=GRACE)
    confirmations = [
        pk for pk in unconfirmed.values_list("pk", flat=True)[:BATCH] if publish(SEND_FIRST_CONFIRMATION, pk)
    ]

    # A request still "sending" after the lease may or may not have left: a person decides, since
    # sending blindly could send it twice.
    stale = DataRequest.objects.filter(
        status=Status.SENDING, claimed_at__lte=now - datetime.timedelta(seconds=settings.SEND_LEASE_SECONDS)
    )
    reviewed = 0
    for request in stale[:BATCH]:
        reviewed += change_status(
            request,
            source=Status.SENDING,
            target=Status.NEEDS_REVIEW,
            failure_reason="The worker stopped while sending; check the mail logs before requeueing.",
        )
    if letters or confirmations or reviewed:
        logger.info(
            "Sweep: %d letters requeued, %d confirmations requeued, %d set aside for review",
            len(letters),
            len(confirmations),
            reviewed,
        )
    return SweepReport(len(letters), len(confirmations), reviewed)
