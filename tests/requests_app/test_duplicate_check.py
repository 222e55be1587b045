"""Checking for an earlier request from the same address stays an index lookup as requests pile up."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaign.models import PrivacyPolicy
from requests_app.models import DataRequest, LetterTemplate, Status

pytestmark = pytest.mark.django_db


def test_the_check_for_an_earlier_request_reads_the_unique_index_not_the_table(client, campaign, supporter_form):
    template = LetterTemplate.objects.filter(campaign=campaign).first()
    policy = PrivacyPolicy.objects.get()
    now = timezone.now()
    DataRequest.objects.bulk_create(
        DataRequest(
            campaign=campaign,
            target=campaign.ordered_targets()[0],
            template=template,
            first_name="Earlier",
            last_name="Supporter",
            email=f"earlier{number}@example.org",
            letter_subject="Subject",
            letter_body="Body",
            jurisdiction="CA-ON",
            law="pipeda",
            language="en",
            privacy_policy=policy,
            consent_text="Consent",
            consented_at=now,
            status=Status.SENT,
        )
        for number in range(20_000)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {DataRequest._meta.db_table}")

    with CaptureQueriesContext(connection) as queries:
        client.post("/en/c/clearview/", supporter_form)

    # The submission's first read of the requests table is that check.
    check = next(
        query["sql"]
        for query in queries
        if query["sql"].startswith("SELECT") and f'FROM "{DataRequest._meta.db_table}"' in query["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {check}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "request_one_per_email_per_target" in plan, plan
    assert "Seq Scan" not in plan and "pkey" not in plan, plan
