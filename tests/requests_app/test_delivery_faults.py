"""Fault tests with the real components: Redis outages, a killed worker, a refusing mail server.

Every process here is real: gunicorn serving the site, `celery worker` processes, redis-server
instances of the test's own (the machine's shared Redis is never stopped) and an SMTP server.
"""

import datetime
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.utils import timezone

from requests_app import tokens
from requests_app.models import DataRequest, Status
from requests_app.sending import letter_message_id
from tests.conftest import ROOT, start_worker, stop_worker, wait_until, worker_environment
from tests.processes import OpenPage, PrivateRedis, SilentServer, WebServer, post_like_a_browser, submit_form

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    # Every submission here comes from one address, as from a load balancer.
    settings.RATELIMIT_PER_CLIENT = settings.RATELIMIT_PER_EMAIL = "100000/m"


@pytest.fixture
def open_campaign(campaign):
    """Letters go out at once (no confirmation step) and the drip does not slow the test down."""
    campaign.requires_confirmation = False
    campaign.save(update_fields=["requires_confirmation"])
    campaign.targets.update(letters_per_minute=1_000_000)
    return campaign


def supporter(number: int) -> dict:
    return {
        "first_name": "Supporter",
        "last_name": f"Number{'abcdefghij'[number % 10]}",
        "email": f"supporter{number}@example.org",
        "jurisdiction": "CA-ON",
        "kind": "access_and_deletion",
        "consent": "on",
    }


def run_sweeper(environment: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "sweep_requests"], cwd=ROOT, env=environment, check=True, capture_output=True
    )


def let_time_pass_for_queued_requests() -> None:
    """The sweeper leaves just-queued requests alone for a grace period; make them old."""
    DataRequest.objects.filter(status=Status.QUEUED).update(not_before=timezone.now() - datetime.timedelta(minutes=5))


def message_ids(messages) -> Counter:
    return Counter(message["Message-ID"] for message in messages)


def test_submissions_during_a_redis_outage_are_all_sent_exactly_once_when_it_returns(open_campaign, sink, tmp_path):
    redis_server = PrivateRedis(tmp_path)
    redis_server.start()
    environment = worker_environment(smtp_port=sink.port, CELERY_BROKER_URL=redis_server.url)
    web = WebServer(environment)
    worker = start_worker(environment)
    try:
        redis_server.stop()

        with ThreadPoolExecutor(max_workers=10) as pool:
            responses = list(pool.map(lambda n: submit_form(web.url, supporter(n)), range(50)))

        assert [response.status_code for response in responses] == [302] * 50, web.output()[-3000:]
        assert all("/r/thanks/" in response.headers["Location"] for response in responses)
        assert DataRequest.objects.filter(status=Status.QUEUED).count() == 50
        assert sink.letters() == []

        redis_server.start()
        let_time_pass_for_queued_requests()
        run_sweeper(environment)

        wait_until(
            lambda: DataRequest.objects.filter(status=Status.SENT).count() == 50, timeout=90, what="50 letters sent"
        )
        run_sweeper(environment)  # nothing is left to requeue: no second copy can go out
        time.sleep(1)
        ids = message_ids(sink.letters())
        assert len(ids) == 50
        assert set(ids.values()) == {1}
    finally:
        stop_worker(worker)
        web.stop()
        redis_server.stop()


def test_a_worker_killed_mid_batch_sends_each_letter_once_or_sets_it_aside(open_campaign, sink, client):
    environment = worker_environment(smtp_port=sink.port)
    sink.slow_down(0.02)
    first_worker = start_worker(environment)
    for number in range(100):
        client.post("/en/c/clearview/", supporter(number))
    assert DataRequest.objects.count() == 100

    wait_until(lambda: len(sink.letters()) >= 20, what="the first 20 letters")
    os.killpg(first_worker.pid, signal.SIGKILL)
    first_worker.wait()

    # Letters caught mid-send go to review once their lease is over; lost jobs are queued again.
    run_sweeper({**environment, "TAKEBACK_SEND_LEASE_SECONDS": "0"})
    let_time_pass_for_queued_requests()
    run_sweeper(environment)
    second_worker = start_worker(environment)
    try:
        wait_until(
            lambda: not DataRequest.objects.filter(status__in=[Status.QUEUED, Status.SENDING]).exists(),
            timeout=90,
            what="every request to settle",
        )
    finally:
        stop_worker(second_worker)

    ids = message_ids(sink.letters())
    assert set(ids.values()) == {1}, "a letter went out twice"
    outcomes = Counter(DataRequest.objects.values_list("status", flat=True))
    assert outcomes[Status.SENT] + outcomes[Status.NEEDS_REVIEW] == 100
    assert outcomes[Status.SENT] >= 90
    sent_ids = {letter_message_id(r) for r in DataRequest.objects.filter(status=Status.SENT)}
    assert sent_ids <= set(ids)


