"""What each privacy law says, and which law applies to which jurisdiction.

Everything a letter, a deadline or a complaint needs to know about a law lives here. Each fact was
checked against the statute, the regulation or the regulator's own page on 2026-11-29; the README's
"Laws" section lists the sources and what could not be verified. Facts marked unverified there are
kept out of the letters.
"""

import calendar
import datetime
import functools
import unicodedata
from dataclasses import dataclass, field, replace

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

CHECKED_ON = datetime.date(2026, 11, 29)


class Law(models.TextChoices):
    PIPEDA = "pipeda", _("PIPEDA (Canada)")
    GDPR = "gdpr", _("GDPR (EU/EEA)")
    UK_GDPR = "uk_gdpr", _("UK GDPR")
    CCPA = "ccpa", _("CCPA/CPRA (California)")
    BIPA = "bipa", _("BIPA (Illinois)")
    US_STATE = "us_state", _("US state privacy law")
    WA_MHMDA = "wa_mhmda", _("My Health My Data Act (Washington)")
    LGPD = "lgpd", _("LGPD (Brazil)")
    AUSTRALIA = "australia", _("Privacy Act 1988 (Australia)")
    NFADP = "nfadp", _("FADP (Switzerland)")
    GENERAL = "general", _("General request")


class Unit(models.TextChoices):
    DAYS = "days"  # calendar days
    BUSINESS_DAYS = "business_days"  # Monday to Friday; public holidays are not modelled
    MONTHS = "months"  # the same date in a later month, or that month's last day


SATURDAY, SUNDAY = 5, 6
# Where a statute or the regulator moves a deadline that falls on these days to the next day.
WEEKEND = frozenset({SATURDAY, SUNDAY})
SUNDAY_ONLY = frozenset({SUNDAY})


@dataclass(frozen=True)
class Period:
    amount: int
    unit: str = Unit.DAYS

    def after(self, start: datetime.date) -> datetime.date:
        if self.unit == Unit.MONTHS:
            return add_months(start, self.amount)
        if self.unit == Unit.BUSINESS_DAYS:
            return add_business_days(start, self.amount)
        return start + datetime.timedelta(days=self.amount)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


def add_business_days(start: datetime.date, days: int) -> datetime.date:
    """`days` weekdays after `start` (Saturdays and Sundays are not counted; holidays are)."""
    day = start
    while days:
        day += datetime.timedelta(days=1)
        if day.weekday() < SATURDAY:
            days -= 1
    return day


def next_day_not_in(day: datetime.date, skipped: frozenset[int]) -> datetime.date:
    while day.weekday() in skipped:
        day += datetime.timedelta(days=1)
    return day


@dataclass(frozen=True)
class Regulator:
    name: str
    complaint_url: str
    # The French page, where the regulator has one.
    complaint_url_fr: str = ""

    def in_language(self, language: str) -> "Regulator":
        if language == "fr" and self.complaint_url_fr:
            return replace(self, complaint_url=self.complaint_url_fr)
        return self


@dataclass(frozen=True)
class LawFacts:
    law: str
    name: str = ""
    short: str = ""
    period: Period = Period(30)
    extension: Period | None = None
    access_citation: str = ""
    # Empty where the law's deletion right does not reach data the person did not provide.
    deletion_citation: str = ""
    deadline_citation: str = ""
    extension_citation: str = ""
    # What the law makes of silence past the deadline (PIPEDA: a deemed refusal).
    no_answer_citation: str = ""
    # The step owed before the regulator: an appeal to the company, a complaint to the controller.
    appeal_citation: str = ""
    # How long the company has to answer that appeal or complaint.
    appeal_days: int = 0
    regulator: Regulator | None = None
    # Days on which a last day moves to the next day, where a statute or the regulator says so.
    moves_off: frozenset[int] = frozenset()
    moves_off_citation: str = ""
    # How long the regulator gives you to complain, from the refusal or the missed deadline.
    filing_period: Period | None = None
    filing_citation: str = ""
    # UK GDPR Art. 12A: the period starts only when the company receives the identity information.
    identity_restarts_clock: bool = False
    identity_citation: str = ""
    # CCPA: opting out of sale and limiting sensitive data have their own, shorter period.
    opt_out_period: Period | None = None
    opt_out_citation: str = ""
    # The company cannot extend the period itself (Quebec: only the CAI can, s.46; the LGPD has no
    # extension). False where the law has an extension, or where none is modelled for want of a source.
    no_own_extension: bool = False
    # The law says "a reasonable period" and the regulator's guidance gives the number (Australia).
    reasonable_period: bool = False
    sources: tuple[str, ...] = field(default=())

    @property
    def allows_extension(self) -> bool:
        return self.extension is not None

    @property
    def deadline_days(self) -> int:
        return self.period.amount if self.period.unit != Unit.MONTHS else 0

    @property
    def deadline_months(self) -> int:
        return self.period.amount if self.period.unit == Unit.MONTHS else 0

    @property
    def extension_days(self) -> int:
        return self.extension.amount if self.extension and self.extension.unit != Unit.MONTHS else 0

    @property
    def extension_months(self) -> int:
        return self.extension.amount if self.extension and self.extension.unit == Unit.MONTHS else 0

    def deadline_after(self, start: datetime.date) -> datetime.date:
        return next_day_not_in(self.period.after(start), self.moves_off)

    def extended_deadline_after(self, start: datetime.date) -> datetime.date:
        if self.extension is None:
            return self.deadline_after(start)
        return next_day_not_in(self.extension.after(self.period.after(start)), self.moves_off)

    def opt_out_deadline_after(self, start: datetime.date) -> datetime.date | None:
        return self.opt_out_period.after(start) if self.opt_out_period else None


