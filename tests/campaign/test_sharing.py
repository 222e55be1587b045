"""What a campaign link shows when it is shared, the share buttons, the campaign image, and the
`?source=` code: the page stays the same for every visitor."""

import base64
import re
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile

from requests_app.models import DataRequest

pytestmark = pytest.mark.django_db

# A 1×1 PNG.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def meta(page: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)">', page)
    return match.group(1) if match else None


def main_content(page: bytes) -> bytes:
    # The header's language switcher is not this page's concern (it keeps the query string).
    main = page.split(b'<main id="main"', 1)[1]
    # Nor is the form's CSRF token, which differs on every page until the form is protected otherwise.
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", main)


def test_the_campaign_page_has_a_description_and_a_social_card(client, campaign, settings):
    page = client.get("/fr/c/clearview/").content.decode()

    assert meta(page, "og:title") == "Reprenez votre visage à Clearview AI"
    assert meta(page, "og:url") == f"{settings.SITE_URL}/fr/c/clearview/"
    description = meta(page, "description")
    assert description.startswith("Clearview AI a copié sur Internet des milliards de photos")
    assert len(description) <= 200 and "[^" not in description and "##" not in description
    assert meta(page, "og:description") == description
    # Without an image of its own, the one the site draws (tests/campaign/test_share_image.py).
    assert meta(page, "og:image") == f"{settings.SITE_URL}/fr/c/clearview/share.png"
    assert meta(page, "twitter:card") == "summary_large_image"


def test_an_uploaded_campaign_image_is_served_and_shown_on_the_card(client, campaign, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign.image.save("face.png", ContentFile(PNG))
    campaign.image_alt_en = "A face made of search results"
    campaign.save()

    page = client.get("/en/c/clearview/").content.decode()
    image = client.get(campaign.image.url)

    assert meta(page, "og:image") == f"{settings.SITE_URL}{campaign.image.url}"
    assert meta(page, "twitter:card") == "summary_large_image"
    assert (
        f'<img class="campaign-image mb-3 rounded" src="{campaign.image.url}" alt="A face made of search results">'
        in page
    )
    assert image.status_code == 200
    assert b"".join(image.streaming_content) == PNG


def test_the_share_buttons_share_the_campaigns_own_address_with_its_share_text(client, campaign, settings):
    campaign.share_text_en = "I took my face back from Clearview AI. Your turn:"
    campaign.save()

    page = client.get("/en/c/clearview/").content.decode()

    links = re.findall(r'<a class="btn btn-outline-primary btn-sm" href="([^"]+)"', page)
    assert [link.split("/")[2] if "//" in link else link.split(":")[0] for link in links] == [
        "mastodonshare.com",
        "bsky.app",
        "www.facebook.com",
        "x.com",
        "wa.me",
        "mailto",
    ]
    address = quote(f"{settings.SITE_URL}/en/c/clearview/", safe="")
    assert all(address in link.replace("+", "%20") for link in links)
    assert all(
        "I+took+my+face+back" in link or "I%20took%20my%20face%20back" in link
        for link in links
        if "facebook" not in link
    )


def test_the_page_is_the_same_whatever_the_source_and_the_form_carries_the_code(client, campaign, supporter_form):
    plain = main_content(client.get("/en/c/clearview/").content)
    from_newsletter = main_content(client.get("/en/c/clearview/?source=newsletter-dec").content)

    client.post("/en/c/clearview/", dict(supporter_form, source="newsletter-dec"))

    assert plain == from_newsletter
    assert b'<input type="hidden" name="source" data-source-code="" id="id_source">' in plain
    assert DataRequest.objects.get().source == "newsletter-dec"


def test_a_form_error_keeps_the_source_code_in_the_form(client, campaign, supporter_form):
    page = client.post("/en/c/clearview/", dict(supporter_form, first_name="", source="partner-x")).content.decode()

    assert 'name="source" value="partner-x"' in page


def test_the_embed_carries_the_source_code_too(client, campaign, supporter_form):
    client.post("/embed/clearview/", dict(supporter_form, source="partner-x"), HTTP_SEC_FETCH_SITE="same-origin")

    assert DataRequest.objects.get().source == "partner-x"
