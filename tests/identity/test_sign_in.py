"""Sign-in with the simulated digital keys (manual 1.2.2, 3.2.2)."""

import pytest
from django.contrib.auth import SESSION_KEY

from accessportal.models import AuditEvent
from identity import services
from identity.models import ItsmeCodeOrigin
from identity.tokens import token_code
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


ITSME_CODE = "24680"


@pytest.fixture
def marc():
    person = PersonFactory(
        insz="75031203339",
        first_name="Marc",
        last_name="Vermeulen",
        username="marc.vermeulen",
        itsme_phone="32470123456",
        password="een-goed-wachtwoord",
    )
    person.set_itsme_code(ITSME_CODE, origin=ItsmeCodeOrigin.OWN)
    person.save()
    return person


def eid(client, insz="75.03.12-033.39", pin="1234", next_url=None):
    data = {"insz": insz, "pin": pin}
    if next_url:
        data["next"] = next_url
    return client.post("/aanmelden/eid/", data)


def test_choice_of_digital_keys(client):
    page = client.get("/aanmelden/?next=/beheer-toegangsbeheerders/").text
    for label in ("eID", "itsme", "token", "gebruikersnaam"):
        assert label in page
    assert "/aanmelden/eid/?next=/beheer-toegangsbeheerders/" in page


def test_eid_sign_in_follows_next_and_rotates_the_session(client, marc):
    client.get("/aanmelden/eid/")
    before = client.session.session_key
    response = eid(client, next_url="/beheer-toegangsbeheerders/")
    assert response.status_code == 302 and response["Location"] == "/beheer-toegangsbeheerders/"
    assert client.session[SESSION_KEY] == str(marc.pk)
    assert client.session.session_key != before
    page = client.get("/beheer-toegangsbeheerders/").text
    assert "Welkom" in page and "Marc Vermeulen" in page and "Afmelden" in page


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_next_only_inside_this_site(client, marc, target):
    response = eid(client, next_url=target)
    assert response["Location"] == "/"


def test_three_wrong_pins_block_the_card(client, marc):
    first = eid(client, pin="0000")
    assert first.status_code == 200
    assert "Nog 2 pogingen voordat uw eID-kaart geblokkeerd wordt" in first.text
    assert "Nog 1 poging voordat" in eid(client, pin="0000").text
    assert "nu geblokkeerd" in eid(client, pin="0000").text
    blocked = eid(client, pin="1234")
    assert blocked.status_code == 200 and "geblokkeerd" in blocked.text
    assert SESSION_KEY not in client.session
    marc.refresh_from_db()
    assert marc.card_blocked and marc.failed_pin_attempts == 3
    assert AuditEvent.objects.filter(action="signin.eid_wrong_pin", target_id=str(marc.pk)).count() == 3
    services.card_unblock(actor=None, person=marc)
    assert eid(client).status_code == 302


def test_a_good_pin_resets_the_count(client, marc):
    eid(client, pin="0000")
    eid(client)
    marc.refresh_from_db()
    assert marc.failed_pin_attempts == 0


@pytest.mark.parametrize(
    ("insz", "message"),
    [
        ("75.03.12-033.38", "controlegetal"),
        ("85.07.30-033.28", "Het rijksregisternummer of de PIN-code is niet correct."),
        ("<script>", "11 cijfers"),
    ],
)
def test_eid_bad_numbers(client, marc, insz, message):
    response = eid(client, insz=insz)
    assert response.status_code == 200
    assert message in response.text
    assert "<script>" not in response.text


def test_password_sign_in(client, marc):
    bad = client.post("/aanmelden/gebruikersnaam/", {"username": "marc.vermeulen", "password": "fout"})
    assert bad.status_code == 200 and "niet correct" in bad.text
    good = client.post(
        "/aanmelden/gebruikersnaam/", {"username": "Marc.Vermeulen", "password": "een-goed-wachtwoord"}
    )
    assert good.status_code == 302
    assert client.session[SESSION_KEY] == str(marc.pk)


