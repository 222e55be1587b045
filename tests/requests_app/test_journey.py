"""The supporter's path through the site, with the services called directly (no worker)."""

import html
import re
from urllib.parse import quote_plus

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from requests_app import tokens
from requests_app.models import DataRequest, Status
from requests_app.replies import reply_address
from requests_app.sending import SendResult, send_letter
from requests_app.tasks import send_confirmation_email_task
from tests.supporters import confirmed

pytestmark = pytest.mark.django_db


def submit(client, form: dict, *, language: str = "en"):
    return client.post(f"/{language}/c/clearview/", form)


def main_content(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.DOTALL).group(0)


def confirmation_link(message) -> str:
    return re.search(r"http://testserver(/\S+/r/confirm/\S+/)", message.body).group(1)


def test_the_campaign_page_shows_the_form_and_the_counter(client, campaign):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="request-form"' in page
    assert "Be among the first to send this letter" in page


def test_a_submission_waits_for_confirmation_and_sends_nothing(client, campaign, supporter_form):
    response = submit(client, supporter_form)

    assert response.status_code == 302
    assert response["Location"].endswith("/check-your-inbox/")
    request = DataRequest.objects.get()
    assert request.status == Status.AWAITING_CONFIRMATION
    assert request.law == "pipeda"
    assert (
        "Section 8(3) requires you to respond with due diligence and in any case within 30 days" in request.letter_body
    )
    assert send_letter(request_id=request.pk).result == SendResult.ALREADY_HANDLED
    assert mail.outbox == []


def test_the_confirmation_email_links_to_the_letter(client, campaign, supporter_form):
    submit(client, supporter_form)
    request = DataRequest.objects.get()

    send_confirmation_email_task(request.pk)

    (message,) = mail.outbox
    assert message.to == ["jeanne.tremblay@example.org"]
    page = client.get(confirmation_link(message))
    assert page.status_code == 200
    assert request.letter_body.splitlines()[0] in page.content.decode()


def test_opening_the_confirmation_link_confirms_nothing(client, campaign, supporter_form):
    submit(client, supporter_form)
    request = DataRequest.objects.get()
    link = reverse("requests_app:confirm", kwargs={"token": tokens.make_token(request, purpose=tokens.CONFIRM)})

    client.get(link)
    client.head(link)

    request.refresh_from_db()
    assert request.status == Status.AWAITING_CONFIRMATION


def test_pressing_the_button_queues_the_letter_once(client, campaign, supporter_form):
    submit(client, supporter_form)
    request = DataRequest.objects.get()
    link = reverse("requests_app:confirm", kwargs={"token": tokens.make_token(request, purpose=tokens.CONFIRM)})

    first = client.post(link)
    second = client.post(link)

    request.refresh_from_db()
    assert request.status == Status.QUEUED
    assert "/r/thanks/" in first["Location"]
    assert "/r/status/" in second["Location"]


def test_the_letter_goes_in_the_supporters_name(client, campaign, supporter_form):
    submit(client, supporter_form)
    request = DataRequest.objects.get()
    client.post(reverse("requests_app:confirm", kwargs={"token": tokens.make_token(request, purpose=tokens.CONFIRM)}))

    assert send_letter(request_id=request.pk).result == SendResult.SENT

    (letter,) = mail.outbox
    assert letter.to == ["privacy-requests@clearview.ai"]
    assert letter.cc == ["jeanne.tremblay@example.org"]
    # From the request's own reply address on the campaign's domain, so an answer to From reaches us.
    assert letter.reply_to == ["jeanne.tremblay@example.org", reply_address(request)]
    assert letter.from_email == f"Jeanne Tremblay via Takeback <{reply_address(request)}>"
    assert reply_address(request).endswith("@takeback.localhost")
    assert letter.body == request.letter_body
    assert letter.extra_headers["Message-ID"].endswith("@takeback.localhost>")
    assert str(request.pk) not in letter.extra_headers["Message-ID"].split(".")[0]
    request.refresh_from_db()
    assert request.status == Status.SENT
    assert send_letter(request_id=request.pk).result == SendResult.ALREADY_HANDLED
    assert len(mail.outbox) == 1


def test_submitting_the_same_address_again_makes_no_second_request(client, campaign, supporter_form):
    submit(client, supporter_form)
    again = dict(supporter_form, email="Jeanne.Tremblay@Example.org", first_name="Jeannette")
    response = submit(client, again)

    assert response.status_code == 302
    assert DataRequest.objects.count() == 1
    assert DataRequest.objects.get().first_name == "Jeanne"


def test_an_expired_confirmation_link_says_so_and_confirms_nothing(client, campaign, supporter_form, settings):
    submit(client, supporter_form)
    request = DataRequest.objects.get()
    link = reverse("requests_app:confirm", kwargs={"token": tokens.make_token(request, purpose=tokens.CONFIRM)})
    settings.CONFIRMATION_LINK_DAYS = -1

    response = client.post(link)

    assert response.status_code == 410
    request.refresh_from_db()
    assert request.status == Status.AWAITING_CONFIRMATION


