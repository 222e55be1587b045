import secrets
import uuid

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaign.models import Campaign, PrivacyPolicy, Target
from requests_app.laws import Law


class Status(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("awaiting confirmation")
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    DELIVERED = "delivered", _("delivered")
    BOUNCED = "bounced", _("bounced")
    COMPLAINED = "complained", _("marked as spam")
    FAILED = "failed", _("failed")
    NEEDS_REVIEW = "needs_review", _("needs review")
    # These two are never stored on a request (its row is deleted); only the tallies keep them.
    EXPIRED = "expired", _("expired unconfirmed")
    WITHDRAWN = "withdrawn", _("withdrawn before sending")


# The only moves a request may make; lifecycle.change_status refuses any other.
TRANSITIONS: dict[str, set[str]] = {
    Status.AWAITING_CONFIRMATION: {Status.QUEUED, Status.EXPIRED, Status.WITHDRAWN},
    Status.QUEUED: {Status.SENDING, Status.WITHDRAWN},
    # SENDING -> QUEUED is a transient failure waiting for its retry.
    Status.SENDING: {Status.SENT, Status.QUEUED, Status.FAILED, Status.NEEDS_REVIEW},
    Status.SENT: {Status.DELIVERED, Status.BOUNCED, Status.COMPLAINED},
    Status.DELIVERED: {Status.BOUNCED, Status.COMPLAINED},
    Status.BOUNCED: set(),
    Status.COMPLAINED: set(),
    Status.FAILED: {Status.QUEUED, Status.WITHDRAWN},
    # An admin decides: it went out after all, or it is safe to send (same Message-ID), or give up.
    Status.NEEDS_REVIEW: {Status.SENT, Status.QUEUED, Status.FAILED},
}

# States in which a letter has left for the target; a bounce takes a request off this count.
LETTER_WENT_OUT = {Status.SENT, Status.DELIVERED, Status.COMPLAINED}
CONFIRMED = {Status.QUEUED, Status.SENDING, Status.FAILED, Status.NEEDS_REVIEW, Status.BOUNCED} | LETTER_WENT_OUT


class Outcome(models.TextChoices):
    """What the target did, as the supporter reports it (or a tracked reply shows)."""

    AWAITING = "awaiting", _("awaiting an answer")
    ANSWERED = "answered", _("answered")
    EXTENDED = "extended", _("extended the deadline")
    REFUSED = "refused", _("refused")
    NO_ANSWER = "no_answer", _("no answer by the deadline")
    VERIFICATION = "verification", _("asked you to verify your identity")


# The only moves an outcome may make; lifecycle.change_outcome refuses any other. The later states
# are not all final: a reply we detected may turn out to be a refusal or an extension notice, an
# answer may come after the deadline, and "no answer" is set by the clock before anyone is asked.
# A request for identity is not an answer: the deadline still runs (or, where the law says so,
# starts again), and the target may then answer, extend, refuse or stay silent.
OUTCOME_TRANSITIONS: dict[str, set[str]] = {
    Outcome.AWAITING: {Outcome.ANSWERED, Outcome.EXTENDED, Outcome.REFUSED, Outcome.NO_ANSWER, Outcome.VERIFICATION},
    Outcome.EXTENDED: {Outcome.ANSWERED, Outcome.REFUSED, Outcome.NO_ANSWER, Outcome.VERIFICATION},
    Outcome.NO_ANSWER: {Outcome.ANSWERED, Outcome.REFUSED, Outcome.EXTENDED, Outcome.VERIFICATION},
    Outcome.VERIFICATION: {Outcome.ANSWERED, Outcome.REFUSED, Outcome.EXTENDED, Outcome.NO_ANSWER},
    # A reply we detected may turn out to be a request for identity, not an answer.
    Outcome.ANSWERED: {Outcome.REFUSED, Outcome.EXTENDED, Outcome.VERIFICATION},
    Outcome.REFUSED: {Outcome.ANSWERED},
}


class RequestKind(models.TextChoices):
    ACCESS_AND_DELETION = "access_and_deletion", _("Access and deletion (recommended)")
    ACCESS = "access", _("Access only: ask what they hold about me")
    DELETION = "deletion", _("Deletion only: ask them to delete what they hold")


class LetterTemplate(models.Model):
    """The letter for one (campaign, law, language). Saving a change makes a new version."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="letter_templates")
    law = models.CharField(max_length=20, choices=Law.choices)
    language = models.CharField(max_length=5, choices=[("en", "English"), ("fr", "Français")])
    version = models.PositiveIntegerField(default=1, editable=False)
    # The template's source: its {% if %} branches make it longer than the subject it renders.
    subject = models.CharField(max_length=600)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "law", "language", "version"], name="letter_template_version_unique"
            )
        ]
        ordering = ["campaign", "law", "language", "-version"]

    def __str__(self):
        return f"{self.campaign} {self.law} {self.language} v{self.version}"


# Lower case and no look-alike characters: mail systems may change the case of a local part, and
# a person may have to read the address aloud or type it.
REPLY_TOKEN_ALPHABET = "abcdefghkmnprstuvwxyz23456789"  # noqa: S105 (an alphabet, not a password)
REPLY_TOKEN_LENGTH = 20


def new_reply_token() -> str:
    """The secret part of a request's reply address (about 97 bits: not guessable)."""
    return "".join(secrets.choice(REPLY_TOKEN_ALPHABET) for _ in range(REPLY_TOKEN_LENGTH))


class DataRequest(models.Model):
    """One letter to one target. A supporter's form makes one per target of the campaign, sharing a
    `submission_id`: one confirmation, one status page, one deletion for all of them."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="requests")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="requests")
    submission_id = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    # The first letter of its submission: the supporters' counts follow this one (its Tally rows
    # carry the flag), so a supporter is counted once whatever the number of targets.
    counts_supporter = models.BooleanField(default=True, editable=False)
    template = models.ForeignKey(LetterTemplate, on_delete=models.PROTECT, related_name="requests")

    # Personal data: erased by retention or on the supporter's request.
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    letter_subject = models.CharField(max_length=400)
    letter_body = models.TextField()

    # Not personal on their own; kept after erasure for the counts and the follow-up.
    jurisdiction = models.CharField(max_length=10)
    law = models.CharField(max_length=20, choices=Law.choices)
    language = models.CharField(max_length=5)
    kind = models.CharField(max_length=30, choices=RequestKind.choices, default=RequestKind.ACCESS_AND_DELETION)
    wants_updates = models.BooleanField(default=False)
    wants_reminder = models.BooleanField(default=False)
    # The campaign link's `?source=` code (a newsletter, an embed partner): not personal, counted.
    source = models.CharField(max_length=40, blank=True, default="", db_default="")

    # Consent record.
    privacy_policy = models.ForeignKey(PrivacyPolicy, on_delete=models.PROTECT)
    consent_text = models.TextField()
    consented_at = models.DateTimeField()

    status = models.CharField(max_length=30, choices=Status.choices, default=Status.AWAITING_CONFIRMATION)
    status_changed_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    # Sending.
    not_before = models.DateTimeField(null=True, blank=True, help_text=_("Not sent before this time (drip, backoff)."))
    send_slot = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failure_reason = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    sent_to = models.EmailField(blank=True)
    # The letter's other addresses as they went out (From, Cc, Reply-To headers), for the evidence
    # pack: the settings that made them may change later. Personal (the supporter's name and
    # address): erased with the fields above. Empty on letters sent before they were recorded.
    # Text, not a bounded CharField: a length error after the letter left would lose its record.
    sent_from = models.TextField(blank=True, default="", db_default="")
    sent_cc = models.TextField(blank=True, default="", db_default="")
    sent_reply_to = models.TextField(blank=True, default="", db_default="")
    # The Subject header as sent: with the "[TEST]" prefix only if the campaign was in test mode then.
    sent_subject = models.TextField(blank=True, default="", db_default="")
    # Its Message-ID as sent (the domain in it follows DEFAULT_FROM_EMAIL, which may change).
    sent_message_id = models.TextField(blank=True, default="", db_default="")
    delivered_at = models.DateTimeField(null=True, blank=True)

    # Follow-up, after the letter went out.
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.AWAITING)
    outcome_at = models.DateTimeField(null=True, blank=True)
    # Whether the answer (or refusal) came by the deadline that applied; empty while there is none.
    answered_in_time = models.BooleanField(null=True, blank=True)
    follow_up_due_on = models.DateField(null=True, blank=True, db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    reply_received_at = models.DateTimeField(null=True, blank=True)
    # When the target asked the supporter to verify their identity, and when the supporter answered
    # (where the law starts the period again on receipt of that information: UK GDPR Art. 12A).
    identity_requested_on = models.DateField(null=True, blank=True)
    identity_answered_on = models.DateField(null=True, blank=True)
    # The day the supporter sent the step the law puts before the regulator (the UK's complaint to
    # the controller under DPA 2018 s.164A, a US state's or Washington's appeal), as they recorded
    # it; the regulator's step is counted from it (complaints.py). Empty until they record it.
    company_step_taken_on = models.DateField(null=True, blank=True)
    # The request's own reply address is reply+<reply_token>@<reply domain> (replies.reply_address):
    # random, so it reveals nothing and cannot be guessed; kept after erasure so late mail to it is
    # still recognised. Empty only on rows written by raw SQL (the benchmarks' fill).
    # Null, not blank, where missing: a unique index allows many nulls but one empty string.
    reply_token = models.CharField(  # noqa: DJ001
        max_length=40, unique=True, null=True, default=new_reply_token, editable=False
    )
    # The one email that tells the supporter their letter failed for good (claimed before sending).
    failure_notice_sent_at = models.DateTimeField(null=True, blank=True)

    # Retention: when the personal fields above are erased (the row and the tallies stay).
    erase_after = models.DateTimeField(null=True, blank=True)
    personal_data_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # One live letter per address, campaign and target; erased rows no longer hold an address.
            # (submissions.submit_request looks across all targets: one submission per address.)
            models.UniqueConstraint(
                Lower("email"),
                "campaign",
                "target",
                condition=~models.Q(email=""),
                name="request_one_per_email_per_target",
            )
        ]
        indexes = [
            models.Index(fields=["status", "not_before"], name="request_status_due"),
            models.Index(fields=["status", "status_changed_at"], name="request_status_age"),
            # Only requests still holding personal data: at scale nearly every row has been erased,
            # and the retention job would otherwise walk past all of them to find the few due.
            models.Index(
                fields=["erase_after"],
                condition=models.Q(personal_data_erased_at__isnull=True),
                name="request_erasure_due",
            ),
        ]

    def __str__(self):
        return f"request #{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class TargetFinding(models.Model):
    """A regulator's or a court's finding against a target, quoted in the letters and complaints of
    supporters where it applies. Campaign data, seeded with the campaign."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="findings")
    # A law (e.g. "pipeda") or a jurisdiction code (e.g. "CA-QC", "FR", "US-IL").
    applies_to = models.CharField(max_length=20)
    language = models.CharField(max_length=5, choices=[("en", "English"), ("fr", "Français")])
    text = models.TextField()
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["target", "position", "pk"]

    def __str__(self):
        return f"{self.target} finding for {self.applies_to} ({self.language})"


class DeliveryEvent(models.Model):
    """What the email provider told us about a sent letter. No addresses, no message content."""

    request = models.ForeignKey(DataRequest, on_delete=models.CASCADE, related_name="delivery_events")
    event_type = models.CharField(max_length=30)
    event_id = models.CharField(max_length=200, blank=True)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event_id"], condition=~models.Q(event_id=""), name="delivery_event_once")
        ]

    def __str__(self):
        return f"{self.event_type} for request #{self.request_id}"


class EmailSuppression(models.Model):
    """An address that marked one of our emails as spam: nothing more is sent to it. Keyed by a
    keyed hash of the address (suppressions.address_hash), so the address itself is not kept."""

    address_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(max_length=30)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"suppression #{self.pk} ({self.reason})"
