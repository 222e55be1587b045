"""Apply the retention rules now; beat runs the same job daily (requests_app.tasks.apply_retention_task)."""

from django.core.management.base import BaseCommand

from requests_app.retention import apply_retention


class Command(BaseCommand):
    help = "Delete expired unconfirmed requests and erase the personal data of requests past their retention."

    def handle(self, *args, **options):
        report = apply_retention()
        self.stdout.write(
            f"{report.unconfirmed_deleted} unconfirmed requests deleted, "
            f"{report.erasures_scheduled} erasures scheduled, "
            f"{report.personal_data_erased} requests erased."
        )
