from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from campaign import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The email provider's tracking and inbound webhooks, authenticated by ANYMAIL_WEBHOOK_SECRET.
    path("webhooks/anymail/", include("anymail.urls")),
    path(settings.ADMIN_PATH, admin.site.urls),
]
urlpatterns += i18n_patterns(
    path("c/<slug:slug>/", views.campaign_page, name="campaign"),
    path("c/<slug:slug>/check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("c/<slug:slug>/resend/", views.resend, name="resend"),
    path("privacy/", views.privacy, name="privacy"),
    path("unsubscribe/<str:token>/", views.unsubscribe_page, name="unsubscribe"),
    path("r/", include("requests_app.urls")),
)
