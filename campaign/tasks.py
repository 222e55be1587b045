"""Celery tasks of the campaign side: each wraps one service."""

import datetime

from celery import shared_task
from django.utils import timezone

from campaign.tallies import fold_tally_shards


@shared_task
def fold_tally_shards_task() -> None:
    # Yesterday may still be busy in some time zones; anything older has settled.
    fold_tally_shards(before=timezone.localdate() - datetime.timedelta(days=1))
