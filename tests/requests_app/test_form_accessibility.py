"""The request form as people and assistive technology meet it: labels, defaults, errors, honeypot."""

import re

import pytest

from requests_app.models import DataRequest

pytestmark = pytest.mark.django_db


def form_markup(client, url: str = "/en/c/clearview/") -> str:
    page = client.get(url).content.decode()
    return re.search(r'<form [^>]*id="request-form".*?</form>', page, re.DOTALL).group(0)


def test_every_visible_field_has_a_label(client, campaign):
    form = form_markup(client)

    ids = re.findall(r'<(?:input|select)\b(?![^>]*type="(?:hidden|submit|radio)")[^>]*\bid="([^"]+)"', form)
    assert set(ids) >= {"id_first_name", "id_last_name", "id_email", "id_jurisdiction", "id_consent", "id_website"}
    for field_id in ids:
        assert f'for="{field_id}"' in form, f"no label for {field_id}"
    # The request kinds are radios in a fieldset whose legend asks the question.
    assert re.search(r"<fieldset[^>]*>\s*<legend[^>]*>\s*What should the letter ask for\?", form)


def test_the_defaults_are_access_and_deletion_and_no_extra_email(client, campaign):
    form = form_markup(client)

    assert re.search(r'<input type="radio"[^>]*value="access_and_deletion"[^>]*checked', form)
    for optional_box in ("wants_updates", "wants_reminder"):
        box = re.search(rf'<input type="checkbox" name="{optional_box}"[^>]*>', form).group(0)
        assert "checked" not in box
        assert "required" not in box
    consent = re.search(r'<input type="checkbox" name="consent"[^>]*>', form).group(0)
    assert "required" in consent
    assert "checked" not in consent


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_form_links_to_the_privacy_policy_in_its_language(client, campaign, language):
    form = form_markup(client, f"/{language}/c/clearview/")

    # The campaign's own page of the policy: the same text, and where this campaign's letters go.
    assert f'href="/{language}/c/clearview/privacy/"' in form
    page = client.get(f"/{language}/c/clearview/privacy/")
    assert page.status_code == 200 and "privacy-requests@clearview.ai" in page.content.decode()


def test_the_honeypot_is_hidden_from_screen_readers_and_the_keyboard(client, campaign):
    form = form_markup(client)

    honeypot = re.search(r'<div\s+class="honeypot"\s+aria-hidden="true">.*?</div>\s*</div>', form, re.DOTALL).group(0)
    field = re.search(r'<input type="text" name="website"[^>]*>', honeypot).group(0)
    assert 'tabindex="-1"' in field
    assert 'autocomplete="off"' in field
    assert "required" not in field


def test_a_filled_honeypot_looks_like_success_and_saves_nothing(client, campaign, supporter_form):
    response = client.post("/en/c/clearview/", dict(supporter_form, website="https://spam.example"))

    assert response.status_code == 302
    assert response["Location"] == "/en/c/clearview/check-your-inbox/"
    assert DataRequest.objects.count() == 0


def test_it_asks_for_consent_beside_the_box(client, campaign, supporter_form):
    without_consent = {key: value for key, value in supporter_form.items() if key != "consent"}

    response = client.post("/en/c/clearview/", without_consent)

    assert response.status_code == 400
    page = response.content.decode()
    box = re.search(r'<input type="checkbox" name="consent"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in box
    assert 'aria-describedby="id_consent_error"' in box
    assert re.search(r'id="id_consent_error".*?This field is required\.', page, re.DOTALL)
    assert '<div class="alert alert-danger" role="alert" id="form-errors">' in page
    assert "<title>Error: Take back your face from Clearview AI · Takeback</title>" in page
    assert DataRequest.objects.count() == 0


def test_it_ties_the_email_help_and_error_to_the_field(client, campaign, supporter_form):
    response = client.post("/en/c/clearview/", dict(supporter_form, email="jeanne@exämple.org"))

    page = response.content.decode()
    field = re.search(r'<input type="email" name="email"[^>]*>', page).group(0)
    assert 'aria-describedby="id_email_helptext id_email_error"' in field
    assert re.search(r'id="id_email_error".*?plain ASCII letters', page, re.DOTALL)
