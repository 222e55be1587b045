"""The privacy policy page and the consent record it backs."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from campaign.models import PrivacyPolicy, Subscriber
from campaign.policies import PolicyVersionConsented, save_privacy_policy
from requests_app.consent import CAMPAIGN_UPDATES, SEND_IN_MY_NAME
from requests_app.models import DataRequest
from tests.supporters import confirmed, submitted

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
    assert "PIPEDA (Canada): the answer is awaited for 60 days after sending, any extension included." in page
    assert "GDPR (EU/EEA): the answer is awaited for 3 months after sending, any extension included." in page
    # BIPA sets no deadline: the page states how long we wait, not a legal duty.
    assert "BIPA (Illinois): the answer is awaited for 30 days" in page and "answer due" not in page
    assert "the ANPD in Brazil" in page and "your state's Attorney General" in page


def test_it_states_them_in_french_too(client, campaign, settings):
    settings.UNCONFIRMED_RETENTION_DAYS = 11
    campaign.retention_days = 45
    campaign.save(update_fields=["retention_days"])

    page = text_of(client.get("/fr/privacy/"))

    assert "Combien de temps nous conservons vos données" in page
    assert "nous la supprimons 11 jours après le dernier envoi du lien de confirmation" in page
    assert "Durée de conservation pour « Reprenez votre visage à Clearview AI » : 45 jours." in page
    assert (
        "LPRPDE (Canada) : réponse attendue pendant 60 jours après l'envoi, prolongation éventuelle comprise." in page
    )
    assert "l'ANPD au Brésil" in page


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


# Versions people consented to.


def policy_form(policy: PrivacyPolicy, **changes) -> dict:
    published = timezone.localtime(policy.published_at)
    return {
        "version": policy.version,
        "published_at_0": published.strftime("%Y-%m-%d"),
        "published_at_1": published.strftime("%H:%M:%S"),
        "body_en": policy.body_en,
        "body_fr": policy.body_fr,
        **changes,
    }


def test_a_version_someone_consented_to_is_read_only_in_the_admin(admin_client, campaign):
    submitted(campaign)
    policy = PrivacyPolicy.objects.get()
    page = f"/admin/campaign/privacypolicy/{policy.pk}/change/"

    assert 'name="body_en"' not in admin_client.get(page).content.decode()
    admin_client.post(page, policy_form(policy, body_en="Rewritten after the fact."))

    policy.refresh_from_db()
    assert "Rewritten" not in policy.body_en


def test_the_service_and_the_model_refuse_to_change_it_too(campaign):
    confirmed(campaign, wants_updates=True)
    DataRequest.objects.all().delete()  # the subscriber's consent alone is enough
    policy = PrivacyPolicy.objects.get()
    policy.body_fr = "Réécrite."

    with pytest.raises(PolicyVersionConsented, match="Add a new version instead"):
        save_privacy_policy(policy=policy)
    with pytest.raises(ValidationError):
        policy.full_clean()
    assert PrivacyPolicy.objects.get().body_fr != "Réécrite."


def test_a_version_nobody_consented_to_can_still_be_corrected(admin_client, campaign):
    draft = PrivacyPolicy.objects.create(version="2", body_en="Draft with a typo.", body_fr="Brouillon.")

    response = admin_client.post(
        f"/admin/campaign/privacypolicy/{draft.pk}/change/", policy_form(draft, body_en="Draft, corrected.")
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body_en == "Draft, corrected."


def test_a_change_is_a_new_version_and_the_old_one_stays_readable_at_its_address(admin_client, client, campaign):
    submitted(campaign)
    PrivacyPolicy.objects.update(published_at=timezone.now() - datetime.timedelta(days=30))
    old_text = "We collect as little as the letter needs"
    assert old_text in PrivacyPolicy.objects.get().body_en
    published = timezone.localtime()
    response = admin_client.post(
        "/admin/campaign/privacypolicy/add/",
        {
            "version": "2",
            "published_at_0": published.strftime("%Y-%m-%d"),
            "published_at_1": published.strftime("%H:%M:%S"),
            "body_en": "Version two.",
            "body_fr": "Version deux.",
        },
    )
    assert response.status_code == 302

    assert "Version two." in text_of(client.get("/en/privacy/"))
    old = client.get("/en/privacy/v/1/")
    assert old.status_code == 200
    assert old_text in text_of(old) and "Version two." not in text_of(old)
    assert "Privacy policy, version 1" in text_of(old)
    assert "Politique de confidentialité, version 1" in text_of(client.get("/fr/privacy/v/1/"))
    assert client.get("/en/privacy/v/nope/").status_code == 404


def test_a_version_not_yet_published_has_no_public_page(client, campaign):
    PrivacyPolicy.objects.create(
        version="3", body_en="Soon.", body_fr="Bientôt.", published_at=timezone.now() + datetime.timedelta(days=2)
    )

    assert client.get("/en/privacy/v/3/").status_code == 404


def test_each_consent_record_links_to_the_version_agreed_to(admin_client, campaign):
    request = confirmed(campaign, wants_updates=True)
    subscriber = Subscriber.objects.get()

    for page in (
        f"/admin/requests_app/datarequest/{request.pk}/change/",
        f"/admin/campaign/subscriber/{subscriber.pk}/change/",
        "/admin/campaign/subscriber/",
    ):
        assert '<a href="/en/privacy/v/1/">1</a>' in admin_client.get(page).content.decode(), page
