"""The French catalogue: complete, nothing fuzzy, placeholders intact, in step with the code."""

import ast
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import ROOT

FRENCH_CATALOGUE = ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.po"


@dataclass
class Entry:
    flags: set[str] = field(default_factory=set)
    msgid: str = ""
    msgstrs: list[str] = field(default_factory=list)
    obsolete: bool = False


def read_catalogue(path: Path) -> list[Entry]:
    """A small reader for the subset of the PO format that makemessages writes."""
    entries: list[Entry] = []
    entry, keyword = Entry(), ""
    parts: dict[str, str] = {}

    def finish():
        nonlocal entry, parts
        if parts:
            entry.msgid = parts.get("msgid", "")
            entry.msgstrs = [value for key, value in parts.items() if key.startswith("msgstr")]
            entries.append(entry)
        entry, parts = Entry(), {}

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#~"):
            entry.obsolete = True
            line = line.removeprefix("#~").strip()
        if not line.strip():
            finish()
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            parts[keyword] += ast.literal_eval(line)
        else:
            keyword, _, value = line.partition(" ")
            parts[keyword] = ast.literal_eval(value)
    finish()
    return entries


def messages(path: Path) -> set[str]:
    return {entry.msgid for entry in read_catalogue(path) if entry.msgid and not entry.obsolete}


def test_it_translates_every_message_into_french():
    entries = [entry for entry in read_catalogue(FRENCH_CATALOGUE) if entry.msgid]

    untranslated = [entry.msgid for entry in entries if not all(entry.msgstrs)]
    fuzzy = [entry.msgid for entry in entries if "fuzzy" in entry.flags]
    obsolete = [entry.msgid for entry in entries if entry.obsolete]
    assert len(entries) > 200
    assert untranslated == [], f"untranslated in {FRENCH_CATALOGUE.name}: {untranslated}"
    assert fuzzy == [], f"fuzzy in {FRENCH_CATALOGUE.name}: {fuzzy}"
    assert obsolete == []


def test_the_catalogue_header_is_not_fuzzy_and_says_french():
    (header,) = [entry for entry in read_catalogue(FRENCH_CATALOGUE) if entry.msgid == ""]

    assert "fuzzy" not in header.flags
    assert "Language: fr\n" in header.msgstrs[0]
    assert "Plural-Forms: nplurals=2; plural=(n > 1);" in header.msgstrs[0]


def test_gettext_accepts_the_catalogue_and_its_placeholders():
    # --check compares each translation's %(name)s placeholders and plural forms with the original.
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(FRENCH_CATALOGUE)],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr
    assert "fuzzy" not in result.stderr


def test_the_catalogue_holds_every_message_in_the_code(tmp_path):
    """makemessages on a copy of the sources finds no message the committed catalogue lacks. When
    this fails: `manage.py makemessages -l fr --ignore=.venv --ignore=var --no-obsolete`, then
    translate the new entries."""
    copy = tmp_path / "takeback"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "__pycache__", "*.mo", "htmlcov"),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--ignore=var", "--no-obsolete", "--verbosity=0"],
        cwd=copy,
        check=True,
    )

    missing = messages(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po") - messages(FRENCH_CATALOGUE)
    assert missing == set(), f"messages in the code but not in the French catalogue: {sorted(missing)}"


# French typography: a non-breaking space (U+00A0, or the narrow U+202F) before : ; ! ? and inside
# « », so a line never breaks between a word and its punctuation. HTML entities (&amp;) and query
# strings (?source=) are not punctuation.
NON_BREAKING = "\u00a0\u202f"
BREAKABLE_BEFORE_PUNCTUATION = re.compile(r" [:;!?»](?!\w+=)")
MISSING_SPACE_BEFORE_PUNCTUATION = re.compile(r"(?<!&#)(?<!&\w)(?<!&\w\w)(?<!&\w\w\w)[\w)%’»][:;!?](?=\s|$)")
GUILLEMET_WITHOUT_SPACE = re.compile(rf"«(?![{NON_BREAKING}])|(?<![{NON_BREAKING}])»")


def typography_mistakes(text: str) -> list[str]:
    mistakes = []
    for pattern in (BREAKABLE_BEFORE_PUNCTUATION, MISSING_SPACE_BEFORE_PUNCTUATION, GUILLEMET_WITHOUT_SPACE):
        mistakes.extend(text[max(0, match.start() - 20) : match.end() + 5] for match in pattern.finditer(text))
    return mistakes


def test_every_french_message_has_non_breaking_spaces_around_its_punctuation():
    mistakes = {
        entry.msgid: typography_mistakes(text)
        for entry in read_catalogue(FRENCH_CATALOGUE)
        if entry.msgid
        for text in entry.msgstrs
        if typography_mistakes(text)
    }

    assert mistakes == {}


def test_the_typography_check_catches_ordinary_spaces_and_missing_ones():
    assert typography_mistakes("Merci : votre lettre") == ["Merci : votr"]
    assert typography_mistakes("Où habitez-vous?") == ["Où habitez-vous?"]
    assert typography_mistakes("au nom de « Prénom\u00a0»") == ["au nom de « Prén"]
    assert typography_mistakes("Merci\u00a0: votre lettre\u202f! «\u00a0Prénom\u00a0» &amp; ?source=x") == []
