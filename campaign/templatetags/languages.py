"""The language switcher's destination: the page being read, in the other language."""

from django import template
from django.urls import reverse, translate_url
from django.utils import translation

register = template.Library()


@register.simple_tag(takes_context=True)
def this_page_in(context, language: str) -> str:
    """The current path with its language prefix swapped, e.g. /en/c/<slug>/ -> /fr/c/<slug>/.

    A page without a language prefix (the default campaign at /, an error page) leads to the home
    page in that language: the switcher is a plain link and sets no cookie, so the same address
    would only show the same language again. A page kept by shared caches passes `shared_path`,
    its address without the query string: one visitor's query must not reach the next visitor.
    """
    path = context.get("shared_path") or context["request"].get_full_path()
    translated = translate_url(path, language)
    if translated != path:
        return translated
    with translation.override(language):
        return reverse("home_in_language")
