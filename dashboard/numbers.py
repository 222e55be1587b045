"""What organisers see: a campaign's numbers from the tallies, and the list of opted-in subscribers.

Organisers never see a request's name, email or letter: everything here reads Tally rows only. The
one deliberate exception is `subscriber_rows`, the list of people who asked for campaign updates,
which organisers exist to write to (DESIGN.md section 3).
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaign.models import Campaign, Subscriber
from campaign.stats import PublicCounts, counts_by_target, current_goal, sum_of
from campaign.tallies import (
    OUTCOME_PREFIX,
    count_by_status,
    outcome_tallies,
    request_state_tallies,
    totals_by_status,
)
from requests_app.laws import Law, jurisdiction_name
from requests_app.lifecycle import outcome_tally_status
from requests_app.models import CONFIRMED, LETTER_WENT_OUT, Outcome, Status

# The auth group whose members see the dashboard (created by migration campaign 0003).
ORGANISERS = "Organisers"

# The columns of the subscriber export: the consent record and how to write to them, nothing else.
SUBSCRIBER_COLUMNS = [
    "first_name",
    "last_name",
    "email",
    "language",
    "consented_at",
    "privacy_policy_version",
    "consent_text",
]
# `count` is letters; `supporters` the first letters of their submissions among them (people). Each
# code has a readable label beside it, in the language of the dashboard the export came from.
AGGREGATE_COLUMNS = [
    "day",
    "law",
    "law_name",
    "jurisdiction",
    "place",
    "language",
    "language_name",
    "target_id",
    "target",
    "source",
    "status",
    "state",
    "count",
    "supporters",
]
# The export's rows for what targets did (after the rows by state: they count the same letters
# again), with a label that says they are answers.
OUTCOME_TALLY_LABELS = {
    outcome_tally_status(Outcome.ANSWERED, answered_in_time=True): gettext_lazy("answer: answered by the deadline"),
    outcome_tally_status(Outcome.ANSWERED, answered_in_time=False): gettext_lazy("answer: answered late"),
    outcome_tally_status(Outcome.REFUSED, answered_in_time=True): gettext_lazy("answer: refused by the deadline"),
    outcome_tally_status(Outcome.REFUSED, answered_in_time=False): gettext_lazy("answer: refused after the deadline"),
    outcome_tally_status(Outcome.EXTENDED, answered_in_time=None): gettext_lazy("answer: deadline extended"),
    outcome_tally_status(Outcome.VERIFICATION, answered_in_time=None): gettext_lazy(
        "answer: asked the supporter to verify their identity"
    ),
    outcome_tally_status(Outcome.NO_ANSWER, answered_in_time=None): gettext_lazy("answer: none by the deadline"),
}


def is_organiser(user: AbstractBaseUser | AnonymousUser) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=ORGANISERS).exists()


@dataclass(frozen=True)
class StateCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class Breakdown:
    """One value of a dimension (a law, a jurisdiction, a language: its supporters; a target: its
    letters, one per supporter) and its requests."""

    value: str
    label: str
    submitted: int
    confirmed: int
    sent: int


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    submitted: int
    sent: int


@dataclass(frozen=True)
class OutcomeSummary:
    """What targets did with a campaign's letters, from the tallies only (no request rows)."""

    letters_sent: int
    answered_in_time: int
    answered_late: int
    refused_in_time: int
    refused_late: int
    extended: int
    no_answer: int
    # The target asked the supporter to verify their identity; the deadline still runs (or restarts).
    verification: int

    @property
    def answered(self) -> int:
        return self.answered_in_time + self.answered_late

    @property
    def refused(self) -> int:
        return self.refused_in_time + self.refused_late

    @property
    def awaiting(self) -> int:
        # A letter that bounced after an outcome was recorded leaves the sent count alone.
        known = self.answered + self.refused + self.extended + self.no_answer + self.verification
        return max(self.letters_sent - known, 0)

    @property
    def overdue(self) -> int:
        return self.no_answer

    @property
    def past_deadline_or_answered(self) -> int:
        return self.answered + self.refused + self.no_answer

    @property
    def share_answered_in_time(self) -> float | None:
        """Of the requests answered or past their deadline, the share answered by the deadline (a
        reasoned refusal is an answer). None before there is any."""
        decided = self.past_deadline_or_answered
        return (self.answered_in_time + self.refused_in_time) / decided if decided else None

    @property
    def percent_answered_in_time(self) -> int | None:
        share = self.share_answered_in_time
        return None if share is None else round(100 * share)


