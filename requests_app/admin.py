from django.contrib import admin, messages
from django.utils.translation import ngettext

from requests_app.models import DataRequest, DeliveryEvent, LetterTemplate, Status
from requests_app.sending import requeue_letter


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["campaign", "law", "language", "version", "created_at"]
    list_filter = ["campaign", "law", "language"]


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "campaign", "law", "language", "status", "failure_reason", "created_at", "sent_at"]
    list_filter = ["status", "campaign", "law", "language"]
    list_select_related = ["campaign"]
    actions = ["requeue"]

    @admin.action(description="Requeue the selected failed or set-aside letters")
    def requeue(self, request, queryset):
        requeued = sum(
            requeue_letter(data_request)
            for data_request in queryset.filter(status__in=[Status.FAILED, Status.NEEDS_REVIEW])
        )
        self.message_user(
            request,
            ngettext("%d letter requeued.", "%d letters requeued.", requeued) % requeued,
            messages.SUCCESS if requeued else messages.WARNING,
        )


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(admin.ModelAdmin):
    list_display = ["request_id", "event_type", "occurred_at", "received_at"]
    list_filter = ["event_type"]
