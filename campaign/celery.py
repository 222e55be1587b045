import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

from campaign.logfilters import mask_handlers_of

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "campaign.settings")

app = Celery("takeback")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The worker replaces the logging handlers settings.LOGGING set up; mask personal data in its own.
after_setup_logger.connect(mask_handlers_of, weak=False)
after_setup_task_logger.connect(mask_handlers_of, weak=False)
