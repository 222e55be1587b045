""" "Delete my data now": from the status page and every email, at once, after one confirming press."""

import re

import pytest
from django.urls import reverse

from campaign.models import Subscriber
from campaign.stats import public_counts
from campaign.tallies import count_by_status
from requests_app import tokens
from requests_app.lifecycle import change_status
from requests_app.models import DataRequest, Status
from requests_app.tasks import send_already_submitted_email_task, send_confirmation_email_task
from tests.requests_app.test_retention import personal_values_in_database
from tests.supporters import confirmed, sent, submitted

pytestmark = pytest.mark.django_db


def delete_link(request: DataRequest, *, token: str = "") -> str:
    token = token or tokens.make_token(request, purpose=tokens.STATUS)
    return reverse("requests_app:delete", kwargs={"token": token})


def status_link(request: DataRequest, *, token: str = "") -> str:
    token = token or tokens.make_token(request, purpose=tokens.STATUS)
    return reverse("requests_app:status", kwargs={"token": token})


def nonzero(counts: dict[str, int]) -> dict[str, int]:
    return {status: count for status, count in counts.items() if count}


def test_the_status_page_offers_to_delete_my_data(client, campaign):
    request = submitted(campaign)
    # A token carries its signing time: make one and use it for both links.
    token = tokens.make_token(request, purpose=tokens.STATUS)

    page = client.get(status_link(request, token=token)).content.decode()

    assert f'href="{delete_link(request, token=token)}"' in page
    assert "Delete my data now" in page


def test_opening_the_delete_link_deletes_nothing(client, campaign):
    request = submitted(campaign)

    response = client.get(delete_link(request))

    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert DataRequest.objects.filter(pk=request.pk, email="jeanne.tremblay@example.org").exists()


@pytest.mark.parametrize("make_request", [submitted, confirmed], ids=["awaiting confirmation", "queued"])
def test_it_deletes_an_unsent_request_and_counts_it_withdrawn(client, campaign, make_request):
    request = make_request(campaign)
    source = request.status

    response = client.post(delete_link(request))

    assert response.status_code == 302
    assert response["Location"] == reverse("requests_app:deleted")
    assert not DataRequest.objects.exists()
    assert nonzero(count_by_status(campaign)) == {Status.WITHDRAWN: 1}
    assert source in count_by_status(campaign)
    assert "jeanne.tremblay@example.org" not in personal_values_in_database()
    assert "Your data is deleted" in client.get(response["Location"]).content.decode()


def test_it_deletes_a_failed_letter(client, campaign):
    request = confirmed(campaign)
    change_status(request, source=Status.QUEUED, target=Status.SENDING)
    change_status(request, source=Status.SENDING, target=Status.FAILED, failure_reason="SMTP 550")

    client.post(delete_link(request))

    assert not DataRequest.objects.exists()
    assert count_by_status(campaign)[Status.WITHDRAWN] == 1


def test_it_deletes_a_letter_set_aside_for_review_so_it_is_never_sent(client, campaign):
    request = confirmed(campaign)
    change_status(request, source=Status.QUEUED, target=Status.SENDING)
    change_status(request, source=Status.SENDING, target=Status.NEEDS_REVIEW)

    client.post(delete_link(request))

    assert not DataRequest.objects.exists()
    assert count_by_status(campaign)[Status.WITHDRAWN] == 1


def test_it_erases_a_sent_request_at_once_and_keeps_it_counted(client, campaign):
    request = sent(campaign)
    assert request.full_name in request.sent_from and request.email in request.sent_cc + request.sent_reply_to
    assert request.full_name in request.sent_subject
    counts_before = public_counts(campaign)
    token = tokens.make_token(request, purpose=tokens.STATUS)

    response = client.post(delete_link(request, token=token))

    # The status link's life ends with the data (issue 16): the last page says the data is gone.
    assert response["Location"] == reverse("requests_app:deleted")
    request.refresh_from_db()
    assert (request.first_name, request.last_name, request.email) == ("", "", "")
    assert (request.letter_subject, request.letter_body) == ("", "")
    # The letter's From, Cc and Reply-To as sent named the supporter too.
    assert (request.sent_from, request.sent_cc, request.sent_reply_to, request.sent_subject) == ("", "", "", "")
    assert request.personal_data_erased_at is not None
    assert public_counts(campaign) == counts_before
    assert client.get(status_link(request, token=token)).status_code == 404
    assert client.get(delete_link(request, token=token)).status_code == 410


def test_a_letter_being_sent_right_now_is_left_alone_and_the_supporter_told_to_try_again(client, campaign):
    request = confirmed(campaign)
    change_status(request, source=Status.QUEUED, target=Status.SENDING)

    response = client.post(delete_link(request))

    assert response.status_code == 409
    assert "try again in a minute" in response.content.decode()
    request.refresh_from_db()
    assert request.status == Status.SENDING and request.email


def test_it_removes_the_supporter_from_the_updates_list(client, campaign):
    request = sent(campaign, wants_updates=True)
    other = sent(campaign, email="someone.else@example.org", wants_updates=True)
    assert Subscriber.objects.count() == 2

    client.post(delete_link(request))

    assert list(Subscriber.objects.values_list("email", flat=True)) == [other.email]


def test_it_leaves_other_supporters_alone(client, campaign):
    request = submitted(campaign)
    other = submitted(campaign, email="someone.else@example.org")

    client.post(delete_link(request))

    assert list(DataRequest.objects.values_list("pk", flat=True)) == [other.pk]


def test_a_used_delete_link_says_there_is_nothing_left(client, campaign):
    request = submitted(campaign)
    link = delete_link(request)
    client.post(link)

    again = client.post(link)

    assert again.status_code == 410
    assert "Your data is deleted" in again.content.decode()


@pytest.mark.parametrize(
    "send_email",
    [send_confirmation_email_task, send_already_submitted_email_task],
    ids=["confirmation", "already submitted"],
)
def test_every_email_links_to_delete_my_data(client, campaign, mailoutbox, send_email):
    request = submitted(campaign)

    send_email(request.pk)

    link = re.search(r"http://testserver(/\S+/r/delete/\S+/)", mailoutbox[0].body).group(1)
    assert "Delete your data now" in mailoutbox[0].body
    client.post(link)
    assert not DataRequest.objects.exists()


def test_the_emails_are_in_the_supporters_language(campaign, mailoutbox):
    request = submitted(campaign)
    # Set directly: the French letter template is not seeded on every branch yet.
    DataRequest.objects.filter(pk=request.pk).update(language="fr")

    send_confirmation_email_task(request.pk)

    assert "Supprimer vos données maintenant" in mailoutbox[0].body
    assert "/fr/r/delete/" in mailoutbox[0].body


def test_the_same_address_can_take_part_again_after_erasing(client, campaign):
    request = sent(campaign)
    client.post(delete_link(request))

    again = submitted(campaign)

    assert again.pk != request.pk
    assert again.status == Status.AWAITING_CONFIRMATION
    assert DataRequest.objects.count() == 2
