"""Receivers for django-anymail's webhook signals. Each one reads ids and calls one service."""

from anymail.signals import inbound, tracking
from django.dispatch import receiver
from django.utils import timezone

from campaign.models import Target
from requests_app.delivery import record_delivery_event
from requests_app.replies import receive_inbound_message
from requests_app.suppressions import suppress_address


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


@receiver(tracking, dispatch_uid="takeback-spam-complaints")
def on_spam_complaint(sender, event, esp_name, **kwargs):
    # A complaint about any kind of email stops all mail to that address. A target's privacy
    # address is the exception: a letter is a legal request, and its complaint is recorded on the
    # request (delivery events), not a reason to stop every supporter's letter.
    if event.event_type == "complained" and event.recipient and not _is_a_target_address(event.recipient):
        suppress_address(event.recipient)


def _is_a_target_address(address: str) -> bool:
    return Target.objects.filter(privacy_email__iexact=address.strip()).exists()


@receiver(inbound, dispatch_uid="takeback-reply-detection")
def on_inbound_message(sender, event, esp_name, **kwargs):
    # Recorded, forwarded and dropped here: the message is never stored. A forward that fails
    # raises, the webhook answers 500 and the provider posts the message again later.
    receive_inbound_message(event.message, received_at=event.timestamp)
