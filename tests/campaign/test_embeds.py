"""The embeds may be framed by the campaign's partners; every other page refuses to be framed."""

import pytest
from django.core.exceptions import ValidationError

from requests_app.models import DataRequest, Status

pytestmark = pytest.mark.django_db

EMBEDS = ["/embed/clearview/", "/embed/clearview/counter", "/embed/clearview/check-your-inbox/"]
# From our own page in the partner's iframe: the browser says so in Sec-Fetch-Site.
FROM_THE_EMBED = {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}


def frame_ancestors(response) -> str:
    directives = dict(
        directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";") if directive
    )
    return directives["frame-ancestors"]


@pytest.mark.parametrize("path", EMBEDS)
def test_the_embeds_may_be_framed_by_any_site_by_default(client, campaign, path):
    response = client.get(path)

    assert response.status_code == 200
    assert frame_ancestors(response) == "*"
    assert "X-Frame-Options" not in response


@pytest.mark.parametrize("path", EMBEDS)
def test_the_embeds_may_be_framed_only_by_the_origins_the_campaign_lists(client, campaign, path):
    campaign.embed_origins = "https://openmedia.org https://*.partner.example"
    campaign.save(update_fields=["embed_origins"])

    assert frame_ancestors(client.get(path)) == "https://openmedia.org https://*.partner.example"


@pytest.mark.parametrize(
    "path", ["/", "/en/c/clearview/", "/en/c/clearview/check-your-inbox/", "/en/privacy/", "/admin/login/"]
)
def test_every_other_page_refuses_to_be_framed(client, campaign, path):
    response = client.get(path)

    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert frame_ancestors(response) == "'none'"


def test_a_campaign_that_lists_nothing_valid_is_framed_by_no_one(client, campaign):
    # Saved around the admin's validation, as a bad value from before it would be.
    campaign.embed_origins = "https://ok.example'; script-src * javascript:"
    campaign.save(update_fields=["embed_origins"])

    policy = client.get("/embed/clearview/counter")["Content-Security-Policy"]

    assert "frame-ancestors https://ok.example" not in policy
    assert "script-src 'self'" in policy
    assert "javascript:" not in policy


def test_the_admin_refuses_what_is_not_an_origin(campaign):
    campaign.embed_origins = "https://ok.example partner.example/page"
    with pytest.raises(ValidationError) as error:
        campaign.full_clean()

    assert "partner.example/page" in str(error.value)
    campaign.embed_origins = "https://ok.example http://localhost:8080 https://*.partner.example *"
    campaign.full_clean()


def test_the_embedded_counter_shows_the_count_without_the_site_header(client, campaign):
    page = client.get("/embed/clearview/counter").content.decode()

    assert "Be among the first to send this letter" in page
    assert "<header" not in page and "<footer" not in page
    assert 'href="/en/c/clearview/"' in page


def test_the_embedded_form_submits_inside_the_frame(client, campaign, supporter_form):
    form = client.get("/embed/clearview/")
    response = client.post("/embed/clearview/", supporter_form, headers=FROM_THE_EMBED)

    assert 'action="/embed/clearview/"' in form.content.decode()
    assert 'target="_self"' in form.content.decode()
    assert response.status_code == 302
    assert response["Location"] == "/embed/clearview/check-your-inbox/"
    request = DataRequest.objects.get()
    assert request.email == "jeanne.tremblay@example.org"
    assert request.status == Status.AWAITING_CONFIRMATION


def test_the_embedded_form_needs_no_csrf_cookie_but_refuses_posts_from_other_sites(client, campaign, supporter_form):
    forged = client.post(
        "/embed/clearview/",
        supporter_form,
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://attacker.example"},
    )
    old_browser_forged = client.post(
        "/embed/clearview/", supporter_form, headers={"Origin": "https://attacker.example"}
    )
    page = client.get("/embed/clearview/")

    assert forged.status_code == 403
    assert old_browser_forged.status_code == 403
    assert not DataRequest.objects.exists()
    assert "csrftoken" not in page.cookies
    assert "csrfmiddlewaretoken" not in page.content.decode()


def test_the_embedded_form_shows_errors_inside_the_frame(client, campaign, supporter_form):
    response = client.post("/embed/clearview/", dict(supporter_form, email="not an address"), headers=FROM_THE_EMBED)

    assert response.status_code == 400
    assert frame_ancestors(response) == "*"
    assert "Enter a valid email address." in response.content.decode()
    assert not DataRequest.objects.exists()


def test_a_bot_filling_the_honeypot_in_the_embed_saves_nothing(client, campaign, supporter_form):
    response = client.post("/embed/clearview/", dict(supporter_form, website="spam"), headers=FROM_THE_EMBED)

    assert response["Location"] == "/embed/clearview/check-your-inbox/"
    assert not DataRequest.objects.exists()


def test_a_campaign_without_confirmation_thanks_inside_the_frame(client, campaign, supporter_form):
    campaign.requires_confirmation = False
    campaign.save(update_fields=["requires_confirmation"])

    response = client.post("/embed/clearview/", supporter_form, headers=FROM_THE_EMBED)
    thanks = client.get(response["Location"])

    assert response["Location"].startswith("/embed/clearview/thanks/")
    assert DataRequest.objects.get().status == Status.QUEUED
    assert thanks.status_code == 200
    assert frame_ancestors(thanks) == "*"
    assert "/r/thanks/" in thanks.content.decode()
    assert client.get("/embed/clearview/thanks/forged/").status_code == 404


def test_a_partners_french_page_gets_the_french_embed(client, campaign, supporter_form):
    form = client.get("/embed/clearview/?lang=fr", headers={"Accept-Language": "en"})
    response = client.post("/embed/clearview/?lang=fr", supporter_form, headers=FROM_THE_EMBED)

    assert '<html lang="fr">' in form.content.decode()
    assert 'action="/embed/clearview/?lang=fr"' in form.content.decode()
    assert response["Location"] == "/embed/clearview/check-your-inbox/?lang=fr"
    assert '<html lang="fr">' in client.get(response["Location"], headers={"Accept-Language": "en"}).content.decode()


def test_a_closed_campaigns_embed_takes_no_request(client, campaign, supporter_form):
    campaign.closes_at = campaign.opens_at
    campaign.save(update_fields=["closes_at"])

    page = client.get("/embed/clearview/").content.decode()
    client.post("/embed/clearview/", supporter_form, headers=FROM_THE_EMBED)

    assert 'id="request-form"' not in page
    assert not DataRequest.objects.exists()
