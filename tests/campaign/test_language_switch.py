"""The language switcher keeps the visitor on the page they are reading, in the other language."""

import re

import pytest

from requests_app import tokens
from requests_app.models import DataRequest

pytestmark = pytest.mark.django_db


def switch_language(client, page_url: str, *, to: str, **headers):
    """Press the switcher's button on `page_url`, as the browser would post its form."""
    page = client.get(page_url, **headers).content.decode()
    form = re.search(r'<form action="/i18n/setlang/".*?</form>', page, re.DOTALL).group(0)
    next_url = re.search(r'name="next" type="hidden" value="([^"]*)"', form).group(1)
    assert f'value="{to}"' in form
    return client.post("/i18n/setlang/", {"next": next_url, "language": to}, **headers)


def test_it_switches_the_campaign_page_to_french(client, campaign):
    response = switch_language(client, "/en/c/clearview/", to="fr")

    assert response.status_code == 302
    assert response["Location"] == "/fr/c/clearview/"


def test_it_switches_to_french_from_a_browser_that_prefers_french(client, campaign):
    # Django's set_language alone would leave this visitor on the English page: it can only
    # translate a path whose prefix matches the browser's language.
    response = switch_language(client, "/en/c/clearview/resend/", to="fr", HTTP_ACCEPT_LANGUAGE="fr-CA,fr;q=0.9")

    assert response["Location"] == "/fr/c/clearview/resend/"


def test_it_switches_a_status_page_back_to_english_with_its_token(client, campaign, supporter_form):
    client.post("/fr/c/clearview/", supporter_form)
    token = tokens.make_token(DataRequest.objects.get(), purpose=tokens.STATUS)
    with_a_query = f"/fr/r/status/{token}/?from=email"

    response = switch_language(client, with_a_query, to="en", HTTP_ACCEPT_LANGUAGE="en")

    assert response["Location"] == f"/en/r/status/{token}/?from=email"
    assert client.get(response["Location"]).status_code == 200


def test_it_keeps_the_unprefixed_home_page_and_remembers_the_choice(client, campaign):
    response = switch_language(client, "/", to="fr")

    assert response["Location"] == "/"
    home = client.get("/").content.decode()
    assert '<html lang="fr">' in home
    assert "Reprenez votre visage à Clearview AI" in home
    assert 'action="/fr/c/clearview/"' in home


def test_the_switcher_is_a_labelled_button_in_the_other_language(client, campaign):
    english = client.get("/en/c/clearview/").content.decode()
    french = client.get("/fr/c/clearview/").content.decode()

    assert re.search(r'<button type="submit" name="language" value="fr"[^>]*lang="fr">\s*Français\s*</button>', english)
    assert re.search(r'<button type="submit" name="language" value="en"[^>]*lang="en">\s*English\s*</button>', french)
