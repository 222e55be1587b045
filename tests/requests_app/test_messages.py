"""Every kind of message, rendered as it goes on the wire and parsed back as a mail client would,
for every name the form accepts: headers, folding, encodings, the automatic-mail marks, one-click
unsubscribe, provider tags, and the spam-complaint suppression."""

import base64
import email
import json
from email import policy
from email.header import decode_header, make_header

import pytest
from anymail.inbound import AnymailInboundMessage
from django.core import mail
from django.test import Client

from campaign.models import Subscriber
from campaign.subscriptions import unsubscribe_url
from requests_app import emails
from requests_app.followup import due_reminders, request_timeline
from requests_app.models import DataRequest, EmailSuppression
from requests_app.replies import reply_address
from requests_app.sending import build_letter_message
from tests.requests_app.test_hostile_input import STORED
from tests.supporters import confirmed, sent

pytestmark = pytest.mark.django_db

SENDING_DOMAIN = "@takeback.localhost>"
# Every name the form accepts in the hostile-input table, and long accented ones that must fold.
NAMES = [
    *[(value, "Tremblay") for field, _given, value in STORED if field == "first_name"],
    *[("Jeanne", value) for field, _given, value in STORED if field == "last_name"],
    ("Éléonore-Françoise-Marie-Thérèse", "de La Tour-d'Auvergne-Ñúñez-Østergård-Šťastný-Łukasiewicz"),
    ("Жанна-Анастасия", "Тремблей-Ростропович-Константинопольская"),
]
AUTOMATIC_KINDS = {"confirmation", "already-submitted", "reminder", "letter-failed", "answer-forward"}


def every_kind_of_message(campaign, *, first_name: str, last_name: str) -> dict:
    """The letter and each email to its supporter (who opted in to updates), rendered."""
    request = sent(campaign, first_name=first_name, last_name=last_name, email="jeanne@example.org", wants_updates=True)
    emails.send_confirmation_email(request)
    emails.send_already_submitted_email(request)
    emails.send_reminder_email(request, timeline=request_timeline(request), answers=["answered", "no_answer"])
    emails.send_letter_failed_email(request)
    answer = AnymailInboundMessage.construct(
        from_email="Ünïcode Légal Team <legal@target.example>",
        to=reply_address(request),
        subject="Réponse à votre demande d’accès",
        text="Voici vos données.\n",
        attachments=[AnymailInboundMessage.construct_attachment("image/jpeg", b"\xff\xd8photo", "photo-1.jpg")],
    )
    emails.forward_answer_to_supporter(request, message=answer, reply_address=reply_address(request))
    kinds = ["letter", "confirmation", "already-submitted", "reminder", "letter-failed", "answer-forward"]
    assert len(mail.outbox) == len(kinds)
    return dict(zip(kinds, mail.outbox, strict=True)) | {"request": request}


def wire_lines(raw: bytes) -> list[str]:
    return raw.decode("ascii").split("\r\n")


