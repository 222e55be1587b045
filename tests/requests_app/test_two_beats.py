"""A second beat started by mistake (on another host, or twice on one) changes nothing: every
periodic task may run twice at once, and every job it queues may arrive twice, without a supporter
getting an email twice or a count moving. Each task runs here twice at the same moment, on the real
PostgreSQL and Redis; then every job both runs queued goes to the worker's task, two at a time."""

import base64
import datetime
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from campaign.models import Tally
from campaign.tallies import fold_tally_shards
from config.celery import app as celery_app
from requests_app.followup import run_follow_up
from requests_app.models import DataRequest, Status
from requests_app.retention import apply_retention
from requests_app.sweeping import sweep_requests
from tests.conftest import TEST_QUEUE
from tests.supporters import days_ago, several_confirmed, submitted

pytestmark = pytest.mark.django_db(transaction=True)


def twice_at_once(task) -> list:
    """Run `task` in two threads at the same moment, each on its own database connection."""

    def run(_):
        try:
            return task()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run, range(2)))


def take_queued_jobs() -> list[tuple[str, list]]:
    """Every job on this run's queue, as (task name, arguments), taken off the queue."""
    queue = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    jobs = []
    while (raw := queue.rpop(TEST_QUEUE)) is not None:
        message = json.loads(raw)
        arguments, _, _ = json.loads(base64.b64decode(message["body"]))
        jobs.append((message["headers"]["task"], arguments))
    return jobs


def run_jobs_two_at_a_time(jobs: list[tuple[str, list]]) -> None:
    celery_app.loader.import_default_modules()

    def run(job):
        try:
            task_name, arguments = job
            celery_app.tasks[task_name](*arguments)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(run, jobs))


@pytest.fixture
def empty_queue():
    take_queued_jobs()  # what earlier tests' commits queued


def test_two_sweeps_send_a_forgotten_confirmation_once(campaign, empty_queue):
    forgotten = submitted(campaign)
    DataRequest.objects.filter(pk=forgotten.pk).update(created_at=timezone.now() - datetime.timedelta(hours=1))
    take_queued_jobs()  # the job of the submission itself, lost (the broker was down)

    reports = twice_at_once(sweep_requests)
    jobs = take_queued_jobs()
    run_jobs_two_at_a_time(jobs)

    assert [report.confirmations_requeued for report in reports] == [1, 1]
    assert len(jobs) == 2
    confirmations = [message for message in mail.outbox if forgotten.email in message.to]
    assert len(confirmations) == 1
    forgotten.refresh_from_db()
    assert forgotten.confirmation_sent_at is not None


def test_two_sweeps_send_a_forgotten_letter_once(campaign, empty_queue):
    (letter,) = several_confirmed(campaign, 1)
    DataRequest.objects.filter(pk=letter.pk).update(not_before=timezone.now() - datetime.timedelta(hours=1))
    take_queued_jobs()
    mail.outbox.clear()

    twice_at_once(sweep_requests)
    jobs = take_queued_jobs()
    run_jobs_two_at_a_time(jobs)

    assert len(jobs) == 2
    assert [message.to for message in mail.outbox] == [[campaign.ordered_targets()[0].privacy_email]]
    letter.refresh_from_db()
    assert letter.status == Status.SENT


def test_two_follow_up_runs_send_one_reminder(campaign, sent_letter, empty_queue):
    asked = sent_letter(wants_reminder=True, sent_at=days_ago(31))
    take_queued_jobs()
    mail.outbox.clear()

    twice_at_once(run_follow_up)
    run_jobs_two_at_a_time(take_queued_jobs())

    reminders = [message for message in mail.outbox if "answer your data request" in message.subject]
    assert [message.to for message in reminders] == [[asked.email]]


def test_two_folds_of_the_tallies_keep_every_count(campaign):
    last_month = timezone.localdate() - datetime.timedelta(days=30)
    Tally.objects.bulk_create(
        Tally(
            campaign=campaign,
            target=campaign.ordered_targets()[0],
            day=last_month,
            law="pipeda",
            jurisdiction=jurisdiction,
            language="en",
            status=status,
            shard=shard,
            count=shard + 1,
        )
        for jurisdiction in ("CA-ON", "CA-QC", "CA-BC")
        for status in (Status.SENT, Status.DELIVERED)
        for shard in range(8)
    )
    before = Tally.objects.aggregate(total=Sum("count"))["total"]

    twice_at_once(lambda: fold_tally_shards(before=timezone.localdate()))

    assert Tally.objects.aggregate(total=Sum("count"))["total"] == before
    assert Tally.objects.filter(shard__gt=0).count() == 0
    assert Tally.objects.filter(day=last_month).count() == 6


def test_two_retention_runs_delete_once_and_move_the_count_once(campaign):
    stale = submitted(campaign)
    long_ago = timezone.now() - datetime.timedelta(days=30)
    DataRequest.objects.filter(pk=stale.pk).update(created_at=long_ago, status_changed_at=long_ago)

    twice_at_once(apply_retention)

    assert not DataRequest.objects.filter(pk=stale.pk).exists()
    # Its count moves from "awaiting confirmation" to "expired" once, not twice.
    by_status = dict(Tally.objects.values("status").annotate(total=Sum("count")).values_list("status", "total"))
    assert by_status == {Status.AWAITING_CONFIRMATION: 0, Status.EXPIRED: 1}
