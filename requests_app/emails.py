"""Emails to the supporter, one small function per kind. Templates: templates/emails/<kind>-*.txt.

Every one comes from the campaign's sending address under the campaign's sender name, with a
Message-ID on the sending domain, Anymail metadata and a tag naming its kind, and is marked as
automatic (RFC 3834 `Auto-Submitted`, and `X-Auto-Response-Suppress` for Exchange), so
out-of-office replies do not answer it. One to a subscriber carries `List-Unsubscribe` with
RFC 8058 one-click; the reminder's own one-click stops the reminders. Nothing is sent to an
address that marked one of our emails as spam (requests_app.suppressions).
"""

import logging
from email.headerregistry import Address
from email.utils import format_datetime
from urllib.parse import quote

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from campaign.content_cache import cached_content
from campaign.models import Operator
from campaign.subscriptions import subscription_for, unsubscribe_token, unsubscribe_url
from requests_app import tokens
from requests_app.followup import Timeline
from requests_app.mail_connection import send_on_kept_connection
from requests_app.mime import ModernEmailMessage, UriListHeader, new_message_id
from requests_app.models import DataRequest
from requests_app.submissions import submission_requests
from requests_app.suppressions import is_suppressed

logger = logging.getLogger(__name__)

AUTOMATIC = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"}


def absolute_url(viewname: str, *, token: str) -> str:
    return settings.SITE_URL + reverse(viewname, kwargs={"token": token})


def campaign_sender(campaign, *, on_behalf_of: str = "", address: str = "") -> str:
    """`Sender name <sending address>`, or `First Last via Sender name` on someone's behalf."""
    name = f"{on_behalf_of} via {campaign.sender_name}" if on_behalf_of else campaign.sender_name
    return str(Address(display_name=name, addr_spec=address or settings.DEFAULT_FROM_EMAIL))


