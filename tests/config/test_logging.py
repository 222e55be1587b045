"""No supporter's address or name in the logs, at any level, in the web process or the worker."""

import io
import logging
import re

import pytest
from django.urls import reverse

from config.logfilters import MaskPersonalData, mask_handlers_of, mask_personal_data
from requests_app import tokens
from requests_app.models import DataRequest, Status
from tests.conftest import start_worker, stop_worker, wait_until, worker_environment

FIRST, LAST = "Zéphyrine", "Quackenbush"
EMAIL = "zephyrine.quackenbush@example.org"
# What would give the supporter away, however it was written.
GIVEAWAYS = [FIRST, LAST, "zephyrine", "quackenbush", "example.org"]


@pytest.mark.parametrize(
    ("logged", "shown"),
    [
        ("RCPT TO:<zephyrine.quackenbush@example.org>", "RCPT TO:<<email>>"),
        ("refused {'Zephyrine.Q@Example.ORG': (550, b'no')}", "refused <email>': (550, b'no')}"),
        ("email=zephyrine%40example.org&x=1", "<email>"),
        ('From: "Zéphyrine Quackenbush via Takeback" <requests@x.org>', 'From: "<name> via Takeback" <<email>>'),
        ("Letter for request 42 sent", "Letter for request 42 sent"),
        ('To: "zephyrine quackenbush"@example.org', "To: <email>"),
        ("Cc: %22zephyrine%22%40example.org", "Cc: <email>"),
        ("RCPT TO:<zephyrine@[192.0.2.7]>", "RCPT TO:<<email>>"),
        (
            "From: Zéphyrine Marie-Anne Louise de la Tour Quackenbush via Takeback <a@x.org>",
            "From: <name> via Takeback <<email>>",
        ),
        # The worker's banner names the broker; it is no address.
        ("- ** transport:   redis://:**@127.0.0.1:6391/0", "- ** transport:   redis://:**@127.0.0.1:6391/0"),
        ("celery@worker-1 ready.", "celery@worker-1 ready."),
        (
            '"GET /en/r/status/MQ:1xXiQg:A5wNCsf7NSpj6-zNxITl0CHYpPjgjtYfrGW62rwS32Q/ HTTP/1.1" 200',
            '"GET /en/r/status/<token>/ HTTP/1.1" 200',
        ),
        ("Not Found: /fr/unsubscribe/bm90LWEtdG9rZW4/", "Not Found: /fr/unsubscribe/<token>/"),
        (
            "GET /embed/clearview/thanks/MQ%3A1xXiQg%3AA5wNCsf7NSpj6-zNxITl0CHYpPjgjtYfrGW62rwS32Q/",
            "GET /embed/clearview/thanks/<token>/",
        ),
    ],
)
def test_it_masks_addresses_and_display_names(logged, shown):
    assert mask_personal_data(logged) == shown


def test_the_root_handler_masks_messages_their_arguments_and_tracebacks():
    handler = next(h for h in logging.getLogger().handlers if any(isinstance(f, MaskPersonalData) for f in h.filters))
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logger = logging.getLogger("takeback.test")
        logger.warning("Could not write to %s", EMAIL)
        try:
            raise ValueError(f"bad header {FIRST} {LAST} via Takeback <{EMAIL}>")
        except ValueError:
            logger.exception("Sending failed")
    finally:
        handler.setStream(previous)

    written = stream.getvalue()
    assert "Could not write to <email>" in written
    assert "ValueError: <name> via Takeback <<email>>" in written
    assert not any(giveaway in written for giveaway in GIVEAWAYS)


def test_the_worker_masks_its_own_handlers_too():
    logger = logging.Logger("celery-like")
    logger.addHandler(logging.StreamHandler(io.StringIO()))

    mask_handlers_of(logger=logger, sender=None, loglevel=logging.DEBUG)
    mask_handlers_of(logger=logger, sender=None, loglevel=logging.DEBUG)

    assert [type(f) for f in logger.handlers[0].filters] == [MaskPersonalData]


@pytest.fixture
def debug_worker(transactional_db, smtp_sink):
    process = start_worker(worker_environment(smtp_port=smtp_sink.port), loglevel="DEBUG", keep_lines=None)
    yield process
    stop_worker(process)


def test_a_whole_journey_logged_at_debug_names_nobody(client, campaign, supporter_form, debug_worker, sink, caplog):
    caplog.set_level(logging.DEBUG)
    form = dict(supporter_form, first_name=FIRST, last_name=LAST, email=EMAIL, wants_updates="on")
    # The first confirmation email is refused with the address quoted, as mail servers do: the
    # worker logs the task's failure, traceback and all.
    sink.reply_next_with(f"550 5.7.1 <{EMAIL}> mailbox unavailable for {FIRST} {LAST} via Takeback")

    client.post("/en/c/clearview/", form)
    wait_until(lambda: "mailbox unavailable" in "".join(debug_worker.log), what="the refused confirmation")
    client.post("/en/c/clearview/resend/", {"email": EMAIL})
    confirmation = wait_until(lambda: sink.messages, what="the confirmation email")[0]
    link = re.search(r"http://testserver(\S+/r/confirm/\S+/)", confirmation.get_content()).group(1)
    client.get(link)
    client.post(link)
    wait_until(lambda: DataRequest.objects.get().status == Status.SENT, what="the letter to be sent")
    token = tokens.make_token(DataRequest.objects.get(), purpose=tokens.STATUS)
    client.get(reverse("requests_app:status", kwargs={"token": token}))
    client.post(reverse("requests_app:delete", kwargs={"token": token}))

    # The letter did go out in the supporter's name, so the names were there to leak.
    letter = sink.messages[1]
    assert letter["From"].addresses[0].display_name == f"{FIRST} {LAST} via Takeback"
    web_logs = "\n".join(
        record.getMessage() + (record.exc_text or "")
        for record in caplog.records
        # The SMTP sink stands for the receiving mail servers, outside the site.
        if not record.name.startswith("mail.log")
    )
    worker_logs = "".join(debug_worker.log)
    assert "DEBUG" in worker_logs and "Letter for request" in worker_logs
    assert "SMTPDataError" in worker_logs and "5.7.1 <<email>> mailbox unavailable" in worker_logs
    assert "personal data erased" in web_logs
    for giveaway in GIVEAWAYS:
        assert giveaway.lower() not in web_logs.lower(), giveaway
        assert giveaway.lower() not in worker_logs.lower(), giveaway
