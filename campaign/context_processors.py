"""What every page's footer shows: who runs the site."""

from campaign.content_cache import cached_content
from campaign.models import Operator


def operator(request) -> dict:
    return {"operator": cached_content("operator", Operator.current)}
