"""The tallies stay equal to the truth: under concurrency, after deletions, and after folding shards."""

import collections
import datetime
import itertools
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connections
from django.db.models import Count, Sum
from django.utils import timezone

from campaign.models import Tally
from campaign.tallies import SHARDS, count_by_status, fold_tally_shards, shift_tally, totals_by_status
from config.celery import app as celery_app
from requests_app.letters import Supporter
from requests_app.lifecycle import change_status, delete_request
from requests_app.models import DataRequest, LetterTemplate, Status
from requests_app.submissions import Submission, confirm_request, submit_request

SUBMISSIONS = 500
JURISDICTIONS = ["CA-ON", "CA-QC", "CA-BC", "FR", "DE", "GB", "US-CA", "US-NY", "OTHER"]

# The ways a request can go, as (source, target) steps; "confirm" is the supporter's button and
# "withdraw"/"expire" delete the row. Every path starts from a fresh submission.
CONFIRM = ("confirm",)
CLAIM = (Status.QUEUED, Status.SENDING)
SENT = (Status.SENDING, Status.SENT)
PATHS = [
    [],
    [CONFIRM],
    [CONFIRM, CLAIM],
    [CONFIRM, CLAIM, SENT],
    [CONFIRM, CLAIM, SENT, (Status.SENT, Status.DELIVERED)],
    [CONFIRM, CLAIM, SENT, (Status.SENT, Status.BOUNCED)],
    [CONFIRM, CLAIM, SENT, (Status.SENT, Status.DELIVERED), (Status.DELIVERED, Status.COMPLAINED)],
    [CONFIRM, CLAIM, (Status.SENDING, Status.FAILED)],
    [CONFIRM, CLAIM, (Status.SENDING, Status.QUEUED), CLAIM, SENT],
    [CONFIRM, CLAIM, (Status.SENDING, Status.NEEDS_REVIEW), (Status.NEEDS_REVIEW, Status.SENT)],
    [("withdraw", Status.AWAITING_CONFIRMATION)],
    [("expire", Status.AWAITING_CONFIRMATION)],
    [CONFIRM, ("withdraw", Status.QUEUED)],
]


@pytest.fixture
def every_law(campaign):
    """A letter template for every law the jurisdictions below need (the seeds may cover fewer)."""
    for law in ("pipeda", "gdpr", "uk_gdpr", "ccpa", "general"):
        LetterTemplate.objects.get_or_create(
            campaign=campaign,
            law=law,
            language="en",
            defaults={"subject": "Data request", "body": "Dear {{ target_name }}, {{ full_name }} asks."},
        )
    return campaign


def in_own_connection(function):
    """Each worker thread has its own database connection; close it when the job is done."""

    def run(*args):
        try:
            return function(*args)
        finally:
            connections.close_all()

    return run


def submission(number: int) -> Submission:
    return Submission(
        supporter=Supporter(
            first_name="Supporter",
            last_name=f"Number {number}",
            email=f"supporter{number}@example.org",
            jurisdiction=JURISDICTIONS[number % len(JURISDICTIONS)],
            kind="access_and_deletion",
        ),
        language="fr" if number % 4 == 0 else "en",
        wants_updates=number % 5 == 0,
        wants_reminder=False,
        consent_text="Send this data request in my name.",
    )


def walk(request_id: int, path: list) -> collections.Counter:
    """Apply each step once; a step another thread already took is a no-op (the claim fails).
    Returns the requests this walk deleted, by reason."""
    deleted = collections.Counter()
    for step in path:
        request = DataRequest.objects.filter(pk=request_id).first()
        if request is None:
            break
        if step == CONFIRM:
            confirm_request(request)
        elif step[0] in ("withdraw", "expire"):
            reason = Status.WITHDRAWN if step[0] == "withdraw" else Status.EXPIRED
            if delete_request(request, source=step[1], reason=reason):
                deleted[reason] += 1
        else:
            change_status(request, source=step[0], target=step[1])
    return deleted


def rows_by_key() -> collections.Counter:
    counter = collections.Counter()
    for row in DataRequest.objects.values("created_at", "law", "jurisdiction", "language", "status"):
        counter[(row["created_at"].date(), row["law"], row["jurisdiction"], row["language"], row["status"])] += 1
    return counter


def tallies_by_key() -> collections.Counter:
    rows = Tally.objects.values_list("day", "law", "jurisdiction", "language", "status").annotate(total=Sum("count"))
    return collections.Counter({tuple(key): total for *key, total in rows if total})


