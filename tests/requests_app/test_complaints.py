"""The complaint to the regulator: the right body for each law and place, the request's own
dates and letter, in English and French, on a page and as a downloadable text file."""

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import translation

from requests_app import tokens
from requests_app.complaints import build_complaint, build_complaints, complaint_kinds
from requests_app.followup import mark_overdue_requests, report_outcome, schedule_follow_ups
from requests_app.models import DataRequest, Outcome, RequestKind
from tests.supporters import days_ago

pytestmark = pytest.mark.django_db

SENT = datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC)
AFTER_THE_DEADLINE = datetime.datetime(2026, 4, 10, 12, tzinfo=datetime.UTC)


def unanswered(sent_letter, **options) -> DataRequest:
    request = sent_letter(sent_at=SENT, **options)
    schedule_follow_ups()
    mark_overdue_requests(now=AFTER_THE_DEADLINE)
    request.refresh_from_db()
    return request


def complaint_url(request: DataRequest, *, language: str = "en", kind: str | None = None) -> str:
    token = tokens.make_token(request, purpose=tokens.STATUS)
    with translation.override(language):
        if kind:
            return reverse("requests_app:complaint_download", kwargs={"token": token, "kind": kind})
        return reverse("requests_app:complaint", kwargs={"token": token})


def test_no_answer_leads_to_an_opc_complaint_with_the_send_date_the_30_day_limit_and_s8_5(client, sent_letter):
    request = unanswered(sent_letter)

    page = client.get(complaint_url(request))
    download = client.get(complaint_url(request, kind="pipeda"))

    assert page.status_code == 200
    assert "Office of the Privacy Commissioner of Canada" in page.content.decode()
    assert "File it by 1 October 2026." in page.content.decode()  # six months after the deadline, s.11(3)
    assert download["Content-Type"] == "text/plain; charset=utf-8"
    assert download["Content-Disposition"] == 'attachment; filename="complaint-pipeda-en.txt"'
    text = download.content.decode()
    assert text.startswith("To: Office of the Privacy Commissioner of Canada\n")
    assert "On 2 March 2026, I sent Clearview AI, by email to privacy-requests@clearview.ai" in text
    assert "required Clearview AI to respond within 30 days of receiving my request, that is, by 1 April 2026" in text
    assert (
        "Under section 8(5) of PIPEDA, an organization that fails to respond within the time limit is deemed to have refused the request."
        in text
    )
    # The letter that went out, in full, and the supporter's own details.
    assert request.letter_body.strip() in text
    assert "Jeanne Tremblay\nEmail: supporter1@example.org" in text


def test_the_complaint_comes_in_french_too(client, sent_letter):
    request = unanswered(sent_letter)

    text = client.get(complaint_url(request, language="fr", kind="pipeda")).content.decode()

    assert text.startswith("Destinataire : Commissariat à la protection de la vie privée du Canada\n")
    assert "Le 2 mars 2026, j'ai envoyé à Clearview AI" in text
    assert "dans les 30 jours suivant la réception de ma demande, soit au plus tard le 1 avril 2026" in text
    assert "Selon le paragraphe 8(5) de la LPRPDE" in text
    page = client.get(complaint_url(request, language="fr")).content.decode()
    assert "Commissariat à la protection de la vie privée du Canada, 30, rue Victoria" in page


def test_quebec_residents_can_also_turn_to_the_commission_dacces_a_linformation(client, sent_letter):
    request = unanswered(sent_letter, jurisdiction="CA-QC")

    complaints = build_complaints(request, language="en")

    assert [complaint.kind for complaint in complaints] == ["pipeda", "quebec"]
    quebec = complaints[1]
    assert quebec.regulator.name == "Commission d'accès à l'information du Québec"
    assert quebec.file_by == datetime.date(2026, 5, 1)  # 30 days after the missed deadline
    assert "Under section 32, a person who fails to respond within 30 days" in quebec.text
    page = client.get(complaint_url(request)).content.decode()
    assert 'id="complaint-pipeda"' in page and 'id="complaint-quebec"' in page
    assert client.get(complaint_url(request, kind="quebec"))["Content-Disposition"].endswith('complaint-quebec-en.txt"')


