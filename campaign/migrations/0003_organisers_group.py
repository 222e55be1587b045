from django.db import migrations

# The name dashboard.numbers.ORGANISERS checks. A migration keeps its own copy: it must not change
# when the code does.
ORGANISERS = "Organisers"


def create_organisers_group(apps, schema_editor):
    # No model permissions on purpose: organisers see aggregates on the dashboard, never the
    # requests, in the admin or anywhere else.
    apps.get_model("auth", "Group").objects.get_or_create(name=ORGANISERS)


def remove_organisers_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ORGANISERS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("campaign", "0002_tally_updated_at_and_embed_origins"),
    ]

    operations = [migrations.RunPython(create_organisers_group, remove_organisers_group)]
