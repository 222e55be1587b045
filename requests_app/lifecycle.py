"""Moving a request between states: the one place that changes `status`, and keeps the tallies true."""

from django.db import transaction
from django.utils import timezone

from campaign.tallies import OUTCOME_PREFIX, shift_tally
from requests_app.models import OUTCOME_TRANSITIONS, TRANSITIONS, DataRequest, Outcome, Status


class TransitionNotAllowed(ValueError):
    pass


def _shift_request_tally(request: DataRequest, *, source: str | None, target: str) -> None:
    shift_tally(
        campaign_id=request.campaign_id,
        day=request.created_at.date(),
        law=request.law,
        jurisdiction=request.jurisdiction,
        language=request.language,
        target_id=request.target_id,
        counts_supporter=request.counts_supporter,
        source=source,
        target=target,
        shard_key=request.pk,
    )


def record_new_request(request: DataRequest) -> None:
    """Count a request just inserted, inside the same transaction."""
    _shift_request_tally(request, source=None, target=request.status)


def change_status(request: DataRequest, *, source: str, target: str, **fields) -> bool:
    """Move the request from `source` to `target` if it is still in `source`.

    The conditional UPDATE is the claim: when two workers race, exactly one sees True. Extra
    `fields` are written in the same statement.
    """
    if target not in TRANSITIONS[source]:
        raise TransitionNotAllowed(f"{source} -> {target}")
    now = timezone.now()
    with transaction.atomic():
        moved = DataRequest.objects.filter(pk=request.pk, status=source).update(
            status=target, status_changed_at=now, **fields
        )
        if moved:
            _shift_request_tally(request, source=source, target=target)
    if moved:
        # The caller's instance now says what the row says. Values are copied; only expressions
        # (attempts + 1) are read back, and the related objects fetched with the request (its
        # campaign, its target) stay loaded.
        request.status, request.status_changed_at = target, now
        computed = [name for name, value in fields.items() if hasattr(value, "resolve_expression")]
        for name, value in fields.items():
            if name not in computed:
                setattr(request, name, value)
        if computed:
            request.refresh_from_db(fields=computed)
    return bool(moved)


def delete_request(request: DataRequest, *, source: str, reason: Status) -> bool:
    """Delete a request that never went out; the tallies keep it as `reason` (expired, withdrawn)."""
    if reason not in TRANSITIONS[source]:
        raise TransitionNotAllowed(f"{source} -> {reason}")
    with transaction.atomic():
        deleted, _ = DataRequest.objects.filter(pk=request.pk, status=source).delete()
        if deleted:
            _shift_request_tally(request, source=source, target=reason)
    return bool(deleted)


def outcome_tally_status(outcome: str, *, answered_in_time: bool | None) -> str | None:
    """The Tally `status` that counts a request's outcome, e.g. "outcome:answered:in_time".

    "Awaiting" is not counted: it is the letters that went out less the outcomes."""
    if outcome == Outcome.AWAITING:
        return None
    if outcome in (Outcome.ANSWERED, Outcome.REFUSED):
        return f"{OUTCOME_PREFIX}{outcome}:{'in_time' if answered_in_time else 'late'}"
    return f"{OUTCOME_PREFIX}{outcome}"


def change_outcome(
    request: DataRequest, *, source: str, target: str, answered_in_time: bool | None = None, **fields
) -> bool:
    """Move the request's outcome from `source` to `target` if it is still there, and its count
    with it. `answered_in_time` is kept for an answer or a refusal, and cleared otherwise."""
    if target not in OUTCOME_TRANSITIONS[source]:
        raise TransitionNotAllowed(f"outcome {source} -> {target}")
    if target not in (Outcome.ANSWERED, Outcome.REFUSED):
        answered_in_time = None
    with transaction.atomic():
        moved = DataRequest.objects.filter(
            pk=request.pk, outcome=source, answered_in_time=request.answered_in_time
        ).update(outcome=target, answered_in_time=answered_in_time, **fields)
        if moved:
            _shift_request_tally(
                request,
                source=outcome_tally_status(source, answered_in_time=request.answered_in_time),
                target=outcome_tally_status(target, answered_in_time=answered_in_time),
            )
    if moved:
        request.refresh_from_db()
    return bool(moved)
