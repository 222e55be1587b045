"""The admin: personal data for superusers only, rate-limited logins, versioned letter templates."""

import html
import os
import re
import subprocess
import sys

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from campaign.models import Subscriber
from requests_app.letters import LetterTemplateRefused, current_template, save_letter_template_version
from requests_app.models import DataRequest, LetterTemplate, Status
from tests.conftest import ROOT
from tests.supporters import sent, submitted

pytestmark = pytest.mark.django_db

PERSONAL_VALUES = ["jeanne.tremblay@example.org", "Jeanne", "Tremblay"]


def staff_client(*, permissions: list[str], group: str = "Organisers") -> Client:
    user = User.objects.create_user("organiser", password="a long organiser password", is_staff=True)
    organisers, _ = Group.objects.get_or_create(name=group)
    organisers.permissions.set(Permission.objects.filter(codename__in=permissions))
    user.groups.add(organisers)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def organiser_client() -> Client:
    return staff_client(permissions=["view_datarequest", "view_subscriber", "change_datarequest"])


@pytest.fixture
def letter(campaign) -> DataRequest:
    request = sent(campaign, wants_updates=True)
    assert "Jeanne Tremblay" in request.letter_body
    return request


def admin_pages(request: DataRequest) -> list[str]:
    subscriber = Subscriber.objects.get()
    return [
        "/admin/requests_app/datarequest/",
        f"/admin/requests_app/datarequest/{request.pk}/change/",
        "/admin/requests_app/datarequest/?q=jeanne.tremblay%40example.org",
        "/admin/campaign/subscriber/",
        f"/admin/campaign/subscriber/{subscriber.pk}/change/",
        "/admin/campaign/subscriber/?q=jeanne.tremblay%40example.org",
    ]


def test_a_superuser_sees_the_personal_fields(admin_client, letter):
    for page in admin_pages(letter):
        content = admin_client.get(page).content.decode()
        assert "jeanne.tremblay@example.org" in content, page
    change = html.unescape(admin_client.get(f"/admin/requests_app/datarequest/{letter.pk}/change/").content.decode())
    assert '<div class="readonly">Jeanne</div>' in change and letter.letter_subject in change


def test_a_superuser_finds_a_request_by_its_exact_address(admin_client, campaign, letter):
    submitted(campaign, email="someone.else@example.org")

    page = admin_client.get("/admin/requests_app/datarequest/?q=JEANNE.TREMBLAY%40example.org").content.decode()

    assert "jeanne.tremblay@example.org" in page and "someone.else@example.org" not in page


def test_an_organiser_sees_requests_and_subscribers_without_any_personal_data(organiser_client, letter):
    for page in admin_pages(letter):
        response = organiser_client.get(page)
        assert response.status_code == 200, page
        content = response.content.decode()
        for value in PERSONAL_VALUES + [letter.letter_subject, letter.letter_body.splitlines()[0]]:
            assert value not in content, (page, value)
    assert "sent" in organiser_client.get("/admin/requests_app/datarequest/").content.decode()


@pytest.mark.parametrize(
    "lookup",
    ["email__startswith=j", "first_name=Jeanne", "last_name__icontains=trem", "letter_body__contains=Jeanne"],
)
def test_an_organiser_cannot_guess_personal_data_through_url_lookups(organiser_client, letter, lookup):
    response = organiser_client.get(f"/admin/requests_app/datarequest/?{lookup}")

    assert response.status_code == 400


def test_an_organiser_cannot_guess_a_subscribers_address_either(organiser_client, letter):
    assert organiser_client.get("/admin/campaign/subscriber/?email__startswith=j").status_code == 400


@pytest.mark.parametrize("user", ["organiser", "superuser"])
def test_nobody_edits_a_request_in_the_admin(organiser_client, admin_client, letter, user):
    # Only the lifecycle moves a request (it keeps the tallies true); the admin shows and requeues.
    client = organiser_client if user == "organiser" else admin_client
    page = f"/admin/requests_app/datarequest/{letter.pk}/change/"

    response = client.post(page, {"first_name": "Mallory", "email": "mallory@example.org", "status": "delivered"})

    assert response.status_code == 403
    letter.refresh_from_db()
    assert (letter.first_name, letter.email, letter.status) == ("Jeanne", "jeanne.tremblay@example.org", Status.SENT)


@pytest.mark.parametrize(
    "page",
    [
        "/admin/requests_app/datarequest/",
        "/admin/requests_app/datarequest/{pk}/change/",
        "/admin/campaign/subscriber/",
    ],
)
def test_staff_without_permission_are_refused(campaign, letter, page):
    client = staff_client(permissions=[], group="Volunteers")

    response = client.get(page.format(pk=letter.pk))

    assert response.status_code == 403
    assert "jeanne" not in response.content.decode().lower()


