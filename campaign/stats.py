"""Public numbers for a campaign, read from the tallies only.

They count supporters, not letters: a campaign against two targets writes two letters for each
supporter, and its counter still moves by one. A supporter is counted by the first letter of their
submission (DataRequest.counts_supporter): "sent" once that letter has gone out, "confirmed" once it
is confirmed. Each target's own counts are its letters (one per supporter).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from campaign.models import Campaign, Target
from campaign.tallies import StatusTotals, totals_by_status
from requests_app.models import CONFIRMED, LETTER_WENT_OUT

# The counter, the embeds and the stats API may be this many seconds behind: a surge of page views
# then costs one read of the tallies per campaign every few seconds, however many pages are served.
STATS_CACHE_SECONDS = 5
# The bar's steps for a campaign whose admin set no goal at all.
DEFAULT_GOAL_STEP = 1000


@dataclass(frozen=True)
class TargetCounts:
    name: str
    sent: int
    confirmed: int


@dataclass(frozen=True)
class PublicCounts:
    sent: int
    confirmed: int
    goal: int
    updated_at: datetime.datetime | None = None
    # The campaign's targets in order (then any it no longer writes to but did), with their letters.
    targets: tuple[TargetCounts, ...] = ()

    @property
    def percent_of_goal(self) -> int:
        # Rounded down: the bar never says 100% before the goal is reached.
        return min(100, 100 * self.sent // self.goal) if self.goal else 100


def public_counts(campaign: Campaign) -> PublicCounts:
    totals = totals_by_status(campaign_id=campaign.pk)
    sent = sum_of(totals.supporters, LETTER_WENT_OUT)
    return PublicCounts(
        sent=sent,
        confirmed=sum_of(totals.supporters, CONFIRMED),
        goal=current_goal(campaign, sent=sent),
        updated_at=totals.updated_at,
        targets=tuple(
            TargetCounts(name=target.name, sent=sum_of(counts, LETTER_WENT_OUT), confirmed=sum_of(counts, CONFIRMED))
            for target, counts in counts_by_target(campaign, totals=totals)
        ),
    )


def counts_by_target(campaign: Campaign, *, totals: StatusTotals) -> list[tuple[Target, dict[str, int]]]:
    """Each target's letters by state: the campaign's targets in order, then any target it wrote to
    and no longer does (an admin removed it), so no letter drops out of the numbers."""
    targets = campaign.ordered_targets()
    former_ids = set(totals.by_target) - {target.pk for target in targets}
    targets += list(Target.objects.filter(pk__in=former_ids).order_by("name", "pk"))
    return [(target, totals.by_target.get(target.pk, {})) for target in targets]


def sum_of(counts: dict[str, int], statuses: Iterable[str]) -> int:
    return sum(counts.get(status, 0) for status in statuses)


def cached_public_counts(campaign: Campaign) -> PublicCounts:
    """public_counts, at most STATS_CACHE_SECONDS old: what every public page shows."""
    return cache.get_or_set(
        f"public-counts:{campaign.pk}", lambda: public_counts(campaign), timeout=STATS_CACHE_SECONDS
    )


def stats_document(campaign: Campaign, counts: PublicCounts) -> dict:
    """The stats API's JSON: a contract partners' sites rely on (DESIGN.md section 6)."""
    return {
        "slug": campaign.slug,
        "goal": counts.goal,
        "sent": counts.sent,
        "confirmed": counts.confirmed,
        "percent_of_goal": counts.percent_of_goal,
        "targets": [
            {"name": target.name, "sent": target.sent, "confirmed": target.confirmed} for target in counts.targets
        ],
        "updated_at": counts.updated_at.isoformat() if counts.updated_at else None,
    }


def current_goal(campaign: Campaign, *, sent: int) -> int:
    """The first goal not yet reached: the campaign's goal and the admin's milestones in order.

    Past the last of them the bar moves on in steps of that last goal (25,000 reached: 50,000, then
    75,000), so it restarts well short of full rather than hovering at 99% after every step.
    """
    goals = sorted({campaign.goal, *_milestones(campaign)} - {0})
    for goal in goals:
        if sent < goal:
            return goal
    step = goals[-1] if goals else DEFAULT_GOAL_STEP
    return (sent // step + 1) * step


def counter_heading(counts: PublicCounts) -> str:
    """What the counter says, in the active language: the page's, the embed's and the share image's.

    Before the first hundred letters a small number would put people off, so it invites instead.
    """
    shown = grouped(counts.sent)
    if counts.sent == 0:
        return _("Be among the first to send this letter")
    if counts.sent < 100:
        return ngettext(
            "Be among the first: %(shown)s letter sent so far",
            "Be among the first: %(shown)s letters sent so far",
            counts.sent,
        ) % {"shown": shown}
    if len(counts.targets) > 1:
        return ngettext(
            "%(shown)s person has sent their letters", "%(shown)s people have sent their letters", counts.sent
        ) % {"shown": shown}
    return ngettext("%(shown)s letter sent", "%(shown)s letters sent", counts.sent) % {"shown": shown}


def goal_line(counts: PublicCounts) -> str:
    return _("Help us reach %(goal)s.") % {"goal": grouped(counts.goal)}


def grouped(number: int) -> str:
    """A number the way the active language writes it: 12,345 in English, 12 345 in French."""
    # Django's floatformat:"g" does the same through Decimal and costs ~50 times as much; the
    # dashboard prints a thousand of these.
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def _milestones(campaign: Campaign) -> list[int]:
    return [int(part) for part in campaign.milestones.replace(" ", "").split(",") if part.isdigit()]
