"""Sending one letter: test mode, the drip, retries, the sweeper and the admin's requeue."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from requests_app.lifecycle import change_status
from requests_app.models import DataRequest, Status
from requests_app.sending import SendResult, reserve_send_slot, retry_delay, send_letter
from requests_app.submissions import confirm_request
from requests_app.sweeping import sweep_requests
from tests.supporters import several_confirmed

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(client, campaign, supporter_form) -> DataRequest:
    client.post("/en/c/clearview/", supporter_form)
    request = DataRequest.objects.get()
    confirm_request(request)
    return request


def test_test_mode_sends_to_the_test_address_marked_test(queued, campaign):
    campaign.test_mode = True
    campaign.test_address = "organisers@example.org"
    campaign.save(update_fields=["test_mode", "test_address"])

    send_letter(request_id=queued.pk)

    (letter,) = mail.outbox
    assert letter.to == ["organisers@example.org"]
    assert letter.subject.startswith("[TEST] ")
    assert "privacy-requests@clearview.ai" not in letter.recipients()


def test_the_drip_spaces_letters_to_one_target(client, campaign):
    campaign.targets.update(letters_per_minute=2)
    first, second, third = several_confirmed(campaign, 3)

    outcomes = [send_letter(request_id=request.pk) for request in (first, second, third)]

    assert [outcome.result for outcome in outcomes] == [SendResult.SENT, SendResult.NOT_DUE, SendResult.NOT_DUE]
    assert len(mail.outbox) == 1
    gap = outcomes[2].retry_at - outcomes[1].retry_at
    assert gap == datetime.timedelta(seconds=30)
    second.refresh_from_db()
    assert second.status == Status.QUEUED
    assert second.not_before == outcomes[1].retry_at


def test_a_deferred_letter_goes_out_when_its_slot_comes(client, campaign):
    campaign.targets.update(letters_per_minute=1)
    first, second = several_confirmed(campaign, 2)
    send_letter(request_id=first.pk)
    assert send_letter(request_id=second.pk).result == SendResult.NOT_DUE

    DataRequest.objects.filter(pk=second.pk).update(not_before=timezone.now())
    assert send_letter(request_id=second.pk).result == SendResult.SENT
    assert len(mail.outbox) == 2


def test_slots_never_overlap_and_start_no_earlier_than_now(campaign):
    now = timezone.now()
    slots = [reserve_send_slot(target_id=campaign.ordered_targets()[0].pk, now=now) for _ in range(4)]

    assert slots[0] >= now
    assert [later - earlier for earlier, later in zip(slots, slots[1:], strict=False)] == [
        datetime.timedelta(seconds=2)
    ] * 3


def test_a_mail_server_that_keeps_saying_later_ends_in_failure(queued, sink, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    settings.MAX_SEND_ATTEMPTS = 3
    sink.reply_next_with(*["451 4.7.1 Greylisted, try again later"] * 5)

    results = []
    for _ in range(3):
        results.append(send_letter(request_id=queued.pk).result)
        DataRequest.objects.filter(pk=queued.pk).update(not_before=timezone.now())

    assert results == [SendResult.RETRY_LATER, SendResult.RETRY_LATER, SendResult.FAILED]
    queued.refresh_from_db()
    assert queued.status == Status.FAILED
    assert queued.failure_reason.startswith("SMTP 451")
    # Three tries of the letter, then the one email telling the supporter (refused here too).
    assert sink.attempts == 4


def test_backoff_grows_and_stays_bounded(settings):
    settings.RETRY_BACKOFF_BASE_SECONDS = 10
    settings.RETRY_BACKOFF_MAX_SECONDS = 60
    for attempt, ceiling in [(1, 10), (2, 20), (3, 40), (4, 60), (9, 60)]:
        delays = [retry_delay(attempt=attempt) for _ in range(50)]
        assert all(ceiling / 2 <= delay <= ceiling for delay in delays)


def test_the_sweeper_requeues_forgotten_letters_and_sets_aside_stuck_ones(client, campaign, settings):
    forgotten, stuck, fresh = several_confirmed(campaign, 3)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    DataRequest.objects.filter(pk=forgotten.pk).update(not_before=long_ago)
    change_status(stuck, source=Status.QUEUED, target=Status.SENDING, claimed_at=long_ago)

    report = sweep_requests()

    assert report.letters_requeued == 1
    assert report.set_aside_for_review == 1
    stuck.refresh_from_db()
    assert stuck.status == Status.NEEDS_REVIEW
    assert "worker stopped" in stuck.failure_reason


def test_an_admin_requeues_a_failed_letter(admin_client, queued):
    change_status(queued, source=Status.QUEUED, target=Status.SENDING)
    change_status(queued, source=Status.SENDING, target=Status.FAILED, failure_reason="SMTP 554: no")

    response = admin_client.post(
        "/admin/requests_app/datarequest/",
        {"action": "requeue", "_selected_action": [queued.pk]},
        follow=True,
    )

    assert "1 letter requeued." in response.content.decode()
    queued.refresh_from_db()
    assert queued.status == Status.QUEUED
    assert queued.attempts == 0
    assert send_letter(request_id=queued.pk).result == SendResult.SENT


def test_the_admin_lists_requests_by_state_with_the_failure_reason(admin_client, queued):
    change_status(queued, source=Status.QUEUED, target=Status.SENDING)
    change_status(queued, source=Status.SENDING, target=Status.FAILED, failure_reason="SMTP 554: rejected")

    page = admin_client.get("/admin/requests_app/datarequest/?status__exact=failed").content.decode()

    assert "SMTP 554: rejected" in page


def test_a_letter_whose_slot_has_come_goes_at_once_and_keeps_its_slot(client, campaign):
    campaign.targets.update(letters_per_minute=1_000_000)
    (request,) = several_confirmed(campaign, 1)

    outcome = send_letter(request_id=request.pk)

    request.refresh_from_db()
    assert outcome.result == SendResult.SENT
    assert request.send_slot is not None
    assert request.not_before == request.send_slot <= request.sent_at
    assert len(mail.outbox) == 1
