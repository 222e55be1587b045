"""Create the default `clearview` campaign, its target, a placeholder operator, a first privacy
policy, the letter templates of every law and the regulators' findings against the target. Safe to
run again: it adds what is missing (a new law's letters reach an existing campaign on the next run)
and changes nothing an admin has edited."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from campaign.models import Campaign, CampaignTarget, Operator, PrivacyPolicy, Target
from requests_app.campaign_setup import give_default_letters, update_letters_from_seeds
from requests_app.models import TargetFinding

POLICY_SEEDS = Path(__file__).resolve().parents[2] / "policy_seeds"
FINDING_SEEDS = Path(__file__).resolve().parents[3] / "requests_app" / "finding_seeds" / "clearview.json"

PITCH_EN = """Clearview AI collected billions of photos of faces from the internet, Canadians' among them, without asking anyone. It turned them into a search engine for faces and sold it.

Privacy laws give you the right to ask a company what it holds about you and to have it deleted. Takeback writes that letter for you and sends it in your name. It takes two minutes."""

PITCH_FR = """Clearview AI a recueilli sur Internet des milliards de photos de visages, dont ceux de Canadiennes et de Canadiens, sans demander la permission à personne. Elle en a fait un moteur de recherche de visages, qu'elle vend.

Les lois sur la protection des renseignements personnels vous donnent le droit de demander à une entreprise ce qu'elle détient sur vous et d'en exiger la suppression. Takeback rédige cette lettre pour vous et l'envoie en votre nom. Cela prend deux minutes."""


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
        self.stdout.write(
            f"Campaign 'clearview' {state}; {added} letter templates and {findings} regulators' findings added."
        )
