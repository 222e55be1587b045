"""The campaign's pages under the language prefix (/en/, /fr/)."""

from django.urls import path

from campaign import views

urlpatterns = [
    path("", views.home, name="home_in_language"),
    path("c/<slug:slug>/", views.campaign_page, name="campaign"),
    path("c/<slug:slug>/share.png", views.campaign_share_image, name="campaign_share_image"),
    path("c/<slug:slug>/check-your-inbox/", views.check_inbox, name="check_inbox"),
    path("c/<slug:slug>/resend/", views.resend, name="resend"),
    path("c/<slug:slug>/privacy/", views.campaign_privacy, name="campaign_privacy"),
    path("privacy/", views.privacy, name="privacy"),
    path("privacy/v/<str:version>/", views.privacy_version, name="privacy_version"),
    path("unsubscribe/<str:token>/", views.unsubscribe_page, name="unsubscribe"),
]
