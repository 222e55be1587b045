from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from campaign.admin import policy_version_link
from campaign.personal_fields_admin import PersonalFieldsForSuperusersOnly
from requests_app.laws import Law, jurisdiction_choices, jurisdiction_name
from requests_app.letters import LETTER_VARIABLES, check_letter_template, preview_letter, save_letter_template_version
from requests_app.models import DataRequest, DeliveryEvent, LetterTemplate, RequestKind, Status, TargetFinding
from requests_app.retention import PERSONAL_FIELDS
from requests_app.sending import requeue_letter


class LetterTemplateForm(forms.ModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["campaign", "law", "language", "subject", "body"]
        # A letter runs to thousands of characters and the subject carries {% if %} branches: room
        # to read both while editing (the subject stays one line: it becomes a header).
        widgets = {
            "subject": forms.TextInput(attrs={"size": 120}),
            "body": forms.Textarea(attrs={"rows": 40, "cols": 100}),
        }

    def clean_body(self):
        # Browsers send textarea lines ending in CRLF; letters are plain text with LF.
        return self.cleaned_data["body"].replace("\r\n", "\n")

    def clean(self):
        cleaned_data = super().clean()
        for field in ("subject", "body"):
            for problem in check_letter_template(cleaned_data.get(field) or ""):
                self.add_error(field, problem)
        return cleaned_data


class LetterPreviewForm(forms.Form):
    """GET parameters on the change page: which letter the preview shows, for whom."""

    law = forms.ChoiceField(label=_("Law"), choices=Law.choices)
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    kind = forms.ChoiceField(label=_("Request"), choices=RequestKind.choices)
    place = forms.ChoiceField(
        label=_("Where the supporter lives"),
        choices=lambda: [("", _("a place where that law applies")), *jurisdiction_choices()],
        required=False,
    )


@admin.register(TargetFinding)
class TargetFindingAdmin(admin.ModelAdmin):
    """Regulators' findings against a target, quoted in the letters and complaints where they apply
    (`applies_to`: a law such as "pipeda" or a place such as "CA-QC")."""

    list_display = ["target", "applies_to", "language", "position"]
    list_filter = ["target", "language", "applies_to"]


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    """Each save makes a new version and shows it; the change page lists the variables and
    previews the letter for a sample supporter, for any law, language, request and place."""

    form = LetterTemplateForm
    list_display = ["campaign", "law", "language", "version", "created_at"]
    list_filter = ["campaign", "law", "language"]

    def get_readonly_fields(self, request, obj=None):
        # An edit is a new version of the same letter, never a move to another campaign or law.
        return ["campaign", "law", "language", "version", "created_at"] if obj else []

    def save_model(self, request, obj, form, change):
        request.saved_letter_version = save_letter_template_version(template=obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self._show_saved_version(request)

    def response_change(self, request, obj):
        return self._show_saved_version(request)

    def _show_saved_version(self, request):
        saved = request.saved_letter_version
        self.message_user(
            request,
            gettext("Saved as version %(version)d, the one new letters use.") % {"version": saved.version},
            messages.SUCCESS,
        )
        return redirect("admin:requests_app_lettertemplate_change", saved.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        template = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        extra_context["letter_variables"] = LETTER_VARIABLES
        if template is not None and request.method == "GET":
            extra_context.update(self._preview(request, template))
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "letter_variables": LETTER_VARIABLES}
        return super().add_view(request, form_url, extra_context)

    def _preview(self, request, template: LetterTemplate) -> dict:
        initial = {"law": template.law, "language": template.language, "kind": RequestKind.ACCESS_AND_DELETION}
        preview_form = LetterPreviewForm({**initial, **request.GET.dict()})
        if not preview_form.is_valid():
            return {"preview_form": preview_form}
        choice = preview_form.cleaned_data
        try:
            preview = preview_letter(
                template=template,
                law=choice["law"],
                language=choice["language"],
                kind=choice["kind"],
                jurisdiction=choice["place"] or None,
            )
        except LetterTemplate.DoesNotExist:
            return {"preview_form": preview_form, "preview_missing": True}
        return {
            "preview_form": preview_form,
            "letter_preview": preview.letter,
            "previewed": preview,
            "preview_place": jurisdiction_name(preview.jurisdiction),
        }


@admin.register(DataRequest)
class DataRequestAdmin(PersonalFieldsForSuperusersOnly):
    personal_fields = PERSONAL_FIELDS
    personal_list_display = ("email",)
    personal_search_fields = ("=email",)
    list_display = ["id", "campaign", "target", "law", "language", "status", "failure_reason", "created_at", "sent_at"]
    list_filter = ["status", "campaign", "target", "law", "language"]
    list_select_related = ["campaign", "target"]
    actions = ["requeue"]
    readonly_fields = ["consented_to"]

    @admin.display(description=_("privacy policy agreed to"))
    def consented_to(self, obj):
        return policy_version_link(obj.privacy_policy)

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
