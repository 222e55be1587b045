from django import forms
from django.contrib import admin, messages
from django.utils.translation import ngettext

from campaign.personal_fields_admin import PersonalFieldsForSuperusersOnly
from requests_app.letters import check_letter_template, render_letter, sample_supporter, save_letter_template_version
from requests_app.models import DataRequest, DeliveryEvent, LetterTemplate, Status, TargetFinding
from requests_app.retention import PERSONAL_FIELDS
from requests_app.sending import requeue_letter


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["campaign", "law", "language", "subject", "body"]

    def clean_body(self):
        # Browsers send textarea lines ending in CRLF; letters are plain text with LF.
        return self.cleaned_data["body"].replace("\r\n", "\n")

    def clean(self):
        cleaned_data = super().clean()
        for field in ("subject", "body"):
            for problem in check_letter_template(cleaned_data.get(field) or ""):
                self.add_error(field, problem)
        return cleaned_data


@admin.register(TargetFinding)
class TargetFindingAdmin(admin.ModelAdmin):
    """Regulators' findings against a target, quoted in the letters and complaints where they apply
    (`applies_to`: a law such as "pipeda" or a place such as "CA-QC")."""

    list_display = ["target", "applies_to", "language", "position"]
    list_filter = ["target", "language", "applies_to"]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Each save makes a new version; the change page previews the letter for a sample supporter."""

    form = LetterTemplateForm
    list_display = ["campaign", "law", "language", "version", "created_at"]
    list_filter = ["campaign", "law", "language"]

    def get_readonly_fields(self, request, obj=None):
        # An edit is a new version of the same letter, never a move to another campaign or law.
        return ["campaign", "law", "language", "version", "created_at"] if obj else []

    def save_model(self, request, obj, form, change):
        save_letter_template_version(template=obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        template = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if template is not None:
            extra_context["letter_preview"] = render_letter(
                template=template, supporter=sample_supporter(template.law), target=template.campaign.target
            )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(DataRequest)
class DataRequestAdmin(PersonalFieldsForSuperusersOnly):
    personal_fields = PERSONAL_FIELDS
    personal_list_display = ("email",)
    personal_search_fields = ("=email",)
    list_display = ["id", "campaign", "law", "language", "status", "failure_reason", "created_at", "sent_at"]
    list_filter = ["status", "campaign", "law", "language"]
    list_select_related = ["campaign"]
    actions = ["requeue"]

    # Requests are made by supporters and moved only through the lifecycle (which keeps the tallies
    # true): the admin shows them and offers the requeue action, nothing else.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

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
