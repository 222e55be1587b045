"""The campaign's pages outside the language prefix: the default campaign, health, and the
contracts partners' sites rely on (DESIGN.md section 6): CORS is open on /api/, framing on /embed/."""

from django.urls import path

from campaign import api, embeds, views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("api/campaigns/<slug:slug>/stats", api.campaign_stats, name="campaign_stats"),
    path("embed/<slug:slug>/", embeds.embed_form, name="embed_form"),
    path("embed/<slug:slug>/counter", embeds.embed_counter, name="embed_counter"),
    path("embed/<slug:slug>/check-your-inbox/", embeds.embed_check_inbox, name="embed_check_inbox"),
    path("embed/<slug:slug>/thanks/<str:token>/", embeds.embed_thanks, name="embed_thanks"),
    # Campaign images uploaded in the admin (only files under MEDIA_ROOT; `serve` refuses "..").
    path("media/<path:path>", views.media, name="media"),
]
