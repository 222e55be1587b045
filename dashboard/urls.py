from django.urls import path

from dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.campaign, name="campaign"),
    path("<slug:slug>/aggregates.csv", views.aggregates_csv, name="aggregates_csv"),
    path("<slug:slug>/subscribers.csv", views.subscribers_csv, name="subscribers_csv"),
]
