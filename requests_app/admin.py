from django.contrib import admin

from requests_app.models import DataRequest, DeliveryEvent, LetterTemplate


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = ["campaign", "law", "language", "version", "created_at"]
    list_filter = ["campaign", "law", "language"]


@admin.register(DataRequest)
class DataRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "campaign", "law", "language", "status", "created_at", "sent_at"]
    list_filter = ["status", "campaign", "law", "language"]
    list_select_related = ["campaign"]


@admin.register(DeliveryEvent)
class DeliveryEventAdmin(admin.ModelAdmin):
    list_display = ["request_id", "event_type", "occurred_at"]
