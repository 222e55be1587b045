"""The baselines: the least a view can do on this stack, behind the same middleware as the site."""

from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

BASELINE_TABLE = "bench_baseline_row"
CREATE_BASELINE_TABLE = f"""
    CREATE TABLE IF NOT EXISTS {BASELINE_TABLE} (
        id bigserial PRIMARY KEY,
        email varchar(254) NOT NULL,
        created_at timestamptz NOT NULL
    )
"""
_INSERT = f"INSERT INTO {BASELINE_TABLE} (email, created_at) VALUES (%s, %s)"  # noqa: S608


@require_POST
def bare_insert(request):
    """One INSERT of the posted address, then the same redirect a submission gets."""
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, [request.POST.get("email", ""), timezone.now()])
    return HttpResponseRedirect("/bench/done")


@require_GET
def bare_json(request, slug):
    """A JSON answer of the stats API's shape, computed from nothing."""
    return JsonResponse({"slug": slug, "goal": 1000, "sent": 0, "confirmed": 0, "updated_at": timezone.now()})