def test_an_anonymous_visitor_is_sent_to_the_login(client, letter):
    for page in admin_pages(letter):
        response = client.get(page)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], page


def test_the_sixth_failed_login_is_refused_even_with_the_right_password(client, admin_user):
    failures = [client.post("/admin/login/", {"username": "admin", "password": "wrong"}) for _ in range(5)]
    assert [response.status_code for response in failures[:4]] == [200] * 4

    sixth = client.post("/admin/login/", {"username": "admin", "password": "password"})

    assert sixth.status_code == 429
    assert "Too many attempts" in sixth.content.decode()
    assert client.get("/admin/").status_code == 302  # still not logged in


def test_login_attempts_leave_no_address_in_the_database(client, admin_user):
    client.post("/admin/login/", {"username": "admin", "password": "wrong"}, REMOTE_ADDR="203.0.113.9")
    client.post("/admin/login/", {"username": "admin", "password": "password"}, REMOTE_ADDR="203.0.113.9")

    assert AccessAttempt.objects.count() == AccessLog.objects.count() == AccessFailureLog.objects.count() == 0


def test_the_admin_lives_at_the_configured_path():
    code = "import django; django.setup(); from django.urls import reverse; print(reverse('admin:index'))"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_ADMIN_PATH": "/back-office/"}

    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/back-office/"


# Letter templates.


def template_page(template: LetterTemplate) -> str:
    return f"/admin/requests_app/lettertemplate/{template.pk}/change/"


@pytest.mark.parametrize(
    ("field", "text", "reason"),
    [
        ("body", "Dear {{ target_name }}, {{ secret_key }}", "Unknown variable 'secret_key'"),
        ("body", "{{ settings.SECRET_KEY }}", "Unknown variable 'settings.SECRET_KEY'"),
        ("subject", "Request from {{ full_name|upper }}", "Filters are not allowed"),
        ("body", "{% load static %}{% static 'x' %}", "Template syntax error"),
        ("body", "{% csrf_token %}", "Only {{ variables }} and {% if %} are allowed"),
        ("body", "{% include 'base.html' %}", "Only {{ variables }} and {% if %} are allowed"),
        ("body", "{% if request.user %}x{% endif %}", "Unknown variable 'request.user'"),
        ("body", "{% if wants_access %}unclosed", "Template syntax error"),
    ],
)
def test_a_template_outside_the_allowed_set_is_refused_with_the_reason(admin_client, campaign, field, text, reason):
    template = current_template(campaign=campaign, law="pipeda", language="en")
    data = {"subject": template.subject, "body": template.body, field: text}

    response = admin_client.post(template_page(template), data)

    assert response.status_code == 200
    assert reason in response.content.decode().replace("&#x27;", "'")
    assert LetterTemplate.objects.filter(law="pipeda", language="en").count() == 1


def test_an_edit_saves_a_new_version_and_keeps_the_old_one(admin_client, campaign):
    original = current_template(campaign=campaign, law="pipeda", language="en")
    letter = sent(campaign)

    response = admin_client.post(
        template_page(original), {"subject": "New subject for {{ full_name }}", "body": original.body + "\nP.S."}
    )

    assert response.status_code == 302
    newest = current_template(campaign=campaign, law="pipeda", language="en")
    assert (newest.version, newest.subject) == (2, "New subject for {{ full_name }}")
    original.refresh_from_db()
    assert original.version == 1 and original.subject != newest.subject
    letter.refresh_from_db()
    assert letter.template_id == original.pk
    later = submitted(campaign, email="later@example.org")
    assert later.letter_subject == "New subject for Jeanne Tremblay"


def test_saving_without_a_change_makes_no_new_version(admin_client, campaign):
    template = current_template(campaign=campaign, law="pipeda", language="en")
    # As a browser sends it: CRLF line ends.
    body = template.body.replace("\n", "\r\n")

    admin_client.post(template_page(template), {"subject": template.subject, "body": body})

    assert LetterTemplate.objects.filter(law="pipeda", language="en").count() == 1


def test_the_change_page_previews_the_letter_for_a_sample_supporter(admin_client, campaign):
    template = current_template(campaign=campaign, law="pipeda", language="en")
    template.body = "Hello from {{ full_name }} <{{ email }}>"
    template.save()

    page = admin_client.get(template_page(template)).content.decode()

    assert 'id="letter-preview"' in page
    assert "Hello from Alex Sample &lt;alex@example.org&gt;" in page
    # Room to read a letter of thousands of characters, and a subject with its {% if %} branches.
    assert re.search(r'<textarea name="body" cols="100" rows="40"', page)
    assert re.search(r'<input type="text" name="subject"[^>]* size="120"', page)


