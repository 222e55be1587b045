"""Every state of a request reads true on its status page, and a link to a request that is gone
shows a friendly page in the visitor's language."""

import pytest
from django.urls import reverse

from requests_app import tokens
from requests_app.lifecycle import change_status
from requests_app.models import DataRequest, Status
from requests_app.retention import Deletion, delete_supporter_data
from tests.supporters import confirmed, sent, submitted

pytestmark = pytest.mark.django_db

REMINDER_PROMISE = "we will email you once"
COMPLAINT_PROMISE = "we will write the complaint for you"


def status_page(client, request: DataRequest, *, language: str = "en") -> str:
    token = tokens.make_token(request, purpose=tokens.STATUS)
    response = client.get(f"/{language}/r/status/{token}/")
    assert response.status_code == 200
    return response.content.decode()


def next_step(page: str) -> str:
    return page.split('id="next-step"', 1)[1].split("</div>", 1)[0]


def failed(campaign) -> DataRequest:
    request = confirmed(campaign)
    change_status(request, source=Status.QUEUED, target=Status.SENDING)
    change_status(request, source=Status.SENDING, target=Status.FAILED, failure_reason="SMTP 550")
    return request


def test_a_failed_letter_says_nothing_went_out_and_offers_to_try_again(client, campaign):
    request = failed(campaign)

    page = status_page(client, request)

    step = next_step(page)
    assert "We could not send your letter to Clearview AI" in step
    assert "no deadline runs yet" in step
    assert request.target.privacy_email in step
    assert REMINDER_PROMISE not in page and "Answer due by" not in page

    token = tokens.make_token(request, purpose=tokens.STATUS)
    response = client.post(reverse("requests_app:retry", kwargs={"token": token}))

    assert response["Location"] == reverse("requests_app:status", kwargs={"token": token})
    request.refresh_from_db()
    assert request.status == Status.QUEUED
    assert "Your letter is in the queue" in next_step(status_page(client, request))


def test_trying_again_leaves_a_letter_set_aside_for_review_to_the_admin(client, campaign):
    request = confirmed(campaign)
    change_status(request, source=Status.QUEUED, target=Status.SENDING)
    change_status(request, source=Status.SENDING, target=Status.NEEDS_REVIEW)

    step = next_step(status_page(client, request))
    client.post(reverse("requests_app:retry", kwargs={"token": tokens.make_token(request, purpose=tokens.STATUS)}))

    assert "set aside for a person to check" in step
    assert "rather than risk sending it twice" in step
    assert "retry" not in step
    request.refresh_from_db()
    assert request.status == Status.NEEDS_REVIEW


def test_a_bounced_letter_runs_no_deadline(client, campaign):
    request = sent(campaign)
    change_status(request, source=Status.SENT, target=Status.BOUNCED)

    page = status_page(client, request)

    assert "Your letter did not arrive" in next_step(page)
    assert "must answer you by email" not in page
    assert COMPLAINT_PROMISE not in page


def test_an_erased_request_promises_no_reminder_and_no_complaint(client, campaign):
    request = sent(campaign)
    DataRequest.objects.filter(pk=request.pk).update(wants_reminder=True)
    request.refresh_from_db()
    assert REMINDER_PROMISE in status_page(client, request)

    token = tokens.make_token(request, purpose=tokens.STATUS)
    assert delete_supporter_data(request) == Deletion.ERASED
    # The status link ends with the data: it now opens the page that says so, and promises nothing.
    response = client.get(f"/en/r/status/{token}/")
    page = response.content.decode()

    assert response.status_code == 404
    assert "This request is no longer here" in page
    assert "we erased our copy" in page
    assert REMINDER_PROMISE not in page
    assert COMPLAINT_PROMISE not in page


def test_a_queued_letter_is_in_the_queue_and_the_thanks_page_does_not_say_it_has_gone(client, campaign):
    request = confirmed(campaign)
    token = tokens.make_token(request, purpose=tokens.STATUS)

    thanks = client.get(f"/en/r/thanks/{token}/").content.decode()
    step = next_step(status_page(client, request))

    assert "<h1>Thank you: your letter is in the queue</h1>" in thanks
    assert "has gone" not in thanks and "on its way" not in thanks
    assert "Your letter is in the queue" in step


def test_the_thanks_page_says_the_letter_has_gone_once_it_has(client, campaign):
    request = sent(campaign)

    thanks = client.get(f"/en/r/thanks/{tokens.make_token(request, purpose=tokens.STATUS)}/").content.decode()

    assert "<h1>Thank you: your letter has gone</h1>" in thanks


