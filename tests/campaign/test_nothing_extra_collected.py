"""Only what the letter needs: no IP address, user agent, referrer or analytics in the database."""

import re

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse

from requests_app import tokens
from requests_app.models import DataRequest
from requests_app.retention import PERSONAL_FIELDS
from requests_app.sending import send_letter
from tests.requests_app.test_retention import personal_values_in_database

pytestmark = pytest.mark.django_db

PROJECT_APPS = ["campaign", "dashboard", "requests_app"]
TRACKING_NAME = re.compile(
    r"(^|_)(ip|ips|ip_address|remote|addr|user_agent|agent|browser|device|referr?er|session|"
    r"fingerprint|geo|location|latitude|longitude|visitor|tracking_id|utm|analytics)(_|$)"
)
# What a request says about the visitor, beyond the form itself.
VISITOR = {
    "REMOTE_ADDR": "203.0.113.77",
    "HTTP_USER_AGENT": "Mozilla/5.0 (TakebackProbe 9.9.9)",
    "HTTP_REFERER": "https://referrer.example.net/some/page",
    "HTTP_X_FORWARDED_FOR": "198.51.100.23",
    "HTTP_ACCEPT_LANGUAGE": "fr-CA,fr;q=0.9",
}
MARKERS = ["203.0.113", "TakebackProbe", "referrer.example.net", "198.51.100", "fr-CA"]


def project_fields():
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                yield model, field


def test_no_model_has_a_field_for_tracking_visitors():
    fields = list(project_fields())
    assert len(fields) > 50

    for model, field in fields:
        assert not isinstance(field, models.GenericIPAddressField), f"{model.__name__}.{field.name}"
        assert not TRACKING_NAME.search(field.name), f"{model.__name__}.{field.name} looks like tracking"


def test_the_personal_fields_are_exactly_what_the_letter_needs():
    def text_fields(model):
        return {f.name for f in model._meta.get_fields() if isinstance(f, (models.CharField, models.TextField))}

    request_text = text_fields(apps.get_model("requests_app", "DataRequest"))
    subscriber_text = text_fields(apps.get_model("campaign", "Subscriber"))

    # Every other text field holds codes, wording or reasons, never something about the visitor.
    # The letter, and its From, Cc, Reply-To and Subject as sent (they carry the name and address): all
    # erased together.
    personal = {"first_name", "last_name", "email", "letter_subject", "letter_body"}
    personal |= {"sent_from", "sent_cc", "sent_reply_to", "sent_subject"}
    assert set(PERSONAL_FIELDS) == personal
    assert request_text - personal == {
        "jurisdiction",
        "law",
        "language",
        "kind",
        "consent_text",
        "status",
        "failure_reason",
        "sent_to",
        # The letter's Message-ID as sent: a keyed hash of the request on the sending domain.
        "sent_message_id",
        "outcome",
        # The campaign link's ?source= code (a newsletter, a partner): a short slug, never the visitor.
        "source",
        # The random part of the request's reply address.
        "reply_token",
    }
    assert subscriber_text == {"first_name", "last_name", "email", "language", "consent_text"}


def test_a_whole_visit_leaves_nothing_about_the_visitor_behind(client, campaign, supporter_form, redis_cache):
    client.get("/", **VISITOR)
    client.post("/fr/c/clearview/", dict(supporter_form, wants_updates="on"), **VISITOR)
    request = DataRequest.objects.get()
    client.post(
        reverse("requests_app:confirm", kwargs={"token": tokens.make_token(request, purpose=tokens.CONFIRM)}),
        **VISITOR,
    )
    send_letter(request_id=request.pk)
    client.get(reverse("requests_app:status", kwargs={"token": tokens.make_token(request, purpose=tokens.STATUS)}))
    client.get("/en/", **VISITOR)  # the language switcher: a plain link

    database = personal_values_in_database()
    assert "jeanne.tremblay@example.org" in database  # the letter's own data is there...
    for marker in MARKERS:
        assert marker not in database, marker  # ...and nothing else about the visitor
    cached = " ".join(redis_cache.keys("*") + [str(redis_cache.get(key)) for key in redis_cache.keys("*")])
    assert redis_cache.keys("*")
    for marker in [*MARKERS, "jeanne", "tremblay"]:
        assert marker not in cached.lower(), marker