OPC = Regulator(
    name=_("Office of the Privacy Commissioner of Canada"),
    complaint_url="https://www.priv.gc.ca/en/report-a-concern/file-a-formal-privacy-complaint/file-a-complaint-about-a-business/file-a-complaint-under-pipeda/",
    complaint_url_fr="https://www.priv.gc.ca/fr/signaler-un-probleme/deposer-une-plainte-officielle-concernant-la-protection-de-la-vie-privee/deposer-une-plainte-visant-une-entreprise/deposer-une-plainte-en-vertu-de-la-lprpde/",
)
QUEBEC_CAI = Regulator(
    name="Commission d'accès à l'information du Québec",
    complaint_url="https://www.cai.gouv.qc.ca/citoyens/recours-devant-la-commission/",
)
OIPC_BC = Regulator(
    name=_("Office of the Information and Privacy Commissioner for British Columbia"),
    complaint_url="https://www.oipc.bc.ca/for-the-public/how-do-i-request-a-review/",
)
OIPC_AB = Regulator(
    name=_("Office of the Information and Privacy Commissioner of Alberta"),
    complaint_url="https://oipc.ab.ca/request-a-review-file-a-complaint/",
)
ICO = Regulator(
    name=_("Information Commissioner's Office"),
    complaint_url="https://ico.org.uk/make-a-complaint/data-protection-complaints/data-protection-complaints/",
)
CPPA = Regulator(
    name="California Privacy Protection Agency (CalPrivacy)", complaint_url="https://privacy.ca.gov/submit-a-complaint"
)
CALIFORNIA_AG = Regulator(
    name=_("California Attorney General"),
    complaint_url="https://oag.ca.gov/contact/consumer-complaint-against-business-or-company",
)
ILLINOIS_AG = Regulator(
    name="Illinois Attorney General (Consumer Protection Division)",
    complaint_url="https://www.illinoisattorneygeneral.gov/consumer-protection",
)
WASHINGTON_AG = Regulator(
    name="Washington State Office of the Attorney General (Consumer Protection Division)",
    complaint_url="https://www.atg.wa.gov/consumer-protection",
)
ANPD = Regulator(
    name="Agência Nacional de Proteção de Dados (ANPD)",
    complaint_url="https://www.gov.br/anpd/pt-br/canais_atendimento/cidadao-titular-de-dados/peticao-de-titular-contra-controlador-de-dados/reclamacao",
)
OAIC = Regulator(
    name="Office of the Australian Information Commissioner (OAIC)",
    complaint_url="https://www.oaic.gov.au/privacy/privacy-complaints/lodge-a-privacy-complaint-with-us/",
)
FDPIC = Regulator(
    name=_("Federal Data Protection and Information Commissioner (FDPIC)"),
    complaint_url="https://www.edoeb.admin.ch/edoeb/en/home/deredoeb/kontakt/info_anzeige_betroffene.html",
)

