"""The email provider's tracking webhook (Postmark's, through django-anymail) moves letters on."""

import base64
import json

import pytest

from campaign.stats import public_counts
from requests_app.lifecycle import change_status
from requests_app.models import DataRequest, DeliveryEvent, Status
from requests_app.sending import send_letter
from requests_app.submissions import confirm_request

pytestmark = pytest.mark.django_db

WEBHOOK = "/webhooks/anymail/postmark/tracking/"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": "provider:s3cret-for-tests"}
    settings.EMAIL_PROVIDER = "postmark"


@pytest.fixture
def sent_letter(client, campaign, supporter_form) -> DataRequest:
    client.post("/en/c/clearview/", supporter_form)
    request = DataRequest.objects.get()
    confirm_request(request)
    send_letter(request_id=request.pk)
    request.refresh_from_db()
    assert request.status == Status.SENT
    return request


def post_event(client, payload: dict, *, credentials: str = "provider:s3cret-for-tests"):
    return client.post(
        WEBHOOK,
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION="Basic " + base64.b64encode(credentials.encode()).decode(),
    )


def delivered(request: DataRequest) -> dict:
    return {
        "RecordType": "Delivery",
        "MessageID": "00000000-0000-0000-0000-000000000001",
        "Recipient": "privacy-requests@clearview.ai",
        "DeliveredAt": "2026-11-21T12:00:00Z",
        "Metadata": {"request_id": str(request.pk)},
    }


def bounced(request: DataRequest, *, bounce_id: int = 42) -> dict:
    return {
        "RecordType": "Bounce",
        "ID": bounce_id,
        "Type": "HardBounce",
        "TypeCode": 1,
        "MessageID": "00000000-0000-0000-0000-000000000001",
        "Email": "privacy-requests@clearview.ai",
        "BouncedAt": "2026-11-21T12:05:00Z",
        "Metadata": {"request_id": str(request.pk)},
    }


def test_a_delivery_event_marks_the_letter_delivered(client, sent_letter):
    response = post_event(client, delivered(sent_letter))

    assert response.status_code == 200
    sent_letter.refresh_from_db()
    assert sent_letter.status == Status.DELIVERED
    assert sent_letter.delivered_at.isoformat() == "2026-11-21T12:00:00+00:00"


def test_an_unauthenticated_event_changes_nothing(client, sent_letter):
    response = post_event(client, delivered(sent_letter), credentials="provider:wrong")

    assert response.status_code == 400
    sent_letter.refresh_from_db()
    assert sent_letter.status == Status.SENT
    assert not DeliveryEvent.objects.exists()


def test_a_bounce_takes_the_letter_off_the_public_count(client, campaign, sent_letter):
    assert public_counts(campaign).sent == 1

    post_event(client, bounced(sent_letter))

    sent_letter.refresh_from_db()
    assert sent_letter.status == Status.BOUNCED
    assert public_counts(campaign).sent == 0


def test_repeated_and_late_events_are_harmless(client, campaign, sent_letter):
    post_event(client, bounced(sent_letter))
    post_event(client, bounced(sent_letter))
    post_event(client, delivered(sent_letter))  # arrives after the bounce
    post_event(client, delivered(sent_letter))

    sent_letter.refresh_from_db()
    assert sent_letter.status == Status.BOUNCED
    assert DeliveryEvent.objects.filter(event_type="bounced").count() == 1
    assert public_counts(campaign).sent == 0


def test_the_event_log_keeps_no_personal_data(client, sent_letter):
    post_event(client, delivered(sent_letter))
    post_event(client, bounced(sent_letter))

    stored = " ".join(str(value) for row in DeliveryEvent.objects.values() for value in row.values())
    assert "@" not in stored
    assert "Jeanne" not in stored and "Tremblay" not in stored


def test_an_event_for_another_email_is_ignored(client, sent_letter):
    response = post_event(client, {**delivered(sent_letter), "Metadata": {}})

    assert response.status_code == 200
    sent_letter.refresh_from_db()
    assert sent_letter.status == Status.SENT


def test_a_delivery_event_settles_a_letter_set_aside_for_review(client, campaign, supporter_form):
    client.post("/en/c/clearview/", supporter_form)
    request = DataRequest.objects.get()
    confirm_request(request)
    # The worker claimed it and died before recording the send; the sweeper set it aside.
    change_status(request, source=Status.QUEUED, target=Status.SENDING)
    change_status(request, source=Status.SENDING, target=Status.NEEDS_REVIEW)

    post_event(client, delivered(request))

    request.refresh_from_db()
    assert request.status == Status.DELIVERED
    assert request.sent_at is not None
    assert public_counts(campaign).sent == 1
