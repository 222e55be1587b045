"""A supporter's request from the form to the queue: submit, confirm, resend the confirmation.

One form makes one submission: a letter (a DataRequest) to each of the campaign's targets, sharing a
`submission_id`. The supporter gets one confirmation link, confirms them all with one button, and
follows them on one status page; each letter then lives on its own (drip, delivery, deadline).
"""

import datetime
import uuid
from dataclasses import dataclass
from functools import partial

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation

from campaign.content_cache import cached_content
from campaign.models import Campaign, PrivacyPolicy, Subscriber, Target
from requests_app.consent import CAMPAIGN_UPDATES
from requests_app.laws import law_for_jurisdiction
from requests_app.letters import Supporter, current_template, render_letter
from requests_app.lifecycle import change_status, record_new_request
from requests_app.models import DataRequest, LetterTemplate, Status
from requests_app.queueing import (
    SEND_ALREADY_SUBMITTED,
    SEND_CONFIRMATION,
    SEND_FIRST_CONFIRMATION,
    SEND_LETTER,
    enqueue_after_commit,
)


@dataclass(frozen=True)
class Submission:
    supporter: Supporter
    language: str
    wants_updates: bool
    wants_reminder: bool
    consent_text: str
    # The campaign link's `?source=` code, already checked (forms.clean_source_code); "" for none.
    source: str = ""


@dataclass(frozen=True)
class SubmitResult:
    # The submission's first letter: the one its confirmation email and links name.
    request: DataRequest
    created: bool


class CampaignWithoutTargets(ValueError):
    """An admin saved a campaign with no target: there is no one to write to."""


def submit_request(*, campaign: Campaign, submission: Submission) -> SubmitResult:
    """Save a new submission (a letter to each target), or, when this address already has one for
    the campaign, email the supporter again rather than make a second. Either way the page says
    "check your inbox", so the form never reveals whether an address took part."""
    existing = _existing_request(campaign=campaign, email=submission.supporter.email)
    if existing is not None:
        _remind_of_existing(existing)
        return SubmitResult(request=existing, created=False)
    try:
        with transaction.atomic():
            request = _create_submission(campaign=campaign, submission=submission)
    except IntegrityError:
        # The same address submitted twice at the same moment: the other submission won.
        existing = _existing_request(campaign=campaign, email=submission.supporter.email)
        _remind_of_existing(existing)
        return SubmitResult(request=existing, created=False)
    return SubmitResult(request=request, created=True)


def _existing_request(*, campaign: Campaign, email: str) -> DataRequest | None:
    """A letter of this address's submission to the campaign, whatever its target (its first when
    it is still there)."""
    # Written to match the unique index on (lower(email), campaign, target) where email <> '', so it
    # is an index lookup rather than a scan of every request. No ORDER BY (.first() would add one):
    # with it, PostgreSQL may walk the whole table in id order instead. Only ids at first: nearly
    # every submission is a new address, and a row is worth fetching only when there is one.
    found = list(
        DataRequest.objects.alias(email_lower=Lower("email"))
        .filter(campaign=campaign, email_lower=email.lower())
        .exclude(email="")
        .values_list("pk", "counts_supporter")
    )
    if not found:
        return None
    first = min(found, key=lambda row: (not row[1], row[0]))
    return DataRequest.objects.get(pk=first[0])


def submission_requests(request: DataRequest) -> list[DataRequest]:
    """Every letter of the request's submission, in the order of the campaign's targets when they
    were written (the first letter first)."""
    return list(
        DataRequest.objects.select_related("campaign", "target", "template")
        .filter(submission_id=request.submission_id)
        .order_by("-counts_supporter", "pk")
    )


def _remind_of_existing(request: DataRequest) -> None:
    if request.status == Status.AWAITING_CONFIRMATION:
        ask_again_for_confirmation(request.pk)
    else:
        enqueue_after_commit(SEND_ALREADY_SUBMITTED, request.pk)


def _create_submission(*, campaign: Campaign, submission: Submission) -> DataRequest:
    """A letter to each of the campaign's targets, in their order; returns the first."""
    targets = campaign.ordered_targets()
    if not targets:
        raise CampaignWithoutTargets(f"Campaign {campaign.slug} has no target.")
    submission_id = uuid.uuid4()
    now = timezone.now()
    requests = [
        _create_request(
            campaign=campaign,
            target=target,
            submission=submission,
            submission_id=submission_id,
            counts_supporter=position == 0,
            now=now,
        )
        for position, target in enumerate(targets)
    ]
    first = requests[0]
    if campaign.requires_confirmation:
        # One email, one link for the whole submission.
        enqueue_after_commit(SEND_FIRST_CONFIRMATION, first.pk)
    else:
        for request in requests:
            _queue_letter(request)
    return first


def _create_request(
    *,
    campaign: Campaign,
    target: Target,
    submission: Submission,
    submission_id: uuid.UUID,
    counts_supporter: bool,
    now: datetime.datetime,
) -> DataRequest:
    supporter = submission.supporter
    law = law_for_jurisdiction(supporter.jurisdiction)
    template = _current_template(campaign=campaign, law=law, language=submission.language)
    letter = render_letter(template=template, supporter=supporter, target=target)
    request = DataRequest.objects.create(
        campaign=campaign,
        target=target,
        submission_id=submission_id,
        counts_supporter=counts_supporter,
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
        source=submission.source,
        letter_subject=letter.subject,
        letter_body=letter.body,
        privacy_policy=cached_content("privacy_policy", PrivacyPolicy.current),
        consent_text=submission.consent_text,
        consented_at=now,
        created_at=now,
        status_changed_at=now,
    )
    record_new_request(request)
    return request


def _current_template(*, campaign: Campaign, law: str, language: str) -> LetterTemplate:
    return cached_content(
        f"letter_template:{campaign.pk}:{law}:{language}",
        partial(current_template, campaign=campaign, law=law, language=language),
    )


def confirm_request(request: DataRequest) -> bool:
    """The supporter pressed "send": queue every letter of the submission still awaiting
    confirmation. False when there was none left (already confirmed)."""
    with transaction.atomic():
        # The caller's instance is moved itself, so it says what its row says afterwards.
        letters = [request if letter.pk == request.pk else letter for letter in submission_requests(request)]
        queued = [_queue_letter(letter) for letter in letters]
    return any(queued)


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
    if request.wants_updates and request.counts_supporter:
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
    (the job for no request names id 0, which no row has). The confirmation is the submission's
    first letter's, as in _existing_request."""
    found = list(
        DataRequest.objects.alias(email_lower=Lower("email"))
        .filter(campaign=campaign, email_lower=email.lower())
        .exclude(email="")
        .values_list("pk", "counts_supporter")
    )
    ask_again_for_confirmation(min(found, key=lambda row: (not row[1], row[0]))[0] if found else 0)


def ask_again_for_confirmation(request_id: int) -> None:
    """The supporter asked for the link again: a fresh series of attempts, queued after commit.
    The same work whatever the request's state, so the answer's timing tells nothing."""
    DataRequest.objects.filter(pk=request_id, status=Status.AWAITING_CONFIRMATION).update(
        attempts=0, not_before=None, failure_reason=""
    )
    enqueue_after_commit(SEND_CONFIRMATION, request_id)