def test_the_thanks_page_offers_the_campaigns_next_action(client, campaign):
    campaign.next_action_url = "https://donate.example.org/takeback"
    campaign.next_action_label_fr = "Faire un don"
    campaign.save()
    request = confirmed(campaign)
    token = tokens.make_token(request, purpose=tokens.STATUS)

    english = client.get(f"/en/r/thanks/{token}/").content.decode()
    french = client.get(f"/fr/r/thanks/{token}/").content.decode()

    assert 'id="next-action" href="https://donate.example.org/takeback"' in english
    assert ">Support the campaign</a>" in english
    assert ">Faire un don</a>" in french


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "This request is no longer here"), ("fr", "Cette demande n’est plus ici")]
)
def test_a_link_to_a_deleted_request_shows_a_friendly_page_in_the_visitors_language(
    client, campaign, language, heading
):
    request = submitted(campaign)
    status_token = tokens.make_token(request, purpose=tokens.STATUS)
    confirm_token = tokens.make_token(request, purpose=tokens.CONFIRM)
    assert delete_supporter_data(request) == Deletion.DELETED

    for path in (
        f"/{language}/r/status/{status_token}/",
        f"/{language}/r/thanks/{status_token}/",
        f"/{language}/r/confirm/{confirm_token}/",
        f"/{language}/r/status/not-a-token/",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        page = response.content.decode()
        assert f"<h1>{heading}</h1>" in page, path
        assert f'<html lang="{language}">' in page


def test_the_confirm_page_offers_a_way_out_beside_the_send_button(client, campaign):
    request = submitted(campaign)

    page = client.get(f"/en/r/confirm/{tokens.make_token(request, purpose=tokens.CONFIRM)}/").content.decode()

    delete_path = reverse("requests_app:delete", kwargs={"token": tokens.make_token(request, purpose=tokens.STATUS)})
    assert f'id="not-now" href="{delete_path}">Not now: delete this request</a>' in page
    # A long letter on a phone: a link at the top goes straight to the button, after the letter.
    skip = page.index('<a href="#send">Skip the letter: go to the send button</a>')
    assert skip < page.index('class="letter') < page.index('id="send"') < page.index('type="submit"')
    assert "deleted after 7 days" in page


def test_the_letter_on_the_status_page_is_a_named_region(client, campaign):
    page = status_page(client, sent(campaign))

    assert '<div class="letter mb-4" role="region" tabindex="0" aria-label="Letter">' in page


@pytest.mark.parametrize(
    ("jurisdiction", "language", "says", "never"),
    [
        ("CA-ON", "en", ["must answer you by email", "they must tell you before it passes"], ["No law we know of"]),
        ("BR", "en", ["must answer you by email", "Your law allows them no extension."], ["No law we know of"]),
        ("US-NY", "en", ["No law we know of sets them a deadline"], ["must answer you by email"]),
        ("US-IL", "en", ["No law we know of sets them a deadline"], ["must answer you by email"]),
        ("US-NY", "fr", ["Aucune loi à notre connaissance"], ["doit vous répondre"]),
        ("BR", "fr", ["doit vous répondre", "aucune prolongation"], ["Aucune loi à notre connaissance"]),
        ("CH", "en", ["must answer you by email"], ["no extension", "No law we know of"]),
        ("AU", "en", ["within a reasonable period", "generally 30 days"], ["no extension", "by email by the"]),
        ("US-CO", "en", ["Your state has a privacy law of its own"], ["No law we know of", "must answer"]),
        ("US-CO", "fr", ["Votre État a sa propre loi"], ["Aucune loi à notre connaissance"]),
    ],
)
def test_the_deadline_is_called_a_duty_only_where_a_law_sets_it(client, campaign, jurisdiction, language, says, never):
    request = sent(campaign, jurisdiction=jurisdiction, language=language)

    step = next_step(status_page(client, request, language=language))

    for words in says:
        assert words in step
    for words in never:
        assert words not in step


def test_a_quebecer_sees_the_quebec_act_its_own_date_and_the_cai_beside_pipeda(client, campaign):
    request = sent(campaign, jurisdiction="CA-QC")

    page = status_page(client, request)
    french = status_page(client, request, language="fr")

    assert "and P-39.1, your province's own law" in page
    provincial = page.split('id="provincial-step"', 1)[1].split("</p>", 1)[0]
    assert "Under P-39.1 they must also answer by" in provincial and "(P-39.1 s.32)" in provincial
    assert "Commission d&#x27;accès à l&#x27;information du Québec" in provincial
    assert "They cannot extend that date themselves, whatever PIPEDA allows." in provincial
    assert "En vertu de P-39.1" in french and "quoi que permette la LPRPDE" in french
    ontario = status_page(client, sent(campaign, jurisdiction="CA-ON", email="ontario@example.org"))
    assert 'id="provincial-step"' not in ontario and "your province" not in ontario


def test_a_british_columbian_sees_bc_pipa_with_its_own_date_and_no_claim_about_extensions(client, campaign):
    provincial = status_page(client, sent(campaign, jurisdiction="CA-BC")).split('id="provincial-step"', 1)[1]

    assert "Under BC PIPA they must also answer by" in provincial.split("</p>", 1)[0]
    assert "cannot extend" not in provincial.split("</p>", 1)[0]


def test_a_texan_sees_the_name_of_their_states_law(client, campaign):
    page = status_page(client, sent(campaign, jurisdiction="US-TX"))

    assert "Texas Data Privacy and Security Act (TDPSA)" in page
    assert "US state privacy law" not in page
