import re

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# What may stand in a frame-ancestors list: any origin, a scheme, or an origin with an optional
# wildcard subdomain and port. Anything else (quotes, semicolons, paths) could rewrite the policy.
EMBED_ORIGIN = re.compile(r"\*|https?:|https?://(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?")


def validate_embed_origins(value: str) -> None:
    invalid = [origin for origin in value.split() if not EMBED_ORIGIN.fullmatch(origin)]
    if invalid:
        raise ValidationError(
            _("Not an origin: %(origins)s. Write origins like https://partner.example.org, or * for any."),
            params={"origins": ", ".join(invalid)},
            code="embed_origin",
        )


class Target(models.Model):
    """The organisation that receives the letters. Its published addresses change: keep them editable."""

    name = models.CharField(_("organisation name"), max_length=200)
    privacy_email = models.EmailField(_("privacy email"))
    postal_address = models.TextField(_("postal address"))
    letters_per_minute = models.PositiveIntegerField(
        _("letters per minute"),
        default=30,
        help_text=_("At most this many letters a minute go to this inbox; a surge drains in order."),
    )
    # The drip: the earliest time the next letter to this target may go out.
    next_send_slot = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return self.name


class Localized:
    """English and French variants of a text field, stored as `<field>_en` and `<field>_fr`."""

    def localized(self, field: str) -> str:
        language = (get_language() or "en")[:2]
        return getattr(self, f"{field}_{language}", "") or getattr(self, f"{field}_en")


