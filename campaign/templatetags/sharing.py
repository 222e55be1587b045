"""Share links and the campaign's public address, for the campaign and thank-you pages.

Every link is a plain link to the network's own share page: no third-party script, and nothing
about the visitor goes anywhere until they click.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from campaign.models import Campaign

register = template.Library()


@dataclass(frozen=True)
class ShareLink:
    network: str
    label: str
    url: str


@register.simple_tag
def campaign_url(campaign: Campaign) -> str:
    """The campaign's own address in the page's language, from SITE_URL (never the request's Host)."""
    return settings.SITE_URL + reverse("campaign", kwargs={"slug": campaign.slug})


@register.simple_tag
def site_address(path: str) -> str:
    """A path on this site as a full address (social networks fetch images from it)."""
    return settings.SITE_URL + path


@register.simple_tag
def share_links(campaign: Campaign) -> list[ShareLink]:
    url = campaign_url(campaign)
    text = campaign.share_text
    text_and_url = f"{text} {url}"
    return [
        ShareLink("mastodon", "Mastodon", "https://mastodonshare.com/?" + urlencode({"text": text, "url": url})),
        ShareLink("bluesky", "Bluesky", "https://bsky.app/intent/compose?" + urlencode({"text": text_and_url})),
        ShareLink("facebook", "Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ShareLink("x", "X", "https://x.com/intent/post?" + urlencode({"text": text, "url": url})),
        ShareLink("whatsapp", "WhatsApp", "https://wa.me/?" + urlencode({"text": text_and_url})),
        ShareLink(
            "email",
            _("Email"),
            "mailto:?" + urlencode({"subject": campaign.title, "body": text_and_url}).replace("+", "%20"),
        ),
    ]
