"""The steps after a refusal or a missed deadline: the complaint to the regulator, and before it,
where a law requires one, the appeal or complaint to the company itself.

Texts are plain-text templates, one per step (its `kind`) and language, in
templates/complaints/<kind>.<language>.txt, with how and where to file each in
templates/complaints/<kind>-filing.<language>.html. They are filled with the request's own dates
and the letter that went out.

Each step has the day it opens and, where the regulator sets a time limit, the day to file it by:
- PIPEDA: the OPC; six months (s.11(3)) only for a refused access request.
- Quebec, British Columbia, Alberta: their commissioner, alongside PIPEDA, from their own deadline
  (Quebec: day 31 whatever PIPEDA allows, since P-39.1 s.32 has no extension). British Columbia's
  30 days to ask for a review run only from a refusal, not from silence (BC PIPA s.47(3)(a)).
- UK: a complaint to the controller (DPA 2018 s.164A) first; the ICO 30 days after it, when the
  controller has not acknowledged it (s.164A(3)); within three months of that last contact.
- US states: an appeal to the company first; the Attorney General once the appeal period has passed.
- Washington: the appeal the Act gives, and the Attorney General (the appeal is not a bar).

The day the supporter sent the step to the company is theirs to record (`record_company_step`,
`DataRequest.company_step_taken_on`). Until they do, the regulator's step is counted from the day
the company's step opened, and says that this is an assumption.
"""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone, translation

from requests_app.findings import target_findings
from requests_app.followup import ONE_DAY, Timeline, request_timeline
from requests_app.laws import (
    ALBERTA,
    BRITISH_COLUMBIA,
    CALIFORNIA_AG,
    QUEBEC,
    Law,
    LawFacts,
    Period,
    Regulator,
    jurisdiction_name,
    provincial_law,
)
from requests_app.letters import tidy_blank_lines
from requests_app.models import DataRequest, Outcome, RequestKind

LANGUAGES = ("en", "fr")
# Brazil's complaint also in Portuguese, the ANPD's language.
EXTRA_LANGUAGES = {Law.LGPD: ("pt",)}
UK_CONTROLLER = "uk_gdpr_controller"
US_STATE_APPEAL = "us_state_appeal"
WA_APPEAL = "wa_mhmda_appeal"
# Steps addressed to the company, not to a regulator.
TO_THE_COMPANY = {UK_CONTROLLER, US_STATE_APPEAL, WA_APPEAL}

ALTERNATIVES = {Law.CCPA: CALIFORNIA_AG}


@dataclass(frozen=True)
class Complaint:
    kind: str  # the template's name: a law, a province, or a step to the company
    language: str
    regulator: Regulator | None
    # Another body the same complaint can go to (the California Attorney General for the CCPA).
    alternative: Regulator | None
    opens_on: datetime.date
    file_by: datetime.date | None
    text: str
    filing_template: str
    to_company: bool = False
    # Other languages the text can be downloaded in (Portuguese for Brazil).
    other_languages: tuple[str, ...] = ()
    # A step to the company: the day the supporter recorded sending it (None until they do).
    taken_on: datetime.date | None = None
    # A regulator's step that waits for the step to the company: the day that step was taken,
    # recorded by the supporter or, while they have not, assumed to be the day it opened.
    counted_from: datetime.date | None = None
    counted_from_assumed: bool = False

    @property
    def filename(self) -> str:
        return f"complaint-{self.kind}-{self.language}.txt"


@dataclass(frozen=True)
class Step:
    kind: str
    regulator: Regulator | None
    opens_on: datetime.date
    file_by: datetime.date | None = None
    taken_on: datetime.date | None = None
    counted_from: datetime.date | None = None
    counted_from_assumed: bool = False


def _refused_on(request: DataRequest) -> datetime.date | None:
    if request.outcome == Outcome.REFUSED and request.outcome_at:
        return timezone.localdate(request.outcome_at)
    return None


def _after(period: Period | None, start: datetime.date) -> datetime.date | None:
    return period.after(start) if period else None


