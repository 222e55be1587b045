"""seed_campaign: every law's letters and the target's findings, added to an existing campaign too, and
the current pitch for a campaign that still shows an earlier seeded one."""

import io

import pytest
from django.core.management import call_command

from campaign.management.commands.seed_campaign import EARLIER_PITCHES, PITCH_EN, PITCH_FR
from requests_app.laws import Law
from requests_app.models import LetterTemplate, TargetFinding

pytestmark = pytest.mark.django_db


def seed(*arguments: str) -> str:
    out = io.StringIO()
    call_command("seed_campaign", *arguments, stdout=out)
    return out.getvalue()


def test_an_existing_campaign_gets_the_letters_of_a_new_law_and_keeps_its_own(campaign):
    LetterTemplate.objects.filter(campaign=campaign, law=Law.LGPD).delete()
    edited = LetterTemplate.objects.get(campaign=campaign, law=Law.PIPEDA, language="en")
    edited.body = "An organiser's own letter, {{ full_name }}."
    edited.save()

    assert "2 letter templates" in seed()

    laws = set(LetterTemplate.objects.filter(campaign=campaign).values_list("law", flat=True))
    assert laws == {law.value for law in Law}
    assert LetterTemplate.objects.get(pk=edited.pk).body == "An organiser's own letter, {{ full_name }}."
    assert TargetFinding.objects.filter(
        target=campaign.ordered_targets()[0], applies_to="CA-QC", language="fr"
    ).exists()


def test_update_letters_saves_a_corrected_seed_as_a_new_version(campaign):
    edited = LetterTemplate.objects.get(campaign=campaign, law=Law.PIPEDA, language="en")
    edited.body = "An older letter, {{ full_name }}."
    edited.save()

    assert "1 letter templates" in seed("--update-letters")
    assert "0 letter templates" in seed("--update-letters")

    versions = LetterTemplate.objects.filter(campaign=campaign, law=Law.PIPEDA, language="en").order_by("version")
    assert [template.body.startswith("An older letter") for template in versions] == [True, False]


def test_update_letters_brings_a_new_seed_subject_to_a_campaign_seeded_before(campaign):
    edited = LetterTemplate.objects.get(campaign=campaign, law=Law.GDPR, language="fr")
    edited.subject = "Demande d'accès au titre du RGPD : {{ full_name }}"
    edited.save()

    assert "1 letter templates" in seed("--update-letters")

    newest = LetterTemplate.objects.filter(campaign=campaign, law=Law.GDPR, language="fr").latest("version")
    assert newest.subject.startswith("{% if wants_access and wants_deletion %}Demande d'accès, d'opposition")
    assert newest.subject.endswith("– {{ full_name }}")
    assert newest.version == edited.version + 1


def an_earlier_seeded_pitch(campaign, **overrides) -> None:
    """The campaign as a site seeded before the pitch became a sourced story has it."""
    campaign.pitch_en = EARLIER_PITCHES["en"][0]
    campaign.pitch_fr = EARLIER_PITCHES["fr"][0]
    for field, value in overrides.items():
        setattr(campaign, field, value)
    campaign.save()


def test_a_campaign_still_showing_an_earlier_seeded_pitch_gets_the_current_one(client, campaign):
    # As the admin's form saves it after an edit elsewhere on the campaign: CRLF line ends.
    an_earlier_seeded_pitch(campaign, pitch_fr=EARLIER_PITCHES["fr"][0].replace("\n", "\r\n"))

    assert "earlier seeded pitch replaced" in seed()

    campaign.refresh_from_db()
    assert (campaign.pitch_en, campaign.pitch_fr) == (PITCH_EN, PITCH_FR)
    assert "Randal Reid" in client.get("/fr/c/clearview/").content.decode()
    assert "pitch replaced" not in seed()


@pytest.mark.parametrize("edited", ["pitch_en", "pitch_fr"])
def test_a_pitch_an_admin_edited_in_either_language_is_kept_in_both(campaign, edited):
    an_earlier_seeded_pitch(campaign, **{edited: "Our own words about Clearview AI."})

    assert "pitch replaced" not in seed()

    campaign.refresh_from_db()
    kept = {
        "pitch_en": EARLIER_PITCHES["en"][0],
        "pitch_fr": EARLIER_PITCHES["fr"][0],
        edited: "Our own words about Clearview AI.",
    }
    assert (campaign.pitch_en, campaign.pitch_fr) == (kept["pitch_en"], kept["pitch_fr"])


def test_a_campaign_with_the_current_pitch_in_one_language_gets_it_in_the_other(campaign):
    # The README said to paste the new pitch in the admin: someone did, in English only.
    an_earlier_seeded_pitch(campaign, pitch_en=PITCH_EN)

    seed()

    campaign.refresh_from_db()
    assert (campaign.pitch_en, campaign.pitch_fr) == (PITCH_EN, PITCH_FR)
