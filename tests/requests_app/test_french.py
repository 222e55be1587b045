"""A supporter who picks French reads French everywhere: page, form errors, emails, letter, status."""

import html
import re
from email.header import decode_header, make_header

import pytest
from django.core import mail

from requests_app import tokens
from requests_app.models import DataRequest, LetterTemplate, Status
from requests_app.sending import SendResult, send_letter

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def option_labels(page: str, group: str) -> list[str]:
    optgroup = re.search(rf'<optgroup label="{re.escape(group)}">(.*?)</optgroup>', page, re.DOTALL).group(1)
    return [label.strip() for label in re.findall(r"<option [^>]*>([^<]*)</option>", optgroup)]


def test_the_french_campaign_page_shows_the_french_title_pitch_and_form(client, campaign):
    page = page_text(client.get("/fr/c/clearview/"))

    assert '<html lang="fr">' in page
    assert "<title>Reprenez votre visage à Clearview AI · Takeback</title>" in page
    assert "<h1>Reprenez votre visage à Clearview AI</h1>" in page
    assert campaign.pitch_fr.splitlines()[0] in page
    assert campaign.pitch_en.splitlines()[0] not in page
    assert "Soyez parmi les premiers à envoyer cette lettre" in page
    for label in ("Prénom", "Nom de famille", "Adresse courriel", "Où habitez-vous\u202f?", "Accès et suppression"):
        assert label in page
    assert "Envoyer cette demande en mon nom. J'ai lu la politique de confidentialité." in page
    assert 'href="/fr/privacy/"' in page
    assert 'value="Rédiger ma lettre"' in page


def test_the_english_campaign_page_keeps_the_english_title(client, campaign):
    page = page_text(client.get("/en/c/clearview/"))

    assert "<h1>Take back your face from Clearview AI</h1>" in page
    assert campaign.pitch_fr.splitlines()[0] not in page


def test_it_lists_places_in_alphabetical_order_of_their_names_in_each_language(client, campaign):
    french = page_text(client.get("/fr/c/clearview/"))
    english = page_text(client.get("/en/c/clearview/"))

    provinces = option_labels(french, "Canada")
    assert provinces[:4] == ["Alberta", "Colombie-Britannique", "Île-du-Prince-Édouard", "Manitoba"]
    assert option_labels(french, "Union européenne et EEE")[:2] == ["Allemagne", "Autriche"]
    assert option_labels(english, "European Union and EEA")[:2] == ["Austria", "Belgium"]
    states = option_labels(english, "United States")
    assert states.index("Iowa") < states.index("Kansas")
    assert states == sorted(states)