LAWS: dict[str, LawFacts] = {
    Law.PIPEDA: LawFacts(
        law=Law.PIPEDA,
        name=_("Personal Information Protection and Electronic Documents Act"),
        short=_("PIPEDA"),
        period=Period(30),
        extension=Period(30),
        access_citation="PIPEDA s.8(1); Sch. 1, Principle 4.9",
        deletion_citation="PIPEDA s.5(3), s.6.1; Sch. 1, Principles 4.3, 4.5",
        deadline_citation=_("PIPEDA s.8(3)"),
        extension_citation=_("PIPEDA s.8(4)"),
        no_answer_citation=_("PIPEDA s.8(5)"),
        regulator=OPC,
        # Interpretation Act s.26: a time limit ending on a holiday runs to the next day that is
        # not one; Sunday is a holiday (s.35(1)), Saturday is not. Other holidays are not modelled.
        moves_off=SUNDAY_ONLY,
        moves_off_citation="Interpretation Act (Canada) ss.26, 35(1)",
        # s.11(3): only a complaint about a refused access request (s.8) has a time limit.
        filing_period=Period(6, Unit.MONTHS),
        filing_citation="PIPEDA s.11(3)",
        # Principle 4.9.2: the organization may require enough information to give its account, and
        # may use it only for that purpose.
        identity_citation="PIPEDA Sch. 1, Principle 4.9.2",
        sources=(
            "https://laws-lois.justice.gc.ca/eng/acts/P-8.6/",
            "https://proteuscyber.com/privacy-database/pipeda-8",
            "https://proteuscyber.com/privacy-database/pipeda-11",
            "https://www.priv.gc.ca/en/opc-actions-and-decisions/investigations/investigations-into-businesses/2021/pipeda-2021-001/",
        ),
    ),
    Law.GDPR: LawFacts(
        law=Law.GDPR,
        name=_("General Data Protection Regulation"),
        short=_("GDPR"),
        period=Period(1, Unit.MONTHS),
        extension=Period(2, Unit.MONTHS),
        access_citation="GDPR Art. 15",
        deletion_citation="GDPR Art. 17(1)(c), (d); Art. 21(1)",
        deadline_citation=_("GDPR Art. 12(3)"),
        extension_citation=_("GDPR Art. 12(3)"),
        no_answer_citation=_("GDPR Art. 12(4)"),
        # Regulation 1182/71 Art. 3(4): a period ending on a Saturday, Sunday or public holiday
        # ends on the next working day (its wording is verified; the EDPB's reading of it for the
        # GDPR is not). Public holidays are not modelled.
        moves_off=WEEKEND,
        moves_off_citation="Regulation (EEC, Euratom) No 1182/71 Art. 3(4)",
        identity_citation="GDPR Art. 12(6); Art. 5(1)(b), (e)",
        sources=("https://gdprhub.eu/index.php?title=Article_12_GDPR",),
    ),
    Law.UK_GDPR: LawFacts(
        law=Law.UK_GDPR,
        name="UK General Data Protection Regulation",
        short="UK GDPR",
        period=Period(1, Unit.MONTHS),
        extension=Period(2, Unit.MONTHS),
        access_citation="UK GDPR Art. 15",
        deletion_citation="UK GDPR Art. 17(1)(c), (d); Art. 21(1)",
        deadline_citation=_("UK GDPR Art. 12(3) and 12A"),
        extension_citation="UK GDPR Art. 12A",
        no_answer_citation=_("UK GDPR Art. 12(4)"),
        # Since 19 June 2026 a complaint to the controller comes before the ICO.
        appeal_citation="Data Protection Act 2018 s.164A",
        appeal_days=30,
        regulator=ICO,
        # The ICO: an end date on a Saturday, Sunday or bank holiday moves to the next working day.
        moves_off=WEEKEND,
        moves_off_citation="ICO, Time limits for responding to data protection rights requests",
        # ICO practice: within three months of your last contact with the organisation.
        filing_period=Period(3, Unit.MONTHS),
        filing_citation="ICO, Data protection complaints: what to expect",
        identity_restarts_clock=True,
        identity_citation="UK GDPR Art. 12(6) and 12A",
        sources=(
            "https://www.legislation.gov.uk/eur/2016/679/chapter/III/section/1/data.html",
            "https://ico.org.uk/for-the-public/time-limits-for-responding-to-data-protection-rights-requests",
            "https://www.legislation.gov.uk/id/ukpga/2025/18/section/103",
        ),
    ),
    Law.CCPA: LawFacts(
        law=Law.CCPA,
        name="California Consumer Privacy Act",
        short="CCPA",
        period=Period(45),
        extension=Period(45),
        access_citation="Cal. Civ. Code §§ 1798.110, 1798.115",
        # § 1798.105 reaches only data "collected from the consumer": not scraped images.
        deletion_citation="",
        deadline_citation="Cal. Civ. Code § 1798.130(a)(2)(A); Cal. Code Regs. tit. 11, § 7021(b)",
        extension_citation="Cal. Civ. Code § 1798.130(a)(2)(A)",
        regulator=CPPA,
        identity_citation="Cal. Code Regs. tit. 11, §§ 7060(b), (c), 7021(b)",
        opt_out_period=Period(15, Unit.BUSINESS_DAYS),
        opt_out_citation="Cal. Code Regs. tit. 11, §§ 7026(f), 7027(g)",
        sources=(
            "https://privacy.ca.gov/submit-a-complaint",
            "https://online.flipbuilder.com/bzaa/mvgs/files/basic-html/page94.html",
        ),
    ),
    Law.BIPA: LawFacts(
        law=Law.BIPA,
        name="Illinois Biometric Information Privacy Act",
        short="BIPA",
        # BIPA gives no right of access and no response period: the letter asks for an answer
        # within 30 days as a courtesy, and cites no deadline.
        period=Period(30),
        deletion_citation="740 ILCS 14/15(a)",
        regulator=ILLINOIS_AG,
        sources=("https://ilga.gov/legislation/ilcs/fulltext?DocName=074000140K15",),
    ),
    Law.US_STATE: LawFacts(
        law=Law.US_STATE,
        period=Period(45),
        extension=Period(45),
        # Each state's statute is cited in US_STATE_LAWS; the README's state table names the sources.
    ),
    Law.WA_MHMDA: LawFacts(
        law=Law.WA_MHMDA,
        name="Washington My Health My Data Act",
        short="MHMDA",
        period=Period(45),
        extension=Period(45),
        access_citation="RCW 19.373.040(1)(a)",
        deletion_citation="RCW 19.373.040(1)(c)",
        deadline_citation="RCW 19.373.040",
        extension_citation="RCW 19.373.040",
        appeal_citation="RCW 19.373.040",
        regulator=WASHINGTON_AG,
        sources=(
            "https://lawfilesext.leg.wa.gov/Law/RCWArchive/2023/htm/RCW%20%2019%20%20TITLE/RCW%20%2019%20.373%20%20CHAPTER/RCW%20%2019%20.373%20.040.htm",
        ),
    ),
    Law.LGPD: LawFacts(
        law=Law.LGPD,
        name="Lei Geral de Proteção de Dados Pessoais (Lei nº 13.709/2018)",
        short="LGPD",
        # Art. 19, II: 15 days "contado da data do requerimento", from the request, not its receipt.
        period=Period(15),
        access_citation="LGPD Art. 18, I, II; Art. 19, II",
        deletion_citation="LGPD Art. 18, IV and § 2",
        deadline_citation="LGPD Art. 19, II",
        no_own_extension=True,
        no_answer_citation="LGPD Art. 55-J, V",
        regulator=ANPD,
        # Civil Code Art. 132 § 1: a period ending on a holiday runs to the next working day; the
        # research applies it to weekends as the conservative reading.
        moves_off=WEEKEND,
        moves_off_citation="Código Civil Art. 132 § 1",
        identity_citation="LGPD Art. 6, III; Art. 19, II",
        sources=("https://privacyhub.com.br/lgpd?article=155",),
    ),
    Law.AUSTRALIA: LawFacts(
        law=Law.AUSTRALIA,
        name="Privacy Act 1988 (Cth)",
        short="Privacy Act",
        # APP 12.4: a "reasonable period", which the OAIC puts at "generally, 30 days"; the OAIC also
        # lets you complain to it when the organisation has not answered your complaint within 30
        # days (s 40(1A) requires that complaint first).
        period=Period(30),
        access_citation="APP 12.1",
        deletion_citation="APP 11.2 with APP 3.3, 3.5",
        deadline_citation="APP 12.4(a); Privacy Act 1988 s 40(1A)",
        reasonable_period=True,
        no_answer_citation="Privacy Act 1988 s 40(1A)",
        regulator=OAIC,
        # s 41(1)(c): the Commissioner may decline a complaint made more than 12 months after you
        # became aware of the practice (a discretion, not a bar).
        filing_period=Period(12, Unit.MONTHS),
        filing_citation="Privacy Act 1988 s 41(1)(c)",
        identity_citation="APP 3.2, 3.3, 11.2",
        sources=(
            "http://classic.austlii.edu.au/au/legis/cth/consol_act/pa1988108/s40.html",
            "https://www.oaic.gov.au/privacy/privacy-complaints/lodge-a-privacy-complaint-with-us/",
            "https://www.oaic.gov.au/updates/videos/request-for-information-the-respondent",
        ),
    ),
    Law.NFADP: LawFacts(
        law=Law.NFADP,
        name=_("Federal Act on Data Protection"),
        short=_("FADP"),
        period=Period(30),
        access_citation="FADP Art. 25",
        deletion_citation="FADP Art. 30(2)(b), Art. 32(2)",
        deadline_citation="FADP Art. 25(7)",
        regulator=FDPIC,
        identity_citation="FADP Art. 6(2)",
        sources=("https://lawbrary.ch/law/art/DSG-v2023.09-en-art-25/",),
    ),
    Law.GENERAL: LawFacts(law=Law.GENERAL, period=Period(30)),
}

