"""Numbers the way the page's language writes them: 12,345 in English, 12 345 in French."""

from django import template
from django.utils.formats import get_format

register = template.Library()


@register.filter
def grouped(number: int) -> str:
    # Django's floatformat:"g" does the same through Decimal and costs ~50 times as much; the
    # dashboard prints a thousand of these.
    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))
