"""The language switcher keeps the visitor on the page they are reading, in the other language: a
plain link, so that the page stays the same for every visitor and sets no cookie."""

import re

import pytest

from requests_app import tokens
from requests_app.models import DataRequest

pytestmark = pytest.mark.django_db


def switch_language(client, page_url: str, *, to: str, **headers):
    """Follow the switcher's link on `page_url`, as the browser would."""
    page = client.get(page_url, **headers).content.decode()
    link = re.search(rf'<a href="([^"]*)" class="language-switch" hreflang="{to}"', page).group(1)
    return client.get(link.replace("&amp;", "&"), **headers)


def test_it_switches_the_campaign_page_to_french(client, campaign):
    response = switch_language(client, "/en/c/clearview/", to="fr")

    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/fr/c/clearview/"
    assert '<html lang="fr">' in response.content.decode()
    assert not response.cookies


def test_it_switches_to_french_from_a_browser_that_prefers_french(client, campaign):
    # Django's set_language alone would leave this visitor on the English page: it can only
    # translate a path whose prefix matches the browser's language.
    response = switch_language(client, "/en/c/clearview/resend/", to="fr", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")

    assert response.request["PATH_INFO"] == "/fr/c/clearview/resend/"


def test_it_switches_a_status_page_back_to_english_with_its_token(client, campaign, supporter_form):
    client.post("/fr/c/clearview/", supporter_form)
    token = tokens.make_token(DataRequest.objects.get(), purpose=tokens.STATUS)
    with_a_query = f"/fr/r/status/{token}/?from=email"

    response = switch_language(client, with_a_query, to="en", HTTP_ACCEPT_LANGUAGE="en")

    assert response.request["PATH_INFO"] == f"/en/r/status/{token}/"
    assert response.request["QUERY_STRING"] == "from=email"
    assert response.status_code == 200


def test_from_the_unprefixed_home_page_it_leads_to_the_home_page_in_french(client, campaign):
    response = switch_language(client, "/", to="fr")

    home = response.content.decode()
    assert response.request["PATH_INFO"] == "/fr/"
    assert '<html lang="fr">' in home
    assert "Reprenez votre visage à Clearview AI" in home
    assert 'action="/fr/c/clearview/"' in home


def test_the_switcher_is_a_link_in_the_other_language(client, campaign):
    english = client.get("/en/c/clearview/").content.decode()
    french = client.get("/fr/c/clearview/").content.decode()

    assert re.search(r'<a href="/fr/c/clearview/"[^>]*lang="fr">Français</a>', english)
    assert re.search(r'<a href="/en/c/clearview/"[^>]*lang="en">English</a>', french)
    assert "<form" not in english.split("</header>")[0]


def test_a_query_string_on_the_shared_campaign_page_reaches_no_other_visitor(client, campaign):
    first = client.get("/en/c/clearview/?utm_source=newsletter-1234").content.decode()
    second = client.get("/en/c/clearview/").content.decode()

    assert "newsletter-1234" not in first
    assert first == second
