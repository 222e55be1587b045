import re
import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Layout, Submit
from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from campaign.models import Campaign
from requests_app.addresses import canonical_email, validate_public_mailbox
from requests_app.consent import CAMPAIGN_UPDATES, EMAILS_IN_TOTAL, ONE_REMINDER, SEND_IN_MY_NAME
from requests_app.laws import JURISDICTION_NAMES, jurisdiction_choices
from requests_app.letters import Supporter
from requests_app.models import RequestKind

NAME_PUNCTUATION = set(" -'’.")

# A campaign link's `?source=` code: a short slug ("newsletter-dec", "partner-x"), nothing more.
SOURCE_CODE = re.compile(r"[a-z0-9][a-z0-9_-]{0,39}")


def clean_source_code(value: str) -> str:
    """The code as kept with the request and counted, or "" when it is not a short slug: a bad code
    is ignored, never an error the supporter would have to fix."""
    code = (value or "").strip().lower()
    return code if SOURCE_CODE.fullmatch(code) else ""


def validate_name(value: str) -> None:
    """Letters (any script), combining marks, spaces, hyphens, apostrophes and periods.

    Anything else in a name can break an email header, smuggle template or markup syntax, or
    impersonate someone through the From display name ("ceo@…", right-to-left overrides).
    """
    for character in value:
        category = unicodedata.category(character)
        if category[0] in "LM" or character in NAME_PUNCTUATION:
            continue
        raise forms.ValidationError(
            _("Please use only letters, spaces, hyphens, apostrophes and periods."), code="name_characters"
        )


def validate_ascii_email(value: str) -> None:
    if not value.isascii():
        raise forms.ValidationError(
            _(
                "Please use an address written in plain ASCII letters; many mail servers cannot handle other characters yet."
            ),
            code="email_not_ascii",
        )


class CodeChoiceField(forms.ChoiceField):
    """A choice checked against the set of its codes. Django's own check walks every choice (and
    translates every name in it), which was a third of a submission's own work."""

    def __init__(self, *, codes, **kwargs):
        super().__init__(**kwargs)
        self.codes = frozenset(codes)

    def valid_value(self, value) -> bool:
        return value in self.codes


class DataRequestForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, validators=[validate_name])
    last_name = forms.CharField(label=_("Last name"), max_length=100, validators=[validate_name])
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        validators=[validate_ascii_email, validate_public_mailbox],
        # Its help text names the campaign's target(s): set in __init__.
    )
    jurisdiction = CodeChoiceField(
        codes=JURISDICTION_NAMES,
        label=_("Where do you live?"),
        # A callable, so the names are sorted in the visitor's language each time the form renders.
        choices=lambda: [("", _("Choose…")), *jurisdiction_choices()],
        help_text=_("This decides which law your letter relies on."),
    )
    kind = CodeChoiceField(
        codes=RequestKind.values,
        label=_("What should the letter ask for?"),
        choices=RequestKind.choices,
        initial=RequestKind.ACCESS_AND_DELETION,
        widget=forms.RadioSelect,
    )
    consent = forms.BooleanField(
        label=SEND_IN_MY_NAME,
        required=True,
        error_messages={"required": _("Tick this box so that we may send the letter in your name.")},
    )
    wants_reminder = forms.BooleanField(label=ONE_REMINDER, required=False, help_text=EMAILS_IN_TOTAL)
    wants_updates = forms.BooleanField(label=CAMPAIGN_UPDATES, required=False)
    # Honeypot: hidden from people (and from screen readers and the keyboard); bots fill it in.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    # Filled from the page's `?source=` by static/js/takeback.js, so the page itself stays the same
    # for every visitor (any shared cache may keep it).
    source = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-source-code": ""}))

    def __init__(self, *args, campaign: Campaign, action: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.action = action
        self.fields["email"].help_text = format_lazy(
            _("{target} will answer here. We send you a link to confirm it is yours."), target=campaign.target_names
        )
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})

    @cached_property
    def helper(self) -> FormHelper:
        # Built when the form is rendered: an accepted submission redirects without needing it.
        helper = FormHelper()
        helper.form_action = self.action
        helper.form_id = "request-form"
        # No CSRF token: the page must be the same for every visitor, so that any cache may keep it.
        # The views that take this form refuse posts from other sites (config/crosssite.py).
        helper.disable_csrf = True
        helper.layout = Layout(
            Div(Div("first_name", css_class="col-sm-6"), Div("last_name", css_class="col-sm-6"), css_class="row"),
            "email",
            "jurisdiction",
            "kind",
            HTML(
                format_html(
                    '<p class="small">{} <a href="{}">{}</a></p>',
                    _("We use your details only to send this letter and the emails you choose below."),
                    reverse("campaign_privacy", kwargs={"slug": self.campaign.slug}),
                    _("Read the privacy policy."),
                )
            ),
            "consent",
            "wants_reminder",
            "wants_updates",
            Div(Field("website"), css_class="honeypot", aria_hidden="true"),
            "source",
            Submit("submit", _("Write my letter"), css_class="btn-lg"),
        )
        return helper

    def clean_email(self):
        return canonical_email(self.cleaned_data["email"])

    def clean_first_name(self):
        return self.cleaned_data["first_name"].strip()

    def clean_last_name(self):
        return self.cleaned_data["last_name"].strip()

    def clean_source(self):
        return clean_source_code(self.cleaned_data["source"])

    def is_bot(self) -> bool:
        return bool(self.cleaned_data.get("website"))

    def supporter(self) -> Supporter:
        data = self.cleaned_data
        return Supporter(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            jurisdiction=data["jurisdiction"],
            kind=data["kind"],
        )


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"), max_length=254, validators=[validate_ascii_email, validate_public_mailbox]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("email", Submit("submit", _("Send the link again")))

    def clean_email(self):
        return canonical_email(self.cleaned_data["email"])
