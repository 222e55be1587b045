"""The pages a supporter can open, with a request in every state behind the signed ones: what the
browser test walks (sideways scroll, axe) and the HTML check validates."""

from campaign.models import Campaign
from requests_app import tokens
from requests_app.lifecycle import change_status
from requests_app.models import DataRequest, Status
from requests_app.retention import delete_supporter_data
from tests.supporters import confirmed, sent, submitted


def requests_in_every_state(campaign: Campaign) -> dict[str, DataRequest]:
    """One request in each state a supporter can find on their status page, through the services."""
    states = {
        "awaiting confirmation": submitted(campaign, email="waiting@example.org"),
        "queued": confirmed(campaign, email="queued@example.org"),
        "sent": sent(campaign, email="sent@example.org"),
    }
    for name, target in (("failed", Status.FAILED), ("set aside for review", Status.NEEDS_REVIEW)):
        request = confirmed(campaign, email=f"{target}@example.org")
        change_status(request, source=Status.QUEUED, target=Status.SENDING)
        change_status(request, source=Status.SENDING, target=target)
        states[name] = request
    bounced = sent(campaign, email="bounced@example.org")
    change_status(bounced, source=Status.SENT, target=Status.BOUNCED)
    states["bounced"] = bounced
    erased = sent(campaign, email="erased@example.org")
    delete_supporter_data(erased)
    states["erased"] = erased
    return states


def supporter_pages(campaign: Campaign) -> dict[str, str]:
    """What each page is called, and its address (English, unless the name says French)."""
    requests = requests_in_every_state(campaign)
    withdrawn = submitted(campaign, email="withdrawn@example.org")
    withdrawn_token = tokens.make_token(withdrawn, purpose=tokens.STATUS)
    delete_supporter_data(withdrawn)
    waiting = requests["awaiting confirmation"]
    return {
        "campaign": "/en/c/clearview/",
        "French campaign": "/fr/c/clearview/",
        "check your inbox": "/en/c/clearview/check-your-inbox/",
        "resend": "/en/c/clearview/resend/",
        "confirmation": f"/en/r/confirm/{tokens.make_token(waiting, purpose=tokens.CONFIRM)}/",
        "thank-you": f"/en/r/thanks/{tokens.make_token(requests['queued'], purpose=tokens.STATUS)}/",
        "delete": f"/en/r/delete/{tokens.make_token(requests['sent'], purpose=tokens.STATUS)}/",
        "deleted": "/en/r/deleted/",
        "withdrawn request": f"/en/r/status/{withdrawn_token}/",
        "French withdrawn request": f"/fr/r/status/{withdrawn_token}/",
        "privacy": "/en/c/clearview/privacy/",
        "embedded form": "/embed/clearview/",
        **{
            f"status ({state})": f"/en/r/status/{tokens.make_token(request, purpose=tokens.STATUS)}/"
            for state, request in requests.items()
        },
        "French status (failed)": f"/fr/r/status/{tokens.make_token(requests['failed'], purpose=tokens.STATUS)}/",
    }
