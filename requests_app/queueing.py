"""Putting jobs on the Celery queue without ever failing a request the database already holds.

Tasks are named rather than imported, so services can queue work without importing the tasks
module that imports them.
"""

import logging
from functools import partial

from django.db import transaction
from kombu.exceptions import OperationalError

from config.celery import app

logger = logging.getLogger(__name__)

SEND_LETTER = "requests_app.tasks.send_letter_task"
SEND_CONFIRMATION = "requests_app.tasks.send_confirmation_email_task"
# A new request's first link: sent once however many copies of the job arrive (the sweeper's).
SEND_FIRST_CONFIRMATION = "requests_app.tasks.send_first_confirmation_task"
SEND_ALREADY_SUBMITTED = "requests_app.tasks.send_already_submitted_email_task"
SEND_REMINDER = "requests_app.tasks.send_reminder_task"


def enqueue_after_commit(task_name: str, request_id: int) -> None:
    # robust=True: a failing callback is logged and the response still goes out. The row is
    # committed by then, and the sweeper queues it again.
    transaction.on_commit(partial(publish, task_name, request_id), robust=True)


def publish(task_name: str, request_id: int, *, countdown: float | None = None) -> bool:
    try:
        app.send_task(task_name, args=[request_id], countdown=countdown)
    except (OperationalError, OSError) as error:
        logger.warning(
            "Broker unavailable; %s for request %s stays queued for the sweeper (%s)",
            task_name,
            request_id,
            type(error).__name__,
        )
        return False
    return True
