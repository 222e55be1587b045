from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Data requests")

    def ready(self):
        # Connects the receivers for the email provider's webhooks.
        from campaign.content_cache import forget_when_changed
        from requests_app import webhooks  # noqa: F401
        from requests_app.models import LetterTemplate, TargetFinding

        forget_when_changed(LetterTemplate, TargetFinding)
