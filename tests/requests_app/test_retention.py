"""Retention: unconfirmed requests deleted, sent requests' personal data erased on schedule, the
public counts untouched."""

import datetime
import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.utils import timezone

from campaign.models import Subscriber
from campaign.stats import public_counts
from campaign.tallies import count_by_status
from requests_app.laws import LAWS
from requests_app.lifecycle import change_status
from requests_app.models import DataRequest, Status
from requests_app.retention import apply_retention, personal_data_erasure_due
from requests_app.tasks import send_confirmation_email_task
from tests.supporters import confirmed, sent, submitted

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def personal_values_in_database() -> str:
    """Every text value of every row the project's models hold, for "is this name gone?" checks."""
    values = []
    for model in apps.get_models():
        for row in model.objects.values():
            values.extend(str(value) for value in row.values())
    return "\n".join(values)


def test_it_schedules_erasure_when_the_letter_goes_out(campaign):
    request = sent(campaign)

    sent_on = request.sent_at.date()
    follow_up_ends = LAWS["pipeda"].extended_deadline_after(sent_on)
    assert follow_up_ends - sent_on == datetime.timedelta(days=60)
    assert request.erase_after == request.sent_at + datetime.timedelta(days=60 + campaign.retention_days)
    assert request.erase_after == personal_data_erasure_due(request, sent_at=request.sent_at)


def test_it_deletes_requests_left_unconfirmed_past_the_period_and_keeps_them_in_the_tallies(campaign):
    submitted(campaign, email="stale@example.org", first_name="Stale")
    fresh = submitted(campaign, email="fresh@example.org", first_name="Fresh")
    DataRequest.objects.filter(pk=fresh.pk).update(confirmation_sent_at=timezone.now() + 2 * DAY)

    report = apply_retention(now=timezone.now() + (settings.UNCONFIRMED_RETENTION_DAYS + 1) * DAY)

    assert report.unconfirmed_deleted == 1
    assert list(DataRequest.objects.values_list("email", flat=True)) == ["fresh@example.org"]
    assert count_by_status(campaign) == {Status.AWAITING_CONFIRMATION: 1, Status.EXPIRED: 1}
    assert "stale@example.org" not in personal_values_in_database()


def test_it_keeps_an_unconfirmed_request_while_its_link_still_works(campaign, settings):
    request = submitted(campaign)
    # The supporter asked for the link again on day 6: the new link works for 7 more days.
    DataRequest.objects.filter(pk=request.pk).update(confirmation_sent_at=request.created_at + 6 * DAY)

    apply_retention(now=request.created_at + (settings.UNCONFIRMED_RETENTION_DAYS + 1) * DAY)
    assert DataRequest.objects.filter(pk=request.pk).exists()

    apply_retention(now=request.created_at + (6 + settings.UNCONFIRMED_RETENTION_DAYS + 1) * DAY)
    assert not DataRequest.objects.filter(pk=request.pk).exists()


def test_it_erases_the_personal_data_of_sent_requests_after_retention_keeping_the_row_and_the_count(campaign):
    old = sent(campaign, email="old@example.org", first_name="Oldname", last_name="Olderson")
    recent = sent(campaign, email="recent@example.org", first_name="Recent")
    DataRequest.objects.filter(pk=recent.pk).update(erase_after=old.erase_after + 10 * DAY)
    counts_before = public_counts(campaign)

    report = apply_retention(now=old.erase_after + datetime.timedelta(seconds=1))

    assert report.personal_data_erased == 1
    old.refresh_from_db()
    assert (old.first_name, old.last_name, old.email, old.letter_subject, old.letter_body) == ("", "", "", "", "")
    assert (old.sent_from, old.sent_cc, old.sent_reply_to, old.sent_subject) == ("", "", "", "")
    assert old.personal_data_erased_at is not None
    assert old.status == Status.SENT and old.sent_at is not None and old.law == "pipeda"
    recent.refresh_from_db()
    assert recent.email == "recent@example.org" and recent.personal_data_erased_at is None
    assert public_counts(campaign) == counts_before
    database = personal_values_in_database()
    assert "old@example.org" not in database and "Oldname" not in database and "Olderson" not in database


def test_it_erases_nothing_before_the_date(campaign):
    request = sent(campaign)

    report = apply_retention(now=request.erase_after - datetime.timedelta(seconds=1))

    assert report.personal_data_erased == 0
    request.refresh_from_db()
    assert request.email == "jeanne.tremblay@example.org"


def test_it_schedules_requests_that_reached_sent_without_a_date(campaign):
    request = sent(campaign)
    DataRequest.objects.filter(pk=request.pk).update(erase_after=None)

    report = apply_retention(now=request.sent_at)

    assert report.erasures_scheduled == 1
    request.refresh_from_db()
    assert request.erase_after == personal_data_erasure_due(request, sent_at=request.sent_at)


