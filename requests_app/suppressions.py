"""Addresses that marked one of our emails as spam: nothing more is sent to them.

The list keeps a keyed hash of each address, never the address: the key is the site's secret, so
the list cannot be matched against a list of addresses by anyone without it. (Rotating
DJANGO_SECRET_KEY empties the list in effect.)
"""

import logging

from django.db import IntegrityError, transaction
from django.utils.crypto import salted_hmac

from requests_app.models import EmailSuppression

logger = logging.getLogger(__name__)

_HASH_PURPOSE = "takeback.suppression"
SPAM_COMPLAINT = "spam_complaint"


def address_hash(address: str) -> str:
    return salted_hmac(_HASH_PURPOSE, address.strip().lower(), algorithm="sha256").hexdigest()


def suppress_address(address: str, *, reason: str = SPAM_COMPLAINT) -> bool:
    """Stop all mail to the address; False when it was already on the list."""
    try:
        with transaction.atomic():
            EmailSuppression.objects.create(address_hash=address_hash(address), reason=reason)
    except IntegrityError:
        return False
    logger.info("An address was suppressed (%s)", reason)
    return True


def is_suppressed(address: str) -> bool:
    return bool(address) and EmailSuppression.objects.filter(address_hash=address_hash(address)).exists()


def without_suppressed(addresses: list[str]) -> list[str]:
    return [address for address in addresses if not is_suppressed(address)]
