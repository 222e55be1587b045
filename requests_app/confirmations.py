"""The first confirmation email of a submission, sent once however often it is queued."""

from django.utils import timezone

from requests_app import emails
from requests_app.models import DataRequest, Status


def send_first_confirmation(*, request_id: int) -> bool:
    """Send a new request's confirmation link once. The conditional UPDATE on confirmation_sent_at
    is the claim: the job queued at submission and every copy the sweeper queued (two sweepers, a
    worker that was down while they ran) send one email between them. A failure releases the
    claim, so the sweeper tries again, as it did before any was sent."""
    now = timezone.now()
    unsent = DataRequest.objects.filter(
        pk=request_id, status=Status.AWAITING_CONFIRMATION, confirmation_sent_at__isnull=True
    )
    if not unsent.update(confirmation_sent_at=now):
        return False
    request = DataRequest.objects.select_related("campaign", "target").get(pk=request_id)
    try:
        emails.send_confirmation_email(request)
    except Exception:
        DataRequest.objects.filter(pk=request_id, confirmation_sent_at=now).update(confirmation_sent_at=None)
        raise
    # The link confirms every letter of the submission: none of them expires before it.
    DataRequest.objects.filter(submission_id=request.submission_id).update(confirmation_sent_at=now)
    return True
