"""After the letter: the legal deadline, what the target did, and when the follow-up ends.

`DataRequest.follow_up_due_on` is the day after the deadline that applies: the law's deadline
once the letter went out, moved to the extended deadline when the target gives notice of an
extension. The hourly job here (`run_follow_up`) sets it, turns an open request into "no answer"
on that day, and queues the one reminder (sent by requests_app.reminders).
"""

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from requests_app.laws import UNVERIFIED_US_STATES, Law, LawFacts, Regulator, law_facts, provincial_law
from requests_app.lifecycle import change_outcome
from requests_app.models import LETTER_WENT_OUT, OUTCOME_TRANSITIONS, DataRequest, Outcome
from requests_app.queueing import SEND_REMINDER, publish

logger = logging.getLogger(__name__)

ONE_DAY = datetime.timedelta(days=1)
# No answer is known yet, and the deadline that applies may still be ahead.
OPEN_OUTCOMES = {Outcome.AWAITING, Outcome.EXTENDED, Outcome.VERIFICATION}
# What a complaint to the regulator follows.
COMPLAINT_OUTCOMES = {Outcome.NO_ANSWER, Outcome.REFUSED}
# The answers a supporter can give, in the order the pages and the reminder list them.
REPORTABLE_OUTCOMES = [Outcome.VERIFICATION, Outcome.ANSWERED, Outcome.EXTENDED, Outcome.REFUSED, Outcome.NO_ANSWER]
BATCH = 500


@dataclass(frozen=True)
class Timeline:
    law: LawFacts
    today: datetime.date
    outcome: str
    sent_on: datetime.date | None
    # The law's deadline, counted from the day the letter went out.
    deadline: datetime.date | None
    # The latest date an extension may reach; None where the law allows none.
    extended_deadline: datetime.date | None
    # The deadline that applies: the extended one once the target gave notice of an extension.
    current_deadline: datetime.date | None
    regulator: Regulator | None
    reply_received_on: datetime.date | None
    # Where the law starts the period again once the target has the identity information it asked
    # for (UK GDPR Art. 12A), the day the supporter sent it; otherwise the day the letter went out.
    clock_started_on: datetime.date | None = None
    identity_requested_on: datetime.date | None = None
    # CCPA: opting out and limiting the use of sensitive data are due sooner (15 business days).
    opt_out_deadline: datetime.date | None = None
    # Quebec's, British Columbia's or Alberta's own law, alongside PIPEDA, and its own deadline.
    provincial: LawFacts | None = None
    provincial_deadline: datetime.date | None = None
    # A US state with a privacy law whose periods could not be verified: the general letter went.
    state_law_unverified: bool = False

    @property
    def law_label(self) -> str:
        """The law as pages name it: a US state's own statute, not the family its letter belongs to."""
        if self.law.law == Law.US_STATE and self.law.short:
            return f"{self.law.name} ({self.law.short})"
        return str(Law(self.law.law).label)

    @property
    def was_extended(self) -> bool:
        return self.current_deadline != self.deadline

    @property
    def deadline_passed(self) -> bool:
        return self.current_deadline is not None and self.today > self.current_deadline

    @property
    def can_complain(self) -> bool:
        return self.outcome in COMPLAINT_OUTCOMES


def request_law(request: DataRequest) -> LawFacts:
    return law_facts(law=request.law, jurisdiction=request.jurisdiction)


def clock_start(request: DataRequest, *, law: LawFacts) -> datetime.date | None:
    """The day the law's period runs from: the day the letter went out, or, where the law says the
    period starts once the target has the identity information it asked for, the day it was sent."""
    sent_on = timezone.localdate(request.sent_at) if request.sent_at else None
    if sent_on and law.identity_restarts_clock and request.identity_answered_on:
        return max(sent_on, request.identity_answered_on)
    return sent_on


def request_timeline(request: DataRequest, *, now: datetime.datetime | None = None) -> Timeline:
    law = request_law(request)
    sent_on = timezone.localdate(request.sent_at) if request.sent_at else None
    start = clock_start(request, law=law)
    deadline = law.deadline_after(start) if start else None
    # follow_up_due_on is the day after the deadline that applies; an extension moved it.
    current_deadline = request.follow_up_due_on - ONE_DAY if request.follow_up_due_on and sent_on else deadline
    provincial = provincial_law(request.jurisdiction) if request.law == Law.PIPEDA else None
    return Timeline(
        law=law,
        today=timezone.localdate(now or timezone.now()),
        outcome=request.outcome,
        sent_on=sent_on,
        deadline=deadline,
        extended_deadline=law.extended_deadline_after(start) if start and law.allows_extension else None,
        current_deadline=current_deadline,
        regulator=law.regulator,
        reply_received_on=timezone.localdate(request.reply_received_at) if request.reply_received_at else None,
        clock_started_on=start,
        identity_requested_on=request.identity_requested_on,
        opt_out_deadline=law.opt_out_deadline_after(sent_on) if sent_on else None,
        provincial=provincial,
        provincial_deadline=provincial.deadline_after(sent_on) if provincial and sent_on else None,
        state_law_unverified=request.jurisdiction in UNVERIFIED_US_STATES,
    )