def test_a_mail_server_that_says_try_later_twice_gets_the_letter_once(open_campaign, client, celery_worker, sink):
    sink.reply_next_with("451 4.3.0 Mailbox busy, try later", "451 4.3.0 Mailbox busy, try later")

    client.post("/en/c/clearview/", supporter(1))

    request = wait_until(
        lambda: DataRequest.objects.filter(status=Status.SENT).first(), timeout=60, what="the letter to be sent"
    )
    assert len(sink.letters()) == 1
    assert sink.attempts == 3
    assert request.attempts == 3


def test_a_mail_server_that_refuses_marks_the_request_failed_with_the_reason(
    open_campaign, client, celery_worker, sink
):
    sink.reply_next_with("550 5.1.1 <privacy-requests@clearview.ai>: mailbox unavailable")

    client.post("/en/c/clearview/", supporter(1))

    request = wait_until(
        lambda: DataRequest.objects.filter(status=Status.FAILED).first(), timeout=30, what="the request to fail"
    )
    assert request.failure_reason.startswith("SMTP 550: 5.1.1")
    assert "clearview.ai" not in request.failure_reason
    assert sink.letters() == []
    # Tried once, then the supporter is told, once.
    notices = wait_until(
        lambda: [m for m in sink.messages if "Cc" not in m] or None, timeout=30, what="the failure notice"
    )
    assert [str(notice["Subject"]) for notice in notices] == ["Your letter to Clearview AI could not be delivered"]
    assert sink.attempts == 2


def test_a_redis_that_never_answers_does_not_hold_up_the_form(open_campaign, sink):
    silent_redis = SilentServer()
    web = WebServer(worker_environment(smtp_port=sink.port, CELERY_BROKER_URL=silent_redis.url))
    try:
        form_page = OpenPage(f"{web.url}/en/c/clearview/")
        started = time.monotonic()
        response = form_page.post(supporter(1))
        elapsed = time.monotonic() - started
    finally:
        web.stop()
        silent_redis.close()

    assert response.status_code == 302
    assert elapsed < 3, f"the form took {elapsed:.1f} s to answer"
    assert DataRequest.objects.get().status == Status.QUEUED


def test_200_confirmed_submissions_with_a_worker_restart_send_one_message_each(campaign, sink, tmp_path):
    campaign.targets.update(letters_per_minute=1_000_000)
    environment = worker_environment(smtp_port=sink.port)
    web = WebServer(environment)
    worker = start_worker(environment)
    try:
        with ThreadPoolExecutor(max_workers=32) as pool:
            responses = list(pool.map(lambda n: submit_form(web.url, supporter(n)), range(200)))
        assert [response.status_code for response in responses] == [302] * 200

        confirm_urls = [
            f"{web.url}/en/r/confirm/{tokens.make_token(request, purpose=tokens.CONFIRM)}/"
            for request in DataRequest.objects.all()
        ]

        def confirm(url: str) -> int:
            return post_like_a_browser(url, {}).status_code

        with ThreadPoolExecutor(max_workers=32) as pool:
            first_half = list(pool.map(confirm, confirm_urls[:100]))
            stop_worker(worker)  # a graceful restart while letters are going out
            worker = start_worker(environment)
            second_half = list(pool.map(confirm, confirm_urls[100:]))
        assert first_half + second_half == [302] * 200

        wait_until(
            lambda: DataRequest.objects.filter(status=Status.SENT).count() == 200, timeout=120, what="200 letters sent"
        )
        time.sleep(1)
        ids = message_ids(sink.letters())
        assert len(ids) == 200
        assert set(ids.values()) == {1}
    finally:
        stop_worker(worker)
        web.stop()


def test_a_worker_sending_when_redis_stops_keeps_running_and_sends_later_letters(open_campaign, sink, tmp_path):
    """celery 5.7.0 + kombu 5.7.0 killed the worker here: AttributeError 'NoneType' ... 'hostname'
    (config/kombu_fixes.py). The project's other outage test stops Redis while the worker is idle."""
    redis_server = PrivateRedis(tmp_path)
    redis_server.start()
    environment = worker_environment(smtp_port=sink.port, CELERY_BROKER_URL=redis_server.url)
    web = WebServer(environment)
    worker = start_worker(environment)
    try:
        sink.slow_down(4)  # the first letter is still being sent, its job unacknowledged, when Redis stops
        assert submit_form(web.url, supporter(1)).status_code == 302
        wait_until(lambda: DataRequest.objects.filter(status=Status.SENDING).exists(), what="the worker sending")
        redis_server.stop()
        time.sleep(6)
        assert worker.poll() is None, "".join(worker.log)[-4000:]

        redis_server.start()
        sink.slow_down(0)
        assert submit_form(web.url, supporter(2)).status_code == 302
        wait_until(
            lambda: DataRequest.objects.filter(email="supporter2@example.org", status=Status.SENT).exists(),
            timeout=60,
            what="a letter sent after Redis returned",
        )
        assert worker.poll() is None, "".join(worker.log)[-4000:]
        assert DataRequest.objects.get(email="supporter1@example.org").status == Status.SENT
        assert set(message_ids(sink.messages).values()) == {1}
    finally:
        stop_worker(worker)
        web.stop()
        redis_server.stop()