@dataclass(frozen=True)
class CampaignDashboard:
    campaign: Campaign
    # Supporters (the public count); `states` and `letters` count letters, one per target.
    counts: PublicCounts
    states: list[StateCount]
    submitted: int
    letters: int
    days: list[DayCount]
    by_target: list[Breakdown]
    by_law: list[Breakdown]
    by_jurisdiction: list[Breakdown]
    by_language: list[Breakdown]
    # Supporters by the `?source=` code of the link they came from ("" for none).
    by_source: list[Breakdown]
    # Of the letters that left, the share the provider reported delivered (None before any left).
    delivery_rate: int | None
    # Responses: outcomes, the share answered within the legal deadline (rendered by responses.html).
    outcomes: OutcomeSummary
    # The same for each target's letters, in the by-target order (its name beside its figures).
    outcomes_by_target: list[tuple[str, OutcomeSummary]]


@dataclass(frozen=True)
class CampaignSummary:
    campaign: Campaign
    submitted: int
    sent: int
    goal: int


def campaign_dashboard(campaign: Campaign) -> CampaignDashboard:
    """Six grouped reads of the campaign's tallies, whatever the number of requests: the totals by
    state and target (counts, goal, delivery rate, outcomes, the by-target breakdown), the days, and
    one per other breakdown; and one read of the campaign's targets, for their names.

    People (the goal, the days, law, jurisdiction and language) are counted by the first letter of
    each submission; letters (states, delivery, outcomes, targets) one by one."""
    totals = totals_by_status(campaign_id=campaign.pk)
    states_only = _states_only(totals.letters)
    sent = sum_of(totals.supporters, LETTER_WENT_OUT)
    counts = PublicCounts(
        sent=sent,
        confirmed=sum_of(totals.supporters, CONFIRMED),
        goal=current_goal(campaign, sent=sent),
        updated_at=totals.updated_at,
    )
    # Every state the tallies know, the code's in the code's order; an unknown one (an old name) last.
    known = [StateCount(status, label, states_only.get(status, 0)) for status, label in Status.choices]
    unknown = [
        StateCount(status, status, count) for status, count in states_only.items() if status not in Status.values
    ]
    languages = dict(settings.LANGUAGES)
    laws = dict(Law.choices)
    by_target = counts_by_target(campaign, totals=totals)
    return CampaignDashboard(
        campaign=campaign,
        counts=counts,
        states=known + unknown,
        submitted=sum(_states_only(totals.supporters).values()),
        letters=sum(states_only.values()),
        days=_daily(campaign),
        by_target=[
            _breakdown_row(str(target.pk), target.name, _states_only(target_counts))
            for target, target_counts in by_target
        ],
        by_law=_breakdown(campaign, "law", label=lambda law: str(laws.get(law, law))),
        by_jurisdiction=_breakdown(campaign, "jurisdiction", label=jurisdiction_name),
        by_language=_breakdown(campaign, "language", label=lambda code: str(languages.get(code, code))),
        by_source=_breakdown(campaign, "source", label=lambda code: code or _("none (a link without a source)")),
        delivery_rate=_delivery_rate(totals.letters),
        outcomes=outcome_summary_of(totals.letters),
        outcomes_by_target=[(target.name, outcome_summary_of(target_counts)) for target, target_counts in by_target],
    )


def _states_only(counts: dict[str, int]) -> dict[str, int]:
    return {status: count for status, count in counts.items() if not status.startswith(OUTCOME_PREFIX)}


def campaign_summaries(campaigns: Iterable[Campaign]) -> list[CampaignSummary]:
    """Supporters submitted and sent for each campaign, in one grouped read."""
    campaigns = list(campaigns)
    by_campaign: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        _supporter_tallies()
        .filter(campaign__in=campaigns)
        .values_list("campaign_id", "status")
        .annotate(total=Sum("count"))
        .order_by()
    )
    for campaign_id, status, total in rows:
        by_campaign[campaign_id][status] = total
    summaries = []
    for campaign in campaigns:
        counts = by_campaign[campaign.pk]
        sent = sum_of(counts, LETTER_WENT_OUT)
        summaries.append(
            CampaignSummary(
                campaign=campaign, submitted=sum(counts.values()), sent=sent, goal=current_goal(campaign, sent=sent)
            )
        )
    return summaries


def aggregate_rows(campaign: Campaign) -> Iterator[list]:
    """The whole cube, one row per (day, law, jurisdiction, language, target, source, status), shards
    added up: the letters, and of them the first letters of their submissions (supporters). The rows
    by state come first; then the answers (status `outcome:…`), which count the same letters again
    by what their target did."""
    laws, languages = dict(Law.choices), dict(settings.LANGUAGES)
    states = {**dict(Status.choices), **OUTCOME_TALLY_LABELS}
    for tallies in (request_state_tallies(), outcome_tallies()):
        yield from _cube_rows(tallies.filter(campaign=campaign), laws=laws, languages=languages, states=states)


