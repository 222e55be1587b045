"""The consent wording the form shows. A request and a subscriber record the exact text agreed to."""

from django.utils.translation import gettext_lazy as _

SEND_IN_MY_NAME = _("Send this data request in my name. I have read the privacy policy.")
CAMPAIGN_UPDATES = _("Email me occasional campaign updates. I can unsubscribe at any time.")
ONE_REMINDER = _("Email me once, the day after the legal deadline, to ask how they answered.")
