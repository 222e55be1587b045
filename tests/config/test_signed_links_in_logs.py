"""No signed link in any log: a whole journey through a real gunicorn (access log on, debug mode's
console handlers included) and a worker leaves no token behind, nor does runserver's request log."""

import io
import logging
import re

import pytest
import requests
from django.urls import reverse

from campaign.models import Subscriber
from campaign.subscriptions import unsubscribe_path
from requests_app import tokens
from requests_app.models import DataRequest, Outcome, Status
from tests.conftest import wait_until, worker_environment
from tests.processes import OpenPage, WebServer, submit_form

pytestmark = pytest.mark.django_db(transaction=True)

FORM = {
    "first_name": "Jeanne",
    "last_name": "Tremblay",
    "email": "jeanne.tremblay@example.org",
    "jurisdiction": "CA-ON",
    "kind": "access_and_deletion",
    "consent": "on",
    "wants_updates": "on",
}


def signatures(*signed: str) -> list[str]:
    # The part that makes a token a credential; its value and timestamp alone are not.
    return [token.rpartition(":")[2] for token in signed]


def test_a_whole_journey_through_gunicorn_leaves_no_signed_link_in_its_logs(campaign, celery_worker, sink):
    web = WebServer(worker_environment(smtp_port=sink.port))
    try:
        assert submit_form(web.url, FORM).status_code == 302
        confirmation = wait_until(lambda: sink.messages, what="the confirmation email")[0]
        confirm_path = re.search(r"http://testserver(\S+/r/confirm/\S+/)", confirmation.get_content()).group(1)
        page = OpenPage(web.url + confirm_path)
        confirmed = page.post({})
        assert confirmed.status_code == 302
        thanks_path = confirmed.headers["Location"]
        # The browser follows on from the thanks page: the Referer carries the link too.
        page.session.get(web.url + thanks_path, timeout=30)
        wait_until(lambda: DataRequest.objects.get().status == Status.SENT, what="the letter to be sent")
        request = DataRequest.objects.get()
        status_token = tokens.make_token(request, purpose=tokens.STATUS)
        answer_token = tokens.make_token(request, purpose=tokens.ANSWER)
        unsubscribe = unsubscribe_path(Subscriber.objects.get())
        status_path = reverse("requests_app:status", kwargs={"token": status_token})
        headers = {"Referer": web.url + status_path}
        for path in (
            status_path,
            reverse("requests_app:answer", kwargs={"token": answer_token, "outcome": Outcome.REFUSED}),
            reverse("embed_thanks", kwargs={"slug": "clearview", "token": status_token}),
            unsubscribe,
            # A mangled link: Django logs "Not Found: <path>".
            status_path.replace(status_token, status_token[:-3] + "xyz"),
            reverse("requests_app:delete", kwargs={"token": status_token}),
        ):
            page.session.get(web.url + path, headers=headers, timeout=30)
        delete = OpenPage(web.url + reverse("requests_app:delete", kwargs={"token": status_token}))
        assert delete.post({}).status_code == 302
        assert requests.get(web.url + status_path, timeout=30).status_code == 404
    finally:
        web.stop()

    logged = web.output() + "".join(celery_worker.log)
    assert "GET /en/r/status/<token>/" in logged  # the access log was on, and masked
    assert "Not Found: /en/r/status/<token>/" in logged
    for signature in signatures(
        status_token,
        answer_token,
        unsubscribe.strip("/").rpartition("/")[2],
        confirm_path.strip("/").rpartition("/")[2],
    ):
        assert signature not in logged


def test_runservers_request_log_is_masked():
    handler = logging.getLogger("django.server").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("django.server").info(
            '"%s" %s %s', "GET /en/r/status/NQ:1xXiQg:A5wNCsf7NSpj6-zNxITl0CHYpPjgjtYfrGW62rwS32Q/ HTTP/1.1", 200, 512
        )
    finally:
        handler.setStream(previous)

    assert '"GET /en/r/status/<token>/ HTTP/1.1" 200 512' in stream.getvalue()
    assert "A5wNCsf7" not in stream.getvalue()
