"""The share image the site draws for a campaign without an image of its own: a 1200×630 PNG with
the title and the live count, kept for a crawler burst, at an address the card's tags name."""

import io
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation
from PIL import Image, ImageDraw, ImageFont

from campaign import share_image
from campaign.shared_pages import forget_pages_in_this_process
from campaign.stats import PublicCounts, TargetCounts
from tests.supporters import sent

pytestmark = pytest.mark.django_db


def meta(page: str, key: str) -> str | None:
    match = re.search(rf'<meta (?:name|property)="{re.escape(key)}" content="([^"]*)">', page)
    return match.group(1) if match else None


def png_of(response) -> Image.Image:
    image = Image.open(io.BytesIO(response.content))
    image.verify()  # a broken or truncated file raises here
    return Image.open(io.BytesIO(response.content))


def drawn(font: ImageFont.FreeTypeFont, char: str) -> bytes:
    image = Image.new("L", (80, 80))
    ImageDraw.Draw(image).text((10, 10), char, font=font, fill=255)
    return image.tobytes()


def as_time_passes() -> None:
    """What the passing of the image's and the counts' cache lifetimes does."""
    cache.clear()
    forget_pages_in_this_process()


@pytest.fixture(autouse=True)
def _fonts_found_afresh():
    share_image.font_path.cache_clear()
    share_image._font.cache_clear()
    yield
    share_image.font_path.cache_clear()
    share_image._font.cache_clear()


def test_it_is_a_1200_by_630_png_any_cache_may_keep(client, campaign):
    response = client.get("/en/c/clearview/share.png")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = png_of(response)
    assert (image.format, image.size) == ("PNG", (1200, 630))
    max_age = int(re.fullmatch(r"public, max-age=(\d+), s-maxage=\1", response["Cache-Control"]).group(1))
    assert 1 <= max_age <= 60
    assert "Set-Cookie" not in response.headers and "Cookie" not in response.get("Vary", "")
    assert client.get("/en/c/clearview/share.png", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_a_crawler_burst_gets_one_drawing_and_the_next_count_after_it_expires(client, campaign):
    before = client.get("/en/c/clearview/share.png").content

    sent(campaign, email="first@example.org")
    forget_pages_in_this_process()
    during_the_burst = client.get("/en/c/clearview/share.png").content
    as_time_passes()
    after = client.get("/en/c/clearview/share.png").content

    assert during_the_burst == before
    assert after != before
    with translation.override("en"):
        assert share_image.share_card(campaign, PublicCounts(sent=1, confirmed=1, goal=1000)).count == (
            "Be among the first: 1 letter sent so far"
        )


def test_an_admins_edit_of_the_title_shows_on_the_next_image(client, campaign):
    before = client.get("/en/c/clearview/share.png").content

    campaign.title_en = "Your face is not their data"
    campaign.save()

    assert client.get("/en/c/clearview/share.png").content != before


@pytest.mark.parametrize(
    ("language", "sent_count", "targets", "count"),
    [
        ("en", 0, 1, "Be among the first to send this letter"),
        ("en", 12, 1, "Be among the first: 12 letters sent so far"),
        ("en", 1234, 1, "1,234 letters sent"),
        ("en", 1234, 2, "1,234 people have sent their letters"),
        ("fr", 0, 1, "Soyez parmi les premiers à envoyer cette lettre"),
        ("fr", 99, 1, "Soyez parmi les premiers\u00a0: 99 lettres envoyées jusqu’ici"),
        ("fr", 1234, 1, "1\u00a0234 lettres envoyées"),
    ],
)
def test_the_count_on_the_image_is_the_counters_and_invites_before_a_hundred(
    client, campaign, language, sent_count, targets, count
):
    counts = PublicCounts(
        sent=sent_count,
        confirmed=sent_count,
        goal=5000,
        targets=tuple(TargetCounts(name=f"Target {n}", sent=sent_count, confirmed=sent_count) for n in range(targets)),
    )

    with translation.override(language):
        card = share_image.share_card(campaign, counts)
        page_counter = client.get(f"/{language}/c/clearview/").content.decode()

    assert card.count == count
    assert not re.search(r"(^|\D)0 (letters|lettres)", card.count)
    if sent_count == 0:
        # The page says the same as the image for the campaign's real count (none yet).
        assert f'<h2 id="counter-heading" class="h5">{count}</h2>' in page_counter


def test_the_campaign_card_points_to_the_image_with_absolute_addresses(client, campaign, settings):
    settings.SITE_URL = "https://takeback.example.org"

    page = client.get("/fr/c/clearview/").content.decode()

    assert meta(page, "og:image") == "https://takeback.example.org/fr/c/clearview/share.png"
    assert meta(page, "og:url") == "https://takeback.example.org/fr/c/clearview/"
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
    assert meta(page, "twitter:card") == "summary_large_image"
    assert meta(page, "og:image:alt").startswith("Reprenez votre visage à Clearview AI. Soyez parmi les premiers")
    assert png_of(client.get("/fr/c/clearview/share.png")).size == (1200, 630)


def test_french_is_drawn_with_its_accents_and_differs_from_english(client, campaign):
    english = client.get("/en/c/clearview/share.png").content
    french = client.get("/fr/c/clearview/share.png").content
    with translation.override("fr"):
        card = share_image.share_card(campaign, PublicCounts(sent=99, confirmed=99, goal=1000))

    assert english != french
    text = card.title + card.line + card.count + card.goal
    assert {"à", "é", "’", "\u00a0"} <= set(text)
    for font_name in (share_image.REGULAR_FONT, share_image.BOLD_FONT):
        font = ImageFont.truetype(str(share_image.font_path(font_name)), 40)
        # A character the font lacks is drawn as its "missing glyph" box, as a private-use one is.
        missing = drawn(font, "\U0010fffd")
        lacking = {char for char in set(text) - {" ", "\u00a0"} if drawn(font, char) == missing}
        assert not lacking, f"{font_name} has no glyph for {lacking}"


def test_an_unknown_campaign_has_no_image(client, campaign):
    response = client.get("/en/c/no-such-campaign/share.png")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_without_the_font_it_says_what_to_install(settings, tmp_path, campaign):
    settings.SHARE_IMAGE_FONT_DIRS = [str(tmp_path)]

    with pytest.raises(ImproperlyConfigured, match=r"none of .*: install DejaVu .*fonts-dejavu-core"):
        share_image.draw_share_card(share_image.share_card(campaign, PublicCounts(sent=0, confirmed=0, goal=1000)))
