"""How each law counts its days, the steps that come before a regulator, and the answer "They asked
me to verify my identity"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.tallies import count_by_status
from requests_app import tokens
from requests_app.complaints import build_complaints, complaint_available
from requests_app.followup import (
    OutcomeNotAllowed,
    mark_overdue_requests,
    report_outcome,
    request_timeline,
    schedule_follow_ups,
)
from requests_app.laws import LAWS, PROVINCIAL_LAWS, Law, add_business_days
from requests_app.models import Outcome, RequestKind
from tests.supporters import days_ago

pytestmark = pytest.mark.django_db

SENT = datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC)  # Monday 2 March 2026


def at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


def status_page(client, request) -> str:
    token = tokens.make_token(request, purpose=tokens.STATUS)
    return client.get(reverse("requests_app:status", kwargs={"token": token})).content.decode()


# Counting days.


def test_a_gdpr_month_ending_on_a_saturday_ends_on_the_monday():
    # 30 January + one month = 28 February 2026, a Saturday (Regulation 1182/71 Art. 3(4); the ICO).
    start = datetime.date(2026, 1, 30)

    assert LAWS[Law.GDPR].deadline_after(start) == datetime.date(2026, 3, 2)
    assert LAWS[Law.UK_GDPR].deadline_after(start) == datetime.date(2026, 3, 2)


def test_a_pipeda_deadline_moves_off_a_sunday_but_not_off_a_saturday():
    pipeda = LAWS[Law.PIPEDA]

    # Interpretation Act ss.26, 35(1): Sunday is a holiday, Saturday is not.
    assert pipeda.deadline_after(datetime.date(2026, 3, 6)) == datetime.date(2026, 4, 6)  # day 30: Sunday 5 April
    assert pipeda.deadline_after(datetime.date(2026, 3, 5)) == datetime.date(2026, 4, 4)  # day 30: Saturday


def test_a_ccpa_deadline_on_a_sunday_stays_there():
    # No statute or regulator found moves the CCPA's calendar days off a weekend.
    ccpa = LAWS[Law.CCPA]

    assert ccpa.deadline_after(datetime.date(2026, 3, 22)) == datetime.date(2026, 5, 6)
    assert ccpa.extended_deadline_after(datetime.date(2026, 3, 2)) == datetime.date(2026, 5, 31)  # a Sunday


def test_business_days_skip_weekends():
    assert add_business_days(datetime.date(2026, 3, 2), 15) == datetime.date(2026, 3, 23)
    assert add_business_days(datetime.date(2026, 3, 6), 1) == datetime.date(2026, 3, 9)  # Friday to Monday
    assert PROVINCIAL_LAWS["CA-BC"].deadline_after(datetime.date(2026, 3, 2)) == datetime.date(2026, 4, 13)


def test_lgpd_counts_15_days_from_the_request_and_moves_off_a_weekend():
    lgpd = LAWS[Law.LGPD]

    assert lgpd.deadline_after(datetime.date(2026, 3, 2)) == datetime.date(2026, 3, 17)
    assert lgpd.deadline_after(datetime.date(2026, 3, 6)) == datetime.date(2026, 3, 23)  # day 15: Saturday 21


def test_a_californian_sees_the_15_business_days_for_opting_out(client, sent_letter):
    request = sent_letter(jurisdiction="US-CA", sent_at=SENT)

    timeline = request_timeline(request)
    page = status_page(client, request)

    assert timeline.opt_out_deadline == datetime.date(2026, 3, 23)
    assert "23 March 2026 (Cal. Code Regs. tit. 11, §§ 7026(f), 7027(g))" in page
    assert timeline.deadline == datetime.date(2026, 4, 16)


# Quebec, British Columbia, Alberta.


def test_the_quebec_commission_is_open_from_day_31_even_when_the_company_extended_under_pipeda(sent_letter):
    request = sent_letter(jurisdiction="CA-QC", sent_at=SENT)
    report_outcome(request, outcome=Outcome.EXTENDED, now=at(2026, 3, 20))

    assert build_complaints(request, language="en", now=at(2026, 4, 1)) == []  # day 30: still in time
    (quebec,) = build_complaints(request, language="en", now=at(2026, 4, 2))

    assert quebec.kind == "quebec"
    assert quebec.opens_on == datetime.date(2026, 4, 2)
    assert quebec.file_by == datetime.date(2026, 5, 1)  # 30 days after day 30, not after PIPEDA's day 60
    assert "That extension has no effect under the Act respecting the protection" in quebec.text
    assert complaint_available(request, timeline=request_timeline(request, now=at(2026, 4, 2)))


def test_a_late_refusal_does_not_move_the_quebec_date(sent_letter):
    request = sent_letter(jurisdiction="CA-QC", sent_at=SENT)
    schedule_follow_ups()
    mark_overdue_requests(now=at(2026, 4, 5))
    request.refresh_from_db()
    report_outcome(request, outcome=Outcome.REFUSED, answered_in_time=False, now=at(2026, 4, 20))

    complaints = build_complaints(request, language="fr", now=at(2026, 4, 21))

    assert [complaint.kind for complaint in complaints] == ["pipeda", "quebec"]
    assert complaints[1].file_by == datetime.date(2026, 5, 1)


def test_british_columbia_counts_business_days_for_its_own_commissioner(sent_letter):
    request = sent_letter(jurisdiction="CA-BC", sent_at=SENT)
    schedule_follow_ups()
    mark_overdue_requests(now=at(2026, 4, 5))
    request.refresh_from_db()

    before = build_complaints(request, language="en", now=at(2026, 4, 13))
    after = build_complaints(request, language="en", now=at(2026, 4, 14))

    assert [complaint.kind for complaint in before] == ["pipeda"]
    assert [complaint.kind for complaint in after] == ["pipeda", "british_columbia"]
    assert after[1].regulator.name == "Office of the Information and Privacy Commissioner for British Columbia"
    # BC PIPA s.47(3)(a): the 30 days to ask for a review do not run from a failure to respond.
    assert after[1].opens_on == datetime.date(2026, 4, 14)
    assert after[1].file_by is None


def test_a_british_columbia_refusal_gives_30_business_days_to_ask_for_a_review(sent_letter):
    request = sent_letter(jurisdiction="CA-BC", sent_at=SENT)
    report_outcome(request, outcome=Outcome.REFUSED, now=at(2026, 3, 20))  # a Friday

    complaints = build_complaints(request, language="en", now=at(2026, 3, 21))

    assert [complaint.kind for complaint in complaints] == ["pipeda", "british_columbia"]
    assert complaints[1].opens_on == datetime.date(2026, 3, 20)
    assert complaints[1].file_by == datetime.date(2026, 5, 1)  # BC PIPA s.47(2)(a): 30 business days


def test_the_pipeda_six_months_apply_only_to_an_access_refusal(sent_letter):
    access = sent_letter(sent_at=SENT, kind=RequestKind.ACCESS)
    deletion = sent_letter(sent_at=SENT, kind=RequestKind.DELETION)
    schedule_follow_ups()
    mark_overdue_requests(now=at(2026, 4, 5))
    access.refresh_from_db()
    deletion.refresh_from_db()

    (for_access,) = build_complaints(access, language="en", now=at(2026, 4, 5))
    (for_deletion,) = build_complaints(deletion, language="en", now=at(2026, 4, 5))

    assert for_access.file_by == datetime.date(2026, 10, 1)
    assert for_deletion.file_by is None


# The step before the regulator.


def test_in_the_uk_the_complaint_to_the_controller_comes_first_with_its_own_date(client, sent_letter):
    request = sent_letter(jurisdiction="GB", sent_at=SENT)
    schedule_follow_ups()
    mark_overdue_requests(now=at(2026, 4, 5))
    request.refresh_from_db()

    controller, ico = build_complaints(request, language="en", now=at(2026, 4, 5))

    assert controller.kind == "uk_gdpr_controller" and controller.to_company
    assert controller.opens_on == datetime.date(2026, 4, 3)  # the day after the deadline, 2 April
    assert "section 164A of the Data Protection Act 2018" in controller.text
    assert ico.kind == "uk_gdpr" and ico.regulator.name == "Information Commissioner's Office"
    assert ico.opens_on == datetime.date(2026, 5, 3)  # 30 days for the controller's acknowledgement
    assert ico.file_by == datetime.date(2026, 7, 3)  # three months after that last contact
    assert "section 165 of the Data Protection Act 2018" in ico.text


def test_the_complaint_page_shows_the_company_step_first(client, sent_letter):
    request = sent_letter(jurisdiction="GB", sent_at=days_ago(40))
    schedule_follow_ups()
    mark_overdue_requests()
    request.refresh_from_db()
    token = tokens.make_token(request, purpose=tokens.STATUS)

    page = client.get(reverse("requests_app:complaint", kwargs={"token": token})).content.decode()

    assert page.index("First, to Clearview AI") < page.index("Information Commissioner&#x27;s Office")
    assert "Not before" in page


def test_a_virginian_appeals_to_the_company_before_the_attorney_general(sent_letter):
    request = sent_letter(jurisdiction="US-VA", sent_at=SENT)
    schedule_follow_ups()
    mark_overdue_requests(now=at(2026, 4, 20))
    request.refresh_from_db()

    appeal, attorney_general = build_complaints(request, language="en", now=at(2026, 4, 20))

    assert appeal.kind == "us_state_appeal" and appeal.to_company
    assert appeal.opens_on == datetime.date(2026, 4, 17)
    assert "Va. Code § 59.1-577(C)" in appeal.text
    assert attorney_general.regulator.name == "Office of the Attorney General of Virginia (Consumer Protection Section)"
    assert attorney_general.opens_on == datetime.date(2026, 6, 16)  # 60 days for the appeal


def test_a_minnesotan_may_appeal_and_complain_to_the_attorney_general_at_once(sent_letter):
    request = sent_letter(jurisdiction="US-MN", sent_at=SENT)
    schedule_follow_ups()
    mark_overdue_requests(now=at(2026, 4, 20))
    request.refresh_from_db()

    for language in ("en", "fr"):
        appeal, attorney_general = build_complaints(request, language=language, now=at(2026, 4, 20))

        # The appeal's answer period is not verified: no number of days is promised or blamed.
        assert appeal.kind == "us_state_appeal" and appeal.to_company
        assert appeal.opens_on == attorney_general.opens_on == datetime.date(2026, 4, 17)
        assert "Minn. Stat. § 325M.14, subd. 5" in appeal.text
        assert "Minn. Stat. § 325M.14, subd. 5" in attorney_general.text
        assert attorney_general.regulator.complaint_url == "https://www.ag.state.mn.us/Data-Privacy/Consumer"
        for text in (appeal.text, attorney_general.text):
            assert " 0 days" not in text and " 0 jours" not in text
            assert "appeal not granted" not in text and "contestation restée sans suite" not in text


def test_a_brazilian_complaint_comes_in_portuguese_too(client, sent_letter):
    request = sent_letter(jurisdiction="BR", sent_at=days_ago(30))
    schedule_follow_ups()
    mark_overdue_requests()
    request.refresh_from_db()
    token = tokens.make_token(request, purpose=tokens.STATUS)
    url = reverse("requests_app:complaint_download", kwargs={"token": token, "kind": "lgpd"})

    portuguese = client.get(url + "?language=pt")

    assert portuguese.status_code == 200
    assert 'filename="complaint-lgpd-pt.txt"' in portuguese["Content-Disposition"]
    assert "Agência Nacional de Proteção de Dados" in portuguese.content.decode()
    assert client.get(url + "?language=de").status_code == 404
    (french,) = build_complaints(request, language="fr")
    assert "Lieu\u00a0: Brésil" in french.text  # names read in the complaint's language


# "They asked me to verify my identity".


def test_the_identity_answer_keeps_the_pipeda_clock_and_gives_a_proportionate_reply(client, campaign, sent_letter):
    request = sent_letter(sent_at=days_ago(10))
    deadline = request_timeline(request).current_deadline
    asked_on = timezone.localdate() - datetime.timedelta(days=2)

    assert report_outcome(request, outcome=Outcome.VERIFICATION, identity_requested_on=asked_on)

    request.refresh_from_db()
    assert (request.outcome, request.identity_requested_on) == (Outcome.VERIFICATION, asked_on)
    assert request_timeline(request).current_deadline == deadline  # s.8(3) runs from receipt regardless
    assert count_by_status(campaign)["outcome:verification"] == 1
    page = status_page(client, request)
    assert 'id="identity-reply" open' in page
    assert "Principle 4.9.2" in page
    assert "A copy of a government-issued ID is disproportionate" in page
    assert "neither it nor anything derived from it is added to any searchable index" in page
    assert "Nothing in section 8 pauses or restarts that time limit" in page


def test_in_the_uk_the_month_starts_again_when_the_identity_information_is_sent(client, sent_letter):
    request = sent_letter(jurisdiction="GB", sent_at=SENT)
    schedule_follow_ups()

    report_outcome(
        request, outcome=Outcome.VERIFICATION, identity_requested_on=datetime.date(2026, 3, 18), now=at(2026, 3, 20)
    )

    request.refresh_from_db()
    timeline = request_timeline(request, now=at(2026, 3, 21))
    assert timeline.clock_started_on == datetime.date(2026, 3, 20)
    assert timeline.deadline == timeline.current_deadline == datetime.date(2026, 4, 20)  # Art. 12A
    assert request.follow_up_due_on == datetime.date(2026, 4, 21)
    assert mark_overdue_requests(now=at(2026, 4, 20)) == 0
    assert mark_overdue_requests(now=at(2026, 4, 21)) == 1


def test_the_identity_answer_needs_a_date_between_sending_and_today(sent_letter):
    request = sent_letter(sent_at=days_ago(10))

    for wrong in (
        None,
        timezone.localdate() - datetime.timedelta(days=20),
        timezone.localdate() + datetime.timedelta(1),
    ):
        with pytest.raises(OutcomeNotAllowed) as refused:
            report_outcome(request, outcome=Outcome.VERIFICATION, identity_requested_on=wrong)
        assert refused.value.reason == "date"
    request.refresh_from_db()
    assert request.outcome == Outcome.AWAITING


def test_after_a_pipeda_deadline_a_request_for_identity_does_not_reopen_it(sent_letter):
    request = sent_letter(sent_at=SENT)
    schedule_follow_ups()
    mark_overdue_requests(now=at(2026, 4, 5))
    request.refresh_from_db()

    with pytest.raises(OutcomeNotAllowed) as refused:
        report_outcome(
            request, outcome=Outcome.VERIFICATION, identity_requested_on=datetime.date(2026, 4, 4), now=at(2026, 4, 5)
        )

    assert refused.value.reason == "verification_late"


def test_the_follow_up_page_records_the_identity_request_and_shows_the_reply(client, sent_letter):
    request = sent_letter(jurisdiction="FR", sent_at=days_ago(5), language="fr")
    token = tokens.make_token(request, purpose=tokens.ANSWER)
    url = reverse("requests_app:answer", kwargs={"token": token, "outcome": "verification"})
    asked_on = timezone.localdate() - datetime.timedelta(days=1)

    form = client.get(url)
    missing = client.post(url, {})
    recorded = client.post(url, {"asked_on": asked_on.isoformat()})

    assert 'name="asked_on"' in form.content.decode()
    assert missing.status_code == 409
    assert "Please give the date they asked you" in missing.content.decode()
    assert recorded.status_code == 302 and recorded["Location"].endswith("#identity-reply")
    request.refresh_from_db()
    assert request.outcome == Outcome.VERIFICATION
    page = client.get(recorded["Location"]).content.decode()
    assert "Article 12(6) GDPR" in page


def test_a_reply_we_counted_as_an_answer_can_turn_out_to_be_a_request_for_identity(campaign, sent_letter):
    request = sent_letter(sent_at=days_ago(5))
    report_outcome(request, outcome=Outcome.ANSWERED)

    assert report_outcome(
        request, outcome=Outcome.VERIFICATION, identity_requested_on=timezone.localdate() - datetime.timedelta(days=1)
    )

    counts = count_by_status(campaign)
    assert counts["outcome:verification"] == 1
    assert counts.get("outcome:answered:in_time", 0) == 0
