"""Production settings: `check --deploy` clean, strict headers, no inline code, no secret, no start."""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from requests_app import tokens
from tests.conftest import ROOT
from tests.supporters import confirmed

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "production-like-" + "k" * 50,
    "DJANGO_ALLOWED_HOSTS": "takeback.example.org",
    "SITE_URL": "https://takeback.example.org",
    "CACHE_URL": "redis://127.0.0.1:6379/5",
    "ANYMAIL_WEBHOOK_SECRET": "provider:" + "w" * 24,
}

INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE), "an inline <script>"),
    (re.compile(r"<style\b", re.IGNORECASE), "a <style> block"),
    (re.compile(r"\sstyle\s*=", re.IGNORECASE), "a style= attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.IGNORECASE), "an on…= event handler"),
    (re.compile(r"javascript:", re.IGNORECASE), "a javascript: URL"),
]


def manage(*arguments: str, environment: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def test_check_deploy_is_clean_under_production_values():
    result = manage("check", "--deploy", "--fail-level", "WARNING", environment={**os.environ, **PRODUCTION})

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_SECRET_KEY": "short"}, "DJANGO_SECRET_KEY must be set"),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS must be set"),
        ({"ANYMAIL_WEBHOOK_SECRET": None}, "ANYMAIL_WEBHOOK_SECRET must be set"),
        ({"ANYMAIL_WEBHOOK_SECRET": ""}, "ANYMAIL_WEBHOOK_SECRET must be set"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(missing, message):
    environment = {**os.environ, **PRODUCTION}
    for name, value in missing.items():
        if value is None:
            environment.pop(name)
        else:
            environment[name] = value

    result = manage("check", environment=environment)

    assert result.returncode != 0
    assert message in result.stderr


def test_templates_hold_no_inline_scripts_or_styles():
    templates = sorted(Path(ROOT, "templates").rglob("*.html"))
    assert len(templates) > 10
    for template in templates:
        text = template.read_text()
        for pattern, what in INLINE_CODE:
            assert not pattern.search(text), f"{template.relative_to(ROOT)} has {what}"


@pytest.mark.django_db
def test_the_pages_a_supporter_sees_hold_no_inline_code_and_load_nothing_from_elsewhere(client, campaign, settings):
    settings.RATELIMIT_PER_CLIENT = "1000/h"
    request = confirmed(campaign, wants_updates=True)
    status_token = tokens.make_token(request, purpose=tokens.STATUS)
    pages = [
        "/",
        "/fr/c/clearview/",
        "/en/privacy/",
        "/en/c/clearview/check-your-inbox/",
        "/en/c/clearview/resend/",
        reverse("requests_app:confirm", kwargs={"token": tokens.make_token(request, purpose=tokens.CONFIRM)}),
        reverse("requests_app:thanks", kwargs={"token": status_token}),
        reverse("requests_app:status", kwargs={"token": status_token}),
        reverse("requests_app:delete", kwargs={"token": status_token}),
        reverse("requests_app:deleted"),
        client.get(reverse("requests_app:status", kwargs={"token": status_token})).context["unsubscribe_path"],
    ]
    for page in pages:
        response = client.get(page, follow=True)
        assert response.status_code == 200, page
        html = response.content.decode()
        for pattern, what in INLINE_CODE:
            assert not pattern.search(html), f"{page} has {what}"
        for tag, url in re.findall(r"<(script|link|img|iframe|source)\b[^>]*\s(?:src|href)=\"([^\"]*)\"", html):
            assert url.startswith("/") and not url.startswith("//"), f"{page} loads {url} in <{tag}>"


@pytest.mark.django_db
def test_responses_carry_the_security_headers(client, campaign):
    response = client.get("/en/c/clearview/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "policy"),
    [
        ("/static/css/takeback.css", "same-origin"),
        ("/en/privacy/", "same-origin"),
        ("/embed/clearview/", "cross-origin"),
        ("/embed/clearview/counter", "cross-origin"),
        ("/api/campaigns/clearview/stats", "cross-origin"),
    ],
)
def test_only_what_partners_load_may_be_loaded_by_other_sites(client, campaign, path, policy):
    response = client.get(path)

    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == policy
    assert "microphone=()" in response["Permissions-Policy"]


@pytest.mark.parametrize("name", ["DJANGO_SECURE_COOKIES", "DJANGO_DEBUG", "EMAIL_USE_TLS"])
def test_a_misspelt_boolean_stops_the_start_naming_the_variable(name):
    result = manage("check", environment={**os.environ, **PRODUCTION, name: "ture"})

    assert result.returncode != 0
    assert f"{name}='ture' is not a boolean" in result.stderr


def test_anymail_boolean_words_become_booleans():
    environment = {
        **os.environ,
        "ANYMAIL_IGNORE_UNSUPPORTED_FEATURES": "false",
        "ANYMAIL_DEBUG_API_REQUESTS": "True",
        "ANYMAIL_POSTMARK_SERVER_TOKEN": "a-token",
    }
    result = manage(
        "shell", "-c", "from django.conf import settings; print(repr(settings.ANYMAIL))", environment=environment
    )

    anymail = ast.literal_eval(result.stdout.splitlines()[-1])
    assert anymail["IGNORE_UNSUPPORTED_FEATURES"] is False
    assert anymail["DEBUG_API_REQUESTS"] is True
    assert anymail["POSTMARK_SERVER_TOKEN"] == "a-token"


def test_an_unsubscribe_mailbox_that_is_no_address_stops_the_start():
    result = manage("check", environment={**os.environ, **PRODUCTION, "TAKEBACK_UNSUBSCRIBE_MAILBOX": "unsubscribe"})

    assert result.returncode != 0
    assert "TAKEBACK_UNSUBSCRIBE_MAILBOX='unsubscribe' is not an email address" in result.stderr
