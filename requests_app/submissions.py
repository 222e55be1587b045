"""A supporter's request from the form to the queue: submit, confirm, resend the confirmation."""

from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation

from campaign.content_cache import cached_content
from campaign.models import Campaign, PrivacyPolicy, Subscriber
from requests_app.consent import CAMPAIGN_UPDATES
from requests_app.laws import law_for_jurisdiction
from requests_app.letters import Supporter, current_template, render_letter
from requests_app.lifecycle import change_status, record_new_request
from requests_app.models import DataRequest, LetterTemplate, Status
from requests_app.queueing import SEND_ALREADY_SUBMITTED, SEND_CONFIRMATION, SEND_LETTER, enqueue_after_commit
from requests_app.supporter_emails import ask_again_for_confirmation


@dataclass(frozen=True)
class Submission:
    supporter: Supporter
    language: str
    wants_updates: bool
    wants_reminder: bool
    consent_text: str


@dataclass(frozen=True)
class SubmitResult:
    request: DataRequest
    created: bool


def submit_request(*, campaign: Campaign, submission: Submission) -> SubmitResult:
    """Save a new request, or, when this address already has one for the campaign, email the
    supporter again rather than make a second. Either way the page says "check your inbox", so
    the form never reveals whether an address took part."""
    existing = _existing_request(campaign=campaign, email=submission.supporter.email)
    if existing is not None:
        _remind_of_existing(existing)
        return SubmitResult(request=existing, created=False)
    try:
        with transaction.atomic():
            request = _create_request(campaign=campaign, submission=submission)
    except IntegrityError:
        # The same address submitted twice at the same moment: the other submission won.
        existing = _existing_request(campaign=campaign, email=submission.supporter.email)
        _remind_of_existing(existing)
        return SubmitResult(request=existing, created=False)
    return SubmitResult(request=request, created=True)


def _existing_request(*, campaign: Campaign, email: str) -> DataRequest | None:
    # Written to match the unique index on (lower(email), campaign) where email <> '', so it is an
    # index lookup rather than a scan of every request. No ORDER BY (.first() would add one): with
    # it, PostgreSQL may walk the whole table in id order instead. Only the id at first: nearly
    # every submission is a new address, and the row is worth fetching only when there is one.
    request_ids = list(
        DataRequest.objects.alias(email_lower=Lower("email"))
        .filter(campaign=campaign, email_lower=email.lower())
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    return DataRequest.objects.get(pk=request_ids[0]) if request_ids else None


def _remind_of_existing(request: DataRequest) -> None:
    if request.status == Status.AWAITING_CONFIRMATION:
        ask_again_for_confirmation(request.pk)
    else:
        enqueue_after_commit(SEND_ALREADY_SUBMITTED, request.pk)


def _create_request(*, campaign: Campaign, submission: Submission) -> DataRequest:
    supporter = submission.supporter
    law = law_for_jurisdiction(supporter.jurisdiction)
    template = _current_template(campaign=campaign, law=law, language=submission.language)
    letter = render_letter(template=template, supporter=supporter, target=campaign.target)
    now = timezone.now()
    request = DataRequest.objects.create(
        campaign=campaign,
        target=campaign.target,
        template=template,
        first_name=supporter.first_name,
        last_name=supporter.last_name,
        email=supporter.email,
        jurisdiction=supporter.jurisdiction,
        law=law,
        # The supporter's language, for their emails and pages; the letter's own is template.language
        # (English where no translation of that law's letter exists yet).
        language=submission.language,
        kind=supporter.kind,
        wants_updates=submission.wants_updates,
        wants_reminder=submission.wants_reminder,
        letter_subject=letter.subject,
        letter_body=letter.body,
        privacy_policy=cached_content("privacy_policy", PrivacyPolicy.current),
        consent_text=submission.consent_text,
        consented_at=now,
        created_at=now,
        status_changed_at=now,
    )
    record_new_request(request)
    if campaign.requires_confirmation:
        enqueue_after_commit(SEND_CONFIRMATION, request.pk)
    else:
        _queue_letter(request)
    return request


def _current_template(*, campaign: Campaign, law: str, language: str) -> LetterTemplate:
    return cached_content(
        f"letter_template:{campaign.pk}:{law}:{language}",
        partial(current_template, campaign=campaign, law=law, language=language),
    )


def confirm_request(request: DataRequest) -> bool:
    """The supporter pressed "send": queue the letter. False when it was already confirmed."""
    with transaction.atomic():
        return _queue_letter(request)


def _queue_letter(request: DataRequest) -> bool:
    now = timezone.now()
    # attempts and failure_reason counted the confirmation emails until now; the letter starts afresh.
    if not change_status(
        request,
        source=Status.AWAITING_CONFIRMATION,
        target=Status.QUEUED,
        confirmed_at=now,
        not_before=now,
        attempts=0,
        failure_reason="",
    ):
        return False
    if request.wants_updates:
        _subscribe(request)
    enqueue_after_commit(SEND_LETTER, request.pk)
    return True


def _subscribe(request: DataRequest) -> None:
    with translation.override(request.language):
        consent_text = str(CAMPAIGN_UPDATES)
    Subscriber.objects.get_or_create(
        campaign=request.campaign,
        email=request.email,
        defaults={
            "first_name": request.first_name,
            "last_name": request.last_name,
            "language": request.language,
            "consented_at": request.consented_at,
            "consent_text": consent_text,
            "privacy_policy": request.privacy_policy,
        },
    )


def resend_confirmation(*, campaign: Campaign, email: str) -> None:
    """Send the link again if this address has a request awaiting confirmation; otherwise nothing,
    and the page says the same either way. It also takes the same time either way: one lookup,
    one conditional UPDATE and one job, which the worker drops unless a confirmation is due
    (the job for no request names id 0, which no row has)."""
    request_ids = list(
        DataRequest.objects.alias(email_lower=Lower("email"))
        .filter(campaign=campaign, email_lower=email.lower())
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    ask_again_for_confirmation(request_ids[0] if request_ids else 0)
