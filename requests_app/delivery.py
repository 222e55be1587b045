"""What the email provider reports about a sent letter: delivered, bounced, marked as spam."""

import datetime
import logging

from django.db import IntegrityError, transaction

from requests_app.lifecycle import change_status
from requests_app.models import TRANSITIONS, DataRequest, DeliveryEvent, Status

logger = logging.getLogger(__name__)

# Anymail's normalised event types that change a request; the rest (queued, opened, ...) do not.
STATUS_FOR_EVENT = {
    "delivered": Status.DELIVERED,
    "bounced": Status.BOUNCED,
    "rejected": Status.BOUNCED,
    "complained": Status.COMPLAINED,
}


def record_delivery_event(
    *, request_id: int, event_type: str, event_id: str, occurred_at: datetime.datetime
) -> Status | None:
    """Apply one provider event. Repeated events (same id) and events that arrive out of order
    (a "delivered" after a bounce) change nothing. Returns the request's new status, if it moved."""
    target = STATUS_FOR_EVENT.get(event_type)
    request = DataRequest.objects.filter(pk=request_id).first()
    if target is None or request is None:
        return None
    try:
        with transaction.atomic():
            DeliveryEvent.objects.create(
                request=request, event_type=event_type, event_id=event_id, occurred_at=occurred_at
            )
    except IntegrityError:
        return None  # the provider sent this event before
    if request.status == Status.NEEDS_REVIEW:
        # The worker stopped before recording the send, but the provider saw the letter leave.
        change_status(request, source=Status.NEEDS_REVIEW, target=Status.SENT, sent_at=occurred_at)
    if target not in TRANSITIONS.get(request.status, set()):
        return None
    fields = {"delivered_at": occurred_at} if target == Status.DELIVERED else {}
    if change_status(request, source=request.status, target=target, **fields):
        logger.info("Request %s is now %s", request.pk, target)
        return target
    return None
