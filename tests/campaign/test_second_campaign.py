"""A second campaign, against another company, set up in the admin as a new admin would: its whole
journey names that company and never the seeded campaign's."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from campaign.models import Campaign, CampaignTarget, Target
from requests_app.followup import due_reminders, mark_overdue_requests, schedule_follow_ups
from requests_app.models import DataRequest, LetterTemplate, Outcome, Status
from requests_app.reminders import send_reminder
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

PIMEYES_ADDRESS = "privacy@pimeyes.example"


def add_target_and_campaign(admin_client, *, slug: str = "pimeyes") -> Campaign:
    """The admin's add pages with the required fields only (and the defaults the page shows)."""
    response = admin_client.post(
        "/admin/campaign/target/add/",
        {
            "name": "PimEyes",
            "privacy_email": PIMEYES_ADDRESS,
            "postal_address": "Carrier Corporation Sp. z o.o.\nul. Przykladowa 1\nWarsaw, Poland",
            "letters_per_minute": "30",
        },
    )
    assert response.status_code == 302, response.content.decode()
    target = Target.objects.get(name="PimEyes")
    now = timezone.localtime()
    response = admin_client.post("/admin/campaign/campaign/add/", campaign_form(slug=slug, target=target, now=now))
    assert response.status_code == 302, re.findall(r'class="errorlist[^"]*">(.*?)</ul>', response.content.decode())
    return Campaign.objects.get(slug=slug)


def campaign_form(*, slug: str, target: Target, now: datetime.datetime, **changes) -> dict:
    """The campaign admin's form; for a campaign that exists, its target link is the inline's row."""
    link = CampaignTarget.objects.filter(campaign__slug=slug, target=target).first()
    return {
        "slug": slug,
        "title_en": "Take back your face from PimEyes",
        "title_fr": "Reprenez votre visage à PimEyes",
        "pitch_en": "PimEyes lets anyone search the web for your face.",
        "pitch_fr": "PimEyes permet à n'importe qui de chercher votre visage sur le Web.",
        "sender_name": "Takeback",
        "goal": "1000",
        "opens_at_0": now.strftime("%Y-%m-%d"),
        "opens_at_1": now.strftime("%H:%M:%S"),
        "requires_confirmation": "on",
        "retention_days": "90",
        "embed_origins": "*",
        # The targets inline: this campaign writes to one.
        "target_links-TOTAL_FORMS": "1",
        "target_links-INITIAL_FORMS": "1" if link else "0",
        "target_links-MIN_NUM_FORMS": "1",
        "target_links-MAX_NUM_FORMS": "1000",
        "target_links-0-id": str(link.pk) if link else "",
        "target_links-0-campaign": str(link.campaign_id) if link else "",
        "target_links-0-target": str(target.pk),
        "target_links-0-position": "0",
        **changes,
    }


def names_pimeyes_not_clearview(text: str, where: str) -> None:
    assert "PimEyes" in text, where
    assert "clearview" not in text.lower(), (where, re.findall(r".{60}clearview.{60}", text, re.I | re.S))


def link(message, path: str) -> str:
    return re.search(rf"http://testserver(/\S+/r/{path}/\S+/)", message.body).group(1)


