from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from campaign import api, embeds, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The email provider's tracking and inbound webhooks, authenticated by ANYMAIL_WEBHOOK_SECRET.
    path("webhooks/anymail/", include("anymail.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
    # Contracts partners' sites rely on (DESIGN.md section 6): CORS is open on /api/, framing on /embed/.
    path("api/campaigns/<slug:slug>/stats", api.campaign_stats, name="campaign_stats"),
    path("embed/<slug:slug>/", embeds.embed_form, name="embed_form"),
    path("embed/<slug:slug>/counter", embeds.embed_counter, name="embed_counter"),
    path("embed/<slug:slug>/check-your-inbox/", embeds.embed_check_inbox, name="embed_check_inbox"),
    path("embed/<slug:slug>/thanks/<str:token>/", embeds.embed_thanks, name="embed_thanks"),
]
urlpatterns += i18n_patterns(
    path("", views.home, name="home_in_language"),
    path("c/<slug:slug>/", views.campaign_page, name="campaign"),
    path("c/<slug:slug>/check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("c/<slug:slug>/resend/", views.resend, name="resend"),
    path("privacy/", views.privacy, name="privacy"),
    path("unsubscribe/<str:token>/", views.unsubscribe_page, name="unsubscribe"),
    path("r/", include("requests_app.urls")),
    path("dashboard/", include("campaign.dashboard_urls")),
)
