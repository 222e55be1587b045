"""Public numbers for a campaign, read from the tallies only."""

from dataclasses import dataclass

from campaign.models import Campaign
from campaign.tallies import count_by_status
from requests_app.models import CONFIRMED, LETTER_WENT_OUT


@dataclass(frozen=True)
class PublicCounts:
    sent: int
    confirmed: int
    goal: int

    @property
    def percent_of_goal(self) -> int:
        return min(100, round(100 * self.sent / self.goal)) if self.goal else 100


def public_counts(campaign: Campaign) -> PublicCounts:
    by_status = count_by_status(campaign)
    sent = sum(by_status.get(status, 0) for status in LETTER_WENT_OUT)
    confirmed = sum(by_status.get(status, 0) for status in CONFIRMED)
    return PublicCounts(sent=sent, confirmed=confirmed, goal=current_goal(campaign, sent=sent))


def current_goal(campaign: Campaign, *, sent: int) -> int:
    """The first goal not yet reached: the campaign's goal, then each milestone, then steps of the goal."""
    goals = sorted({campaign.goal, *_milestones(campaign)})
    for goal in goals:
        if sent < goal:
            return goal
    step = campaign.goal or 1000
    return (sent // step + 1) * step


def _milestones(campaign: Campaign) -> list[int]:
    return [int(part) for part in campaign.milestones.replace(" ", "").split(",") if part.isdigit()]
