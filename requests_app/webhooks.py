"""Receivers for django-anymail's webhook signals. Each one reads ids and calls one service."""

from anymail.signals import tracking
from django.dispatch import receiver
from django.utils import timezone

from requests_app.delivery import record_delivery_event


def _request_id(event) -> int | None:
    value = str((event.metadata or {}).get("request_id", ""))
    return int(value) if value.isdigit() else None


@receiver(tracking, dispatch_uid="takeback-delivery-events")
def on_tracking_event(sender, event, esp_name, **kwargs):
    request_id = _request_id(event)
    # Not a letter (a confirmation email, say): nothing to record.
    if request_id is None:
        return
    record_delivery_event(
        request_id=request_id,
        event_type=event.event_type,
        event_id=event.event_id or "",
        occurred_at=event.timestamp or timezone.now(),
    )
