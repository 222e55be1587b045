"""One form, one letter per target: requests of one submission share a `submission_id`, and the first
of them counts the supporter. Each existing request was a submission of its own (one target per
campaign so far): it gets an id of its own and counts its supporter.
"""

import uuid

from django.db import migrations, models
from django.db.models.functions import Lower


def give_each_request_its_own_submission(apps, schema_editor):
    DataRequest = apps.get_model("requests_app", "DataRequest")
    table = DataRequest._meta.db_table
    if schema_editor.connection.vendor == "postgresql":
        # One statement, whatever the number of rows; gen_random_uuid is built in from PostgreSQL 13.
        schema_editor.execute(f"UPDATE {table} SET submission_id = gen_random_uuid() WHERE submission_id IS NULL")  # noqa: S608
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        return
    # The local SQLite site holds few rows.
    for pk in DataRequest.objects.filter(submission_id__isnull=True).values_list("pk", flat=True).iterator():
        DataRequest.objects.filter(pk=pk).update(submission_id=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ("campaign", "0005_campaign_targets"),
        ("requests_app", "0003_erasure_due_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="datarequest",
            name="submission_id",
            field=models.UUIDField(db_index=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="datarequest",
            name="counts_supporter",
            field=models.BooleanField(default=True, editable=False),
        ),
        migrations.RunPython(give_each_request_its_own_submission, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="datarequest",
            name="submission_id",
            field=models.UUIDField(db_index=True, default=uuid.uuid4, editable=False),
        ),
        migrations.RemoveConstraint(
            model_name="datarequest",
            name="request_one_per_email_per_campaign",
        ),
        migrations.AddConstraint(
            model_name="datarequest",
            constraint=models.UniqueConstraint(
                Lower("email"),
                "campaign",
                "target",
                condition=models.Q(("email", ""), _negated=True),
                name="request_one_per_email_per_target",
            ),
        ),
    ]
