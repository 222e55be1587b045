"""The consent wording the form shows. A request and a subscriber record the exact text agreed to."""

from django.utils.translation import gettext_lazy as _

SEND_IN_MY_NAME = _("Send this data request in my name. I have read the privacy policy.")
CAMPAIGN_UPDATES = _("Email me occasional campaign updates. I can unsubscribe at any time.")
ONE_REMINDER = _(
    "Email me once, the day after the legal deadline, to ask how they answered (once more only if I tell you they extended it)."
)
# How many emails a supporter gets, said up front next to the reminder box.
EMAILS_IN_TOTAL = _(
    "Without this box we email you no more than the link to confirm your address and your copy of the letter. "
    "With it, one email more after the deadline, or two if they extend it. Updates only if you tick the box below."
)
