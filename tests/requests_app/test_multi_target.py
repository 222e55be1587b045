"""A campaign against several targets: one form, one confirmation, then one letter per target, each
tracked on one status page, deleted together, and counted once as a supporter."""

import csv
import io
import re

from campaign.models import CampaignTarget, Target
from campaign.stats import public_counts
from campaign.tallies import count_by_status, totals_by_status
from requests_app import tokens
from requests_app.models import DataRequest, Status
from requests_app.sending import SendResult, send_letter
from requests_app.submissions import confirm_request
from tests.conftest import wait_until
from tests.supporters import days_ago, submitted

FORM = "/en/c/clearview/"


def link_in(body: str, kind: str) -> str:
    return re.search(rf"http://testserver(/\S+/r/{kind}/\S+/)", body).group(1)


def stats(client) -> dict:
    return client.get("/api/campaigns/clearview/stats").json()


def test_one_form_sends_one_letter_to_each_target_through_the_worker(
    client, campaign, second_target, supporter_form, celery_worker, sink
):
    first_target = campaign.ordered_targets()[0]
    client.post(FORM, supporter_form)

    confirmation = wait_until(lambda: sink.messages, what="the confirmation email")[0]
    assert confirmation["To"] == "jeanne.tremblay@example.org"
    body = confirmation.get_content()
    assert f"{first_target.name} and {second_target.name}" in body
    confirm_page = client.get(link_in(body, "confirm")).content.decode()
    assert confirm_page.count('class="letter mb-4"') == 2
    assert first_target.privacy_email in confirm_page and second_target.privacy_email in confirm_page
    assert "Send these letters in my name" in confirm_page

    client.post(link_in(body, "confirm"))

    letters = wait_until(lambda: len(sink.letters()) >= 2 and sink.letters(), what="two letters")
    assert sorted(letter["To"] for letter in letters) == sorted(
        [first_target.privacy_email, second_target.privacy_email]
    )
    assert len({letter["Message-ID"] for letter in letters}) == 2
    assert all(letter["Cc"] == "jeanne.tremblay@example.org" for letter in letters)
    wait_until(
        lambda: set(DataRequest.objects.values_list("status", flat=True)) == {Status.SENT},
        what="both requests marked sent",
    )
    # One confirmation for the whole submission, never one per letter.
    assert len(sink.messages) == 3

    status_page = client.get(link_in(body, "status")).content.decode()
    assert f"To {first_target.name}" in status_page and f"To {second_target.name}" in status_page
    assert 'id="request-status">Sent<' in status_page and 'id="request-status-2">Sent<' in status_page
    assert 'id="deadline"' in status_page and 'id="deadline-2"' in status_page

    counted = stats(client)
    assert (counted["sent"], counted["confirmed"]) == (1, 1)
    assert counted["targets"] == [
        {"name": first_target.name, "sent": 1, "confirmed": 1},
        {"name": second_target.name, "sent": 1, "confirmed": 1},
    ]

    client.post(link_in(body, "delete"))

    assert list(DataRequest.objects.values_list("email", "letter_body")) == [("", ""), ("", "")]


def test_confirming_queues_every_letter_and_the_status_link_of_either_shows_both(
    client, campaign, second_target, run_queued_jobs
):
    request = submitted(campaign)
    letters = DataRequest.objects.filter(submission_id=request.submission_id)
    assert letters.count() == 2
    assert sorted(letters.values_list("target__name", flat=True)) == sorted(
        [campaign.ordered_targets()[0].name, second_target.name]
    )

    assert confirm_request(request)

    assert set(letters.values_list("status", flat=True)) == {Status.QUEUED}
    other = letters.get(target=second_target)
    page = client.get(f"/en/r/status/{tokens.make_token(other, purpose=tokens.STATUS)}/").content.decode()
    assert page.count('class="mb-4 letter-section"') == 2
    assert not confirm_request(request)


