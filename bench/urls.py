from django.urls import path

from bench import views
from config.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/insert", views.bare_insert, name="bench_bare_insert"),
    path("bench/json/<slug:slug>", views.bare_json, name="bench_bare_json"),
    *site_urlpatterns,
]
