"""The whole path with the real components: PostgreSQL, Redis, a Celery worker process, SMTP."""

import re

from requests_app.models import DataRequest, Status
from tests.conftest import wait_until


def test_a_confirmed_submission_reaches_clearview_through_the_worker(
    client, campaign, supporter_form, celery_worker, sink
):
    client.post("/en/c/clearview/", supporter_form)

    confirmation = wait_until(lambda: sink.messages, what="the confirmation email")[0]
    assert confirmation["To"] == "jeanne.tremblay@example.org"
    link = re.search(r"http://testserver(\S+/r/confirm/\S+/)", confirmation.get_content()).group(1)
    client.post(link)

    letter = wait_until(lambda: sink.messages[1:], what="the letter")[0]
    assert letter["To"] == "privacy-requests@clearview.ai"
    assert letter["Cc"] == "jeanne.tremblay@example.org"
    assert letter["Reply-To"].addresses[0].addr_spec == "jeanne.tremblay@example.org"
    assert letter["Reply-To"].addresses[1].addr_spec == letter["From"].addresses[0].addr_spec
    assert letter["From"].addresses[0].display_name == "Jeanne Tremblay via Takeback"
    assert "PIPEDA" in letter.get_content()
    wait_until(lambda: DataRequest.objects.get().status == Status.SENT, what="the request to be marked sent")
