from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaign.models import LOCKED_POLICY_FIELDS, Campaign, CampaignTarget, Operator, PrivacyPolicy, Subscriber, Target
from campaign.personal_fields_admin import PersonalFieldsForSuperusersOnly
from campaign.policies import save_privacy_policy
from requests_app.campaign_setup import (
    copy_campaign,
    default_letters,
    describe_missing,
    give_default_letters,
    letters_of,
    missing_letters,
)
from requests_app.retention import reschedule_erasures


class CampaignForm(forms.ModelForm):
    # No Meta: the admin builds the form for Campaign's fields on this base.

    def clean(self):
        cleaned_data = super().clean()
        opens_at, closes_at = cleaned_data.get("opens_at"), cleaned_data.get("closes_at")
        now = timezone.now()
        would_be_open = opens_at is not None and opens_at <= now and (closes_at is None or now < closes_at)
        if would_be_open:
            missing = missing_letters(available=self.letters_after_saving())
            if missing:
                raise forms.ValidationError(
                    _(
                        "This campaign cannot open: it has no letter for %(missing)s. Add those letter "
                        "templates first, or save it with an opening time still to come."
                    ),
                    params={"missing": describe_missing(missing)},
                    code="letters_missing",
                )
        return cleaned_data

    def letters_after_saving(self) -> set[tuple[str, str]]:
        # A new campaign is given the default letters as it is saved (CampaignAdmin.save_model).
        if self.instance.pk is None:
            return {(letter.law, letter.language) for letter in default_letters()}
        return letters_of(self.instance)


class AtLeastOneTarget(BaseInlineFormSet):
    def clean(self):
        super().clean()
        kept = [form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")]
        if not kept:
            raise ValidationError(_("A campaign needs at least one target: add the organisation its letters go to."))


class CampaignTargetInline(admin.TabularInline):
    """The organisations the campaign writes to: each supporter's form sends one letter to each, in
    this order. A target added later gets letters from new supporters only."""

    model = CampaignTarget
    formset = AtLeastOneTarget
    fields = ["target", "position"]
    extra = 0
    min_num = 1
    verbose_name = _("target")
    verbose_name_plural = _("targets: one letter to each, for every supporter")


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignForm
    list_display = ["slug", "title_en", "target_names", "goal", "requires_confirmation", "test_mode"]
    actions = ["copy_campaigns"]
    inlines = [CampaignTargetInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("target_links", queryset=CampaignTarget.objects.select_related("target")))
        )

    @admin.display(description=_("targets"))
    def target_names(self, campaign: Campaign) -> str:
        return ", ".join(target.name for target in campaign.ordered_targets())

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            added = give_default_letters(campaign=obj)
            self.message_user(
                request, gettext("%(count)d letter templates added from the default set.") % {"count": added}
            )
        if change and "retention_days" in form.changed_data:
            # The policy page states the new period: letters already sent follow it too.
            reschedule_erasures(campaign_id=obj.pk)

    @admin.action(description=_("Copy campaign (with its letters; the copy stays closed)"))
    def copy_campaigns(self, request, queryset):
        for campaign in queryset:
            copy = copy_campaign(campaign=campaign)
            self.message_user(
                request,
                format_html(
                    gettext(
                        'Copied {original} as <a href="{url}">{copy}</a>. It is closed: empty its closing time to open it.'
                    ),
                    original=campaign.slug,
                    url=reverse("admin:campaign_campaign_change", args=[copy.pk]),
                    copy=copy.slug,
                ),
                messages.SUCCESS,
            )


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "privacy_email", "letters_per_minute"]


@admin.register(Operator)
class OperatorAdmin(admin.ModelAdmin):
    """One row: who runs the site. The footer, the privacy policy and every email show it."""

    list_display = ["name", "contact_email", "home_campaign"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Operator.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


def policy_version_link(policy: PrivacyPolicy | None) -> str:
    if policy is None:
        return "-"
    return format_html(
        '<a href="{}">{}</a>', reverse("privacy_version", kwargs={"version": policy.version}), policy.version
    )


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(admin.ModelAdmin):
    """A version someone consented to is a record of what they read: read-only. A change is a new
    version (Add privacy policy); the newest published one is in force."""

    list_display = ["version", "published_at", "public_page"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.has_consents():
            return [*LOCKED_POLICY_FIELDS, "public_page"]
        return ["public_page"]

    @admin.display(description=_("public page"))
    def public_page(self, obj):
        return policy_version_link(obj) if obj.pk else "-"

    def save_model(self, request, obj, form, change):
        save_privacy_policy(policy=obj)


@admin.register(Subscriber)
class SubscriberAdmin(PersonalFieldsForSuperusersOnly):
    personal_fields = ("first_name", "last_name", "email")
    personal_list_display = ("email",)
    personal_search_fields = ("=email",)
    list_display = ["id", "campaign", "language", "consented_at", "consented_to"]
    list_filter = ["campaign", "language"]
    readonly_fields = ["consented_to"]

    @admin.display(description=_("privacy policy agreed to"))
    def consented_to(self, obj):
        return policy_version_link(obj.privacy_policy)
