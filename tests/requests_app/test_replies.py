"""Answers: the letter comes from a reply address of its own; a message to it, arriving through
Anymail's inbound webhook (Postmark's, here), is forwarded to the supporter with its attachments,
marks the request answered, and leaves no trace of its content anywhere else."""

import base64
import json
import logging
import re
from email import message_from_bytes, policy
from urllib.parse import unquote

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from campaign.models import PrivacyPolicy, Subscriber
from campaign.tallies import count_by_status
from requests_app import emails, tokens
from requests_app.followup import mark_overdue_requests, request_timeline, schedule_follow_ups
from requests_app.models import DataRequest, EmailSuppression, Outcome
from requests_app.replies import LEGACY_REPLY_PURPOSE, reply_address, request_id_from_address
from tests.supporters import confirmed, days_ago

pytestmark = pytest.mark.django_db

WEBHOOK_SECRET = "takeback:inbound-test-secret"
INBOUND_URL = "/webhooks/anymail/postmark/inbound/"
# Words that appear only in the reply; none may be found anywhere after it was received.
SECRET_SUBJECT = "Subject-zq81-never-stored"
SECRET_BODY = "Body-kx55-never-stored: here is everything we hold about you."
SECRET_SENDER = "legal-wx42@clearview.example"
SECRET_ATTACHMENT = base64.b64encode(b"Attachment-pj09-never-stored").decode()


@pytest.fixture
def tracking(campaign, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_SECRET}
    settings.EMAIL_PROVIDER = "postmark"
    campaign.reply_tracking = True
    campaign.reply_domain = "replies.takeback.example"
    campaign.save(update_fields=["reply_tracking", "reply_domain"])
    return campaign


def postmark_inbound(*, to: str, cc: str = "", sender: str = SECRET_SENDER, headers: list | None = None) -> dict:
    """A Postmark inbound webhook payload, as Postmark posts it."""
    return {
        "FromFull": {"Email": sender, "Name": "Clearview Legal"},
        "ToFull": [{"Email": to, "Name": ""}],
        "CcFull": [{"Email": cc, "Name": ""}] if cc else [],
        "OriginalRecipient": cc or to,
        "Subject": f"RE: your request {SECRET_SUBJECT}",
        "MessageID": "5c1a8b6e-0000-4000-8000-000000000001",
        "Date": "Mon, 6 Apr 2026 10:00:00 -0400",
        "TextBody": SECRET_BODY,
        "HtmlBody": f"<p>{SECRET_BODY}</p>",
        "StrippedTextReply": SECRET_BODY,
        "Headers": [{"Name": "Message-ID", "Value": "<reply-1@clearview.example>"}, *(headers or [])],
        "Attachments": [
            {"Name": "your-data.txt", "Content": SECRET_ATTACHMENT, "ContentType": "text/plain", "ContentLength": 28}
        ],
    }


def post_inbound(client, payload: dict, *, secret: str | None = WEBHOOK_SECRET):
    auth = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()} if secret else {}
    return client.post(INBOUND_URL, data=json.dumps(payload), content_type="application/json", **auth)


def everything_in_the_database() -> str:
    """Every row of every table, as text."""
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT CAST(t AS text) FROM {connection.ops.quote_name(table)} t")  # noqa: S608
            rows += [row[0] for row in cursor.fetchall()]
    return "\n".join(rows)


def test_the_letter_comes_from_a_reply_address_of_its_own(tracking, sent_letter):
    request = sent_letter()

    letter = message_from_bytes(mail.outbox[-1].message().as_bytes(), policy=policy.default)

    (sender,) = letter["From"].addresses
    assert sender.addr_spec == reply_address(request)
    assert re.fullmatch(r"reply\+[a-z0-9]{20}@replies\.takeback\.example", sender.addr_spec)
    assert str(request.pk) not in sender.addr_spec.split("@")[0].replace(request.reply_token, "")
    assert [a.addr_spec for a in letter["Cc"].addresses] == ["supporter1@example.org"]
    assert [a.addr_spec for a in letter["Reply-To"].addresses] == ["supporter1@example.org", reply_address(request)]


def test_a_campaign_that_does_not_track_replies_adds_no_address(campaign, sent_letter):
    sent_letter()

    assert mail.outbox[-1].cc == ["supporter1@example.org"]


def test_only_a_reply_address_we_made_names_a_request(tracking, sent_letter):
    request = sent_letter()
    address = reply_address(request)
    local_part, domain = address.split("@")

    assert request_id_from_address(address.upper()) == request.pk
    tampered = local_part[:-1] + ("a" if local_part.endswith("b") else "b")
    assert request_id_from_address(f"{tampered}@{domain}") is None
    assert request_id_from_address(f"reply+{request.pk}@{domain}") is None
    assert request_id_from_address("someone@example.org") is None
    # The Cc'd tracking addresses of letters sent before still name their request; forged ones do not.
    legacy_signature = salted_hmac(LEGACY_REPLY_PURPOSE, str(request.pk)).hexdigest()[:20]
    assert request_id_from_address(f"reply+{request.pk}-{legacy_signature}@{domain}") == request.pk
    assert request_id_from_address(f"reply+{request.pk + 1}-{legacy_signature}@{domain}") is None


