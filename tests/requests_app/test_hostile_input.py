"""Hostile input: each case gets a clear error and leaves no row and no letter behind, or is
stored as given and rendered inert."""

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from campaign.models import Subscriber, Tally
from requests_app import tokens
from requests_app.models import DataRequest, Status
from requests_app.sending import SendResult, send_letter
from requests_app.submissions import confirm_request
from requests_app.tasks import send_confirmation_email_task
from tests.supporters import confirmed, sent, submitted

pytestmark = pytest.mark.django_db

NAME_CHARACTERS = "Please use only letters, spaces, hyphens, apostrophes and periods."
NULL_CHARACTERS = "Null characters are not allowed."
TOO_LONG = "Ensure this value has at most"
INVALID_EMAIL = "Enter a valid email address."
NOT_ASCII = "Please use an address written in plain ASCII letters"
INVALID_CHOICE = "Select a valid choice."
IP_LITERAL = "Please use an address with a domain name, not an IP address."
SINGLE_LABEL = "Please use a full address, with a domain such as example.org."
QUOTED = "Please use an address without control characters, commas or backslashes in quotation marks."

LONG = "A" * 10_000

# (field, value, the error the supporter reads)
REFUSED = [
    ("first_name", "Jeanne\nBcc: victim@example.org", NAME_CHARACTERS),
    ("last_name", "Tremblay\r\nX-Injected: yes", NAME_CHARACTERS),
    ("first_name", "Jea\rnne", NAME_CHARACTERS),
    ("first_name", "Jeanne\x00", NULL_CHARACTERS),
    ("last_name", "Trem\x07blay", NAME_CHARACTERS),
    ("last_name", "Trem\tblay", NAME_CHARACTERS),
    ("first_name", "Jeanne\x1b[31m", NAME_CHARACTERS),
    ("first_name", "Jeanne\u200b", NAME_CHARACTERS),
    ("last_name", "Tremblay\u202egpj.exe", NAME_CHARACTERS),
    ("first_name", "\u2067Jeanne\u2069", NAME_CHARACTERS),
    ("first_name", LONG, TOO_LONG),
    ("last_name", LONG, TOO_LONG),
    ("email", LONG + "@example.org", TOO_LONG),
    ("jurisdiction", LONG, INVALID_CHOICE),
    ("kind", LONG, INVALID_CHOICE),
    ("first_name", "{{ email }}", NAME_CHARACTERS),
    ("last_name", "{% load static %}", NAME_CHARACTERS),
    ("first_name", "{% for x in y %}", NAME_CHARACTERS),
    ("first_name", "<script>alert(1)</script>", NAME_CHARACTERS),
    ("last_name", '<img src=x onerror="alert(1)">', NAME_CHARACTERS),
    ("first_name", "Robert'); DROP TABLE requests_app_datarequest;--", NAME_CHARACTERS),
    ("last_name", "x' OR '1'='1", NAME_CHARACTERS),
    ("first_name", "ceo@clearview.ai", NAME_CHARACTERS),
    ("last_name", "Tremblay via Clearview <legal@clearview.ai>", NAME_CHARACTERS),
    ("email", '"Jeanne Tremblay" <jeanne@example.org>', INVALID_EMAIL),
    ("email", "Jeanne Tremblay <jeanne@example.org>", INVALID_EMAIL),
    ("email", "jeanne@example.org, victim@example.org", INVALID_EMAIL),
    ("email", "jeanne@example.org;victim@example.org", INVALID_EMAIL),
    ("email", "jeanne@example.org\nBcc: victim@example.org", INVALID_EMAIL),
    ("email", "jeanne@example.org\r\n", None),  # surrounding whitespace is trimmed: see the stored cases
    ("email", "jeanne@exämple.org", NOT_ASCII),
    ("email", "jeanne@xn--exmple-cua.org\u202e", NOT_ASCII),
    ("email", "jéanne@example.org", NOT_ASCII),
    ("email", "jeanne@例え.jp", NOT_ASCII),
    ("email", "<script>@example.org", INVALID_EMAIL),
    ("email", "jeanne@example.org'); DROP TABLE x;--", INVALID_EMAIL),
    ("email", "jeanne\x00@example.org", NULL_CHARACTERS),
    ("email", "", "This field is required."),
    ("email", '"x\x0c\x0cInjected"@example.org', QUOTED),
    ("email", '"x\r\nBcc: victim"@example.org', QUOTED),
    ("email", '"a@evil.example,b"@example.org', QUOTED),
    ("email", '"a\\"@example.org', QUOTED),
    ("email", "ops@[127.0.0.1]", IP_LITERAL),
    ("email", "ops@[IPv6:::1]", IP_LITERAL),
    ("email", "root@localhost", SINGLE_LABEL),
    ("first_name", "   ", "This field is required."),
    ("consent", "", "Tick this box so that we may send the letter in your name."),
]


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [case for case in REFUSED if case[2] is not None],
    ids=[f"{field}={value[:30]!r}" for field, value, error in REFUSED if error is not None],
)
def test_it_refuses_hostile_input_with_a_clear_error_and_keeps_nothing(
    client, campaign, supporter_form, field, value, error, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued_jobs:
        response = client.post("/en/c/clearview/", dict(supporter_form, **{field: value}))

    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    # The message sits by the field, tied to it for screen readers.
    assert re.search(rf'id="error_\d+_id_{field}"[^>]*>\s*<strong>{re.escape(error)}', page), page[-3000:]
    assert DataRequest.objects.count() == 0
    assert Tally.objects.count() == 0
    assert queued_jobs == []  # no confirmation email, no letter


# Odd but harmless values: stored exactly (after trimming), and printed as text wherever they show.
STORED = [
    ("first_name", "Zoë-Anne", "Zoë-Anne"),
    ("last_name", "O’Brien-Ñúñez", "O’Brien-Ñúñez"),
    ("last_name", "D'Artagnan", "D'Artagnan"),
    ("first_name", "  Jeanne  ", "Jeanne"),
    ("first_name", "Жанна", "Жанна"),
    ("last_name", "ژان", "ژان"),
    ("last_name", "Z̷a̷l̷g̷o̷", "Z̷a̷l̷g̷o̷"),
    ("email", "jeanne@example.org\r\n", "jeanne@example.org"),
    ("email", "o'brien+{{first_name}}@example.org", "o'brien+{{first_name}}@example.org"),
    ("email", "x'or'1'='1@example.org", "x'or'1'='1@example.org"),
    ("email", "{%if%}@example.org", "{%if%}@example.org"),
    ("email", "jeanne@xn--exmple-cua.org", "jeanne@xn--exmple-cua.org"),
]


@pytest.mark.parametrize(("field", "value", "stored"), STORED, ids=[f"{f}={v!r}" for f, v, _ in STORED])
def test_it_stores_odd_but_harmless_values_as_given_and_renders_them_inert(
    client, campaign, supporter_form, field, value, stored
):
    response = client.post("/en/c/clearview/", dict(supporter_form, **{field: value}))

    assert response.status_code == 302
    request = DataRequest.objects.get()
    assert getattr(request, field) == stored
    assert stored in request.letter_body  # printed in the letter as text, never evaluated
    assert "{%" not in request.letter_body.replace(stored, "")
    confirm_page = client.get(
        reverse("requests_app:confirm", kwargs={"token": tokens.make_token(request, purpose=tokens.CONFIRM)})
    ).content.decode()
    assert html.escape(stored) in confirm_page


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (LONG + "@example.org", TOO_LONG),
        ('"Jeanne" <jeanne@example.org>', INVALID_EMAIL),
        ("jeanne@example.org, victim@example.org", INVALID_EMAIL),
        ("jeanne@example.org\nBcc: victim@example.org", INVALID_EMAIL),
        ("jeanne@exämple.org", NOT_ASCII),
        ("jeanne\x00@example.org", NULL_CHARACTERS),
        ('"x\x0cInjected"@example.org', QUOTED),
        ("ops@[127.0.0.1]", IP_LITERAL),
        ("root@localhost", SINGLE_LABEL),
    ],
)
def test_the_resend_form_refuses_hostile_addresses_too(
    client, campaign, value, error, django_capture_on_commit_callbacks
):
    submitted(campaign)

    with django_capture_on_commit_callbacks() as queued_jobs:
        response = client.post("/en/c/clearview/resend/", {"email": value})

    assert error in html.unescape(response.content.decode())
    assert queued_jobs == []


