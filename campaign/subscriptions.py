"""The list of supporters who opted in to campaign updates, and leaving it.

Every updates-related email carries `unsubscribe_url`; the link opens a page whose button removes
the subscriber's row. The link does not expire: an old update email must still let people leave.
"""

from django.conf import settings
from django.urls import reverse

from campaign.models import Subscriber
from requests_app import tokens


def subscription_for(*, campaign_id: int, email: str) -> Subscriber | None:
    if not email:
        return None
    return Subscriber.objects.filter(campaign_id=campaign_id, email__iexact=email).first()


def unsubscribe_token(subscriber: Subscriber) -> str:
    return tokens.make_token(subscriber, purpose=tokens.UNSUBSCRIBE)


def unsubscribe_path(subscriber: Subscriber, *, token: str = "") -> str:
    return reverse("unsubscribe", kwargs={"token": token or unsubscribe_token(subscriber)})


def unsubscribe_url(subscriber: Subscriber, *, token: str = "") -> str:
    return settings.SITE_URL + unsubscribe_path(subscriber, token=token)


def unsubscribe(*, subscriber_id: int) -> bool:
    """Remove the subscriber; False when they were already gone."""
    deleted, _ = Subscriber.objects.filter(pk=subscriber_id).delete()
    return bool(deleted)


def unsubscribe_address(*, email: str) -> int:
    """Take the address off every campaign's updates list; how many subscriptions were removed."""
    if not email:
        return 0
    deleted, _ = Subscriber.objects.filter(email__iexact=email).delete()
    return deleted
