"""One kept connection to the mail server per worker process, and still every letter at most once."""

import pytest

from requests_app.mail_connection import close_kept_connection
from requests_app.models import DataRequest, Status
from requests_app.sending import SendResult, send_letter
from requests_app.tasks import send_confirmation_email_task
from tests.supporters import several_confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings, sink):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    yield sink
    close_kept_connection()


@pytest.fixture
def letters(client, campaign) -> list[DataRequest]:
    """Five confirmed requests, their letters due now."""
    campaign.targets.update(letters_per_minute=1_000_000)
    return several_confirmed(campaign, 5, prefix="kept")


def test_it_sends_letter_after_letter_over_one_connection(smtp, letters):
    results = [send_letter(request_id=request.pk).result for request in letters]

    assert results == [SendResult.SENT] * 5
    assert len(smtp.letters()) == 5
    assert smtp.connections_used == 1


def test_it_opens_a_new_connection_when_the_server_hung_up_and_sends_each_letter_once(smtp, letters):
    first, second, *_ = letters
    send_letter(request_id=first.pk)

    smtp.restart()
    outcome = send_letter(request_id=second.pk)

    assert outcome.result == SendResult.SENT
    recipients = [message["Cc"] for message in smtp.letters()]
    assert recipients == [first.email, second.email]
    assert smtp.connections_used == 2


def test_a_letter_refused_mid_conversation_is_not_sent_again_on_the_next_connection(smtp, letters):
    first, second, *_ = letters
    smtp.reply_next_with("421 4.3.0 Closing connection, try again later")

    assert send_letter(request_id=first.pk).result == SendResult.RETRY_LATER
    assert send_letter(request_id=second.pk).result == SendResult.SENT

    # The refused letter waits for its retry; only the next one went out, on a fresh connection.
    first.refresh_from_db()
    assert first.status == Status.QUEUED
    assert first.attempts == 1
    assert [message["Cc"] for message in smtp.letters()] == [second.email]
    assert smtp.attempts == 2


def test_confirmation_emails_share_the_letters_connection(smtp, letters, client, campaign, supporter_form):
    client.post("/en/c/clearview/", supporter_form)
    waiting = DataRequest.objects.get(status=Status.AWAITING_CONFIRMATION)

    send_letter(request_id=letters[0].pk)
    send_confirmation_email_task(waiting.pk)

    assert len(smtp.messages) == 2
    assert smtp.connections_used == 1


def test_changing_the_mail_settings_drops_the_kept_connection(smtp, letters, settings, mailoutbox):
    send_letter(request_id=letters[0].pk)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_letter(request_id=letters[1].pk)

    assert len(smtp.letters()) == 1
    assert [message.cc for message in mailoutbox] == [[letters[1].email]]