# The provincial laws that apply alongside PIPEDA, each with its own deadline and commissioner.
QUEBEC, BRITISH_COLUMBIA, ALBERTA = "quebec", "british_columbia", "alberta"
PROVINCIAL_LAWS: dict[str, LawFacts] = {
    "CA-QC": LawFacts(
        law=QUEBEC,
        name="Act respecting the protection of personal information in the private sector (CQLR c. P-39.1)",
        short="P-39.1",
        # s.32: 30 days from receipt; silence is a deemed refusal. The company cannot extend them
        # itself: only the Commission may, on a request the company sends within those 30 days
        # (s.46), and a PIPEDA notice of extension does not move them.
        period=Period(30),
        deadline_citation="P-39.1 s.32",
        no_answer_citation="P-39.1 s.32",
        no_own_extension=True,
        regulator=QUEBEC_CAI,
        # Interpretation Act (Quebec) s.52: a time limit ending on a holiday (Sundays included,
        # Saturdays not) runs to the next working day.
        moves_off=SUNDAY_ONLY,
        moves_off_citation="CQLR c. I-16 ss.52, 61(23)",
        filing_period=Period(30),
        filing_citation="P-39.1 ss.42, 43",
        sources=(
            "https://www.legisquebec.gouv.qc.ca/en/document/cs/P-39.1",
            "https://www.cai.gouv.qc.ca/citoyens/recours-devant-la-commission/",
        ),
    ),
    "CA-BC": LawFacts(
        law=BRITISH_COLUMBIA,
        name="Personal Information Protection Act (British Columbia)",
        short="BC PIPA",
        # s.1: "day" does not include a Saturday or a holiday; s.29: 30 such days; s.31: up to 30
        # more (longer only with the commissioner's permission, not modelled).
        period=Period(30, Unit.BUSINESS_DAYS),
        extension=Period(30, Unit.BUSINESS_DAYS),
        deadline_citation="BC PIPA ss.1, 29",
        extension_citation="BC PIPA s.31",
        regulator=OIPC_BC,
        # s.47(2)(a): 30 days from being notified of a refusal; s.47(3)(a): no limit after silence.
        filing_period=Period(30, Unit.BUSINESS_DAYS),
        filing_citation="BC PIPA s.47",
        sources=(
            "https://www.bclaws.gov.bc.ca/civix/document/id/complete/statreg/03063_01",
            "https://www.oipc.bc.ca/for-the-public/how-do-i-request-a-review/",
        ),
    ),
    "CA-AB": LawFacts(
        law=ALBERTA,
        name="Personal Information Protection Act (Alberta)",
        short="Alberta PIPA",
        # 45 days (Service Alberta and OIPC guide); the extension (s.31) is not verified.
        period=Period(45),
        deadline_citation="Alberta PIPA (45 days)",
        regulator=OIPC_AB,
        filing_period=Period(30),
        filing_citation="Alberta PIPA s.47",
        sources=("https://oipc.ab.ca/request-a-review-file-a-complaint/",),
    ),
}


