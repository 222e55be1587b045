"""The one reminder after the deadline, its one-click answers, and the hourly job that sends it."""

import datetime
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from requests_app import tokens
from requests_app.followup import (
    OutcomeNotAllowed,
    due_reminders,
    mark_overdue_requests,
    report_outcome,
    run_follow_up,
    schedule_follow_ups,
)
from requests_app.models import DataRequest, Outcome
from requests_app.reminders import send_reminder
from tests.conftest import free_port, start_worker, stop_worker, wait_until, worker_environment
from tests.supporters import days_ago

ONE_DAY = datetime.timedelta(days=1)


def reminders_sent() -> list:
    return [message for message in mail.outbox if "answer your data request" in message.subject]


def follow_up(*, now: datetime.datetime | None = None) -> list[int]:
    """The hourly job's steps, without the broker: the ids whose reminder is due."""
    schedule_follow_ups(now=now)
    mark_overdue_requests(now=now)
    return list(due_reminders(now=now or timezone.now()).values_list("pk", flat=True))


def answer_links(message) -> dict[str, str]:
    return {outcome: path for path, outcome in re.findall(r"http://testserver(/\S+/r/answer/\S+/(\w+)/)", message.body)}


@pytest.mark.django_db
def test_the_reminder_goes_once_and_only_to_supporters_who_asked(sent_letter):
    asked = sent_letter(wants_reminder=True, sent_at=days_ago(31))
    sent_letter(wants_reminder=False, sent_at=days_ago(31))

    assert follow_up() == [asked.pk]
    assert send_reminder(request_id=asked.pk)
    assert not send_reminder(request_id=asked.pk)

    (reminder,) = reminders_sent()
    assert reminder.to == [asked.email]
    assert reminder.subject == "Did Clearview AI answer your data request?"
    assert "This is the only reminder we send" in reminder.body
    assert follow_up() == []


@pytest.mark.django_db
def test_no_reminder_before_the_day_after_the_deadline(sent_letter):
    # The general letter's 30 days never move off a weekend (PIPEDA's may, when day 30 is a Sunday).
    request = sent_letter(jurisdiction="OTHER", wants_reminder=True, sent_at=days_ago(30))

    assert follow_up() == []
    assert not send_reminder(request_id=request.pk)
    assert follow_up(now=timezone.now() + ONE_DAY) == [request.pk]
    assert reminders_sent() == []


@pytest.mark.django_db
def test_no_reminder_once_the_supporter_told_us_what_happened(sent_letter):
    request = sent_letter(wants_reminder=True, sent_at=days_ago(20))
    report_outcome(request, outcome=Outcome.ANSWERED)

    assert follow_up(now=timezone.now() + 30 * ONE_DAY) == []
    assert not send_reminder(request_id=request.pk, now=timezone.now() + 30 * ONE_DAY)


@pytest.mark.django_db
def test_the_reminders_links_open_a_page_and_only_its_button_records_the_answer(client, sent_letter):
    request = sent_letter(wants_reminder=True, sent_at=days_ago(31))
    follow_up()
    send_reminder(request_id=request.pk)
    links = answer_links(reminders_sent()[0])
    assert set(links) == {"answered", "extended", "refused", "no_answer"}

    page = client.get(links["answered"])
    client.head(links["answered"])

    assert page.status_code == 200
    assert 'name="timing" value="in_time"' in page.content.decode()
    request.refresh_from_db()
    assert request.outcome == Outcome.NO_ANSWER

    response = client.post(links["answered"], {"timing": "in_time"})

    assert "/r/status/" in response["Location"]
    request.refresh_from_db()
    assert (request.outcome, request.answered_in_time) == (Outcome.ANSWERED, True)


@pytest.mark.django_db
def test_no_answer_in_the_reminder_leads_to_the_complaint(client, sent_letter):
    request = sent_letter(wants_reminder=True, sent_at=days_ago(31))
    follow_up()
    send_reminder(request_id=request.pk)

    response = client.get(answer_links(reminders_sent()[0])["no_answer"])

    assert "/r/complaint/" in response["Location"]
    assert "section 8(5)" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_forged_or_tampered_answer_link_is_not_found(client, sent_letter):
    request = sent_letter(wants_reminder=True, sent_at=days_ago(31))
    follow_up()
    send_reminder(request_id=request.pk)
    link = answer_links(reminders_sent()[0])["refused"]
    token = link.split("/r/answer/")[1].split("/")[0]
    status_token = tokens.make_token(request, purpose=tokens.STATUS)

    assert client.post(link.replace(token, token[:-2] + "xx")).status_code == 404
    assert client.post(link.replace(token, status_token)).status_code == 404
    assert client.post(link.replace("/refused/", "/awaiting/")).status_code == 404
    request.refresh_from_db()
    assert request.outcome == Outcome.NO_ANSWER


