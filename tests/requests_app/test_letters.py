"""The seeded letters: which law and language a supporter gets, and what each letter asks for."""

import email
from email import policy
from pathlib import Path

import pytest
from django.utils import translation

from requests_app.laws import jurisdiction_choices, law_facts, law_for_jurisdiction
from requests_app.letters import RenderedLetter, Supporter, check_letter_template, current_template, render_letter
from requests_app.mime import ModernEmailMessage
from requests_app.models import LetterTemplate, RequestKind

pytestmark = pytest.mark.django_db

LETTER_SEEDS = Path(__file__).resolve().parents[2] / "requests_app" / "letter_seeds"
# One supporter per seed: the seed's name -> (jurisdiction, language) of a supporter who gets it.
SUPPORTER_FOR_SEED = {
    "pipeda.en.txt": ("CA-ON", "en"),
    "pipeda.fr.txt": ("CA-QC", "fr"),
    "gdpr.en.txt": ("IE", "en"),
    "gdpr.fr.txt": ("BE", "fr"),
    "uk_gdpr.en.txt": ("GB", "en"),
    "uk_gdpr.fr.txt": ("GB", "fr"),
    "ccpa.en.txt": ("US-CA", "en"),
    "ccpa.fr.txt": ("US-CA", "fr"),
    "bipa.en.txt": ("US-IL", "en"),
    "bipa.fr.txt": ("US-IL", "fr"),
    "us_state.en.txt": ("US-VA", "en"),
    "us_state.fr.txt": ("US-TX", "fr"),
    "wa_mhmda.en.txt": ("US-WA", "en"),
    "wa_mhmda.fr.txt": ("US-WA", "fr"),
    "lgpd.en.txt": ("BR", "en"),
    "lgpd.fr.txt": ("BR", "fr"),
    "australia.en.txt": ("AU", "en"),
    "australia.fr.txt": ("AU", "fr"),
    "nfadp.en.txt": ("CH", "en"),
    "nfadp.fr.txt": ("CH", "fr"),
    "general.en.txt": ("OTHER", "en"),
    "general.fr.txt": ("OTHER", "fr"),
}
SEED_NAMES = set(SUPPORTER_FOR_SEED)

# The heading that appears in a seed only where it asks for access, and only where it asks for deletion.
ACCESS_MARKERS = {
    "pipeda.en.txt": "Request for access",
    "pipeda.fr.txt": "Demande d'accès",
    "gdpr.en.txt": "Request for access",
    "gdpr.fr.txt": "Demande d'accès",
    "uk_gdpr.en.txt": "Subject access request",
    "uk_gdpr.fr.txt": "Demande d'accès",
    "ccpa.en.txt": "Request to know",
    "ccpa.fr.txt": "Demande de divulgation",
    "bipa.en.txt": "Request for information",
    "bipa.fr.txt": "Demande de renseignements",
    "us_state.en.txt": "Request to access",
    "us_state.fr.txt": "Demande d'accès",
    "wa_mhmda.en.txt": "Request to confirm and to access",
    "wa_mhmda.fr.txt": "Demande de confirmation et d'accès",
    "lgpd.en.txt": "Confirmation and access",
    "lgpd.fr.txt": "Confirmation et accès",
    "australia.en.txt": "Request for access",
    "australia.fr.txt": "Demande d'accès",
    "nfadp.en.txt": "Request for information",
    "nfadp.fr.txt": "Demande de renseignements",
    "general.en.txt": "Request for access",
    "general.fr.txt": "Demande d'accès",
}
DELETION_MARKERS = {
    # "Stop using my information, and delete it" or "Request to stop using and to delete".
    "pipeda.en.txt": "top using",
    "pipeda.fr.txt": "esser d'utiliser",
    "gdpr.en.txt": "Objection",
    "gdpr.fr.txt": "Opposition",
    "uk_gdpr.en.txt": "Objection",
    "uk_gdpr.fr.txt": "Opposition",
    "ccpa.en.txt": "Request to delete",
    "ccpa.fr.txt": "Demande de suppression",
    "bipa.en.txt": "Demand to destroy",
    "bipa.fr.txt": "Mise en demeure de détruire",
    "us_state.en.txt": "Request to delete",
    "us_state.fr.txt": "Demande de suppression",
    "wa_mhmda.en.txt": "Withdrawal of consent and request to delete",
    "wa_mhmda.fr.txt": "Retrait du consentement et demande de suppression",
    "lgpd.en.txt": "Objection and deletion",
    "lgpd.fr.txt": "Opposition et suppression",
    "australia.en.txt": "Request to destroy",
    "australia.fr.txt": "Demande de destruction",
    "nfadp.en.txt": "Objection",
    "nfadp.fr.txt": "Opposition",
    "general.en.txt": "Request for deletion",
    "general.fr.txt": "Demande de suppression",
}
DEADLINES = {
    "pipeda.en.txt": "30 days",
    "pipeda.fr.txt": "30 jours",
    "gdpr.en.txt": "within one month of receiving it",
    "gdpr.fr.txt": "dans un délai d'un mois à compter de sa réception",
    "uk_gdpr.en.txt": "within one month",
    "uk_gdpr.fr.txt": "un mois",
    "ccpa.en.txt": "45 days",
    "ccpa.fr.txt": "45 jours",
    "bipa.en.txt": "30 days",
    "bipa.fr.txt": "30 jours",
    "us_state.en.txt": "within 45 days of receiving this request",
    "us_state.fr.txt": "45 jours",
    "wa_mhmda.en.txt": "45 days",
    "wa_mhmda.fr.txt": "45 jours",
    "lgpd.en.txt": "15 days",
    "lgpd.fr.txt": "15 jours",
    "australia.en.txt": "30 days",
    "australia.fr.txt": "30 jours",
    "nfadp.en.txt": "30 days",
    "nfadp.fr.txt": "30 jours",
    "general.en.txt": "within 30 days of receiving this request",
    "general.fr.txt": "dans les 30 jours suivant la réception",
}
IDENTITY_SECTIONS = {
    "en": ["Verifying my identity", "proportionate"],
    "fr": ["Vérification de mon identité", "proportionn"],
}
ALL_KINDS = [RequestKind.ACCESS_AND_DELETION, RequestKind.ACCESS, RequestKind.DELETION]


