"""Letters per second through the Celery worker, Redis and an SMTP sink, against a raw smtplib
loop sending as many similar messages to the same sink over one connection.

The requests are made by the services a supporter's journey goes through (submit, then confirm),
with the target's drip set far above the rate reached, so the worker, not the drip, sets the pace.
The worker starts after the queue is full: `celery -A config worker` with production's settings
(its default concurrency, one pool process per core); the clock runs from its "ready" line until
every letter is recorded SENT.

    .venv/bin/python -m bench.sending      (BENCH_LETTERS=2000 letters by default)
"""

import email.message
import os
import smtplib
import time
from email.utils import formataddr

import redis

from bench.report import Comparison, record
from bench.stack import (
    REDIS_URL,
    SENDING_SMTP_PORT,
    Site,
    celery_worker,
    database_of_its_own,
    smtp_sink,
    sql,
    use_django,
)

LETTERS = int(os.environ.get("BENCH_LETTERS", "2000"))
TARGET_RATIO = 0.50
LONGEST_WAIT_SECONDS = 300


def main() -> None:
    site = Site(database="takeback_bench_sending", web_port=0, smtp_port=SENDING_SMTP_PORT)
    print(f"sending: {LETTERS} letters, Celery worker + Redis + aiosmtpd on 127.0.0.1:{site.smtp_port}", flush=True)
    with database_of_its_own(site):
        use_django(site)
        started = time.monotonic()
        queue_letters(site, count=LETTERS)
        print(f"{'':22}{LETTERS} requests submitted and confirmed in {time.monotonic() - started:.1f} s", flush=True)
        with smtp_sink(site):
            raw_before = send_raw(site, count=LETTERS)
            with celery_worker(site) as (_, ready_at):
                while _count_sent(site) < LETTERS:
                    if time.monotonic() - ready_at > LONGEST_WAIT_SECONDS:
                        raise SystemExit(
                            f"sending: only {_count_sent(site)} of {LETTERS} sent after {LONGEST_WAIT_SECONDS} s"
                        )
                    time.sleep(0.02)
                worker_seconds = time.monotonic() - ready_at
                tasks_run = (site.var_dir / "worker.log").read_text().count(" succeeded in ")
            # The raw loop before and after the worker, so a change in the machine's load during
            # the run weighs on the baseline as on the worker.
            raw_after = send_raw(site, count=LETTERS)
        attempts, failed = sql(
            site,
            "SELECT coalesce(sum(attempts), 0), count(*) FILTER (WHERE status <> 'sent') FROM requests_app_datarequest",
        )[0]
    raw_rate = (raw_before + raw_after) / 2
    record(
        Comparison(
            bench="sending",
            case=f"{LETTERS} letters",
            unit="letters/s",
            measured=LETTERS / worker_seconds,
            baseline_name="raw smtplib loop",
            baseline=raw_rate,
            target_ratio=TARGET_RATIO,
            detail=(
                f"worker: {worker_seconds:.1f} s, {tasks_run} tasks run, {attempts} send attempts, {failed} not sent; "
                f"raw smtplib: {raw_before:.0f} and {raw_after:.0f} messages/s"
            ),
        )
    )


def queue_letters(site: Site, *, count: int) -> None:
    """Submit and confirm `count` requests through the services, leaving `count` letter jobs queued."""
    # Imported here: Django is configured by main() first.
    from campaign.models import Campaign, Target
    from requests_app.letters import Supporter
    from requests_app.submissions import Submission, confirm_request, submit_request

    Target.objects.update(letters_per_minute=10_000_000)
    campaign = Campaign.objects.get(slug="clearview")
    requests = []
    for number in range(count):
        result = submit_request(
            campaign=campaign,
            submission=Submission(
                supporter=Supporter(
                    first_name="Bench",
                    last_name=f"Supporter{'abcdefghij'[number % 10]}",
                    email=f"bench-letter-{number}@example.org",
                    jurisdiction=("CA-ON", "FR", "GB", "US-CA")[number % 4],
                    kind="access_and_deletion",
                ),
                language="en",
                wants_updates=False,
                wants_reminder=False,
                consent_text="Send this request in my name.",
            ),
        )
        requests.append(result.request)
    # Nobody reads the confirmation emails here: their jobs go, only the letters' stay queued.
    redis.Redis.from_url(REDIS_URL).delete(site.queue)
    for request in requests:
        confirm_request(request)


def send_raw(site: Site, *, count: int) -> float:
    """The sink's own limit: one connection, one message after another, as fast as smtplib goes.
    Messages like the letters: the same headers, a letter's subject and body."""
    subject, body = sql(site, "SELECT letter_subject, letter_body FROM requests_app_datarequest LIMIT 1")[0]
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", site.smtp_port) as connection:
        for number in range(count):
            message = email.message.EmailMessage()
            message["Subject"] = subject
            message["From"] = formataddr(("Bench Supporter via Takeback", "requests@takeback.localhost"))
            message["To"] = "privacy-requests@clearview.ai"
            message["Cc"] = message["Reply-To"] = f"bench-raw-{number}@example.org"
            message["Message-ID"] = f"<bench-raw-{number}@takeback.localhost>"
            message.set_content(body)
            connection.send_message(message)
    return count / (time.perf_counter() - started)


def _count_sent(site: Site) -> int:
    return sql(site, "SELECT count(*) FROM requests_app_datarequest WHERE status = 'sent'")[0][0]


if __name__ == "__main__":
    main()