def test_it_explains_a_form_error_in_french_beside_the_field(client, campaign, supporter_form):
    response = client.post("/fr/c/clearview/", dict(supporter_form, last_name="Tremblay2"))

    assert response.status_code == 400
    page = page_text(response)
    assert page.startswith("<!doctype html>")
    assert "<title>Erreur\u00a0: Reprenez votre visage à Clearview AI · Takeback</title>" in page
    error = "Veuillez n'utiliser que des lettres, des espaces, des traits d'union, des apostrophes et des points."
    field = re.search(r'<input type="text" name="last_name"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field
    assert 'aria-describedby="id_last_name_error"' in field
    assert re.search(r'<div id="id_last_name_error" class="invalid-feedback">.*?' + re.escape(error), page, re.DOTALL)
    # The summary at the top links to the field.
    assert '<a class="alert-link" href="#id_last_name">Nom de famille</a>: ' + error in page
    assert DataRequest.objects.count() == 0


def test_a_french_supporter_gets_the_confirmation_email_in_french(client, campaign, supporter_form, run_queued_jobs):
    with run_queued_jobs():
        response = client.post("/fr/c/clearview/", supporter_form)

    assert response["Location"] == "/fr/c/clearview/check-your-inbox/"
    request = DataRequest.objects.get()
    assert request.language == "fr"
    assert request.consent_text == "Envoyer cette demande en mon nom. J'ai lu la politique de confidentialité."
    (message,) = mail.outbox
    assert message.subject == "Confirmez votre demande : Reprenez votre visage à Clearview AI"
    assert str(make_header(decode_header(message.from_email))) == (
        # Signed with the campaign's sender name, not a title that names the target.
        "Takeback <requests@takeback.localhost>"
    )
    assert message.body.startswith("Bonjour Jeanne,\n\nVous nous avez demandé d'envoyer en votre nom à Clearview AI")
    assert "Le lien est valide pendant 7 jours." in message.body
    link = re.search(r"http://testserver(/fr/r/confirm/\S+/)", message.body).group(1)
    confirm_page = page_text(client.get(link))
    assert "<h1>Lisez votre lettre et envoyez-la</h1>" in confirm_page
    assert "Envoyer cette lettre en mon nom" in confirm_page


def test_a_french_supporter_gets_the_french_letter(client, campaign, supporter_form, french_pipeda_template):
    client.post("/fr/c/clearview/", supporter_form)
    request = DataRequest.objects.get()

    assert request.template == french_pipeda_template
    client.post(f"/fr/r/confirm/{tokens.make_token(request, purpose=tokens.CONFIRM)}/")
    assert send_letter(request_id=request.pk).result == SendResult.SENT

    (letter,) = mail.outbox
    request.refresh_from_db()
    assert letter.body == request.letter_body
    assert "Jeanne Tremblay" in letter.body
    assert "LPRPDE" in letter.body or "renseignements personnels" in letter.body
    assert letter.to == ["privacy-requests@clearview.ai"]
    assert letter.cc == letter.reply_to[:1] == ["jeanne.tremblay@example.org"]


def test_french_emails_even_where_the_letter_exists_only_in_english(client, campaign, supporter_form, run_queued_jobs):
    LetterTemplate.objects.filter(campaign=campaign, law="pipeda", language="fr").delete()

    with run_queued_jobs():
        client.post("/fr/c/clearview/", supporter_form)

    request = DataRequest.objects.get()
    assert request.template.language == "en"
    assert (
        "Section 8(3) requires you to respond with due diligence and in any case within 30 days" in request.letter_body
    )
    assert request.language == "fr"
    (message,) = mail.outbox
    assert message.subject.startswith("Confirmez votre demande")


def test_a_french_supporter_who_submits_again_is_told_in_french(client, campaign, supporter_form, run_queued_jobs):
    client.post("/fr/c/clearview/", supporter_form)
    request = DataRequest.objects.get()
    client.post(f"/fr/r/confirm/{tokens.make_token(request, purpose=tokens.CONFIRM)}/")

    with run_queued_jobs():
        client.post("/en/c/clearview/", supporter_form)

    (message,) = mail.outbox
    assert message.subject == "Votre demande existe déjà : Reprenez votre visage à Clearview AI"
    assert message.body.startswith("Bonjour Jeanne,\n\nQuelqu'un, probablement vous, a rempli de nouveau le formulaire")


def test_the_status_page_speaks_french(client, campaign, supporter_form):
    client.post("/fr/c/clearview/", supporter_form)
    request = DataRequest.objects.get()
    assert request.status == Status.AWAITING_CONFIRMATION

    page = page_text(client.get(f"/fr/r/status/{tokens.make_token(request, purpose=tokens.STATUS)}/"))

    assert "<h1>Votre demande</h1>" in page
    assert re.search(r'id="request-status">En attente de confirmation<', page)
    assert "LPRPDE (Canada)" in page
    assert "Votre lettre vous attend" in page


def test_an_english_letter_on_a_french_page_is_marked_as_english(client, campaign, supporter_form):
    # Screen readers switch voice for a part in another language (WCAG 3.1.2).
    LetterTemplate.objects.filter(campaign=campaign, law="pipeda", language="fr").delete()
    client.post("/fr/c/clearview/", supporter_form)
    request = DataRequest.objects.get()

    page = page_text(client.get(f"/fr/r/confirm/{tokens.make_token(request, purpose=tokens.CONFIRM)}/"))

    assert '<html lang="fr">' in page
    assert re.search(r'<div class="letter[^"]*"[^>]*lang="en">', page)
