"""The organisers' dashboard: their numbers, their exports, and no supporter's personal data."""

import csv
import datetime
import io
import re

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign, Subscriber, Tally
from dashboard.charts import nice_ceiling
from requests_app import tokens
from requests_app.campaign_setup import copy_campaign
from requests_app.lifecycle import change_outcome, change_status
from requests_app.models import DataRequest, Outcome, Status
from requests_app.submissions import confirm_request
from tests.supporters import sent

pytestmark = pytest.mark.django_db

DASHBOARD = "/en/dashboard/clearview/"


@pytest.fixture
def supporters(client, campaign, supporter_form):
    """Three real requests through the form: one waiting, one sent and opted in to updates, one delivered."""
    emails = ["waiting@example.org", "sent.updates@example.org", "delivered@example.org"]
    for number, email in enumerate(emails):
        form = dict(supporter_form, email=email, first_name=f"Supporter{'ABC'[number]}")
        if number == 1:
            form["wants_updates"] = "on"
        client.post("/en/c/clearview/", form)
    for request in DataRequest.objects.exclude(email=emails[0]):
        confirm_request(request)
        change_status(request, source=Status.QUEUED, target=Status.SENDING)
        change_status(request, source=Status.SENDING, target=Status.SENT, sent_at=timezone.now())
    delivered = DataRequest.objects.get(email=emails[2])
    change_status(delivered, source=Status.SENT, target=Status.DELIVERED)
    return DataRequest.objects.order_by("pk")


def personal_values(requests) -> list[str]:
    return [value for request in requests for value in (request.email, request.first_name, request.last_name)]


def test_the_migration_makes_an_organisers_group_without_any_permission():
    group = Group.objects.get(name="Organisers")

    assert not group.permissions.exists()