class Campaign(Localized, models.Model):
    slug = models.SlugField(unique=True)
    # One letter to each, in this order, for every supporter (CampaignTarget.position).
    targets = models.ManyToManyField(Target, through="CampaignTarget", related_name="campaigns")
    title_en = models.CharField(_("title (English)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    pitch_en = models.TextField(_("pitch (English)"))
    pitch_fr = models.TextField(_("pitch (French)"))
    sender_name = models.CharField(
        max_length=60, default="Takeback", help_text=_("Letters come from “First Last via” this name.")
    )
    goal = models.PositiveIntegerField(default=1000)
    milestones = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Further goals, comma-separated (e.g. 5000, 10000); the bar moves on when one is reached."),
    )
    opens_at = models.DateTimeField(default=timezone.now)
    closes_at = models.DateTimeField(null=True, blank=True)
    requires_confirmation = models.BooleanField(
        default=True, help_text=_("Send nothing until the supporter confirms their address.")
    )
    retention_days = models.PositiveIntegerField(
        default=90, help_text=_("Days after sending before the request's personal data is erased.")
    )
    test_mode = models.BooleanField(default=False, help_text=_("Send letters to the test address, marked [TEST]."))
    test_address = models.EmailField(blank=True)
    reply_tracking = models.BooleanField(
        default=False,
        help_text=_(
            "Count a reply to a letter's own reply address (its From, on the reply domain) as an answer: the "
            "request moves to answered. Replies are forwarded to the supporter and never kept, on or off."
        ),
    )
    reply_domain = models.CharField(
        max_length=200,
        blank=True,
        help_text=_(
            "Domain of each letter's own reply address (reply+…@domain), which letters come from and answers "
            "reach; empty for the sending address's domain. It needs DKIM, SPF and an MX to the inbound webhook."
        ),
    )
    embed_origins = models.CharField(
        max_length=500,
        default="*",
        help_text=_("Origins allowed to frame the embeds, space-separated; * for any."),
        validators=[validate_embed_origins],
    )
    # Sharing: what a link to the campaign shows on a social network, and what the share buttons say.
    share_text_en = models.CharField(
        _("share text (English)"),
        max_length=240,
        blank=True,
        help_text=_("What the share buttons put before the link; empty for the title."),
    )
    share_text_fr = models.CharField(_("share text (French)"), max_length=240, blank=True)
    image = models.FileField(
        _("image"),
        upload_to="campaigns/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
        help_text=_("Shown on the page and on social networks (PNG or JPEG, 1200×630 works everywhere)."),
    )
    image_alt_en = models.CharField(_("image description (English)"), max_length=300, blank=True)
    image_alt_fr = models.CharField(_("image description (French)"), max_length=300, blank=True)
    # The thank-you page's next step: a donation or another action.
    next_action_url = models.URLField(
        _("next action link"), blank=True, help_text=_("A donation page or another action.")
    )
    next_action_label_en = models.CharField(_("next action label (English)"), max_length=120, blank=True)
    next_action_label_fr = models.CharField(_("next action label (French)"), max_length=120, blank=True)

    def __str__(self):
        return self.slug

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def pitch(self) -> str:
        return self.localized("pitch")

    @property
    def share_text(self) -> str:
        return self.localized("share_text") or self.title

    @property
    def image_alt(self) -> str:
        return self.localized("image_alt")

    @property
    def next_action_label(self) -> str:
        return self.localized("next_action_label")

    def ordered_targets(self) -> list[Target]:
        """The targets in the admin's order. content_cache.campaign_or_404 prefetches them; elsewhere
        this is one query."""
        links = self.target_links.all()
        if "target_links" not in getattr(self, "_prefetched_objects_cache", {}):
            links = links.select_related("target")
        return [link.target for link in links]

    @property
    def target_names(self) -> str:
        """The organisations' names as pages and emails print them ("PimEyes", "PimEyes and Facefinder")."""
        return get_text_list([target.name for target in self.ordered_targets()], _("and"))

    def is_open(self, *, at=None) -> bool:
        """Between its dates, and with someone to write to (a campaign saved without a target
        shows its page without the form rather than failing the first supporter)."""
        at = at or timezone.now()
        return self.opens_at <= at and (self.closes_at is None or at < self.closes_at) and bool(self.ordered_targets())

    def frame_ancestors(self) -> list[str]:
        """Who may show the embeds in a frame. An admin's typo never widens it: invalid entries
        are dropped, and an empty list means no one."""
        origins = [origin for origin in self.embed_origins.split() if EMBED_ORIGIN.fullmatch(origin)]
        return origins or ["'none'"]


class CampaignTarget(models.Model):
    """A target of a campaign and its place among the campaign's letters. A target added later gets
    letters from new supporters only: nothing is written retroactively."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="target_links")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="campaign_links")
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "target"], name="campaign_target_once")]
        verbose_name = _("target of the campaign")
        verbose_name_plural = _("targets of the campaign")

    def __str__(self):
        return f"{self.campaign_id} → {self.target_id}"


class PrivacyPolicy(Localized, models.Model):
    version = models.CharField(max_length=40, unique=True)
    published_at = models.DateTimeField(default=timezone.now)
    body_en = models.TextField(_("policy (English)"))
    body_fr = models.TextField(_("policy (French)"))

    class Meta:
        verbose_name_plural = _("privacy policies")
        get_latest_by = "published_at"

    def __str__(self):
        return self.version

    @property
    def body(self) -> str:
        return self.localized("body")

    def has_consents(self) -> bool:
        """Whether a request or a subscriber agreed to this version: then its text is a record of
        what they read, and a change must be a new version."""
        return self.datarequest_set.exists() or self.subscriber_set.exists()

    def clean(self):
        if self.pk is None:
            return
        stored = PrivacyPolicy.objects.filter(pk=self.pk).first()
        if stored is None or not stored.has_consents():
            return
        if [getattr(stored, field) for field in LOCKED_POLICY_FIELDS] != [
            getattr(self, field) for field in LOCKED_POLICY_FIELDS
        ]:
            raise ValidationError(
                _("People consented to version %(version)s: it cannot change. Add a new version instead."),
                params={"version": stored.version},
                code="policy_consented",
            )

    @classmethod
    def current(cls) -> "PrivacyPolicy":
        return cls.objects.filter(published_at__lte=timezone.now()).latest()


# What a consent record points at: none of it may change once someone agreed to it.
LOCKED_POLICY_FIELDS = ("version", "published_at", "body_en", "body_fr")


class Operator(models.Model):
    """Who runs the site: the data controller the privacy policy names, shown in the footer of
    every page and of every email to supporters. One row, edited in the admin."""

    name = models.CharField(_("organisation name"), max_length=200)
    contact_email = models.EmailField(_("contact email"))
    postal_address = models.TextField(_("postal address"))
    press_contact = models.CharField(
        _("press contact"), max_length=300, blank=True, help_text=_("A name with an email address or phone number.")
    )
    website = models.URLField(_("website"), blank=True)
    home_campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("home campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The campaign the home page shows. A new campaign starts with a copy of its letters."),
    )

    class Meta:
        verbose_name = _("operator")
        verbose_name_plural = _("operator")

    def __str__(self):
        return self.name

    @classmethod
    def current(cls) -> "Operator | None":
        return cls.objects.order_by("pk").first()


class Tally(models.Model):
    """How many requests are in each state, kept apart from the personal rows.

    Each transition moves one count from the old state to the new. The counts survive the deletion
    of personal data, and public pages read these rows, never the requests. Writers spread over
    `shard` rows so concurrent submissions do not queue on one hot row; once a day has settled,
    tallies.fold_tally_shards folds them back into one row per key.

    `target` is the organisation the letters went to; `counts_supporter` marks the rows of the first
    letter of each submission (DataRequest.counts_supporter), so adding up only those counts people
    and adding up all of them counts letters, however many targets a campaign has.

    No index beyond the key (which starts with the campaign): every read adds up a campaign's rows,
    and an index on `count` would stop PostgreSQL from updating a row in place (HOT), on the path
    every submission takes.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tallies")
    day = models.DateField()
    law = models.CharField(max_length=20)
    jurisdiction = models.CharField(max_length=10)
    language = models.CharField(max_length=5)
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="+")
    counts_supporter = models.BooleanField(default=True)
    # Where the supporters came from (`?source=` on the campaign's link, a short code; empty for none).
    source = models.CharField(max_length=40, blank=True, default="", db_default="")
    status = models.CharField(max_length=30)
    shard = models.PositiveSmallIntegerField()
    count = models.BigIntegerField(default=0)
    # Written by every change (the upsert sets it too): the stats API's `updated_at`.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "campaign",
                    "day",
                    "law",
                    "jurisdiction",
                    "language",
                    "target",
                    "counts_supporter",
                    "source",
                    "status",
                    "shard",
                ],
                name="tally_one_row_per_key_and_source",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.day} {self.status}: {self.count}"


class Subscriber(models.Model):
    """A supporter who opted in to campaign updates: a list of its own, with its own consent record."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="subscribers")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    language = models.CharField(max_length=5)
    consented_at = models.DateTimeField()
    consent_text = models.TextField()
    privacy_policy = models.ForeignKey(PrivacyPolicy, on_delete=models.PROTECT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "email"], name="subscriber_once_per_campaign")]

    def __str__(self):
        return f"subscriber #{self.pk}"


def home_campaign() -> Campaign | None:
    """The operator's home campaign, else the oldest: what the home page shows, and where a new
    campaign's first letters come from."""
    operator = Operator.objects.select_related("home_campaign").order_by("pk").first()
    if operator is not None and operator.home_campaign is not None:
        return operator.home_campaign
    return Campaign.objects.order_by("pk").first()
