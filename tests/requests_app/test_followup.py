"""Deadlines per law, what the target did (the outcome state machine and its tallies), when the
follow-up ends, and the outcome numbers for the dashboard."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from campaign.tallies import count_by_status
from dashboard.numbers import outcome_summary
from requests_app import tokens
from requests_app.followup import (
    OutcomeNotAllowed,
    follow_up_end,
    mark_overdue_requests,
    report_outcome,
    request_timeline,
    schedule_follow_ups,
)
from requests_app.laws import LAWS, Law
from requests_app.lifecycle import TransitionNotAllowed, change_outcome
from requests_app.models import OUTCOME_TRANSITIONS, DataRequest, Outcome, Status
from tests.supporters import days_ago

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)


def outcome_counts(campaign) -> dict[str, int]:
    return {status: total for status, total in count_by_status(campaign).items() if status.startswith("outcome:")}


def test_it_keeps_each_laws_deadline_and_extension_with_its_other_facts():
    start = datetime.date(2026, 1, 31)

    pipeda, gdpr, uk, ccpa = LAWS[Law.PIPEDA], LAWS[Law.GDPR], LAWS[Law.UK_GDPR], LAWS[Law.CCPA]

    assert (pipeda.deadline_after(start), pipeda.extended_deadline_after(start)) == (
        datetime.date(2026, 3, 2),
        datetime.date(2026, 4, 1),
    )
    assert (pipeda.deadline_citation, pipeda.extension_citation, pipeda.no_answer_citation) == (
        "PIPEDA s.8(3)",
        "PIPEDA s.8(4)",
        "PIPEDA s.8(5)",
    )
    # One month, then two more: 31 January runs to the end of February, then to 28 April. 28 February
    # 2026 is a Saturday: Regulation 1182/71 Art. 3(4) moves the end to Monday 2 March.
    assert (gdpr.deadline_after(start), gdpr.extended_deadline_after(start)) == (
        datetime.date(2026, 3, 2),
        datetime.date(2026, 4, 28),
    )
    assert uk.deadline_after(start) == gdpr.deadline_after(start)
    assert uk.regulator.name == "Information Commissioner's Office"
    assert (ccpa.deadline_after(start), ccpa.extended_deadline_after(start)) == (
        datetime.date(2026, 3, 17),
        datetime.date(2026, 5, 1),
    )
    assert not LAWS[Law.GENERAL].allows_extension


def test_the_status_page_shows_the_deadline_and_who_to_complain_to(client, sent_letter):
    request = sent_letter(sent_at=datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC))
    link = reverse("requests_app:status", kwargs={"token": tokens.make_token(request, purpose=tokens.STATUS)})

    page = client.get(link).content.decode()

    assert "April 1, 2026 (PIPEDA s.8(3))" in page
    assert "Office of the Privacy Commissioner of Canada" in page
    assert "Awaiting an answer" in page


def test_a_request_still_waiting_the_day_after_its_deadline_has_had_no_answer(campaign, sent_letter):
    # The general letter's 30 days never move off a weekend (PIPEDA's may, when day 30 is a Sunday).
    request = sent_letter(jurisdiction="OTHER", sent_at=days_ago(30))
    schedule_follow_ups()

    assert mark_overdue_requests() == 0  # the deadline is today: they may still answer
    assert mark_overdue_requests(now=timezone.now() + ONE_DAY) == 1

    request.refresh_from_db()
    assert request.outcome == Outcome.NO_ANSWER
    assert outcome_counts(campaign) == {"outcome:no_answer": 1}
    assert mark_overdue_requests(now=timezone.now() + ONE_DAY) == 0


def test_outcome_counts_move_with_the_outcome(campaign, sent_letter):
    request = sent_letter(sent_at=days_ago(3))

    assert report_outcome(request, outcome=Outcome.ANSWERED)
    assert outcome_counts(campaign) == {"outcome:answered:in_time": 1}

    # The reply, read again, was a refusal: the same reply, so still in time.
    assert report_outcome(request, outcome=Outcome.REFUSED)
    assert outcome_counts(campaign) == {"outcome:answered:in_time": 0, "outcome:refused:in_time": 1}
    assert not report_outcome(request, outcome=Outcome.REFUSED)
    assert outcome_counts(campaign)["outcome:refused:in_time"] == 1


def test_an_answer_reported_after_the_deadline_counts_as_the_supporter_says(campaign, sent_letter):
    late, on_time = sent_letter(sent_at=days_ago(40)), sent_letter(sent_at=days_ago(40))
    schedule_follow_ups()
    mark_overdue_requests()
    late.refresh_from_db()
    on_time.refresh_from_db()

    report_outcome(late, outcome=Outcome.ANSWERED, answered_in_time=False)
    report_outcome(on_time, outcome=Outcome.ANSWERED, answered_in_time=True)

    assert outcome_counts(campaign) == {
        "outcome:no_answer": 0,
        "outcome:answered:late": 1,
        "outcome:answered:in_time": 1,
    }


def test_no_answer_cannot_be_reported_before_the_deadline(sent_letter):
    request = sent_letter(sent_at=days_ago(10))

    with pytest.raises(OutcomeNotAllowed) as refused:
        report_outcome(request, outcome=Outcome.NO_ANSWER)

    assert refused.value.reason == "too_early"
    request.refresh_from_db()
    assert request.outcome == Outcome.AWAITING


def test_a_letter_that_never_went_out_has_no_outcome(client, campaign, supporter_form):
    client.post("/en/c/clearview/", supporter_form)
    request = DataRequest.objects.get()

    with pytest.raises(OutcomeNotAllowed) as refused:
        report_outcome(request, outcome=Outcome.ANSWERED)

    assert refused.value.reason == "not_sent"


def test_an_extension_is_refused_where_the_law_allows_none(sent_letter):
    request = sent_letter(jurisdiction="OTHER", sent_at=days_ago(5))

    with pytest.raises(OutcomeNotAllowed) as refused:
        report_outcome(request, outcome=Outcome.EXTENDED)

    assert refused.value.reason == "no_extension"


def test_only_the_outcome_moves_written_down_are_allowed(sent_letter):
    request = sent_letter(sent_at=days_ago(3))
    report_outcome(request, outcome=Outcome.REFUSED)

    with pytest.raises(TransitionNotAllowed):
        change_outcome(request, source=Outcome.REFUSED, target=Outcome.NO_ANSWER)
    assert Outcome.AWAITING not in set().union(*OUTCOME_TRANSITIONS.values())
    assert set(OUTCOME_TRANSITIONS) == set(Outcome.values)


def test_an_extension_moves_the_deadline_that_applies(sent_letter):
    request = sent_letter(sent_at=datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC))

    report_outcome(request, outcome=Outcome.EXTENDED, now=datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC))

    request.refresh_from_db()
    timeline = request_timeline(request, now=datetime.datetime(2026, 3, 20, tzinfo=datetime.UTC))
    assert (timeline.deadline, timeline.current_deadline) == (datetime.date(2026, 4, 1), datetime.date(2026, 5, 1))
    assert request.follow_up_due_on == datetime.date(2026, 5, 2)


def test_follow_up_ends_at_the_later_of_the_deadline_and_the_outcome(sent_letter):
    sent = datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC)
    request = sent_letter(sent_at=sent)
    schedule_follow_ups()
    request.refresh_from_db()

    # While no answer is known, an extension could still come: the follow-up runs to its end.
    assert follow_up_end(request) == datetime.datetime(2026, 5, 2, tzinfo=datetime.UTC)

    report_outcome(request, outcome=Outcome.ANSWERED, now=datetime.datetime(2026, 3, 10, tzinfo=datetime.UTC))
    assert follow_up_end(request) == datetime.datetime(2026, 4, 2, tzinfo=datetime.UTC)

    late_refusal = datetime.datetime(2026, 6, 1, 9, tzinfo=datetime.UTC)
    report_outcome(request, outcome=Outcome.REFUSED, now=late_refusal)
    assert follow_up_end(request) == late_refusal


def test_a_request_that_never_went_out_has_no_follow_up(client, campaign, supporter_form):
    client.post("/en/c/clearview/", supporter_form)

    assert follow_up_end(DataRequest.objects.get()) is None


def test_the_outcome_summary_reads_the_tallies_only(campaign, sent_letter, django_assert_num_queries):
    answered, refused, late, _silent = (sent_letter(sent_at=days_ago(40)) for _ in range(4))
    schedule_follow_ups()
    report_outcome(answered, outcome=Outcome.ANSWERED, now=days_ago(20))
    report_outcome(refused, outcome=Outcome.REFUSED, now=days_ago(20))
    mark_overdue_requests()
    late.refresh_from_db()
    report_outcome(late, outcome=Outcome.ANSWERED, answered_in_time=False)
    sent_letter()  # a fresh letter, still waiting

    with django_assert_num_queries(1):
        summary = outcome_summary(campaign)

    assert summary.letters_sent == 5
    assert (summary.answered_in_time, summary.answered_late, summary.refused_in_time) == (1, 1, 1)
    assert (summary.no_answer, summary.overdue, summary.awaiting, summary.extended) == (1, 1, 1, 0)
    assert summary.percent_answered_in_time == 50  # two in time, of four answered or past the deadline
    # The personal rows can go; the numbers stay.
    DataRequest.objects.all().delete()
    assert outcome_summary(campaign) == summary


def test_the_dashboard_partial_shows_the_outcomes(campaign, sent_letter):
    answered, _silent = sent_letter(sent_at=days_ago(40)), sent_letter(sent_at=days_ago(40))
    schedule_follow_ups()
    report_outcome(answered, outcome=Outcome.ANSWERED, now=days_ago(30))
    mark_overdue_requests()

    html = render_to_string("dashboard/_outcomes.html", {"outcomes": outcome_summary(campaign)})

    assert (
        "50% had a response (an answer or a refusal) by the legal deadline, of 2 requests answered, refused or past their deadline."
        in html
    )
    assert '<td class="text-end" id="overdue">1</td>' in html


def test_a_bounced_letter_is_not_followed_up(campaign, sent_letter):
    request = sent_letter(sent_at=days_ago(40))
    DataRequest.objects.filter(pk=request.pk).update(status=Status.BOUNCED)

    assert schedule_follow_ups() == 0
    assert mark_overdue_requests() == 0


def test_the_privacy_policy_says_retention_starts_when_the_follow_up_ends(client, campaign):
    english = client.get("/en/privacy/").content.decode()
    french = client.get("/fr/privacy/").content.decode()

    assert "The retention period starts then" in english
    assert "we note only that a reply came and when; we never keep the message itself" in english
    assert "La période de conservation commence alors" in french
