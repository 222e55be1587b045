"""A campaign works as soon as it is saved: its first letters, the check before it opens, copies."""

import datetime
import html

import pytest
from django.utils import timezone

from campaign.models import Campaign, Operator, Target
from requests_app import campaign_setup
from requests_app.campaign_setup import laws_the_form_needs
from requests_app.laws import Law
from requests_app.letters import current_template, save_letter_template_version
from requests_app.models import LetterTemplate
from tests.campaign.test_second_campaign import add_target_and_campaign, campaign_form

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def letters(campaign: Campaign) -> dict[tuple[str, str], LetterTemplate]:
    return {(t.law, t.language): t for t in campaign_setup.newest_versions(campaign)}


def test_a_new_campaign_starts_with_the_default_campaigns_newest_letters_as_its_own(admin_client, campaign):
    edited = current_template(campaign=campaign, law="pipeda", language="en")
    edited.subject = "Edited subject for {{ full_name }}"
    save_letter_template_version(template=edited)

    pimeyes = add_target_and_campaign(admin_client)

    copied = letters(pimeyes)
    assert set(copied) == set(letters(campaign))
    assert copied[("pipeda", "en")].subject == "Edited subject for {{ full_name }}"
    assert {template.version for template in copied.values()} == {1}
    # Versions of its own: an edit to the default campaign's letter later changes nothing here.
    edited.subject = "Later edit"
    save_letter_template_version(template=edited)
    assert current_template(campaign=pimeyes, law="pipeda", language="en").subject.startswith("Edited subject")


def test_without_any_campaign_the_first_one_gets_the_seed_letters(admin_client):
    campaign = add_target_and_campaign(admin_client, slug="first")

    seeds = {(seed.law, seed.language) for seed in campaign_setup.seed_letters()}
    assert set(letters(campaign)) == seeds
    assert campaign_setup.campaign_missing_letters(campaign=campaign) == []


def test_the_admin_refuses_to_open_a_campaign_missing_a_letter_and_names_it(admin_client, campaign):
    LetterTemplate.objects.filter(campaign=campaign, law="ccpa").delete()
    now = timezone.localtime()
    form = campaign_form(slug="clearview", target=campaign.ordered_targets()[0], now=now, title_en="Renamed")

    refused = admin_client.post(f"/admin/campaign/campaign/{campaign.pk}/change/", form)

    assert refused.status_code == 200
    assert (
        "This campaign cannot open: it has no letter for CCPA/CPRA (California) (English), "
        "CCPA/CPRA (California) (French)." in page_text(refused)
    )
    campaign.refresh_from_db()
    assert campaign.title_en != "Renamed"

    later = now + datetime.timedelta(days=7)
    saved_closed = admin_client.post(
        f"/admin/campaign/campaign/{campaign.pk}/change/",
        {**form, "opens_at_0": later.strftime("%Y-%m-%d"), "opens_at_1": later.strftime("%H:%M:%S")},
    )
    assert saved_closed.status_code == 302
    campaign.refresh_from_db()
    assert campaign.title_en == "Renamed" and not campaign.is_open()


def test_the_laws_to_cover_come_from_the_places_in_the_form(monkeypatch, admin_client, campaign):
    # Every law has a place in the form (the general letter for places no law covers).
    assert set(laws_the_form_needs()) == {
        Law.PIPEDA, Law.GDPR, Law.UK_GDPR, Law.CCPA, Law.BIPA, Law.US_STATE, Law.WA_MHMDA,
        Law.LGPD, Law.AUSTRALIA, Law.NFADP, Law.GENERAL,
    }  # fmt: skip
    LetterTemplate.objects.filter(campaign=campaign).exclude(law="pipeda").delete()
    canada_only = [group for group in campaign_setup.jurisdiction_choices() if group[1][0][0].startswith("CA-")]
    monkeypatch.setattr(campaign_setup, "jurisdiction_choices", lambda: canada_only)

    assert laws_the_form_needs() == [Law.PIPEDA]
    assert campaign_setup.campaign_missing_letters(campaign=campaign) == []


