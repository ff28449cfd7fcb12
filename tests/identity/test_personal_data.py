""" "Persoonlijke gegevens": "Mijn persoonlijke gegevens wijzigen" and "Mijn wachtwoord wijzigen"."""

import json
import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext

from accessportal.models import AuditEvent
from identity import services
from identity.models import Person
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

PERSONAL = "/toegangsbeheer/persoonlijke-gegevens/"
PASSWORD = "/toegangsbeheer/wachtwoord/"
OLD_PASSWORD = "oud-wachtwoord-2024"
NEW_PASSWORD = "Lente-in-Herselt-2026"


@pytest.fixture(autouse=True)
def _back_to_dutch():
    """A request in French leaves French active in this thread (LocaleMiddleware does not reset it);
    later tests in the same worker expect the source language."""
    yield
    translation.deactivate()


@pytest.fixture
def jan():
    return PersonFactory(
        insz="79022813519",
        first_name="Jan",
        last_name="Claes",
        email="jan.claes@stbarbara.be",
        phone="014 54 00 00",
        language="nl",
        username="jan.claes",
        password=OLD_PASSWORD,
    )


@pytest.fixture
def lotte():
    """Signed in with eID only: no username, no password."""
    return PersonFactory(first_name="Lotte", last_name="Willems", username=None)


def login(client, person):
    """Signed in, with the portal open: the first page sets the language cookie to the Taalkeuze
    (accessportal.middleware.PersonLanguageMiddleware), as in a browser."""
    client.force_login(person)
    client.get(PERSONAL)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == person.language
    return client


def eid_login(client, person):
    """Signed in with eID (PIN-code 1234 of the factory): a strong key, as a first password needs."""
    response = client.post("/aanmelden/eid/", {"insz": person.insz, "pin": "1234"})
    assert response.status_code == 302
    client.get(PERSONAL)
    return client


def personal(**changes):
    return {"email": "jan@stbarbara.be", "language": "fr", "phone": "+32 14 54 00 01", **changes}


def events(action):
    return list(AuditEvent.objects.filter(action=action))


# Mijn persoonlijke gegevens wijzigen


@pytest.mark.parametrize("path", [PERSONAL, PASSWORD])
def test_sign_in_required(client, path):
    for response in (client.get(path), client.post(path, {})):
        assert response.status_code == 302 and response["Location"].startswith(f"/aanmelden/?next={path}")


def test_personal_data_shows_register_data_read_only(client, jan):
    page = login(client, jan).get(PERSONAL).text
    assert "Mijn persoonlijke gegevens wijzigen" in page
    for shown in ("Claes", "Jan", "79.02.28-135.19", "jan.claes", "De heer"):
        assert shown in page
    assert 'name="last_name"' not in page and 'name="first_name"' not in page and 'name="insz"' not in page
    assert 'value="jan.claes@stbarbara.be"' in page and 'value="014 54 00 00"' in page
    assert '<option value="nl" selected>Nederlands</option>' in page
    for language in ("Frans", "Duits", "Engels"):
        assert f">{language}</option>" in page
    assert "novalidate" in page and "E-mailadres *" in page


def test_personal_data_saved_audited_and_language_switched(client, jan):
    login(client, jan)
    response = client.post(PERSONAL, personal(last_name="Anders", insz="75031203339"))
    assert response.status_code == 302 and response["Location"] == PERSONAL
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    jan.refresh_from_db()
    assert (jan.email, jan.language, jan.phone) == ("jan@stbarbara.be", "fr", "+32 14 54 00 01")
    assert (jan.last_name, jan.insz) == ("Claes", "79022813519")  # the register's, not the form's
    (event,) = events("person.personal_data_update")
    assert event.actor == jan and event.target_id == str(jan.pk)
    assert event.before == {"email": "jan.claes@stbarbara.be", "language": "nl", "phone": "014 54 00 00"}
    assert event.after == {"email": "jan@stbarbara.be", "language": "fr", "phone": "+32 14 54 00 01"}
    page = client.get(PERSONAL)
    assert page.headers["Content-Language"] == "fr"
    with translation.override("fr"):  # the confirmation speaks the newly chosen language
        assert gettext("Uw persoonlijke gegevens werden opgeslagen") in page.text
    assert "Uw persoonlijke gegevens werden opgeslagen" not in page.text
    assert client.session[SESSION_KEY] == str(jan.pk)


def test_phone_may_be_left_empty(client, jan):
    login(client, jan).post(PERSONAL, personal(phone="  ", language="nl"))
    jan.refresh_from_db()
    assert jan.phone == ""


