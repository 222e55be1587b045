from django import template

from campaign import pitch as pitch_markup

register = template.Library()


@register.filter
def pitch_html(text: str):
    return pitch_markup.render_pitch(text)


@register.filter
def pitch_summary(text: str) -> str:
    return pitch_markup.pitch_summary(text)
