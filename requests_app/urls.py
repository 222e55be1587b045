from django.urls import path

from requests_app import followup_views, views

app_name = "requests_app"

urlpatterns = [
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("thanks/<str:token>/", views.thanks, name="thanks"),
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/retry/", views.retry, name="retry"),
    path("answer/<str:token>/<slug:outcome>/", followup_views.answer, name="answer"),
    path("complaint/<str:token>/", followup_views.complaint, name="complaint"),
    path("complaint/<str:token>/company-step/", followup_views.company_step, name="company_step"),
    path("complaint/<str:token>/<slug:kind>.txt", followup_views.complaint_download, name="complaint_download"),
    path("reminders/stop/<str:token>/", followup_views.stop_reminders_page, name="stop_reminders"),
    path("evidence/<str:token>/takeback-evidence.pdf", views.evidence_pack, name="evidence"),
    path("delete/<str:token>/", views.delete_my_data, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
]
