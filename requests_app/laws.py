"""What each privacy law says, and which law applies to which jurisdiction.

Everything a letter, a deadline or a complaint needs to know about a law lives here.
"""

import calendar
import datetime
import functools
import unicodedata
from dataclasses import dataclass

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Law(models.TextChoices):
    PIPEDA = "pipeda", _("PIPEDA (Canada)")
    GDPR = "gdpr", _("GDPR (EU/EEA)")
    UK_GDPR = "uk_gdpr", _("UK GDPR")
    CCPA = "ccpa", _("CCPA/CPRA (California)")
    GENERAL = "general", _("General request")


@dataclass(frozen=True)
class Regulator:
    name: str
    complaint_url: str


@dataclass(frozen=True)
class LawFacts:
    law: Law
    # The response period: a number of days, or of calendar months where the law counts in months.
    deadline_days: int = 0
    deadline_months: int = 0
    extension_days: int = 0
    extension_months: int = 0
    deadline_citation: str = ""
    extension_citation: str = ""
    # What the law makes of silence past the deadline (PIPEDA: a deemed refusal).
    no_answer_citation: str = ""
    regulator: Regulator | None = None

    @property
    def allows_extension(self) -> bool:
        return bool(self.extension_days or self.extension_months)

    def deadline_after(self, start: datetime.date) -> datetime.date:
        if self.deadline_months:
            return add_months(start, self.deadline_months)
        return start + datetime.timedelta(days=self.deadline_days)

    def extended_deadline_after(self, start: datetime.date) -> datetime.date:
        first = self.deadline_after(start)
        if self.extension_months:
            return add_months(first, self.extension_months)
        return first + datetime.timedelta(days=self.extension_days)


def add_months(start: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1]))


OPC = Regulator(
    name=_("Office of the Privacy Commissioner of Canada"),
    complaint_url="https://www.priv.gc.ca/en/report-a-concern/file-a-formal-privacy-complaint/",
)
QUEBEC_CAI = Regulator(
    name="Commission d'accès à l'information du Québec",
    complaint_url="https://www.cai.gouv.qc.ca/",
)
ICO = Regulator(name=_("Information Commissioner's Office"), complaint_url="https://ico.org.uk/make-a-complaint/")
CPPA = Regulator(
    name=_("California Privacy Protection Agency"), complaint_url="https://cppa.ca.gov/webapplications/complaint"
)
CALIFORNIA_AG = Regulator(
    name=_("California Attorney General"),
    complaint_url="https://oag.ca.gov/contact/consumer-complaint-against-business-or-company",
)

LAWS: dict[str, LawFacts] = {
    Law.PIPEDA: LawFacts(
        law=Law.PIPEDA,
        deadline_days=30,
        extension_days=30,
        deadline_citation=_("PIPEDA s.8(3)"),
        extension_citation=_("PIPEDA s.8(4)"),
        no_answer_citation=_("PIPEDA s.8(5)"),
        regulator=OPC,
    ),
    Law.GDPR: LawFacts(
        law=Law.GDPR,
        deadline_months=1,
        extension_months=2,
        deadline_citation=_("GDPR Art. 12(3)"),
        extension_citation=_("GDPR Art. 12(3)"),
        no_answer_citation=_("GDPR Art. 12(4)"),
    ),
    Law.UK_GDPR: LawFacts(
        law=Law.UK_GDPR,
        deadline_months=1,
        extension_months=2,
        deadline_citation=_("UK GDPR Art. 12(3)"),
        extension_citation=_("UK GDPR Art. 12(3)"),
        no_answer_citation=_("UK GDPR Art. 12(4)"),
        regulator=ICO,
    ),
    Law.CCPA: LawFacts(
        law=Law.CCPA,
        deadline_days=45,
        extension_days=45,
        deadline_citation="Cal. Civ. Code § 1798.130(a)(2)",
        extension_citation="Cal. Civ. Code § 1798.130(a)(2)",
        regulator=CPPA,
    ),
    Law.GENERAL: LawFacts(law=Law.GENERAL, deadline_days=30, deadline_citation=""),
}

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
    "DE": Regulator(
        "Der Bundesbeauftragte für den Datenschutz und die Informationsfreiheit (or your Land's authority)",
        "https://www.bfdi.bund.de/",
    ),
    "GR": Regulator("Hellenic Data Protection Authority", "https://www.dpa.gr/"),
    "HU": Regulator("Nemzeti Adatvédelmi és Információszabadság Hatóság", "https://naih.hu/"),
    "IE": Regulator("Data Protection Commission", "https://www.dataprotection.ie/"),
    "IT": Regulator("Garante per la protezione dei dati personali", "https://www.garanteprivacy.it/"),
    "LV": Regulator("Datu valsts inspekcija", "https://www.dvi.gov.lv/"),
    "LT": Regulator("Valstybinė duomenų apsaugos inspekcija", "https://vdai.lrv.lt/"),
    "LU": Regulator("Commission nationale pour la protection des données", "https://cnpd.public.lu/"),
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

UNITED_KINGDOM = "GB"
OTHER = "OTHER"


def _jurisdiction_names() -> dict[str, str]:
    names = {f"CA-{code}": format_lazy("{} ({})", name, _("Canada")) for code, name in CANADIAN_PROVINCES.items()}
    names.update(EEA_COUNTRIES)
    names[UNITED_KINGDOM] = _("United Kingdom")
    names.update({f"US-{code}": format_lazy("{} ({})", name, _("United States")) for code, name in US_STATES.items()})
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
        (_("Elsewhere"), [(OTHER, str(_("Somewhere else")))]),
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
    if jurisdiction == "US-CA":
        return Law.CCPA
    return Law.GENERAL


def regulator_for(*, law: str, jurisdiction: str) -> Regulator | None:
    """Where a complaint goes; a GDPR complaint goes to the supporter's national authority."""
    if law == Law.GDPR:
        return DATA_PROTECTION_AUTHORITIES.get(jurisdiction)
    return LAWS[law].regulator


def jurisdiction_name(code: str) -> str:
    return str(JURISDICTION_NAMES.get(code, code))
