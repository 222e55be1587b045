"""Rendering a supporter's letter from the admin-managed template for (campaign, law, language).

Templates use Django's template language, restricted to a fixed set of variables and the `if`
tag. Supporter values are passed as data, so a name like "{{ secret }}" is printed, not evaluated.
"""

import functools
from dataclasses import dataclass

from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Node, TextNode, VariableNode
from django.template.defaulttags import IfNode, TemplateLiteral
from django.utils import translation

from campaign.models import Campaign, Target
from requests_app.laws import LAWS, jurisdiction_name
from requests_app.models import LetterTemplate, RequestKind

# The variables a letter template may use. Documented in the README; the admin refuses others.
LETTER_VARIABLES = {
    "first_name": "the supporter's first name",
    "last_name": "the supporter's last name",
    "full_name": "first and last name",
    "email": "the supporter's email address (where the target should reply)",
    "jurisdiction_name": "where the supporter lives, e.g. Ontario (Canada)",
    "target_name": "the organisation's name",
    "target_email": "the organisation's privacy address",
    "target_address": "the organisation's postal address",
    "campaign_title": "the campaign's title",
    "deadline_days": "the law's response period in days (empty where it counts in months)",
    "wants_access": "true when the supporter asks for access",
    "wants_deletion": "true when the supporter asks for deletion",
    "is_quebec": "true for residents of Quebec",
}

# Letters are plain text: no HTML escaping, and a missing variable prints nothing.
LETTER_ENGINE = Engine(autoescape=False, string_if_invalid="")


@dataclass(frozen=True)
class Supporter:
    first_name: str
    last_name: str
    email: str
    jurisdiction: str
    kind: str


SAMPLE_SUPPORTER = Supporter(
    first_name="Alex",
    last_name="Sample",
    email="alex@example.org",
    jurisdiction="CA-ON",
    kind=RequestKind.ACCESS_AND_DELETION,
)


@dataclass(frozen=True)
class RenderedLetter:
    subject: str
    body: str


def check_letter_template(text: str) -> list[str]:
    """Why a template may not be saved; an empty list when it may."""
    try:
        template = LETTER_ENGINE.from_string(text)
    except TemplateSyntaxError as error:
        return [f"Template syntax error: {error}"]
    problems: list[str] = []
    _check_nodes(template.nodelist, problems)
    return problems


def _check_nodes(nodes, problems: list[str]) -> None:
    for node in nodes:
        if isinstance(node, TextNode):
            continue
        if isinstance(node, VariableNode):
            _check_expression(node.filter_expression, problems)
        elif isinstance(node, IfNode):
            for condition, branch in node.conditions_nodelists:
                if condition is not None:
                    _check_condition(condition, problems)
                _check_nodes(branch, problems)
        else:
            problems.append(f"Only {{{{ variables }}}} and {{% if %}} are allowed, not {_describe(node)}.")


def _check_condition(condition, problems: list[str]) -> None:
    # An if-condition is a tree of operators whose leaves hold a filter expression in `.value`.
    if isinstance(condition, TemplateLiteral):
        _check_expression(condition.value, problems)
        return
    for operand in (condition.first, condition.second):
        if operand is not None:
            _check_condition(operand, problems)


def _check_expression(expression, problems: list[str]) -> None:
    variable = expression.var
    if expression.filters:
        problems.append(f"Filters are not allowed: {expression.token}")
    lookups = getattr(variable, "lookups", None)
    if lookups is None:
        return  # a literal such as "text" or 3
    name = ".".join(lookups)
    if name not in LETTER_VARIABLES:
        problems.append(f"Unknown variable {name!r}; allowed: {', '.join(sorted(LETTER_VARIABLES))}.")


def _describe(node: Node) -> str:
    token = getattr(node, "token", None)
    return f"{{% {token.contents} %}}" if token is not None else type(node).__name__


def current_template(*, campaign: Campaign, law: str, language: str) -> LetterTemplate:
    """The newest version for the language, falling back to English."""
    for candidate_language in (language, "en"):
        template = (
            LetterTemplate.objects.filter(campaign=campaign, law=law, language=candidate_language)
            .select_related("campaign")
            .order_by("-version")
            .first()
        )
        if template is not None:
            return template
    raise LetterTemplate.DoesNotExist(f"No letter template for {campaign.slug}/{law}")


def render_letter(*, template: LetterTemplate, supporter: Supporter, target: Target) -> RenderedLetter:
    with translation.override(template.language):
        context = Context(
            {
                "first_name": supporter.first_name,
                "last_name": supporter.last_name,
                "full_name": f"{supporter.first_name} {supporter.last_name}".strip(),
                "email": supporter.email,
                "jurisdiction_name": jurisdiction_name(supporter.jurisdiction),
                "target_name": target.name,
                "target_email": target.privacy_email,
                "target_address": target.postal_address,
                "campaign_title": template.campaign.localized("title"),
                "deadline_days": LAWS[template.law].deadline_days or "",
                "wants_access": supporter.kind in (RequestKind.ACCESS_AND_DELETION, RequestKind.ACCESS),
                "wants_deletion": supporter.kind in (RequestKind.ACCESS_AND_DELETION, RequestKind.DELETION),
                "is_quebec": supporter.jurisdiction == "CA-QC",
            },
            autoescape=False,
        )
        subject = _compiled(template.subject).render(context)
        body = _compiled(template.body).render(context)
    return RenderedLetter(subject=" ".join(subject.split()), body=_tidy(body))


@functools.lru_cache(maxsize=256)
def _compiled(text: str):
    """Compiling a letter takes longer than rendering it; a compiled template is immutable and
    safe to render from several threads, and the text itself is the key, so an edit is never
    served from an old compilation."""
    return LETTER_ENGINE.from_string(text)


def _tidy(body: str) -> str:
    """Collapse the blank lines that skipped {% if %} blocks leave behind."""
    lines = [line.rstrip() for line in body.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line == "" and tidy and tidy[-1] == "":
            continue
        tidy.append(line)
    return "\n".join(tidy) + "\n"
