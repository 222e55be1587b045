"""The seeded letters: which law and language a supporter gets, and what each letter asks for."""

from pathlib import Path

import pytest

from requests_app.laws import law_for_jurisdiction
from requests_app.letters import RenderedLetter, Supporter, check_letter_template, current_template, render_letter
from requests_app.models import LetterTemplate, RequestKind

pytestmark = pytest.mark.django_db

LETTER_SEEDS = Path(__file__).resolve().parents[2] / "requests_app" / "letter_seeds"
SEED_NAMES = {
    "pipeda.en.txt",
    "pipeda.fr.txt",
    "gdpr.en.txt",
    "gdpr.fr.txt",
    "uk_gdpr.en.txt",
    "ccpa.en.txt",
    "general.en.txt",
    "general.fr.txt",
}

# One supporter per seed: (jurisdiction, language) -> the seed they should get.
SUPPORTER_FOR_SEED = {
    "pipeda.en.txt": ("CA-ON", "en"),
    "pipeda.fr.txt": ("CA-QC", "fr"),
    "gdpr.en.txt": ("IE", "en"),
    "gdpr.fr.txt": ("BE", "fr"),
    "uk_gdpr.en.txt": ("GB", "en"),
    "ccpa.en.txt": ("US-CA", "en"),
    "general.en.txt": ("OTHER", "en"),
    "general.fr.txt": ("OTHER", "fr"),
}