def test_a_campaign_added_in_the_admin_names_its_own_target_all_the_way(
    admin_client, client, campaign, supporter_form, run_queued_jobs
):
    pimeyes = add_target_and_campaign(admin_client)
    # The seeded campaign's letters, copied as versions of its own.
    assert pimeyes.letter_templates.count() == campaign.letter_templates.count()

    page = client.get("/en/c/pimeyes/")
    assert page.status_code == 200
    names_pimeyes_not_clearview(page.content.decode(), "campaign page")
    assert "PimEyes will answer here." in page.content.decode()

    with run_queued_jobs():
        response = client.post("/en/c/pimeyes/", {**supporter_form, "wants_reminder": "on"})
    assert response.status_code == 302
    (confirmation,) = mail.outbox
    names_pimeyes_not_clearview(confirmation.subject + confirmation.body, "confirmation email")

    confirm_page = client.get(link(confirmation, "confirm"))
    names_pimeyes_not_clearview(confirm_page.content.decode(), "confirm page")
    with run_queued_jobs():
        client.post(link(confirmation, "confirm"))
    letter = mail.outbox[1]
    assert letter.to == [PIMEYES_ADDRESS]
    names_pimeyes_not_clearview(letter.subject + letter.body, "letter")
    request = DataRequest.objects.get()
    assert request.status == Status.SENT and request.target.name == "PimEyes"

    status_page = client.get(link(confirmation, "status"))
    names_pimeyes_not_clearview(status_page.content.decode(), "status page")

    past_the_deadline = timezone.now() + datetime.timedelta(days=61)
    schedule_follow_ups(now=past_the_deadline)
    mark_overdue_requests(now=past_the_deadline)
    assert list(due_reminders(now=past_the_deadline)) == [request]
    assert send_reminder(request_id=request.pk, now=past_the_deadline)
    reminder = mail.outbox[2]
    names_pimeyes_not_clearview(reminder.subject + reminder.body, "reminder email")

    request.refresh_from_db()
    assert request.outcome == Outcome.NO_ANSWER
    complaint = client.get(link(confirmation, "status").replace("/status/", "/complaint/"))
    assert complaint.status_code == 200
    names_pimeyes_not_clearview(complaint.content.decode(), "complaint page")

    for embed in ("/embed/pimeyes/", "/embed/pimeyes/counter"):
        response = client.get(embed)
        assert response.status_code == 200
        names_pimeyes_not_clearview(response.content.decode(), embed)
    assert "PimEyes will answer here." in client.get("/embed/pimeyes/").content.decode()

    privacy = client.get("/en/c/pimeyes/privacy/").content.decode()
    names_pimeyes_not_clearview(privacy, "privacy page")
    assert PIMEYES_ADDRESS in privacy


def test_the_french_journey_names_it_too(admin_client, client, campaign, supporter_form, run_queued_jobs):
    add_target_and_campaign(admin_client)

    page = client.get("/fr/c/pimeyes/").content.decode()
    names_pimeyes_not_clearview(page, "French campaign page")
    assert "Rien ne part chez PimEyes" in page and "que PimEyes vous répondra" in page
    with run_queued_jobs():
        client.post("/fr/c/pimeyes/", supporter_form)
    (confirmation,) = mail.outbox
    names_pimeyes_not_clearview(confirmation.body, "French confirmation email")
    names_pimeyes_not_clearview(client.get("/fr/c/pimeyes/privacy/").content.decode(), "French privacy page")


def test_no_page_template_or_code_names_the_seeded_company():
    """Only the seeded campaign's own data (its seed command) may name it."""
    allowed = {ROOT / "campaign/management/commands/seed_campaign.py"}
    searched = [
        path
        for folder in ("campaign", "config", "dashboard", "requests_app", "templates", "static")
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and path.suffix in {".py", ".html", ".txt", ".css", ".js"} and "migrations" not in path.parts
    ]
    naming = [
        str(path.relative_to(ROOT))
        for path in searched
        if path not in allowed and "clearview" in path.read_text().lower()
    ]

    assert naming == []


def test_a_campaign_whose_letters_are_missing_is_not_open_yet_instead_of_failing(client, campaign):
    LetterTemplate.objects.filter(campaign=campaign, law="ccpa").delete()

    page = client.get("/en/c/clearview/")
    post = client.post("/en/c/clearview/", {"first_name": "Ana", "last_name": "Lopez", "email": "ana@example.org"})

    assert page.status_code == 200
    assert "This campaign is not open yet." in page.content.decode()
    assert 'id="request-form"' not in page.content.decode()
    assert post.status_code == 400 and not DataRequest.objects.exists()
    assert "This campaign is not open yet." in client.get("/embed/clearview/").content.decode()