def test_an_anonymous_visitor_is_sent_to_the_login(client, campaign):
    for path in ("/en/dashboard/", DASHBOARD, f"{DASHBOARD}subscribers.csv"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(f"{reverse('admin:login')}?next=")


def test_a_staff_login_outside_the_organisers_group_is_refused(client, campaign):
    staff = get_user_model().objects.create_user(username="sam", password="not-a-real-password", is_staff=True)
    client.force_login(staff)

    for path in ("/en/dashboard/", DASHBOARD, f"{DASHBOARD}aggregates.csv", f"{DASHBOARD}subscribers.csv"):
        assert client.get(path).status_code == 403


def test_an_organiser_sees_the_totals_the_chart_and_the_breakdowns(client, organiser, supporters):
    client.force_login(organiser)

    response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    dashboard = response.context["dashboard"]
    states = {state.status: state.count for state in dashboard.states}
    assert states[Status.AWAITING_CONFIRMATION] == 1
    assert states[Status.SENT] == 1
    assert states[Status.DELIVERED] == 1
    assert dashboard.submitted == 3
    assert (dashboard.counts.sent, dashboard.counts.confirmed, dashboard.counts.goal) == (2, 2, 1000)
    assert dashboard.delivery_rate == 50
    assert [(row.label, row.submitted, row.sent) for row in dashboard.by_jurisdiction] == [("Ontario (Canada)", 3, 2)]
    assert [(row.value, row.submitted) for row in dashboard.by_law] == [("pipeda", 3)]
    assert [(row.label, row.confirmed) for row in dashboard.by_language] == [("English", 2)]
    page = response.content.decode()
    assert '<svg class="chart"' in page
    assert f"{timezone.localdate().isoformat()}: 3 submitted, 2 sent" in page
    assert "Awaiting confirmation" in page


def test_the_chart_has_a_bar_for_every_day_and_a_gap_for_days_without_requests(client, organiser, campaign):
    today = timezone.localdate()
    for days_ago, count in ((4, 10), (1, 25), (0, 5)):
        Tally.objects.create(
            campaign=campaign,
            day=today - datetime.timedelta(days=days_ago),
            law="gdpr",
            jurisdiction="FR",
            language="fr",
            target=campaign.ordered_targets()[0],
            status=Status.DELIVERED,
            shard=0,
            count=count,
        )
    client.force_login(organiser)

    response = client.get(DASHBOARD)

    days = response.context["dashboard"].days
    assert [day.submitted for day in days] == [10, 0, 0, 25, 5]
    page = response.content.decode()
    assert page.count('class="chart-submitted"') == 3
    assert ">50</text>" in page  # the scale's top: 25 rounded up to a round number
    assert [(row.label, row.sent) for row in response.context["dashboard"].by_language] == [("French", 40)]


def test_the_chart_scale_is_a_round_number():
    assert [nice_ceiling(value) for value in (0, 1, 3, 10, 11, 99, 101, 4500, 60001)] == [
        1,
        1,
        5,
        10,
        20,
        100,
        200,
        5000,
        100000,
    ]


def test_an_empty_campaign_has_no_chart_but_a_sentence(client, organiser, campaign):
    client.force_login(organiser)

    page = client.get(DASHBOARD).content.decode()

    assert "<svg" not in page
    assert "No requests yet." in page


def test_the_dashboard_reads_tallies_only_in_a_fixed_number_of_queries(client, organiser, supporters):
    client.force_login(organiser)
    with CaptureQueriesContext(connection) as few:
        client.get(DASHBOARD)
        client.get("/en/dashboard/")
    for slug in ("second", "third"):
        Campaign.objects.create(slug=slug, title_en=slug, title_fr=slug, pitch_en="", pitch_fr="").targets.add(
            supporters[0].target
        )
        for status in (Status.SENT, Status.DELIVERED, Status.BOUNCED):
            Tally.objects.create(
                campaign=Campaign.objects.get(slug=slug),
                day=timezone.localdate(),
                law="pipeda",
                jurisdiction="CA-QC",
                language="fr",
                target=supporters[0].target,
                status=status,
                shard=1,
                count=4,
            )

    with CaptureQueriesContext(connection) as more:
        client.get(DASHBOARD)
        index = client.get("/en/dashboard/")

    assert len(more.captured_queries) == len(few.captured_queries)
    read = " ".join(query["sql"] for query in more.captured_queries)
    assert DataRequest._meta.db_table not in read
    assert Subscriber._meta.db_table not in read
    assert [(summary.campaign.slug, summary.sent) for summary in index.context["summaries"]] == [
        ("clearview", 2),
        ("second", 8),
        ("third", 8),
    ]


def test_no_dashboard_page_shows_a_supporters_name_or_email(client, organiser, supporters):
    client.force_login(organiser)

    for path in ("/en/dashboard/", DASHBOARD, "/fr/dashboard/clearview/", f"{DASHBOARD}aggregates.csv"):
        response = client.get(path)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for value in personal_values(supporters):
            assert value.encode() not in body, f"{value} on {path}"


def test_the_aggregates_export_is_the_count_cube(client, organiser, supporters):
    client.force_login(organiser)

    response = client.get(f"{DASHBOARD}aggregates.csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="clearview-aggregates-')
    rows = list(csv.reader(io.StringIO(_csv_text(response))))
    today = timezone.localdate().isoformat()
    target = supporters[0].target
    place = ["pipeda", "PIPEDA (Canada)", "CA-ON", "Ontario (Canada)", "en", "English", str(target.pk), target.name, ""]
    assert rows == [
        [
            "day",
            "law",
            "law_name",
            "jurisdiction",
            "place",
            "language",
            "language_name",
            "target_id",
            "target",
            "source",
            "status",
            "state",
            "count",
            "supporters",
        ],
        [today, *place, "awaiting_confirmation", "awaiting confirmation", "1", "1"],
        [today, *place, "delivered", "delivered", "1", "1"],
        [today, *place, "sent", "sent", "1", "1"],
    ]


def _csv_text(response) -> str:
    """The export as Excel reads it: UTF-8 that starts with a byte order mark."""
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return body.decode("utf-8-sig")


def test_the_exports_open_in_excel_with_accents_intact(client, organiser, campaign, supporter_form):
    client.post("/fr/c/clearview/", dict(supporter_form, jurisdiction="CA-QC", first_name="Hélène", wants_updates="on"))
    confirm_request(DataRequest.objects.get())
    client.force_login(organiser)

    aggregates = list(csv.DictReader(io.StringIO(_csv_text(client.get("/fr/dashboard/clearview/aggregates.csv")))))
    subscribers = list(csv.DictReader(io.StringIO(_csv_text(client.get(f"{DASHBOARD}subscribers.csv")))))

    assert [(row["place"], row["language_name"], row["state"]) for row in aggregates] == [
        ("Québec (Canada)", "français", "en file d'attente")
    ]
    assert [(row["first_name"], row["language"]) for row in subscribers] == [("Hélène", "fr")]


def test_the_subscriber_export_is_the_one_list_of_people_organisers_get(client, organiser, supporters):
    """The deliberate exception (DESIGN.md section 3): only those who opted in, only their names,
    addresses and consent record."""
    Subscriber.objects.create(
        campaign=Campaign.objects.create(slug="other", title_en="o", title_fr="o", pitch_en="", pitch_fr=""),
        first_name="Other",
        last_name="Campaign",
        email="other.campaign@example.org",
        language="en",
        consented_at=timezone.now(),
        consent_text="Updates please.",
        privacy_policy=supporters[0].privacy_policy,
    )
    client.force_login(organiser)

    response = client.get(f"{DASHBOARD}subscribers.csv")

    assert response["Cache-Control"].startswith("max-age=0")
    rows = list(csv.DictReader(io.StringIO(_csv_text(response))))
    opted_in = supporters.get(email="sent.updates@example.org")
    subscriber = Subscriber.objects.get(email=opted_in.email)
    assert rows == [
        {
            "first_name": opted_in.first_name,
            "last_name": opted_in.last_name,
            "email": "sent.updates@example.org",
            "language": "en",
            "consented_at": subscriber.consented_at.isoformat(),
            "privacy_policy_version": opted_in.privacy_policy.version,
            "consent_text": subscriber.consent_text,
        }
    ]
    assert "Email me occasional campaign updates" in rows[0]["consent_text"]


def test_the_subscriber_export_defuses_spreadsheet_formulas(client, organiser, campaign, supporters):
    Subscriber.objects.create(
        campaign=campaign,
        first_name="-Ann",
        last_name="Lee",
        email="=HYPERLINK(1)@example.org",
        language="en",
        consented_at=timezone.now(),
        consent_text="Updates please.",
        privacy_policy=supporters[0].privacy_policy,
    )
    client.force_login(organiser)

    rows = list(csv.DictReader(io.StringIO(_csv_text(client.get(f"{DASHBOARD}subscribers.csv")))))

    assert (rows[-1]["first_name"], rows[-1]["email"]) == ("'-Ann", "'=HYPERLINK(1)@example.org")


def test_an_organiser_reaches_no_page_with_a_supporters_details(client, organiser, supporters):
    """Every admin page of every registered model, the token pages without a token: each answers
    403 or 404, or shows no supporter's name or address."""
    request = supporters[1]
    client.force_login(organiser)
    paths = [
        "/admin/",
        "/admin/campaign/subscriber/",
        f"/admin/campaign/subscriber/{Subscriber.objects.get().pk}/change/",
    ]
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        paths.append(reverse("admin:{}_{}_changelist".format(*info)))
        instance = model.objects.first()
        if instance is not None:
            for view in ("change", "history", "delete"):
                paths.append(reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[instance.pk]))
    paths += [
        "/en/r/status/nothing/",
        "/en/r/thanks/nothing/",
        "/en/r/confirm/nothing/",
        "/embed/clearview/thanks/nothing/",
    ]

    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 403, 404), path
        if response.status_code == 200:
            for value in personal_values(supporters):
                assert value not in response.content.decode(), f"{value} on {path}"

    # The pages that do hold a supporter's details, named: refused outright.
    for path in (
        "/admin/requests_app/datarequest/",
        f"/admin/requests_app/datarequest/{request.pk}/change/",
        "/admin/requests_app/deliveryevent/",
    ):
        assert client.get(path).status_code == 403, path
    # A supporter's own pages open only with the token from their email, for that purpose.
    confirm_token = tokens.make_token(request, purpose=tokens.CONFIRM)
    assert client.get(reverse("requests_app:status", kwargs={"token": confirm_token})).status_code == 404


