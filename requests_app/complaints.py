"""The complaint to the regulator when the target refused or did not answer in time.

Complaint texts are plain-text templates, one per regulator and language, in
templates/complaints/<kind>.<language>.txt, with how and where to file each in
templates/complaints/<kind>-filing.<language>.html. They are filled with the request's own dates
and the letter that went out.
"""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation

from requests_app.followup import Timeline, request_timeline
from requests_app.laws import CALIFORNIA_AG, QUEBEC_CAI, Law, Regulator, add_months, jurisdiction_name, regulator_for
from requests_app.letters import tidy_blank_lines
from requests_app.models import DataRequest, Outcome, RequestKind

LANGUAGES = ("en", "fr")
QUEBEC = "quebec"


@dataclass(frozen=True)
class FilingPeriod:
    months: int = 0
    days: int = 0

    def after(self, start: datetime.date) -> datetime.date:
        return add_months(start, self.months) + datetime.timedelta(days=self.days)


# How long a regulator gives you, from the refusal or the missed deadline. PIPEDA s.11(3): six
# months. Quebec: 30 days for an examination of a disagreement. The ICO asks for complaints within
# three months of the last contact with the organisation. The GDPR and the CCPA set no limit.
FILING_PERIODS = {
    Law.PIPEDA: FilingPeriod(months=6),
    QUEBEC: FilingPeriod(days=30),
    Law.UK_GDPR: FilingPeriod(months=3),
}


ALTERNATIVES = {Law.CCPA: CALIFORNIA_AG}


@dataclass(frozen=True)
class Complaint:
    kind: str  # the template's name: a law, or "quebec"
    language: str
    regulator: Regulator | None
    # Another body the same complaint can go to (the California Attorney General for the CCPA).
    alternative: Regulator | None
    file_by: datetime.date | None
    text: str
    filing_template: str

    @property
    def filename(self) -> str:
        return f"complaint-{self.kind}-{self.language}.txt"


def complaint_kinds(request: DataRequest) -> list[str]:
    """Where this supporter can complain: the law's regulator, and for Quebec residents the
    Commission d'accès à l'information as well."""
    kinds = [request.law]
    if request.law == Law.PIPEDA and request.jurisdiction == "CA-QC":
        kinds.append(QUEBEC)
    return kinds


def complaint_available(request: DataRequest, *, timeline: Timeline) -> bool:
    # After erasure there is no name or letter left to complain with.
    return timeline.can_complain and bool(request.letter_body)


def build_complaints(request: DataRequest, *, language: str, now: datetime.datetime | None = None) -> list[Complaint]:
    return [build_complaint(request, kind=kind, language=language, now=now) for kind in complaint_kinds(request)]


def build_complaint(
    request: DataRequest, *, kind: str, language: str, now: datetime.datetime | None = None
) -> Complaint:
    language = language if language in LANGUAGES else "en"
    timeline = request_timeline(request, now=now)
    regulator = QUEBEC_CAI if kind == QUEBEC else regulator_for(law=request.law, jurisdiction=request.jurisdiction)
    refused_on = (
        timezone.localdate(request.outcome_at) if request.outcome == Outcome.REFUSED and request.outcome_at else None
    )
    # The clock for filing starts at the refusal, or when the deadline that applied ran out.
    period = FILING_PERIODS.get(kind)
    file_by = period.after(refused_on or timeline.current_deadline) if period else None
    context = {"timeline": timeline, "regulator": regulator, "refused_on": refused_on, "file_by": file_by}
    # Inside the language: jurisdiction names and dates are translated as they are read.
    with translation.override(language):
        text = render_to_string(f"complaints/{kind}.{language}.txt", _complaint_context(request, **context))
    return Complaint(
        kind=kind,
        language=language,
        regulator=regulator,
        alternative=ALTERNATIVES.get(kind),
        file_by=file_by,
        text=tidy_blank_lines(text),
        filing_template=f"complaints/{kind}-filing.{language}.html",
    )


def _complaint_context(
    request: DataRequest,
    *,
    timeline: Timeline,
    regulator: Regulator | None,
    refused_on: datetime.date | None,
    file_by: datetime.date | None,
) -> dict:
    return {
        "full_name": request.full_name,
        "email": request.email,
        "jurisdiction_name": jurisdiction_name(request.jurisdiction),
        "target_name": request.target.name,
        "target_email": request.target.privacy_email,
        "target_address": request.target.postal_address,
        "target_address_line": ", ".join(
            line.strip() for line in request.target.postal_address.splitlines() if line.strip()
        ),
        "campaign_title": request.campaign.title,
        "law": timeline.law,
        "sent_on": timeline.sent_on,
        "deadline": timeline.deadline,
        "current_deadline": timeline.current_deadline,
        "was_extended": timeline.was_extended,
        "refused": request.outcome == Outcome.REFUSED,
        "refused_on": refused_on,
        "answered_in_time": request.answered_in_time,
        "reply_received_on": timeline.reply_received_on,
        "wants_access": request.kind in (RequestKind.ACCESS_AND_DELETION, RequestKind.ACCESS),
        "wants_deletion": request.kind in (RequestKind.ACCESS_AND_DELETION, RequestKind.DELETION),
        "is_quebec": request.jurisdiction == "CA-QC",
        "regulator": regulator,
        "file_by": file_by,
        "today": timeline.today,
        "letter_subject": request.letter_subject,
        "letter_body": request.letter_body,
    }