MARKUP = '"><script>alert(1)</script>'


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"email": ""}, "email", "Geef uw e-mailadres in."),
        ({"email": "jan.stbarbara.be"}, "email", "Geef een geldig e-mailadres in, bv. naam@voorbeeld.be."),
        ({"email": f"jan{MARKUP}@stbarbara.be"}, "email", "Geef een geldig e-mailadres in"),
        ({"email": "j" * 250 + "@stbarbara.be"}, "email", "niet meer dan 254 tekens"),
        ({"language": "xx"}, "language", "Kies een taal uit de lijst: Nederlands, Frans, Duits of Engels."),
        ({"language": "es"}, "language", "Kies een taal uit de lijst"),
        ({"language": ""}, "language", "Kies een taal uit de lijst"),
        ({"phone": "bel mij"}, "phone", "Geef een geldig telefoonnummer in"),
        ({"phone": f"014{MARKUP}"}, "phone", "Geef een geldig telefoonnummer in"),
        ({"phone": "1234"}, "phone", "Geef een geldig telefoonnummer in"),
        ({"phone": "0" * 31}, "phone", "niet meer dan 30 tekens"),
    ],
)
def test_bad_personal_data_changes_nothing(client, jan, changes, field, message):
    response = login(client, jan).post(PERSONAL, personal(**changes))
    assert response.status_code == 200
    page = response.text
    assert 'class="error-summary"' in page
    assert re.search(rf'<ul class="errorlist" id="id_{field}_error"><li>[^<]*{re.escape(message)}', page)
    assert "<script>alert(1)</script>" not in page
    if MARKUP in next(iter(changes.values())):
        assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page  # kept, as text
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    jan.refresh_from_db()
    assert (jan.email, jan.language, jan.phone) == ("jan.claes@stbarbara.be", "nl", "014 54 00 00")
    assert not events("person.personal_data_update")


def test_input_is_kept_when_re_rendered(client, jan):
    page = login(client, jan).post(PERSONAL, personal(email="fout", phone="02 555 00 00", language="de")).text
    assert 'value="fout"' in page and 'value="02 555 00 00"' in page
    assert '<option value="de" selected>Duits</option>' in page


def test_service_checks_again(jan):
    with pytest.raises(ValidationError) as refused:
        services.personal_data_update(actor=jan, email="jan@stbarbara.be", language="xx", phone="")
    assert refused.value.message_dict == {
        "language": ["Kies een taal uit de lijst: Nederlands, Frans, Duits of Engels."]
    }
    with pytest.raises(ValidationError):
        services.personal_data_update(actor=jan, email="<b>@x", language="nl", phone="")
    jan.refresh_from_db()
    assert jan.email == "jan.claes@stbarbara.be" and not events("person.personal_data_update")


def test_service_normalises(jan):
    services.personal_data_update(
        actor=jan, email=" Jan@StBarbara.BE ", language="de", phone=" 014  54 00 02 "
    )
    jan.refresh_from_db()
    assert (jan.email, jan.language, jan.phone) == ("Jan@stbarbara.be", "de", "014 54 00 02")


# Mijn wachtwoord wijzigen


def change(**fields):
    return {
        "old_password": OLD_PASSWORD,
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
        **fields,
    }


def test_password_page_with_a_password(client, jan):
    page = login(client, jan).get(PASSWORD).text
    assert "Mijn wachtwoord wijzigen" in page and "jan.claes" in page
    assert 'name="old_password"' in page and 'name="new_password1"' in page and 'name="new_password2"' in page
    assert 'name="username"' not in page
    assert "Uw wachtwoord moet minstens 10 tekens lang zijn." in page  # the validators' help


def test_password_changed_session_kept_and_audited(client, jan):
    login(client, jan)
    response = client.post(PASSWORD, change())
    assert response.status_code == 302 and response["Location"] == PASSWORD
    jan.refresh_from_db()
    assert jan.check_password(NEW_PASSWORD)
    page = client.get(PASSWORD)
    assert page.status_code == 200 and "Uw wachtwoord werd gewijzigd" in page.text  # still signed in
    assert client.session[SESSION_KEY] == str(jan.pk)
    (event,) = events("person.password_change")
    assert event.actor == jan
    assert event.before == {"username": "jan.claes", "usable_password": True}
    recorded = json.dumps([event.before, event.after, event.target_repr])
    assert NEW_PASSWORD not in recorded and OLD_PASSWORD not in recorded and jan.password not in recorded
    assert services.password_sign_in(username="JAN.CLAES", password=NEW_PASSWORD) == jan


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"old_password": "verkeerd"}, "old_password", "Uw oude wachtwoord is niet juist ingevoerd."),
        ({"old_password": ""}, "old_password", "Dit veld is verplicht."),
        (
            {"new_password1": "kort", "new_password2": "kort"},
            "new_password1",
            "Dit wachtwoord is te kort: het moet minstens 10 tekens bevatten.",
        ),
        (
            {"new_password1": "password123", "new_password2": "password123"},
            "new_password1",
            "Dit wachtwoord wordt te vaak gebruikt",
        ),
        (
            {"new_password1": "12345678901234", "new_password2": "12345678901234"},
            "new_password1",
            "Dit wachtwoord bestaat enkel uit cijfers.",
        ),
        (
            {"new_password2": "iets-anders-2026"},
            "new_password2",
            "De twee wachtwoordvelden komen niet overeen.",
        ),
        (
            {"new_password1": "x" * 129, "new_password2": "x" * 129},
            "new_password1",
            "Een wachtwoord telt hoogstens 128 tekens.",
        ),
    ],
)
def test_bad_password_changes_nothing(client, jan, fields, field, message):
    response = login(client, jan).post(PASSWORD, change(**fields))
    assert response.status_code == 200
    assert 'class="error-summary"' in response.text
    assert re.search(rf'id="id_{field}_error"><li>{re.escape(message)}', response.text)
    assert NEW_PASSWORD not in response.text and OLD_PASSWORD not in response.text  # never echoed
    jan.refresh_from_db()
    assert jan.check_password(OLD_PASSWORD)
    assert not AuditEvent.objects.filter(action__startswith="person.password").exists()