def letter_for(
    campaign,
    *,
    jurisdiction: str,
    language: str = "en",
    kind: str = RequestKind.ACCESS_AND_DELETION,
    first_name: str = "Jeanne",
    last_name: str = "Tremblay",
) -> tuple[LetterTemplate, RenderedLetter]:
    template = current_template(campaign=campaign, law=law_for_jurisdiction(jurisdiction), language=language)
    supporter = Supporter(
        first_name=first_name,
        last_name=last_name,
        email="jeanne.tremblay@example.org",
        jurisdiction=jurisdiction,
        kind=kind,
    )
    return template, render_letter(template=template, supporter=supporter, target=campaign.ordered_targets()[0])


def seed_letter(campaign, seed_name: str, *, kind: str = RequestKind.ACCESS_AND_DELETION) -> RenderedLetter:
    jurisdiction, language = SUPPORTER_FOR_SEED[seed_name]
    template, letter = letter_for(campaign, jurisdiction=jurisdiction, language=language, kind=kind)
    assert f"{template.law}.{template.language}.txt" == seed_name
    return letter


def test_an_ontario_letter_cites_pipeda_section_8_and_30_days(campaign):
    template, letter = letter_for(campaign, jurisdiction="CA-ON")

    assert (template.law, template.language) == ("pipeda", "en")
    assert letter.subject == "PIPEDA access and deletion request – Jeanne Tremblay"
    assert "Under section 8 of PIPEDA and Principle 4.9 of its Schedule 1" in letter.body
    assert "Section 8(3) requires you to respond with due diligence and in any case within 30 days" in letter.body
    # The deletion rests on s.5(3) first, and the 2021 finding against the target is quoted.
    assert "Section 5(3) allows an organization" in letter.body
    assert "PIPEDA Findings #2021-001" in letter.body
    assert "section 8(5) deems you to have refused" in letter.body
    assert "Section 8(8)" in letter.body
    assert letter.body.rstrip().endswith("Jeanne Tremblay\nOntario (Canada)")
    assert "P-39.1" not in letter.body