def test_it_never_erases_a_letter_that_is_waiting_to_be_sent_again(campaign):
    request = confirmed(campaign)
    DataRequest.objects.filter(pk=request.pk).update(erase_after=timezone.now() - DAY)

    assert apply_retention().personal_data_erased == 0
    request.refresh_from_db()
    assert request.letter_body


def test_it_works_through_a_backlog_in_batches(campaign):
    requests = [sent(campaign, email=f"supporter{n}@example.org") for n in range(5)]
    stale = [submitted(campaign, email=f"unconfirmed{n}@example.org") for n in range(5)]
    later = max(r.erase_after for r in requests) + DAY
    assert later > stale[-1].created_at + settings.UNCONFIRMED_RETENTION_DAYS * DAY

    report = apply_retention(now=later, batch_size=2)

    assert report.unconfirmed_deleted == 5
    assert report.personal_data_erased == 5
    assert not DataRequest.objects.exclude(email="").exists()
    assert count_by_status(campaign)[Status.EXPIRED] == 5


def test_a_new_retention_period_applies_to_letters_already_sent(campaign, admin_client):
    request = sent(campaign)
    form = {
        key: value for key, value in model_to_dict(campaign, exclude=["targets", "image"]).items() if value is not None
    }
    link = campaign.target_links.get()
    # The targets inline, unchanged.
    form.update(
        {
            "target_links-TOTAL_FORMS": "1",
            "target_links-INITIAL_FORMS": "1",
            "target_links-0-id": link.pk,
            "target_links-0-campaign": campaign.pk,
            "target_links-0-target": link.target_id,
            "target_links-0-position": link.position,
        }
    )
    form.update(
        retention_days=10,
        opens_at_0=campaign.opens_at.strftime("%Y-%m-%d"),
        opens_at_1=campaign.opens_at.strftime("%H:%M:%S"),
        closes_at_0="",
        closes_at_1="",
    )
    del form["opens_at"]

    response = admin_client.post(f"/admin/campaign/campaign/{campaign.pk}/change/", form)

    assert response.status_code == 302
    request.refresh_from_db()
    assert request.erase_after == request.sent_at + datetime.timedelta(days=60 + 10)


def test_the_management_command_applies_the_same_rules(campaign, settings):
    unconfirmed = submitted(campaign, email="unconfirmed@example.org")
    letter = sent(campaign, email="sent@example.org")
    DataRequest.objects.filter(pk=letter.pk).update(erase_after=timezone.now() - DAY)
    settings.UNCONFIRMED_RETENTION_DAYS = 0
    output = io.StringIO()

    call_command("apply_retention", stdout=output)

    assert "1 unconfirmed requests deleted" in output.getvalue()
    assert "1 requests erased" in output.getvalue()
    assert not DataRequest.objects.filter(pk=unconfirmed.pk).exists()
    assert DataRequest.objects.get(pk=letter.pk).email == ""


def test_beat_runs_retention_every_day():
    entry = settings.CELERY_BEAT_SCHEDULE["apply-retention"]

    assert entry["task"] == "requests_app.tasks.apply_retention_task"
    assert entry["schedule"].remaining_estimate(timezone.now()) <= DAY


def test_an_opted_in_subscriber_outlives_the_requests_retention(campaign):
    request = sent(campaign, wants_updates=True)

    apply_retention(now=request.erase_after + DAY)

    assert Subscriber.objects.filter(email="jeanne.tremblay@example.org").exists()


def test_the_confirmation_email_promises_what_retention_does(campaign, mailoutbox):
    request = submitted(campaign)

    send_confirmation_email_task(request.pk)

    body = mailoutbox[0].body
    assert f"The link works for {settings.CONFIRMATION_LINK_DAYS} days" in body
    assert "your details are deleted after that time" in body
    assert settings.UNCONFIRMED_RETENTION_DAYS == settings.CONFIRMATION_LINK_DAYS


def test_it_deletes_failed_letters_nobody_requeued_within_the_retention_period(campaign):
    failed = confirmed(campaign, email="failed@example.org", first_name="Failed")
    change_status(failed, source=Status.QUEUED, target=Status.SENDING)
    change_status(failed, source=Status.SENDING, target=Status.FAILED, failure_reason="SMTP 550: no such mailbox")
    recent = confirmed(campaign, email="recent@example.org", first_name="Recent")
    change_status(recent, source=Status.QUEUED, target=Status.SENDING)
    change_status(recent, source=Status.SENDING, target=Status.FAILED, failure_reason="SMTP 550: no such mailbox")
    DataRequest.objects.filter(pk=recent.pk).update(
        status_changed_at=timezone.now() + (campaign.retention_days + 5) * DAY
    )

    report = apply_retention(now=timezone.now() + (campaign.retention_days + 1) * DAY)

    assert report.abandoned_failures_deleted == 1
    assert list(DataRequest.objects.values_list("email", flat=True)) == ["recent@example.org"]
    assert count_by_status(campaign)[Status.WITHDRAWN] == 1
    assert "failed@example.org" not in personal_values_in_database()