def first_password(**fields):
    return {
        "username": "Lotte.Willems",
        "new_password1": NEW_PASSWORD,
        "new_password2": NEW_PASSWORD,
        **fields,
    }


def test_eid_only_person_chooses_username_and_first_password(client, lotte, frozen_clock):
    eid_login(client, lotte)
    page = client.get(PASSWORD).text
    assert "U hebt nog geen wachtwoord" in page
    assert 'name="old_password"' not in page
    assert page.index('name="username"') < page.index('name="new_password1"')
    response = client.post(PASSWORD, first_password())
    assert response.status_code == 302
    lotte.refresh_from_db()
    assert lotte.username == "Lotte.Willems" and lotte.check_password(NEW_PASSWORD)
    assert client.get(PASSWORD).status_code == 200  # the session survived
    (event,) = events("person.password_set")
    assert event.before == {"username": None, "usable_password": False}
    assert event.after == {"username": "Lotte.Willems", "usable_password": True}
    assert services.password_sign_in(username="lotte.willems", password=NEW_PASSWORD) == lotte
    frozen_clock.advance(minutes=6)  # the eID sign-in is no longer recent
    now = client.get(PASSWORD).text  # from now on: the ordinary change, the username only shown
    assert 'name="old_password"' in now and 'name="username"' not in now and "Lotte.Willems" in now


def test_person_with_a_username_but_no_password_only_sets_the_password(client):
    person = PersonFactory(username="nina.peeters")
    eid_login(client, person)
    page = client.get(PASSWORD).text
    assert 'name="username"' not in page and "nina.peeters" in page and 'name="old_password"' not in page
    client.post(
        PASSWORD, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD, "username": "kaping"}
    )
    person.refresh_from_db()
    assert person.username == "nina.peeters" and person.check_password(NEW_PASSWORD)


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("", "Kies een gebruikersnaam."),
        ("JAN.CLAES", "Deze gebruikersnaam is al in gebruik. Kies een andere gebruikersnaam."),
        ("lo", "Een gebruikersnaam telt 3 tot 64 tekens."),
        ("l" * 65, "Een gebruikersnaam telt 3 tot 64 tekens."),
        ("lotte willems", "Een gebruikersnaam bestaat enkel uit letters zonder accenten"),
        ("lötte", "Een gebruikersnaam bestaat enkel uit letters zonder accenten"),
        (MARKUP, "Een gebruikersnaam bestaat enkel uit letters zonder accenten"),
    ],
)
def test_bad_username_changes_nothing(client, jan, lotte, username, message):
    response = eid_login(client, lotte).post(PASSWORD, first_password(username=username))
    assert response.status_code == 200
    assert re.search(rf'id="id_username_error"><li>{re.escape(message)}', response.text)
    assert "<script>alert(1)</script>" not in response.text
    if username == MARKUP:
        assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in response.text
    lotte.refresh_from_db()
    assert lotte.username is None and not lotte.has_usable_password()
    assert not AuditEvent.objects.filter(action__startswith="person.password").exists()


def test_password_service_checks_again(lotte, jan):
    proof = services.sign_in_proof(person=lotte, key="eid")
    with pytest.raises(ValidationError) as refused:
        services.password_change(
            actor=lotte, password=NEW_PASSWORD, username="Jan.Claes", strong_sign_in=proof
        )
    assert "username" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.password_change(actor=lotte, password="kort", username="lotte", strong_sign_in=proof)
    assert refused.value.message_dict["new_password1"] == [
        "Dit wachtwoord is te kort: het moet minstens 10 tekens bevatten."
    ]
    lotte.refresh_from_db()
    assert lotte.username is None and not lotte.has_usable_password()
    assert Person.objects.filter(username__iexact="lotte").count() == 0
