"""Every place in the form, one row each: the law its residents get, the letter in both languages and
for each kind of request with that law's citations, the deadline and extension, the regulator, and
the complaint or appeal the request leads to when the deadline passes unanswered.

COVERED is kept by hand from the legal research (checked 2026-11-29; the README's "Laws" section): a place where a
law gives residents rights against a face-search company. A test fails when such a place gets the
general letter, and when the form gains a place nobody has classified.
"""

import datetime

import pytest
from django.utils import translation

from requests_app.complaints import build_complaints
from requests_app.followup import mark_overdue_requests, request_timeline, schedule_follow_ups
from requests_app.laws import (
    CANADIAN_PROVINCES,
    DATA_PROTECTION_AUTHORITIES,
    EEA_COUNTRIES,
    US_STATE_LAWS,
    Law,
    jurisdiction_choices,
    law_for_jurisdiction,
)
from requests_app.letters import Supporter, current_template, render_letter
from requests_app.models import RequestKind

pytestmark = pytest.mark.django_db

US_STATE_CODES = ["VA", "TX", "CT", "UT", "OR", "MT", "DE", "NE", "NH", "NJ", "TN", "IN", "KY", "RI", "MN"]
COVERED: dict[str, Law] = {
    **{f"CA-{code}": Law.PIPEDA for code in CANADIAN_PROVINCES},
    **{code: Law.GDPR for code in EEA_COUNTRIES},
    "GB": Law.UK_GDPR,
    "US-CA": Law.CCPA,
    "US-IL": Law.BIPA,
    "US-WA": Law.WA_MHMDA,
    **{f"US-{code}": Law.US_STATE for code in US_STATE_CODES},
    "BR": Law.LGPD,
    "AU": Law.AUSTRALIA,
    "CH": Law.NFADP,
}
# A comprehensive privacy law covers these states, but the research could not verify its response
# period, extension and appeal in the statute: they keep the general letter (README, "Laws").
COVERED_BUT_UNVERIFIED = {"US-CO", "US-IA", "US-MD"}
# No law found that reaches a face-search company: no comprehensive privacy law, or one not yet in
# force on 2026-11-29 (Oklahoma, Louisiana, Alabama, Vermont), or one that reaches only much larger
# companies (Florida).
NO_LAW = {
    *(
        f"US-{code}"
        for code in [
            "AL",
            "AK",
            "AZ",
            "AR",
            "DC",
            "FL",
            "GA",
            "HI",
            "ID",
            "KS",
            "LA",
            "ME",
            "MA",
            "MI",
            "MS",
            "MO",
            "NV",
            "NM",
            "NY",
            "NC",
            "ND",
            "OH",
            "OK",
            "PA",
            "SC",
            "SD",
            "VT",
            "WV",
            "WI",
            "WY",
        ]
    ),
    "OTHER",
}

