from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "campaign"

    def ready(self):
        from campaign.content_cache import forget_when_changed
        from campaign.models import Campaign, CampaignTarget, Operator, PrivacyPolicy, Target

        forget_when_changed(Campaign, CampaignTarget, Operator, PrivacyPolicy, Target)