def complaint_steps(request: DataRequest, *, timeline: Timeline) -> list[Step]:
    """Every step open to this supporter now, in the order to take them; empty while none is."""
    if timeline.sent_on is None or timeline.current_deadline is None:
        return []
    law = timeline.law
    refused_on = _refused_on(request)
    steps: list[Step] = []
    if timeline.can_complain:
        # The clock for filing starts at the refusal, or when the deadline that applied ran out.
        start = refused_on or timeline.current_deadline
        steps.extend(_main_route(request, law=law, start=start, opens_on=refused_on or start + ONE_DAY))
    if (provincial := provincial_law(request.jurisdiction)) and request.outcome != Outcome.ANSWERED:
        step = _provincial_step(provincial, timeline=timeline, refused_on=refused_on)
        if step is not None:
            steps.append(step)
    return steps


def _company_step_kind(request: DataRequest, *, law: LawFacts) -> str | None:
    """The step this request's law puts before the regulator, addressed to the company; None if none."""
    if request.law == Law.UK_GDPR:
        return UK_CONTROLLER
    if request.law == Law.US_STATE and law.appeal_citation:
        return US_STATE_APPEAL
    if request.law == Law.WA_MHMDA:
        return WA_APPEAL
    return None


def _main_route(request: DataRequest, *, law: LawFacts, start: datetime.date, opens_on: datetime.date) -> list[Step]:
    wants_access = request.kind in (RequestKind.ACCESS_AND_DELETION, RequestKind.ACCESS)
    if company_step := _company_step_kind(request, law=law):
        taken_on = request.company_step_taken_on
        to_company = Step(company_step, None, opens_on, taken_on=taken_on)
        if company_step == WA_APPEAL:
            # The Act does not make the appeal a bar: the Attorney General is open at once.
            return [to_company, Step(Law.WA_MHMDA, law.regulator, opens_on)]
        # The UK controller's 30 days to acknowledge (s.164A(3)), a state's days to decide the
        # appeal: counted from the day the supporter sent it, never before the route opens.
        counted_from = taken_on or opens_on
        regulator_opens = max(opens_on, counted_from + datetime.timedelta(days=law.appeal_days))
        # The ICO's three months run from the last contact: that complaint, or the day the route opened.
        file_by = _after(law.filing_period, max(opens_on, counted_from))
        return [
            to_company,
            Step(
                request.law,
                law.regulator,
                regulator_opens,
                file_by,
                counted_from=counted_from,
                counted_from_assumed=taken_on is None,
            ),
        ]
    if request.law == Law.PIPEDA:
        # s.11(3): six months only for a complaint about a refused access request.
        return [Step(Law.PIPEDA, law.regulator, opens_on, _after(law.filing_period, start) if wants_access else None)]
    return [Step(request.law, law.regulator, opens_on, _after(law.filing_period, start))]


def _provincial_step(law: LawFacts, *, timeline: Timeline, refused_on: datetime.date | None) -> Step | None:
    """Quebec's, British Columbia's or Alberta's commissioner, from the province's own deadline:
    a PIPEDA extension does not move Quebec's (P-39.1 s.32 allows none)."""
    deadline = law.deadline_after(timeline.sent_on)
    if law.law == BRITISH_COLUMBIA and timeline.was_extended:
        deadline = law.extended_deadline_after(timeline.sent_on)
    if law.law == ALBERTA and timeline.was_extended:
        # Alberta's own extension (s.31) is not verified: follow the one the company gave notice of.
        deadline = max(deadline, timeline.current_deadline)
    if refused_on is None and timeline.today <= deadline:
        return None
    # A refusal after the deadline does not move the start: silence was already a refusal.
    start = min(refused_on, deadline) if refused_on and law.law == QUEBEC else refused_on or deadline
    opens_on = refused_on if refused_on and refused_on <= deadline else deadline + ONE_DAY
    if law.law == BRITISH_COLUMBIA and refused_on is None:
        # BC PIPA s.47(3)(a): the 30 days do not apply to a failure to respond in time.
        return Step(law.law, law.regulator, opens_on)
    return Step(law.law, law.regulator, opens_on, _after(law.filing_period, start))


def complaint_kinds(request: DataRequest, *, timeline: Timeline | None = None) -> list[str]:
    timeline = timeline or request_timeline(request)
    return [step.kind for step in complaint_steps(request, timeline=timeline)]


def complaint_available(request: DataRequest, *, timeline: Timeline) -> bool:
    # After erasure there is no name or letter left to complain with.
    return bool(request.letter_body) and bool(complaint_steps(request, timeline=timeline))


def build_complaints(request: DataRequest, *, language: str, now: datetime.datetime | None = None) -> list[Complaint]:
    timeline = request_timeline(request, now=now)
    return [
        _build(request, step=step, timeline=timeline, language=language)
        for step in complaint_steps(request, timeline=timeline)
    ]