def test_follow_up_outcomes_show_as_answers_and_count_no_request_twice(client, organiser, campaign):
    letter = sent(campaign)
    change_outcome(letter, source=Outcome.AWAITING, target=Outcome.ANSWERED, answered_in_time=True)
    client.force_login(organiser)

    dashboard = client.get(reverse("dashboard:campaign", kwargs={"slug": campaign.slug})).context["dashboard"]

    assert dashboard.submitted == 1
    assert [(row.label, row.submitted) for row in dashboard.by_law if row.submitted] == [("PIPEDA (Canada)", 1)]
    assert dashboard.outcomes.answered_in_time == 1
    page = client.get(reverse("dashboard:campaign", kwargs={"slug": campaign.slug})).content.decode()
    assert 'id="outcomes"' in page and "outcome:" not in page


def test_the_dashboard_counts_submissions_and_confirmations_per_source(client, organiser, campaign, supporter_form):
    client.post("/en/c/clearview/", dict(supporter_form, email="a@example.org", source="newsletter-dec"))
    client.post("/en/c/clearview/", dict(supporter_form, email="b@example.org", source="Newsletter-Dec"))
    client.post("/en/c/clearview/", dict(supporter_form, email="c@example.org", source="<script>alert(1)</script>"))
    client.post("/en/c/clearview/", dict(supporter_form, email="d@example.org"))
    confirm_request(DataRequest.objects.get(email="a@example.org"))
    client.force_login(organiser)

    dashboard = client.get(DASHBOARD).context["dashboard"]
    aggregates = list(csv.DictReader(io.StringIO(_csv_text(client.get(f"{DASHBOARD}aggregates.csv")))))

    # The code is kept lower-cased; anything that is not a short slug is ignored, not an error.
    assert DataRequest.objects.get(email="b@example.org").source == "newsletter-dec"
    assert DataRequest.objects.get(email="c@example.org").source == ""
    assert [(row.label, row.submitted, row.confirmed) for row in dashboard.by_source] == [
        ("newsletter-dec", 2, 1),
        ("none (a link without a source)", 2, 0),
    ]
    assert sorted((row["source"], row["status"], row["supporters"]) for row in aggregates) == [
        ("", "awaiting_confirmation", "2"),
        ("newsletter-dec", "awaiting_confirmation", "1"),
        ("newsletter-dec", "queued", "1"),
    ]


