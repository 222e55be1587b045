"""Rate limits on the public forms: per client and per address, hashed keys in Redis, a friendly 429."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django_ratelimit import UNSAFE
from django_ratelimit.core import get_usage

from config.ratelimits import hashed_client
from requests_app import tokens
from requests_app.models import DataRequest
from tests.conftest import free_port
from tests.supporters import submitted

pytestmark = pytest.mark.django_db


def submit(client, form: dict, *, email: str, language: str = "en", **headers):
    return client.post(f"/{language}/c/clearview/", dict(form, email=email), **headers)


def test_a_client_that_submits_too_often_gets_the_friendly_page(client, campaign, supporter_form, settings):
    settings.RATELIMIT_PER_CLIENT = "3/h"
    for n in range(3):
        assert submit(client, supporter_form, email=f"person{n}@example.org").status_code == 302

    refused = submit(client, supporter_form, email="person3@example.org")

    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert DataRequest.objects.count() == 3


def test_the_friendly_page_speaks_french(client, campaign, supporter_form, settings):
    settings.RATELIMIT_PER_CLIENT = "1/h"
    submit(client, supporter_form, email="person@example.org", language="fr")

    refused = submit(client, supporter_form, email="other@example.org", language="fr")

    assert refused.status_code == 429
    assert "Trop de tentatives" in refused.content.decode()
    assert '<html lang="fr">' in refused.content.decode()


def test_other_clients_are_not_held_back(client, campaign, supporter_form, settings):
    settings.RATELIMIT_PER_CLIENT = "1/h"
    submit(client, supporter_form, email="first@example.org", REMOTE_ADDR="203.0.113.1")

    response = submit(client, supporter_form, email="second@example.org", REMOTE_ADDR="203.0.113.2")

    assert response.status_code == 302


def test_one_address_gets_a_few_emails_a_day_whoever_asks(client, campaign, supporter_form, settings):
    settings.RATELIMIT_PER_EMAIL = "3/d"
    submit(client, supporter_form, email="target@example.org", REMOTE_ADDR="203.0.113.1")
    submit(client, supporter_form, email="TARGET@example.org", REMOTE_ADDR="203.0.113.2")
    client.post("/en/c/clearview/resend/", {"email": "Target@Example.org"}, REMOTE_ADDR="203.0.113.3")

    refused = client.post("/en/c/clearview/resend/", {"email": "target@example.org"}, REMOTE_ADDR="203.0.113.4")

    assert refused.status_code == 429
    assert submit(client, supporter_form, email="someone.else@example.org").status_code == 302


def test_the_confirmation_page_is_limited_per_link_not_per_network(client, campaign, settings):
    settings.RATELIMIT_PER_CLIENT = "2/h"
    request = submitted(campaign)
    link = reverse("requests_app:confirm", kwargs={"token": tokens.make_token(request, purpose=tokens.CONFIRM)})
    client.get(link)
    client.get(link)

    assert client.get(link).status_code == 429
    assert client.post(link).status_code == 429
    request.refresh_from_db()
    assert request.status == "awaiting_confirmation"
    # Colleagues behind the same address each open their own link.
    for number in range(3):
        colleague = submitted(campaign, email=f"colleague{number}@example.org")
        token = tokens.make_token(colleague, purpose=tokens.CONFIRM)
        assert client.get(reverse("requests_app:confirm", kwargs={"token": token})).status_code == 200


def test_behind_a_proxy_it_counts_the_address_the_proxy_saw(client, campaign, supporter_form, settings):
    settings.RATELIMIT_PER_CLIENT = "1/h"
    settings.TAKEBACK_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    submit(client, supporter_form, email="a@example.org", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.7")

    # Forging the first entry does not help: the last one is what our proxy added.
    forged = submit(client, supporter_form, email="b@example.org", HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7")
    other = submit(client, supporter_form, email="c@example.org", HTTP_X_FORWARDED_FOR="198.51.100.8")

    assert forged.status_code == 429
    assert other.status_code == 302


def test_the_cache_holds_only_hashed_keys_that_expire(client, campaign, supporter_form, redis_cache):
    submit(client, supporter_form, email="Jeanne.Tremblay@Example.org", REMOTE_ADDR="203.0.113.77")

    keys = redis_cache.keys("*")
    assert len(keys) >= 2
    for key in keys:
        assert "jeanne" not in key.lower() and "203.0.113" not in key
        assert isinstance(redis_cache.get(key), int)
        assert 0 < redis_cache.ttl(key) <= 24 * 3600 + 5


def test_the_site_keeps_accepting_submissions_when_the_cache_is_down(client, campaign, supporter_form, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        },
    }

    response = submit(client, supporter_form, email="jeanne.tremblay@example.org")

    assert response.status_code == 302
    assert DataRequest.objects.count() == 1


def test_the_client_key_is_keyed_with_the_sites_secret(client, campaign, supporter_form, rf, settings):
    submit(client, supporter_form, email="jeanne@example.org", REMOTE_ADDR="203.0.113.77")
    # Someone who can read the cache and guesses the address cannot find its counter: django-ratelimit's
    # own hash of the bare address names nothing, only the key made with the site's secret does.
    probe = rf.post("/en/c/clearview/", REMOTE_ADDR="203.0.113.77")
    usage = {"group": "takeback.request-form", "rate": settings.RATELIMIT_PER_CLIENT, "method": UNSAFE}

    assert get_usage(probe, key="ip", **usage)["count"] == 0
    assert get_usage(probe, key=hashed_client, **usage)["count"] == 1


def test_the_same_mailbox_spelt_otherwise_shares_the_per_address_limit(client, campaign, supporter_form, settings):
    settings.RATELIMIT_PER_EMAIL = "2/d"
    submit(client, supporter_form, email="victim@example.org", REMOTE_ADDR="203.0.113.1")
    client.post("/en/c/clearview/resend/", {"email": '"victim"@example.org'}, REMOTE_ADDR="203.0.113.2")

    refused = submit(client, supporter_form, email='"victim"@EXAMPLE.org', REMOTE_ADDR="203.0.113.3")

    assert refused.status_code == 429


def test_two_spellings_of_one_mailbox_make_one_request(client, campaign, supporter_form):
    for spelling in ("victim@example.org", '"victim"@example.org', '"Victim"@Example.ORG', "VICTIM@example.org"):
        assert submit(client, supporter_form, email=spelling).status_code == 302

    assert list(DataRequest.objects.values_list("email", flat=True)) == ["victim@example.org"]


def test_behind_a_proxy_one_attackers_failed_logins_lock_out_only_the_attacker(client, settings, db):
    settings.TAKEBACK_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    get_user_model().objects.create_superuser("admin", password="the-right-password")
    login = reverse("admin:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(
            login,
            {"username": "admin", "password": "guess"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.66",
        )

    admin = Client()
    response = admin.post(
        login,
        {"username": "admin", "password": "the-right-password", "next": "/admin/"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert response.status_code == 302 and response["Location"] == "/admin/"
    locked = client.post(
        login,
        {"username": "admin", "password": "the-right-password"},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.66",
    )
    assert locked.status_code == 429