@pytest.mark.django_db
def test_an_extension_brings_one_more_reminder_the_day_after_the_new_date(client, sent_letter):
    request = sent_letter(wants_reminder=True, sent_at=days_ago(31))
    follow_up()
    send_reminder(request_id=request.pk)

    client.post(answer_links(reminders_sent()[0])["extended"])

    request.refresh_from_db()
    assert request.outcome == Outcome.EXTENDED
    assert request.follow_up_due_on == timezone.localdate(days_ago(31)) + 61 * ONE_DAY
    assert follow_up() == []
    later = timezone.now() + 30 * ONE_DAY
    assert follow_up(now=later) == [request.pk]
    assert send_reminder(request_id=request.pk, now=later)
    assert not send_reminder(request_id=request.pk, now=later)

    first, second = reminders_sent()
    assert set(answer_links(second)) == {"answered", "refused", "no_answer"}
    assert "This is the last reminder we send about this request." in second.body
    # The longest extension the law allows is over: claiming another is refused, and no third
    # reminder is ever due.
    request.refresh_from_db()
    with pytest.raises(OutcomeNotAllowed) as refused:
        report_outcome(request, outcome=Outcome.EXTENDED, now=later)
    assert refused.value.reason == "extension_over"
    assert follow_up(now=later + 90 * ONE_DAY) == []
    assert "extended" in answer_links(first)


@pytest.mark.django_db
def test_a_reminder_that_could_not_leave_is_tried_again_next_hour(sent_letter, settings):
    request = sent_letter(wants_reminder=True, sent_at=days_ago(31))
    follow_up()
    # A real SMTP connection to a port where nothing listens.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2

    assert not send_reminder(request_id=request.pk)
    request.refresh_from_db()
    assert request.reminder_sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert follow_up() == [request.pk]
    assert send_reminder(request_id=request.pk)
    assert len(reminders_sent()) == 1


@pytest.mark.django_db(transaction=True)
def test_workers_racing_for_the_same_reminder_send_it_once(sent_letter):
    request = sent_letter(wants_reminder=True, sent_at=days_ago(31))
    follow_up()

    def race(_):
        try:
            return send_reminder(request_id=request.pk)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(race, range(12)))

    assert results.count(True) == 1
    assert len(reminders_sent()) == 1


@pytest.mark.django_db(transaction=True)
def test_the_hourly_job_sends_the_reminder_through_the_worker_once(campaign, sent_letter, smtp_sink):
    asked = sent_letter(wants_reminder=True, sent_at=days_ago(31))
    sent_letter(wants_reminder=False, sent_at=days_ago(31))
    # Started after the letters went out (to the test outbox): the jobs their submissions queued
    # find them handled, and only reminders reach the SMTP sink.
    worker = start_worker(worker_environment(smtp_port=smtp_sink.port))
    try:
        smtp_sink.reset()

        report = run_follow_up()

        assert (report.scheduled, report.marked_no_answer, report.reminders_queued) == (2, 2, 1)
        (reminder,) = wait_until(lambda: smtp_sink.messages, what="the reminder")
        assert reminder["To"] == asked.email
        assert "http://testserver/en/r/answer/" in reminder.get_content()
        wait_until(
            lambda: DataRequest.objects.filter(pk=asked.pk, reminder_sent_at__isnull=False).exists(),
            what="the reminder to be recorded",
        )
        assert run_follow_up().reminders_queued == 0
        assert DataRequest.objects.filter(reminder_sent_at__isnull=False).count() == 1
        assert len(smtp_sink.messages) == 1
    finally:
        stop_worker(worker)


@pytest.mark.django_db
def test_an_answer_after_the_deadline_needs_to_say_when_it_came(client, sent_letter):
    request = sent_letter(wants_reminder=True, sent_at=days_ago(31))
    follow_up()
    send_reminder(request_id=request.pk)
    link = answer_links(reminders_sent()[0])["refused"]

    response = client.post(link)

    assert response.status_code == 409
    assert "did the answer come by the deadline or after it?" in response.content.decode()
    request.refresh_from_db()
    assert request.outcome == Outcome.NO_ANSWER
    client.post(link, {"timing": "late"})
    request.refresh_from_db()
    assert (request.outcome, request.answered_in_time) == (Outcome.REFUSED, False)


@pytest.mark.django_db
def test_no_answer_cannot_be_recorded_before_the_deadline(client, sent_letter):
    request = sent_letter(sent_at=days_ago(3))
    link = reverse(
        "requests_app:answer",
        kwargs={"token": tokens.make_token(request, purpose=tokens.ANSWER), "outcome": "no_answer"},
    )

    shown, posted = client.get(link), client.post(link)

    assert (shown.status_code, posted.status_code) == (409, 409)
    assert "The deadline has not passed" in posted.content.decode()
    request.refresh_from_db()
    assert request.outcome == Outcome.AWAITING


@pytest.mark.django_db
def test_the_form_says_how_many_emails_will_follow(client, campaign):
    page = client.get("/").content.decode()

    assert "Email me once, the day after the legal deadline" in page
    assert "With it, one email more after the deadline, or two if they extend it." in page