def first_follow_up_day(*, law: str, jurisdiction: str, sent_at: datetime.datetime) -> datetime.date:
    """The day after the law's deadline for a letter sent at `sent_at`."""
    return law_facts(law=law, jurisdiction=jurisdiction).deadline_after(timezone.localdate(sent_at)) + ONE_DAY


def follow_up_end(request: DataRequest) -> datetime.datetime | None:
    """When following up on this request ends, so its retention period may start: the end of the
    deadline that applies (while no answer is known, of the latest date an extension could reach)
    or the last outcome, whichever is later. None while no letter went out. It moves when the
    outcome changes, so retention should read it again then."""
    timeline = request_timeline(request)
    if timeline.sent_on is None:
        return None
    last_day = timeline.current_deadline
    if request.outcome in OPEN_OUTCOMES and timeline.extended_deadline:
        last_day = max(last_day, timeline.extended_deadline)
    end = timezone.make_aware(datetime.datetime.combine(last_day + ONE_DAY, datetime.time.min))
    return max(end, request.outcome_at) if request.outcome_at else end


class OutcomeNotAllowed(ValueError):
    """Why a supporter cannot report this outcome now; `reason` is one of the REASONS keys."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def outcome_refusal(request: DataRequest, *, outcome: str, timeline: Timeline) -> str | None:
    """Why `outcome` cannot be recorded for this request now, or None when it can."""
    if request.status not in LETTER_WENT_OUT or timeline.sent_on is None:
        return "not_sent"
    if outcome == request.outcome:
        return "already"
    if outcome not in OUTCOME_TRANSITIONS[request.outcome]:
        return "not_after"
    if outcome == Outcome.NO_ANSWER and not timeline.deadline_passed:
        return "too_early"
    if outcome == Outcome.VERIFICATION and timeline.deadline_passed and not timeline.law.identity_restarts_clock:
        # Under this law asking for identity does not move the deadline, and it has passed.
        return "verification_late"
    if outcome == Outcome.EXTENDED:
        if not timeline.law.allows_extension:
            return "no_extension"
        if timeline.today > timeline.extended_deadline:
            return "extension_over"
    return None


def outcomes_to_offer(request: DataRequest, *, timeline: Timeline) -> list[str]:
    """The answers the supporter can give now, for the status page."""
    return [
        outcome
        for outcome in REPORTABLE_OUTCOMES
        if outcome_refusal(request, outcome=outcome, timeline=timeline) is None
    ]


def asks_when_answered(request: DataRequest, *, outcome: str, timeline: Timeline) -> bool:
    """Whether the supporter must say if an answer came by the deadline: only they know, once the
    deadline has passed, unless they are correcting an answer already recorded (the same reply)."""
    return (
        outcome in (Outcome.ANSWERED, Outcome.REFUSED)
        and request.outcome not in (Outcome.ANSWERED, Outcome.REFUSED)
        and timeline.deadline_passed
    )


def report_outcome(
    request: DataRequest,
    *,
    outcome: str,
    answered_in_time: bool | None = None,
    identity_requested_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> bool:
    """Record what the supporter tells us the target did. False when that is already recorded;
    OutcomeNotAllowed when it cannot be true now (no answer before the deadline, say).

    For a request to verify identity, `identity_requested_on` is the day the target asked. Where
    the law starts its period once the target has the information (UK GDPR Art. 12A), the period
    runs again from today, the day the supporter gets the reply to send, and never ends earlier
    than the deadline that applied."""
    now = now or timezone.now()
    timeline = request_timeline(request, now=now)
    reason = outcome_refusal(request, outcome=outcome, timeline=timeline)
    if reason == "already":
        return False
    if reason:
        raise OutcomeNotAllowed(reason)
    fields: dict = {"outcome_at": now}
    if outcome == Outcome.VERIFICATION:
        fields.update(_identity_fields(request, timeline=timeline, asked_on=identity_requested_on))
    if outcome == Outcome.EXTENDED:
        # One more reminder, the day after the new deadline.
        fields.update(follow_up_due_on=timeline.extended_deadline + ONE_DAY, reminder_sent_at=None)
    if request.outcome in (Outcome.ANSWERED, Outcome.REFUSED):
        in_time = request.answered_in_time
    elif not timeline.deadline_passed:
        in_time = True
    else:
        in_time = bool(answered_in_time)
    return change_outcome(request, source=request.outcome, target=outcome, answered_in_time=in_time, **fields)


def _identity_fields(request: DataRequest, *, timeline: Timeline, asked_on: datetime.date | None) -> dict:
    if asked_on is None or not (timeline.sent_on <= asked_on <= timeline.today):
        raise OutcomeNotAllowed("date")
    fields: dict = {"identity_requested_on": asked_on, "identity_answered_on": timeline.today}
    law = timeline.law
    if law.identity_restarts_clock:
        restarted = law.deadline_after(timeline.today)
        if timeline.current_deadline is None or restarted > timeline.current_deadline:
            fields.update(follow_up_due_on=restarted + ONE_DAY, reminder_sent_at=None)
    return fields


def schedule_follow_ups(*, now: datetime.datetime | None = None) -> int:
    """Set the follow-up day of letters that went out since the last run. Done here rather than
    when sending, so a letter recorded sent by any path (an admin, a late delivery event) gets one."""
    scheduled = 0
    pending = DataRequest.objects.filter(
        follow_up_due_on__isnull=True, sent_at__isnull=False, status__in=LETTER_WENT_OUT
    ).order_by("pk")
    while batch := list(pending.values_list("pk", "law", "jurisdiction", "sent_at")[:BATCH]):
        by_day: dict[datetime.date, list[int]] = defaultdict(list)
        for pk, law, jurisdiction, sent_at in batch:
            by_day[first_follow_up_day(law=law, jurisdiction=jurisdiction, sent_at=sent_at)].append(pk)
        for day, pks in by_day.items():
            scheduled += DataRequest.objects.filter(pk__in=pks, follow_up_due_on__isnull=True).update(
                follow_up_due_on=day
            )
    return scheduled


def mark_overdue_requests(*, now: datetime.datetime | None = None) -> int:
    """Requests still waiting the day after their deadline have had no answer: under PIPEDA
    s.8(5) that is a refusal. The supporter can still tell us an answer came."""
    now = now or timezone.now()
    overdue = DataRequest.objects.filter(
        outcome__in=OPEN_OUTCOMES, follow_up_due_on__lte=timezone.localdate(now), status__in=LETTER_WENT_OUT
    ).order_by("pk")
    marked = 0
    while batch := list(overdue[:BATCH]):
        moved = sum(
            change_outcome(request, source=request.outcome, target=Outcome.NO_ANSWER, outcome_at=now)
            for request in batch
        )
        if not moved:
            break  # every row in the batch changed under us; the next run looks again
        marked += moved
    return marked


@dataclass(frozen=True)
class FollowUpReport:
    scheduled: int
    marked_no_answer: int
    reminders_queued: int


def run_follow_up(*, now: datetime.datetime | None = None) -> FollowUpReport:
    now = now or timezone.now()
    scheduled = schedule_follow_ups(now=now)
    marked = mark_overdue_requests(now=now)
    queued = [pk for pk in due_reminders(now=now).values_list("pk", flat=True) if publish(SEND_REMINDER, pk)]
    if scheduled or marked or queued:
        logger.info(
            "Follow-up: %d deadlines set, %d requests past their deadline, %d reminders queued",
            scheduled,
            marked,
            len(queued),
        )
    return FollowUpReport(scheduled, marked, len(queued))


def due_reminders(*, now: datetime.datetime) -> QuerySet[DataRequest]:
    """Requests whose supporter asked for the reminder, the day after the deadline that applies,
    while no answer is known. An erased request has no address left to write to. A reminder that
    could not leave is tried again each hour for REMINDER_RETRY_DAYS after the request was found
    unanswered (outcome_at), then no more."""
    return DataRequest.objects.filter(
        wants_reminder=True,
        reminder_sent_at__isnull=True,
        follow_up_due_on__lte=timezone.localdate(now),
        outcome_at__gte=now - datetime.timedelta(days=settings.REMINDER_RETRY_DAYS),
        outcome=Outcome.NO_ANSWER,
        status__in=LETTER_WENT_OUT,
    ).exclude(email="")