def test_the_service_refuses_a_bad_template_too(campaign):
    template = current_template(campaign=campaign, law="pipeda", language="en")
    template.body = "{{ secret }}"

    with pytest.raises(LetterTemplateRefused) as refused:
        save_letter_template_version(template=template)

    assert "Unknown variable 'secret'" in refused.value.problems["body"][0]
    assert LetterTemplate.objects.filter(law="pipeda", language="en").count() == 1


def test_supporter_values_are_data_never_template_code(campaign):
    template = current_template(campaign=campaign, law="pipeda", language="en")
    template.body = "{{ first_name }} / {{ email }}"
    template = save_letter_template_version(template=template)

    request = submitted(campaign, email="{{target_email}}{%if%}@example.org")

    assert request.letter_body.strip() == "Jeanne / {{target_email}}{%if%}@example.org"


def test_saving_shows_the_new_version_afterwards(admin_client, campaign):
    original = current_template(campaign=campaign, law="pipeda", language="en")

    response = admin_client.post(
        template_page(original), {"subject": "Fresh subject {{ full_name }}", "body": original.body}, follow=True
    )

    newest = current_template(campaign=campaign, law="pipeda", language="en")
    assert newest.version == 2
    assert response.redirect_chain == [(template_page(newest), 302)]
    page = html.unescape(response.content.decode())
    assert "Saved as version 2, the one new letters use." in page
    assert 'value="Fresh subject {{ full_name }}"' in page


def test_the_allowed_variables_are_listed_beside_the_editor_with_their_meaning(admin_client, campaign):
    template = current_template(campaign=campaign, law="pipeda", language="en")

    page = html.unescape(admin_client.get(template_page(template)).content.decode())

    assert 'id="letter-variables"' in page
    assert "<dt><code>{{ target_address }}</code></dt>\n      <dd>the organisation's postal address</dd>" in page
    assert "<dt><code>{{ is_quebec }}</code></dt>\n      <dd>true for residents of Quebec</dd>" in page


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        (
            "",
            ["Alex Sample", "Ontario (Canada)", "PIPEDA access and deletion request – Alex Sample"],
            ["As a resident of Quebec"],
        ),
        (
            "?law=pipeda&language=en&kind=deletion&place=CA-QC",
            [
                "Quebec (Canada)",
                "As a resident of Quebec",
                "PIPEDA deletion request – Alex Sample",
                "Request to stop using and to delete my personal information",
            ],
            ["Request for access"],
        ),
        (
            "?law=ccpa&language=en&kind=access&place=US-CA",
            ["California (United States)", "CCPA request to know – Alex Sample"],
            [],
        ),
        (
            "?law=pipeda&language=fr&kind=access_and_deletion",
            ["Demande d'accès et de suppression (LPRPDE)", "Ontario (Canada)"],
            [],
        ),
        ("?law=gdpr&language=en&kind=access&place=FR", ["France", "GDPR"], ["Ontario"]),
    ],
)
def test_the_preview_shows_any_law_language_request_and_place(admin_client, campaign, query, expected, absent):
    template = current_template(campaign=campaign, law="pipeda", language="en")

    page = html.unescape(admin_client.get(template_page(template) + query).content.decode())
    # The letter shown, after the choices (whose lists name every place).
    preview = page[page.index("Letter clearview", page.index('id="letter-preview"')) :]

    for text in expected:
        assert text in preview, (query, text)
    for text in absent:
        assert text not in preview, (query, text)


def test_the_preview_says_when_the_campaign_has_no_such_letter(admin_client, campaign):
    template = current_template(campaign=campaign, law="pipeda", language="en")
    LetterTemplate.objects.filter(campaign=campaign, law="ccpa").delete()

    page = admin_client.get(template_page(template) + "?law=ccpa&language=fr&kind=access").content.decode()

    assert "This campaign has no letter for that law and language yet." in page


def test_an_unknown_tag_is_refused_with_the_tags_that_are_allowed(admin_client, campaign):
    template = current_template(campaign=campaign, law="pipeda", language="en")

    response = admin_client.post(template_page(template), {"subject": template.subject, "body": "Hi {% signature %}"})

    page = html.unescape(response.content.decode())
    assert "unknown tag {% signature %} on line 1. Allowed tags: {% if %}, {% elif %}, {% else %}, {% endif %}." in page
    assert LetterTemplate.objects.filter(campaign=campaign, law="pipeda", language="en").count() == 1