@pytest.mark.django_db(transaction=True)
def test_it_counts_500_concurrent_submissions_and_state_changes_exactly(every_law):
    campaign = every_law
    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(
                pool.map(
                    in_own_connection(lambda n: submit_request(campaign=campaign, submission=submission(n))),
                    range(SUBMISSIONS),
                )
            )
        ids = [result.request.pk for result in results]
        assert all(result.created for result in results)
        # The hot-row guard at work: concurrent writers landed on every shard, not on one row.
        assert Tally.objects.values("shard").distinct().count() == SHARDS
        assert count_by_status(campaign) == {Status.AWAITING_CONFIRMATION: SUBMISSIONS}

        # Every request walks its path while a second walker races a quarter of them step for step,
        # and the shards are folded under their feet.
        stop_folding = threading.Event()

        def keep_folding() -> int:
            folds = 0
            while not stop_folding.is_set():
                folds += fold_tally_shards(before=timezone.localdate() + datetime.timedelta(days=1))
            return folds

        with ThreadPoolExecutor(max_workers=17) as pool:
            folding = pool.submit(in_own_connection(keep_folding))
            jobs = [(pk, PATHS[number % len(PATHS)]) for number, pk in enumerate(ids)]
            jobs += [(pk, path) for number, (pk, path) in enumerate(jobs) if number % 4 == 0]
            walks = [pool.submit(in_own_connection(walk), pk, path) for pk, path in jobs]
            deleted = sum((future.result() for future in walks), collections.Counter())
            stop_folding.set()
            assert folding.result() > 0
    finally:
        # The confirmations and letters these requests queued are for rows this test will flush.
        celery_app.control.purge()

    truth = collections.Counter(DataRequest.objects.values_list("status", flat=True))
    truth.update(deleted)
    counted = {status: total for status, total in count_by_status(campaign).items() if total}
    assert counted == dict(truth)
    assert sum(counted.values()) == SUBMISSIONS
    assert deleted[Status.WITHDRAWN] and deleted[Status.EXPIRED] and truth[Status.DELIVERED]

    # And per day, law, jurisdiction and language, for the requests that still have a row.
    rows = rows_by_key()
    tallied = tallies_by_key()
    assert {key: total for key, total in tallied.items() if key[-1] not in deleted} == dict(rows)


@pytest.mark.django_db
def test_the_counts_survive_the_deletion_of_the_personal_rows(campaign):
    kept = submit_request(campaign=campaign, submission=submission(1)).request
    dropped = submit_request(campaign=campaign, submission=submission(2)).request
    confirm_request(kept)

    assert delete_request(dropped, source=Status.AWAITING_CONFIRMATION, reason=Status.EXPIRED)
    DataRequest.objects.all().delete()

    assert count_by_status(campaign) == {Status.AWAITING_CONFIRMATION: 0, Status.QUEUED: 1, Status.EXPIRED: 1}


@pytest.mark.django_db
def test_a_refused_transition_changes_no_count(campaign):
    request = submit_request(campaign=campaign, submission=submission(1)).request
    confirm_request(request)
    before = count_by_status(campaign)

    assert not confirm_request(request)
    assert not change_status(request, source=Status.SENDING, target=Status.SENT)

    assert count_by_status(campaign) == before


_request_ids = itertools.count(1)


def shift(campaign, *, day, status, source=None, jurisdiction="CA-ON"):
    # Each call stands for another request, so the changes spread over the shards.
    shift_tally(
        campaign_id=campaign.pk,
        day=day,
        law="pipeda",
        jurisdiction=jurisdiction,
        language="en",
        target_id=campaign.ordered_targets()[0].pk,
        counts_supporter=True,
        source=source,
        target=status,
        shard_key=next(_request_ids),
    )


@pytest.mark.django_db
def test_folding_leaves_one_row_per_key_for_past_days_and_the_same_totals(campaign):
    today = timezone.localdate()
    old = today - datetime.timedelta(days=3)
    for _ in range(40):
        shift(campaign, day=old, status=Status.AWAITING_CONFIRMATION)
    for _ in range(30):
        shift(campaign, day=old, status=Status.QUEUED, source=Status.AWAITING_CONFIRMATION)
    for _ in range(10):
        shift(campaign, day=old, status=Status.AWAITING_CONFIRMATION, jurisdiction="CA-QC")
        shift(campaign, day=old, status=Status.WITHDRAWN, source=Status.AWAITING_CONFIRMATION, jurisdiction="CA-QC")
    for _ in range(20):
        shift(campaign, day=today, status=Status.AWAITING_CONFIRMATION)
    newest_old_change = Tally.objects.filter(day=old).latest("updated_at").updated_at
    totals_before = tallies_by_key()
    assert Tally.objects.filter(day=old, jurisdiction="CA-ON", status=Status.QUEUED).count() > 1

    assert fold_tally_shards(before=today) > 0

    assert tallies_by_key() == totals_before
    old_rows = Tally.objects.filter(day=old)
    assert set(old_rows.values_list("shard", flat=True)) == {0}
    # One row per key, and the keys whose count came to zero (CA-QC awaiting) are gone.
    assert old_rows.values("jurisdiction", "status").annotate(rows=Count("id")).filter(rows__gt=1).count() == 0
    assert not old_rows.filter(count=0).exists()
    assert old_rows.latest("updated_at").updated_at == newest_old_change
    # Today is left as it is: its writers still need the shards.
    assert Tally.objects.filter(day=today).exclude(shard=0).exists()
    assert fold_tally_shards(before=today) == 0


@pytest.mark.django_db
def test_every_change_moves_the_newest_change_time(campaign):
    shift(campaign, day=timezone.localdate(), status=Status.AWAITING_CONFIRMATION)
    first = totals_by_status(campaign_id=campaign.pk).updated_at

    shift(campaign, day=timezone.localdate(), status=Status.QUEUED, source=Status.AWAITING_CONFIRMATION)

    assert first is not None
    assert totals_by_status(campaign_id=campaign.pk).updated_at > first
