"""Sending one letter in the supporter's name, at most once, recording what happened, and
deciding when it goes next: the drip (a send slot per target), the backoff between attempts, and
whether the queue carries the next try or the sweeper does."""

import datetime
import enum
import logging
import random
import re
import smtplib
from dataclasses import dataclass

from anymail.exceptions import AnymailAPIError, AnymailRecipientsRefused, AnymailRequestsAPIError
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac

from campaign.models import Target
from requests_app import emails
from requests_app.lifecycle import change_status
from requests_app.mail_connection import send_on_kept_connection
from requests_app.mime import ModernEmailMessage, sending_domain
from requests_app.models import DataRequest, Status
from requests_app.queueing import SEND_LETTER, enqueue_after_commit, publish
from requests_app.replies import reply_address
from requests_app.retention import personal_data_erasure_due
from requests_app.signals import letter_failed
from requests_app.suppressions import without_suppressed

logger = logging.getLogger(__name__)

# Waits longer than this are left to the sweeper rather than held as a countdown task, which the
# broker would redeliver after its visibility timeout.
LONGEST_COUNTDOWN_SECONDS = 600


class SendResult(enum.Enum):
    SENT = "sent"
    NOT_DUE = "not_due"
    RETRY_LATER = "retry_later"
    FAILED = "failed"
    ALREADY_HANDLED = "already_handled"


@dataclass(frozen=True)
class SendOutcome:
    result: SendResult
    retry_at: datetime.datetime | None = None


class SendError(Exception):
    def __init__(self, reason: str, *, transient: bool):
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


def letter_message_id(request: DataRequest) -> str:
    """The same Message-ID on every attempt, so a resend after an uncertain failure is recognisably
    the same message to the receiving system. A keyed hash of the request: it says nothing of how
    many requests there are."""
    digest = salted_hmac("takeback.letter-message-id", str(request.pk), algorithm="sha256").hexdigest()[:32]
    return f"<letter.{digest}@{sending_domain()}>"


def build_letter_message(request: DataRequest) -> EmailMessage:
    """The letter comes From the request's own reply address on the campaign's domain, under the
    supporter's name: DMARC-aligned (the domain is ours, and signs), and a help desk that answers
    From reaches us, and so the supporter. Reply-To names the supporter first, then that address;
    the supporter is in Cc for their copy. Not marked automatic: a person asks this."""
    campaign = request.campaign
    sender = emails.campaign_sender(campaign, on_behalf_of=request.full_name, address=reply_address(request))
    subject = request.letter_subject
    recipient = request.target.privacy_email
    if campaign.test_mode:
        recipient = campaign.test_address or settings.DEFAULT_FROM_EMAIL
        subject = f"[TEST] {subject}"
    message = ModernEmailMessage(
        subject=subject,
        body=request.letter_body,
        from_email=sender,
        to=[recipient],
        # A supporter who marked one of our emails as spam gets no copy.
        cc=without_suppressed([request.email]),
        reply_to=[request.email, reply_address(request)],
        headers={"Message-ID": letter_message_id(request)},
    )
    emails.tag_message(message, kind="letter", request_id=str(request.pk))
    return message


def send_letter_and_schedule_next(*, request_id: int) -> SendOutcome:
    """Send the letter if it is due; if it must wait (its drip slot, a retry's backoff), queue the
    next try with a countdown, or leave it to the sweeper when the wait is long."""
    outcome = send_letter(request_id=request_id)
    if outcome.result in (SendResult.NOT_DUE, SendResult.RETRY_LATER):
        wait = max((outcome.retry_at - timezone.now()).total_seconds(), 0)
        if wait <= LONGEST_COUNTDOWN_SECONDS:
            publish(SEND_LETTER, request_id, countdown=wait)
    return outcome


def send_letter(*, request_id: int) -> SendOutcome:
    request = DataRequest.objects.select_related("campaign", "target").filter(pk=request_id).first()
    if request is None or request.status != Status.QUEUED:
        return SendOutcome(SendResult.ALREADY_HANDLED)
    now = timezone.now()
    if request.not_before and request.not_before > now:
        return SendOutcome(SendResult.NOT_DUE, retry_at=request.not_before)
    slot_fields = {}
    if request.send_slot is None:
        slot = reserve_send_slot(target_id=request.target_id, now=now)
        # Against the clock as it is now: waiting for the target's lock may have taken longer than
        # the drip's interval, and a slot that has come needs no second trip through the queue.
        if slot > timezone.now():
            DataRequest.objects.filter(pk=request.pk, send_slot__isnull=True).update(send_slot=slot, not_before=slot)
            return SendOutcome(SendResult.NOT_DUE, retry_at=slot)
        # A slot that has come is written by the claim itself.
        slot_fields = {"send_slot": slot, "not_before": slot}

    # Claim before acting: only the worker whose UPDATE moved the row sends.
    if not change_status(
        request,
        source=Status.QUEUED,
        target=Status.SENDING,
        claimed_at=now,
        attempts=F("attempts") + 1,
        **slot_fields,
    ):
        return SendOutcome(SendResult.ALREADY_HANDLED)
    message = build_letter_message(request)
    try:
        deliver(message)
    except SendError as error:
        return _record_failure(request, error)
    sent_at = timezone.now()
    change_status(
        request,
        source=Status.SENDING,
        target=Status.SENT,
        sent_at=sent_at,
        sent_to=message.to[0],
        # What went out, for the evidence pack, whatever the settings become.
        sent_from=message.from_email,
        sent_cc=", ".join(message.cc),
        sent_reply_to=", ".join(message.reply_to),
        sent_subject=message.subject,
        sent_message_id=message.extra_headers["Message-ID"],
        erase_after=personal_data_erasure_due(request, sent_at=sent_at),
    )
    logger.info("Letter for request %s sent", request.pk)
    return SendOutcome(SendResult.SENT)


