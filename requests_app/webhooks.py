"""Receivers for django-anymail's webhook signals. Each one reads ids and calls one service."""

from anymail.signals import inbound, tracking
from django.dispatch import receiver
from django.utils import timezone

from requests_app.delivery import record_delivery_event
from requests_app.replies import arrival_from_message, record_reply


def _request_id(event) -> int | None:
    value = str((event.metadata or {}).get("request_id", ""))
    return int(value) if value.isdigit() else None


@receiver(tracking, dispatch_uid="takeback-delivery-events")
def on_tracking_event(sender, event, esp_name, **kwargs):
    request_id = _request_id(event)
    # Not a letter (a confirmation email, say): nothing to record.
    if request_id is None:
        return
    occurred_at = event.timestamp or timezone.now()
    record_delivery_event(
        request_id=request_id,
        event_type=event.event_type,
        # Some providers give no id for some events; the same event repeated has the same time.
        event_id=event.event_id or f"{esp_name}:{event.event_type}:{request_id}:{occurred_at.isoformat()}",
        occurred_at=occurred_at,
    )


@receiver(inbound, dispatch_uid="takeback-reply-detection")
def on_inbound_message(sender, event, esp_name, **kwargs):
    # Only the envelope is read: the message itself is dropped when this returns, never stored.
    record_reply(arrival_from_message(event.message, received_at=event.timestamp))