def test_each_letter_has_its_own_deadline_and_follow_up_links(client, campaign, second_target):
    request = submitted(campaign)
    confirm_request(request)
    Target.objects.update(next_send_slot=days_ago(1))
    first, second = DataRequest.objects.order_by("pk")
    for letter in (first, second):
        assert send_letter(request_id=letter.pk).result == SendResult.SENT
    # The second went out ten days later: its deadline comes ten days later.
    DataRequest.objects.filter(pk=first.pk).update(sent_at=days_ago(40))
    DataRequest.objects.filter(pk=second.pk).update(sent_at=days_ago(30))

    page = client.get(f"/en/r/status/{tokens.make_token(first, purpose=tokens.STATUS)}/").content.decode()

    deadlines = re.findall(r'id="deadline(?:-2)?">([^<(]+)', page)
    assert len(deadlines) == 2 and deadlines[0] != deadlines[1]
    # Tokens carry the second they were made in, so compare what they sign, not their text.
    answered = {tokens.read_token(token, purpose=tokens.ANSWER) for token in re.findall(r"/r/answer/([^/]+)/", page)}
    assert answered == {first.pk, second.pk}


def test_the_same_address_again_resends_the_link_and_creates_nothing(
    client, campaign, second_target, supporter_form, mailoutbox, run_queued_jobs
):
    with run_queued_jobs():
        client.post(FORM, supporter_form)
    with run_queued_jobs():
        client.post(FORM, dict(supporter_form, email=supporter_form["email"].upper()))

    assert DataRequest.objects.count() == 2
    assert len(mailoutbox) == 2
    assert link_in(mailoutbox[0].body, "confirm") == link_in(mailoutbox[1].body, "confirm")
    assert public_counts(campaign).confirmed == 0
    assert totals_by_status(campaign_id=campaign.pk).supporters == {Status.AWAITING_CONFIRMATION: 1}


def test_a_target_added_later_gets_letters_from_new_supporters_only(client, campaign, supporter_form):
    earlier = submitted(campaign, email="earlier@example.org")
    later_target = Target.objects.create(name="Later Example", privacy_email="p@later.example.org", postal_address="-")
    CampaignTarget.objects.create(campaign=campaign, target=later_target, position=1)

    confirm_request(earlier)
    client.post(FORM, dict(supporter_form, email="earlier@example.org"))
    client.post(FORM, dict(supporter_form, email="newer@example.org"))

    assert DataRequest.objects.filter(email="earlier@example.org").count() == 1
    assert DataRequest.objects.filter(email="newer@example.org", target=later_target).count() == 1


def test_deleting_an_unsent_submission_removes_every_letter_and_counts_one_withdrawal(client, campaign, second_target):
    request = submitted(campaign)
    status_token = tokens.make_token(request, purpose=tokens.STATUS)

    response = client.post(f"/en/r/delete/{status_token}/")

    assert response.status_code == 302
    assert not DataRequest.objects.exists()
    assert count_by_status(campaign)[Status.WITHDRAWN] == 2
    assert totals_by_status(campaign_id=campaign.pk).supporters[Status.WITHDRAWN] == 1


def test_the_counter_and_the_dashboard_count_supporters_once_and_letters_per_target(
    client, campaign, second_target, organiser
):
    for number in range(3):
        request = submitted(campaign, email=f"supporter{number}@example.org")
        if number:
            confirm_request(request)

    counted = stats(client)
    assert counted["confirmed"] == 2
    assert [target["confirmed"] for target in counted["targets"]] == [2, 2]
    assert "Be among the first to send this letter" in client.get(FORM).content.decode()

    client.force_login(organiser)
    dashboard = client.get("/en/dashboard/clearview/").context["dashboard"]
    assert (dashboard.submitted, dashboard.letters, dashboard.counts.confirmed) == (3, 6, 2)
    assert [(row.label, row.submitted, row.confirmed) for row in dashboard.by_target] == [
        (campaign.ordered_targets()[0].name, 3, 2),
        (second_target.name, 3, 2),
    ]
    assert [(row.value, row.submitted) for row in dashboard.by_law] == [("pipeda", 3)]
    rows = list(
        csv.DictReader(
            io.StringIO(b"".join(client.get("/en/dashboard/clearview/aggregates.csv").streaming_content).decode())
        )
    )
    queued = {row["target"]: (row["count"], row["supporters"]) for row in rows if row["status"] == Status.QUEUED}
    assert queued == {campaign.ordered_targets()[0].name: ("2", "2"), second_target.name: ("2", "0")}
