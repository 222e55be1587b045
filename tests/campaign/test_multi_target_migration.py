"""The migrations to several targets per campaign keep every campaign, request and count: run on
PostgreSQL with rows present, forwards, back and forwards again."""

import datetime
import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("campaign", "0004_sender_name_help_text"), ("requests_app", "0003_erasure_due_index")]
AFTER = [("campaign", "0005_campaign_targets"), ("requests_app", "0004_submissions")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_schema():
    """The database as it was before campaigns had several targets; the latest schema again after."""
    apps = migrate(BEFORE)
    yield apps
    executor = MigrationExecutor(connection)
    migrate(executor.loader.graph.leaf_nodes())


def fill_old_schema(apps):
    Target = apps.get_model("campaign", "Target")
    Campaign = apps.get_model("campaign", "Campaign")
    Tally = apps.get_model("campaign", "Tally")
    PrivacyPolicy = apps.get_model("campaign", "PrivacyPolicy")
    LetterTemplate = apps.get_model("requests_app", "LetterTemplate")
    DataRequest = apps.get_model("requests_app", "DataRequest")
    policy = PrivacyPolicy.objects.create(version="1", body_en="Policy", body_fr="Politique")
    now = timezone.now()
    for number, slug in enumerate(["first", "second"]):
        target = Target.objects.create(name=f"Target {slug}", privacy_email=f"{slug}@example.org", postal_address="-")
        campaign = Campaign.objects.create(
            slug=slug, target=target, title_en=slug, title_fr=slug, pitch_en="", pitch_fr=""
        )
        template = LetterTemplate.objects.create(campaign=campaign, law="pipeda", language="en", subject="S", body="B")
        for index in range(3 + number):
            DataRequest.objects.create(
                campaign=campaign,
                target=target,
                template=template,
                first_name="Jeanne",
                last_name="Tremblay",
                email=f"supporter{index}@example.org",
                letter_subject="S",
                letter_body="B",
                jurisdiction="CA-ON",
                law="pipeda",
                language="en",
                privacy_policy=policy,
                consent_text="Consent",
                consented_at=now,
                status="sent" if index else "awaiting_confirmation",
            )
        for shard, (status, count) in enumerate([("sent", 2 + number), ("awaiting_confirmation", 1), ("expired", 5)]):
            Tally.objects.create(
                campaign=campaign,
                day=datetime.date(2026, 11, 1),
                law="pipeda",
                jurisdiction="CA-ON",
                language="en",
                status=status,
                shard=shard,
                count=count,
            )


def tally_totals(apps) -> dict:
    Tally = apps.get_model("campaign", "Tally")
    return {(row.campaign.slug, row.status, row.shard): row.count for row in Tally.objects.select_related("campaign")}


def requests_by_campaign(apps) -> dict:
    DataRequest = apps.get_model("requests_app", "DataRequest")
    return {
        (request.campaign.slug, request.email, request.status, request.target.name)
        for request in DataRequest.objects.select_related("campaign", "target")
    }


def test_each_campaign_keeps_its_target_requests_and_counts(old_schema):
    fill_old_schema(old_schema)
    tallies_before, requests_before = tally_totals(old_schema), requests_by_campaign(old_schema)

    apps = migrate(AFTER)

    Campaign = apps.get_model("campaign", "Campaign")
    for campaign in Campaign.objects.all():
        assert [link.target.name for link in campaign.target_links.all()] == [f"Target {campaign.slug}"]
    assert tally_totals(apps) == tallies_before
    Tally = apps.get_model("campaign", "Tally")
    for tally in Tally.objects.select_related("campaign", "target"):
        assert (tally.target.name, tally.counts_supporter) == (f"Target {tally.campaign.slug}", True)
    assert requests_by_campaign(apps) == requests_before
    DataRequest = apps.get_model("requests_app", "DataRequest")
    submissions = list(DataRequest.objects.values_list("submission_id", flat=True))
    assert len(set(submissions)) == len(submissions) == 7
    assert all(isinstance(submission, uuid.UUID) for submission in submissions)
    assert set(DataRequest.objects.values_list("counts_supporter", flat=True)) == {True}

    back = migrate(BEFORE)

    assert tally_totals(back) == tallies_before
    assert requests_by_campaign(back) == requests_before

    again = migrate(AFTER)

    assert tally_totals(again) == tallies_before
    assert requests_by_campaign(again) == requests_before


def test_a_campaign_with_several_targets_refuses_to_go_back(old_schema):
    fill_old_schema(old_schema)
    apps = migrate(AFTER)
    Campaign = apps.get_model("campaign", "Campaign")
    Target = apps.get_model("campaign", "Target")
    CampaignTarget = apps.get_model("campaign", "CampaignTarget")
    campaign = Campaign.objects.get(slug="first")
    CampaignTarget.objects.create(campaign=campaign, target=Target.objects.get(name="Target second"), position=1)

    with pytest.raises(RuntimeError, match="writes to 2 targets"):
        migrate([("campaign", "0004_sender_name_help_text")])
