"""Supporters' email addresses: which ones the site accepts, and one spelling per mailbox.

Django's EmailField accepts what RFC 5322 allows, more than is safe to write into To, Cc and
Reply-To or to count per person: a quoted local part may hold control characters (a raw line break
in a header once encoded) or commas ("a@evil.example,b"@example.org reads as two recipients to some
software), and the domain may be an IP literal ([127.0.0.1]) or a single label (localhost). None of
those is a supporter's real public mailbox.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

# An unquoted local part (RFC 5322 dot-atom): what a quoted one is equivalent to when it needs no quotes.
DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*")
QUOTED_REFUSED = {",", "\\", '"'}


def validate_public_mailbox(value: str) -> None:
    local, _at, domain = value.rpartition("@")
    if domain.startswith("["):
        raise forms.ValidationError(
            _("Please use an address with a domain name, not an IP address."), code="email_ip_literal"
        )
    if "." not in domain.strip(".") and _is_an_address(value):
        raise forms.ValidationError(
            _("Please use a full address, with a domain such as example.org."), code="email_single_label"
        )
    if local.startswith('"') and any(
        ord(character) < 32 or ord(character) == 127 or character in QUOTED_REFUSED for character in local[1:-1]
    ):
        raise forms.ValidationError(
            _("Please use an address without control characters, commas or backslashes in quotation marks."),
            code="email_quoted",
        )


def _is_an_address(value: str) -> bool:
    # "jeanne" or "jeanne@example" is not an address at all: the field's own validator says so, and
    # the supporter reads one error, not two.
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def canonical_email(value: str) -> str:
    """One spelling per mailbox: "jeanne"@Example.ORG is jeanne@example.org. Quotes a local part
    does not need are dropped and the domain is lower-cased; the local part keeps its case, and
    duplicates and the per-address limit compare it case-insensitively."""
    local, at, domain = value.strip().rpartition("@")
    if not at:
        return value.strip()
    if len(local) > 2 and local.startswith('"') and local.endswith('"') and DOT_ATOM.fullmatch(local[1:-1]):
        local = local[1:-1]
    return f"{local}@{domain.lower()}"