def build_complaint(
    request: DataRequest, *, kind: str, language: str, now: datetime.datetime | None = None
) -> Complaint:
    timeline = request_timeline(request, now=now)
    (step,) = [step for step in complaint_steps(request, timeline=timeline) if step.kind == kind]
    return _build(request, step=step, timeline=timeline, language=language)


def complaint_languages(request: DataRequest) -> tuple[str, ...]:
    return LANGUAGES + EXTRA_LANGUAGES.get(request.law, ())


def _build(request: DataRequest, *, step: Step, timeline: Timeline, language: str) -> Complaint:
    language = language if language in complaint_languages(request) else "en"
    regulator = step.regulator.in_language(language) if step.regulator else None
    # Inside the language: jurisdiction names and dates are translated as they are read.
    with translation.override(language):
        context = _complaint_context(request, timeline=timeline, regulator=regulator, file_by=step.file_by)
        context["target_findings"] = target_findings(
            target=request.target, law=request.law, jurisdiction=request.jurisdiction, language=language
        )
        text = render_to_string(f"complaints/{step.kind}.{language}.txt", context)
    page_language = language if language in LANGUAGES else "en"
    return Complaint(
        kind=step.kind,
        language=language,
        regulator=regulator,
        alternative=ALTERNATIVES.get(step.kind),
        opens_on=step.opens_on,
        file_by=step.file_by,
        text=tidy_blank_lines(text),
        filing_template=f"complaints/{step.kind}-filing.{page_language}.html",
        to_company=step.kind in TO_THE_COMPANY,
        other_languages=EXTRA_LANGUAGES.get(request.law, ()),
        taken_on=step.taken_on,
        counted_from=step.counted_from,
        counted_from_assumed=step.counted_from_assumed,
    )


def _complaint_context(
    request: DataRequest, *, timeline: Timeline, regulator: Regulator | None, file_by: datetime.date | None
) -> dict:
    law = timeline.law
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
        "law": law,
        "law_name": law.name,
        "law_short": law.short,
        "appeal_citation": law.appeal_citation,
        "deletion_citation": law.deletion_citation,
        "appeal_days": law.appeal_days,
        "regulator_name": law.regulator.name if law.regulator else "",
        "sent_on": timeline.sent_on,
        "deadline": timeline.deadline,
        "current_deadline": timeline.current_deadline,
        "was_extended": timeline.was_extended,
        "refused": request.outcome == Outcome.REFUSED,
        "refused_on": _refused_on(request),
        "answered_in_time": request.answered_in_time,
        "reply_received_on": timeline.reply_received_on,
        "wants_access": request.kind in (RequestKind.ACCESS_AND_DELETION, RequestKind.ACCESS),
        "wants_deletion": request.kind in (RequestKind.ACCESS_AND_DELETION, RequestKind.DELETION),
        "is_quebec": request.jurisdiction == "CA-QC",
        "is_texas": request.jurisdiction == "US-TX",
        "regulator": regulator,
        "file_by": file_by,
        # The day the supporter recorded sending their s.164A complaint or appeal; they fill in
        # the dates of any answer to it.
        "controller_complaint_on": request.company_step_taken_on,
        "appeal_on": request.company_step_taken_on,
        "controller_acknowledged_on": None,
        "controller_outcome_on": None,
        "today": timeline.today,
        "letter_subject": request.letter_subject,
        "letter_body": request.letter_body,
    }


class CompanyStepNotRecorded(ValueError):
    """Why the day of the step to the company cannot be recorded: "no_step" (none is open to this
    request) or "date" (missing, before the letter went out, or in the future)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def record_company_step(
    request: DataRequest, *, taken_on: datetime.date | None, now: datetime.datetime | None = None
) -> None:
    """Record the day the supporter sent the step their law puts before the regulator (the UK's
    s.164A complaint, a US state's or Washington's appeal). Recording it again corrects it."""
    timeline = request_timeline(request, now=now)
    steps = complaint_steps(request, timeline=timeline) if request.letter_body else []
    if not any(step.kind in TO_THE_COMPANY for step in steps):
        raise CompanyStepNotRecorded("no_step")
    if taken_on is None or not (timeline.sent_on <= taken_on <= timeline.today):
        raise CompanyStepNotRecorded("date")
    request.company_step_taken_on = taken_on
    request.save(update_fields=["company_step_taken_on"])
