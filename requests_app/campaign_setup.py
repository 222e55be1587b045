"""A campaign that works as soon as it is saved: the letters its form can need, the default set a
new campaign starts with, whether it may open, and a copy of a campaign with its letters.

The form can lead a supporter to any law `laws.law_for_jurisdiction` gives for a place in its list,
in any of the site's languages; a letter in English stands in for a missing translation (as
`letters.current_template` does), so (law, French) is covered by either letter.
"""

import datetime
import enum
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaign.models import Campaign, CampaignTarget, home_campaign
from requests_app.laws import Law, jurisdiction_choices, law_for_jurisdiction
from requests_app.letters import check_letter_template, save_letter_template_version
from requests_app.models import LetterTemplate

LETTER_SEEDS = Path(__file__).resolve().parent / "letter_seeds"
FALLBACK_LANGUAGE = "en"


@dataclass(frozen=True)
class LetterText:
    law: str
    language: str
    subject: str
    body: str


def laws_the_form_needs() -> list[str]:
    """Every law a place in the form's list leads to, derived from the list itself."""
    places = [code for _, group in jurisdiction_choices() for code, _ in group]
    return sorted({law_for_jurisdiction(code) for code in places})


def missing_letters(*, available: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (law, language) pairs the form needs and `available` does not cover, in order."""
    languages = [code for code, _ in settings.LANGUAGES]
    return [
        (law, language)
        for law in laws_the_form_needs()
        for language in languages
        if (law, language) not in available and (law, FALLBACK_LANGUAGE) not in available
    ]


def letters_of(campaign: Campaign) -> set[tuple[str, str]]:
    return set(LetterTemplate.objects.filter(campaign=campaign).values_list("law", "language").distinct())


def campaign_missing_letters(*, campaign: Campaign) -> list[tuple[str, str]]:
    return missing_letters(available=letters_of(campaign))


class Availability(enum.StrEnum):
    OPEN = "open"
    NOT_YET = "not_yet"  # before its opening time, or a letter its form may need is missing
    CLOSED = "closed"


def campaign_availability(
    *, campaign: Campaign, missing: list[tuple[str, str]], at: datetime.datetime | None = None
) -> Availability:
    """Whether the campaign takes requests. A campaign without a letter for some law in its form
    is not open yet, whatever its dates say: a supporter from that place would get no letter."""
    at = at or timezone.now()
    if campaign.closes_at is not None and at >= campaign.closes_at:
        return Availability.CLOSED
    if at < campaign.opens_at or missing:
        return Availability.NOT_YET
    return Availability.OPEN


def describe_missing(missing: list[tuple[str, str]]) -> str:
    """'PIPEDA (Canada) (French), CCPA/CPRA (California) (English)' for the admin's message."""
    language_names = dict(settings.LANGUAGES)
    return ", ".join(f"{Law(law).label} ({language_names.get(language, language)})" for law, language in missing)


def default_letters(*, for_campaign: Campaign | None = None) -> list[LetterText]:
    """The letters a new campaign starts with: the newest version of each letter of the home
    campaign, and the seed file for any (law, language) that campaign lacks."""
    letters: dict[tuple[str, str], LetterText] = {}
    source = home_campaign()
    if source is not None and source != for_campaign:
        for template in newest_versions(source):
            letters[(template.law, template.language)] = LetterText(
                template.law, template.language, template.subject, template.body
            )
    for seed in seed_letters():
        letters.setdefault((seed.law, seed.language), seed)
    return sorted(letters.values(), key=lambda letter: (letter.law, letter.language))


def seed_letters() -> list[LetterText]:
    """requests_app/letter_seeds/<law>.<language>.txt: a "Subject: " line, a blank line, the body."""
    seeds = []
    for path in sorted(LETTER_SEEDS.glob("*.txt")):
        law, language = path.stem.split(".")
        subject_line, _, body = path.read_text().partition("\n\n")
        seed = LetterText(law, language, subject_line.removeprefix("Subject: "), body)
        problems = check_letter_template(seed.subject) + check_letter_template(seed.body)
        if problems:
            raise ValueError(f"{path.name}: {problems}")
        seeds.append(seed)
    return seeds


def newest_versions(campaign: Campaign) -> list[LetterTemplate]:
    """The newest version of each of the campaign's letters (a few dozen rows, on any database)."""
    newest: dict[tuple[str, str], LetterTemplate] = {}
    for template in LetterTemplate.objects.filter(campaign=campaign).order_by("law", "language", "-version"):
        newest.setdefault((template.law, template.language), template)
    return list(newest.values())


def give_default_letters(*, campaign: Campaign) -> int:
    """Give the campaign the default letter for every (law, language) it has none for, as versions
    of its own (an edit to the source campaign's letters later changes nothing here). Returns how
    many were added."""
    have = letters_of(campaign)
    added = 0
    for letter in default_letters(for_campaign=campaign):
        if (letter.law, letter.language) not in have:
            _create_letter(campaign=campaign, letter=letter)
            added += 1
    return added


def update_letters_from_seeds(*, campaign: Campaign) -> int:
    """Save each seed letter as a new version of the campaign's letter where it differs from the
    newest one (an admin's edits stay in the history). Returns how many new versions were saved."""
    newest = {(template.law, template.language): template for template in newest_versions(campaign)}
    saved = 0
    for seed in seed_letters():
        current = newest.get((seed.law, seed.language))
        if current is None:
            continue  # give_default_letters adds missing letters
        template = LetterTemplate(
            campaign=campaign, law=seed.law, language=seed.language, subject=seed.subject, body=seed.body
        )
        if save_letter_template_version(template=template).pk != current.pk:
            saved += 1
    return saved


def _create_letter(*, campaign: Campaign, letter: LetterText | LetterTemplate) -> LetterTemplate:
    # One by one rather than bulk_create, so the content cache hears of each (post_save).
    return LetterTemplate.objects.create(
        campaign=campaign, law=letter.law, language=letter.language, subject=letter.subject, body=letter.body
    )


def copy_slug(slug: str) -> str:
    stem = f"{slug[:40]}-copy"
    taken = set(Campaign.objects.filter(slug__startswith=stem).values_list("slug", flat=True))
    candidates = [stem, *(f"{stem}-{number}" for number in range(2, len(taken) + 3))]
    return next(candidate for candidate in candidates if candidate not in taken)


@transaction.atomic
def copy_campaign(*, campaign: Campaign, now: datetime.datetime | None = None) -> Campaign:
    """A copy with a new slug, the same target(s), pitch and settings and the newest version of
    each letter, closed (its closing time is now) until an admin opens it. Counts, requests and
    subscribers stay with the original."""
    now = now or timezone.now()
    copy = Campaign.objects.get(pk=campaign.pk)
    copy.pk = None
    copy._state.adding = True
    copy.slug = copy_slug(campaign.slug)
    copy.closes_at = now
    if copy.opens_at > now:
        copy.opens_at = now
    copy.save(force_insert=True)
    for link in campaign.target_links.all():
        CampaignTarget.objects.create(campaign=copy, target=link.target, position=link.position)
    for template in newest_versions(campaign):
        _create_letter(campaign=copy, letter=template)
    return copy
