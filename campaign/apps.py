from celery.signals import task_postrun, task_prerun
from django.apps import AppConfig
from django.db import close_old_connections


def close_old_database_connections(sender=None, **signal_arguments) -> None:
    """Around each Celery task, the database connection is treated as around a web request: kept
    for CONN_MAX_AGE, checked before reuse (CONN_HEALTH_CHECKS), dropped after an error. Celery on
    its own would open a new one for every task (see CELERY_DB_REUSE_MAX in settings). A task run
    eagerly inside its caller's transaction is left alone, as Celery leaves it."""
    if not getattr(getattr(sender, "request", None), "is_eager", False):
        close_old_connections()


class CampaignConfig(AppConfig):
    name = "campaign"

    def ready(self):
        from campaign.content_cache import forget_when_changed
        from campaign.models import Campaign, PrivacyPolicy, Target

        forget_when_changed(Campaign, PrivacyPolicy, Target)
        task_prerun.connect(close_old_database_connections, dispatch_uid="campaign.database.task_prerun")
        task_postrun.connect(close_old_database_connections, dispatch_uid="campaign.database.task_postrun")
