"""Opted-in subscribers leave the list through a signed link; leaving deletes their row."""

import re

import pytest
from django.urls import reverse

from campaign.models import Subscriber
from campaign.subscriptions import unsubscribe_path
from requests_app import tokens
from requests_app.tasks import send_already_submitted_email_task
from tests.supporters import confirmed

pytestmark = pytest.mark.django_db


def test_the_thanks_page_shows_the_unsubscribe_link_after_opting_in(client, campaign):
    request = confirmed(campaign, wants_updates=True)
    token = tokens.make_token(request, purpose=tokens.STATUS)

    page = client.get(reverse("requests_app:thanks", kwargs={"token": token})).content.decode()

    match = re.search(r'id="unsubscribe">.*?<a href="([^"]+)"', page)
    assert match.group(1).startswith("/en/unsubscribe/")
    assert client.get(match.group(1)).status_code == 200


def test_there_is_no_unsubscribe_link_for_someone_who_did_not_opt_in(client, campaign):
    request = confirmed(campaign)
    token = tokens.make_token(request, purpose=tokens.STATUS)

    for view in ("requests_app:thanks", "requests_app:status"):
        page = client.get(reverse(view, kwargs={"token": token})).content.decode()
        assert "/unsubscribe/" not in page


def test_opening_the_link_unsubscribes_nobody_and_the_button_does(client, campaign):
    confirmed(campaign, wants_updates=True)
    other = confirmed(campaign, email="other@example.org", wants_updates=True)
    link = unsubscribe_path(Subscriber.objects.get(email="jeanne.tremblay@example.org"))

    page = client.get(link)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert Subscriber.objects.count() == 2

    response = client.post(link, follow=True)

    assert list(Subscriber.objects.values_list("email", flat=True)) == [other.email]
    assert 'id="unsubscribed"' in response.content.decode()


def test_unsubscribing_twice_is_harmless(client, campaign):
    confirmed(campaign, wants_updates=True)
    link = unsubscribe_path(Subscriber.objects.get())
    client.post(link)

    again = client.post(link, follow=True)

    assert again.status_code == 200
    assert not Subscriber.objects.exists()


def test_a_request_link_cannot_unsubscribe_anyone(client, campaign):
    confirmed(campaign, wants_updates=True)
    subscriber = Subscriber.objects.get()
    # A request's status link signs an id the same way; its purpose keeps it from naming a subscriber.
    wrong = reverse("unsubscribe", kwargs={"token": tokens.make_token(subscriber, purpose=tokens.STATUS)})

    assert client.post(wrong).status_code == 404
    assert Subscriber.objects.exists()


def test_an_email_to_a_subscriber_carries_the_unsubscribe_link(client, campaign, mailoutbox):
    request = confirmed(campaign, wants_updates=True)

    send_already_submitted_email_task(request.pk)

    body = mailoutbox[0].body
    assert "Stop campaign updates:" in body
    link = re.search(r"http://testserver(/en/unsubscribe/\S+/)", body).group(1)
    client.post(link)
    assert not Subscriber.objects.exists()


def test_an_email_to_someone_not_subscribed_has_no_unsubscribe_link(campaign, mailoutbox):
    request = confirmed(campaign)

    send_already_submitted_email_task(request.pk)

    assert "unsubscribe" not in mailoutbox[0].body
