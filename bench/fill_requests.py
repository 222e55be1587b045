"""Fill the database with synthetic requests and their tallies, fast, to see the site at scale.

`python -m bench.fill_requests --count 1000000` writes the rows with PostgreSQL's COPY: about a year of
a campaign that launched with a spike and tailed off, across Canada, the EU, the UK and the US,
with the states a real campaign's requests end in (and personal data already erased where the
retention period has passed). The tallies are written as live traffic leaves them: every state a
request passed through, on a random shard each time (`--folded` writes them as folding would).

Synthetic people only: names "Fill 123", addresses under .invalid. Never run it on production.
"""

import argparse
import bisect
import collections
import datetime
import enum
import os
import random
import sys
import time
import uuid

import django

if __name__ == "__main__":
    # Run as `python -m bench.fill_requests`: configure Django before the models are imported.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from campaign.models import Campaign, PrivacyPolicy, Tally  # noqa: E402
from campaign.tallies import SHARDS  # noqa: E402
from requests_app.laws import law_for_jurisdiction  # noqa: E402
from requests_app.models import DataRequest, LetterTemplate, Status  # noqa: E402

BATCH = 50_000

# Where supporters live, with rough weights: a Canadian campaign with a following abroad.
JURISDICTION_WEIGHTS = {
    "CA-ON": 22, "CA-QC": 13, "CA-BC": 8, "CA-AB": 6, "CA-MB": 2, "CA-SK": 2, "CA-NS": 2, "CA-NB": 1,
    "CA-NL": 1, "CA-PE": 0.3, "CA-YT": 0.1, "CA-NT": 0.1, "CA-NU": 0.1,
    "FR": 3, "DE": 3, "BE": 1, "NL": 1, "IE": 1, "ES": 1, "IT": 1, "SE": 0.5, "AT": 0.5, "PL": 0.5,
    "PT": 0.3, "DK": 0.3, "FI": 0.3, "LU": 0.1,
    "GB": 5,
    "US-CA": 5, "US-NY": 2, "US-WA": 1, "US-TX": 1, "US-IL": 1, "US-MA": 1, "US-FL": 1, "US-OR": 0.5,
    "OTHER": 4,
}  # fmt: skip
FRENCH_SHARE = {"CA-QC": 0.8, "CA-NB": 0.3, "CA-ON": 0.05, "FR": 1.0, "BE": 0.4, "LU": 0.5}

# The states a request passes through to end where it is; the tallies record every step. Plain
# strings: the fill handles tens of millions of these, and an enum member hashes in Python.
AWAITING, QUEUED, SENDING = Status.AWAITING_CONFIRMATION.value, Status.QUEUED.value, Status.SENDING.value
SENT, DELIVERED, BOUNCED = Status.SENT.value, Status.DELIVERED.value, Status.BOUNCED.value
COMPLAINED, FAILED = Status.COMPLAINED.value, Status.FAILED.value
PATHS = {
    AWAITING: [AWAITING],
    QUEUED: [AWAITING, QUEUED],
    SENT: [AWAITING, QUEUED, SENDING, SENT],
    DELIVERED: [AWAITING, QUEUED, SENDING, SENT, DELIVERED],
    BOUNCED: [AWAITING, QUEUED, SENDING, SENT, BOUNCED],
    COMPLAINED: [AWAITING, QUEUED, SENDING, SENT, DELIVERED, COMPLAINED],
    FAILED: [AWAITING, QUEUED, SENDING, QUEUED, SENDING, FAILED],
}
# How confirmed requests end: most are delivered.
CONFIRMED_ENDINGS = [(DELIVERED, 0.88), (SENT, 0.06), (BOUNCED, 0.03), (FAILED, 0.02), (COMPLAINED, 0.01)]


class FillRefused(Exception):
    """Why nothing was written."""


def fill(
    *, count: int, campaign: str = "clearview", days: int = 365, folded: bool = False, seed: int | None = None
) -> str:
    """Fill the database Django is configured with; returns a line saying what was written."""
    if connection.vendor != "postgresql":
        raise FillRefused("fill_requests writes with PostgreSQL's COPY: point DATABASE_URL at PostgreSQL.")
    try:
        chosen = Campaign.objects.get(slug=campaign)
    except Campaign.DoesNotExist as error:
        raise FillRefused(f"No campaign {campaign!r}: run `manage.py seed_campaign` first.") from error
    if not chosen.ordered_targets():
        raise FillRefused(f"Campaign {campaign!r} has no target: add one in the admin.")
    started = time.monotonic()
    written = fill_requests(campaign=chosen, count=count, days=days, folded=folded, generator=random.Random(seed))
    return f"{count:,} requests and {written:,} tally rows written for {chosen.slug} in {time.monotonic() - started:.1f} s."


