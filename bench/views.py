"""The baselines: the least a view can do on this stack, behind the same middleware as the site."""

from django.db import connection
from django.http import HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from config.crosssite import posted_from_this_site

BASELINE_TABLE = "bench_baseline_row"
CREATE_BASELINE_TABLE = f"""
    CREATE TABLE IF NOT EXISTS {BASELINE_TABLE} (
        id bigserial PRIMARY KEY,
        email varchar(254) NOT NULL,
        created_at timestamptz NOT NULL
    )
"""
_INSERT = f"INSERT INTO {BASELINE_TABLE} (email, created_at) VALUES (%s, %s)"  # noqa: S608


@csrf_exempt  # protected as the campaign page's form is, by where the POST comes from
@require_POST
def bare_insert(request):
    """One INSERT of the posted address, then the same redirect a submission gets."""
    if not posted_from_this_site(request):
        return HttpResponseForbidden()
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, [request.POST.get("email", ""), timezone.now()])
    return HttpResponseRedirect("/bench/done")


@require_GET
def bare_json(request, slug):
    """A JSON answer of the stats API's shape, computed from nothing."""
    return JsonResponse({"slug": slug, "goal": 1000, "sent": 0, "confirmed": 0, "updated_at": timezone.now()})
