"""Rendering a supporter's letter from the admin-managed template for (campaign, law, language).

Templates use Django's template language, restricted to a fixed set of variables and the `if`
tag. Supporter values are passed as data, so a name like "{{ secret }}" is printed, not evaluated.
"""

import functools
import itertools
import re
from dataclasses import dataclass, replace

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Node, TextNode, VariableNode
from django.template.defaulttags import IfNode, TemplateLiteral
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from campaign.models import Campaign, Target
from requests_app.findings import target_findings
from requests_app.laws import jurisdiction_name, law_facts
from requests_app.models import LetterTemplate, RequestKind

# The variables a letter template may use. Documented in the README; the admin refuses others.
LETTER_VARIABLES = {
    "first_name": _("the supporter's first name"),
    "last_name": _("the supporter's last name"),
    "full_name": _("first and last name"),
    "email": _("the supporter's email address (where the target should reply)"),
    "jurisdiction_name": _("where the supporter lives, e.g. Ontario (Canada)"),
    "target_name": _("the organisation's name"),
    "target_email": _("the organisation's privacy address"),
    "target_address": _("the organisation's postal address"),
    "campaign_title": _("the campaign's title"),
    "deadline_days": _("the law's response period in days (empty where it counts in months)"),
    "extension_days": _("the extension the law allows, in days (empty where none, or in months)"),
    "wants_access": _("true when the supporter asks for access"),
    "wants_deletion": _("true when the supporter asks for deletion"),
    "is_quebec": _("true for residents of Quebec"),
    "is_british_columbia": _("true for residents of British Columbia"),
    "is_alberta": _("true for residents of Alberta"),
    "is_texas": _("true for residents of Texas"),
    "law_name": _("the full name of the supporter's law, e.g. Virginia Consumer Data Protection Act"),
    "law_short": _("its short name, e.g. VCDPA"),
    "access_citation": _("where the law gives the right of access"),
    "deletion_citation": _("where it gives the right to delete (empty where it does not reach scraped data)"),
    "deadline_citation": _("where it sets the response period"),
    "extension_citation": _("where it allows the extension"),
    "appeal_citation": _("where it gives an appeal to the company (empty where there is none)"),
    "regulator_name": _("the regulator a complaint goes to"),
    "target_findings": _("regulators' findings against the target where the supporter lives (may be empty)"),
}
# The only tags a letter may use.
LETTER_TAGS = ("if", "elif", "else", "endif")
# Django's own message for a tag it does not know, which suggests loading a tag library.
UNKNOWN_TAG = re.compile(r"Invalid block tag on line (\d+): '([^']+)'")
ALLOWED_TAGS_NOTE = "Allowed tags: " + ", ".join(f"{{% {tag} %}}" for tag in LETTER_TAGS) + "."

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


# Where the admin's preview supporter lives, so each law's letter reads as it will for real.
SAMPLE_JURISDICTIONS = {
    "pipeda": "CA-ON",
    "gdpr": "IE",
    "uk_gdpr": "GB",
    "ccpa": "US-CA",
    "bipa": "US-IL",
    "us_state": "US-VA",
    "wa_mhmda": "US-WA",
    "lgpd": "BR",
    "australia": "AU",
    "nfadp": "CH",
    "general": "OTHER",
}


def sample_supporter(law: str) -> Supporter:
    return replace(SAMPLE_SUPPORTER, jurisdiction=SAMPLE_JURISDICTIONS.get(law, SAMPLE_SUPPORTER.jurisdiction))


@dataclass(frozen=True)
class RenderedLetter:
    subject: str
    body: str


def check_letter_template(text: str) -> list[str]:
    """Why a template may not be saved; an empty list when it may."""
    try:
        template = LETTER_ENGINE.from_string(text)
    except TemplateSyntaxError as error:
        unknown_tag = UNKNOWN_TAG.match(str(error))
        if unknown_tag:
            line, name = unknown_tag.groups()
            return [f"Template syntax error: unknown tag {{% {name} %}} on line {line}. {ALLOWED_TAGS_NOTE}"]
        return [f"Template syntax error: {error} {ALLOWED_TAGS_NOTE}"]
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


class LetterTemplateRefused(ValueError):
    def __init__(self, problems: dict[str, list[str]]):
        super().__init__("; ".join(f"{field}: {' '.join(texts)}" for field, texts in problems.items()))
        self.problems = problems


