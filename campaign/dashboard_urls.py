from django.urls import path

from campaign import dashboard_views

app_name = "dashboard"

urlpatterns = [
    path("", dashboard_views.index, name="index"),
    path("<slug:slug>/", dashboard_views.campaign, name="campaign"),
    path("<slug:slug>/aggregates.csv", dashboard_views.aggregates_csv, name="aggregates_csv"),
    path("<slug:slug>/subscribers.csv", dashboard_views.subscribers_csv, name="subscribers_csv"),
]
