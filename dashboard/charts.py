"""The dashboard's daily chart, drawn as SVG on the server: no script, nothing from a CDN.

Colours come from classes in static/css/takeback.css (the site's CSP allows no inline styles).
"""

import math
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from campaign.stats import grouped
from dashboard.numbers import DayCount

WIDTH, HEIGHT = 800, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 8, 12, 28
PLOT_WIDTH, PLOT_HEIGHT = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
DAY_LABELS = 6


def daily_chart_svg(days: Sequence[DayCount], *, title: str) -> SafeString:
    """Bars of requests submitted each day, the part that went out drawn over them. Each bar has
    a <title> with its numbers (a tooltip, and read by screen readers)."""
    scale = nice_ceiling(max((day.submitted for day in days), default=0))
    slot = PLOT_WIDTH / max(len(days), 1)
    # A gap between bars while they are wide enough to show one.
    bar = slot * 0.8 if slot >= 4 else slot

    def height(value: int) -> float:
        return PLOT_HEIGHT * value / scale

    bars = format_html_join(
        "\n",
        '<g><title>{}</title><rect class="chart-submitted" x="{}" y="{}" width="{}" height="{}"></rect>'
        '<rect class="chart-sent" x="{}" y="{}" width="{}" height="{}"></rect></g>',
        (
            (
                _("%(day)s: %(submitted)s submitted, %(sent)s sent")
                % {"day": day.day.isoformat(), "submitted": day.submitted, "sent": day.sent},
                _number(LEFT + index * slot),
                _number(TOP + PLOT_HEIGHT - height(day.submitted)),
                _number(bar),
                _number(height(day.submitted)),
                _number(LEFT + index * slot),
                _number(TOP + PLOT_HEIGHT - height(day.sent)),
                _number(bar),
                _number(height(day.sent)),
            )
            for index, day in enumerate(days)
            if day.submitted > 0
        ),
    )
    y_axis = format_html_join(
        "\n",
        '<line class="chart-grid" x1="{}" x2="{}" y1="{}" y2="{}"></line>'
        '<text class="chart-label" x="{}" y="{}" text-anchor="end">{}</text>',
        (
            (LEFT, WIDTH - RIGHT, _number(y), _number(y), LEFT - 6, _number(y + 4), grouped(value))
            for value in (0, scale // 2, scale)
            for y in [TOP + PLOT_HEIGHT - height(value)]
        ),
    )
    x_axis = format_html_join(
        "\n",
        '<text class="chart-label" x="{}" y="{}" text-anchor="{}">{}</text>',
        (
            (_number(LEFT + index * slot + bar / 2), HEIGHT - 8, anchor, days[index].day.isoformat())
            for index, anchor in _day_label_positions(len(days))
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="daily-chart-title">'
        '<title id="daily-chart-title">{}</title>\n{}\n{}\n{}\n</svg>',
        WIDTH,
        HEIGHT,
        title,
        y_axis,
        bars,
        x_axis,
    )


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50, ... that is at least `value` (and at least 1)."""
    if value <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _day_label_positions(count: int) -> list[tuple[int, str]]:
    """Where to print dates under the bars: the first, the last, and a few evenly between."""
    if count == 0:
        return []
    if count == 1:
        return [(0, "middle")]
    labels = min(DAY_LABELS, count)
    indexes = sorted({round(i * (count - 1) / (labels - 1)) for i in range(labels)})
    return [(index, "start" if index == 0 else "end" if index == count - 1 else "middle") for index in indexes]


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")
