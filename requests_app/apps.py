from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    verbose_name = _("Data requests")

    def ready(self):
        # Connects the receivers for the email provider's webhooks.
        from requests_app import webhooks  # noqa: F401
