"""Pages opened by a signed link: never cached, alive only as long as the data they lead to, and
the embedded thanks page only for its own campaign's requests."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign, CampaignTarget, Subscriber
from campaign.subscriptions import unsubscribe_path
from requests_app import tokens
from requests_app.models import DataRequest, LetterTemplate, Outcome
from requests_app.retention import apply_retention
from tests.supporters import confirmed, sent, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.RATELIMIT_PER_CLIENT = "1000/h"


def status_token(request: DataRequest) -> str:
    return tokens.make_token(request, purpose=tokens.STATUS)


def signed_pages(request: DataRequest) -> dict[str, str]:
    token = status_token(request)
    answer = tokens.make_token(request, purpose=tokens.ANSWER)
    return {
        "status": reverse("requests_app:status", kwargs={"token": token}),
        "thanks": reverse("requests_app:thanks", kwargs={"token": token}),
        "delete": reverse("requests_app:delete", kwargs={"token": token}),
        "answer": reverse("requests_app:answer", kwargs={"token": answer, "outcome": Outcome.ANSWERED}),
        "complaint": reverse("requests_app:complaint", kwargs={"token": token}),
        "embed thanks": reverse("embed_thanks", kwargs={"slug": request.campaign.slug, "token": token}),
    }


def assert_private(response, page: str) -> None:
    directives = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    assert {"private", "no-store"} <= directives, f"{page}: Cache-Control {response.get('Cache-Control')!r}"


def test_every_page_a_signed_link_opens_is_private_and_never_stored(client, campaign):
    awaiting = submitted(campaign, email="awaiting@example.org")
    letter = sent(campaign, wants_updates=True)
    subscriber = Subscriber.objects.get(email=letter.email)
    pages = {
        **signed_pages(letter),
        "confirm": reverse(
            "requests_app:confirm", kwargs={"token": tokens.make_token(awaiting, purpose=tokens.CONFIRM)}
        ),
        "confirmed already": reverse(
            "requests_app:confirm", kwargs={"token": tokens.make_token(letter, purpose=tokens.CONFIRM)}
        ),
        "unsubscribe": unsubscribe_path(subscriber),
    }
    for page, url in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 302), f"{page}: {response.status_code}"
        assert_private(response, page)
    assert_private(client.post(pages["unsubscribe"]), "unsubscribe (POST)")
    assert_private(client.post(pages["confirm"]), "confirm (POST)")


def test_a_status_link_ends_with_the_data_it_leads_to(client, campaign):
    letter = sent(campaign)
    pages = signed_pages(letter)
    assert client.get(pages["status"]).status_code == 200
    DataRequest.objects.filter(pk=letter.pk).update(erase_after=timezone.now() - datetime.timedelta(minutes=1))

    assert apply_retention().personal_data_erased == 1

    for page, url in pages.items():
        expected = 410 if page == "delete" else 404
        assert client.get(url).status_code == expected, page
    assert client.post(pages["delete"]).status_code == 410


def test_the_embedded_thanks_page_opens_only_for_its_own_campaigns_requests(client, campaign):
    other = Campaign.objects.create(slug="other", title_en="Other", title_fr="Autre", pitch_en="", pitch_fr="")
    CampaignTarget.objects.create(campaign=other, target=campaign.targets.first(), position=0)
    LetterTemplate.objects.create(
        campaign=other, law="pipeda", language="en", subject="Request", body="{{ full_name }}"
    )
    mine = confirmed(campaign)
    theirs = confirmed(other, email="someone.else@example.org")

    assert (
        client.get(reverse("embed_thanks", kwargs={"slug": "clearview", "token": status_token(mine)})).status_code
        == 200
    )
    assert (
        client.get(reverse("embed_thanks", kwargs={"slug": "other", "token": status_token(theirs)})).status_code == 200
    )
    assert client.get(reverse("embed_thanks", kwargs={"slug": "other", "token": status_token(mine)})).status_code == 404
    assert (
        client.get(reverse("embed_thanks", kwargs={"slug": "clearview", "token": status_token(theirs)})).status_code
        == 404
    )