@pytest.mark.parametrize(("first_name", "last_name"), NAMES, ids=[f"{first} {last}" for first, last in NAMES])
def test_every_kind_of_message_parses_cleanly_with_correct_headers(campaign, first_name, last_name):
    messages = every_kind_of_message(campaign, first_name=first_name, last_name=last_name)
    request = messages.pop("request")

    for kind, message in messages.items():
        raw = message.message().as_bytes(linesep="\r\n")
        parsed = email.message_from_bytes(raw, policy=policy.default)
        legacy = email.message_from_bytes(raw, policy=policy.compat32)
        assert parsed.defects == [], kind
        for name in parsed:
            assert parsed[name].defects == (), (kind, name)
        # Plain ASCII on the wire, every line under 78 characters but the unsubscribe URLs'.
        for line in wire_lines(raw):
            limit = 998 if "://" in line else 78
            assert len(line) <= limit, (kind, line)

        # The display name decodes to the full name (RFC 2047, as mail clients read it: the
        # stdlib's modern parser adds a space between adjacent encoded words in a phrase).
        decoded_from = str(make_header(decode_header(legacy["From"])))
        if kind == "letter":
            assert f"{request.full_name} via Takeback" in decoded_from
            assert parsed["From"].addresses[0].addr_spec == reply_address(request)
        else:
            assert decoded_from.startswith("Takeback <") or decoded_from.startswith("Ünïcode Légal Team via Takeback")
            assert parsed["From"].addresses[0].addr_spec == "requests@takeback.localhost"
        # Subjects decode whole, with no stray space.
        assert str(parsed["Subject"]) == message.subject, kind
        assert parsed["Message-ID"].endswith(SENDING_DOMAIN), kind
        # The body in quoted-printable, paragraphs intact after decoding.
        text_part = parsed.get_body(("plain",))
        assert text_part["Content-Transfer-Encoding"] == "quoted-printable"
        assert text_part.get_content().replace("\r\n", "\n") == message.body
        # Marked for what it is.
        if kind in AUTOMATIC_KINDS:
            assert (parsed["Auto-Submitted"], parsed["X-Auto-Response-Suppress"]) == ("auto-generated", "All")
        else:
            assert parsed["Auto-Submitted"] is None and parsed["X-Auto-Response-Suppress"] is None
        assert message.tags == [kind] and message.metadata["kind"] == kind

    # Every email to this subscriber offers one-click unsubscribe; the letter does not.
    for kind in AUTOMATIC_KINDS:
        raw = messages[kind].message().as_bytes(linesep="\r\n").decode("ascii")
        parsed = email.message_from_string(raw, policy=policy.default)
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "List-Unsubscribe: <http://testserver/en/" in raw, kind
    assert "List-Unsubscribe" not in messages["letter"].extra_headers
    assert "/r/reminders/stop/" in messages["reminder"].extra_headers["List-Unsubscribe"]
    assert "/unsubscribe/" in messages["confirmation"].extra_headers["List-Unsubscribe"]


def test_list_unsubscribe_offers_a_mailto_beside_the_url_when_a_mailbox_is_set(campaign, settings):
    without = every_kind_of_message(campaign, first_name="Jeanne", last_name="Tremblay")
    assert all(len(without[kind].extra_headers["List-Unsubscribe"].uris) == 1 for kind in AUTOMATIC_KINDS)
    DataRequest.objects.all().delete()
    Subscriber.objects.all().delete()
    mail.outbox.clear()
    settings.UNSUBSCRIBE_MAILBOX = "unsubscribe@replies.takeback.example"

    messages = every_kind_of_message(campaign, first_name="Jeanne", last_name="Tremblay")

    for kind in AUTOMATIC_KINDS:
        url, mailto = messages[kind].extra_headers["List-Unsubscribe"].uris
        assert url.startswith("http://testserver/en/"), kind
        # The mailto's subject carries the URL's own signed token.
        assert mailto == f"mailto:unsubscribe@replies.takeback.example?subject=unsubscribe%20{url.split('/')[-2]}"
        raw = messages[kind].message().as_bytes(linesep="\r\n")
        parsed = email.message_from_bytes(raw, policy=policy.default)
        assert parsed["List-Unsubscribe"] == f"<{url}>, <{mailto}>", kind
        assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "List-Unsubscribe" not in messages["letter"].extra_headers


def test_the_letters_message_id_is_stable_and_hides_the_request_number(campaign):
    request = sent(campaign)
    first = mail.outbox[-1].extra_headers["Message-ID"]
    assert build_letter_message(request).extra_headers["Message-ID"] == first
    local_part = first.strip("<>").split("@")[0]
    assert local_part.startswith("letter.") and len(local_part) == len("letter.") + 32
    assert first.endswith(SENDING_DOMAIN)


def test_the_confirmation_email_says_everything_before_they_press(campaign):
    request = confirmed(campaign)
    DataRequest.objects.filter(pk=request.pk).update(wants_reminder=True)
    request.refresh_from_db()

    emails.send_confirmation_email(request)

    body = mail.outbox[-1].body
    assert "privacy-requests@clearview.ai" in body
    assert "Cc and Reply-To" in body and "you get a copy" in body
    assert "your copy of the letter, as it leaves" in body
    assert "these emails follow, and no others" in body and "one reminder the day after" in body
    assert "\n-- \nTakeback\n" in body
    assert "for each letter" not in body