@dataclass(frozen=True)
class StateLaw:
    """One US state's comprehensive privacy law, as the `us_state` letters and appeals cite it."""

    name: str
    short: str
    access_citation: str
    # Empty where deletion reaches only data the consumer provided (Utah).
    deletion_citation: str
    deadline_citation: str
    # Empty where the law has no appeal to the company (Utah).
    appeal_citation: str
    # 0 where the appeal's answer period is not verified (Minnesota): the complaint to the Attorney
    # General then opens with the appeal, as Washington's does.
    appeal_days: int
    regulator: Regulator
    # Oregon (ORS 646A.576(5)(d)): no duty to act until the information needed to authenticate
    # arrives; New Jersey (56:8-166.7(a)): 45 days from receipt of a verified request.
    identity_restarts_clock: bool = False


def _attorney_general(state: str, url: str = "") -> Regulator:
    return Regulator(name=f"Office of the Attorney General of {state}", complaint_url=url)


# The 15 states whose response period, extension and appeal the research read in the statute (or a
# verbatim copy, or the Attorney General's own page: Minnesota). Colorado, Iowa and Maryland also
# have such a law, but their periods and appeals could not be verified: their residents keep the
# general letter until they are. Appeal answer periods: Kentucky's 60 days and Oregon's 45 were read
# verbatim; the others' 60 days come from the Virginia model and secondary sources; Minnesota's is
# not modelled.
US_STATE_LAWS: dict[str, StateLaw] = {
    "US-VA": StateLaw(
        "Virginia Consumer Data Protection Act",
        "VCDPA",
        "Va. Code § 59.1-577(A)(1)",
        "Va. Code § 59.1-577(A)(3)",
        "Va. Code § 59.1-577(B)(1)",
        "Va. Code § 59.1-577(C)",
        60,
        Regulator("Office of the Attorney General of Virginia (Consumer Protection Section)", ""),
    ),
    "US-TX": StateLaw(
        "Texas Data Privacy and Security Act",
        "TDPSA",
        "Tex. Bus. & Com. Code § 541.051(b)(1)",
        "Tex. Bus. & Com. Code § 541.051(b)(3)",
        "Tex. Bus. & Com. Code § 541.052(b)",
        "Tex. Bus. & Com. Code § 541.053",
        60,
        Regulator(
            "Office of the Attorney General of Texas (Consumer Protection Division)",
            "https://texasattorneygeneral.gov/cpd/the-consumer-complaint-process",
        ),
    ),
    "US-CT": StateLaw(
        "Connecticut Data Privacy Act",
        "CTDPA",
        "Conn. Gen. Stat. § 42-518(a)(1)",
        "Conn. Gen. Stat. § 42-518(a)(3)",
        "Conn. Gen. Stat. § 42-518(c)(1)",
        "Conn. Gen. Stat. § 42-518(d)",
        60,
        Regulator("Connecticut Office of the Attorney General (Privacy and Data Security Section)", ""),
    ),
    "US-UT": StateLaw(
        "Utah Consumer Privacy Act",
        "UCPA",
        "Utah Code § 13-61-201(1)",
        "",
        "Utah Code § 13-61-203(2)",
        "",
        0,
        Regulator("Utah Division of Consumer Protection", ""),
    ),
    "US-OR": StateLaw(
        "Oregon Consumer Privacy Act",
        "OCPA",
        "ORS 646A.574(1)(a)",
        "ORS 646A.574(1)(c)",
        "ORS 646A.576(5)(a)",
        "ORS 646A.576(6)",
        45,
        Regulator("Oregon Department of Justice (Privacy Unit)", ""),
        identity_restarts_clock=True,
    ),
    "US-MT": StateLaw(
        "Montana Consumer Data Privacy Act",
        "MCDPA",
        "Mont. Code Ann. § 30-14-2808(1)(a)",
        "Mont. Code Ann. § 30-14-2808(1)(c)",
        "Mont. Code Ann. § 30-14-2808(4)(a)",
        "Mont. Code Ann. § 30-14-2808",
        60,
        _attorney_general("Montana"),
    ),
    "US-DE": StateLaw(
        "Delaware Personal Data Privacy Act",
        "DPDPA",
        "6 Del. C. § 12D-104(a)(1)",
        "6 Del. C. § 12D-104(a)(3)",
        "6 Del. C. § 12D-104(c)(1)",
        "6 Del. C. § 12D-104(d)",
        60,
        Regulator("Delaware Department of Justice", ""),
    ),
    "US-NE": StateLaw(
        "Nebraska Data Privacy Act",
        "NDPA",
        "Neb. Rev. Stat. § 87-1107",
        "Neb. Rev. Stat. § 87-1107",
        "Neb. Rev. Stat. § 87-1108(2)",
        "Neb. Rev. Stat. § 87-1109",
        60,
        _attorney_general("Nebraska"),
    ),
    "US-NH": StateLaw(
        "New Hampshire Data Privacy Act",
        "NHDPA",
        "RSA 507-H:4, I(a)",
        "RSA 507-H:4, I(c)",
        "RSA 507-H:4",
        "RSA 507-H:4",
        60,
        Regulator(
            "New Hampshire Department of Justice (Data Privacy Unit)", "https://www.doj.nh.gov/data-privacy-enforcement"
        ),
    ),
    "US-NJ": StateLaw(
        "New Jersey Data Privacy Act",
        "NJDPA",
        "N.J.S.A. 56:8-166.10(a)(1)",
        "N.J.S.A. 56:8-166.10(a)(3)",
        "N.J.S.A. 56:8-166.7(a)",
        "N.J.S.A. 56:8-166.7(c)",
        60,
        Regulator("New Jersey Office of the Attorney General (Division of Consumer Affairs)", ""),
        identity_restarts_clock=True,
    ),
    "US-TN": StateLaw(
        "Tennessee Information Protection Act",
        "TIPA",
        "Tenn. Code Ann. § 47-18-3304(a)(2)(A)",
        "Tenn. Code Ann. § 47-18-3304(a)(2)(C)",
        "Tenn. Code Ann. § 47-18-3304(b)(1)",
        "Tenn. Code Ann. § 47-18-3304",
        60,
        Regulator("Tennessee Attorney General and Reporter", ""),
    ),
    "US-IN": StateLaw(
        "Indiana Consumer Data Protection Act",
        "INCDPA",
        "Ind. Code § 24-15-3-1(b)(1)",
        "Ind. Code § 24-15-3-1(b)(3)",
        "Ind. Code § 24-15-3-1(c)(1)",
        "Ind. Code § 24-15-3-1(d)",
        60,
        _attorney_general("Indiana"),
    ),
    "US-KY": StateLaw(
        "Kentucky Consumer Data Protection Act",
        "KCDPA",
        "KRS 367.3615(2)(a)",
        "KRS 367.3615(2)(c)",
        "KRS 367.3615(3)",
        "KRS 367.3615(4)",
        60,
        _attorney_general("Kentucky"),
    ),
    "US-RI": StateLaw(
        "Rhode Island Data Transparency and Privacy Protection Act",
        "RIDTPPA",
        "R.I. Gen. Laws § 6-48.1-5",
        "R.I. Gen. Laws § 6-48.1-5",
        "R.I. Gen. Laws § 6-48.1-6(b)(1)",
        "R.I. Gen. Laws § 6-48.1-6",
        60,
        _attorney_general("Rhode Island"),
    ),
    # Subd. 1(d) reaches data "concerning the consumer", and subd. 4(k) covers data obtained from a
    # source other than the consumer: scraped images included. The 45 days and the 45-day extension
    # are the Attorney General's reading of the Act; the appeal's own answer period is not verified,
    # and the Attorney General takes complaints once 45 days pass without an answer.
    "US-MN": StateLaw(
        "Minnesota Consumer Data Privacy Act",
        "MCDPA",
        "Minn. Stat. § 325M.14, subd. 1(b)",
        "Minn. Stat. § 325M.14, subd. 1(d)",
        "Minn. Stat. § 325M.14",
        "Minn. Stat. § 325M.14, subd. 5",
        0,
        _attorney_general("Minnesota", "https://www.ag.state.mn.us/Data-Privacy/Consumer"),
    ),
}
# Comprehensive state laws whose periods and appeal the research could not verify (README, "Laws").
UNVERIFIED_US_STATES = {"US-CO", "US-IA", "US-MD"}