@pytest.mark.parametrize(
    ("jurisdiction", "regulator", "says"),
    [
        ("FR", "Commission nationale de l'informatique et des libertés (CNIL)", "Article 77(1) GDPR"),
        # § 40(1) BDSG: the authority of the Land, not the federal commissioner.
        ("DE", "data protection authority of the Land", "2 April 2026"),
        ("GB", "Information Commissioner's Office", "section 165 of the Data Protection Act 2018"),
        (
            "US-CA",
            "California Privacy Protection Agency",
            "Section 1798.130(a)(2)(A) and § 7021(b) of the regulations required Clearview AI to respond",
        ),
    ],
)
def test_each_law_has_its_regulator(sent_letter, jurisdiction, regulator, says):
    request = sent_letter(jurisdiction=jurisdiction, sent_at=SENT)
    schedule_follow_ups()
    mark_overdue_requests(now=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
    request.refresh_from_db()

    # The complaint to the regulator comes last (in the UK, after the complaint to the controller).
    complaint = build_complaints(request, language="en")[-1]

    assert complaint.regulator.name.startswith(regulator)
    assert says in complaint.text


def test_the_ccpa_complaint_fits_the_agencys_form_and_names_the_attorney_general(client, sent_letter):
    request = sent_letter(jurisdiction="US-CA", sent_at=SENT)
    schedule_follow_ups()
    mark_overdue_requests(now=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
    request.refresh_from_db()

    complaint = build_complaint(request, kind="ccpa", language="en")
    page = client.get(complaint_url(request)).content.decode()

    assert len(complaint.text) <= 4000
    assert "(Attn: Legal Department, 99 Wall Street #5730, New York, NY 10005, USA)" in complaint.text
    assert "https://oag.ca.gov/contact/consumer-complaint-against-business-or-company" in page


def test_a_refusal_leads_to_a_complaint_about_the_refusal(sent_letter):
    request = sent_letter(sent_at=SENT)
    report_outcome(request, outcome=Outcome.REFUSED, now=datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC))

    (complaint,) = build_complaints(request, language="en", now=datetime.datetime(2026, 3, 21, tzinfo=datetime.UTC))

    complaint_itself = complaint.text.split("-----")[0]  # before the letter, which cites s.8(5) itself
    assert "On 20 March 2026, Clearview AI refused my request. I disagree with the refusal." in complaint_itself
    assert "section 8(5)" not in complaint_itself
    assert complaint.file_by == datetime.date(2026, 9, 20)  # six months after the refusal


def test_an_extension_is_in_the_complaint(sent_letter):
    request = sent_letter(sent_at=SENT)
    report_outcome(request, outcome=Outcome.EXTENDED, now=datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC))
    mark_overdue_requests(now=datetime.datetime(2026, 5, 5, tzinfo=datetime.UTC))
    request.refresh_from_db()

    (complaint,) = build_complaints(request, language="en")

    assert "extending the time limit under section 8(4), to 1 May 2026" in complaint.text
    assert "did not respond by 1 May 2026." in complaint.text


def test_there_is_no_complaint_while_they_may_still_answer(client, sent_letter):
    request = sent_letter(sent_at=days_ago(3))

    response = client.get(complaint_url(request))

    assert "/r/status/" in response["Location"]
    assert client.get(complaint_url(request, kind="pipeda")).status_code == 404


def test_only_the_complaints_that_apply_can_be_downloaded(client, sent_letter):
    request = unanswered(sent_letter)

    assert complaint_kinds(request) == ["pipeda"]
    assert client.get(complaint_url(request, kind="quebec")).status_code == 404
    assert client.get(complaint_url(request, kind="gdpr")).status_code == 404


def test_the_status_page_leads_to_the_complaint(client, sent_letter):
    request = unanswered(sent_letter)

    token = tokens.make_token(request, purpose=tokens.STATUS)
    page = client.get(reverse("requests_app:status", kwargs={"token": token}))

    # The letter the link names keeps the link's own token in its complaint link.
    assert f'href="{reverse("requests_app:complaint", kwargs={"token": token})}"' in page.content.decode()


@pytest.mark.parametrize(
    ("jurisdiction", "kind", "outcome"),
    list(
        itertools.product(
            ["CA-QC", "FR", "GB", "US-CA", "OTHER"],
            [RequestKind.ACCESS_AND_DELETION, RequestKind.ACCESS, RequestKind.DELETION],
            [Outcome.NO_ANSWER, Outcome.REFUSED],
        )
    ),
)
def test_every_complaint_reads_cleanly(sent_letter, jurisdiction, kind, outcome):
    request = sent_letter(jurisdiction=jurisdiction, kind=kind, sent_at=SENT)
    if outcome == Outcome.REFUSED:
        report_outcome(request, outcome=outcome, now=datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC))
    else:
        schedule_follow_ups()
        mark_overdue_requests(now=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
        request.refresh_from_db()

    for language in ("en", "fr"):
        for complaint in build_complaints(request, language=language):
            text = complaint.text.split("-----")[0]  # the complaint, before the letter
            assert "{" not in text and "}" not in text
            assert "None" not in text
            assert " ," not in text and " ." not in text and ",," not in text and ".." not in text
            assert "\n\n\n" not in text
            assert request.full_name in text
            assert ("mars 2026" if language == "fr" else "March 2026") in text