def test_the_campaign_list_tells_a_copy_from_its_original(client, organiser, campaign):
    copy_campaign(campaign=campaign)
    client.force_login(organiser)

    page = client.get("/en/dashboard/").content.decode()
    rows = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0].split("<tr>")[1:]

    assert ["/c/clearview/" in rows[0], "/c/clearview-copy/" in rows[1]] == [True, True]
    assert "closed" not in rows[0] and "closed" in rows[1]
    assert "fermée" in client.get("/fr/dashboard/").content.decode()


@pytest.mark.parametrize(
    ("language", "label", "by_target_title"),
    [
        ("en", "Asked the supporter to verify their identity", "Answers by target (letters)"),
        ("fr", "Demande de vérification d’identité", "Réponses par cible (lettres)"),
    ],
)
def test_requests_to_verify_identity_are_counted_with_the_answers_per_target(
    client, organiser, campaign, second_target, language, label, by_target_title
):
    """Two supporters, each with a letter to both targets: the first target asked one of them to
    verify their identity, the second target answered one of them."""
    letters = [sent(campaign, email=f"supporter{number}@example.org") for number in range(2)]
    first_target = letters[0].target
    to_second = {letter.submission_id: letter for letter in DataRequest.objects.filter(target=second_target)}
    for letter in to_second.values():
        change_status(letter, source=Status.QUEUED, target=Status.SENDING)
        change_status(letter, source=Status.SENDING, target=Status.SENT, sent_at=timezone.now())
    change_outcome(letters[0], source=Outcome.AWAITING, target=Outcome.VERIFICATION)
    change_outcome(
        to_second[letters[1].submission_id], source=Outcome.AWAITING, target=Outcome.ANSWERED, answered_in_time=True
    )
    client.force_login(organiser)

    response = client.get(f"/{language}/dashboard/clearview/")

    dashboard = response.context["dashboard"]
    assert (dashboard.outcomes.letters_sent, dashboard.outcomes.verification, dashboard.outcomes.awaiting) == (4, 1, 2)
    by_target = {
        name: (outcomes.verification, outcomes.answered_in_time, outcomes.awaiting)
        for name, outcomes in dashboard.outcomes_by_target
    }
    assert by_target == {first_target.name: (1, 0, 1), second_target.name: (0, 1, 1)}
    page = response.content.decode()
    assert f'<th scope="row">{label}</th><td class="text-end" id="verification">1</td>' in page
    table = page[page.index('id="outcomes-by-target"') :]
    assert by_target_title in page and label in table
    assert re.search(
        rf">{re.escape(first_target.name)}</th>\s*<td class=\"text-end\">2</td>\s*<td class=\"text-end\">1</td>\s*<td class=\"text-end\">0</td>\s*<td class=\"text-end\">1</td>",
        table,
    )


@pytest.mark.parametrize(
    ("language", "state"),
    [
        ("en", "answer: asked the supporter to verify their identity"),
        ("fr", "réponse\u00a0: demande de vérification d’identité"),
    ],
)
def test_the_aggregates_export_counts_requests_to_verify_identity_after_the_states(
    client, organiser, campaign, language, state
):
    letter = sent(campaign)
    change_outcome(letter, source=Outcome.AWAITING, target=Outcome.VERIFICATION)
    client.force_login(organiser)

    rows = list(csv.reader(io.StringIO(_csv_text(client.get(f"/{language}/dashboard/clearview/aggregates.csv")))))

    statuses = [row[10] for row in rows[1:]]
    assert statuses == ["sent", "outcome:verification"]
    assert rows[-1][10:] == ["outcome:verification", state, "1", "1"]


def test_the_goal_line_agrees_with_its_number(client, organiser, campaign):
    client.force_login(organiser)
    sent(campaign)

    assert "1 letter sent of 1,000 (0%)." in client.get(DASHBOARD).content.decode()
    assert "1 lettre envoyée sur 1\u00a0000" in client.get("/fr/dashboard/clearview/").content.decode()

    sent(campaign, email="second@example.org")

    assert "2 letters sent of 1,000 (0%)." in client.get(DASHBOARD).content.decode()
    assert "2 lettres envoyées sur 1\u00a0000" in client.get("/fr/dashboard/clearview/").content.decode()
    assert 'id="delivery-rate">0%<' in client.get(DASHBOARD).content.decode()
    assert 'id="delivery-rate">0\u00a0%<' in client.get("/fr/dashboard/clearview/").content.decode()