# What a mail backend raises when a message did not go; as_send_error says whether to try again.
MAIL_ERRORS = (smtplib.SMTPException, OSError, AnymailAPIError)


def deliver(message: EmailMessage) -> None:
    """Hand the message to the mail backend; SendError says whether trying again may help."""
    try:
        send_on_kept_connection(message)
    except MAIL_ERRORS as error:
        raise as_send_error(error) from error


def as_send_error(error: Exception) -> SendError:
    """One of MAIL_ERRORS as a SendError: its reason (no addresses) and whether it is transient."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return SendError(
            f"recipients refused ({', '.join(map(str, codes))})", transient=all(400 <= c < 500 for c in codes)
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return SendError(
            f"SMTP {error.smtp_code}: {_smtp_text(error.smtp_error)}", transient=400 <= error.smtp_code < 500
        )
    if isinstance(error, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError | OSError):
        return SendError(f"connection: {type(error).__name__}", transient=True)
    if isinstance(error, AnymailRecipientsRefused):
        return SendError("provider refused every recipient", transient=False)
    if isinstance(error, AnymailRequestsAPIError):
        status = error.status_code
        transient = status is None or status == 429 or status >= 500
        return SendError(f"provider API {status or 'connection error'}", transient=transient)
    if isinstance(error, AnymailAPIError):
        # Providers reached through their own SDK (Amazon SES): no status to judge by, and the
        # attempts are bounded, so try again.
        return SendError(f"provider API error: {type(error).__name__}", transient=True)
    return SendError(f"mail error: {type(error).__name__}", transient=True)


def _record_failure(request: DataRequest, error: SendError) -> SendOutcome:
    reason = without_addresses(error.reason)[:500]
    if not error.transient or request.attempts >= settings.MAX_SEND_ATTEMPTS:
        change_status(request, source=Status.SENDING, target=Status.FAILED, failure_reason=reason)
        logger.warning("Letter for request %s failed: %s", request.pk, reason)
        # The hook for telling the supporter (an email of its own, to come): connect a receiver.
        letter_failed.send(sender=DataRequest, request=request, reason=reason)
        tell_supporter_the_letter_failed(request_id=request.pk)
        return SendOutcome(SendResult.FAILED)
    retry_at = timezone.now() + datetime.timedelta(seconds=retry_delay(attempt=request.attempts))
    change_status(request, source=Status.SENDING, target=Status.QUEUED, failure_reason=reason, not_before=retry_at)
    logger.info("Letter for request %s will be retried: %s", request.pk, reason)
    return SendOutcome(SendResult.RETRY_LATER, retry_at=retry_at)


def tell_supporter_the_letter_failed(*, request_id: int) -> bool:
    """The one email about a letter that failed for good. Claimed with a conditional UPDATE, so a
    letter requeued by an admin that fails again does not bring a second one."""
    now = timezone.now()
    if not DataRequest.objects.filter(pk=request_id, status=Status.FAILED, failure_notice_sent_at__isnull=True).update(
        failure_notice_sent_at=now
    ):
        return False
    request = DataRequest.objects.select_related("campaign", "target").get(pk=request_id)
    try:
        return emails.send_letter_failed_email(request)
    except (smtplib.SMTPException, OSError, AnymailAPIError) as error:
        # Released, so an admin's requeue that fails again can still tell them.
        DataRequest.objects.filter(pk=request_id, failure_notice_sent_at=now).update(failure_notice_sent_at=None)
        logger.warning("Failure notice for request %s not sent (%s)", request_id, type(error).__name__)
        return False


def requeue_letter(request: DataRequest) -> bool:
    """An admin's decision to try a failed (or set-aside) letter again. The Message-ID stays the
    same, so if an earlier attempt did leave, the receiving side sees the same message."""
    with transaction.atomic():
        moved = change_status(
            request, source=request.status, target=Status.QUEUED, attempts=0, not_before=timezone.now(), send_slot=None
        )
        if moved:
            enqueue_after_commit(SEND_LETTER, request.pk)
    return moved


def retry_failed_letter(request: DataRequest) -> bool:
    """The supporter's "try again" on their status page: only for a letter that failed for good. One
    set aside for review stays with the admin, since whether it left is not known."""
    if request.status != Status.FAILED:
        return False
    return requeue_letter(request)


def retry_delay(*, attempt: int) -> float:
    """Exponential backoff with full jitter, capped."""
    ceiling = min(settings.RETRY_BACKOFF_MAX_SECONDS, settings.RETRY_BACKOFF_BASE_SECONDS * 2 ** (attempt - 1))
    return random.uniform(ceiling / 2, ceiling)


def reserve_send_slot(*, target_id: int, now: datetime.datetime) -> datetime.datetime:
    """The drip: the time this letter may go out, at most `letters_per_minute` to one target."""
    with transaction.atomic():
        target = Target.objects.select_for_update().get(pk=target_id)
        slot = max(target.next_send_slot, now)
        target.next_send_slot = slot + datetime.timedelta(seconds=60 / max(target.letters_per_minute, 1))
        target.save(update_fields=["next_send_slot"])
    return slot


_ADDRESS = re.compile(r"[^\s<>@]+@[^\s<>@]+")


def without_addresses(text: str) -> str:
    # Mail servers quote the recipient in their errors; the reason is shown to admins and logged.
    return _ADDRESS.sub("<address>", text)


def _smtp_text(raw) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
