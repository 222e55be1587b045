"""The day the supporter sent the step their law puts before the regulator (the UK's complaint to
the controller under s.164A, a US state's or Washington's appeal): recorded on the complaint page,
and the regulator's step counted from it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation

from requests_app import tokens
from requests_app.complaints import build_complaints
from requests_app.followup import mark_overdue_requests, schedule_follow_ups
from requests_app.laws import LAWS, Law
from requests_app.models import DataRequest
from tests.supporters import days_ago

pytestmark = pytest.mark.django_db


def unanswered(sent_letter, *, jurisdiction: str, days: int = 70) -> DataRequest:
    """A letter sent `days` ago whose deadline passed without an answer."""
    request = sent_letter(jurisdiction=jurisdiction, sent_at=days_ago(days))
    schedule_follow_ups()
    mark_overdue_requests()
    request.refresh_from_db()
    return request


def urls(request: DataRequest, *, language: str = "en") -> dict[str, str]:
    token = tokens.make_token(request, purpose=tokens.STATUS)
    with translation.override(language):
        return {
            "page": reverse("requests_app:complaint", kwargs={"token": token}),
            "record": reverse("requests_app:company_step", kwargs={"token": token}),
            "status": reverse("requests_app:status", kwargs={"token": token}),
            "ico": reverse("requests_app:complaint_download", kwargs={"token": token, "kind": "uk_gdpr"}),
            "us_state": reverse("requests_app:complaint_download", kwargs={"token": token, "kind": "us_state"}),
            "wa_mhmda": reverse("requests_app:complaint_download", kwargs={"token": token, "kind": "wa_mhmda"}),
        }


def day(value: datetime.date, *, language: str = "en") -> str:
    with translation.override(language):
        return dateformat.format(value, "j F Y")


def before_today(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def test_until_it_is_recorded_the_ico_date_is_an_assumption_and_says_so(client, sent_letter):
    request = unanswered(sent_letter, jurisdiction="GB")
    controller, ico = build_complaints(request, language="en")

    page = client.get(urls(request)["page"]).content.decode()

    assert ico.counted_from == controller.opens_on and ico.counted_from_assumed
    assert ico.opens_on == controller.opens_on + datetime.timedelta(days=30)
    assert f"These dates assume you send the step above on {day(controller.opens_on)}, the day it opens." in page
    assert 'id="company-step"' in page and 'name="taken_on"' in page
    assert "[date you sent it]" in client.get(urls(request)["ico"]).content.decode()


def test_a_recorded_s164a_complaint_moves_the_ico_dates_and_fills_the_complaint(client, sent_letter):
    request = unanswered(sent_letter, jurisdiction="GB")
    taken_on = before_today(10)

    # One set of links: tokens made a second apart differ, and the page keeps the link's own.
    links = urls(request)
    response = client.post(links["record"], {"taken_on": taken_on.isoformat()})

    assert response.status_code == 302
    assert response["Location"] == links["page"] + "#company-step"
    request.refresh_from_db()
    assert request.company_step_taken_on == taken_on
    page = client.get(urls(request)["page"]).content.decode()
    ico_opens = taken_on + datetime.timedelta(days=30)
    assert f"You told us you sent it on {day(taken_on)}." in page
    assert f"These dates are counted from {day(taken_on)}, the day you told us you sent the step above." in page
    assert f"Not before {day(ico_opens)}: the step above comes first." in page
    assert f"File it by {day(LAWS[Law.UK_GDPR].filing_period.after(taken_on))}." in page
    assert "These dates assume" not in page
    assert f'value="{taken_on.isoformat()}"' in page
    text = client.get(urls(request)["ico"]).content.decode()
    assert f"On {day(taken_on)}, I complained to Clearview AI under section 164A" in text
    assert "[date you sent it]" not in text
    status = client.get(urls(request)["status"]).content.decode()
    with translation.override("en"):
        recorded = formats.date_format(taken_on)
    assert (
        f"You recorded that you sent Clearview AI the complaint or appeal that comes before the regulator on {recorded}."
        in status
    )


def test_the_date_can_be_recorded_and_read_in_french(client, sent_letter):
    request = unanswered(sent_letter, jurisdiction="GB")
    controller, _ = build_complaints(request, language="fr")
    assumed = client.get(urls(request, language="fr")["page"]).content.decode()
    taken_on = before_today(3)

    response = client.post(urls(request, language="fr")["record"], {"taken_on": taken_on.isoformat()})

    assert (
        f"Ces dates supposent que vous envoyez l’étape ci-dessus le {day(controller.opens_on, language='fr')}"
        in assumed
    )
    assert response.status_code == 302
    page = client.get(urls(request, language="fr")["page"]).content.decode()
    assert f"Vous nous avez indiqué l’avoir envoyée le {day(taken_on, language='fr')}." in page
    assert (
        f"Ces dates sont comptées à partir du {day(taken_on, language='fr')}, jour où vous nous avez dit avoir envoyé l’étape ci-dessus."
        in page
    )
    text = client.get(urls(request, language="fr")["ico"]).content.decode()
    assert (
        f"Le {day(taken_on, language='fr')}, j'ai adressé une réclamation à Clearview AI au titre de l'article 164A"
        in text
    )


BAD_DATES = {
    "in the future": lambda request: (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
    "before the letter went out": lambda request: (
        timezone.localdate(request.sent_at) - datetime.timedelta(days=1)
    ).isoformat(),
    "empty": lambda request: "",
    "not a date": lambda request: "31/02/2026",
    "an impossible date": lambda request: "2026-02-30",
}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("bad", list(BAD_DATES))
def test_a_bad_date_shows_an_error_and_changes_nothing(client, sent_letter, bad, language):
    request = unanswered(sent_letter, jurisdiction="GB")
    recorded = before_today(5)
    DataRequest.objects.filter(pk=request.pk).update(company_step_taken_on=recorded)

    response = client.post(urls(request, language=language)["record"], {"taken_on": BAD_DATES[bad](request)})

    assert response.status_code == 400
    page = response.content.decode()
    sent_on = day(timezone.localdate(request.sent_at), language=language)
    if language == "en":
        assert (
            f"Please give the day you sent it: a date between {sent_on}, when your letter went out, and today. Nothing was changed."
            in page
        )
    else:
        assert (
            f"Indiquez le jour de l’envoi\u00a0: une date entre le {sent_on}, jour où votre lettre est partie, et aujourd’hui. Rien n’a été modifié."
            in page
        )
    assert 'aria-invalid="true"' in page
    request.refresh_from_db()
    assert request.company_step_taken_on == recorded


def test_only_a_post_records_and_only_where_a_step_to_the_company_is_open(client, sent_letter):
    canadian = unanswered(sent_letter, jurisdiction="CA-ON")
    waiting = sent_letter(jurisdiction="GB", sent_at=days_ago(3))
    today = timezone.localdate().isoformat()

    assert client.get(urls(unanswered(sent_letter, jurisdiction="GB"))["record"]).status_code == 405
    # PIPEDA has no step before the OPC.
    assert client.post(urls(canadian)["record"], {"taken_on": today}).status_code == 404
    # Before the deadline there is no complaint at all: back to the status page.
    waiting_links = urls(waiting)
    response = client.post(waiting_links["record"], {"taken_on": today})
    assert response.status_code == 302 and response["Location"] == waiting_links["status"]
    assert DataRequest.objects.filter(company_step_taken_on__isnull=False).count() == 0


def test_a_virginians_recorded_appeal_starts_the_attorney_generals_60_days(client, sent_letter):
    request = unanswered(sent_letter, jurisdiction="US-VA", days=80)
    appeal, _ = build_complaints(request, language="en")
    taken_on = before_today(2)

    client.post(urls(request)["record"], {"taken_on": taken_on.isoformat()})

    request.refresh_from_db()
    _, attorney_general = build_complaints(request, language="en")
    assert appeal.opens_on < taken_on
    assert attorney_general.opens_on == taken_on + datetime.timedelta(days=60)
    assert not attorney_general.counted_from_assumed
    text = client.get(urls(request)["us_state"]).content.decode()
    assert f"I then appealed to Clearview AI on {taken_on:%B} {taken_on.day}, {taken_on.year} under Va. Code" in text


def test_a_washington_appeal_date_fills_the_complaint_but_does_not_hold_the_attorney_general_back(client, sent_letter):
    request = unanswered(sent_letter, jurisdiction="US-WA", days=80)
    _, before = build_complaints(request, language="en")
    taken_on = before_today(1)

    client.post(urls(request)["record"], {"taken_on": taken_on.isoformat()})

    request.refresh_from_db()
    _, attorney_general = build_complaints(request, language="en")
    assert attorney_general.opens_on == before.opens_on <= timezone.localdate()
    text = client.get(urls(request)["wa_mhmda"]).content.decode()
    assert f"I appealed to Clearview AI under it on {day(taken_on)}." in text
    french = client.get(urls(request, language="fr")["wa_mhmda"]).content.decode()
    assert f"J'ai fait appel auprès de Clearview AI le {day(taken_on, language='fr')}." in french
