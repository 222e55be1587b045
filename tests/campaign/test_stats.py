"""The public numbers: the counter and its goal, and the stats API partners poll."""

import datetime
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaign.models import Campaign, Tally
from campaign.stats import PublicCounts, current_goal
from requests_app.models import DataRequest, Status

pytestmark = pytest.mark.django_db


def tally(campaign, status: str, count: int, *, day=None, shard=0) -> Tally:
    return Tally.objects.create(
        campaign=campaign,
        day=day or timezone.localdate(),
        law="pipeda",
        jurisdiction="CA-ON",
        language="en",
        target=campaign.ordered_targets()[0],
        status=status,
        shard=shard,
        count=count,
    )


@pytest.mark.parametrize(
    ("sent", "goal"),
    [(0, 1000), (999, 1000), (1000, 5000), (4999, 5000), (5000, 10000), (24999, 25000), (25000, 50000), (60000, 75000)],
)
def test_the_goal_moves_to_the_next_milestone_once_reached(sent, goal):
    campaign = Campaign(goal=1000, milestones="5000, 10000, 25000")

    assert current_goal(campaign, sent=sent) == goal


def test_without_milestones_the_goal_moves_on_in_steps_of_itself():
    campaign = Campaign(goal=500, milestones="")

    assert [current_goal(campaign, sent=sent) for sent in (0, 500, 1234)] == [500, 1000, 1500]


def test_a_milestone_below_the_goal_or_misspelt_is_taken_in_order_or_ignored():
    campaign = Campaign(goal=1000, milestones="250, lots, 2000,")

    assert [current_goal(campaign, sent=sent) for sent in (0, 250, 1000, 2000)] == [250, 1000, 2000, 4000]


def test_a_campaign_with_no_goal_at_all_still_has_a_bar():
    assert current_goal(Campaign(goal=0, milestones=""), sent=1500) == 2000


def test_the_campaign_page_counter_shows_the_next_milestone(client, campaign):
    tally(campaign, Status.DELIVERED, 1000)
    tally(campaign, Status.SENT, 200, shard=3)
    tally(campaign, Status.BOUNCED, 50)

    page = client.get("/en/c/clearview/").content.decode()

    assert "1,200 letters sent" in page
    assert "Help us reach 5,000." in page
    assert 'max="5000" value="1200"' in page


def test_the_stats_api_answers_json_from_the_tallies(client, campaign):
    tally(campaign, Status.SENT, 7)
    tally(campaign, Status.DELIVERED, 3, shard=5)
    tally(campaign, Status.QUEUED, 4)
    tally(campaign, Status.AWAITING_CONFIRMATION, 9)
    newest = tally(campaign, Status.BOUNCED, 1, day=timezone.localdate() - datetime.timedelta(days=2))

    response = client.get("/api/campaigns/clearview/stats")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "slug": "clearview",
        "goal": 1000,
        "sent": 10,
        "confirmed": 15,
        "percent_of_goal": 1,
        "updated_at": newest.updated_at.isoformat(),
        "targets": [{"name": campaign.ordered_targets()[0].name, "sent": 10, "confirmed": 15}],
    }


def test_the_stats_api_is_cacheable_and_answers_304_when_nothing_changed(client, campaign):
    tally(campaign, Status.SENT, 7)

    first = client.get("/api/campaigns/clearview/stats")
    again = client.get("/api/campaigns/clearview/stats", headers={"If-None-Match": first["ETag"]})

    assert "max-age=5" in first["Cache-Control"] and "public" in first["Cache-Control"]
    assert first["ETag"].startswith('"')
    assert "Last-Modified" in first
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_the_stats_api_serves_its_cached_numbers_for_a_few_seconds(client, campaign):
    tally(campaign, Status.SENT, 7)
    first = client.get("/api/campaigns/clearview/stats")

    tally(campaign, Status.DELIVERED, 5)
    cached = client.get("/api/campaigns/clearview/stats")
    cache.clear()  # what the passing of STATS_CACHE_SECONDS does
    fresh = client.get("/api/campaigns/clearview/stats")

    assert cached.json()["sent"] == 7
    assert fresh.json()["sent"] == 12
    assert fresh["ETag"] != first["ETag"]


def test_the_stats_api_is_open_to_other_origins_and_nothing_else_is(client, campaign):
    partner = {"Origin": "https://partner.example.org"}

    api = client.get("/api/campaigns/clearview/stats", headers=partner)
    preflight = client.options(
        "/api/campaigns/clearview/stats", headers={**partner, "Access-Control-Request-Method": "GET"}
    )
    page = client.get("/en/c/clearview/", headers=partner)

    assert api["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in api
    assert preflight.status_code == 200
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in page


def test_the_stats_api_answers_404_for_an_unknown_campaign(client, campaign):
    assert client.get("/api/campaigns/no-such-campaign/stats").status_code == 404


def test_the_stats_api_for_a_campaign_without_requests(client, campaign):
    assert json.loads(client.get("/api/campaigns/clearview/stats").content) == {
        "slug": "clearview",
        "goal": 1000,
        "sent": 0,
        "confirmed": 0,
        "percent_of_goal": 0,
        "updated_at": None,
        "targets": [{"name": campaign.ordered_targets()[0].name, "sent": 0, "confirmed": 0}],
    }


@pytest.mark.parametrize("path", ["/en/c/clearview/", "/api/campaigns/clearview/stats", "/embed/clearview/counter"])
def test_no_public_page_counts_request_rows(client, campaign, supporter_form, path):
    client.post("/en/c/clearview/", supporter_form)
    assert DataRequest.objects.exists()
    cache.clear()

    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200

    read = " ".join(query["sql"] for query in queries.captured_queries)
    assert DataRequest._meta.db_table not in read
    assert Tally._meta.db_table in read


def test_the_bar_says_100_percent_only_once_the_goal_is_reached():
    assert PublicCounts(sent=999, confirmed=999, goal=1000).percent_of_goal == 99
    assert PublicCounts(sent=1000, confirmed=1000, goal=1000).percent_of_goal == 100