# The national data protection authority of each EU/EEA country, for GDPR complaints.
DATA_PROTECTION_AUTHORITIES: dict[str, Regulator] = {
    "AT": Regulator("Datenschutzbehörde", "https://www.dsb.gv.at/"),
    "BE": Regulator("Autorité de protection des données", "https://www.autoriteprotectiondonnees.be/"),
    "BG": Regulator("Commission for Personal Data Protection", "https://www.cpdp.bg/"),
    "HR": Regulator("Agencija za zaštitu osobnih podataka", "https://azop.hr/"),
    "CY": Regulator("Commissioner for Personal Data Protection", "https://www.dataprotection.gov.cy/"),
    "CZ": Regulator("Úřad pro ochranu osobních údajů", "https://uoou.gov.cz/"),
    "DK": Regulator("Datatilsynet", "https://www.datatilsynet.dk/"),
    "EE": Regulator("Andmekaitse Inspektsioon", "https://www.aki.ee/"),
    "FI": Regulator("Tietosuojavaltuutetun toimisto", "https://tietosuoja.fi/"),
    "FR": Regulator("Commission nationale de l'informatique et des libertés (CNIL)", "https://www.cnil.fr/fr/plaintes"),
    # BDSG § 40(1): the Land authorities supervise private companies, not the federal BfDI. With no
    # German establishment, the supporter files with the authority of the Land where they live.
    "DE": Regulator(_("data protection authority of the Land where you live"), ""),
    "GR": Regulator("Hellenic Data Protection Authority", "https://www.dpa.gr/"),
    "HU": Regulator("Nemzeti Adatvédelmi és Információszabadság Hatóság", "https://naih.hu/"),
    "IE": Regulator("Data Protection Commission", "https://www.dataprotection.ie/"),
    "IT": Regulator("Garante per la protezione dei dati personali", "https://www.garanteprivacy.it/"),
    "LV": Regulator("Datu valsts inspekcija", "https://www.dvi.gov.lv/"),
    "LT": Regulator("Valstybinė duomenų apsaugos inspekcija", "https://vdai.lrv.lt/"),
    "LU": Regulator(
        "Commission nationale pour la protection des données",
        "https://cnpd.public.lu/fr/particuliers/faire-valoir.html",
    ),
    "MT": Regulator("Information and Data Protection Commissioner", "https://idpc.org.mt/"),
    "NL": Regulator("Autoriteit Persoonsgegevens", "https://autoriteitpersoonsgegevens.nl/"),
    "PL": Regulator("Urząd Ochrony Danych Osobowych", "https://uodo.gov.pl/"),
    "PT": Regulator("Comissão Nacional de Proteção de Dados", "https://www.cnpd.pt/"),
    "RO": Regulator(
        "Autoritatea Națională de Supraveghere a Prelucrării Datelor cu Caracter Personal",
        "https://www.dataprotection.ro/",
    ),
    "SK": Regulator("Úrad na ochranu osobných údajov", "https://dataprotection.gov.sk/"),
    "SI": Regulator("Informacijski pooblaščenec", "https://www.ip-rs.si/"),
    "ES": Regulator("Agencia Española de Protección de Datos", "https://www.aepd.es/"),
    "SE": Regulator("Integritetsskyddsmyndigheten", "https://www.imy.se/"),
    "IS": Regulator("Persónuvernd", "https://www.personuvernd.is/"),
    "LI": Regulator("Datenschutzstelle", "https://www.datenschutzstelle.li/"),
    "NO": Regulator("Datatilsynet", "https://www.datatilsynet.no/"),
}

