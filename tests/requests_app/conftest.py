"""Letters that went out, for the follow-up tests: real submissions, confirmed and sent through the
services (mail to Django's test outbox), with the send date moved into the past where a test needs
time to have passed."""

import datetime

import pytest
from django.utils import timezone

from campaign.models import Target
from requests_app.laws import law_for_jurisdiction
from requests_app.letters import Supporter
from requests_app.models import DataRequest, LetterTemplate, RequestKind
from requests_app.sending import SendResult, send_letter
from requests_app.submissions import Submission, confirm_request, submit_request


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


@pytest.fixture
def sent_letter(campaign):
    """Make a supporter's request and send its letter; `sent_at` moves the send date."""
    serial = iter(range(1, 1000))

    def make(
        *,
        jurisdiction: str = "CA-ON",
        wants_reminder: bool = False,
        kind: str = RequestKind.ACCESS_AND_DELETION,
        language: str = "en",
        sent_at: datetime.datetime | None = None,
    ) -> DataRequest:
        law = law_for_jurisdiction(jurisdiction)
        # Only the PIPEDA letters are seeded; other laws get a plain template of their own here.
        if not LetterTemplate.objects.filter(campaign=campaign, law=law).exists():
            LetterTemplate.objects.create(
                campaign=campaign,
                law=law,
                language="en",
                subject="Data request from {{ full_name }}",
                body="To {{ target_name }}: tell me what you hold about me, then delete it.\n\n{{ full_name }}",
            )
        number = next(serial)
        result = submit_request(
            campaign=campaign,
            submission=Submission(
                supporter=Supporter(
                    first_name="Jeanne",
                    last_name=f"Tremblay{'' if number == 1 else '-Roy' * (number - 1)}",
                    email=f"supporter{number}@example.org",
                    jurisdiction=jurisdiction,
                    kind=kind,
                ),
                language=language,
                wants_updates=False,
                wants_reminder=wants_reminder,
                consent_text="Send this data request in my name.",
            ),
        )
        request = result.request
        confirm_request(request)
        # The drip spaces letters to one target; these tests are not about the drip.
        Target.objects.filter(pk=request.target_id).update(next_send_slot=days_ago(1))
        assert send_letter(request_id=request.pk).result == SendResult.SENT
        if sent_at is not None:
            DataRequest.objects.filter(pk=request.pk).update(sent_at=sent_at)
        request.refresh_from_db()
        return request

    return make