def test_a_french_letter_may_stand_in_only_for_french(campaign):
    LetterTemplate.objects.filter(campaign=campaign, law="gdpr", language="en").delete()

    assert campaign_setup.campaign_missing_letters(campaign=campaign) == [("gdpr", "en")]


def test_copy_campaign_copies_letters_pitch_and_settings_and_leaves_the_copy_closed(admin_client, client, campaign):
    campaign.goal, campaign.test_mode, campaign.retention_days = 5000, True, 30
    campaign.save()
    edited = current_template(campaign=campaign, law="gdpr", language="fr")
    edited.body += "\nP.-S."
    save_letter_template_version(template=edited)

    response = admin_client.post(
        "/admin/campaign/campaign/", {"action": "copy_campaigns", "_selected_action": [campaign.pk]}, follow=True
    )

    copy = Campaign.objects.get(slug="clearview-copy")
    assert "Copied clearview as" in page_text(response) and "It is closed" in page_text(response)
    assert (copy.ordered_targets(), copy.pitch_en, copy.pitch_fr, copy.title_fr) == (
        campaign.ordered_targets(),
        campaign.pitch_en,
        campaign.pitch_fr,
        campaign.title_fr,
    )
    assert (copy.goal, copy.test_mode, copy.retention_days, copy.milestones) == (5000, True, 30, campaign.milestones)
    assert {key: (t.subject, t.body) for key, t in letters(copy).items()} == {
        key: (t.subject, t.body) for key, t in letters(campaign).items()
    }
    assert letters(copy)[("gdpr", "fr")].body.endswith("P.-S.")
    assert not copy.is_open()
    closed_page = client.get("/en/c/clearview-copy/").content.decode()
    assert "This campaign is not taking new requests." in closed_page
    # A closed campaign invites no one: no counter asking to join, no share buttons.
    assert "Share this campaign" not in closed_page and 'id="counter-heading"' not in closed_page
    assert "Share this campaign" in client.get("/en/c/clearview/").content.decode()
    assert campaign.is_open()

    admin_client.post("/admin/campaign/campaign/", {"action": "copy_campaigns", "_selected_action": [campaign.pk]})
    assert Campaign.objects.filter(slug="clearview-copy-2").exists()


def test_the_home_page_shows_the_operators_home_campaign(admin_client, client, campaign):
    add_target_and_campaign(admin_client)
    assert "Take back your face from Clearview AI" in client.get("/en/").content.decode()

    operator = Operator.objects.get()
    operator.home_campaign = Campaign.objects.get(slug="pimeyes")
    operator.save()

    assert "Take back your face from PimEyes" in client.get("/en/").content.decode()


def test_without_any_campaign_the_home_page_is_not_found(client, db):
    assert not Target.objects.exists()
    assert client.get("/en/").status_code == 404


def test_a_new_campaign_the_default_set_cannot_cover_is_refused_open_and_saved_closed(
    monkeypatch, tmp_path, admin_client, campaign
):
    LetterTemplate.objects.filter(campaign=campaign, law="ccpa").delete()
    monkeypatch.setattr(campaign_setup, "LETTER_SEEDS", tmp_path)  # no seed files to fill the gap
    target = Target.objects.create(name="PimEyes", privacy_email="privacy@pimeyes.example", postal_address="Warsaw")
    now = timezone.localtime()

    refused = admin_client.post("/admin/campaign/campaign/add/", campaign_form(slug="pimeyes", target=target, now=now))

    assert refused.status_code == 200
    assert "This campaign cannot open: it has no letter for CCPA/CPRA (California) (English)" in page_text(refused)
    assert not Campaign.objects.filter(slug="pimeyes").exists()

    later = now + datetime.timedelta(days=1)
    closed = campaign_form(
        slug="pimeyes", target=target, now=now, opens_at_0=later.strftime("%Y-%m-%d"), opens_at_1="09:00:00"
    )
    assert admin_client.post("/admin/campaign/campaign/add/", closed).status_code == 302
    pimeyes = Campaign.objects.get(slug="pimeyes")
    assert set(letters(pimeyes)) == set(letters(campaign))