CANADIAN_PROVINCES = {
    "AB": _("Alberta"),
    "BC": _("British Columbia"),
    "MB": _("Manitoba"),
    "NB": _("New Brunswick"),
    "NL": _("Newfoundland and Labrador"),
    "NS": _("Nova Scotia"),
    "NT": _("Northwest Territories"),
    "NU": _("Nunavut"),
    "ON": _("Ontario"),
    "PE": _("Prince Edward Island"),
    "QC": _("Quebec"),
    "SK": _("Saskatchewan"),
    "YT": _("Yukon"),
}

EEA_COUNTRIES = {
    "AT": _("Austria"),
    "BE": _("Belgium"),
    "BG": _("Bulgaria"),
    "HR": _("Croatia"),
    "CY": _("Cyprus"),
    "CZ": _("Czechia"),
    "DK": _("Denmark"),
    "EE": _("Estonia"),
    "FI": _("Finland"),
    "FR": _("France"),
    "DE": _("Germany"),
    "GR": _("Greece"),
    "HU": _("Hungary"),
    "IS": _("Iceland"),
    "IE": _("Ireland"),
    "IT": _("Italy"),
    "LV": _("Latvia"),
    "LI": _("Liechtenstein"),
    "LT": _("Lithuania"),
    "LU": _("Luxembourg"),
    "MT": _("Malta"),
    "NL": _("Netherlands"),
    "NO": _("Norway"),
    "PL": _("Poland"),
    "PT": _("Portugal"),
    "RO": _("Romania"),
    "SK": _("Slovakia"),
    "SI": _("Slovenia"),
    "ES": _("Spain"),
    "SE": _("Sweden"),
}

US_STATES = {
    "AL": _("Alabama"),
    "AK": _("Alaska"),
    "AZ": _("Arizona"),
    "AR": _("Arkansas"),
    "CA": _("California"),
    "CO": _("Colorado"),
    "CT": _("Connecticut"),
    "DE": _("Delaware"),
    "DC": _("District of Columbia"),
    "FL": _("Florida"),
    "GA": _("Georgia"),
    "HI": _("Hawaii"),
    "ID": _("Idaho"),
    "IL": _("Illinois"),
    "IN": _("Indiana"),
    "IA": _("Iowa"),
    "KS": _("Kansas"),
    "KY": _("Kentucky"),
    "LA": _("Louisiana"),
    "ME": _("Maine"),
    "MD": _("Maryland"),
    "MA": _("Massachusetts"),
    "MI": _("Michigan"),
    "MN": _("Minnesota"),
    "MS": _("Mississippi"),
    "MO": _("Missouri"),
    "MT": _("Montana"),
    "NE": _("Nebraska"),
    "NV": _("Nevada"),
    "NH": _("New Hampshire"),
    "NJ": _("New Jersey"),
    "NM": _("New Mexico"),
    "NY": _("New York"),
    "NC": _("North Carolina"),
    "ND": _("North Dakota"),
    "OH": _("Ohio"),
    "OK": _("Oklahoma"),
    "OR": _("Oregon"),
    "PA": _("Pennsylvania"),
    "RI": _("Rhode Island"),
    "SC": _("South Carolina"),
    "SD": _("South Dakota"),
    "TN": _("Tennessee"),
    "TX": _("Texas"),
    "UT": _("Utah"),
    "VT": _("Vermont"),
    "VA": _("Virginia"),
    "WA": _("Washington"),
    "WV": _("West Virginia"),
    "WI": _("Wisconsin"),
    "WY": _("Wyoming"),
}

