"""The language switcher's destination: the page being read, in the other language."""

from django import template
from django.urls import translate_url

register = template.Library()


@register.simple_tag(takes_context=True)
def this_page_in(context, language: str) -> str:
    """The current path with its language prefix swapped, e.g. /en/c/<slug>/ -> /fr/c/<slug>/.

    Translated here, while the page's own language is active, because Django's set_language can
    only translate a path whose prefix matches the language of the request to /i18n/setlang/ (the
    cookie's or the browser's): a French browser on an English page would otherwise stay on it.
    """
    return translate_url(context["request"].get_full_path(), language)
