"""Rate limits on the public forms (django-ratelimit), counted in the cache with a TTL.

django-ratelimit hashes every key before it reaches the cache; the address key is an HMAC of the
lower-cased address on top, so even the cache never holds an address that could be read back.
Nothing about a visitor is written to the database.
"""

from django.conf import settings
from django.utils.crypto import salted_hmac
from django_ratelimit.decorators import ratelimit

# One counter per address shared by every form that emails it (the request form, "send the link
# again"), so nobody can flood someone else's inbox through the site.
EMAIL_GROUP = "takeback.per-email"


def client_address(request) -> str:
    """The visitor's address as our own reverse proxy saw it (RATELIMIT_IP_META_KEY).

    Behind a proxy, REMOTE_ADDR is the proxy for everyone: name the header it sets in
    TAKEBACK_CLIENT_IP_HEADER. Its last entry is the one our proxy added; earlier ones are the
    client's to forge.
    """
    header = settings.TAKEBACK_CLIENT_IP_HEADER
    forwarded = request.META.get(header, "") if header else ""
    return forwarded.split(",")[-1].strip() or request.META["REMOTE_ADDR"]


def _posted_email(request) -> str:
    return request.POST.get("email", "").strip().lower()


def hashed_email(group: str, request) -> str:
    return salted_hmac("takeback.ratelimit.email", _posted_email(request)).hexdigest()


def per_client_rate(group: str, request) -> str:
    return settings.RATELIMIT_PER_CLIENT


def per_email_rate(group: str, request) -> str | None:
    # No address, nothing to count (django-ratelimit skips a None rate); the form says it is required.
    return settings.RATELIMIT_PER_EMAIL if _posted_email(request) else None


def limit_per_client(*, group: str, method=ratelimit.UNSAFE):
    return ratelimit(group=group, key="ip", rate=per_client_rate, method=method, block=True)


def limit_per_email(view):
    return ratelimit(group=EMAIL_GROUP, key=hashed_email, rate=per_email_rate, method="POST", block=True)(view)
