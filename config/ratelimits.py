"""Rate limits on the public forms (django-ratelimit), counted in the cache with a TTL.

django-ratelimit hashes every key before it reaches the cache, but with a plain hash: anyone who
can read the cache could test every IPv4 address against it. So both keys are HMACs under the site's
secret first (the client's address, and the mailbox however it is spelt), and even the cache never
holds an address that could be read back. Nothing about a visitor is written to the database.
django-axes takes the client's address from client_address too (AXES_CLIENT_IP_CALLABLE), so behind
the proxy one attacker's failed logins lock out only that attacker.
"""

from django.conf import settings
from django.utils.crypto import salted_hmac
from django_ratelimit.decorators import ratelimit

from requests_app.addresses import canonical_email

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
    return forwarded.split(",")[-1].strip() or request.META.get("REMOTE_ADDR", "")


def _posted_email(request) -> str:
    # One counter per mailbox however it is spelt ("jeanne"@Example.org is jeanne@example.org).
    return canonical_email(request.POST.get("email", "")).lower()


def hashed_client(group: str, request) -> str:
    return salted_hmac("takeback.ratelimit.client", client_address(request)).hexdigest()


def hashed_email(group: str, request) -> str:
    return salted_hmac("takeback.ratelimit.email", _posted_email(request)).hexdigest()


def hashed_link(group: str, request) -> str:
    # A signed link is counted on its own: people behind one address (an office, a campus, a phone
    # network) each open their own link, and a forged one fails its signature before any query.
    return salted_hmac("takeback.ratelimit.link", request.path).hexdigest()


def per_client_rate(group: str, request) -> str:
    return settings.RATELIMIT_PER_CLIENT


def per_email_rate(group: str, request) -> str | None:
    # No address, nothing to count (django-ratelimit skips a None rate); the form says it is required.
    return settings.RATELIMIT_PER_EMAIL if _posted_email(request) else None


def limit_per_client(*, group: str, method=ratelimit.UNSAFE):
    return ratelimit(group=group, key=hashed_client, rate=per_client_rate, method=method, block=True)


def limit_per_link(*, group: str, method=ratelimit.UNSAFE):
    # The same rate as per client, counted per signed link (hashed_link).
    return ratelimit(group=group, key=hashed_link, rate=per_client_rate, method=method, block=True)


def limit_per_email(view):
    return ratelimit(group=EMAIL_GROUP, key=hashed_email, rate=per_email_rate, method="POST", block=True)(view)
