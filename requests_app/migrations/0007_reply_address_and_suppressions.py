"""Each request's own reply address (a random token, filled in for the rows that exist), the
failure notice's claim, and the spam-complaint suppression list keyed by a hash of the address."""

from django.db import migrations, models
from django.utils import timezone

import requests_app.models

BATCH = 1000


def give_each_request_a_reply_token(apps, schema_editor):
    DataRequest = apps.get_model("requests_app", "DataRequest")
    while True:
        rows = list(DataRequest.objects.filter(reply_token__isnull=True).only("pk")[:BATCH])
        if not rows:
            return
        for row in rows:
            row.reply_token = requests_app.models.new_reply_token()
        DataRequest.objects.bulk_update(rows, ["reply_token"])


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0006_request_source")]

    operations = [
        migrations.AddField(
            model_name="datarequest",
            name="reply_token",
            field=models.CharField(editable=False, max_length=40, null=True),
        ),
        migrations.RunPython(give_each_request_a_reply_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="datarequest",
            name="reply_token",
            field=models.CharField(
                default=requests_app.models.new_reply_token, editable=False, max_length=40, null=True, unique=True
            ),
        ),
        migrations.AddField(
            model_name="datarequest",
            name="failure_notice_sent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.CreateModel(
            name="EmailSuppression",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("address_hash", models.CharField(max_length=64, unique=True)),
                ("reason", models.CharField(max_length=30)),
                ("created_at", models.DateTimeField(default=timezone.now)),
            ],
        ),
    ]
