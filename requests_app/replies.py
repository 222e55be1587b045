"""Answers reach the supporter, and we keep nothing of them.

Each letter comes From an address of its own on the campaign's domain,
`reply+<reply token>@<reply domain>` (the token is random, stored on the request: it reveals
nothing and cannot be guessed), and names it in Reply-To beside the supporter's. Whatever the
target's help desk answers (From, Reply-To or reply-all), the message reaches the email
provider's inbound route and Anymail's inbound webhook. There we note that an answer arrived and
when, forward it with its attachments to the supporter (unless they already got it directly),
and drop it: its subject, body and attachments are never written anywhere.

Mail to the plain sending address, or to a reply address that names no request (mistyped,
forged, or for a request whose personal data is gone), is forwarded to the operator's mailbox
(TAKEBACK_OPERATOR_MAILBOX) rather than dropped.

Mail to TAKEBACK_UNSUBSCRIBE_MAILBOX is an unsubscribe request (the mailto in List-Unsubscribe):
it is acted on (unsubscribe_by_mail) and dropped.

Letters sent before these addresses existed Cc'd `reply+<request id>-<signature>@<domain>`;
replies to those still count.
"""

import contextlib
import datetime
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from campaign.subscriptions import unsubscribe, unsubscribe_address
from requests_app import emails, tokens
from requests_app.followup import request_timeline
from requests_app.lifecycle import change_outcome
from requests_app.models import LETTER_WENT_OUT, REPLY_TOKEN_LENGTH, DataRequest, Outcome, new_reply_token
from requests_app.reminders import stop_reminders, stop_reminders_for_address
from requests_app.suppressions import is_suppressed

logger = logging.getLogger(__name__)

_REPLY_LOCAL_PART = re.compile(rf"^reply\+([a-z0-9]{{{REPLY_TOKEN_LENGTH}}})$")
# The tracking addresses of letters sent before each letter had its own From address.
LEGACY_REPLY_PURPOSE = "takeback.reply"
_LEGACY_SIGNATURE_LENGTH = 20
_LEGACY_LOCAL_PART = re.compile(rf"^reply\+(\d+)-([0-9a-f]{{{_LEGACY_SIGNATURE_LENGTH}}})$")
# A reply to one of these moves the outcome to "answered"; after an answer or a refusal the
# supporter has said what the target did, and a further message changes nothing.
_WAITING_FOR_AN_ANSWER = {Outcome.AWAITING, Outcome.EXTENDED, Outcome.NO_ANSWER, Outcome.VERIFICATION}


def reply_domain(request: DataRequest) -> str:
    return request.campaign.reply_domain or settings.DEFAULT_FROM_EMAIL.rpartition("@")[2]


def reply_address(request: DataRequest) -> str:
    if not request.reply_token:
        # Only rows written by raw SQL have none; give one before the address is first used.
        DataRequest.objects.filter(pk=request.pk, reply_token__isnull=True).update(reply_token=new_reply_token())
        request.reply_token = DataRequest.objects.values_list("reply_token", flat=True).get(pk=request.pk)
    return f"reply+{request.reply_token}@{reply_domain(request)}"


def _legacy_signature(request_id: int) -> str:
    return salted_hmac(LEGACY_REPLY_PURPOSE, str(request_id)).hexdigest()[:_LEGACY_SIGNATURE_LENGTH]


def request_id_from_address(address: str) -> int | None:
    """The request a reply address belongs to, or None for any other or a forged address."""
    local_part, _, _domain = address.strip().lower().rpartition("@")
    match = _REPLY_LOCAL_PART.match(local_part)
    if match is not None:
        return DataRequest.objects.filter(reply_token=match.group(1)).values_list("pk", flat=True).first()
    match = _LEGACY_LOCAL_PART.match(local_part)
    if match is None:
        return None
    request_id = int(match.group(1))
    return request_id if constant_time_compare(match.group(2), _legacy_signature(request_id)) else None


@dataclass(frozen=True)
class Arrival:
    """What we read of an inbound message to decide where it goes: addresses, and whether a
    machine sent it. Its content is only passed on, never looked at or kept."""

    recipients: tuple[str, ...]
    sender: str
    automatic: bool
    delivery_report: bool
    received_at: datetime.datetime


def arrival_from_message(message, *, received_at: datetime.datetime | None = None) -> Arrival:
    recipients = [message.envelope_recipient or ""]
    recipients += [address.addr_spec for address in (*message.to, *message.cc, *message.bcc)]
    senders = message.get_address_header("From")
    sender = senders[0].addr_spec if senders else ""
    # RFC 3834 marks auto-replies ("we received your request" tickets); delivery reports are
    # multipart/report. Neither is an answer.
    auto_submitted = (message.get("Auto-Submitted") or "no").strip().lower()
    delivery_report = message.get_content_type() == "multipart/report"
    return Arrival(
        recipients=tuple(dict.fromkeys(address.lower() for address in recipients if address)),
        sender=sender.lower(),
        automatic=auto_submitted != "no" or delivery_report,
        delivery_report=delivery_report,
        received_at=received_at or timezone.now(),
    )


