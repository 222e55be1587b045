from django.urls import path

from requests_app import views

app_name = "requests_app"

urlpatterns = [
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("thanks/<str:token>/", views.thanks, name="thanks"),
    path("status/<str:token>/", views.status, name="status"),
    path("delete/<str:token>/", views.delete_my_data, name="delete"),
    path("deleted/", views.deleted, name="deleted"),
]
