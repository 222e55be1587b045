"""Pages around the journey: the campaign under a language prefix, error pages, organisers' way in."""

import pytest
from django.contrib.auth.models import Group, User
from django.utils import translation

from requests_app.followup import request_timeline
from requests_app.letters import current_template, render_letter, sample_supporter
from tests.supporters import sent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "title"), [("/en/", "Take back your face"), ("/fr/", "Reprenez votre visage")])
def test_the_language_root_serves_the_default_campaign(client, campaign, path, title):
    response = client.get(path)

    assert response.status_code == 200
    assert title in response.content.decode()


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/en/r/status/not-a-token/", "Page not found"), ("/fr/r/status/not-a-token/", "Page introuvable")],
)
def test_a_missing_page_is_the_sites_own_in_the_visitors_language(client, campaign, settings, path, heading):
    settings.DEBUG = False

    response = client.get(path)

    assert response.status_code == 404
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert "/static/css/takeback.css" in page


def test_an_organiser_logging_in_to_the_admin_finds_the_dashboard(client, campaign):
    organiser = User.objects.create_user("organiser", password="x", is_staff=True)
    organiser.groups.add(Group.objects.get(name="Organisers"))
    client.force_login(organiser)

    admin_index = client.get("/admin/").content.decode()
    dashboard = client.get("/en/dashboard/").content.decode()

    assert 'href="/en/dashboard/"' in admin_index
    assert 'action="/admin/logout/"' in dashboard and "Log out" in dashboard


def test_the_deadline_citation_and_regulator_speak_the_visitors_language(campaign):
    timeline = request_timeline(sent(campaign))

    with translation.override("fr"):
        assert str(timeline.law.deadline_citation) == "LPRPDE, par. 8(3)"
        assert str(timeline.regulator.name) == "Commissariat à la protection de la vie privée du Canada"


@pytest.mark.parametrize(("law", "place"), [("ccpa", "California"), ("gdpr", "Ireland"), ("pipeda", "Ontario")])
def test_the_template_preview_supporter_lives_where_the_law_applies(campaign, law, place):
    template = current_template(campaign=campaign, law=law, language="en")

    letter = render_letter(template=template, supporter=sample_supporter(law), target=campaign.ordered_targets()[0])

    assert "Alex Sample" in letter.body
    assert place in letter.body
