"""Status changes: the instance a caller holds says what the row says afterwards."""

import pytest
from django.db.models import F
from django.utils import timezone

from requests_app.lifecycle import change_status
from requests_app.models import DataRequest, Status

pytestmark = pytest.mark.django_db


def test_a_status_change_leaves_the_instance_as_the_row_without_fetching_its_campaign_again(
    client, campaign, supporter_form, django_assert_num_queries
):
    client.post("/en/c/clearview/", supporter_form)
    request = DataRequest.objects.select_related("campaign", "target").get()
    now = timezone.now()

    moved = change_status(
        request, source=Status.AWAITING_CONFIRMATION, target=Status.QUEUED, confirmed_at=now, attempts=F("attempts") + 2
    )

    assert moved
    row = DataRequest.objects.get(pk=request.pk)
    assert (request.status, request.status_changed_at, request.confirmed_at, request.attempts) == (
        row.status,
        row.status_changed_at,
        row.confirmed_at,
        2,
    )
    with django_assert_num_queries(0):
        assert request.campaign.slug == "clearview"
        assert request.target.privacy_email == "privacy-requests@clearview.ai"


def test_a_refused_status_change_leaves_the_instance_alone(client, campaign, supporter_form):
    client.post("/en/c/clearview/", supporter_form)
    request = DataRequest.objects.get()

    assert not change_status(request, source=Status.QUEUED, target=Status.SENDING, attempts=F("attempts") + 1)
    assert request.status == Status.AWAITING_CONFIRMATION
    assert request.attempts == 0