def test_an_irish_supporter_gets_a_gdpr_article_15_and_17_letter_with_one_month(campaign):
    template, letter = letter_for(campaign, jurisdiction="IE")

    assert (template.law, template.language) == ("gdpr", "en")
    assert letter.subject == "GDPR access, objection and erasure request – Jeanne Tremblay"
    body = letter.body
    assert "Under Art. 15, please:" in body
    assert "(Art. 15(1)(g))" in body
    assert "(Art. 15(1)(h))" in body
    assert "(Art. 15(3))" in body
    assert "Under Art. 21(1), I object" in body
    assert "(Art. 17(1)(c))" in body
    assert "(Art. 17(1)(d))" in body
    assert "Art. 9(1) prohibits" in body
    assert "Under Art. 19" in body
    assert (
        "Art. 12(3) requires you to act on this request without undue delay and in any event within one month" in body
    )
    assert "two further months only where this is necessary" in body
    assert "Art. 12(6)" in body
    assert "Art. 77(1)" in body
    assert body.rstrip().endswith("Jeanne Tremblay\nIreland")


def test_a_british_supporter_gets_a_uk_gdpr_letter_that_names_the_data_protection_act(campaign):
    template, letter = letter_for(campaign, jurisdiction="GB")

    assert (template.law, template.language) == ("uk_gdpr", "en")
    assert letter.subject == "UK GDPR access, objection and erasure request – Jeanne Tremblay"
    assert "the UK GDPR) and the Data Protection Act 2018" in letter.body
    assert "Schedule 1 to the Data Protection Act 2018" in letter.body
    assert "within one month of receiving it" in letter.body
    assert "Articles 12(3) and 12A of the UK GDPR" in letter.body
    assert "section 165 of that Act" in letter.body
    assert "Upper Tribunal" in letter.body
    assert "Court of Justice" not in letter.body


def test_a_quebec_letter_also_cites_the_quebec_act(campaign):
    _, english = letter_for(campaign, jurisdiction="CA-QC")
    _, french = letter_for(campaign, jurisdiction="CA-QC", language="fr")
    _, ontario_french = letter_for(campaign, jurisdiction="CA-ON", language="fr")

    assert (
        "Act respecting the protection of personal information in the private sector (CQLR, c. P-39.1)" in english.body
    )
    assert "Section 27 gives me the right" in english.body
    assert "Section 28" in english.body
    assert "Section 32 of that Act requires you to respond within 30 days" in english.body
    assert "a notice of extension under PIPEDA does not change that deadline" in english.body
    assert "only the Commission d'accès à l'information can, on an application you make to it" in english.body
    assert "(section 46)" in english.body and "(article 46)" in french.body
    assert "Section 28.1 also lets me require you to stop disseminating" in english.body
    assert "Son article 28.1 me permet en outre" in french.body
    assert "decision 1023158-S" in english.body
    assert "Loi sur la protection des renseignements personnels dans le secteur privé (RLRQ, c. P-39.1)" in french.body
    assert "Son article 27" in french.body
    assert "article 28" in french.body
    assert "L'article 32" in french.body
    assert "décision 1023158-S" in french.body
    assert "P-39.1" not in ontario_french.body


def test_a_quebec_access_only_letter_cites_only_the_quebec_access_article(campaign):
    _, letter = letter_for(campaign, jurisdiction="CA-QC", language="fr", kind=RequestKind.ACCESS)

    assert "Son article 27" in letter.body
    assert "article 28" not in letter.body
    assert "L'article 32" in letter.body


def test_a_french_speaking_supporter_gets_the_french_pipeda_letter(campaign):
    template, letter = letter_for(campaign, jurisdiction="CA-ON", language="fr")

    assert (template.law, template.language) == ("pipeda", "fr")
    assert letter.subject == "Demande d'accès et de suppression (LPRPDE) – Jeanne Tremblay"
    body = letter.body
    assert "Loi sur la protection des renseignements personnels et les documents électroniques (LPRPDE)" in body
    assert "Le paragraphe 8(3) vous oblige à donner suite à cette demande" in body
    assert "Le paragraphe 8(4)" in body
    assert "8(5)" in body
    assert "Le paragraphe 5(3)" in body
    assert "principe 4.3.8" in body
    assert "courriel" in body
    assert "« Reprenez votre visage à Clearview AI »" in body
    assert "Take back" not in body


def test_a_french_speaking_belgian_gets_the_french_gdpr_letter(campaign):
    template, letter = letter_for(campaign, jurisdiction="BE", language="fr")

    assert (template.law, template.language) == ("gdpr", "fr")
    assert letter.subject == "Demande d'accès, d'opposition et d'effacement (RGPD) – Jeanne Tremblay"
    assert "article 15, paragraphe 1, point g)" in letter.body
    assert "article 17, paragraphe 1, point d)" in letter.body
    assert "dans un délai d'un mois à compter de sa réception" in letter.body
    assert "article 77" in letter.body