def receive_inbound_message(message, *, received_at: datetime.datetime | None = None) -> str:
    """Record, forward and drop one message from the inbound webhook; returns where it went
    ("supporter", "operator", or "nowhere" with the reason). A failure to forward raises, so the
    webhook answers an error and the provider delivers the message again later."""
    arrival = arrival_from_message(message, received_at=received_at)
    if settings.UNSUBSCRIBE_MAILBOX and settings.UNSUBSCRIBE_MAILBOX.lower() in arrival.recipients:
        return unsubscribe_by_mail(subject=message.subject or "", arrival=arrival, spam=bool(message.spam_detected))
    request_ids = {request_id_from_address(address) for address in arrival.recipients} - {None}
    requests = list(DataRequest.objects.select_related("campaign", "target").filter(pk__in=request_ids))
    if arrival.sender in _own_addresses(requests):
        # One of our own messages come back (a letter's copy to an old tracking address, a loop).
        logger.info("Inbound message from our own address dropped")
        return "nowhere: our own message"
    if not requests or arrival.delivery_report or message.spam_detected:
        # Delivery reports about a letter (the letter's envelope is its reply address) go to the
        # operator too: the supporter hears of a failure from the failure notice. So does what
        # the provider's filter calls spam: an operator looks, rather than a supporter being sent it.
        _forward_to_operator(message, arrival=arrival)
        return "operator"
    where = "nowhere: no request to forward it to"
    for request in requests:
        where = _receive_for_request(request, message=message, arrival=arrival)
    return where


def unsubscribe_by_mail(*, subject: str, arrival: Arrival, spam: bool) -> str:
    """A List-Unsubscribe mailto (emails.one_click_unsubscribe_headers) or a message written to
    the unsubscribe mailbox by hand. Its subject's signed token says exactly what to stop: the
    updates list, or one request's reminders. Without one, the sender's address leaves every
    updates list and gets no further reminder; a From can be forged, so that is all it does (it
    does not suppress the address, which would stop the letter's copy and confirmations too).
    Nothing of the message is kept or forwarded."""
    for word in subject.split():
        with contextlib.suppress(tokens.TokenInvalid, tokens.TokenExpired):
            unsubscribe(subscriber_id=tokens.read_token(word, purpose=tokens.UNSUBSCRIBE))
            logger.info("Unsubscribed by mail, with the list's token")
            return "nowhere: unsubscribed"
        with contextlib.suppress(tokens.TokenInvalid, tokens.TokenExpired):
            stop_reminders(request_id=tokens.read_token(word, purpose=tokens.STOP_REMINDERS))
            logger.info("Reminders stopped by mail, with the reminder's token")
            return "nowhere: reminders stopped"
    if arrival.automatic or spam or not arrival.sender:
        # An out-of-office answer, a bounce or what the filter calls spam asks nothing.
        return "nowhere: not an unsubscribe request"
    removed = unsubscribe_address(email=arrival.sender)
    stopped = stop_reminders_for_address(email=arrival.sender)
    logger.info("Unsubscribed by mail from its sender: %d subscriptions, %d reminders", removed, stopped)
    return "nowhere: unsubscribed"


def _receive_for_request(request: DataRequest, *, message, arrival: Arrival) -> str:
    if request.email and arrival.sender == request.email.lower():
        # The supporter's own reply-all: the target has it; nothing to record or forward.
        return "nowhere: the supporter's own message"
    if request.status in LETTER_WENT_OUT and not arrival.automatic:
        _record_reply_for(request, received_at=arrival.received_at)
    if not request.email:
        # The supporter's personal data was erased: no address to forward to.
        _forward_to_operator(message, arrival=arrival)
        return "operator"
    if request.email.lower() in arrival.recipients:
        # Answered to the supporter too (Reply-To, Cc): they have it already.
        return "nowhere: the supporter was a recipient"
    if is_suppressed(request.email):
        logger.warning("Answer for request %s not forwarded: the address is suppressed", request.pk)
        return "nowhere: the supporter's address is suppressed"
    emails.forward_answer_to_supporter(request, message=message, reply_address=reply_address(request))
    logger.info("Answer for request %s forwarded to the supporter", request.pk)
    return "supporter"


def _own_addresses(requests: list[DataRequest]) -> set[str]:
    return {settings.DEFAULT_FROM_EMAIL.lower(), *(reply_address(request) for request in requests)}


def _forward_to_operator(message, *, arrival: Arrival) -> None:
    if not settings.OPERATOR_MAILBOX:
        raise ImproperlyConfigured("TAKEBACK_OPERATOR_MAILBOX is not set: inbound mail cannot be forwarded")
    emails.forward_to_operator(message, recipients=arrival.recipients, mailbox=settings.OPERATOR_MAILBOX)
    logger.info("Inbound message forwarded to the operator's mailbox")


def _record_reply_for(request: DataRequest, *, received_at: datetime.datetime) -> None:
    """An answer arrived: when, always; and, where the campaign tracks replies, the outcome."""
    first_reply = request.reply_received_at is None
    if request.campaign.reply_tracking and request.outcome in _WAITING_FOR_AN_ANSWER:
        timeline = request_timeline(request, now=received_at)
        moved = change_outcome(
            request,
            source=request.outcome,
            target=Outcome.ANSWERED,
            answered_in_time=timezone.localdate(received_at) <= timeline.current_deadline,
            outcome_at=received_at,
            reply_received_at=request.reply_received_at or received_at,
        )
        if moved:
            logger.info("Reply detected for request %s", request.pk)
            return
    if first_reply:
        DataRequest.objects.filter(Q(pk=request.pk), Q(reply_received_at__isnull=True)).update(
            reply_received_at=received_at
        )
        logger.info("Reply detected for request %s", request.pk)