def save_letter_template_version(*, template: LetterTemplate) -> LetterTemplate:
    """Save an edited template as the next version of its (campaign, law, language), never over
    the old one: letters already written point at the version they were rendered from. Returns the
    newest version (the one already there when nothing changed)."""
    problems = {
        field: found for field in ("subject", "body") if (found := check_letter_template(getattr(template, field)))
    }
    if problems:
        raise LetterTemplateRefused(problems)
    versions = LetterTemplate.objects.filter(campaign=template.campaign, law=template.law, language=template.language)
    latest = versions.order_by("-version").first()
    if latest and (latest.subject.strip(), latest.body.strip()) == (template.subject.strip(), template.body.strip()):
        return latest  # nothing changed: no new version
    for attempt in itertools.count(1):
        template.pk = None
        template._state.adding = True
        template.version = (versions.aggregate(latest=Max("version"))["latest"] or 0) + 1
        template.created_at = timezone.now()
        try:
            with transaction.atomic():
                template.save(force_insert=True)
            return template
        except IntegrityError:
            # Another admin saved a version of the same letter at the same moment: number again.
            if attempt == 3:
                raise


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
    law = law_facts(law=template.law, jurisdiction=supporter.jurisdiction)
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
                "deadline_days": law.deadline_days or "",
                "extension_days": law.extension_days or "",
                "wants_access": supporter.kind in (RequestKind.ACCESS_AND_DELETION, RequestKind.ACCESS),
                "wants_deletion": supporter.kind in (RequestKind.ACCESS_AND_DELETION, RequestKind.DELETION),
                "is_quebec": supporter.jurisdiction == "CA-QC",
                "is_british_columbia": supporter.jurisdiction == "CA-BC",
                "is_alberta": supporter.jurisdiction == "CA-AB",
                "is_texas": supporter.jurisdiction == "US-TX",
                "law_name": str(law.name),
                "law_short": str(law.short),
                "access_citation": str(law.access_citation),
                "deletion_citation": str(law.deletion_citation),
                "deadline_citation": str(law.deadline_citation),
                "extension_citation": str(law.extension_citation),
                "appeal_citation": str(law.appeal_citation),
                "regulator_name": str(law.regulator.name) if law.regulator else "",
                "target_findings": target_findings(
                    target=target, law=template.law, jurisdiction=supporter.jurisdiction, language=template.language
                ),
            },
            autoescape=False,
        )
        subject = _compiled(template.subject).render(context)
        body = _compiled(template.body).render(context)
    return RenderedLetter(subject=" ".join(subject.split()), body=tidy_blank_lines(body))


@functools.lru_cache(maxsize=256)
def _compiled(text: str):
    """Compiling a letter takes longer than rendering it; a compiled template is immutable and
    safe to render from several threads, and the text itself is the key, so an edit is never
    served from an old compilation."""
    return LETTER_ENGINE.from_string(text)


def tidy_blank_lines(body: str) -> str:
    """Collapse the blank lines that skipped {% if %} blocks leave behind."""
    lines = [line.rstrip() for line in body.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line == "" and tidy and tidy[-1] == "":
            continue
        tidy.append(line)
    return "\n".join(tidy) + "\n"


@dataclass(frozen=True)
class LetterPreview:
    template: LetterTemplate
    letter: RenderedLetter
    jurisdiction: str
    kind: str


def preview_letter(
    *, template: LetterTemplate, law: str, language: str, kind: str, jurisdiction: str | None = None
) -> LetterPreview:
    """The letter a sample supporter would get from this campaign for (law, language), living in
    `jurisdiction` (by default a place where that law applies) and asking for `kind`. The version
    shown is `template` itself for its own law and language, else the campaign's current one."""
    if (law, language) == (template.law, template.language):
        shown = template
    else:
        shown = current_template(campaign=template.campaign, law=law, language=language)
    supporter = replace(sample_supporter(law), kind=kind)
    if jurisdiction:
        supporter = replace(supporter, jurisdiction=jurisdiction)
    target = template.campaign.ordered_targets()[0]
    return LetterPreview(
        template=shown,
        letter=render_letter(template=shown, supporter=supporter, target=target),
        jurisdiction=supporter.jurisdiction,
        kind=kind,
    )
