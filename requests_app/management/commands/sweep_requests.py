from django.core.management.base import BaseCommand

from requests_app.sweeping import sweep_requests


class Command(BaseCommand):
    help = "Re-queue requests the queue lost and set aside letters stuck while sending (beat runs this every minute)."

    def handle(self, *args, **options):
        report = sweep_requests()
        self.stdout.write(
            f"{report.letters_requeued} letters requeued, {report.confirmations_requeued} confirmations requeued, "
            f"{report.set_aside_for_review} set aside for review."
        )
