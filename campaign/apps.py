from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "campaign"

    def ready(self):
        import config.checks  # noqa: F401  (registers the project's deploy checks)
        from campaign.content_cache import forget_when_changed
        from campaign.models import Campaign, CampaignTarget, Operator, PrivacyPolicy, Target
        from campaign.shared_pages import forget_shared_pages

        forget_when_changed(Campaign, CampaignTarget, Operator, PrivacyPolicy, Target)
        # The campaign page shows them too: an admin's edit shows on the next view.
        forget_when_changed(Campaign, CampaignTarget, Operator, PrivacyPolicy, Target, forget=forget_shared_pages)
