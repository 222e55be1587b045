"""Who runs the site: set once in the admin, shown in every footer, the policy and every email."""

import re

import pytest
from django.core import mail

from campaign.models import Operator
from requests_app.models import DataRequest
from tests.supporters import sent

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def operator_form(**changes) -> dict:
    return {
        "name": "Digital Rights Group",
        "contact_email": "hello@rights.example.org",
        "postal_address": "1 Main Street\nOttawa ON",
        "press_contact": "Sam Press, press@rights.example.org",
        "website": "https://rights.example.org/",
        **changes,
    }


def test_the_seed_gives_a_placeholder_operator_marked_for_the_admin(campaign):
    operator = Operator.objects.get()

    assert operator.name == "Takeback"
    assert operator.contact_email.endswith("@example.org") and "change-me" in operator.contact_email
    assert "CHANGE ME" in operator.postal_address and "CHANGE ME" in operator.press_contact
    assert operator.home_campaign == campaign


def test_the_operator_edited_in_the_admin_shows_in_every_footer(admin_client, client, campaign):
    operator = Operator.objects.get()
    response = admin_client.post(f"/admin/campaign/operator/{operator.pk}/change/", operator_form())
    assert response.status_code == 302

    for page in ("/en/c/clearview/", "/en/privacy/", "/en/c/clearview/check-your-inbox/"):
        response = client.get(page)
        assert 'hosted by <a href="https://rights.example.org/">Digital Rights Group</a>.' in response.content.decode()
        text = text_of(response)
        assert "This campaign is hosted by Digital Rights Group . Contact: hello@rights.example.org" in text, page
        assert "Press: Sam Press, press@rights.example.org" in text, page
    french = client.get("/fr/c/clearview/").content.decode()
    assert 'Cette campagne est hébergée par <a href="https://rights.example.org/">Digital Rights Group</a>.' in french
    assert "Presse\u00a0: Sam Press" in french


def test_there_is_only_one_operator(admin_client, campaign):
    assert admin_client.get("/admin/campaign/operator/add/").status_code == 403
    assert Operator.objects.count() == 1


def test_the_privacy_policy_names_the_controller_its_contact_and_the_right_to_complain(client, campaign):
    Operator.objects.all().delete()
    Operator.objects.create(**{**operator_form(), "home_campaign": campaign})

    text = text_of(client.get("/en/privacy/"))

    assert "Digital Rights Group runs this site and is the controller of the personal data it collects." in text
    assert "1 Main Street Ottawa ON hello@rights.example.org" in text
    assert "the right to complain about how we handle your data to the regulator where you live" in text
    assert "Information Commissioner's Office" in text


def test_every_email_to_a_supporter_names_the_operator_and_the_letter_does_not(
    client, campaign, supporter_form, run_queued_jobs
):
    Operator.objects.all().delete()
    Operator.objects.create(**operator_form())
    with run_queued_jobs():
        client.post("/en/c/clearview/", supporter_form)
        client.post("/en/c/clearview/", supporter_form)  # the same address again
    confirmation, already_submitted = mail.outbox
    sent(campaign, email="other@example.org")
    letter = mail.outbox[-1]
    assert letter.to == ["privacy-requests@clearview.ai"]

    for message in (confirmation, already_submitted):
        assert "This campaign is hosted by Digital Rights Group." in message.body
        assert "1 Main Street\nOttawa ON" in message.body and "hello@rights.example.org" in message.body
    assert "Digital Rights Group" not in letter.body and "hosted by" not in letter.body
    assert DataRequest.objects.count() == 2
