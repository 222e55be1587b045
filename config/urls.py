"""The site's URLs: each app's own URLconf, the admin, and the email provider's webhooks."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from config.webhooks import provider_webhook

urlpatterns = [
    path("", include("campaign.urls")),
    # The configured email provider's tracking and inbound webhooks, authenticated by
    # ANYMAIL_WEBHOOK_SECRET (config/webhooks.py); every other provider's answers 404.
    path("webhooks/anymail/<slug:provider>/<path:endpoint>", provider_webhook, name="provider_webhook"),
    path(settings.ADMIN_PATH, admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("", include("campaign.urls_in_language")),
    path("r/", include("requests_app.urls")),
    path("dashboard/", include("dashboard.urls")),
)
