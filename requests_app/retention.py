"""How long personal data is kept, and erasing it: the retention promises of the privacy policy.

- A request nobody confirmed is deleted UNCONFIRMED_RETENTION_DAYS after the last confirmation link
  went out (the email says the details are deleted when the link expires).
- A sent request keeps the supporter's name, address and letter while they may still need them to
  follow up, then they are erased (see `personal_data_erasure_due`); the row stays for the counts.
- A supporter can delete theirs at any time (`delete_supporter_data`).

The tallies count every request apart from these rows, so the public numbers survive all three.
"""

import datetime
import enum
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from campaign.models import Campaign, Subscriber
from requests_app.laws import LAWS, Law, law_facts
from requests_app.lifecycle import change_status, delete_request
from requests_app.models import DataRequest, Status

logger = logging.getLogger(__name__)

# Rows per transaction: short locks, and a large backlog still drains in one run.
BATCH_SIZE = 1000

# The letter's From, Cc, Reply-To and Subject as sent hold the supporter's name and address too.
PERSONAL_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "letter_subject",
    "letter_body",
    "sent_from",
    "sent_cc",
    "sent_reply_to",
    "sent_subject",
)

# Never sent: the whole row can go, and the tallies count it as withdrawn.
WITHDRAWABLE = {Status.AWAITING_CONFIRMATION, Status.QUEUED, Status.FAILED}
# A letter is on its way or may be sent again: erasing now would send an empty letter.
NOT_ERASABLE_YET = {Status.QUEUED, Status.SENDING}


def personal_data_erasure_due(request: DataRequest, *, sent_at: datetime.datetime) -> datetime.datetime:
    """When a sent request's personal data is erased: the one rule, used when the letter is sent and
    by the retention job.

    The supporter needs their letter and its dates until follow-up is over: until the law's answer
    deadline, with any extension the target may take, has passed; then for the campaign's retention
    period, to complain to the regulator. Follow-up may move this (e.g. keep data while a complaint
    is being prepared); change it here and the policy page, the sending hook and the job all follow.
    """
    sent_on = sent_at.date()
    follow_up_ends = law_facts(law=request.law, jurisdiction=request.jurisdiction).extended_deadline_after(sent_on)
    return sent_at + (follow_up_ends - sent_on) + datetime.timedelta(days=request.campaign.retention_days)


@dataclass(frozen=True)
class FollowUpPeriod:
    """How long after sending a law lets the target answer, any extension included."""

    law_name: str
    days: int
    months: int


@dataclass(frozen=True)
class CampaignRetention:
    title: str
    retention_days: int


@dataclass(frozen=True)
class RetentionPeriods:
    """The periods the privacy policy page states, read from the settings and rows the code uses."""

    unconfirmed_days: int
    confirmation_link_days: int
    campaigns: list[CampaignRetention]
    follow_up: list[FollowUpPeriod]


def retention_periods(*, campaign: Campaign | None = None) -> RetentionPeriods:
    """The periods the policy states: for every campaign, or for the one whose page links here."""
    campaigns = Campaign.objects.filter(pk=campaign.pk) if campaign else Campaign.objects.all()
    return RetentionPeriods(
        unconfirmed_days=settings.UNCONFIRMED_RETENTION_DAYS,
        confirmation_link_days=settings.CONFIRMATION_LINK_DAYS,
        campaigns=[
            CampaignRetention(title=campaign.title, retention_days=campaign.retention_days)
            for campaign in campaigns.order_by("opens_at", "slug")
        ],
        follow_up=[
            FollowUpPeriod(
                law_name=Law(law).label,
                days=facts.deadline_days + facts.extension_days,
                months=facts.deadline_months + facts.extension_months,
            )
            for law, facts in LAWS.items()
        ],
    )


@dataclass(frozen=True)
class RetentionReport:
    unconfirmed_deleted: int
    erasures_scheduled: int
    personal_data_erased: int
    abandoned_failures_deleted: int = 0


def apply_retention(*, now: datetime.datetime | None = None, batch_size: int = BATCH_SIZE) -> RetentionReport:
    """The daily job (beat, and `manage.py apply_retention`)."""
    now = now or timezone.now()
    report = RetentionReport(
        unconfirmed_deleted=purge_unconfirmed_requests(now=now, batch_size=batch_size),
        erasures_scheduled=schedule_unscheduled_erasures(batch_size=batch_size),
        personal_data_erased=erase_expired_personal_data(now=now, batch_size=batch_size),
        abandoned_failures_deleted=purge_abandoned_failures(now=now, batch_size=batch_size),
    )
    logger.info(
        "Retention: %d unconfirmed requests deleted, %d erasures scheduled, %d requests erased, "
        "%d failed requests nobody requeued deleted",
        report.unconfirmed_deleted,
        report.erasures_scheduled,
        report.personal_data_erased,
        report.abandoned_failures_deleted,
    )
    return report


def purge_unconfirmed_requests(*, now: datetime.datetime, batch_size: int = BATCH_SIZE) -> int:
    cutoff = now - datetime.timedelta(days=settings.UNCONFIRMED_RETENTION_DAYS)
    stale = DataRequest.objects.annotate(last_link_sent=Coalesce("confirmation_sent_at", "created_at")).filter(
        # status_changed_at is the creation time for these rows, and lets the status index help.
        status=Status.AWAITING_CONFIRMATION,
        status_changed_at__lt=cutoff,
        last_link_sent__lt=cutoff,
    )
    deleted = 0
    while True:
        with transaction.atomic():
            # skip_locked: a supporter confirming right now keeps their row.
            batch = list(stale.select_for_update(skip_locked=True, of=("self",)).order_by("pk")[:batch_size])
            in_batch = sum(
                delete_request(request, source=Status.AWAITING_CONFIRMATION, reason=Status.EXPIRED) for request in batch
            )
        deleted += in_batch
        if len(batch) < batch_size or not in_batch:
            return deleted