def test_a_reply_marks_the_request_answered_and_is_not_kept_anywhere(client, tracking, sent_letter, caplog):
    caplog.set_level(logging.DEBUG)
    request = sent_letter(sent_at=days_ago(10))

    response = post_inbound(client, postmark_inbound(to=request.email, cc=reply_address(request)))

    assert response.status_code == 200
    request.refresh_from_db()
    assert (request.outcome, request.answered_in_time) == (Outcome.ANSWERED, True)
    assert request.reply_received_at is not None
    assert count_by_status(tracking)["outcome:answered:in_time"] == 1
    stored = (
        everything_in_the_database() + caplog.text + "".join(message.message().as_string() for message in mail.outbox)
    )
    for secret in (SECRET_SUBJECT, "Body-kx55", SECRET_SENDER, SECRET_ATTACHMENT, "Attachment-pj09", "your-data.txt"):
        assert secret not in stored
    assert cache.get(SECRET_SUBJECT) is None


def test_the_status_page_shows_that_a_reply_came(client, tracking, sent_letter):
    request = sent_letter(sent_at=days_ago(10))
    post_inbound(client, postmark_inbound(to=request.email, cc=reply_address(request)))

    page = client.get(
        reverse("requests_app:status", kwargs={"token": tokens.make_token(request, purpose=tokens.STATUS)})
    )

    assert "A reply to your letter reached us on" in page.content.decode()
    assert "Answered" in page.content.decode()


def test_a_reply_after_the_deadline_counts_as_late(client, tracking, sent_letter):
    request = sent_letter(sent_at=days_ago(40))
    schedule_follow_ups()
    mark_overdue_requests()

    post_inbound(client, postmark_inbound(to=request.email, cc=reply_address(request)))

    request.refresh_from_db()
    assert (request.outcome, request.answered_in_time) == (Outcome.ANSWERED, False)
    assert {k: v for k, v in count_by_status(tracking).items() if k.startswith("outcome:")} == {
        "outcome:no_answer": 0,
        "outcome:answered:late": 1,
    }


def test_the_webhook_refuses_posts_without_the_secret(client, tracking, sent_letter):
    request = sent_letter()

    assert post_inbound(client, postmark_inbound(to=reply_address(request)), secret=None).status_code == 400
    assert post_inbound(client, postmark_inbound(to=reply_address(request)), secret="takeback:wrong").status_code == 400

    request.refresh_from_db()
    assert request.outcome == Outcome.AWAITING and request.reply_received_at is None


@pytest.mark.parametrize(
    ("what", "sender", "headers"),
    [
        ("an automatic acknowledgement", SECRET_SENDER, [{"Name": "Auto-Submitted", "Value": "auto-replied"}]),
        ("the letter's own copy", "requests@takeback.localhost", []),
        ("the supporter's own reply-all", "supporter1@example.org", []),
    ],
)
def test_messages_that_are_not_an_answer_change_nothing(client, tracking, sent_letter, what, sender, headers):
    request = sent_letter()

    response = post_inbound(client, postmark_inbound(to=reply_address(request), sender=sender, headers=headers))

    assert response.status_code == 200
    request.refresh_from_db()
    assert request.outcome == Outcome.AWAITING, what
    assert request.reply_received_at is None


def test_a_reply_after_the_supporter_reported_a_refusal_keeps_the_refusal(client, tracking, sent_letter):
    request = sent_letter(sent_at=days_ago(5))
    client.post(
        reverse(
            "requests_app:answer",
            kwargs={"token": tokens.make_token(request, purpose=tokens.ANSWER), "outcome": "refused"},
        )
    )

    post_inbound(client, postmark_inbound(to=request.email, cc=reply_address(request)))

    request.refresh_from_db()
    assert request.outcome == Outcome.REFUSED
    assert request.reply_received_at is not None


def test_a_reply_for_a_campaign_that_stopped_tracking_changes_nothing(client, tracking, sent_letter):
    request = sent_letter()
    tracking.reply_tracking = False
    tracking.save(update_fields=["reply_tracking"])

    post_inbound(client, postmark_inbound(to=reply_address(request)))

    assert DataRequest.objects.get(pk=request.pk).outcome == Outcome.AWAITING


