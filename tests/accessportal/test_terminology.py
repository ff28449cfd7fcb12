"""The catalogues follow docs/TERMINOLOGY.md: each term of its first table is translated as the table
says (where the Dutch term is a message of its own), and no translation contains a word of its
"Forbidden in the catalogues" table (e.g. "Zugriffsverwalter", "benennen", "BTB" in French and German)."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TABLE = ROOT / "docs" / "TERMINOLOGY.md"
LANGUAGES = ("fr", "de", "en")


def _rows(section: str) -> list[list[str]]:
    text = TABLE.read_text(encoding="utf-8")
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in body.splitlines():
        if not line.startswith("|") or set(line) <= {"|", "-", " "}:
            continue
        rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows[1:]  # without the header


def _translations(language: str) -> dict[str, list[str]]:
    with open(ROOT / "locale" / language / "LC_MESSAGES" / "django.po", "rb") as handle:
        catalogue = read_po(handle, locale=language)
    found = {}
    for message in catalogue:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        found.setdefault(msgid, []).extend(s for s in strings if s)
    return found


TERMS = _rows("Terms")
FORBIDDEN = [
    (language, word.strip("`"), instead) for language, word, instead in _rows("Forbidden in the catalogues")
]


def test_the_table_is_read():
    assert len(TERMS) >= 10 and {row[0] for row in TERMS} >= {"Hoofdtoegangsbeheerder", "BTB"}
    assert {language for language, _word, _instead in FORBIDDEN} == set(LANGUAGES)
    assert ("de", "Zugriffsverwalt") in {(language, word) for language, word, _ in FORBIDDEN}
    messages = _translations("de")
    assert sum(row[0] in messages for row in TERMS) >= 8  # most terms are messages of their own


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_uses_a_forbidden_word(language):
    words = [word for lang, word, _ in FORBIDDEN if lang == language]
    offences = []
    for msgid, strings in _translations(language).items():
        for string in strings:
            for word in words:
                if word in string or word.replace("'", "\N{RIGHT SINGLE QUOTATION MARK}") in string:
                    offences.append(f"{word!r} in the translation of {msgid[:70]!r}: {string[:100]!r}")
    assert not offences, "\n".join(offences)


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_term_is_translated_as_the_table_says(language):
    column = 1 + LANGUAGES.index(language)
    translations = _translations(language)
    wrong = []
    for row in TERMS:
        dutch, wanted = row[0], row[column]
        if dutch in translations and translations[dutch] != [wanted]:
            wrong.append(f"{dutch!r}: {translations[dutch]!r}, the table says {wanted!r}")
    assert not wrong, "\n".join(wrong)


def test_the_forbidden_words_are_caught():
    """The check itself: a German sentence with the old words fails it."""
    words = [word for lang, word, _ in FORBIDDEN if lang == "de"]
    sentence = "Der Hauptzugriffsverwalter kann Zugriffsverwalter benennen (BTB)."
    assert sum(word in sentence for word in words) >= 4
    assert not re.search(
        "|".join(map(re.escape, words)), "Der Hauptzugangsverwalter kann Zugangsverwalter ernennen (VZU)."
    )
