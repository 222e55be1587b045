"""The email provider's webhooks: no secret, no effect, in every mode; only the configured
provider's endpoints exist; production and `check --deploy` insist on the secret."""

import base64
import json
import os

import pytest

from campaign.stats import public_counts
from requests_app.models import DataRequest, DeliveryEvent, Status
from tests.config.test_production_settings import manage

pytestmark = pytest.mark.django_db

SECRET = "provider:webhook-secret-for-tests"


def bounce(request: DataRequest) -> dict:
    return {
        "RecordType": "Bounce",
        "ID": 42,
        "Type": "HardBounce",
        "TypeCode": 1,
        "MessageID": "00000000-0000-0000-0000-000000000001",
        "Email": "privacy-requests@clearview.ai",
        "BouncedAt": "2026-11-21T12:05:00Z",
        "Metadata": {"request_id": str(request.pk)},
    }


def post(client, url: str, payload: dict, *, credentials: str | None = None):
    headers = {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()} if credentials else {}
    return client.post(url, data=json.dumps(payload), content_type="application/json", **headers)


def assert_still_sent(request: DataRequest) -> None:
    request.refresh_from_db()
    assert request.status == Status.SENT
    assert not DeliveryEvent.objects.exists()
    assert public_counts(request.campaign).sent == 1


@pytest.mark.parametrize("debug", [True, False], ids=["debug", "production"])
@pytest.mark.parametrize("credentials", [None, "anyone:anything"], ids=["no-auth", "made-up-auth"])
def test_without_a_secret_a_forged_bounce_is_refused_and_changes_nothing(
    client, settings, sent_letter, debug, credentials
):
    settings.DEBUG = debug
    settings.ANYMAIL = {}
    settings.EMAIL_PROVIDER = "postmark"
    letter = sent_letter()

    response = post(client, "/webhooks/anymail/postmark/tracking/", bounce(letter), credentials=credentials)

    assert 400 <= response.status_code < 500
    assert_still_sent(letter)


def test_with_the_secret_the_configured_provider_is_heard(client, settings, sent_letter):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    settings.EMAIL_PROVIDER = "postmark"
    letter = sent_letter()

    assert post(client, "/webhooks/anymail/postmark/tracking/", bounce(letter), credentials=SECRET).status_code == 200

    letter.refresh_from_db()
    assert letter.status == Status.BOUNCED


@pytest.mark.parametrize(
    ("provider", "url"),
    [
        ("postmark", "/webhooks/anymail/mailgun/tracking/"),
        ("postmark", "/webhooks/anymail/sendgrid/tracking/"),
        ("postmark", "/webhooks/anymail/amazon_ses/tracking/"),
        ("postmark", "/webhooks/anymail/postmark/nothing-here/"),
        ("mailgun", "/webhooks/anymail/postmark/tracking/"),
        # SMTP or mail files: no provider, no webhook at all.
        ("", "/webhooks/anymail/postmark/tracking/"),
    ],
)
def test_only_the_configured_providers_endpoints_exist(client, settings, sent_letter, provider, url):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}
    settings.EMAIL_PROVIDER = provider
    letter = sent_letter()

    response = post(client, url, bounce(letter), credentials=SECRET)

    assert response.status_code == 404
    assert_still_sent(letter)


def test_the_provider_comes_from_the_email_backend():
    environment = {**os.environ, "EMAIL_BACKEND": "anymail.backends.postmark.EmailBackend"}
    result = manage(
        "shell", "-c", "from django.conf import settings; print(settings.EMAIL_PROVIDER)", environment=environment
    )
    assert result.stdout.splitlines()[-1] == "postmark", result.stderr
    smtp = {**os.environ, "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend"}
    result = manage(
        "shell", "-c", "from django.conf import settings; print(repr(settings.EMAIL_PROVIDER))", environment=smtp
    )
    assert result.stdout.splitlines()[-1] == "''", result.stderr


def test_check_deploy_fails_without_the_secret():
    environment = {key: value for key, value in os.environ.items() if key != "ANYMAIL_WEBHOOK_SECRET"}

    result = manage("check", "--deploy", environment=environment)

    assert result.returncode != 0
    assert "takeback.E001" in result.stderr and "ANYMAIL_WEBHOOK_SECRET is not set" in result.stderr
