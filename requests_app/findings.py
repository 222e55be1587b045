"""Regulators' and courts' findings against a target, as campaign data quoted in letters and complaints."""

from functools import partial

from campaign.content_cache import cached_content
from campaign.models import Target
from requests_app.models import TargetFinding


def target_findings(*, target: Target, law: str, jurisdiction: str, language: str) -> str:
    """The findings against `target` that concern a supporter under `law` in `jurisdiction`, as one
    paragraph per finding in `language` (English where no translation was written); empty if none."""
    # Read on every submission: kept with the other campaign content for a few seconds.
    findings = cached_content(
        f"findings:{target.pk}:{law}:{jurisdiction}",
        partial(_findings, target=target, applies_to=[law, jurisdiction]),
    )
    for candidate in (language, "en"):
        texts = [finding.text.strip() for finding in findings if finding.language == candidate]
        if texts:
            return "\n\n".join(texts)
    return ""


def _findings(*, target: Target, applies_to: list[str]) -> list[TargetFinding]:
    return list(TargetFinding.objects.filter(target=target, applies_to__in=applies_to))
