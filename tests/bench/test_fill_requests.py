"""The scale filler writes requests and tallies that agree, as the live site would leave them."""

import collections
import datetime

import pytest
from django.db.models import Count, Sum
from django.utils import timezone

from bench import fill_requests
from campaign.models import Tally
from campaign.tallies import SHARDS, count_by_status
from campaign.tasks import fold_tally_shards_task
from requests_app.models import DataRequest, Status

pytestmark = pytest.mark.django_db


def fill(**options) -> str:
    return fill_requests.fill(**options)


def requests_by_key() -> collections.Counter:
    counter = collections.Counter()
    for created_at, law, jurisdiction, language, status in DataRequest.objects.values_list(
        "created_at", "law", "jurisdiction", "language", "status"
    ):
        counter[(created_at.date(), law, jurisdiction, language, status)] += 1
    return counter


def tallies_by_key() -> collections.Counter:
    rows = Tally.objects.values_list("day", "law", "jurisdiction", "language", "status").annotate(total=Sum("count"))
    return collections.Counter({tuple(key): total for *key, total in rows if total})


def test_it_fills_requests_whose_tallies_match_them_key_for_key(campaign):
    output = fill(count=3000, days=60, seed=3)

    assert "3,000 requests" in output
    assert DataRequest.objects.count() == 3000
    assert tallies_by_key() == requests_by_key()
    statuses = set(DataRequest.objects.values_list("status", flat=True))
    assert {Status.DELIVERED, Status.SENT, Status.BOUNCED, Status.FAILED} <= statuses
    assert set(DataRequest.objects.values_list("law", flat=True)) >= {"pipeda", "gdpr", "uk_gdpr", "ccpa", "general"}
    # As live traffic leaves them: the passing states are there, netted to zero across the shards.
    assert Tally.objects.filter(status=Status.SENDING).exists()
    assert count_by_status(campaign)[Status.SENDING] == 0
    assert Tally.objects.values("shard").distinct().count() == SHARDS


def test_requests_past_the_retention_period_are_already_erased(campaign):
    fill(count=2000, days=365, seed=4)
    erased = DataRequest.objects.filter(personal_data_erased_at__isnull=False)
    past_retention = DataRequest.objects.filter(erase_after__lt=timezone.now())

    assert erased.count() == past_retention.count() > 0
    assert not erased.exclude(email="").exists()
    assert not erased.exclude(letter_body="").exists()
    assert not DataRequest.objects.filter(personal_data_erased_at__isnull=True, email="").exists()


def test_a_folded_fill_writes_one_row_per_key_and_a_second_fill_adds_to_the_first(campaign):
    fill(count=1000, days=30, seed=5, folded=True)
    fill(count=1000, days=30, seed=6)

    assert DataRequest.objects.count() == 2000
    assert tallies_by_key() == requests_by_key()


def test_the_hourly_task_folds_the_days_before_yesterday(campaign):
    fill(count=1500, days=10, seed=7)
    totals = tallies_by_key()
    two_days_ago = timezone.localdate() - datetime.timedelta(days=2)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    assert Tally.objects.filter(day=two_days_ago).exclude(shard=0).exists()

    fold_tally_shards_task()

    assert tallies_by_key() == totals
    settled = Tally.objects.filter(day__lte=two_days_ago)
    assert set(settled.values_list("shard", flat=True)) == {0}
    assert not settled.values("day", "jurisdiction", "language", "status").annotate(rows=Count("id")).filter(rows__gt=1)
    assert Tally.objects.filter(day=yesterday).exclude(shard=0).exists()
