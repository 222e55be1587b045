"""Sending the supporter's own emails (the confirmation, "you already took part") a bounded number
of times: exponential backoff with jitter between attempts (sending.retry_delay), and a last attempt
after TAKEBACK_MAX_SEND_ATTEMPTS or at once for a permanent refusal (SMTP 5xx, provider 4xx).

While a request awaits confirmation, its sending fields count the confirmation emails: `attempts`
tried so far (MAX_SEND_ATTEMPTS once given up), `not_before` the next try, `failure_reason` the last
refusal. Confirming starts them afresh for the letter. The sweeper re-sends a lost confirmation only
while attempts remain and its time has come; the supporter asking again ("send the link again", the
form) starts a fresh series (submissions.ask_again_for_confirmation), which the per-address rate
limit bounds.
"""

import datetime
import logging

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from requests_app import emails
from requests_app.models import DataRequest, Status
from requests_app.queueing import SEND_FIRST_CONFIRMATION, publish
from requests_app.sending import LONGEST_COUNTDOWN_SECONDS, MAIL_ERRORS, as_send_error, retry_delay, without_addresses
from requests_app.signals import confirmation_failed

logger = logging.getLogger(__name__)


def send_confirmation(*, request_id: int) -> bool:
    """Send the confirmation link if the request still awaits it; False when it did not go."""
    request = DataRequest.objects.select_related("campaign", "target").filter(pk=request_id).first()
    # Gone (deleted) or already confirmed: nothing to confirm.
    if request is None or request.status != Status.AWAITING_CONFIRMATION:
        return False
    try:
        emails.send_confirmation_email(request)
    except MAIL_ERRORS as error:
        _confirmation_not_sent(request, error)
        return False
    now = timezone.now()
    # The link confirms every letter of the submission: none of them expires before it.
    DataRequest.objects.filter(submission_id=request.submission_id).update(confirmation_sent_at=now)
    DataRequest.objects.filter(pk=request_id, status=Status.AWAITING_CONFIRMATION).update(
        attempts=0, not_before=None, failure_reason=""
    )
    return True


def send_first_confirmation(*, request_id: int) -> bool:
    """Send a submission's confirmation link once however often the job is queued. The conditional
    UPDATE on confirmation_sent_at is the claim: the job queued at submission, a retry, and every copy
    the sweeper queued (two sweepers, a worker that was down while they ran) send one email between
    them. When it does not go, the claim is released, and the attempts and backoff send_confirmation
    recorded decide when the next try comes."""
    now = timezone.now()
    unsent = DataRequest.objects.filter(
        pk=request_id, status=Status.AWAITING_CONFIRMATION, confirmation_sent_at__isnull=True
    )
    if not unsent.update(confirmation_sent_at=now):
        return False
    sent = send_confirmation(request_id=request_id)
    if not sent:
        DataRequest.objects.filter(pk=request_id, confirmation_sent_at=now).update(confirmation_sent_at=None)
    return sent


def _confirmation_not_sent(request: DataRequest, error: Exception) -> None:
    send_error = as_send_error(error)
    reason = f"confirmation email: {without_addresses(send_error.reason)}"[:500]
    attempt = request.attempts + 1
    last = not send_error.transient or attempt >= settings.MAX_SEND_ATTEMPTS
    retry_at = None if last else timezone.now() + datetime.timedelta(seconds=retry_delay(attempt=attempt))
    DataRequest.objects.filter(pk=request.pk, status=Status.AWAITING_CONFIRMATION).update(
        attempts=settings.MAX_SEND_ATTEMPTS if last else attempt, not_before=retry_at, failure_reason=reason
    )
    if last:
        logger.warning(
            "Confirmation email for request %s not sent, no further attempt: %s", request.pk, reason, exc_info=error
        )
        confirmation_failed.send(sender=DataRequest, request=request, reason=reason)
        return
    logger.info("Confirmation email for request %s will be retried: %s", request.pk, reason)
    wait = (retry_at - timezone.now()).total_seconds()
    if wait <= LONGEST_COUNTDOWN_SECONDS:
        publish(SEND_FIRST_CONFIRMATION, request.pk, countdown=max(wait, 0))


def confirmations_to_resend(*, now: datetime.datetime, grace: datetime.timedelta):
    """Submissions whose confirmation email was lost or is due again, for the sweeper: one per
    submission, its first letter's (the one that counts the supporter)."""
    return DataRequest.objects.filter(
        Q(not_before__isnull=True) | Q(not_before__lte=now - grace),
        status=Status.AWAITING_CONFIRMATION,
        confirmation_sent_at__isnull=True,
        created_at__lte=now - grace,
        counts_supporter=True,
        attempts__lt=settings.MAX_SEND_ATTEMPTS,
    )


def send_already_submitted(*, request_id: int, attempt: int) -> float | None:
    """The "you already took part" email. Returns the seconds to wait before the next attempt
    when this one failed and another may help; None when it went or no further attempt is due."""
    request = DataRequest.objects.select_related("campaign").filter(pk=request_id).first()
    # Erased or deleted since: there is no address to write to.
    if request is None or not request.email:
        return None
    try:
        emails.send_already_submitted_email(request)
    except MAIL_ERRORS as error:
        send_error = as_send_error(error)
        reason = without_addresses(send_error.reason)
        if not send_error.transient or attempt >= settings.MAX_SEND_ATTEMPTS:
            logger.warning(
                "Already-submitted email for request %s not sent, no further attempt: %s", request_id, reason
            )
            return None
        logger.info("Already-submitted email for request %s will be retried: %s", request_id, reason)
        return retry_delay(attempt=attempt)
    return None
