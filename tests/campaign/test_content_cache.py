"""What every submission reads (the campaign, the privacy policy, the letter templates) is kept a
few seconds in each process; an edit made in this process is seen at once."""

import datetime

import pytest
from django.utils import timezone

from campaign import content_cache
from campaign.models import Campaign, PrivacyPolicy
from requests_app.models import DataRequest, LetterTemplate

pytestmark = pytest.mark.django_db


def submit(client, form: dict, **changes):
    return client.post("/en/c/clearview/", {**form, **changes})


def test_a_newly_published_privacy_policy_is_recorded_with_the_next_submission(client, campaign, supporter_form):
    submit(client, supporter_form)
    PrivacyPolicy.objects.create(version="2", body_en="Version two.", body_fr="Version deux.")
    submit(client, supporter_form, email="second@example.org")

    versions = [request.privacy_policy.version for request in DataRequest.objects.order_by("pk")]
    assert versions == ["1", "2"]


def test_a_new_letter_template_version_writes_the_next_letter(client, campaign, supporter_form):
    submit(client, supporter_form)
    current = LetterTemplate.objects.filter(campaign=campaign, law="pipeda", language="en").latest("version")
    LetterTemplate.objects.create(
        campaign=campaign,
        law="pipeda",
        language="en",
        version=current.version + 1,
        subject=current.subject,
        body="Version two, for {{ full_name }}.",
    )
    submit(client, supporter_form, email="second@example.org")

    second = DataRequest.objects.get(email="second@example.org")
    assert second.letter_body == "Version two, for Jeanne Tremblay.\n"
    assert second.template.version == current.version + 1


def test_closing_the_campaign_in_the_admin_closes_the_form_at_once(client, campaign, supporter_form):
    client.get("/en/c/clearview/")
    campaign.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    campaign.save(update_fields=["closes_at"])

    response = submit(client, supporter_form)

    assert "This campaign is not taking new requests." in response.content.decode()
    assert not DataRequest.objects.exists()


def test_an_edit_made_in_another_process_is_seen_once_the_cache_expires(client, campaign, supporter_form, monkeypatch):
    monkeypatch.setattr(content_cache, "CONTENT_CACHE_SECONDS", 0)
    client.get("/en/c/clearview/")
    # A queryset update sends no signal, as an edit in another process reaches this one with none.
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))

    submit(client, supporter_form)

    assert not DataRequest.objects.exists()


def test_a_submission_reads_neither_the_campaign_nor_the_policy_nor_the_template_again(
    client, campaign, supporter_form, django_assert_max_num_queries
):
    submit(client, supporter_form)

    # The duplicate check, the insert, the tally, and the savepoint around the last two.
    with django_assert_max_num_queries(5):
        response = submit(client, supporter_form, email="second@example.org")

    assert response.status_code == 302
    assert DataRequest.objects.count() == 2