def test_the_confirmation_email_promises_a_reminder_and_a_notice_per_letter_when_there_are_two(campaign, second_target):
    request = confirmed(campaign)
    DataRequest.objects.filter(submission_id=request.submission_id).update(wants_reminder=True)
    request.refresh_from_db()

    emails.send_confirmation_email(request)

    body = mail.outbox[-1].body
    assert "Facefinder Example Ltd <privacy@facefinder.example.org>" in body
    assert "your copy of each of the 2 letters" in body
    assert "for each letter, one reminder the day after its deadline" in body
    assert "one email for each letter that cannot be delivered" in body
    assert "one reminder the day after the legal deadline" not in body


def test_one_click_unsubscribe_works_without_a_csrf_token(campaign):
    confirmed(campaign, wants_updates=True)
    subscriber = Subscriber.objects.get()
    browserless = Client(enforce_csrf_checks=True)
    path = unsubscribe_url(subscriber).removeprefix("http://testserver")

    response = browserless.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code in (200, 302)
    assert not Subscriber.objects.exists()
    assert browserless.post(path.replace("/unsubscribe/", "/unsubscribe/x"), {}).status_code == 404


def test_one_click_on_the_reminder_stops_further_reminders(campaign):
    request = sent(campaign)
    DataRequest.objects.filter(pk=request.pk).update(wants_reminder=True)
    request.refresh_from_db()
    emails.send_reminder_email(request, timeline=request_timeline(request), answers=["answered"])
    url = mail.outbox[-1].extra_headers["List-Unsubscribe"].uris[0]
    browserless = Client(enforce_csrf_checks=True)

    assert browserless.get(url.removeprefix("http://testserver")).status_code == 200
    request.refresh_from_db()
    assert request.wants_reminder, "opening the link changes nothing"
    response = browserless.post(url.removeprefix("http://testserver"), {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    request.refresh_from_db()
    assert not request.wants_reminder
    assert not due_reminders(now=request.sent_at).filter(pk=request.pk).exists()


def post_spam_complaint(client, settings, *, address: str, kind: str):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "provider:s3cret-for-tests"}
    # Only the configured provider's webhooks are routed.
    settings.EMAIL_PROVIDER = "postmark"
    payload = {
        "RecordType": "SpamComplaint",
        "Type": "SpamComplaint",
        "TypeCode": 512,
        "ID": 42,
        "MessageID": "00000000-0000-4000-8000-000000000042",
        "Email": address,
        "BouncedAt": "2026-04-06T10:00:00Z",
        "Metadata": {"kind": kind},
        "Tag": kind,
    }
    return client.post(
        "/webhooks/anymail/postmark/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(b"provider:s3cret-for-tests").decode(),
    )


def test_a_spam_complaint_on_any_email_stops_all_mail_to_that_address(client, campaign, settings):
    request = confirmed(campaign, email="jeanne@example.org")
    emails.send_confirmation_email(request)
    mail.outbox.clear()

    assert post_spam_complaint(client, settings, address="Jeanne@Example.org", kind="confirmation").status_code == 200

    assert emails.send_already_submitted_email(request) is False
    assert emails.send_reminder_email(request, timeline=request_timeline(request), answers=[]) is False
    assert mail.outbox == []
    # The letter still goes to the target, without the supporter's copy.
    assert build_letter_message(request).cc == []
    # The list keeps a hash, not the address.
    (suppression,) = EmailSuppression.objects.all()
    assert "jeanne" not in str(suppression.__dict__).lower() and len(suppression.address_hash) == 64


def test_a_complaint_from_the_targets_inbox_does_not_stop_the_letters(client, campaign, settings):
    sent(campaign)

    post_spam_complaint(client, settings, address="privacy-requests@clearview.ai", kind="letter")

    assert not EmailSuppression.objects.exists()
