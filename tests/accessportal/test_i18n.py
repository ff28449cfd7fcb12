"""Dutch is the source language; French, German and English are complete translations."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"


@pytest.mark.parametrize("language", ["fr", "de", "en"])
def test_catalogue_is_complete(language):
    with open(LOCALE / language / "LC_MESSAGES" / "django.po", "rb") as handle:
        catalogue = read_po(handle)
    untranslated = [
        message.id
        for message in catalogue
        if message.id
        and (
            message.fuzzy
            or not all(message.string if isinstance(message.string, tuple) else [message.string])
        )
    ]
    assert not untranslated, f"{language}: untranslated or fuzzy: {untranslated[:10]}"


@pytest.mark.parametrize(
    ("accept", "heading"),
    [
        ("nl-BE,nl", "CSAM, de toegangspoort tot de diensten van de overheid"),
        ("fr-BE,fr", "CSAM"),
        ("de-DE,de", "CSAM"),
        ("en-GB,en", "CSAM"),
    ],
)
def test_home_follows_the_browser_language(client, accept, heading):
    response = client.get("/", headers={"accept-language": accept})
    assert response.status_code == 200
    assert heading in response.text
    assert response.headers["Content-Language"] == accept[:2]


def test_language_switch_is_remembered(client):
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/"})
    assert response.status_code == 302
    assert client.get("/").headers["Content-Language"] == "de"
    assert "Aan de slag" not in client.get("/").text


def test_language_switch_refuses_foreign_next(client):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_persons_taalkeuze_is_the_default_until_they_switch(client, db):
    from tests.factories import PersonFactory

    els = PersonFactory(language="fr")
    client.force_login(els)
    first = client.get("/", headers={"accept-language": "nl-BE"})
    assert first.headers["Content-Language"] == "fr"
    assert first.cookies["django_language"].value == "fr"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.get("/").headers["Content-Language"] == "en"
