from django.contrib import admin

from campaign.models import Campaign, PrivacyPolicy, Subscriber, Target
from campaign.personal_fields_admin import PersonalFieldsForSuperusersOnly
from requests_app.retention import reschedule_erasures


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["slug", "title_en", "goal", "requires_confirmation", "test_mode"]

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
