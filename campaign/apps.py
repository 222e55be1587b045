from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "campaign"

    def ready(self):
        import config.checks  # noqa: F401  (registers the project's deploy checks)
        from campaign.content_cache import forget_when_changed
        from campaign.models import Campaign, CampaignTarget, Operator, PrivacyPolicy, Target

        forget_when_changed(Campaign, CampaignTarget, Operator, PrivacyPolicy, Target)
