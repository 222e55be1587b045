from django.contrib import admin

from campaign.models import Campaign, PrivacyPolicy, Target


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["slug", "title_en", "goal", "requires_confirmation", "test_mode"]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["name", "privacy_email", "letters_per_minute"]


@admin.register(PrivacyPolicy)
class PrivacyPolicyAdmin(admin.ModelAdmin):
    list_display = ["version", "published_at"]
