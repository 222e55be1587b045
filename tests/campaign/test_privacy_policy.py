"""The privacy policy page and the consent record it backs."""

import datetime
import re

import pytest
from django.utils import timezone, translation

from campaign.models import PrivacyPolicy, Subscriber
from requests_app.consent import CAMPAIGN_UPDATES, SEND_IN_MY_NAME
from requests_app.models import DataRequest
from tests.supporters import confirmed

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """The page's words without markup or line breaks, as a reader sees them."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_it_shows_the_current_version_in_english_and_french(client, campaign):
    PrivacyPolicy.objects.create(version="2", body_en="Version two, in English.", body_fr="Version deux, en français.")
    PrivacyPolicy.objects.create(
        version="3-draft",
        body_en="Not published yet.",
        body_fr="Pas encore publiée.",
        published_at=timezone.now() + datetime.timedelta(days=1),
    )

    english = text_of(client.get("/en/privacy/"))
    french = text_of(client.get("/fr/privacy/"))

    assert "Version two, in English." in english and "Version 2," in english
    assert "Version deux, en français." in french
    assert "Not published yet" not in english and "Pas encore" not in french


def test_it_states_the_retention_periods_the_code_uses(client, campaign, settings):
    settings.UNCONFIRMED_RETENTION_DAYS = 11
    settings.CONFIRMATION_LINK_DAYS = 5
    campaign.retention_days = 45
    campaign.save(update_fields=["retention_days"])

    page = text_of(client.get("/en/privacy/"))

    assert "How long we keep your data" in page
    assert "we delete it 11 days after we last emailed you the confirmation link" in page
    assert "The link itself works for 5 days." in page
    assert "Retention period for “Take back your face from Clearview AI”: 45 days." in page
    assert "PIPEDA (Canada): answer due within 60 days, extension included." in page
    assert "GDPR (EU/EEA): answer due within 3 months, extension included." in page


def test_it_states_them_in_french_too(client, campaign, settings):
    settings.UNCONFIRMED_RETENTION_DAYS = 11
    campaign.retention_days = 45
    campaign.save(update_fields=["retention_days"])

    page = text_of(client.get("/fr/privacy/"))

    assert "Combien de temps nous conservons vos données" in page
    assert "nous la supprimons 11 jours après le dernier envoi du lien de confirmation" in page
    assert "Durée de conservation pour « Reprenez votre visage à Clearview AI » : 45 jours." in page
    assert "LPRPDE (Canada) : réponse exigible dans un délai de 60 jours, prolongation comprise." in page


def test_a_request_records_the_policy_version_the_wording_and_the_time(client, campaign, supporter_form):
    before = timezone.now()
    client.post("/en/c/clearview/", supporter_form)
    PrivacyPolicy.objects.create(version="later", body_en="Later.", body_fr="Plus tard.")

    request = DataRequest.objects.get()

    assert request.privacy_policy.version == "1"
    with translation.override("en"):
        assert request.consent_text == str(SEND_IN_MY_NAME)
    assert before <= request.consented_at <= timezone.now()


def test_a_subscriber_keeps_the_same_consent_record_with_the_updates_wording(campaign):
    request = confirmed(campaign, wants_updates=True)

    subscriber = Subscriber.objects.get()

    assert subscriber.email == request.email
    assert subscriber.privacy_policy_id == request.privacy_policy_id
    assert subscriber.consented_at == request.consented_at
    with translation.override("en"):
        assert subscriber.consent_text == str(CAMPAIGN_UPDATES)


def test_nobody_is_subscribed_without_ticking_the_box(campaign):
    confirmed(campaign, wants_updates=False)

    assert not Subscriber.objects.exists()


def test_the_policy_text_shows_as_headings_paragraphs_and_lists(client, campaign):
    PrivacyPolicy.objects.create(
        version="2",
        body_en="What we collect\n- Your name.\n- Your <b>email</b> address.\nNothing else, ever.",
        body_fr="Ce que nous recueillons\n- Votre nom.",
    )

    page = client.get("/en/privacy/").content.decode()

    assert '<h2 class="h3 mt-4">What we collect</h2>' in page
    assert "<ul><li>Your name.</li><li>Your &lt;b&gt;email&lt;/b&gt; address.</li></ul>" in page
    assert "<p>Nothing else, ever.</p>" in page