def _cube_rows(tallies, *, laws: dict, languages: dict, states: dict) -> Iterator[list]:
    rows = (
        tallies.values_list("day", "law", "jurisdiction", "language", "target_id", "target__name", "source", "status")
        .annotate(total=Sum("count"), supporters=Sum("count", filter=Q(counts_supporter=True), default=0))
        .exclude(total=0)
        .order_by("day", "law", "jurisdiction", "language", "target__name", "source", "status")
    )
    for day, law, jurisdiction, language, target_id, target, source, status, total, supporters in rows.iterator(
        chunk_size=5000
    ):
        yield [
            day.isoformat(),
            law,
            str(laws.get(law, law)),
            jurisdiction,
            jurisdiction_name(jurisdiction),
            language,
            str(languages.get(language, language)),
            target_id,
            target,
            source,
            status,
            str(states.get(status, status)),
            total,
            supporters,
        ]


def subscriber_rows(campaign: Campaign) -> Iterator[list]:
    """THE EXCEPTION: personal data for organisers. Only people who opted in to campaign updates,
    with the consent they gave; never a request's details."""
    rows = (
        Subscriber.objects.filter(campaign=campaign)
        .order_by("consented_at", "pk")
        .values_list(
            "first_name", "last_name", "email", "language", "consented_at", "privacy_policy__version", "consent_text"
        )
    )
    for first_name, last_name, email, language, consented_at, policy_version, consent_text in rows.iterator(
        chunk_size=2000
    ):
        yield [first_name, last_name, email, language, consented_at.isoformat(), policy_version, consent_text]


def _daily(campaign: Campaign) -> list[DayCount]:
    """Requests by the day they were submitted, and how many of them went out; days without any
    are included, so a chart's gaps are real."""
    submitted: dict[datetime.date, int] = defaultdict(int)
    sent: dict[datetime.date, int] = defaultdict(int)
    rows = (
        _supporter_tallies()
        .filter(campaign=campaign)
        .values_list("day", "status")
        .annotate(total=Sum("count"))
        .order_by()
    )
    for day, status, total in rows:
        submitted[day] += total
        if status in LETTER_WENT_OUT:
            sent[day] += total
    if not submitted:
        return []
    first, last = min(submitted), max(submitted)
    return [
        DayCount(day=day, submitted=submitted[day], sent=sent[day])
        for day in (first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1))
    ]


def _supporter_tallies():
    """Tally rows of the first letter of each submission: adding them up counts people."""
    return request_state_tallies().filter(counts_supporter=True)


def _breakdown(campaign: Campaign, dimension: str, *, label: Callable[[str], str]) -> list[Breakdown]:
    """Supporters by a dimension of their own (law, jurisdiction, language)."""
    by_value: dict[str, dict[str, int]] = defaultdict(dict)
    rows = (
        _supporter_tallies()
        .filter(campaign=campaign)
        .values_list(dimension, "status")
        .annotate(total=Sum("count"))
        .order_by()
    )
    for value, status, total in rows:
        by_value[value][status] = total
    breakdowns = [_breakdown_row(value, label(value), counts) for value, counts in by_value.items()]
    return sorted(breakdowns, key=lambda row: (-row.submitted, row.label))


def _breakdown_row(value: str, label: str, counts: dict[str, int]) -> Breakdown:
    return Breakdown(
        value=value,
        label=label,
        submitted=sum(counts.values()),
        confirmed=sum_of(counts, CONFIRMED),
        sent=sum_of(counts, LETTER_WENT_OUT),
    )


def _delivery_rate(counts: dict[str, int]) -> int | None:
    # A complaint comes after a delivery; a bounce is a letter that left and did not arrive.
    left = sum_of(counts, LETTER_WENT_OUT | {Status.BOUNCED})
    delivered = sum_of(counts, {Status.DELIVERED, Status.COMPLAINED})
    return 100 * delivered // left if left > 0 else None


def outcome_summary(campaign: Campaign) -> OutcomeSummary:
    return outcome_summary_of(count_by_status(campaign))


def outcome_summary_of(by_status: dict[str, int]) -> OutcomeSummary:
    """The outcome figures from a campaign's letters by status (the tallies' one grouped read):
    each letter has its own deadline and outcome, so these count letters, not supporters."""

    def count(outcome: str, answered_in_time: bool | None = None) -> int:
        return by_status.get(outcome_tally_status(outcome, answered_in_time=answered_in_time), 0)

    return OutcomeSummary(
        letters_sent=sum(by_status.get(status, 0) for status in LETTER_WENT_OUT),
        answered_in_time=count(Outcome.ANSWERED, True),
        answered_late=count(Outcome.ANSWERED, False),
        refused_in_time=count(Outcome.REFUSED, True),
        refused_late=count(Outcome.REFUSED, False),
        extended=count(Outcome.EXTENDED),
        no_answer=count(Outcome.NO_ANSWER),
        verification=count(Outcome.VERIFICATION),
    )
