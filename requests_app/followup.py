"""After the letter: the legal deadline and where to turn when it passes."""

import datetime
from dataclasses import dataclass

from requests_app.laws import LAWS, LawFacts, Regulator, regulator_for
from requests_app.models import DataRequest


@dataclass(frozen=True)
class Timeline:
    law: LawFacts
    sent_on: datetime.date | None
    deadline: datetime.date | None
    extended_deadline: datetime.date | None
    regulator: Regulator | None


def request_timeline(request: DataRequest) -> Timeline:
    law = LAWS[request.law]
    sent_on = request.sent_at.date() if request.sent_at else None
    return Timeline(
        law=law,
        sent_on=sent_on,
        deadline=law.deadline_after(sent_on) if sent_on else None,
        extended_deadline=law.extended_deadline_after(sent_on)
        if sent_on and (law.extension_days or law.extension_months)
        else None,
        regulator=regulator_for(law=request.law, jurisdiction=request.jurisdiction),
    )
