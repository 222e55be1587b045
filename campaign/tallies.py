"""Counts of requests per state, kept in Tally rows apart from the personal data."""

import datetime

from django.db import connection
from django.db.models import Sum

from campaign.models import Campaign, Tally

# Requests spread over this many rows per key, so concurrent writers rarely wait on each other.
SHARDS = 8

# The table name comes from the model, every value is a query parameter.
_UPSERT = f"""
    INSERT INTO {Tally._meta.db_table}
        (campaign_id, day, law, jurisdiction, language, status, shard, count)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT (campaign_id, day, law, jurisdiction, language, status, shard)
    DO UPDATE SET count = {Tally._meta.db_table}.count + EXCLUDED.count
"""  # noqa: S608


def shift_tally(
    *,
    campaign_id: int,
    day: datetime.date,
    law: str,
    jurisdiction: str,
    language: str,
    source: str | None,
    target: str,
    shard_key: int,
) -> None:
    """Move one count from `source` to `target`; a new request has no source. Call inside the
    transaction that changes the request, so the count and the row never disagree.

    `shard_key` (the request id) picks the row: all changes of one request land on the same
    shard, so a transaction that moves a request twice locks rows in one order and cannot
    deadlock with another doing the same."""
    shard = shard_key % SHARDS
    changes = [(target, 1)] + ([(source, -1)] if source else [])
    # A fixed lock order, so two transactions touching the same rows cannot deadlock.
    changes.sort()
    with connection.cursor() as cursor:
        for status, delta in changes:
            cursor.execute(_UPSERT, [campaign_id, day, law, jurisdiction, language, status, shard, delta])


def count_by_status(campaign: Campaign) -> dict[str, int]:
    rows = Tally.objects.filter(campaign=campaign).values("status").annotate(total=Sum("count"))
    return {row["status"]: row["total"] for row in rows}
