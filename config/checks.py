"""System checks of the project's own: `manage.py check --deploy` fails on what production needs."""

from django.core.checks import Error, Tags, register

from config.webhooks import webhook_secret


@register(Tags.security, deploy=True)
def webhook_secret_is_set(app_configs, **kwargs) -> list[Error]:
    if webhook_secret():
        return []
    return [
        Error(
            "ANYMAIL_WEBHOOK_SECRET is not set: the email provider's webhooks would refuse every event.",
            hint="Set ANYMAIL_WEBHOOK_SECRET=user:long-random-password and give the same to the provider.",
            id="takeback.E001",
        )
    ]