SENT = datetime.datetime(2026, 3, 2, 15, tzinfo=datetime.UTC)  # a Monday
LONG_AFTER = datetime.datetime(2026, 8, 1, 12, tzinfo=datetime.UTC)
# (deadline, latest extended deadline or None) for a letter sent on Monday 2 March 2026.
DEADLINES = {
    Law.PIPEDA: (datetime.date(2026, 4, 1), datetime.date(2026, 5, 1)),
    Law.GDPR: (datetime.date(2026, 4, 2), datetime.date(2026, 6, 2)),
    Law.UK_GDPR: (datetime.date(2026, 4, 2), datetime.date(2026, 6, 2)),
    Law.CCPA: (datetime.date(2026, 4, 16), datetime.date(2026, 5, 31)),
    Law.BIPA: (datetime.date(2026, 4, 1), None),
    Law.US_STATE: (datetime.date(2026, 4, 16), datetime.date(2026, 5, 31)),
    Law.WA_MHMDA: (datetime.date(2026, 4, 16), datetime.date(2026, 5, 31)),
    Law.LGPD: (datetime.date(2026, 3, 17), None),
    Law.AUSTRALIA: (datetime.date(2026, 4, 1), None),
    Law.NFADP: (datetime.date(2026, 4, 1), None),
    Law.GENERAL: (datetime.date(2026, 4, 1), None),
}
# What the English letter cites, for each law.
CITATIONS = {
    Law.PIPEDA: ["section 8 of PIPEDA", "Section 8(3)", "Section 5(3)"],
    Law.GDPR: ["Art. 15", "Art. 17(1)(d)", "Art. 12(3)", "Art. 77(1)"],
    Law.UK_GDPR: ["Art. 15", "Articles 12(3) and 12A of the UK GDPR", "section 165"],
    Law.CCPA: ["1798.110", "1798.120", "1798.121", "1798.140(v)(2)", "15 business days"],
    Law.BIPA: ["740 ILCS 14/10", "15(a)", "15(b)"],
    Law.US_STATE: [],  # each state's own, below
    Law.WA_MHMDA: ["RCW 19.373.040(1)(a)", "RCW 19.373.040(1)(c)"],
    Law.LGPD: ["Art. 18", "Art. 19", "Art. 11"],
    Law.AUSTRALIA: ["APP 12", "APP 3.3", "APP 11.2"],
    Law.NFADP: ["Art. 25", "Art. 30(2", "Art. 32(2"],
    Law.GENERAL: ["under the privacy and data protection law that applies where I live"],
}
PROVINCIAL = {
    "CA-QC": ("Act respecting the protection of personal information in the private sector", "quebec"),
    "CA-BC": ("British Columbia's Personal Information Protection Act", "british_columbia"),
    "CA-AB": ("Alberta's Personal Information Protection Act", "alberta"),
}
REGULATORS = {
    Law.PIPEDA: "Office of the Privacy Commissioner of Canada",
    Law.UK_GDPR: "Information Commissioner's Office",
    Law.CCPA: "California Privacy Protection Agency (CalPrivacy)",
    Law.BIPA: "Illinois Attorney General (Consumer Protection Division)",
    Law.WA_MHMDA: "Washington State Office of the Attorney General (Consumer Protection Division)",
    Law.LGPD: "Agência Nacional de Proteção de Dados (ANPD)",
    Law.AUSTRALIA: "Office of the Australian Information Commissioner (OAIC)",
    Law.NFADP: "Federal Data Protection and Information Commissioner (FDPIC)",
    Law.GENERAL: None,
}
ROUTES = {
    Law.PIPEDA: ["pipeda"],
    Law.GDPR: ["gdpr"],
    Law.UK_GDPR: ["uk_gdpr_controller", "uk_gdpr"],
    Law.CCPA: ["ccpa"],
    Law.BIPA: ["bipa"],
    Law.US_STATE: ["us_state_appeal", "us_state"],
    Law.WA_MHMDA: ["wa_mhmda_appeal", "wa_mhmda"],
    Law.LGPD: ["lgpd"],
    Law.AUSTRALIA: ["australia"],
    Law.NFADP: ["nfadp"],
    Law.GENERAL: ["general"],
}
# The regulators' findings against the seeded target, quoted where they apply.
FINDINGS = {
    "CA-ON": "PIPEDA Findings #2021-001",
    "CA-QC": "1023158-S",
    "CA-BC": "2024 BCSC 2311",
    "CA-AB": "2025 ABKB 287",
    "FR": "SAN-2022-019",
    "IT": "9751362",
    "GR": "35/2022",
    "NL": "Autoriteit Persoonsgegevens",
    "AT": "D130.703",
    "GB": "[2025] UKUT 319 (AAC)",
    "US-IL": "2020 CH 04353",
    "AU": "[2021] AICmr 54",
}

FORM_JURISDICTIONS = [code for _, group in jurisdiction_choices() for code, _ in group]


