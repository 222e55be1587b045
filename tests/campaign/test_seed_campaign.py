"""seed_campaign: every law's letters and the target's findings, added to an existing campaign too."""

import io

import pytest
from django.core.management import call_command

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
