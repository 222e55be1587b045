from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from campaign.models import Campaign, CampaignTarget, PrivacyPolicy, Subscriber, Target
from campaign.personal_fields_admin import PersonalFieldsForSuperusersOnly
from requests_app.retention import reschedule_erasures


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
    list_display = ["slug", "title_en", "target_names", "goal", "requires_confirmation", "test_mode"]
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
        if change and "retention_days" in form.changed_data:
            # The policy page states the new period: letters already sent follow it too.
            reschedule_erasures(campaign_id=obj.pk)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "privacy_email", "letters_per_minute"]


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(admin.ModelAdmin):
    list_display = ["version", "published_at"]


@admin.register(Subscriber)
class SubscriberAdmin(PersonalFieldsForSuperusersOnly):
    personal_fields = ("first_name", "last_name", "email")
    personal_list_display = ("email",)
    personal_search_fields = ("=email",)
    list_display = ["id", "campaign", "language", "consented_at", "privacy_policy"]
    list_filter = ["campaign", "language"]
