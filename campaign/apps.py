from django.apps import AppConfig


class CampaignConfig(AppConfig):
    name = "campaign"

    def ready(self):
        from celery.signals import task_postrun, task_prerun
        from django.db import close_old_connections

        from campaign.content_cache import forget_when_changed
        from campaign.models import Campaign, PrivacyPolicy, Target

        forget_when_changed(Campaign, PrivacyPolicy, Target)
        # Each Celery task treats the database connection as a web request does: kept for
        # CONN_MAX_AGE, checked before reuse (CONN_HEALTH_CHECKS), dropped after an error. Celery
        # on its own would open a new connection for every task (see CELERY_DB_REUSE_MAX).
        task_prerun.connect(close_old_connections, weak=False, dispatch_uid="campaign.task_prerun.db")
        task_postrun.connect(close_old_connections, weak=False, dispatch_uid="campaign.task_postrun.db")