def test_a_forged_confirmation_link_is_not_found(client, campaign, supporter_form):
    submit(client, supporter_form)
    request = DataRequest.objects.get()
    forged = tokens.make_token(request, purpose=tokens.STATUS)

    response = client.post(reverse("requests_app:confirm", kwargs={"token": forged}))

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == Status.AWAITING_CONFIRMATION


def test_a_campaign_without_confirmation_queues_at_once(client, campaign, supporter_form):
    campaign.requires_confirmation = False
    campaign.save(update_fields=["requires_confirmation"])

    response = submit(client, supporter_form)

    assert "/r/thanks/" in response["Location"]
    assert DataRequest.objects.get().status == Status.QUEUED


def test_the_resend_page_sends_a_new_link_to_a_request_awaiting_confirmation(
    client, campaign, supporter_form, run_queued_jobs
):
    submit(client, supporter_form)
    request = DataRequest.objects.get()

    with run_queued_jobs():
        response = client.post("/en/c/clearview/resend/", {"email": "Jeanne.Tremblay@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/en/c/clearview/check-your-inbox/"
    (message,) = mail.outbox
    assert message.to == ["jeanne.tremblay@example.org"]
    assert client.get(confirmation_link(message)).status_code == 200
    request.refresh_from_db()
    assert request.confirmation_sent_at is not None
    assert request.status == Status.AWAITING_CONFIRMATION


def test_the_resend_page_answers_an_unknown_address_the_same_way_and_sends_nothing(
    client, campaign, supporter_form, run_queued_jobs
):
    submit(client, supporter_form)

    with run_queued_jobs():
        known = client.post("/en/c/clearview/resend/", {"email": "jeanne.tremblay@example.org"}, follow=True)
    mail.outbox.clear()
    with run_queued_jobs():
        unknown = client.post("/en/c/clearview/resend/", {"email": "nobody@example.org"}, follow=True)

    assert unknown.redirect_chain == known.redirect_chain
    assert main_content(unknown) == main_content(known)
    assert mail.outbox == []


def test_the_resend_page_sends_nothing_once_the_letter_is_confirmed(client, campaign, supporter_form, run_queued_jobs):
    submit(client, supporter_form)
    request = DataRequest.objects.get()
    client.post(reverse("requests_app:confirm", kwargs={"token": tokens.make_token(request, purpose=tokens.CONFIRM)}))

    with run_queued_jobs():
        response = client.post("/en/c/clearview/resend/", {"email": "jeanne.tremblay@example.org"})

    assert response["Location"] == "/en/c/clearview/check-your-inbox/"
    assert mail.outbox == []


def test_the_resend_page_explains_an_invalid_address(client, campaign):
    response = client.post("/en/c/clearview/resend/", {"email": "not an address"})

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    assert "Enter a valid email address." in response.content.decode()


@pytest.mark.parametrize(("language", "heading"), [("en", "Thank you"), ("fr", "Merci")])
def test_the_thank_you_page_offers_plain_share_links(client, campaign, supporter_form, language, heading):
    submit(client, supporter_form, language=language)
    request = DataRequest.objects.get()
    response = client.post(f"/{language}/r/confirm/{tokens.make_token(request, purpose=tokens.CONFIRM)}/", follow=True)

    page = response.content.decode()
    assert f"<h1>{heading}" in page
    share_links = re.findall(r'<li class="list-inline-item mb-2"><a class="[^"]+" href="([^"]+)"', page)
    assert [link.split("/")[2] if "//" in link else link.split(":")[0] for link in share_links] == [
        "mastodonshare.com",
        "bsky.app",
        "www.facebook.com",
        "x.com",
        "wa.me",
        "mailto",
    ]
    # Each shares the campaign's own address, from SITE_URL, not the address the visitor used.
    campaign_address = quote_plus(f"{settings.SITE_URL}/{language}/c/clearview/")
    assert all(campaign_address in link.replace("%20", "+") for link in share_links)
    # Only the site's own script.
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/takeback.js" defer>']
    assert "<iframe" not in page
    assert f'href="/{language}/r/status/' in page


def test_share_links_name_the_sites_public_address_whatever_the_host_header(client, campaign, settings):
    settings.SITE_URL = "https://takeback.example.org"
    request = confirmed(campaign)
    thanks = reverse("requests_app:thanks", kwargs={"token": tokens.make_token(request, purpose=tokens.STATUS)})

    page = client.get(thanks, HTTP_HOST="127.0.0.1:9999").content.decode()

    share_links = re.findall(r'<li class="list-inline-item[^"]*"><a [^>]*href="([^"]+)"', page)
    assert len(share_links) == 6
    assert all("takeback.example.org" in html.unescape(link) for link in share_links)
    assert not any("9999" in link or "127.0.0.1" in link for link in share_links)


def test_the_pages_load_nothing_from_other_sites(client, campaign):
    page = client.get("/fr/c/clearview/").content.decode()

    # Loaded resources (the canonical link and the social cards only name addresses).
    assert re.findall(r'<link rel="(?:stylesheet|icon)" [^>]*href="([^"]+)"', page) == [
        "/static/bootstrap/css/bootstrap.min.css",
        "/static/css/takeback.css",
        "/static/favicon.svg",
    ]
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/takeback.js" defer>']
