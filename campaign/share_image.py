"""The image a campaign link shows when it is shared and the campaign has no image of its own:
1200×630 PNG drawn by the site, with the title, one line about the letter and the live count.

Only the campaign's public words and numbers go on it, never anything about a visitor.
"""

import functools
import io
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from campaign.models import Campaign
from campaign.stats import PublicCounts, counter_heading, goal_line

WIDTH, HEIGHT = 1200, 630
MARGIN = 72
TEXT_WIDTH = WIDTH - 2 * MARGIN
REGULAR_FONT = "DejaVuSans.ttf"
BOLD_FONT = "DejaVuSans-Bold.ttf"

BACKGROUND = "#10243e"
QUIET = "#a9bcd0"
TEXT = "#ffffff"
ACCENT = "#ffd166"
BAR_TRACK = "#2c4566"


@dataclass(frozen=True)
class ShareCard:
    """What the image says, in the active language."""

    title: str
    line: str
    count: str
    goal: str
    percent_of_goal: int
    address: str

    @property
    def description(self) -> str:
        """The image's text alternative (og:image:alt)."""
        return f"{self.title}. {self.count}. {self.goal}"


def share_card(campaign: Campaign, counts: PublicCounts) -> ShareCard:
    return ShareCard(
        title=campaign.title,
        line=_("Your privacy-law request to %(target)s, written for you and sent in your name.")
        % {"target": campaign.target_names},
        count=counter_heading(counts),
        goal=goal_line(counts),
        percent_of_goal=counts.percent_of_goal,
        address=urlsplit(settings.SITE_URL).netloc,
    )


def draw_share_card(card: ShareCard) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), BACKGROUND)
    draw = ImageDraw.Draw(image)

    brand = _font(BOLD_FONT, 30)
    draw.text((MARGIN, 56), "Takeback", font=brand, fill=QUIET)
    draw.text((WIDTH - MARGIN, 56), card.address, font=_font(REGULAR_FONT, 26), fill=QUIET, anchor="ra")

    # From the top: the title (up to three lines, smaller when long), then the line about the letter.
    title_font, title_lines = _fit(draw, card.title, BOLD_FONT, sizes=(64, 56, 48, 42), max_lines=3)
    y = _write_lines(draw, title_lines, font=title_font, top=124, fill=TEXT)
    line_font, line_lines = _fit(draw, card.line, REGULAR_FONT, sizes=(32, 28), max_lines=2)
    _write_lines(draw, line_lines, font=line_font, top=y + 20, fill=QUIET)

    # From the bottom: the goal, its bar, and the count above them.
    goal_font = _font(REGULAR_FONT, 28)
    draw.text((MARGIN, HEIGHT - 52), card.goal, font=goal_font, fill=QUIET, anchor="ld")
    bar_top = HEIGHT - 112
    draw.rounded_rectangle((MARGIN, bar_top, WIDTH - MARGIN, bar_top + 20), radius=10, fill=BAR_TRACK)
    if card.percent_of_goal:
        filled = MARGIN + max(20, TEXT_WIDTH * card.percent_of_goal // 100)
        draw.rounded_rectangle((MARGIN, bar_top, filled, bar_top + 20), radius=10, fill=ACCENT)
    count_font, count_lines = _fit(draw, card.count, BOLD_FONT, sizes=(46, 40, 34, 30, 26), max_lines=1)
    draw.text((MARGIN, bar_top - 22), count_lines[0], font=count_font, fill=ACCENT, anchor="ld")

    png = io.BytesIO()
    image.save(png, format="PNG")
    return png.getvalue()


def _write_lines(draw: ImageDraw.ImageDraw, lines: list[str], *, font, top: int, fill: str) -> int:
    """Draw the lines from `top` down; return where the next block may start."""
    step = round(font.size * 1.18)
    for number, line in enumerate(lines):
        draw.text((MARGIN, top + number * step), line, font=font, fill=fill)
    return top + len(lines) * step


def _fit(
    draw: ImageDraw.ImageDraw, text: str, font_name: str, *, sizes: tuple[int, ...], max_lines: int
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest of `sizes` at which the text wraps into `max_lines`; at the smallest, the lines
    that fit, the last one cut with an ellipsis (an admin's very long title)."""
    for size in sizes:
        font = _font(font_name, size)
        lines = _wrap(draw, text, font)
        if len(lines) <= max_lines:
            return font, lines
    lines = lines[:max_lines]
    last = lines[-1]
    while last and draw.textlength(last + "…", font=font) > TEXT_WIDTH:
        last = last[:-1].rstrip()
    lines[-1] = last + "…"
    return font, lines


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont) -> list[str]:
    # Split on ordinary spaces only: a non-breaking one (French « » and before : ; ! ?) holds.
    lines: list[str] = []
    for word in text.split(" "):
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= TEXT_WIDTH:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


@functools.cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), size)


@functools.cache
def font_path(name: str) -> Path:
    """The DejaVu font file, from the first of TAKEBACK_SHARE_IMAGE_FONT_DIRS that has it."""
    directories = [Path(directory) for directory in settings.SHARE_IMAGE_FONT_DIRS]
    for directory in directories:
        if (directory / name).is_file():
            return directory / name
    raise ImproperlyConfigured(
        f"The share image needs the font {name}, which is in none of "
        f"{', '.join(str(directory) for directory in directories)}: install DejaVu "
        "(Debian: apt-get install fonts-dejavu-core) or set TAKEBACK_SHARE_IMAGE_FONT_DIRS to its folder."
    )