def test_token_sign_in_asks_a_numbered_code(client, marc):
    page = client.get("/aanmelden/token/")
    number = client.session["token_code_number"]
    assert f"code nummer {number}" in page.text
    wrong = client.post(
        "/aanmelden/token/",
        {"username": "marc.vermeulen", "password": "een-goed-wachtwoord", "code": "000000"},
    )
    assert wrong.status_code == 200 and "token is niet correct" in wrong.text
    number = client.session["token_code_number"]  # a new code is asked after a failure
    good = client.post(
        "/aanmelden/token/",
        {
            "username": "marc.vermeulen",
            "password": "een-goed-wachtwoord",
            "code": token_code(marc.insz, number),
        },
    )
    assert good.status_code == 302 and client.session[SESSION_KEY] == str(marc.pk)


def test_itsme_asks_the_persons_own_code(client, marc):
    response = client.post(
        "/aanmelden/itsme/", {"phone": "0470 12 34 56", "next": "/mijn-digitale-sleutels/"}
    )
    assert response["Location"] == "/aanmelden/itsme/bevestigen/"
    app = client.get("/aanmelden/itsme/bevestigen/")
    assert client.session["itsme_pending"]["code"] in app.text
    assert 'name="code"' in app.text and "Uw itsme-code" in app.text
    without = client.post("/aanmelden/itsme/bevestigen/", {"action": "confirm"})
    assert without.status_code == 200 and "Geef uw itsme-code in." in without.text
    malformed = client.post("/aanmelden/itsme/bevestigen/", {"action": "confirm", "code": "12ab"})
    assert "Een itsme-code bestaat uit 5 cijfers." in malformed.text
    assert SESSION_KEY not in client.session
    confirmed = client.post("/aanmelden/itsme/bevestigen/", {"action": "confirm", "code": ITSME_CODE})
    assert confirmed["Location"] == "/mijn-digitale-sleutels/"
    assert client.session[SESSION_KEY] == str(marc.pk)
    assert client.session["signed_in_with"]["key"] == "itsme"
    assert "itsme_pending" not in client.session


def test_itsme_refused_in_the_app(client, marc):
    client.post("/aanmelden/itsme/", {"phone": "+32 470 12 34 56", "next": "/mijn-digitale-sleutels/"})
    refused = client.post("/aanmelden/itsme/bevestigen/", {"action": "refuse", "code": ITSME_CODE})
    assert refused.status_code == 302 and refused["Location"].startswith("/aanmelden/itsme/?next=")
    assert SESSION_KEY not in client.session and "itsme_pending" not in client.session


def test_itsme_wrong_code(client, marc):
    client.post("/aanmelden/itsme/", {"phone": "0470 12 34 56"})
    wrong = client.post("/aanmelden/itsme/bevestigen/", {"action": "confirm", "code": "13579"})
    assert wrong.status_code == 200
    assert "Het gsm-nummer of de itsme-code is niet correct. Nog 2 pogingen" in wrong.text
    assert SESSION_KEY not in client.session
    marc.refresh_from_db()
    assert marc.failed_itsme_attempts == 1
    client.post("/aanmelden/itsme/bevestigen/", {"action": "confirm", "code": ITSME_CODE})
    marc.refresh_from_db()
    assert marc.failed_itsme_attempts == 0 and client.session[SESSION_KEY] == str(marc.pk)


def test_sign_out_ends_the_session(client, marc):
    client.force_login(marc)
    assert "Wilt u zich afmelden?" in client.get("/afmelden/").text
    response = client.post("/afmelden/")
    assert response["Location"] == "/"
    assert SESSION_KEY not in client.session


def test_digital_keys_show_the_token_card(client, marc):
    client.force_login(marc)
    page = client.get("/mijn-digitale-sleutels/").text
    assert token_code(marc.insz, 24) in page
    assert "75.03.12-033.39" in page


def test_mandates_page(client, world):
    client.force_login(world.main.legal_rep)
    page = client.get("/beheer-van-de-mandaten/").text
    assert world.main.enterprise.name in page and "Bestuurder" in page