def test_an_answer_to_the_from_address_reaches_the_supporter_with_its_attachment_and_no_copy_is_left(
    client, tracking, sent_letter, caplog, settings
):
    caplog.set_level(logging.DEBUG)
    request = sent_letter(sent_at=days_ago(10))
    settings.EMAIL_BACKEND = "config.mailfiles.OneFilePerMessageBackend"
    mail.outbox.clear()

    response = post_inbound(client, postmark_inbound(to=reply_address(request)))

    assert response.status_code == 200
    mail_files = list(settings.EMAIL_FILE_PATH.glob("*.eml"))
    assert len(mail_files) == 1
    forward = message_from_bytes(mail_files[0].read_bytes(), policy=policy.default)
    assert [a.addr_spec for a in forward["To"].addresses] == ["supporter1@example.org"]
    assert [a.addr_spec for a in forward["Reply-To"].addresses] == [SECRET_SENDER]
    assert SECRET_BODY in forward.get_body(("plain",)).get_content()
    (attachment,) = forward.iter_attachments()
    assert attachment.get_filename() == "your-data.txt"
    assert attachment.get_content() in (b"Attachment-pj09-never-stored", "Attachment-pj09-never-stored")
    request.refresh_from_db()
    assert request.outcome == Outcome.ANSWERED and request.reply_received_at is not None
    # The forward that left is the only copy: nothing in the database, the logs or the cache.
    mail_files[0].unlink()
    stored = everything_in_the_database() + caplog.text
    stored += "".join(
        path.read_text(errors="replace") for path in settings.EMAIL_FILE_PATH.rglob("*") if path.is_file()
    )
    for secret in (SECRET_SUBJECT, "Body-kx55", SECRET_SENDER, SECRET_ATTACHMENT, "Attachment-pj09", "your-data.txt"):
        assert secret not in stored
    assert cache.get(SECRET_SUBJECT) is None


def test_an_automatic_acknowledgement_is_forwarded_but_is_not_an_answer(client, tracking, sent_letter):
    request = sent_letter()
    mail.outbox.clear()

    post_inbound(
        client,
        postmark_inbound(to=reply_address(request), headers=[{"Name": "Auto-Submitted", "Value": "auto-replied"}]),
    )

    assert [message.to for message in mail.outbox] == [["supporter1@example.org"]]
    request.refresh_from_db()
    assert request.outcome == Outcome.AWAITING and request.reply_received_at is None


@pytest.mark.parametrize(
    "address",
    [
        "requests@takeback.localhost",
        "reply+aaaaaaaaaaaaaaaaaaaa@replies.takeback.example",
        "anything@replies.takeback.example",
    ],
    ids=["the plain sending address", "a reply address naming no request", "another address"],
)
def test_mail_that_names_no_request_goes_to_the_operators_mailbox(client, tracking, sent_letter, settings, address):
    sent_letter()
    settings.OPERATOR_MAILBOX = "operator@ops.example.org"
    mail.outbox.clear()

    response = post_inbound(client, postmark_inbound(to=address))

    assert response.status_code == 200
    (forward,) = mail.outbox
    assert forward.to == ["operator@ops.example.org"]
    assert address in forward.body and SECRET_BODY in forward.body
    assert [name for name, _content, _type in forward.attachments] == ["your-data.txt"]


def test_an_answer_for_an_erased_request_goes_to_the_operator_not_nowhere(client, tracking, sent_letter, settings):
    request = sent_letter()
    settings.OPERATOR_MAILBOX = "operator@ops.example.org"
    DataRequest.objects.filter(pk=request.pk).update(email="", first_name="", last_name="", letter_body="")
    mail.outbox.clear()

    post_inbound(client, postmark_inbound(to=reply_address(request)))

    assert [message.to for message in mail.outbox] == [["operator@ops.example.org"]]


def test_without_an_operator_mailbox_the_provider_is_told_to_try_again(tracking, sent_letter, settings):
    sent_letter()
    settings.OPERATOR_MAILBOX = ""
    mail.outbox.clear()

    response = post_inbound(Client(raise_request_exception=False), postmark_inbound(to="requests@takeback.localhost"))

    # Not dropped: the webhook fails, so the provider keeps the message and posts it again.
    assert response.status_code == 500
    assert mail.outbox == []
    assert SECRET_SUBJECT not in everything_in_the_database()


def test_what_the_providers_filter_calls_spam_goes_to_the_operator_not_the_supporter(
    client, tracking, sent_letter, settings
):
    request = sent_letter()
    settings.OPERATOR_MAILBOX = "operator@ops.example.org"
    mail.outbox.clear()

    post_inbound(
        client, postmark_inbound(to=reply_address(request), headers=[{"Name": "X-Spam-Status", "Value": "Yes"}])
    )

    assert [message.to for message in mail.outbox] == [["operator@ops.example.org"]]


UNSUBSCRIBE_MAILBOX = "unsubscribe@replies.takeback.example"


