"""The evidence pack: a PDF from the status page that proves what the supporter did."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from campaign.models import Target
from requests_app import tokens
from requests_app.evidence import LETTER_ATTACHMENT
from requests_app.followup import mark_overdue_requests, schedule_follow_ups
from requests_app.models import DataRequest, Status
from requests_app.sending import SendResult, requeue_letter, send_letter
from tests.supporters import confirmed, days_ago, sent

pytestmark = pytest.mark.django_db


def status_token(request) -> str:
    return tokens.make_token(request, purpose=tokens.STATUS)


def pdf_of(response) -> PdfReader:
    assert response.status_code == 200
    return PdfReader(io.BytesIO(response.content))


def download(client, request):
    return client.get(reverse("requests_app:evidence", kwargs={"token": status_token(request)}))


@pytest.mark.parametrize(
    ("first_name", "last_name", "extracts_in_writing_order"),
    # Right-to-left text comes out of a PDF in visual order (no shaping library): the attached
    # letter.txt is the exact copy there.
    [("Jeanne", "Tremblay", True), ("Zoë-Anne", "O’Brien-Ñúñez", True), ("Жанна", "ژان", False)],
)
def test_the_evidence_pack_holds_the_letter_byte_for_byte_and_its_facts(
    client, campaign, first_name, last_name, extracts_in_writing_order
):
    request = sent(campaign, first_name=first_name, last_name=last_name)
    letter = mail.outbox[-1]
    DataRequest.objects.filter(pk=request.pk).update(delivered_at=days_ago(0))

    response = download(client, request)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    pdf = PdfReader(io.BytesIO(response.content))
    assert pdf.attachments[LETTER_ATTACHMENT] == [request.letter_body.encode()]
    text = "\n".join(page.extract_text() for page in pdf.pages)
    flat = " ".join(text.split())
    for fact in (letter.extra_headers["Message-ID"], "privacy-requests@clearview.ai", request.email, "Legal deadline"):
        assert fact in flat
    # The letter is shown too: every word of it, in order.
    shown = request.letter_body if extracts_in_writing_order else request.letter_body.replace(last_name, "")
    assert " ".join(shown.split()) in flat.replace(last_name[::-1] + " ", "")


def test_the_pack_shows_the_addresses_the_letter_went_out_with_after_the_settings_change(client, campaign, settings):
    campaign.reply_domain = "reply.takeback.example.org"
    campaign.save()
    request = sent(campaign, first_name="Zoë-Anne", last_name="O’Brien-Ñúñez")
    letter = mail.outbox[-1]
    sent_from_address = f"reply+{request.reply_token}@reply.takeback.example.org"
    assert sent_from_address in letter.from_email

    campaign.reply_domain = "answers.elsewhere.example.net"
    campaign.sender_name = "Another Sender"
    campaign.test_mode = True
    campaign.save()
    settings.DEFAULT_FROM_EMAIL = "letters@elsewhere.example.net"
    flat = " ".join(" ".join(page.extract_text() for page in pdf_of(download(client, request)).pages).split())

    assert f"From: Zoë-Anne O’Brien-Ñúñez via Takeback <{sent_from_address}>" in flat
    assert f"Cc: {request.email}" in flat
    assert f"Reply-To: {request.email}, {sent_from_address}" in flat
    assert f"Message-ID: {letter.extra_headers['Message-ID']}" in flat
    assert "To: privacy-requests@clearview.ai" in flat
    assert f"Subject: {letter.subject}" in flat and not letter.subject.startswith("[TEST]")
    for rebuilt in ("elsewhere.example.net", "via Another Sender", "reconstructed", "[TEST]"):
        assert rebuilt not in flat


def test_a_letter_sent_before_its_addresses_were_recorded_says_they_are_rebuilt(client, campaign):
    request = sent(campaign)
    DataRequest.objects.filter(pk=request.pk).update(
        sent_from="", sent_cc="", sent_reply_to="", sent_message_id="", sent_subject=""
    )

    flat = " ".join(" ".join(page.extract_text() for page in pdf_of(download(client, request)).pages).split())

    assert f"via Takeback <reply+{request.reply_token}@takeback.localhost> (reconstructed from the current" in flat
    assert f"Cc: {request.email} (reconstructed from the current settings, not recorded when sent)" in flat
    assert f"{request.full_name} (reconstructed from the current settings" in flat


def test_the_status_page_offers_the_pack_and_says_to_download_it_before_erasure(client, campaign):
    request = sent(campaign)

    # One token: the page links the letter it names with the link's own token (made a second apart,
    # two tokens differ).
    token = status_token(request)
    page = client.get(reverse("requests_app:status", kwargs={"token": token})).content.decode()
    delete_page = client.get(reverse("requests_app:delete", kwargs={"token": token})).content.decode()

    assert "Download your evidence pack before your data is erased" in page
    assert reverse("requests_app:evidence", kwargs={"token": token}) in page
    assert "Download your evidence pack first" in delete_page


def test_there_is_no_pack_before_the_letter_goes_or_after_erasure(client, campaign):
    unsent = confirmed(campaign, email="unsent@example.org")
    assert download(client, unsent).status_code == 404
    request = sent(campaign)
    DataRequest.objects.filter(pk=request.pk).update(letter_body="", email="", personal_data_erased_at=days_ago(0))
    assert download(client, request).status_code == 404


def test_a_letter_that_fails_for_good_brings_one_email_to_the_supporter(campaign, sink, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    request = confirmed(campaign)
    sink.reply_next_with("550 5.1.1 mailbox unavailable")

    assert send_letter(request_id=request.pk).result == SendResult.FAILED

    (notice,) = sink.messages
    assert notice["To"].addresses[0].addr_spec == request.email
    assert "could not be delivered" in str(notice["Subject"])
    assert "What you can do" in notice.get_body(("plain",)).get_content()
    # Requeued by an admin and failing again: no second notice.
    request.refresh_from_db()
    requeue_letter(request)
    Target.objects.filter(pk=request.target_id).update(next_send_slot=days_ago(1))
    sink.reply_next_with("550 5.1.1 mailbox unavailable")
    assert send_letter(request_id=request.pk).result == SendResult.FAILED
    assert len(sink.messages) == 1
    assert DataRequest.objects.get(pk=request.pk).status == Status.FAILED


def test_the_evidence_pack_holds_the_complaint_once_one_is_due(client, campaign):
    request = sent(campaign)
    DataRequest.objects.filter(pk=request.pk).update(sent_at=days_ago(40))
    schedule_follow_ups()
    mark_overdue_requests()
    request.refresh_from_db()

    pdf = PdfReader(io.BytesIO(download(client, request).content))

    flat = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert "Answer reported: no answer by the deadline" in flat
    assert "Your complaint to the regulator" in flat
    assert "Office of the Privacy Commissioner of Canada" in flat


@pytest.mark.parametrize(
    ("jurisdiction", "expected", "absent"),
    [
        ("US-CA", ["Legal deadline:", "Opt-out and limit due by:", "7027(g)"], ["Answer asked for by"]),
        ("CA-QC", ["Legal deadline:", "Deadline under P-39.1:", "(P-39.1 s.32)"], ["Opt-out"]),
        ("US-NY", ["Answer asked for by:"], ["Legal deadline", "Opt-out", "Deadline under"]),
        ("US-TX", ["Law: Texas Data Privacy and Security Act (TDPSA)"], ["US state privacy law"]),
    ],
)
def test_the_pack_carries_every_deadline_the_status_page_shows(client, campaign, jurisdiction, expected, absent):
    request = sent(campaign, jurisdiction=jurisdiction)

    flat = " ".join(" ".join(page.extract_text() for page in pdf_of(download(client, request)).pages).split())

    for words in expected:
        assert words in flat
    for words in absent:
        assert words not in flat
