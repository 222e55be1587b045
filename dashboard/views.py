"""The organisers' dashboard: staff logins in the Organisers group (or superusers)."""

import csv
import logging
from collections.abc import Iterable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from campaign.models import Campaign
from dashboard.charts import daily_chart_svg
from dashboard.numbers import (
    AGGREGATE_COLUMNS,
    SUBSCRIBER_COLUMNS,
    aggregate_rows,
    campaign_dashboard,
    campaign_summaries,
    is_organiser,
    subscriber_rows,
)

logger = logging.getLogger(__name__)


def organiser_required(view):
    """Log in first (the admin's login page); then only organisers and superusers get through.
    Nothing here may sit in a shared cache: the subscriber export is personal data."""

    @wraps(view)
    def check(request, *args, **kwargs):
        if not is_organiser(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(login_required(require_GET(check)))


@organiser_required
def index(request):
    summaries = campaign_summaries(Campaign.objects.order_by("slug").prefetch_related("target_links__target"))
    return render(request, "dashboard/index.html", {"summaries": summaries})


@organiser_required
def campaign(request, slug):
    dashboard = campaign_dashboard(get_object_or_404(Campaign, slug=slug))
    chart = daily_chart_svg(dashboard.days, title=_("Requests per day of submission")) if dashboard.days else ""
    return render(request, "dashboard/campaign.html", {"dashboard": dashboard, "chart": chart})


@organiser_required
def aggregates_csv(request, slug):
    campaign = get_object_or_404(Campaign, slug=slug)
    return _csv_download(f"{campaign.slug}-aggregates", AGGREGATE_COLUMNS, aggregate_rows(campaign))


@organiser_required
def subscribers_csv(request, slug):
    # The deliberate exception to "organisers see no personal data": people who opted in to
    # updates, for organisers to write to (DESIGN.md section 3). Logged, without the list itself.
    campaign = get_object_or_404(Campaign, slug=slug)
    logger.info("Subscriber list of campaign %s exported by user #%s", campaign.slug, request.user.pk)
    return _csv_download(f"{campaign.slug}-subscribers", SUBSCRIBER_COLUMNS, subscriber_rows(campaign))


class _Echo:
    """A file-like object for csv.writer that hands each line back instead of storing it."""

    def write(self, value: str) -> str:
        return value


def _csv_download(name: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    lines = (writer.writerow([spreadsheet_safe(cell) for cell in row]) for row in _with_header(header, rows))
    filename = f"{name}-{timezone.now():%Y%m%d-%H%M}.csv"
    return StreamingHttpResponse(
        _with_byte_order_mark(lines),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _with_header(header: list[str], rows: Iterable[list]) -> Iterable[list]:
    yield header
    yield from rows


def _with_byte_order_mark(lines: Iterable[str]) -> Iterable[str]:
    # Excel reads a CSV without it in the machine's legacy code page: "Québec" would become "QuÃ©bec".
    yield "\ufeff"
    yield from lines


def spreadsheet_safe(cell):
    """A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) gets a leading
    apostrophe: supporters type the names and addresses organisers open in Excel."""
    if isinstance(cell, str) and cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + cell
    return cell
