import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger, task_postrun, task_prerun
from django.db import close_old_connections

from config import kombu_fixes  # noqa: F401  (a Redis outage must not kill a busy worker)
from config.logfilters import mask_handlers_of

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("takeback")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The worker replaces the logging handlers settings.LOGGING set up; mask personal data in its own.
after_setup_logger.connect(mask_handlers_of, weak=False)
after_setup_task_logger.connect(mask_handlers_of, weak=False)


@task_prerun.connect
@task_postrun.connect
def close_old_database_connections(sender=None, **signal_arguments) -> None:
    """Around each task, the database connection is treated as around a web request: kept for
    CONN_MAX_AGE, checked before reuse, dropped after an error (Celery alone would open one per
    task). A task run eagerly inside its caller's transaction is left alone, as Celery leaves it."""
    if not getattr(getattr(sender, "request", None), "is_eager", False):
        close_old_connections()