def main() -> None:
    parser = argparse.ArgumentParser(description="Fill the database with synthetic requests and their tallies.")
    parser.add_argument("--count", type=int, default=1_000_000, help="requests to write (default 1,000,000)")
    parser.add_argument("--campaign", default="clearview", help="the campaign's slug (default clearview)")
    parser.add_argument("--days", type=int, default=365, help="days since the campaign launched (default 365)")
    parser.add_argument("--folded", action="store_true", help="write the tallies folded, one row per key")
    parser.add_argument("--seed", type=int, default=None, help="random seed, for a repeatable fill")
    arguments = parser.parse_args()
    try:
        print(fill(**vars(arguments)))
    except FillRefused as error:
        sys.exit(str(error))


def fill_requests(*, campaign: Campaign, count: int, days: int, folded: bool, generator: random.Random) -> int:
    """Write `count` requests and their tallies in one transaction; returns the tally rows written."""
    plan = _Plan(campaign=campaign, days=days, generator=generator, folded=folded)
    columns = ", ".join(connection.ops.quote_name(column) for column in plan.columns)
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy(f"COPY {DataRequest._meta.db_table} ({columns}) FROM STDIN") as copy:
            for start in range(0, count, BATCH):
                copy.write("".join(plan.request_line(number) for number in range(start, min(start + BATCH, count))))
        return _write_tallies(
            cursor, campaign=campaign, target_id=plan.target.pk, tallies=plan.tallies, start=plan.start
        )


class _Plan:
    """Draws each synthetic request (when, where, in which language, how it ended) as a line of
    COPY text, and keeps the tallies it leaves behind."""

    def __init__(self, *, campaign: Campaign, days: int, generator: random.Random, folded: bool):
        self.random = generator
        self.folded = folded
        self.tallies: collections.Counter = collections.Counter()
        self.now = timezone.now()
        self.start = self.now.date() - datetime.timedelta(days=days - 1)
        self.run = uuid.uuid4().hex[:8]
        self.retention = datetime.timedelta(days=campaign.retention_days)
        # Each synthetic supporter writes to the campaign's first target only: one letter, one supporter.
        self.target = campaign.ordered_targets()[0]
        self.privacy_email = self.target.privacy_email
        midnight = datetime.datetime.combine(self.start, datetime.time(), tzinfo=datetime.UTC)
        self.day_starts = [midnight + datetime.timedelta(days=day) for day in range(days)]
        # A launch spike that tails off, quieter at weekends.
        self.day_cumulative = _cumulative(
            (1 / (1 + day / 7) + 0.05) * (0.7 if start.weekday() >= 5 else 1)
            for day, start in enumerate(self.day_starts)
        )
        templates = {(t.law, t.language): t.pk for t in LetterTemplate.objects.filter(campaign=campaign)}
        if not templates:
            raise FillRefused(f"Campaign {campaign.slug} has no letter templates: run `manage.py seed_campaign`.")
        fallback = next(iter(templates.values()))
        self.places = []
        for jurisdiction in JURISDICTION_WEIGHTS:
            law = law_for_jurisdiction(jurisdiction).value
            english = templates.get((law, "en"), fallback)
            self.places.append(
                (
                    jurisdiction,
                    law,
                    FRENCH_SHARE.get(jurisdiction, 0),
                    str(english),
                    str(templates.get((law, "fr"), english)),
                )
            )
        self.place_cumulative = _cumulative(JURISDICTION_WEIGHTS.values())
        self.endings = [status for status, _ in CONFIRMED_ENDINGS]
        self.ending_cumulative = _cumulative(share for _, share in CONFIRMED_ENDINGS)

        # Every concrete column, so a field added later gets its default; the draws below override.
        fields = [field for field in DataRequest._meta.concrete_fields if not field.primary_key]
        self.columns = [field.column for field in fields]
        self.index = {field.attname: position for position, field in enumerate(fields)}
        defaults = {field.attname: field.get_default() for field in fields}
        defaults.update(
            campaign_id=campaign.pk,
            target_id=self.target.pk,
            counts_supporter=True,
            privacy_policy_id=PrivacyPolicy.current().pk,
            consent_text="Send this data request in my name. I have read the privacy policy.",
            letter_subject="Access and deletion request",
            letter_body="Synthetic letter written by bench.fill_requests.",
            first_name="Fill",
            # Unique per request: left empty, as replies.reply_address fills it on first use.
            reply_token=None,
        )
        self.default_row = [_copy_text(defaults[field.attname]) for field in fields]

    def request_line(self, number: int) -> str:
        draw = self.random.random
        day = bisect.bisect(self.day_cumulative, draw() * self.day_cumulative[-1])
        created = min(self.day_starts[day] + datetime.timedelta(seconds=draw() * 86_399), self.now)
        age = self.now - created
        jurisdiction, law, french_share, english_template, french_template = self.places[
            bisect.bisect(self.place_cumulative, draw() * self.place_cumulative[-1])
        ]
        french = draw() < french_share
        if age < WEEK and draw() < 0.15:
            status = AWAITING
        elif age < HOUR:
            status = QUEUED
        else:
            status = self.endings[bisect.bisect(self.ending_cumulative, draw() * self.ending_cumulative[-1])]

        created_text = created.isoformat()
        values = {
            "template_id": french_template if french else english_template,
            "last_name": str(number),
            "email": f"fill-{self.run}-{number}@fill.invalid",
            "jurisdiction": jurisdiction,
            "law": law,
            "language": "fr" if french else "en",
            "wants_updates": "t" if draw() < 0.2 else "f",
            "wants_reminder": "t" if draw() < 0.4 else "f",
            "consented_at": created_text,
            "created_at": created_text,
            "submission_id": str(uuid.UUID(int=self.random.getrandbits(128), version=4)),
            "status": status,
            "status_changed_at": created_text,
            "confirmation_sent_at": created_text,
        }
        if status != AWAITING:
            confirmed = min(created + datetime.timedelta(seconds=300 + 36_000 * draw()), self.now).isoformat()
            values.update(confirmed_at=confirmed, not_before=confirmed, status_changed_at=confirmed)
        if status != AWAITING and status != QUEUED:
            sent = min(created + datetime.timedelta(seconds=36_300), self.now)
            sent_text = sent.isoformat()
            values.update(claimed_at=sent_text, attempts="1", status_changed_at=sent_text)
            if status == FAILED:
                values.update(attempts="2", failure_reason="SMTP 550: mailbox unavailable")
            else:
                erase = sent + self.retention
                values.update(sent_at=sent_text, sent_to=self.privacy_email, erase_after=erase.isoformat())
                if status in (DELIVERED, COMPLAINED):
                    values["delivered_at"] = sent_text
                if erase < self.now:
                    # The retention sweep has been: the row stays for the follow-up, its person does not.
                    values.update(
                        first_name="", last_name="", email="", letter_body="", personal_data_erased_at=erase.isoformat()
                    )
        row = self.default_row.copy()
        index = self.index
        for attname, text in values.items():
            row[index[attname]] = text

        key = (day, law, jurisdiction, values["language"])
        path = PATHS[status]
        tallies = self.tallies
        if self.folded:
            tallies[(*key, status, 0)] += 1
        else:
            shards = self.random.randrange
            tallies[(*key, path[0], shards(SHARDS))] += 1
            for source, target in zip(path, path[1:], strict=False):
                shard = shards(SHARDS)
                tallies[(*key, source, shard)] -= 1
                tallies[(*key, target, shard)] += 1
        return "\t".join(row) + "\n"