# Words that appear in a seed only where it asks for access, and only where it asks for deletion.
ACCESS_MARKERS = {
    "pipeda.en.txt": ["Request for access", "section 8 of PIPEDA", "Principle 4.9"],
    "pipeda.fr.txt": ["Demande d'accès", "l'article 8 de la LPRPDE", "principe 4.9"],
    "gdpr.en.txt": ["Request for access", "Art. 15"],
    "gdpr.fr.txt": ["Demande d'accès", "l'article 15"],
    "uk_gdpr.en.txt": ["Subject access request", "Art. 15"],
    "ccpa.en.txt": ["Request to know", "§§ 1798.110 and 1798.115"],
    "general.en.txt": ["Request for access", "give me a copy"],
    "general.fr.txt": ["Demande d'accès", "copie complète"],
}
DELETION_MARKERS = {
    "pipeda.en.txt": ["Withdrawal of consent", "Principle 4.3.8", "Principle 4.5.3"],
    "pipeda.fr.txt": ["Retrait du consentement", "principe 4.3.8", "principe 4.5.3"],
    "gdpr.en.txt": ["Objection", "Art. 17", "Art. 21", "Art. 19"],
    "gdpr.fr.txt": ["Opposition", "article 17", "article 21", "article 19"],
    "uk_gdpr.en.txt": ["Objection", "Art. 17", "Art. 21", "Art. 19"],
    "ccpa.en.txt": ["Request to delete", "§ 1798.105", "§ 1798.121"],
    "general.en.txt": ["Request for deletion", "delete all personal information"],
    "general.fr.txt": ["Demande de suppression", "supprimer toutes les données"],
}
DEADLINES = {
    "pipeda.en.txt": "30 days",
    "pipeda.fr.txt": "30 jours",
    "gdpr.en.txt": "within one month of receiving it",
    "gdpr.fr.txt": "dans un délai d'un mois à compter de sa réception",
    "uk_gdpr.en.txt": "within one month of receiving it",
    "ccpa.en.txt": "within 45 days of receiving it",
    "general.en.txt": "within 30 days of receiving this request",
    "general.fr.txt": "dans les 30 jours suivant la réception",
}
IDENTITY_SECTIONS = {
    "en": ["Verifying my identity", "proportionate", "directly", "does not collect photos or identity documents"],
    "fr": ["Vérification de mon identité", "proportionné", "directement", "ni photos ni pièces d'identité"],
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
    assert letter.subject == "Access request and withdrawal of consent under PIPEDA: Jeanne Tremblay"
    assert "Under section 8 of PIPEDA and Principle 4.9 of its Schedule 1" in letter.body
    assert "Section 8(3) requires you to answer within 30 days" in letter.body
    assert "section 8(5) deems you to have refused" in letter.body
    assert "Section 8(8)" in letter.body
    assert letter.body.rstrip().endswith("Jeanne Tremblay\nOntario (Canada)")
    assert "Quebec" not in letter.body


def test_an_irish_supporter_gets_a_gdpr_article_15_and_17_letter_with_one_month(campaign):
    template, letter = letter_for(campaign, jurisdiction="IE")

    assert (template.law, template.language) == ("gdpr", "en")
    assert letter.subject.endswith("under the GDPR: Jeanne Tremblay")
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
    assert "by two further months" in body
    assert "Under Art. 12(6)" in body
    assert "Art. 77" in body
    assert body.rstrip().endswith("Jeanne Tremblay\nIreland")


def test_a_british_supporter_gets_a_uk_gdpr_letter_that_names_the_data_protection_act(campaign):
    template, letter = letter_for(campaign, jurisdiction="GB")

    assert (template.law, template.language) == ("uk_gdpr", "en")
    assert letter.subject.endswith("under the UK GDPR: Jeanne Tremblay")
    assert "the UK GDPR) and the Data Protection Act 2018" in letter.body
    assert "Schedule 1 to the Data Protection Act 2018" in letter.body
    assert "within one month of receiving it" in letter.body
    assert "(the ICO)" in letter.body
    assert "Court of Justice" not in letter.body


def test_a_quebec_letter_also_cites_the_quebec_act(campaign):
    _, english = letter_for(campaign, jurisdiction="CA-QC")
    _, french = letter_for(campaign, jurisdiction="CA-QC", language="fr")
    _, ontario_french = letter_for(campaign, jurisdiction="CA-ON", language="fr")

    assert (
        "Act respecting the protection of personal information in the private sector (CQLR, c. P-39.1)" in english.body
    )
    assert "sections 27 and 28" in english.body
    assert "(section 32)" in english.body
    assert "Loi sur la protection des renseignements personnels dans le secteur privé (RLRQ, c. P-39.1)" in french.body
    assert "Son article 27" in french.body
    assert "Son article 28" in french.body
    assert (
        "L'article 32 de cette loi vous oblige à donner suite à ma demande au plus tard dans les 30 jours"
        in french.body
    )
    assert "P-39.1" not in ontario_french.body


def test_a_quebec_access_only_letter_cites_only_the_quebec_access_article(campaign):
    _, letter = letter_for(campaign, jurisdiction="CA-QC", language="fr", kind=RequestKind.ACCESS)

    assert "Son article 27" in letter.body
    assert "article 28" not in letter.body
    assert "L'article 32" in letter.body


def test_a_french_speaking_supporter_gets_the_french_pipeda_letter(campaign):
    template, letter = letter_for(campaign, jurisdiction="CA-ON", language="fr")

    assert (template.law, template.language) == ("pipeda", "fr")
    assert letter.subject == "Demande d'accès et retrait du consentement en vertu de la LPRPDE : Jeanne Tremblay"
    body = letter.body
    assert "Loi sur la protection des renseignements personnels et les documents électroniques (LPRPDE)" in body
    assert "En vertu de l'article 8 de la LPRPDE et du principe 4.9 de son annexe 1" in body
    assert "Le paragraphe 8(3) vous oblige à donner suite à cette demande dans les 30 jours" in body
    assert "Le paragraphe 8(4)" in body
    assert "le paragraphe 8(5) prévoit que votre organisation est réputée avoir refusé ma demande" in body
    assert "Le paragraphe 8(8)" in body
    assert "principe 4.3.8" in body
    assert "principe 4.5.3" in body
    assert "par courriel" in body
    assert "« Reprenez votre visage à Clearview AI »" in body
    assert "Take back" not in body


def test_a_french_speaking_belgian_gets_the_french_gdpr_letter(campaign):
    template, letter = letter_for(campaign, jurisdiction="BE", language="fr")

    assert (template.law, template.language) == ("gdpr", "fr")
    assert letter.subject.endswith("au titre du RGPD : Jeanne Tremblay")
    assert "article 15, paragraphe 1, point g)" in letter.body
    assert "article 17, paragraphe 1, point d)" in letter.body
    assert "dans un délai d'un mois à compter de sa réception" in letter.body
    assert "l'article 77" in letter.body


def test_a_californian_gets_a_ccpa_letter_with_45_days(campaign):
    template, letter = letter_for(campaign, jurisdiction="US-CA")

    assert (template.law, template.language) == ("ccpa", "en")
    assert letter.subject == "Request to know, request to delete and request to limit under the CCPA: Jeanne Tremblay"
    body = letter.body
    assert "Cal. Civ. Code § 1798.100 et seq." in body
    assert "Under §§ 1798.110 and 1798.115" in body
    assert "Under § 1798.105" in body
    assert "Under § 1798.121" in body
    assert "Section 1798.130(a)(2) requires you to respond to this request within 45 days" in body
    assert "once, by 45 more days" in body
    assert "verifiable consumer request" in body
    assert "it is not acting as my authorized agent" in body


def test_a_french_speaking_californian_gets_the_english_ccpa_letter(campaign):
    template, letter = letter_for(campaign, jurisdiction="US-CA", language="fr")

    assert (template.law, template.language) == ("ccpa", "en")
    assert "within 45 days" in letter.body


@pytest.mark.parametrize("jurisdiction", ["OTHER", "US-TX"])
def test_anyone_else_gets_the_general_letter(campaign, jurisdiction):
    template, letter = letter_for(campaign, jurisdiction=jurisdiction)

    assert (template.law, template.language) == ("general", "en")
    assert letter.subject == "Request for access to and deletion of my personal information: Jeanne Tremblay"
    assert "under the privacy and data protection law that applies where I live" in letter.body
    assert "Please answer within 30 days of receiving this request." in letter.body
    for law_name in ("PIPEDA", "GDPR", "CCPA", "Art. ", "§"):
        assert law_name not in letter.body


@pytest.mark.parametrize("seed_name", sorted(SEED_NAMES))
def test_access_only_asks_for_no_deletion(campaign, seed_name):
    letter = seed_letter(campaign, seed_name, kind=RequestKind.ACCESS)

    for marker in ACCESS_MARKERS[seed_name]:
        assert marker in letter.body
    for marker in DELETION_MARKERS[seed_name]:
        assert marker not in letter.subject
        assert marker not in letter.body


@pytest.mark.parametrize("seed_name", sorted(SEED_NAMES))
def test_deletion_only_asks_for_no_access(campaign, seed_name):
    letter = seed_letter(campaign, seed_name, kind=RequestKind.DELETION)

    for marker in DELETION_MARKERS[seed_name]:
        assert marker in letter.body
    for marker in ACCESS_MARKERS[seed_name]:
        assert marker not in letter.subject
        assert marker not in letter.body


@pytest.mark.parametrize("seed_name", sorted(SEED_NAMES))
def test_a_letter_asking_for_both_asks_for_access_first(campaign, seed_name):
    body = seed_letter(campaign, seed_name).body

    access_heading, deletion_heading = ACCESS_MARKERS[seed_name][0], DELETION_MARKERS[seed_name][0]
    assert body.index(f"\n{access_heading}") < body.index(f"\n{deletion_heading}")


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
    assert letter.subject.endswith(f": {printed}")
    assert letter.body.rstrip().endswith(f"{printed}\nIreland")
    assert campaign.ordered_targets()[0].privacy_email not in letter.body