def mailto_subject(message) -> str:
    """The subject a mail client sends to the List-Unsubscribe mailto of this email."""
    mailto = next(uri for uri in message.extra_headers["List-Unsubscribe"].uris if uri.startswith("mailto:"))
    address, _, query = mailto.removeprefix("mailto:").partition("?")
    assert address == UNSUBSCRIBE_MAILBOX
    return unquote(query.removeprefix("subject="))


def unsubscribe_message(subject: str, *, sender: str = SECRET_SENDER, headers: list | None = None) -> dict:
    return postmark_inbound(to=UNSUBSCRIBE_MAILBOX, sender=sender, headers=headers) | {"Subject": subject}


def subscribe(campaign, *, email: str) -> Subscriber:
    return Subscriber.objects.create(
        campaign=campaign,
        first_name="Jeanne",
        last_name="Tremblay",
        email=email,
        language="en",
        consented_at=timezone.now(),
        consent_text="Send me updates.",
        privacy_policy=PrivacyPolicy.current(),
    )


@pytest.fixture
def unsubscribe_mailbox(tracking, settings):
    settings.UNSUBSCRIBE_MAILBOX = UNSUBSCRIBE_MAILBOX
    settings.OPERATOR_MAILBOX = "operator@ops.example.org"


def test_the_reminders_mailto_stops_the_reminders_and_keeps_nothing(client, unsubscribe_mailbox, sent_letter):
    request = sent_letter(wants_reminder=True)
    emails.send_reminder_email(request, timeline=request_timeline(request), answers=["answered"])
    subject = mailto_subject(mail.outbox[-1])
    mail.outbox.clear()

    # The token decides, not the sender (a mail client sends from whatever account it has).
    response = post_inbound(client, unsubscribe_message(subject, sender="someone-else@example.net"))

    assert response.status_code == 200
    request.refresh_from_db()
    assert not request.wants_reminder
    assert mail.outbox == []
    assert SECRET_BODY not in everything_in_the_database()


def test_an_updates_emails_mailto_takes_the_subscriber_off_the_list(client, unsubscribe_mailbox, campaign):
    request = confirmed(campaign, wants_updates=True, email="leaving@example.org")
    other = subscribe(campaign, email="stays@example.org")
    emails.send_already_submitted_email(request)
    subject = mailto_subject(mail.outbox[-1])
    mail.outbox.clear()

    post_inbound(client, unsubscribe_message(subject))

    assert list(Subscriber.objects.all()) == [other]
    assert mail.outbox == []


def test_a_hand_written_unsubscribe_takes_its_sender_off_the_lists_without_suppressing_it(
    client, unsubscribe_mailbox, campaign, sent_letter
):
    request = sent_letter(wants_reminder=True)
    subscribe(campaign, email=request.email.upper())
    mail.outbox.clear()

    post_inbound(client, unsubscribe_message("Please unsubscribe me", sender=request.email))

    request.refresh_from_db()
    assert not request.wants_reminder
    assert not Subscriber.objects.exists()
    # A From can be forged: it stops updates and reminders, never the supporter's other email.
    assert not EmailSuppression.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("subject", "headers"),
    [
        ("Automatic reply: unsubscribe", [{"Name": "Auto-Submitted", "Value": "auto-replied"}]),
        ("unsubscribe not-a-token:forged:signature", [{"Name": "Auto-Submitted", "Value": "auto-generated"}]),
    ],
    ids=["an out-of-office answer", "a forged token from a machine"],
)
def test_a_machines_message_to_the_unsubscribe_mailbox_unsubscribes_nobody(
    client, unsubscribe_mailbox, campaign, sent_letter, subject, headers
):
    request = sent_letter(wants_reminder=True)
    subscribe(campaign, email=request.email)
    mail.outbox.clear()

    response = post_inbound(client, unsubscribe_message(subject, sender=request.email, headers=headers))

    assert response.status_code == 200
    request.refresh_from_db()
    assert request.wants_reminder and Subscriber.objects.exists()
    assert mail.outbox == []


def test_without_an_unsubscribe_mailbox_that_address_is_mail_for_the_operator(client, tracking, settings):
    settings.OPERATOR_MAILBOX = "operator@ops.example.org"

    post_inbound(client, unsubscribe_message("unsubscribe"))

    assert [message.to for message in mail.outbox] == [["operator@ops.example.org"]]


def test_the_campaign_admin_describes_reply_tracking_as_it_works_now(admin_client, campaign):
    page = admin_client.get(reverse("admin:campaign_campaign_change", args=[campaign.pk])).content.decode()

    assert "Count a reply to a letter's own reply address (its From, on the reply domain)" in page
    assert "Domain of each letter's own reply address (reply+…@domain)" in page
    assert "tracking address" not in page