HOUR = datetime.timedelta(hours=1)
WEEK = datetime.timedelta(days=7)


def _write_tallies(
    cursor, *, campaign: Campaign, target_id: int, tallies: collections.Counter, start: datetime.date
) -> int:
    """COPY into a scratch table, then add to the tallies (a second fill adds to the first)."""
    if not tallies:
        return 0
    table = Tally._meta.db_table
    columns = (
        "campaign_id, day, law, jurisdiction, language, target_id, counts_supporter, source, status, shard, count,"
        " updated_at"
    )
    # Synthetic supporters came without a `?source=` code: the empty source.
    key = "campaign_id, day, law, jurisdiction, language, target_id, counts_supporter, source, status, shard"
    cursor.execute(f"CREATE TEMPORARY TABLE fill_tally AS SELECT {columns} FROM {table} WITH NO DATA")  # noqa: S608
    now = timezone.now().isoformat()
    with cursor.copy(f"COPY fill_tally ({columns}) FROM STDIN") as copy:
        days = [(start + datetime.timedelta(days=day)).isoformat() for day in range(max(key[0] for key in tallies) + 1)]
        copy.write(
            "".join(
                f"{campaign.pk}\t{days[day]}\t{law}\t{jurisdiction}\t{language}\t{target_id}\tt\t\t{status}\t{shard}\t{count}\t{now}\n"
                for (day, law, jurisdiction, language, status, shard), count in tallies.items()
            )
        )
    cursor.execute(
        f"""
        INSERT INTO {table} ({columns})
        SELECT {columns} FROM fill_tally
        ON CONFLICT ({key})
        DO UPDATE SET count = {table}.count + EXCLUDED.count, updated_at = EXCLUDED.updated_at
        """  # noqa: S608
    )
    cursor.execute("DROP TABLE fill_tally")
    cursor.execute("ANALYZE " + table)
    cursor.execute("ANALYZE " + DataRequest._meta.db_table)
    return len(tallies)


def _cumulative(weights) -> list[float]:
    total, cumulative = 0.0, []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return cumulative


def _copy_text(value) -> str:
    """A value in COPY's text format. Synthetic values hold no tab, newline or backslash."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


if __name__ == "__main__":
    main()
