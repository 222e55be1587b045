"""Admin-edited rows that every page view or submission reads and that change a few times in a
campaign's life (the campaign and its targets, the operator, the privacy policy in force, the
letter templates and whether they cover the form), kept for a few seconds in each process, in the
local-memory cache alias `content`.

Saving or deleting one of them in this process (an admin's edit, a test) forgets everything at
once; the site's other processes see the change within CONTENT_CACHE_SECONDS.
"""

from collections.abc import Callable
from functools import partial
from typing import TypeVar

from django.core.cache import caches
from django.db.models import Prefetch
from django.db.models.signals import post_delete, post_save
from django.shortcuts import get_object_or_404

from campaign.models import Campaign, CampaignTarget

CONTENT_CACHE_SECONDS = 10

T = TypeVar("T")


def cached_content(key: str, compute: Callable[[], T]) -> T:
    content = caches["content"]
    value = content.get(key)
    if value is None:
        value = compute()
        content.set(key, value, CONTENT_CACHE_SECONDS)
    return value


def forget_cached_content(**signal_arguments) -> None:
    caches["content"].clear()


def forget_when_changed(*models) -> None:
    for model in models:
        post_save.connect(forget_cached_content, sender=model, dispatch_uid=f"content_cache.save.{model.__name__}")
        post_delete.connect(forget_cached_content, sender=model, dispatch_uid=f"content_cache.delete.{model.__name__}")


def campaign_or_404(slug: str) -> Campaign:
    """The campaign with its targets in order (Campaign.ordered_targets), as every page view,
    submission and stats poll reads it."""
    with_targets = Campaign.objects.prefetch_related(
        Prefetch("target_links", queryset=CampaignTarget.objects.select_related("target"))
    )
    return cached_content(f"campaign:{slug}", partial(get_object_or_404, with_targets, slug=slug))
