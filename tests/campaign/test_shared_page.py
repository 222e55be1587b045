"""The campaign page is the same for every visitor, so any shared cache may keep it: no cookie, no
token, no session, and headers a CDN or a proxy honours. The form on it is refused from other sites
(tests/requests_app/test_hostile_input.py) and keeps its rate limits and honeypot."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaign.models import Tally
from campaign.shared_pages import forget_pages_in_this_process
from campaign.views import CAMPAIGN_PAGE_SECONDS
from requests_app.models import DataRequest, Status

pytestmark = pytest.mark.django_db

SHARED_PAGES = ["/", "/en/", "/en/c/clearview/", "/fr/c/clearview/", "/embed/clearview/counter"]
FROM_OUR_PAGE = {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}


def sent_tally(campaign, count: int, *, shard: int = 0) -> None:
    Tally.objects.create(
        campaign=campaign,
        target=campaign.ordered_targets()[0],
        day=timezone.localdate(),
        law="pipeda",
        jurisdiction="CA-ON",
        language="en",
        status=Status.SENT,
        shard=shard,
        count=count,
    )


@pytest.mark.parametrize("path", SHARED_PAGES)
@pytest.mark.parametrize("language", ["en", "fr-CA,fr;q=0.9"])
def test_no_response_of_a_shared_page_sets_a_cookie_or_varies_on_one(client, campaign, path, language):
    responses = [client.get(path, headers={"Accept-Language": language}) for _ in range(2)]

    for response in responses:
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        assert not response.cookies
        assert "cookie" not in response.get("Vary", "").lower()
        cache_control = response["Cache-Control"]
        assert "public" in cache_control
        assert re.search(r"(^|, )s-maxage=\d", cache_control)
        assert "private" not in cache_control and "no-store" not in cache_control


@pytest.mark.parametrize("path", ["/", "/en/c/clearview/", "/fr/c/clearview/"])
def test_the_campaign_page_has_no_per_visitor_token_and_revalidates_with_its_etag(client, campaign, path):
    first = client.get(path)
    again = client.get(path, headers={"If-None-Match": first["ETag"]})

    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert f"max-age={CAMPAIGN_PAGE_SECONDS}" in first["Cache-Control"]
    assert f"s-maxage={CAMPAIGN_PAGE_SECONDS}" in first["Cache-Control"]
    assert again.status_code == 304
    assert again.content == b""


def test_a_logged_in_organiser_gets_the_same_page_as_anyone(client, campaign, organiser):
    anonymous = client.get("/en/c/clearview/").content
    client.force_login(organiser)

    organisers_copy = client.get("/en/c/clearview/")

    assert organisers_copy.content == anonymous
    assert "cookie" not in organisers_copy.get("Vary", "").lower()


def test_the_site_renders_the_page_once_for_everyone_for_a_few_seconds(client, campaign):
    sent_tally(campaign, 7)
    client.get("/en/c/clearview/")
    sent_tally(campaign, 5, shard=1)

    with CaptureQueriesContext(connection) as queries:
        kept = client.get("/en/c/clearview/").content.decode()
    cache.clear()  # what the passing of CAMPAIGN_PAGE_SECONDS (and the counter's own) does
    forget_pages_in_this_process()  # and of the second each process keeps the page
    fresh = client.get("/en/c/clearview/").content.decode()
    french = client.get("/fr/c/clearview/").content.decode()

    assert queries.captured_queries == []
    assert "7 letters sent" in kept
    assert "12 letters sent" in fresh
    assert "12 lettres envoyées" in french


def test_form_errors_come_back_on_the_post_and_no_cache_keeps_them(client, campaign, supporter_form):
    response = client.post("/en/c/clearview/", dict(supporter_form, email="not an address"), headers=FROM_OUR_PAGE)
    page_afterwards = client.get("/en/c/clearview/").content.decode()

    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert 'value="Jeanne"' in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "Enter a valid email address." not in page_afterwards
    assert "Jeanne" not in page_afterwards
    assert not DataRequest.objects.exists()


def test_a_submission_from_the_sites_own_page_is_saved(client, campaign, supporter_form):
    response = client.post("/fr/c/clearview/", supporter_form, headers=FROM_OUR_PAGE)

    assert response.status_code == 302
    assert response["Location"] == "/fr/c/clearview/check-your-inbox/"
    assert DataRequest.objects.get().language == "fr"


def test_a_bot_filling_the_honeypot_on_the_shared_page_saves_nothing(client, campaign, supporter_form):
    response = client.post("/en/c/clearview/", dict(supporter_form, website="spam"), headers=FROM_OUR_PAGE)

    assert response.status_code == 302
    assert not DataRequest.objects.exists()


def test_each_process_answers_from_memory_with_the_same_headers(client, campaign):
    first = client.get("/en/c/clearview/")
    sent_tally(campaign, 9)
    cache.clear()  # the shared copy is gone; this process still has the page for up to a second

    with CaptureQueriesContext(connection) as queries:
        replayed = client.get("/en/c/clearview/")
        not_modified = client.get("/en/c/clearview/", headers={"If-None-Match": first["ETag"]})

    assert queries.captured_queries == []
    assert replayed.content == first.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Content-Language", "ETag"):
        assert replayed[header] == first[header]
    assert "public" in replayed["Cache-Control"]
    assert not replayed.cookies
    assert not_modified.status_code == 304


def test_the_unprefixed_home_page_from_memory_follows_each_browsers_language(client, campaign):
    french = client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9"})
    english = client.get("/", headers={"Accept-Language": "en"})
    french_again = client.get("/", headers={"Accept-Language": "fr"})

    assert '<html lang="fr">' in french.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert french_again.content == french.content
    assert "Accept-Language" in english["Vary"]


def test_a_foreign_host_gets_no_page_from_memory(client, campaign):
    client.get("/en/c/clearview/")

    assert client.get("/en/c/clearview/", headers={"Host": "attacker.example"}).status_code == 400
