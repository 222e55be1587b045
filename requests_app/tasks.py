"""Celery tasks: each takes a request id, re-fetches, and calls one service."""

from celery import shared_task
from django.utils import timezone

from requests_app import emails
from requests_app.confirmations import send_first_confirmation
from requests_app.followup import run_follow_up
from requests_app.models import DataRequest, Status
from requests_app.reminders import send_reminder
from requests_app.retention import apply_retention
from requests_app.sending import send_letter_and_schedule_next
from requests_app.sweeping import sweep_requests


@shared_task
def send_letter_task(request_id: int) -> None:
    # send_letter re-fetches and claims the row; one already sent or handled is left alone.
    send_letter_and_schedule_next(request_id=request_id)


@shared_task
def send_confirmation_email_task(request_id: int) -> None:
    request = DataRequest.objects.select_related("campaign", "target").filter(pk=request_id).first()
    # Gone (deleted) or already confirmed: nothing to confirm.
    if request is None or request.status != Status.AWAITING_CONFIRMATION:
        return
    emails.send_confirmation_email(request)
    # The link confirms every letter of the submission: none of them expires before it.
    DataRequest.objects.filter(submission_id=request.submission_id).update(confirmation_sent_at=timezone.now())


@shared_task
def send_first_confirmation_task(request_id: int) -> None:
    # send_first_confirmation claims the row; a link already sent, or a request gone, is skipped.
    send_first_confirmation(request_id=request_id)


@shared_task
def send_already_submitted_email_task(request_id: int) -> None:
    request = DataRequest.objects.select_related("campaign").filter(pk=request_id).first()
    # Erased or deleted since: there is no address to write to.
    if request is None or not request.email:
        return
    emails.send_already_submitted_email(request)


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
