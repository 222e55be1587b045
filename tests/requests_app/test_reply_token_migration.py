"""The migration that gives each request its reply address fills one in for every existing row."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from requests_app.models import DataRequest
from tests.supporters import sent, submitted

BEFORE = [("requests_app", "0006_request_source")]
AFTER = [("requests_app", "0007_reply_address_and_suppressions")]


@pytest.mark.django_db(transaction=True)
def test_existing_requests_get_a_reply_token_each_and_keep_their_data(campaign):
    letters = [sent(campaign, email="one@example.org"), submitted(campaign, email="two@example.org")]
    before = {row["pk"]: row for row in DataRequest.objects.values("pk", "email", "letter_body", "status")}
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    try:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(AFTER)
    finally:
        MigrationExecutor(connection).migrate(executor.loader.graph.leaf_nodes())

    rows = list(DataRequest.objects.values("pk", "email", "letter_body", "status", "reply_token"))
    assert len(rows) == len(letters)
    assert {row["pk"]: {k: row[k] for k in ("pk", "email", "letter_body", "status")} for row in rows} == before
    tokens = [row["reply_token"] for row in rows]
    assert all(token and len(token) == 20 for token in tokens)
    assert len(set(tokens)) == len(tokens)
