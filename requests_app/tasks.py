"""Celery tasks: each takes a request id, re-fetches, and calls one service."""

from celery import shared_task

from requests_app.followup import run_follow_up
from requests_app.reminders import send_reminder
from requests_app.retention import apply_retention
from requests_app.sending import send_letter_and_schedule_next
from requests_app.supporter_emails import send_already_submitted, send_confirmation, send_first_confirmation
from requests_app.sweeping import sweep_requests


@shared_task
def send_letter_task(request_id: int) -> None:
    # send_letter re-fetches and claims the row; one already sent or handled is left alone.
    send_letter_and_schedule_next(request_id=request_id)


@shared_task
def send_confirmation_email_task(request_id: int) -> None:
    # A failed attempt schedules the next itself, a bounded number of times.
    send_confirmation(request_id=request_id)


@shared_task
def send_first_confirmation_task(request_id: int) -> None:
    # send_first_confirmation claims the row; a link already sent, or a request gone, is skipped.
    send_first_confirmation(request_id=request_id)


@shared_task(bind=True)
def send_already_submitted_email_task(self, request_id: int) -> None:
    wait = send_already_submitted(request_id=request_id, attempt=self.request.retries + 1)
    if wait is not None:
        # send_already_submitted counts the attempts and stops at the last one.
        raise self.retry(countdown=wait, max_retries=None)


@shared_task
def sweep_requests_task() -> None:
    sweep_requests()


@shared_task
def follow_up_task() -> None:
    run_follow_up()


@shared_task
def send_reminder_task(request_id: int) -> None:
    # send_reminder re-fetches and claims the row; a reminder already sent, or no longer due, is skipped.
    send_reminder(request_id=request_id)


@shared_task
def apply_retention_task() -> None:
    apply_retention()
