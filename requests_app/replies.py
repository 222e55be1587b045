"""Reply detection without keeping replies.

When a campaign tracks replies, each letter also Cc's an address of its own on the campaign's
domain, `reply+<request id>-<signature>@<domain>`, so the target's reply-all reaches the email
provider's inbound route. The webhook hands over only who the message was for and from, and
whether it was automatic; we record that a reply arrived and when, and never see or keep its
subject, body or attachments.
"""

import datetime
import logging
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from requests_app.followup import request_timeline
from requests_app.lifecycle import change_outcome
from requests_app.models import LETTER_WENT_OUT, DataRequest, Outcome

logger = logging.getLogger(__name__)

REPLY_PURPOSE = "takeback.reply"
# Lower-case hex, because mail systems may change the case of an address's local part.
_SIGNATURE_LENGTH = 20
_REPLY_LOCAL_PART = re.compile(rf"^reply\+(\d+)-([0-9a-f]{{{_SIGNATURE_LENGTH}}})$")
# A reply to one of these moves the outcome to "answered"; after an answer or a refusal the
# supporter has said what the target did, and a further message changes nothing.
_WAITING_FOR_AN_ANSWER = {Outcome.AWAITING, Outcome.EXTENDED, Outcome.NO_ANSWER, Outcome.VERIFICATION}


def _signature(request_id: int) -> str:
    return salted_hmac(REPLY_PURPOSE, str(request_id)).hexdigest()[:_SIGNATURE_LENGTH]


def reply_domain(request: DataRequest) -> str:
    return request.campaign.reply_domain or settings.DEFAULT_FROM_EMAIL.rpartition("@")[2]


def reply_address(request: DataRequest) -> str:
    return f"reply+{request.pk}-{_signature(request.pk)}@{reply_domain(request)}"


def reply_tracking_cc(request: DataRequest) -> list[str]:
    """The tracking address to Cc on the letter, when the campaign tracks replies."""
    return [reply_address(request)] if request.campaign.reply_tracking else []


def request_id_from_address(address: str) -> int | None:
    """The request a tracking address belongs to, or None for any other or a forged address."""
    local_part, _, _domain = address.strip().lower().rpartition("@")
    match = _REPLY_LOCAL_PART.match(local_part)
    if match is None:
        return None
    request_id = int(match.group(1))
    return request_id if constant_time_compare(match.group(2), _signature(request_id)) else None


@dataclass(frozen=True)
class Arrival:
    """All we take from an inbound message: addresses and whether a machine sent it."""

    recipients: tuple[str, ...]
    sender: str
    automatic: bool
    received_at: datetime.datetime


def arrival_from_message(message, *, received_at: datetime.datetime | None = None) -> Arrival:
    """Read the envelope of an Anymail inbound message; its content is not looked at."""
    recipients = [message.envelope_recipient or ""]
    recipients += [address.addr_spec for address in (*message.to, *message.cc, *message.bcc)]
    senders = message.get_address_header("From")
    sender = senders[0].addr_spec if senders else ""
    # RFC 3834 marks auto-replies ("we received your request" tickets); delivery reports are
    # multipart/report. Neither is an answer.
    auto_submitted = (message.get("Auto-Submitted") or "no").strip().lower()
    automatic = auto_submitted != "no" or message.get_content_type() == "multipart/report"
    return Arrival(
        recipients=tuple(address for address in recipients if address),
        sender=sender,
        automatic=automatic,
        received_at=received_at or timezone.now(),
    )


def record_reply(arrival: Arrival) -> list[int]:
    """Note that a reply reached a request's tracking address; returns the ids it counted for.

    Ignored: automatic messages, the letter's own copy (it Cc's the address), the supporter's
    own reply-all, and campaigns that have turned tracking off."""
    if arrival.automatic:
        return []
    request_ids = {request_id_from_address(address) for address in arrival.recipients} - {None}
    counted = []
    requests = DataRequest.objects.select_related("campaign").filter(
        pk__in=request_ids, campaign__reply_tracking=True, status__in=LETTER_WENT_OUT
    )
    for request in requests:
        sender = arrival.sender.lower()
        if sender in (request.email.lower(), settings.DEFAULT_FROM_EMAIL.lower()):
            continue
        _record_reply_for(request, received_at=arrival.received_at)
        counted.append(request.pk)
    return counted


def _record_reply_for(request: DataRequest, *, received_at: datetime.datetime) -> None:
    first_reply = request.reply_received_at is None
    if request.outcome in _WAITING_FOR_AN_ANSWER:
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
        DataRequest.objects.filter(pk=request.pk, reply_received_at__isnull=True).update(reply_received_at=received_at)
        logger.info("Reply detected for request %s", request.pk)
