"""Numbers the way the page's language writes them (12,345 in English, 12 345 in French), and
what the counter says about them."""

from django import template

from campaign import stats

register = template.Library()

register.filter("grouped", stats.grouped)
register.simple_tag(stats.counter_heading, name="counter_heading")
register.simple_tag(stats.goal_line, name="goal_line")
