"""The email provider's webhooks: only the configured provider's endpoints, only with a secret.

django-anymail routes every provider it knows, and without ANYMAIL_WEBHOOK_SECRET its views only
warn and accept anything: one unauthenticated POST could mark a letter bounced. Here a webhook
answers 404 unless it belongs to the provider EMAIL_BACKEND names (settings.EMAIL_PROVIDER), and
403, changing nothing, whenever no secret is configured, in every mode. Production refuses to
start without the secret (settings.py), and `check --deploy` reports it (config.checks).
"""

from anymail.utils import get_anymail_setting
from django.conf import settings
from django.http import Http404, HttpResponseForbidden
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt


def webhook_secret() -> str:
    return get_anymail_setting("webhook_secret", default="") or ""


@csrf_exempt  # the provider posts from its servers; the basic-auth secret authenticates it
def provider_webhook(request, provider: str, endpoint: str):
    if not settings.EMAIL_PROVIDER or provider != settings.EMAIL_PROVIDER:
        raise Http404("No such webhook.")
    if not webhook_secret():
        return HttpResponseForbidden("Webhooks are off: ANYMAIL_WEBHOOK_SECRET is not set.")
    try:
        match = resolve(f"/{provider}/{endpoint}", urlconf="anymail.urls")
    except Resolver404 as error:
        raise Http404("No such webhook.") from error
    return match.func(request, *match.args, **match.kwargs)
