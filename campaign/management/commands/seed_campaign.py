"""Create the default `clearview` campaign, its target, a placeholder operator, a first privacy
policy, the letter templates of every law and the regulators' findings against the target. Safe to
run again: it adds what is missing (a new law's letters reach an existing campaign on the next run),
replaces a pitch it seeded before with the current one, and changes nothing an admin has edited."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from campaign.models import Campaign, CampaignTarget, Operator, PrivacyPolicy, Target
from requests_app.campaign_setup import give_default_letters, update_letters_from_seeds
from requests_app.models import TargetFinding

POLICY_SEEDS = Path(__file__).resolve().parents[2] / "policy_seeds"
FINDING_SEEDS = Path(__file__).resolve().parents[3] / "requests_app" / "finding_seeds" / "clearview.json"

# The story, each fact with its source (numbered, listed under the pitch). Markup: campaign/pitch.py.
SOURCES_EN = """[^1]: Global News, [“Toronto Police Service confirms some members tested Clearview AI’s controversial facial recognition tool”](https://globalnews.ca/news/6547256/toronto-police-service-confirms-some-members-tested-clearview-ais-controversial-facial-recognition-tool/), 13 February 2020; the 84 investigations and 2,800 searches come from an internal report CBC News obtained, as reported by [ID Tech](https://idtechwire.com/toronto-police-used-clearview-active-investigations-without-permission-010706).
[^2]: Toronto Star, [“RCMP broke privacy laws in using controversial Clearview AI facial recognition tools, watchdog says”](https://www.thestar.com/politics/federal/2021/06/10/rcmp-broke-privacy-laws-in-using-controversial-clearview-ai-facial-recognition-tools-watchdog-says.html), 10 June 2021.
[^3]: AIAAIC Repository, [“Randal Reid facial recognition wrongful arrest, jailing”](https://www.aiaaic.org/aiaaic-repository/ai-algorithmic-and-automation-incidents/louisiana-police-randall-reid-wrongful-arrest-jailing).
[^4]: Office of the Privacy Commissioner of Canada, [Joint investigation of Clearview AI, Inc., PIPEDA Findings #2021-001](https://priv.gc.ca/en/opc-actions-and-decisions/investigations/investigations-into-businesses/2021/pipeda-2021-001/), 2 February 2021."""

PITCH_EN = f"""Clearview AI copied billions of photos of faces from the internet, Canadians’ among them, without asking anyone. It turned them into a search engine for faces and sold it to police.

## Police used it in secret

Members of the Toronto Police Service began using Clearview AI in October 2019, while the service told reporters it did not. Officers ran more than 2,800 searches in 84 investigations before the chief ordered them to stop in February 2020.[^1] The RCMP also denied using it at first; the Privacy Commissioner later found it had made hundreds of searches.[^2]

## The wrong face, the wrong person

A face match is not an identification. In November 2022, Randal Reid was arrested in Georgia and spent six days in jail for purse thefts in Louisiana, a state he had never visited, after police there matched his face using Clearview AI.[^3]

## “Mass surveillance”, and illegal

In February 2021, the Privacy Commissioner of Canada and his counterparts in Quebec, British Columbia and Alberta found that Clearview AI had collected highly sensitive biometric information without consent, in a databank of more than three billion images, and that this broke Canadian privacy law.[^4] In June 2021, the federal Commissioner found that the RCMP had broken the Privacy Act by using it.[^2]

## Take your data back

Privacy laws give you the right to ask a company what it holds about you and to have it deleted. Takeback writes that letter for you and sends it in your name. It takes two minutes.

{SOURCES_EN}"""

SOURCES_FR = """[^1]: Global News (en anglais), [« Toronto Police Service confirms some members tested Clearview AI’s controversial facial recognition tool »](https://globalnews.ca/news/6547256/toronto-police-service-confirms-some-members-tested-clearview-ais-controversial-facial-recognition-tool/), 13 février 2020 ; les 84 enquêtes et les 2 800 recherches proviennent d’un rapport interne obtenu par CBC News, tel que rapporté par [ID Tech](https://idtechwire.com/toronto-police-used-clearview-active-investigations-without-permission-010706).
[^2]: Toronto Star (en anglais), [« RCMP broke privacy laws in using controversial Clearview AI facial recognition tools, watchdog says »](https://www.thestar.com/politics/federal/2021/06/10/rcmp-broke-privacy-laws-in-using-controversial-clearview-ai-facial-recognition-tools-watchdog-says.html), 10 juin 2021.
[^3]: AIAAIC Repository (en anglais), [« Randal Reid facial recognition wrongful arrest, jailing »](https://www.aiaaic.org/aiaaic-repository/ai-algorithmic-and-automation-incidents/louisiana-police-randall-reid-wrongful-arrest-jailing).
[^4]: Commissariat à la protection de la vie privée du Canada, [Enquête conjointe sur Clearview AI, Inc., conclusions en vertu de la LPRPDE no 2021-001](https://priv.gc.ca/en/opc-actions-and-decisions/investigations/investigations-into-businesses/2021/pipeda-2021-001/), 2 février 2021."""

PITCH_FR = f"""Clearview AI a copié sur Internet des milliards de photos de visages, dont ceux de Canadiennes et de Canadiens, sans demander la permission à personne. Elle en a fait un moteur de recherche de visages, qu’elle vend à la police.

## La police s’en servait en secret

Des membres du Service de police de Toronto ont commencé à utiliser Clearview AI en octobre 2019, alors que le service affirmait aux journalistes ne pas s’en servir. Les policiers ont fait plus de 2 800 recherches dans 84 enquêtes avant que le chef leur ordonne d’arrêter, en février 2020.[^1] La GRC a elle aussi commencé par nier ; le commissaire à la protection de la vie privée a ensuite établi qu’elle avait fait des centaines de recherches.[^2]

## Le mauvais visage, la mauvaise personne

Une correspondance de visages n’est pas une identification. En novembre 2022, Randal Reid a été arrêté en Géorgie et a passé six jours en prison pour des vols de sacs à main en Louisiane, un État où il n’avait jamais mis les pieds, après que la police de cet État eut rapproché son visage de celui du suspect à l’aide de Clearview AI.[^3]

## « Surveillance de masse », et illégale

En février 2021, le commissaire à la protection de la vie privée du Canada et ses homologues du Québec, de la Colombie-Britannique et de l’Alberta ont conclu que Clearview AI avait recueilli sans consentement des renseignements biométriques très sensibles, dans une banque de plus de trois milliards d’images, en violation des lois canadiennes sur la protection des renseignements personnels.[^4] En juin 2021, le commissaire fédéral a conclu que la GRC avait enfreint la Loi sur la protection des renseignements personnels en s’en servant.[^2]

## Reprenez vos données

Les lois sur la protection des renseignements personnels vous donnent le droit de demander à une entreprise ce qu’elle détient sur vous et d’en exiger la suppression. Takeback rédige cette lettre pour vous et l’envoie en votre nom. Cela prend deux minutes.

{SOURCES_FR}"""


# The pitches seed_campaign wrote before, per language, oldest first. A default campaign whose pitch
# is still one of them (in both languages) gets the current one on the next run; one an admin has
# changed keeps theirs. Add the replaced text here whenever PITCH_EN or PITCH_FR changes.
EARLIER_PITCHES = {
    "en": (
        """Clearview AI collected billions of photos of faces from the internet, Canadians' among them, without asking anyone. It turned them into a search engine for faces and sold it.

Privacy laws give you the right to ask a company what it holds about you and to have it deleted. Takeback writes that letter for you and sends it in your name. It takes two minutes.""",
    ),
    "fr": (
        """Clearview AI a recueilli sur Internet des milliards de photos de visages, dont ceux de Canadiennes et de Canadiens, sans demander la permission à personne. Elle en a fait un moteur de recherche de visages, qu'elle vend.

Les lois sur la protection des renseignements personnels vous donnent le droit de demander à une entreprise ce qu'elle détient sur vous et d'en exiger la suppression. Takeback rédige cette lettre pour vous et l'envoie en votre nom. Cela prend deux minutes.""",
    ),
}
CURRENT_PITCHES = {"en": PITCH_EN, "fr": PITCH_FR}


def update_seeded_pitch(campaign: Campaign) -> bool:
    """Give the campaign the current seeded pitch if it still shows an earlier one, in every
    language (an admin who changed either keeps both as they are). True if it changed."""
    pitches = {language: _as_saved(getattr(campaign, f"pitch_{language}")) for language in CURRENT_PITCHES}
    current = {language: _as_saved(text) for language, text in CURRENT_PITCHES.items()}
    earlier = {language: {_as_saved(text) for text in texts} for language, texts in EARLIER_PITCHES.items()}
    if pitches == current or any(
        pitches[language] not in earlier[language] | {current[language]} for language in CURRENT_PITCHES
    ):
        return False
    for language, text in CURRENT_PITCHES.items():
        setattr(campaign, f"pitch_{language}", text)
    campaign.save(update_fields=[f"pitch_{language}" for language in CURRENT_PITCHES])
    return True


def _as_saved(text: str) -> str:
    # The admin's text box sends CRLF line ends and its form strips the ends: saving the campaign
    # without touching the pitch changes nothing that a reader sees.
    return text.replace("\r\n", "\n").strip()


class Command(BaseCommand):
    help = "Create the default clearview campaign with its target, privacy policy and letter templates."

    def add_arguments(self, parser):
        parser.add_argument(
            "--update-letters",
            action="store_true",
            help="Save each seed letter as a new version where it differs from the newest one (an admin's "
            "edits stay in the history). For a campaign whose letters predate a correction of the seeds.",
        )

    @transaction.atomic
    def handle(self, *args, **options):
        target, _ = Target.objects.get_or_create(
            name="Clearview AI",
            defaults={
                "privacy_email": "privacy-requests@clearview.ai",
                "postal_address": "Attn: Legal Department\n99 Wall Street #5730\nNew York, NY 10005\nUSA",
            },
        )
        campaign, created = Campaign.objects.get_or_create(
            slug="clearview",
            defaults={
                "title_en": "Take back your face from Clearview AI",
                "title_fr": "Reprenez votre visage à Clearview AI",
                "pitch_en": PITCH_EN,
                "pitch_fr": PITCH_FR,
                "goal": 1000,
                "milestones": "5000, 10000, 25000",
            },
        )
        if created:
            CampaignTarget.objects.create(campaign=campaign, target=target, position=0)
        pitch_updated = not created and update_seeded_pitch(campaign)
        if not Operator.objects.exists():
            # Placeholders on example.org, marked for the admin to replace with their own.
            Operator.objects.create(
                name="Takeback",
                contact_email="change-me@example.org",
                postal_address="CHANGE ME in the admin (Operator): your organisation's postal address",
                press_contact="CHANGE ME: press-change-me@example.org",
                website="https://example.org/",
                home_campaign=campaign,
            )
        if not PrivacyPolicy.objects.exists():
            PrivacyPolicy.objects.create(
                version="1",
                body_en=(POLICY_SEEDS / "privacy.en.txt").read_text(),
                body_fr=(POLICY_SEEDS / "privacy.fr.txt").read_text(),
            )
        added = give_default_letters(campaign=campaign)
        if options.get("update_letters"):
            added += update_letters_from_seeds(campaign=campaign)
        findings = 0
        if not TargetFinding.objects.filter(target=target).exists():
            for position, finding in enumerate(json.loads(FINDING_SEEDS.read_text())):
                TargetFinding.objects.create(target=target, position=position, **finding)
                findings += 1
        state = "created" if created else "already there"
        if pitch_updated:
            state += ", its earlier seeded pitch replaced by the current one"
        self.stdout.write(
            f"Campaign 'clearview' {state}; {added} letter templates and {findings} regulators' findings added."
        )
