"""Privacy-policy versions: a version someone agreed to never changes; a change is a new version."""

from django.core.exceptions import ValidationError

from campaign.models import PrivacyPolicy


class PolicyVersionConsented(ValueError):
    pass


def save_privacy_policy(*, policy: PrivacyPolicy) -> PrivacyPolicy:
    """Save a new version, or an edit to one nobody has consented to yet; refuse anything else."""
    try:
        policy.clean()
    except ValidationError as error:
        raise PolicyVersionConsented(" ".join(error.messages)) from error
    policy.save()
    return policy