def test_a_californian_gets_a_ccpa_letter_with_45_days(campaign):
    template, letter = letter_for(campaign, jurisdiction="US-CA")

    assert (template.law, template.language) == ("ccpa", "en")
    assert letter.subject == "CCPA request to know, opt out, limit and delete – Jeanne Tremblay"
    body = letter.body
    assert "(§§ 1798.110 and 1798.115)" in body
    assert "(§ 1798.120)" in body
    assert "1798.121" in body
    # Deletion reaches only data collected from the consumer: the letter rests on the other rights.
    assert "(§ 1798.105)" in body
    assert "1798.140(v)(2)" in body
    assert "15 business days" in body
    assert "45 days" in body


def test_a_french_speaking_californian_gets_the_french_ccpa_letter(campaign):
    template, letter = letter_for(campaign, jurisdiction="US-CA", language="fr")

    assert (template.law, template.language) == ("ccpa", "fr")
    assert "45 jours" in letter.body


@pytest.mark.parametrize("jurisdiction", ["OTHER", "US-NY"])
def test_anyone_else_gets_the_general_letter(campaign, jurisdiction):
    template, letter = letter_for(campaign, jurisdiction=jurisdiction)

    assert (template.law, template.language) == ("general", "en")
    assert letter.subject == "Personal data access and deletion request – Jeanne Tremblay"
    assert "under the privacy and data protection law that applies where I live" in letter.body
    assert "Please answer within 30 days of receiving this request." in letter.body
    for law_name in ("PIPEDA", "GDPR", "CCPA", "Art. ", "§"):
        assert law_name not in letter.body


@pytest.mark.parametrize("seed_name", sorted(SEED_NAMES))
def test_access_only_asks_for_no_deletion(campaign, seed_name):
    letter = seed_letter(campaign, seed_name, kind=RequestKind.ACCESS)

    assert ACCESS_MARKERS[seed_name] in letter.body
    assert DELETION_MARKERS[seed_name] not in letter.subject
    assert DELETION_MARKERS[seed_name] not in letter.body


@pytest.mark.parametrize("seed_name", sorted(SEED_NAMES))
def test_deletion_only_asks_for_no_access(campaign, seed_name):
    letter = seed_letter(campaign, seed_name, kind=RequestKind.DELETION)

    assert DELETION_MARKERS[seed_name] in letter.body
    assert ACCESS_MARKERS[seed_name] not in letter.subject
    assert ACCESS_MARKERS[seed_name] not in letter.body


@pytest.mark.parametrize("seed_name", sorted(SEED_NAMES))
def test_a_letter_asking_for_both_asks_for_access_first(campaign, seed_name):
    body = seed_letter(campaign, seed_name).body

    assert body.index(f"\n{ACCESS_MARKERS[seed_name]}") < body.index(DELETION_MARKERS[seed_name])


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("seed_name", sorted(SEED_NAMES))
def test_every_kind_of_letter_states_its_deadline(campaign, seed_name, kind):
    assert DEADLINES[seed_name] in seed_letter(campaign, seed_name, kind=kind).body


@pytest.mark.parametrize("seed_name", sorted(SEED_NAMES))
def test_every_letter_says_how_identity_may_be_verified(campaign, seed_name):
    body = seed_letter(campaign, seed_name).body
    identity_section = body[body.index(IDENTITY_SECTIONS[seed_name.split(".")[1]][0]) :]

    for phrase in IDENTITY_SECTIONS[seed_name.split(".")[1]]:
        assert phrase in identity_section
    assert "jeanne.tremblay@example.org" in identity_section


def test_every_seed_template_passes_the_checker(campaign):
    assert {path.name for path in LETTER_SEEDS.glob("*.txt")} == SEED_NAMES
    for path in LETTER_SEEDS.glob("*.txt"):
        subject_line, blank_line, body = path.read_text().partition("\n\n")
        assert blank_line, f"{path.name} needs a blank line after its subject"
        assert subject_line.startswith("Subject: ")
        assert check_letter_template(subject_line.removeprefix("Subject: ")) == [], path.name
        assert check_letter_template(body) == [], path.name
    seeded = {f"{law}.{language}.txt" for law, language in campaign.letter_templates.values_list("law", "language")}
    assert seeded == SEED_NAMES


