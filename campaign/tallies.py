"""Counts of requests per state, kept in Tally rows apart from the personal data."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from campaign.models import Campaign, Tally

# Requests spread over this many rows per key, so concurrent writers rarely wait on each other.
SHARDS = 8

# Follow-up outcomes share the table under statuses with this prefix (requests_app.lifecycle). They
# count letters already counted by their delivery state, so aggregates of states leave them out.
OUTCOME_PREFIX = "outcome:"

_TABLE = Tally._meta.db_table
_KEY = "campaign_id, day, law, jurisdiction, language, target_id, counts_supporter, source, status, shard"

# The table name comes from the model, every value is a query parameter.
_UPSERT = f"""
    INSERT INTO {_TABLE} ({_KEY}, count, updated_at)
    VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
    ON CONFLICT ({_KEY})
    DO UPDATE SET count = {_TABLE}.count + EXCLUDED.count, updated_at = EXCLUDED.updated_at
"""  # noqa: S608

# Folds one (campaign, day, status) into shard 0: its rows are deleted and each key's sum written back
# as one row (none when it is zero) in the same statement, so the total never changes.
_FOLD = f"""
    WITH folded AS (
        DELETE FROM {_TABLE}
        WHERE campaign_id = %(campaign_id)s AND day = %(day)s AND status = %(status)s
        RETURNING campaign_id, day, law, jurisdiction, language, target_id, counts_supporter, source, count,
                  updated_at
    )
    INSERT INTO {_TABLE} ({_KEY}, count, updated_at)
    SELECT campaign_id, day, law, jurisdiction, language, target_id, counts_supporter, source, %(status)s, 0,
           SUM(count), MAX(updated_at)
    FROM folded
    GROUP BY campaign_id, day, law, jurisdiction, language, target_id, counts_supporter, source
    HAVING SUM(count) <> 0
    ON CONFLICT ({_KEY})
    DO UPDATE SET count = {_TABLE}.count + EXCLUDED.count,
                  updated_at = GREATEST({_TABLE}.updated_at, EXCLUDED.updated_at)
"""  # noqa: S608


def shift_tally(
    *,
    campaign_id: int,
    day: datetime.date,
    law: str,
    jurisdiction: str,
    language: str,
    target_id: int,
    counts_supporter: bool,
    source: str | None,
    target: str,
    shard_key: int,
    source_code: str = "",
) -> None:
    """Move one count from `source` to `target`; a new request has no source. Call inside the
    transaction that changes the request, so the count and the row never disagree. `source_code` is
    the campaign link's `?source=` the request came with (empty for none), not a state.

    `shard_key` (the request id) picks the row: all changes of one request land on the same
    shard, so a transaction that moves a request twice locks rows in one order and cannot
    deadlock with another doing the same."""
    shard = shard_key % SHARDS
    now = timezone.now()
    changes = [(target, 1)] + ([(source, -1)] if source else [])
    # A fixed lock order, so two transactions touching the same rows cannot deadlock. Folding
    # relies on it too (see fold_tally_shards).
    changes.sort()
    with connection.cursor() as cursor:
        for status, delta in changes:
            cursor.execute(
                _UPSERT,
                [
                    campaign_id,
                    day,
                    law,
                    jurisdiction,
                    language,
                    target_id,
                    counts_supporter,
                    source_code,
                    status,
                    shard,
                    delta,
                    now,
                ],
            )


@dataclass(frozen=True)
class StatusTotals:
    """A campaign's counts by state: of supporters (the first letter of each submission), of all
    letters, and of each target's letters (keyed by target id)."""

    supporters: dict[str, int]
    letters: dict[str, int]
    by_target: dict[int, dict[str, int]]
    updated_at: datetime.datetime | None


def totals_by_status(*, campaign_id: int) -> StatusTotals:
    """Every state's count, for supporters, letters and each target, and the time of the newest
    change, in one grouped read of the campaign's tallies."""
    rows = (
        Tally.objects.filter(campaign_id=campaign_id)
        .values_list("target_id", "counts_supporter", "status")
        .annotate(total=Sum("count"), latest=Max("updated_at"))
        .order_by()
    )
    supporters: dict[str, int] = defaultdict(int)
    letters: dict[str, int] = defaultdict(int)
    by_target: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    latest = []
    for target_id, counts_supporter, status, total, changed_at in rows:
        letters[status] += total
        by_target[target_id][status] += total
        if counts_supporter:
            supporters[status] += total
        latest.append(changed_at)
    return StatusTotals(
        supporters=dict(supporters),
        letters=dict(letters),
        by_target={target_id: dict(counts) for target_id, counts in by_target.items()},
        updated_at=max(latest, default=None),
    )


def request_state_tallies():
    """Tally rows of request states only, without the follow-up outcomes."""
    return Tally.objects.exclude(status__startswith=OUTCOME_PREFIX)


def outcome_tallies():
    """Tally rows of the follow-up outcomes only: letters already counted by their state."""
    return Tally.objects.filter(status__startswith=OUTCOME_PREFIX)


def count_by_status(campaign: Campaign) -> dict[str, int]:
    """Letters by state (one per target per supporter)."""
    return totals_by_status(campaign_id=campaign.pk).letters


def fold_tally_shards(*, before: datetime.date) -> int:
    """Fold the shards of every day before `before` into one row per key, and drop rows at zero.

    Shards keep writers apart while a day is busy; afterwards they only multiply the rows every
    read has to add up (eight per key, plus the zero rows each passing state leaves behind).
    Returns the number of (campaign, day, status) groups folded. PostgreSQL only: the local SQLite
    site never holds enough rows for it to matter.

    Each group is its own transaction and holds rows of one status only. Writers lock their two
    rows in status order (shift_tally), so a writer waiting on the fold holds at most a row of a
    lower status, and no cycle of waits can close: folding never deadlocks a supporter's request.
    """
    if connection.vendor != "postgresql":
        return 0
    pending = (
        Tally.objects.filter(Q(shard__gt=0) | Q(count=0), day__lt=before)
        .values_list("campaign_id", "day", "status")
        .distinct()
        .order_by()
    )
    groups = sorted(pending)
    with connection.cursor() as cursor:
        for campaign_id, day, status in groups:
            with transaction.atomic():
                cursor.execute(_FOLD, {"campaign_id": campaign_id, "day": day, "status": status})
    return len(groups)
