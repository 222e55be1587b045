"""Starting a campaign against several targets in the admin: the targets inline, in order."""

import pytest
from django.utils import timezone

from campaign.models import Campaign, Target

pytestmark = pytest.mark.django_db


def campaign_form(**targets) -> dict:
    now = timezone.now()
    form = {
        "slug": "two-targets",
        "title_en": "Two targets",
        "title_fr": "Deux cibles",
        "pitch_en": "Write to both.",
        "pitch_fr": "Écrivez aux deux.",
        "sender_name": "Takeback",
        "goal": "1000",
        "milestones": "",
        "opens_at_0": now.strftime("%Y-%m-%d"),
        "opens_at_1": now.strftime("%H:%M:%S"),
        "closes_at_0": "",
        "closes_at_1": "",
        "requires_confirmation": "on",
        "retention_days": "90",
        "test_address": "",
        "reply_domain": "",
        "embed_origins": "*",
        "target_links-TOTAL_FORMS": str(len(targets)),
        "target_links-INITIAL_FORMS": "0",
        "target_links-MIN_NUM_FORMS": "1",
        "target_links-MAX_NUM_FORMS": "1000",
    }
    for number, (position, target) in enumerate(targets.items()):
        form[f"target_links-{number}-target"] = str(target.pk)
        form[f"target_links-{number}-position"] = position.removeprefix("at_")
    return form


def test_an_admin_starts_a_campaign_against_two_targets_in_their_order(admin_client, campaign):
    first = campaign.ordered_targets()[0]
    second = Target.objects.create(
        name="Facefinder Example", privacy_email="p@facefinder.example.org", postal_address="-"
    )

    page = admin_client.get("/admin/campaign/campaign/add/").content.decode()
    response = admin_client.post("/admin/campaign/campaign/add/", campaign_form(at_2=first, at_1=second))

    assert "Targets: one letter to each, for every supporter" in page
    assert response.status_code == 302, response.content.decode()
    assert Campaign.objects.get(slug="two-targets").ordered_targets() == [second, first]
    listing = admin_client.get("/admin/campaign/campaign/").content.decode()
    assert f"{second.name}, {first.name}" in listing


def test_a_campaign_without_a_target_is_refused_with_a_reason(admin_client, campaign):
    response = admin_client.post("/admin/campaign/campaign/add/", campaign_form())

    assert response.status_code == 200
    assert "A campaign needs at least one target" in response.content.decode()
    assert not Campaign.objects.filter(slug="two-targets").exists()
