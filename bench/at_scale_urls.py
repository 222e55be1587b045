"""The site's URLs plus the baselines bench.at_scale compares against, in the same process."""

from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def bare_json(request):
    """The floor under the stats API: the same middleware and a JSON body, no database, no cache."""
    return JsonResponse({"slug": "clearview", "goal": 1000, "sent": 0, "confirmed": 0, "updated_at": None})


@login_required
def bare_page(request):
    """The floor under the dashboard: a logged-in user's session and the site's base template."""
    return render(request, "base.html")


urlpatterns = [
    path("bench/bare.json", bare_json),
    path("bench/bare-page/", bare_page),
    *site_urlpatterns,
]
