"""Every kind of email is tried a bounded number of times, with growing waits and a last attempt:
a refused confirmation is not resent every minute for a week."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from requests_app.models import DataRequest, Status
from requests_app.reminders import send_reminder
from requests_app.sending import send_letter
from requests_app.signals import letter_failed
from requests_app.supporter_emails import send_confirmation
from requests_app.sweeping import GRACE, sweep_requests
from requests_app.tasks import send_already_submitted_email_task
from tests.conftest import free_port
from tests.requests_app.test_reminders import follow_up
from tests.supporters import confirmed, days_ago, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings, sink):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.MAX_SEND_ATTEMPTS = 4
    settings.RETRY_BACKOFF_BASE_SECONDS, settings.RETRY_BACKOFF_MAX_SECONDS = 10, 600
    return sink


def awaiting(campaign) -> DataRequest:
    request = submitted(campaign)
    # As if the first job never reached a worker: the sweeper's to find.
    DataRequest.objects.filter(pk=request.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    return request


def sweeps_for_a_week(start: datetime.datetime) -> int:
    """The sweeper's runs, one every minute for seven days, as far as this request goes: how many
    times it would queue the confirmation again (a run at each time the request becomes due)."""
    requeued = 0
    now = start
    end = start + datetime.timedelta(days=7)
    while now < end:
        report = sweep_requests(now=now)
        requeued += report.confirmations_requeued
        if not report.confirmations_requeued:
            return requeued
        # Each one goes to the worker, which the mail server refuses again.
        for request in DataRequest.objects.filter(status=Status.AWAITING_CONFIRMATION):
            send_confirmation(request_id=request.pk)
        due = DataRequest.objects.get().not_before or now
        now = max(now + datetime.timedelta(minutes=1), due + GRACE + datetime.timedelta(seconds=1))
    return requeued


def test_a_refused_confirmation_is_tried_once_and_never_swept_again(campaign, smtp):
    request = awaiting(campaign)
    smtp.reply_next_with("550 5.1.1 No such mailbox")

    assert send_confirmation(request_id=request.pk) is False

    assert sweeps_for_a_week(timezone.now()) == 0
    assert smtp.attempts == 1
    request.refresh_from_db()
    assert request.failure_reason.startswith("confirmation email: SMTP 550")
    assert request.status == Status.AWAITING_CONFIRMATION


def test_a_confirmation_the_server_keeps_deferring_gets_a_few_attempts_further_and_further_apart(campaign, smtp):
    request = awaiting(campaign)
    smtp.reply_next_with(*["451 4.7.1 Try again later"] * 50)
    waits = []

    for _ in range(3):
        started = timezone.now()
        assert send_confirmation(request_id=request.pk) is False
        request.refresh_from_db()
        waits.append((request.not_before - started).total_seconds())
    assert send_confirmation(request_id=request.pk) is False

    # Full jitter in the upper half of a doubling ceiling: 5-10 s, then 10-20 s, then 20-40 s.
    assert 5 <= waits[0] <= 10.5 and 10 <= waits[1] <= 20.5 and 20 <= waits[2] <= 40.5
    assert sweeps_for_a_week(timezone.now() + datetime.timedelta(hours=1)) == 0
    assert smtp.attempts == 4


def test_asking_for_the_link_again_starts_a_fresh_series(client, campaign, smtp, django_capture_on_commit_callbacks):
    request = awaiting(campaign)
    smtp.reply_next_with("550 5.1.1 No such mailbox")
    send_confirmation(request_id=request.pk)

    with django_capture_on_commit_callbacks(execute=False) as jobs:
        client.post("/en/c/clearview/resend/", {"email": request.email})

    assert len(jobs) == 1
    assert send_confirmation(request_id=request.pk) is True
    request.refresh_from_db()
    assert (request.attempts, request.failure_reason) == (0, "")


def test_the_already_submitted_email_is_tried_a_few_times_then_dropped(campaign, smtp):
    request = confirmed(campaign)
    smtp.reply_next_with(*["451 4.7.1 Try again later"] * 50)

    send_already_submitted_email_task.apply(args=[request.pk])

    assert smtp.attempts == 4


def test_a_refused_already_submitted_email_is_not_tried_again(campaign, smtp):
    request = confirmed(campaign)
    smtp.reply_next_with("550 5.1.1 No such mailbox")

    send_already_submitted_email_task.apply(args=[request.pk])

    assert smtp.attempts == 1


def test_a_reminder_that_cannot_leave_is_tried_hourly_for_a_few_days_then_no_more(sent_letter, settings):
    request = sent_letter(wants_reminder=True, sent_at=days_ago(31))
    due_on = follow_up()
    assert due_on == [request.pk]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    assert not send_reminder(request_id=request.pk)
    request.refresh_from_db()
    # Found unanswered at outcome_at; the hourly job keeps trying for a few days from then.
    retry_days = datetime.timedelta(days=settings.REMINDER_RETRY_DAYS)

    assert follow_up(now=request.outcome_at + retry_days - datetime.timedelta(hours=1)) == [request.pk]
    assert follow_up(now=request.outcome_at + retry_days + datetime.timedelta(hours=1)) == []


def test_a_letter_that_fails_for_good_says_so_to_whoever_listens(campaign, smtp):
    heard = []

    def receiver(sender, request, reason, **kwargs):
        heard.append((request.pk, reason))

    letter_failed.connect(receiver)
    try:
        request = confirmed(campaign)
        smtp.reply_next_with("550 5.7.1 Refused")
        send_letter(request_id=request.pk)
    finally:
        letter_failed.disconnect(receiver)

    assert heard == [(request.pk, "SMTP 550: 5.7.1 Refused")]


@pytest.mark.parametrize("other", ["unknown", "confirmed"])
def test_send_the_link_again_does_the_same_work_whatever_the_address(
    client, campaign, other, django_capture_on_commit_callbacks
):
    """The page answered about 2 ms slower for an address awaiting confirmation: it queued a job
    only then. Now the same queries and the same one job either way."""
    submitted(campaign, email="awaiting@example.org")
    confirmed(campaign, email="confirmed@example.org")
    client.post("/en/c/clearview/resend/", {"email": "warm.up@example.org"})

    def work(email: str) -> tuple[list[str], int]:
        with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as jobs:
            assert client.post("/en/c/clearview/resend/", {"email": email}).status_code == 302
        shapes = [query["sql"].split(" WHERE ")[0] for query in queries.captured_queries]
        return shapes, len(jobs)

    assert work(f"{other}@example.org") == work("awaiting@example.org")
