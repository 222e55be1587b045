"""Emails to the supporter, one small function per kind. Templates: templates/emails/<kind>-*.txt."""

from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from campaign.content_cache import cached_content
from campaign.models import Operator
from campaign.subscriptions import subscription_for, unsubscribe_url
from requests_app import tokens
from requests_app.followup import Timeline
from requests_app.mail_connection import send_on_kept_connection
from requests_app.models import DataRequest
from requests_app.submissions import submission_requests


def absolute_url(viewname: str, *, token: str) -> str:
    return settings.SITE_URL + reverse(viewname, kwargs={"token": token})


def _send_to_supporter(request: DataRequest, *, kind: str, **extra) -> None:
    status_token = tokens.make_token(request, purpose=tokens.STATUS)
    # Every email offers "delete my data now"; updates-related ones the way off the list too.
    subscriber = subscription_for(campaign_id=request.campaign_id, email=request.email)
    with translation.override(request.language):
        context = {
            "request": request,
            "campaign": request.campaign,
            "status_url": absolute_url("requests_app:status", token=status_token),
            "delete_url": absolute_url("requests_app:delete", token=status_token),
            "unsubscribe_url": unsubscribe_url(subscriber) if subscriber else "",
            "operator": cached_content("operator", Operator.current),
            **extra,
        }
        subject = " ".join(render_to_string(f"emails/{kind}-subject.txt", context).split())
        body = render_to_string(f"emails/{kind}-body.txt", context)
        sender = formataddr((request.campaign.title, settings.DEFAULT_FROM_EMAIL))
    send_on_kept_connection(EmailMessage(subject=subject, body=body, from_email=sender, to=[request.email]))


def send_confirmation_email(request: DataRequest) -> None:
    """One email, one link for every letter of the submission."""
    token = tokens.make_token(request, purpose=tokens.CONFIRM)
    with translation.override(request.language):
        confirm_url = absolute_url("requests_app:confirm", token=token)
        target_names = get_text_list([letter.target.name for letter in submission_requests(request)], _("and"))
    _send_to_supporter(
        request,
        kind="confirmation",
        confirm_url=confirm_url,
        link_days=settings.CONFIRMATION_LINK_DAYS,
        target_names=target_names,
    )


def send_already_submitted_email(request: DataRequest) -> None:
    _send_to_supporter(request, kind="already-submitted")


def send_reminder_email(request: DataRequest, *, timeline: Timeline, answers: list[str]) -> None:
    """The one reminder after the deadline: a signed link per answer the supporter can give."""
    token = tokens.make_token(request, purpose=tokens.ANSWER)
    with translation.override(request.language):
        answer_urls = {
            outcome: settings.SITE_URL + reverse("requests_app:answer", kwargs={"token": token, "outcome": outcome})
            for outcome in answers
        }
    _send_to_supporter(request, kind="reminder", timeline=timeline, answer_urls=answer_urls)
