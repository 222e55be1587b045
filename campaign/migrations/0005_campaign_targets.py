"""A campaign writes to one or several targets: Campaign.target becomes Campaign.targets (through
CampaignTarget, ordered), and the tallies get a target and a supporters' flag.

Existing data keeps its meaning: each campaign's one target becomes its first (and only) target,
and every existing tally row is its target's and counts a supporter (one letter per supporter so far).
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_targets_forward(apps, schema_editor):
    Campaign = apps.get_model("campaign", "Campaign")
    CampaignTarget = apps.get_model("campaign", "CampaignTarget")
    Tally = apps.get_model("campaign", "Tally")
    for campaign in Campaign.objects.all():
        CampaignTarget.objects.create(campaign=campaign, target_id=campaign.target_id, position=0)
        Tally.objects.filter(campaign=campaign).update(target_id=campaign.target_id, counts_supporter=True)
    _settle_deferred_checks(schema_editor)


def copy_targets_back(apps, schema_editor):
    Campaign = apps.get_model("campaign", "Campaign")
    Tally = apps.get_model("campaign", "Tally")
    for campaign in Campaign.objects.all():
        links = list(campaign.target_links.order_by("position", "pk"))
        if len(links) != 1 or Tally.objects.filter(campaign=campaign).exclude(target_id=links[0].target_id).exists():
            # Going back would merge several targets' letters into one: refuse rather than lose them.
            raise RuntimeError(f"Campaign {campaign.slug} writes to {len(links)} targets: it cannot go back to one.")
        Campaign.objects.filter(pk=campaign.pk).update(target_id=links[0].target_id)
    _settle_deferred_checks(schema_editor)


def _settle_deferred_checks(schema_editor):
    # PostgreSQL refuses to ALTER a table with deferred foreign-key checks still pending from the
    # updates above ("pending trigger events"): run them now.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ("campaign", "0004_sender_name_help_text"),
    ]

    operations = [
        # Nullable first, so that going back can fill it before it is required again.
        migrations.AlterField(
            model_name="campaign",
            name="target",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="campaigns", to="campaign.target"
            ),
        ),
        migrations.CreateModel(
            name="CampaignTarget",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("position", models.PositiveSmallIntegerField(default=0, verbose_name="position")),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="target_links", to="campaign.campaign"
                    ),
                ),
                (
                    "target",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="campaign_links", to="campaign.target"
                    ),
                ),
            ],
            options={
                "verbose_name": "target of the campaign",
                "verbose_name_plural": "targets of the campaign",
                "ordering": ["position", "pk"],
                "constraints": [models.UniqueConstraint(fields=("campaign", "target"), name="campaign_target_once")],
            },
        ),
        migrations.AddField(
            model_name="tally",
            name="target",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="campaign.target"
            ),
        ),
        migrations.AddField(
            model_name="tally",
            name="counts_supporter",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(copy_targets_forward, copy_targets_back),
        migrations.AlterField(
            model_name="tally",
            name="target",
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="campaign.target"),
        ),
        migrations.RemoveConstraint(
            model_name="tally",
            name="tally_one_row_per_key",
        ),
        migrations.AddConstraint(
            model_name="tally",
            constraint=models.UniqueConstraint(
                fields=(
                    "campaign",
                    "day",
                    "law",
                    "jurisdiction",
                    "language",
                    "target",
                    "counts_supporter",
                    "status",
                    "shard",
                ),
                name="tally_one_row_per_key",
            ),
        ),
        migrations.RemoveField(
            model_name="campaign",
            name="target",
        ),
        migrations.AddField(
            model_name="campaign",
            name="targets",
            field=models.ManyToManyField(related_name="campaigns", through="campaign.CampaignTarget", to="campaign.target"),
        ),
    ]