def one_click_unsubscribe_headers(url: str, *, token: str) -> dict:
    """RFC 8058: a mail client may POST `List-Unsubscribe=One-Click` to the URL, without a form.
    Where TAKEBACK_UNSUBSCRIBE_MAILBOX is set, a mailto beside it (RFC 2369) for clients that
    only send mail: its subject carries the URL's own signed token, which
    replies.unsubscribe_by_mail reads when the message reaches the inbound webhook."""
    uris = [url]
    if settings.UNSUBSCRIBE_MAILBOX:
        uris.append(f"mailto:{settings.UNSUBSCRIBE_MAILBOX}?subject=unsubscribe%20{quote(token, safe=':')}")
    return {
        "List-Unsubscribe": UriListHeader("List-Unsubscribe", uris),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def subscriber_unsubscribe_headers(subscriber) -> dict:
    token = unsubscribe_token(subscriber)
    return one_click_unsubscribe_headers(unsubscribe_url(subscriber, token=token), token=token)


def tag_message(message: ModernEmailMessage, *, kind: str, **metadata: str) -> None:
    # Read by Anymail backends (ignored by SMTP): tracking events carry the kind back to us.
    message.metadata = {"kind": kind, **metadata}
    message.tags = [kind]


def _supporter_message(request: DataRequest, *, kind: str, stop_token: str = "", **extra) -> ModernEmailMessage:
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
    headers = {"Message-ID": new_message_id(), **AUTOMATIC}
    if stop_token:
        # The reminder's one click stops the reminders (the list's link is in its footer).
        stop_url = absolute_url("requests_app:stop_reminders", token=stop_token)
        headers |= one_click_unsubscribe_headers(stop_url, token=stop_token)
    elif subscriber:
        headers |= subscriber_unsubscribe_headers(subscriber)
    message = ModernEmailMessage(
        subject=subject, body=body, from_email=campaign_sender(request.campaign), to=[request.email], headers=headers
    )
    tag_message(message, kind=kind)
    return message


def _send_to_supporter(request: DataRequest, *, kind: str, **extra) -> bool:
    """Send one email of this kind; False when the address asked for no more mail."""
    if is_suppressed(request.email):
        logger.info("No %s email for request %s: the address is suppressed", kind, request.pk)
        return False
    send_on_kept_connection(_supporter_message(request, kind=kind, **extra))
    return True


def send_confirmation_email(request: DataRequest) -> bool:
    """One email, one link for every letter of the submission."""
    token = tokens.make_token(request, purpose=tokens.CONFIRM)
    letters = submission_requests(request)
    with translation.override(request.language):
        confirm_url = absolute_url("requests_app:confirm", token=token)
        target_names = get_text_list([letter.target.name for letter in letters], _("and"))
    return _send_to_supporter(
        request,
        kind="confirmation",
        confirm_url=confirm_url,
        link_days=settings.CONFIRMATION_LINK_DAYS,
        target_names=target_names,
        letters=letters,
    )


def send_already_submitted_email(request: DataRequest) -> bool:
    return _send_to_supporter(request, kind="already-submitted")


def send_reminder_email(request: DataRequest, *, timeline: Timeline, answers: list[str]) -> bool:
    """The one reminder after the deadline: a signed link per answer the supporter can give."""
    token = tokens.make_token(request, purpose=tokens.ANSWER)
    with translation.override(request.language):
        answer_urls = {
            outcome: settings.SITE_URL + reverse("requests_app:answer", kwargs={"token": token, "outcome": outcome})
            for outcome in answers
        }
    stop_token = tokens.make_token(request, purpose=tokens.STOP_REMINDERS)
    return _send_to_supporter(
        request, kind="reminder", timeline=timeline, answer_urls=answer_urls, stop_token=stop_token
    )


def send_letter_failed_email(request: DataRequest) -> bool:
    """The one email saying the letter could not be delivered and what the supporter can do."""
    return _send_to_supporter(request, kind="letter-failed", target_email=request.target.privacy_email)


def forward_answer_to_supporter(request: DataRequest, *, message, reply_address: str) -> None:
    """Pass an inbound answer (an AnymailInboundMessage) on to the supporter, attachments
    included. The copy exists only in memory, for as long as this call."""
    sender = _first_address(message, "From")
    with translation.override(request.language):
        intro = render_to_string(
            "emails/answer-forward-body.txt",
            {
                "request": request,
                "campaign": request.campaign,
                "sender": sender.addr_spec if sender else "",
                "reply_address": reply_address,
                "status_url": absolute_url(
                    "requests_app:status", token=tokens.make_token(request, purpose=tokens.STATUS)
                ),
            },
        )
        forward = _forward(
            message,
            intro=intro,
            sender=campaign_sender(request.campaign, on_behalf_of=_name_of(sender)),
            to=[request.email],
            reply_to=[sender.addr_spec] if sender else [],
        )
    subscriber = subscription_for(campaign_id=request.campaign_id, email=request.email)
    if subscriber:
        forward.extra_headers |= subscriber_unsubscribe_headers(subscriber)
    tag_message(forward, kind="answer-forward")
    send_on_kept_connection(forward)


def forward_to_operator(message, *, recipients: tuple[str, ...], mailbox: str) -> None:
    """Mail for the plain sending address, or for a reply address that names no request."""
    sender = _first_address(message, "From")
    intro = (
        "This message reached the campaign's inbound route and names no request we can forward it to.\n"
        f"Addressed to: {', '.join(recipients)}\n\n"
    )
    forward = _forward(
        message,
        intro=intro,
        sender=str(Address(display_name="Takeback inbound", addr_spec=settings.DEFAULT_FROM_EMAIL)),
        to=[mailbox],
        reply_to=[sender.addr_spec] if sender else [],
    )
    tag_message(forward, kind="operator-forward")
    send_on_kept_connection(forward)


def _forward(message, *, intro: str, sender: str, to: list[str], reply_to: list[str]) -> ModernEmailMessage:
    # Whitespace folded: a header value never carries a line break of the sender's making.
    original_subject = " ".join((message.subject or "").split())
    sent_on = message.get("Date") or format_datetime(timezone.now())
    quoted = "\n".join(
        [
            "---------- " + _("Forwarded message") + " ----------",
            _("From: %(value)s") % {"value": message.get("From", "")},
            _("Date: %(value)s") % {"value": sent_on},
            _("Subject: %(value)s") % {"value": original_subject},
            _("To: %(value)s") % {"value": message.get("To", "")},
            *([_("Cc: %(value)s") % {"value": message["Cc"]}] if message.get("Cc") else []),
            "",
            message.text or "",
        ]
    )
    forward = ModernEmailMessage(
        subject=f"Fwd: {original_subject}".strip(),
        body=intro + "\n" + quoted,
        from_email=sender,
        to=to,
        reply_to=reply_to,
        headers={"Message-ID": new_message_id(), **AUTOMATIC},
    )
    if message.html and not message.text:
        forward.attach("message.html", message.html.encode(), "text/html")
    for number, part in enumerate([*message.attachments, *message.content_id_map.values()], start=1):
        forward.attach(part.get_filename() or f"attachment-{number}", part.get_content_bytes(), part.get_content_type())
    return forward


def _first_address(message, header: str):
    addresses = message.get_address_header(header)
    return addresses[0] if addresses else None


def _name_of(address) -> str:
    return (address.display_name or address.addr_spec) if address else ""
