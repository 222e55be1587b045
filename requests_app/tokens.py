"""Signed links in emails. A token names one row (a request, a subscriber) for one purpose; nothing
else is in it."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import models

CONFIRM = "takeback.confirm"
STATUS = "takeback.status"
# The one-click answers in the reminder and on the status page: what the target did.
ANSWER = "takeback.answer"
# The reminder's one-click List-Unsubscribe: no more reminders for that request.
STOP_REMINDERS = "takeback.stop-reminders"

# Names a campaign.models.Subscriber, not a request.
UNSUBSCRIBE = "takeback.unsubscribe"


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def make_token(row: models.Model, *, purpose: str) -> str:
    return signing.dumps(row.pk, salt=purpose)


def read_token(token: str, *, purpose: str, max_age: datetime.timedelta | None = None) -> int:
    """The row id in a token; TokenExpired or TokenInvalid otherwise."""
    try:
        return int(signing.loads(token, salt=purpose, max_age=max_age))
    except signing.SignatureExpired as error:
        raise TokenExpired from error
    except (signing.BadSignature, TypeError, ValueError) as error:
        raise TokenInvalid from error


def confirmation_max_age() -> datetime.timedelta:
    return datetime.timedelta(days=settings.CONFIRMATION_LINK_DAYS)
