"""The Celery worker keeps its database connection from one task to the next, as the web server
keeps its own from one request to the next."""

import pytest
from django.db import connection
from django.db.models import Min

from requests_app.models import DataRequest, Status
from tests.conftest import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_worker_sends_letter_after_letter_on_one_database_connection(celery_worker, sink, campaign, client):
    campaign.requires_confirmation = False
    campaign.save(update_fields=["requires_confirmation"])
    campaign.targets.update(letters_per_minute=1_000_000)

    for number in range(10):
        client.post(
            "/en/c/clearview/",
            {
                "first_name": "Supporter",
                "last_name": "Reused",
                "email": f"reused{number}@example.org",
                "jurisdiction": "GB",
                "kind": "access",
                "consent": "on",
            },
        )
    wait_until(lambda: DataRequest.objects.filter(status=Status.SENT).count() == 10, what="10 letters sent")

    first_sent = DataRequest.objects.aggregate(first=Min("sent_at"))["first"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT backend_start FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        worker_connections = [started for (started,) in cursor.fetchall()]
    # Opened for the first letter and still open after the tenth: not one connection per task.
    assert any(started < first_sent for started in worker_connections), worker_connections
