"""The supporter's ready reply when the target asks them to verify their identity.

One template per law family and language in templates/identity_replies/<law>.<language>.txt,
written from the research's verification notes: it offers only what is proportionate (the email
address, or a photo used for the search alone, never indexed and then deleted), says a government
ID is disproportionate, and says what the law does to the response period while the target waits.
"""

from django.template.loader import render_to_string
from django.utils import translation

from requests_app.followup import Timeline
from requests_app.letters import tidy_blank_lines
from requests_app.models import DataRequest, RequestKind

LANGUAGES = ("en", "fr")


def identity_reply(request: DataRequest, *, timeline: Timeline, language: str) -> str:
    """The reply to send the target, in `language`; empty once the personal data is erased."""
    if not request.email or timeline.sent_on is None:
        return ""
    language = language if language in LANGUAGES else "en"
    law = timeline.law
    context = {
        "target_name": request.target.name,
        "target_email": request.target.privacy_email,
        "full_name": request.full_name,
        "email": request.email,
        "sent_on": timeline.sent_on,
        "asked_on": request.identity_requested_on or timeline.today,
        "is_quebec": request.jurisdiction == "CA-QC",
        "is_british_columbia": request.jurisdiction == "CA-BC",
        "is_alberta": request.jurisdiction == "CA-AB",
        "wants_deletion": request.kind in (RequestKind.ACCESS_AND_DELETION, RequestKind.DELETION),
        "law_name": law.name,
        "law_short": law.short,
        "deadline_days": law.deadline_days,
        "deadline_citation": law.deadline_citation,
        "identity_restarts_clock": law.identity_restarts_clock,
    }
    with translation.override(language):
        return tidy_blank_lines(render_to_string(f"identity_replies/{request.law}.{language}.txt", context))