def test_the_checker_refuses_unknown_variables_and_tags():
    assert check_letter_template("{% if wants_access %}{{ full_name }}{% elif is_quebec %}x{% endif %}") == []

    (unknown,) = check_letter_template("Dear {{ settings.SECRET_KEY }}")
    assert "'settings.SECRET_KEY'" in unknown
    (in_condition,) = check_letter_template("{% if password %}x{% endif %}")
    assert "'password'" in in_condition
    (with_filter,) = check_letter_template("{{ full_name|upper }}")
    assert "Filters are not allowed" in with_filter
    for tag in ("{% for x in first_name %}", "{% include 'base.html' %}", "{% now 'Y' %}"):
        closing = "{% endfor %}" if "for" in tag else ""
        assert check_letter_template(tag + closing) == [
            f"Only {{{{ variables }}}} and {{% if %}} are allowed, not {tag}."
        ]
    for broken in ("{% load static %}", "{% if wants_access %}never closed"):
        (syntax,) = check_letter_template(broken)
        assert syntax.startswith("Template syntax error"), broken


def test_template_syntax_in_a_name_is_printed_not_evaluated(campaign):
    _, letter = letter_for(
        campaign,
        jurisdiction="IE",
        first_name="{{ target_email }}",
        last_name="{% if wants_access %}X{% endif %}",
    )

    printed = "{{ target_email }} {% if wants_access %}X{% endif %}"
    assert letter.subject.endswith(f" – {printed}")
    assert letter.body.rstrip().endswith(f"{printed}\nIreland")
    assert campaign.ordered_targets()[0].privacy_email not in letter.body


FORM_JURISDICTIONS = [code for _, group in jurisdiction_choices() for code, _ in group]
LONG_ACCENTED_NAME = ("Zoë-Anne", "O’Brien-Ñúñez")
# The subject's own words with this name stay within one 80-character line of a mail client's list.
LONGEST_SUBJECT = 80
# Where no law applies, the request words lead.
GENERAL_SUBJECT_START = {"en": "Personal data ", "fr": "Demande "}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_subject_leads_with_the_law_and_the_request_and_stays_short(campaign, language):
    target = campaign.ordered_targets()[0]
    first_name, last_name = LONG_ACCENTED_NAME
    checked = set()
    for jurisdiction in FORM_JURISDICTIONS:
        law = law_for_jurisdiction(jurisdiction)
        template = current_template(campaign=campaign, law=law, language=language)
        with translation.override(language):
            short = str(law_facts(law=law, jurisdiction=jurisdiction).short)
        for kind in ALL_KINDS:
            supporter = Supporter(first_name, last_name, "zoe@example.org", jurisdiction, kind)
            subject = render_letter(template=template, supporter=supporter, target=target).subject
            words, separator, name = subject.rpartition(" – ")
            where = (jurisdiction, language, kind, subject)

            assert (separator, name) == (" – ", "Zoë-Anne O’Brien-Ñúñez"), where
            if law == "general":
                assert words.startswith(GENERAL_SUBJECT_START[language]), where
            elif language == "en":
                assert words.startswith(f"{short} "), where
            else:
                assert words.startswith(("Demande ", "Plainte")) and words.endswith(f"({short})"), where
            assert len(subject) <= LONGEST_SUBJECT, where
            assert target.name not in subject, where
            # On the wire it is folded into encoded words that parse back to the same text.
            raw = ModernEmailMessage(subject=subject, body="x", to=["a@example.org"]).message().as_bytes()
            assert str(email.message_from_bytes(raw, policy=policy.default)["Subject"]) == subject, where
            checked.add((law, kind))
    assert {law for law, _ in checked} == {law_for_jurisdiction(code) for code in FORM_JURISDICTIONS}


@pytest.mark.parametrize(
    ("kind", "words"),
    [
        (RequestKind.ACCESS_AND_DELETION, ("access", "objection", "erasure")),
        (RequestKind.ACCESS, ("access",)),
        (RequestKind.DELETION, ("objection", "erasure")),
    ],
)
def test_a_subject_names_only_what_the_supporter_asks_for(campaign, kind, words):
    _, letter = letter_for(campaign, jurisdiction="IE", kind=kind)

    for word in ("access", "objection", "erasure"):
        assert (word in letter.subject) == (word in words), (kind, letter.subject)


def test_the_campaign_is_named_in_quotes_so_a_long_title_reads_as_a_name(campaign):
    _, english = letter_for(campaign, jurisdiction="CA-ON")

    assert "The “Take back your face from Clearview AI” campaign" in english.body