def test_every_place_in_the_form_is_classified():
    assert set(FORM_JURISDICTIONS) == set(COVERED) | COVERED_BUT_UNVERIFIED | NO_LAW
    assert {"BR", "AU", "CH"} <= set(FORM_JURISDICTIONS)


@pytest.mark.parametrize("jurisdiction", FORM_JURISDICTIONS)
def test_no_place_a_law_covers_gets_the_general_letter(jurisdiction):
    law = law_for_jurisdiction(jurisdiction)

    if jurisdiction in COVERED:
        assert law == COVERED[jurisdiction]
    else:
        assert law == Law.GENERAL


def expected_citations(jurisdiction: str, law: str) -> list[str]:
    if law == Law.US_STATE:
        state = US_STATE_LAWS[jurisdiction]
        return [state.name, state.access_citation, state.deadline_citation] + (
            [state.appeal_citation] if state.appeal_citation else []
        )
    return CITATIONS[law] + ([PROVINCIAL[jurisdiction][0]] if jurisdiction in PROVINCIAL else [])


def expected_regulator(jurisdiction: str, law: str) -> str | None:
    if law == Law.GDPR:
        return str(DATA_PROTECTION_AUTHORITIES[jurisdiction].name)  # read inside an English override
    if law == Law.US_STATE:
        return US_STATE_LAWS[jurisdiction].regulator.name
    return REGULATORS[law]


def expected_route(jurisdiction: str, law: str) -> list[str]:
    if jurisdiction == "US-UT":
        return ["us_state"]  # Utah's law has no appeal to the company
    return ROUTES[law] + ([PROVINCIAL[jurisdiction][1]] if jurisdiction in PROVINCIAL else [])


@pytest.mark.parametrize("jurisdiction", FORM_JURISDICTIONS)
def test_each_place_gets_its_law_deadline_regulator_and_complaint(campaign, sent_letter, jurisdiction):
    law = law_for_jurisdiction(jurisdiction)

    # The letter, in each language and for each kind of request.
    for language in ("en", "fr"):
        template = current_template(campaign=campaign, law=law, language=language)
        assert (template.law, template.language) == (law, language)
        for kind in (RequestKind.ACCESS_AND_DELETION, RequestKind.ACCESS, RequestKind.DELETION):
            supporter = Supporter("Jeanne", "Tremblay", "jeanne@example.org", jurisdiction, kind)
            letter = render_letter(template=template, supporter=supporter, target=campaign.ordered_targets()[0])
            assert letter.subject.endswith("Jeanne Tremblay")
            assert "jeanne@example.org" in letter.body
            assert "{" not in letter.subject + letter.body
            if language == "en" and kind == RequestKind.ACCESS_AND_DELETION:
                for citation in expected_citations(jurisdiction, law):
                    assert citation in letter.body, citation
                for place, finding in FINDINGS.items():
                    applies = place == jurisdiction or (place == "CA-ON" and law == Law.PIPEDA)
                    assert (finding in letter.body) == applies, finding

    # Its deadline, extension and regulator.
    request = sent_letter(jurisdiction=jurisdiction, sent_at=SENT)
    timeline = request_timeline(request)
    assert (timeline.deadline, timeline.extended_deadline) == DEADLINES[law]
    with translation.override("en"):
        assert (str(timeline.regulator.name) if timeline.regulator else None) == expected_regulator(jurisdiction, law)

    # And where an unanswered request leads, in both languages.
    schedule_follow_ups()
    mark_overdue_requests(now=LONG_AFTER)
    request.refresh_from_db()
    for language in ("en", "fr"):
        complaints = build_complaints(request, language=language, now=LONG_AFTER)
        assert [complaint.kind for complaint in complaints] == expected_route(jurisdiction, law)
        for complaint in complaints:
            assert "Jeanne Tremblay" in complaint.text
            assert request.letter_body.strip() in complaint.text or complaint.kind == "ccpa"
