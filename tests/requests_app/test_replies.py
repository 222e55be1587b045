"""Reply detection: the letter Cc's a per-request tracking address; a reply to it, arriving
through Anymail's inbound webhook (Postmark's, here), marks the request answered and leaves no
trace of the message anywhere."""

import base64
import json
import logging

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from campaign.tallies import count_by_status
from requests_app import tokens
from requests_app.followup import mark_overdue_requests, schedule_follow_ups
from requests_app.models import DataRequest, Outcome
from requests_app.replies import reply_address, request_id_from_address
from tests.supporters import days_ago

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


def test_the_letter_ccs_a_tracking_address_of_its_own(tracking, sent_letter):
    request = sent_letter()

    letter = mail.outbox[-1]

    assert letter.cc == ["supporter1@example.org", reply_address(request)]
    assert reply_address(request).startswith(f"reply+{request.pk}-")
    assert reply_address(request).endswith("@replies.takeback.example")
    assert letter.reply_to == ["supporter1@example.org"]


def test_a_campaign_that_does_not_track_replies_adds_no_address(campaign, sent_letter):
    sent_letter()

    assert mail.outbox[-1].cc == ["supporter1@example.org"]


def test_only_a_tracking_address_we_made_names_a_request(tracking, sent_letter):
    request = sent_letter()
    address = reply_address(request)
    local_part, domain = address.split("@")

    assert request_id_from_address(address.upper()) == request.pk
    tampered = local_part[:-1] + ("1" if local_part.endswith("0") else "0")
    assert request_id_from_address(f"{tampered}@{domain}") is None
    assert request_id_from_address(f"reply+{request.pk + 1}-{local_part.split('-')[1]}@{domain}") is None
    assert request_id_from_address("someone@example.org") is None


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