def test_markup_in_a_letter_is_shown_as_text_on_the_supporters_pages(client, campaign):
    request = sent(campaign)
    DataRequest.objects.filter(pk=request.pk).update(letter_body="<script>alert(1)</script> & <b>bold</b>")
    token = tokens.make_token(request, purpose=tokens.STATUS)

    page = client.get(reverse("requests_app:status", kwargs={"token": token})).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page


def test_the_honeypot_turns_a_bot_away_quietly(client, campaign, supporter_form, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued_jobs:
        response = client.post("/en/c/clearview/", dict(supporter_form, website="http://spam.example"))

    assert response.status_code == 302
    assert response["Location"].endswith("/check-your-inbox/")
    assert DataRequest.objects.count() == 0
    assert queued_jobs == []


def test_without_the_honeypot_the_same_form_is_accepted(
    client, campaign, supporter_form, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued_jobs:
        client.post("/en/c/clearview/", dict(supporter_form, website=""))

    assert DataRequest.objects.count() == 1
    assert len(queued_jobs) == 1


def test_the_honeypot_is_hidden_from_people(client, campaign):
    page = client.get("/en/c/clearview/").content.decode()

    assert re.search(r'class="honeypot"\s+aria-hidden="true"', page)
    assert re.search(r'name="website"[^>]*tabindex="-1"|tabindex="-1"[^>]*name="website"', page)


# Links that must not work: (view, how the token is made)
def _forged(request):
    return "MQ:1xyzab:Zm9yZ2VkLXNpZ25hdHVyZS1vZi10aGlydHktdHdvLWJ5dGVz"


def _tampered(request):
    token = tokens.make_token(request, purpose=tokens.CONFIRM)
    return token.replace(token.split(":")[0], "OTk5", 1)


def _other_purpose(request):
    return tokens.make_token(request, purpose=tokens.STATUS)


def _garbage(request):
    return "'; DROP TABLE x;--"


@pytest.mark.parametrize("make_token", [_forged, _tampered, _other_purpose, _garbage])
def test_a_bad_confirmation_link_confirms_nothing(client, campaign, make_token):
    request = submitted(campaign)

    response = client.post(reverse("requests_app:confirm", kwargs={"token": make_token(request)}))

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == Status.AWAITING_CONFIRMATION


@pytest.mark.parametrize("view", ["requests_app:status", "requests_app:delete", "requests_app:thanks", "unsubscribe"])
@pytest.mark.parametrize("make_token", [_forged, _garbage])
def test_a_forged_link_reaches_nothing(client, campaign, view, make_token):
    request = confirmed(campaign, wants_updates=True)

    assert client.get(reverse(view, kwargs={"token": make_token(request)})).status_code == 404
    assert client.post(reverse(view, kwargs={"token": make_token(request)})).status_code in (404, 405)
    assert DataRequest.objects.filter(pk=request.pk, email=request.email).exists()
    assert Subscriber.objects.exists()


def test_a_confirmation_token_cannot_delete_data(client, campaign):
    request = submitted(campaign)
    token = tokens.make_token(request, purpose=tokens.CONFIRM)

    assert client.post(reverse("requests_app:delete", kwargs={"token": token})).status_code == 404
    assert DataRequest.objects.filter(pk=request.pk).exists()


def test_an_expired_confirmation_link_confirms_nothing(client, campaign, settings):
    request = submitted(campaign)
    token = tokens.make_token(request, purpose=tokens.CONFIRM)
    settings.CONFIRMATION_LINK_DAYS = -1

    assert client.post(reverse("requests_app:confirm", kwargs={"token": token})).status_code == 410
    request.refresh_from_db()
    assert request.status == Status.AWAITING_CONFIRMATION


def test_a_reused_confirmation_link_sends_nothing_twice(client, campaign, mailoutbox):
    request = submitted(campaign)
    link = reverse("requests_app:confirm", kwargs={"token": tokens.make_token(request, purpose=tokens.CONFIRM)})
    client.post(link)
    assert send_letter(request_id=request.pk).result == SendResult.SENT

    again = client.post(link)

    assert again.status_code == 302 and "/r/status/" in again["Location"]
    assert not confirm_request(DataRequest.objects.get(pk=request.pk))
    assert send_letter(request_id=request.pk).result == SendResult.ALREADY_HANDLED
    assert len(mailoutbox) == 1


def test_a_confirmation_link_for_a_deleted_request_finds_nothing(client, campaign):
    request = submitted(campaign)
    link = reverse("requests_app:confirm", kwargs={"token": tokens.make_token(request, purpose=tokens.CONFIRM)})
    client.post(reverse("requests_app:delete", kwargs={"token": tokens.make_token(request, purpose=tokens.STATUS)}))

    assert client.post(link).status_code == 404
    assert not DataRequest.objects.exists()


@pytest.fixture
def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize(
    "forgery",
    [
        {"Sec-Fetch-Site": "cross-site", "Origin": "https://attacker.example"},
        {"Sec-Fetch-Site": "same-site", "Origin": "https://other.testserver"},
        # An older browser says only where the page was.
        {"Origin": "https://attacker.example"},
    ],
)
def test_a_form_post_from_another_site_is_refused(
    csrf_client, campaign, supporter_form, django_capture_on_commit_callbacks, forgery
):
    with django_capture_on_commit_callbacks() as queued_jobs:
        response = csrf_client.post("/en/c/clearview/", supporter_form, headers=forgery)

    assert response.status_code == 403
    assert DataRequest.objects.count() == 0
    assert queued_jobs == []


def test_a_confirmation_without_csrf_is_refused(csrf_client, campaign):
    request = submitted(campaign)
    link = reverse("requests_app:confirm", kwargs={"token": tokens.make_token(request, purpose=tokens.CONFIRM)})

    assert csrf_client.post(link).status_code == 403
    request.refresh_from_db()
    assert request.status == Status.AWAITING_CONFIRMATION


def test_delete_my_data_without_csrf_is_refused(csrf_client, campaign):
    request = submitted(campaign)
    link = reverse("requests_app:delete", kwargs={"token": tokens.make_token(request, purpose=tokens.STATUS)})

    assert csrf_client.post(link).status_code == 403
    assert DataRequest.objects.filter(pk=request.pk).exists()


def test_unsubscribing_without_the_signed_token_is_refused(csrf_client, campaign):
    # The one-click POST (RFC 8058) carries no CSRF token: the signed token is what protects it.
    confirmed(campaign, wants_updates=True)
    subscriber = Subscriber.objects.get()
    forged = tokens.make_token(subscriber, purpose=tokens.UNSUBSCRIBE)[:-2] + "xx"
    other_purpose = tokens.make_token(subscriber, purpose=tokens.STATUS)

    for token in (forged, other_purpose, str(subscriber.pk)):
        assert csrf_client.post(reverse("unsubscribe", kwargs={"token": token})).status_code == 404
    assert Subscriber.objects.exists()


def test_the_real_form_works_without_a_token_from_the_sites_own_page(csrf_client, campaign, supporter_form):
    page = csrf_client.get("/en/c/clearview/")

    response = csrf_client.post(
        "/en/c/clearview/", supporter_form, headers={"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}
    )

    assert "csrfmiddlewaretoken" not in page.content.decode()
    assert response.status_code == 302
    assert DataRequest.objects.count() == 1


def test_a_repeated_submission_makes_no_second_request_or_letter(client, campaign, supporter_form, mailoutbox):
    for _ in range(3):
        client.post("/en/c/clearview/", supporter_form)

    assert DataRequest.objects.count() == 1
    send_confirmation_email_task(DataRequest.objects.get().pk)
    assert len(mailoutbox) == 1


@pytest.mark.parametrize(("value", "error"), [("jeanne", INVALID_EMAIL), ("jeanne@example", INVALID_EMAIL)])
def test_an_address_that_is_not_one_gets_one_error_not_two(client, campaign, supporter_form, value, error):
    response = client.post("/en/c/clearview/", dict(supporter_form, email=value))

    page = html.unescape(response.content.decode())
    field_errors = re.findall(r'id="error_\d+_id_email"[^>]*>\s*<strong>([^<]+)', page)
    assert field_errors == [error]