def purge_abandoned_failures(*, now: datetime.datetime, batch_size: int = BATCH_SIZE) -> int:
    """A letter that failed and that no admin requeued within the campaign's retention period will
    not go out: its row goes, and the tallies count it as withdrawn."""
    deleted = 0
    for campaign in Campaign.objects.all():
        cutoff = now - datetime.timedelta(days=campaign.retention_days)
        stale = DataRequest.objects.filter(campaign=campaign, status=Status.FAILED, status_changed_at__lt=cutoff)
        while True:
            with transaction.atomic():
                batch = list(stale.select_for_update(skip_locked=True).order_by("pk")[:batch_size])
                in_batch = sum(
                    delete_request(request, source=Status.FAILED, reason=Status.WITHDRAWN) for request in batch
                )
            deleted += in_batch
            if len(batch) < batch_size or not in_batch:
                break
    return deleted


def schedule_unscheduled_erasures(*, batch_size: int = BATCH_SIZE) -> int:
    """Give an erasure date to sent requests that reached "sent" without one (a provider event
    that resolved a request set aside for review, an admin's decision)."""
    return _schedule_erasures(
        DataRequest.objects.filter(
            sent_at__isnull=False, erase_after__isnull=True, personal_data_erased_at__isnull=True
        ),
        batch_size=batch_size,
    )


def erase_expired_personal_data(*, now: datetime.datetime, batch_size: int = BATCH_SIZE) -> int:
    due = DataRequest.objects.filter(erase_after__lte=now, personal_data_erased_at__isnull=True).exclude(
        status__in=NOT_ERASABLE_YET
    )
    erased = 0
    while True:
        with transaction.atomic():
            batch = list(due.select_for_update(skip_locked=True).order_by("erase_after", "pk")[:batch_size])
            in_batch = _erase_personal_fields(DataRequest.objects.filter(pk__in=[r.pk for r in batch]), now=now)
        erased += in_batch
        if len(batch) < batch_size or not in_batch:
            return erased


def _erase_personal_fields(requests: QuerySet, *, now: datetime.datetime) -> int:
    return requests.filter(personal_data_erased_at__isnull=True).update(
        **dict.fromkeys(PERSONAL_FIELDS, ""), personal_data_erased_at=now
    )


def reschedule_erasures(*, campaign_id: int) -> int:
    """After a campaign's retention period changes, so the promise on the policy page holds for
    letters already sent."""
    return _schedule_erasures(
        DataRequest.objects.filter(campaign_id=campaign_id, sent_at__isnull=False, personal_data_erased_at__isnull=True)
    )


def _schedule_erasures(requests: QuerySet, *, batch_size: int = BATCH_SIZE) -> int:
    scheduled = 0
    last_pk = 0
    while batch := list(requests.select_related("campaign").filter(pk__gt=last_pk).order_by("pk")[:batch_size]):
        for request in batch:
            request.erase_after = personal_data_erasure_due(request, sent_at=request.sent_at)
        DataRequest.objects.bulk_update(batch, ["erase_after"])
        scheduled += len(batch)
        last_pk = batch[-1].pk
    return scheduled


class Deletion(enum.Enum):
    DELETED = "deleted"  # the request never went out: the row is gone
    ERASED = "erased"  # the letter went out: the row stays, without name, address or letter
    IN_FLIGHT = "in_flight"  # a worker is sending it this very moment: ask again in a minute


def delete_supporter_data(request: DataRequest) -> Deletion:
    """ "Delete my data now": everything the site holds about this supporter in this campaign goes
    at once, every letter of their submission and the opt-in to updates included.

    DELETED when no letter is left, ERASED when letters that went out stay without name, address or
    letter, IN_FLIGHT when one is being sent this very moment (the others are done already)."""
    email = request.email
    letters = DataRequest.objects.select_related("campaign").filter(submission_id=request.submission_id)
    results = {_delete_or_erase(letter) for letter in letters.order_by("pk")}
    if email:
        Subscriber.objects.filter(campaign_id=request.campaign_id, email__iexact=email).delete()
    result = next(
        (deletion for deletion in (Deletion.IN_FLIGHT, Deletion.ERASED) if deletion in results), Deletion.DELETED
    )
    logger.info("Request %s: personal data %s on the supporter's request", request.pk, result.value)
    return result


def _delete_or_erase(request: DataRequest) -> Deletion:
    # The state can move between reading and acting (a worker claims the letter, a provider event
    # arrives); each step is conditional on the state read, so look again when one misses.
    for _attempt in range(5):
        status = request.status
        if status == Status.SENDING:
            return Deletion.IN_FLIGHT
        if status in WITHDRAWABLE:
            if delete_request(request, source=status, reason=Status.WITHDRAWN):
                return Deletion.DELETED
        elif status == Status.NEEDS_REVIEW:
            # It may or may not have left; either way the supporter wants it gone, so it is not
            # sent again. The tallies count it as withdrawn.
            with transaction.atomic():
                if change_status(request, source=status, target=Status.FAILED) and delete_request(
                    request, source=Status.FAILED, reason=Status.WITHDRAWN
                ):
                    return Deletion.DELETED
        else:
            _erase_personal_fields(DataRequest.objects.filter(pk=request.pk, status=status), now=timezone.now())
            if not DataRequest.objects.filter(pk=request.pk, personal_data_erased_at__isnull=True).exists():
                return Deletion.ERASED
        request = DataRequest.objects.select_related("campaign").filter(pk=request.pk).first()
        if request is None:
            return Deletion.DELETED
    return Deletion.IN_FLIGHT