OTHER_COUNTRIES = {
    "AU": _("Australia"),
    "BR": _("Brazil"),
    "CH": _("Switzerland"),
}

UNITED_KINGDOM = "GB"
OTHER = "OTHER"

COUNTRY_LAWS = {"AU": Law.AUSTRALIA, "BR": Law.LGPD, "CH": Law.NFADP}
US_LAWS = {"US-CA": Law.CCPA, "US-IL": Law.BIPA, "US-WA": Law.WA_MHMDA} | {code: Law.US_STATE for code in US_STATE_LAWS}


def _jurisdiction_names() -> dict[str, str]:
    names = {f"CA-{code}": format_lazy("{} ({})", name, _("Canada")) for code, name in CANADIAN_PROVINCES.items()}
    names.update(EEA_COUNTRIES)
    names[UNITED_KINGDOM] = _("United Kingdom")
    names.update({f"US-{code}": format_lazy("{} ({})", name, _("United States")) for code, name in US_STATES.items()})
    names.update(OTHER_COUNTRIES)
    names[OTHER] = _("Somewhere else")
    return names


JURISDICTION_NAMES = _jurisdiction_names()


def jurisdiction_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices for the form's select: Canada, EU/EEA, UK, US, other.

    Each group is in alphabetical order of the names in the active language, so call this when
    rendering (the form passes it as a callable), not at import time.
    """
    return _jurisdiction_choices_in(get_language())


# Sorting a hundred names on every form was a measurable share of a submission's time.
@functools.lru_cache(maxsize=8)
def _jurisdiction_choices_in(language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (_("Canada"), _by_name({f"CA-{code}": name for code, name in CANADIAN_PROVINCES.items()})),
        (_("European Union and EEA"), _by_name(EEA_COUNTRIES)),
        (_("United Kingdom"), [(UNITED_KINGDOM, str(_("United Kingdom")))]),
        (_("United States"), _by_name({f"US-{code}": name for code, name in US_STATES.items()})),
        (_("Elsewhere"), [*_by_name(OTHER_COUNTRIES), (OTHER, str(_("Somewhere else")))]),
    ]


def _by_name(names: dict) -> list[tuple[str, str]]:
    translated = [(code, str(name)) for code, name in names.items()]
    return sorted(translated, key=lambda item: _sort_key(item[1]))


def _sort_key(name: str) -> str:
    # "Écosse" sorts with the Es, not after Z: compare without accents, then case.
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(character for character in decomposed if not unicodedata.combining(character)).casefold()


def law_for_jurisdiction(jurisdiction: str) -> Law:
    if jurisdiction.startswith("CA-"):
        return Law.PIPEDA
    if jurisdiction in EEA_COUNTRIES:
        return Law.GDPR
    if jurisdiction == UNITED_KINGDOM:
        return Law.UK_GDPR
    return US_LAWS.get(jurisdiction) or COUNTRY_LAWS.get(jurisdiction) or Law.GENERAL


def law_facts(*, law: str, jurisdiction: str) -> LawFacts:
    """The law's facts as they apply where the supporter lives: a US state's own statute, the
    supporter's national authority under the GDPR."""
    facts = LAWS[law]
    if law == Law.US_STATE and (state := US_STATE_LAWS.get(jurisdiction)):
        return replace(
            facts,
            name=state.name,
            short=state.short,
            access_citation=state.access_citation,
            deletion_citation=state.deletion_citation,
            deadline_citation=state.deadline_citation,
            extension_citation=state.deadline_citation,
            appeal_citation=state.appeal_citation,
            appeal_days=state.appeal_days,
            regulator=state.regulator,
            identity_restarts_clock=state.identity_restarts_clock,
        )
    if law == Law.GDPR:
        return replace(facts, regulator=DATA_PROTECTION_AUTHORITIES.get(jurisdiction))
    return facts


def provincial_law(jurisdiction: str) -> LawFacts | None:
    """Quebec's, British Columbia's or Alberta's own law, which applies alongside PIPEDA."""
    return PROVINCIAL_LAWS.get(jurisdiction)


def regulator_for(*, law: str, jurisdiction: str) -> Regulator | None:
    """Where a complaint goes; a GDPR complaint goes to the supporter's national authority."""
    return law_facts(law=law, jurisdiction=jurisdiction).regulator


def jurisdiction_name(code: str) -> str:
    return str(JURISDICTION_NAMES.get(code, code))
