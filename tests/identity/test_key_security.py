"""Every digital key as strong as the eID (issue 13): the itsme code and its block, every key refused
while a person's keys are blocked, the throttle on every sign-in form, no telling an unknown
identifier from a known one, and the proof a password change asks for."""

import re
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from accessportal import clock
from accessportal.models import AuditEvent
from accessportal.services import ServiceError
from identity import services, throttle
from identity.models import ItsmeCodeOrigin, Person
from identity.tokens import DEMO_ITSME_CODE, itsme_code, token_code
from tests.factories import PersonFactory
from training import services as training
from training.models import Part

pytestmark = pytest.mark.django_db

PIN = "1234"  # the factory's
CODE = "24680"
PASSWORD = "een-goed-wachtwoord"
NEW_PASSWORD = "Lente-in-Herselt-2026"
UNKNOWN_INSZ = "85.07.30-033.28"  # valid, and nobody's
UNKNOWN_PHONE = "0499 99 99 99"
EID, ITSME, APP = "/aanmelden/eid/", "/aanmelden/itsme/", "/aanmelden/itsme/bevestigen/"
TOKEN, USERNAME = "/aanmelden/token/", "/aanmelden/gebruikersnaam/"
PASSWORD_PAGE, ADMIN_LOGIN = "/toegangsbeheer/wachtwoord/", "/admin/login/"
THROTTLED = "Te veel mislukte pogingen. Probeer opnieuw over"


@pytest.fixture
def past():
    """A simulated clock (the throttle never runs ahead of real time, so it starts in the past)."""
    with clock.simulated(datetime(2025, 1, 6, 10, 0, tzinfo=ZoneInfo("Europe/Brussels"))) as simulated:
        yield simulated


@pytest.fixture
def marc():
    person = PersonFactory(
        insz="75031203339",
        first_name="Marc",
        last_name="Vermeulen",
        username="marc.vermeulen",
        itsme_phone="32470123456",
        password=PASSWORD,
    )
    person.set_itsme_code(CODE, origin=ItsmeCodeOrigin.OWN)
    person.save()
    return person


def eid(client, insz="75.03.12-033.39", pin=PIN, **extra):
    return client.post(EID, {"insz": insz, "pin": pin}, **extra)


def itsme(client, phone="0470 12 34 56", code=CODE, **extra):
    step = client.post(ITSME, {"phone": phone}, **extra)
    if step.status_code != 302:
        return step
    return client.post(APP, {"action": "confirm", "code": code}, **extra)


def password(client, username="marc.vermeulen", password=PASSWORD, **extra):
    return client.post(USERNAME, {"username": username, "password": password}, **extra)


def token(client, insz="75031203339", username="marc.vermeulen", password=PASSWORD, code=None, **extra):
    client.get(TOKEN, **extra)
    number = client.session["token_code_number"]
    code = code or token_code(insz, number)
    return client.post(TOKEN, {"username": username, "password": password, "code": code}, **extra)


SIGN_INS = {"eid": eid, "itsme": itsme, "token": token, "password": password}


def errors(response) -> str:
    """The page's error summary (what the visitor is told), without the rest of the page."""
    found = re.search(r'<div class="error-summary".*?</div>', response.content.decode(), re.S)
    return found.group(0) if found else ""


def signed_in(client, person) -> bool:
    return client.session.get(SESSION_KEY) == str(person.pk)


def block(person, **fields):
    Person.objects.filter(pk=person.pk).update(**fields)


# --- Blocked keys ---------------------------------------------------------------------------------


@pytest.mark.parametrize("key", SIGN_INS)
def test_a_blocked_card_refuses_every_key(client, marc, key):
    for _ in range(3):
        eid(client, pin="0000")
    marc.refresh_from_db()
    assert marc.card_blocked and marc.keys_blocked
    response = SIGN_INS[key](client)
    assert response.status_code == 200
    assert "Uw eID-kaart is geblokkeerd na drie foute PIN-codes" in errors(response)
    assert "met geen enkele digitale sleutel" in errors(response)
    assert not signed_in(client, marc)


@pytest.mark.parametrize("key", SIGN_INS)
def test_a_blocked_itsme_refuses_every_key(client, marc, key):
    block(marc, failed_itsme_attempts=3, itsme_blocked_at=clock.now())
    response = SIGN_INS[key](client)
    assert response.status_code == 200 and "Uw itsme is geblokkeerd" in errors(response)
    assert not signed_in(client, marc)


@pytest.mark.parametrize("key", SIGN_INS)
def test_an_inactive_account_refuses_every_key(client, marc, key):
    block(marc, is_active=False)
    response = SIGN_INS[key](client)
    assert response.status_code == 200 and "Uw account is gedeactiveerd" in errors(response)
    assert not signed_in(client, marc)


def test_a_wrong_secret_of_a_blocked_person_tells_nothing_of_the_block(client, marc):
    """Only who knows the secret learns that the keys are blocked (except for the blocked key itself)."""
    block(marc, failed_itsme_attempts=3, itsme_blocked_at=clock.now())
    wrong_password, wrong_pin = password(client, password="fout"), eid(client, pin="0000")
    assert "De gebruikersnaam of het wachtwoord is niet correct." in errors(wrong_password)
    assert "Het rijksregisternummer of de PIN-code is niet correct. Nog 2 pogingen" in errors(wrong_pin)
    for answer in (wrong_password, wrong_pin):
        assert "Uw itsme is geblokkeerd" not in errors(answer)


def test_three_wrong_itsme_codes_block_itsme(client, marc):
    assert client.post(ITSME, {"phone": "0470 12 34 56"}).status_code == 302
    answers = [errors(client.post(APP, {"action": "confirm", "code": "11111"})) for _ in range(3)]
    assert "Het gsm-nummer of de itsme-code is niet correct. Nog 2 pogingen" in answers[0]
    assert "Nog 1 poging voordat uw itsme geblokkeerd wordt." in answers[1]
    assert "Uw itsme is nu geblokkeerd." in answers[2]
    right = client.post(APP, {"action": "confirm", "code": CODE})
    assert right.status_code == 200 and "Uw itsme is geblokkeerd" in errors(right)
    assert not signed_in(client, marc)
    marc.refresh_from_db()
    assert marc.itsme_blocked and marc.failed_itsme_attempts == 3 and marc.keys_blocked
    wrong = AuditEvent.objects.filter(action="signin.itsme_wrong_code", target_id=str(marc.pk))
    assert [event.after for event in wrong.order_by("pk")][-1] == {
        "failed_itsme_attempts": 3,
        "blocked": True,
    }
    assert "Uw itsme is geblokkeerd" in errors(eid(client))  # and the eID with it


def test_card_unblock_unblocks_card_and_itsme(client, marc):
    now = clock.now()
    block(marc, failed_pin_attempts=3, card_blocked_at=now, failed_itsme_attempts=3, itsme_blocked_at=now)
    trainer = PersonFactory(first_name="Tine")
    services.card_unblock(actor=trainer, person=marc)
    marc.refresh_from_db()
    assert (
        marc.failed_pin_attempts,
        marc.card_blocked_at,
        marc.failed_itsme_attempts,
        marc.itsme_blocked_at,
    ) == (
        0,
        None,
        0,
        None,
    )
    assert not marc.keys_blocked
    (event,) = AuditEvent.objects.filter(action="person.card_unblock")
    assert event.actor == trainer and event.target_id == str(marc.pk)
    assert event.before["failed_pin_attempts"] == 3 and event.before["failed_itsme_attempts"] == 3
    assert event.after == {
        "failed_pin_attempts": 0,
        "card_blocked_at": None,
        "failed_itsme_attempts": 0,
        "itsme_blocked_at": None,
    }
    assert itsme(client).status_code == 302 and signed_in(client, marc)


def test_unblocking_also_forgets_the_failed_sign_ins(client, marc, past):
    for _ in range(5):  # three wrong PINs, then two on the blocked card
        eid(client, pin="0000")
    assert THROTTLED in errors(eid(client))
    services.card_unblock(actor=None, person=marc)
    assert eid(client).status_code == 302


def test_the_admin_action_unblocks_through_the_service(client, marc):
    admin = PersonFactory(is_staff=True, is_superuser=True)
    block(marc, failed_itsme_attempts=3, itsme_blocked_at=clock.now())
    client.force_login(admin)
    response = client.post(
        reverse("admin:identity_person_changelist"),
        {"action": "unblock_card", "_selected_action": [marc.pk]},
        follow=True,
    )
    assert "De eID-kaart en itsme van 1 persoon zijn gedeblokkeerd." in response.text
    marc.refresh_from_db()
    assert not marc.itsme_blocked and marc.failed_itsme_attempts == 0
    (event,) = AuditEvent.objects.filter(action="person.card_unblock")
    assert event.actor == admin and event.before["failed_itsme_attempts"] == 3
    page = client.get(reverse("admin:identity_person_change", args=[marc.pk])).text
    assert 'name="new_itsme_code"' in page and "ingesteld (Eigen code (niet getoond))" in page
    assert CODE not in page and marc.itsme_code not in page


def test_unblock_keys_command(marc):
    now = clock.now()
    block(marc, failed_pin_attempts=3, card_blocked_at=now, failed_itsme_attempts=3, itsme_blocked_at=now)
    call_command("unblock_keys", "75.03.12-033.39")
    marc.refresh_from_db()
    assert not marc.keys_blocked and marc.failed_pin_attempts == marc.failed_itsme_attempts == 0
    with pytest.raises(CommandError, match="niet in het rijksregister"):
        call_command("unblock_keys", UNKNOWN_INSZ)
    with pytest.raises(CommandError, match="controlegetal"):
        call_command("unblock_keys", "75.03.12-033.38")


def test_a_sandbox_reset_unblocks_card_and_itsme(world):
    _trainer, _classroom, sandbox, trainee = world.training
    block(trainee, failed_pin_attempts=3, card_blocked_at=clock.now(), failed_itsme_attempts=2)
    training.sandbox_reset(actor=trainee, sandbox=sandbox)
    trainee.refresh_from_db()
    assert not trainee.keys_blocked and trainee.failed_itsme_attempts == 0


# --- Throttling -----------------------------------------------------------------------------------


def test_throttled_per_username_with_the_time_to_wait(client, marc, past):
    password(client, password="fout", REMOTE_ADDR="192.0.2.1")
    past.advance(minutes=6)
    for number in range(2, 6):  # from other addresses: the username counts
        response = password(client, password="fout", REMOTE_ADDR=f"192.0.2.{number}")
        assert response.status_code == 200 and THROTTLED not in response.text
    throttled = password(client, REMOTE_ADDR="192.0.2.9")  # the right password, too late
    assert throttled.status_code == 429
    assert "Te veel mislukte pogingen. Probeer opnieuw over 4 minuten." in errors(throttled)
    assert not signed_in(client, marc)
    past.advance(minutes=3)
    assert "Probeer opnieuw over 1 minuut." in errors(password(client))
    past.advance(minutes=1)  # the first failure left the window of ten minutes
    assert password(client).status_code == 302 and signed_in(client, marc)


def test_throttled_per_identifier_on_every_key(client, marc, past):
    for _ in range(5):
        eid(client, insz=UNKNOWN_INSZ, pin="0000")
        itsme(client, phone=UNKNOWN_PHONE, code="11111")
        token(client, username="niemand")
    assert THROTTLED in errors(eid(client, insz=UNKNOWN_INSZ))
    step = client.post(ITSME, {"phone": UNKNOWN_PHONE})
    assert step.status_code == 429 and THROTTLED in errors(step)  # already at the gsm-nummer
    assert THROTTLED in errors(token(client, username="niemand"))
    assert eid(client).status_code == 302  # other identifiers go on


def test_throttled_per_address(client, marc, past, settings):
    settings.SIGNIN_THROTTLE_PER_ADDRESS = 4
    here = {"REMOTE_ADDR": "192.0.2.7"}
    eid(client, insz=UNKNOWN_INSZ, pin="0000", **here)
    itsme(client, phone=UNKNOWN_PHONE, code="11111", **here)
    password(client, username="niemand", **here)
    token(client, password="fout", **here)
    throttled = eid(client, **here)  # Marc's right PIN
    assert throttled.status_code == 429
    assert "Te veel mislukte pogingen. Probeer opnieuw over 10 minuten." in errors(throttled)
    assert not signed_in(client, marc)
    assert eid(client, REMOTE_ADDR="192.0.2.8").status_code == 302  # another address
    past.advance(minutes=10)
    assert eid(client, **here).status_code == 302


def test_only_failures_count(client, marc, past, settings):
    settings.SIGNIN_THROTTLE_PER_ADDRESS = 2
    settings.SIGNIN_THROTTLE_PER_IDENTIFIER = 2
    for _ in range(5):
        assert eid(client).status_code == 302
        assert password(client).status_code == 302


def test_a_forged_forwarded_for_does_not_escape_the_throttle(client, marc, past, settings):
    settings.SIGNIN_THROTTLE_PER_ADDRESS = 3
    for number in range(3):
        password(client, username=f"niemand{number}", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}")
    assert password(client, HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_the_client_address(rf, settings):
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.4")
    assert throttle.client_address(request) == "10.0.0.1"  # X-Forwarded-For is the client's own word
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # DJANGO_BEHIND_PROXY=1
    assert throttle.client_address(request) == "198.51.100.4"  # what our proxy appended
    assert throttle.client_address(rf.get("/", REMOTE_ADDR="2001:db8:1:2:3:4:5:6")) == "2001:db8:1:2::/64"
    assert throttle.client_address(rf.get("/", REMOTE_ADDR="::ffff:192.0.2.5")) == "192.0.2.5"


def test_the_admin_login_is_throttled(client, past):
    staff = PersonFactory(password="beheer-wachtwoord-1", is_staff=True, is_superuser=True)

    def admin_login(secret):
        return client.post(
            ADMIN_LOGIN, {"username": staff.insz_display, "password": secret, "next": "/admin/"}
        )

    for _ in range(5):
        assert admin_login("fout").status_code == 200
    throttled = admin_login("beheer-wachtwoord-1")
    assert "Te veel mislukte pogingen. Probeer opnieuw over 10 minuten." in throttled.text
    assert not signed_in(client, staff)
    past.advance(minutes=10)
    assert admin_login("beheer-wachtwoord-1").status_code == 302 and signed_in(client, staff)


def test_the_admin_login_refuses_blocked_keys(client):
    staff = PersonFactory(password="beheer-wachtwoord-1", is_staff=True, is_superuser=True)
    block(staff, failed_pin_attempts=3, card_blocked_at=clock.now())
    response = client.post(
        ADMIN_LOGIN, {"username": staff.insz_display, "password": "beheer-wachtwoord-1", "next": "/admin/"}
    )
    assert response.status_code == 200 and "Uw eID-kaart is geblokkeerd" in response.text
    assert not signed_in(client, staff)


# --- No telling an unknown identifier from a known one ----------------------------------------------


def test_eid_answers_an_unknown_number_as_a_wrong_pin(client, marc):
    unknown = [eid(client, insz=UNKNOWN_INSZ, pin="0000") for _ in range(4)]
    known = [eid(client, pin="0000") for _ in range(4)]
    for one, other in zip(unknown, known, strict=True):
        assert (one.status_code, errors(one)) == (other.status_code, errors(other))
    assert "Het rijksregisternummer of de PIN-code is niet correct. Nog 2 pogingen" in errors(known[0])
    assert "Uw eID-kaart is nu geblokkeerd" in errors(known[2])
    assert "Uw eID-kaart is geblokkeerd" in errors(known[3])


def test_itsme_answers_an_unknown_number_as_a_wrong_code(client, marc):
    steps, answers = [], []
    for phone in (UNKNOWN_PHONE, "0470 12 34 56"):
        step = client.post(ITSME, {"phone": phone})
        steps.append((step.status_code, step["Location"]))
        answers.append([client.post(APP, {"action": "confirm", "code": "11111"}) for _ in range(4)])
    assert steps[0] == steps[1] == (302, APP)  # every number goes on to the app
    for one, other in zip(*answers, strict=True):
        assert (one.status_code, errors(one)) == (other.status_code, errors(other))
    assert "Nog 2 pogingen" in errors(answers[1][0]) and "Uw itsme is geblokkeerd" in errors(answers[1][3])


def test_password_and_token_answer_alike_for_an_unknown_user_and_a_wrong_password(client, marc):
    unknown, wrong = password(client, username="niemand"), password(client, password="fout")
    assert (unknown.status_code, errors(unknown)) == (wrong.status_code, errors(wrong))
    assert "De gebruikersnaam of het wachtwoord is niet correct." in errors(wrong)
    unknown, wrong = token(client, username="niemand"), token(client, password="fout")
    assert (unknown.status_code, errors(unknown)) == (wrong.status_code, errors(wrong))


def test_an_unknown_identifier_costs_a_hash_as_a_known_one_does(client, monkeypatch):
    """Unknown INSZ, gsm-nummer or username: a dummy secret is hashed, so the answer takes as long."""
    hashed = []
    real = services.make_password
    monkeypatch.setattr(services, "make_password", lambda raw, *args: hashed.append(raw) or real(raw, *args))
    eid(client, insz=UNKNOWN_INSZ, pin="0000")
    itsme(client, phone=UNKNOWN_PHONE, code="11111")
    password(client, username="niemand", password="iets-anders")
    assert hashed == ["0000", "11111", "iets-anders"]


# --- Speed under a classroom: hashing outside any transaction --------------------------------------


@pytest.mark.django_db(transaction=True)
def test_secrets_are_hashed_outside_any_transaction(client, monkeypatch):
    person = PersonFactory(username="anna", password=PASSWORD, itsme_phone="32470555666")
    person.set_itsme_code(CODE, origin=ItsmeCodeOrigin.OWN)
    person.save()
    in_transaction = []
    for name in ("encode", "verify"):
        original = getattr(MD5PasswordHasher, name)

        def spy(self, *args, _original=original):
            in_transaction.append(connection.in_atomic_block)
            return _original(self, *args)

        monkeypatch.setattr(MD5PasswordHasher, name, spy)
    eid(client, insz=person.insz, pin="0000")
    eid(client, insz=UNKNOWN_INSZ, pin="0000")
    itsme(client, phone="0470 55 56 66", code="11111")
    itsme(client, phone=UNKNOWN_PHONE, code="11111")
    password(client, username="anna", password="fout")
    assert password(client, username="anna").status_code == 302
    assert eid(client, insz=person.insz).status_code == 302
    assert itsme(client, phone="0470 55 56 66").status_code == 302
    assert len(in_transaction) >= 8 and not any(in_transaction)
    person.refresh_from_db()
    assert person.failed_pin_attempts == person.failed_itsme_attempts == 0


@pytest.mark.django_db(transaction=True)
def test_two_wrong_pins_at_once_count_twice(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; CI runs this test there")
    person = PersonFactory()
    both_hashed = threading.Barrier(2)
    check_pin = Person.check_pin

    def check_at_the_same_moment(self, raw):
        result = check_pin(self, raw)
        both_hashed.wait(timeout=10)  # both read the row before either writes
        return result

    monkeypatch.setattr(Person, "check_pin", check_at_the_same_moment)
    refusals = []

    def wrong_pin():
        try:
            services.eid_sign_in(insz=person.insz, pin="0000")
        except ServiceError as error:
            refusals.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=wrong_pin) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    person.refresh_from_db()
    assert refusals == ["wrong_secret", "wrong_secret"]
    assert person.failed_pin_attempts == 2


# --- The proof a password change asks for -----------------------------------------------------------


def test_a_first_password_without_proof_asks_to_sign_in_again(client):
    lotte = PersonFactory(username=None)
    client.force_login(lotte)
    page = client.get(PASSWORD_PAGE)
    assert page.status_code == 200
    assert "Bevestig eerst wie u bent: meld u opnieuw aan met uw eID of itsme." in page.text
    assert 'href="/aanmelden/eid/?next=%2Ftoegangsbeheer%2Fwachtwoord%2F"' in page.text
    assert 'href="/aanmelden/itsme/?next=%2Ftoegangsbeheer%2Fwachtwoord%2F"' in page.text
    assert 'name="new_password1"' not in page.text
    posted = client.post(
        PASSWORD_PAGE, {"username": "lotte.w", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert posted.status_code == 200 and "Bevestig eerst wie u bent" in posted.text
    lotte.refresh_from_db()
    assert not lotte.has_usable_password() and lotte.username is None
    with pytest.raises(ServiceError) as refused:
        services.password_change(actor=lotte, password=NEW_PASSWORD, username="lotte.w")
    assert refused.value.code == "proof_required"
    # the link: sign in with eID, back on the page, and the password can be chosen
    back = client.post(f"{EID}?next={PASSWORD_PAGE}", {"insz": lotte.insz, "pin": PIN})
    assert back["Location"] == PASSWORD_PAGE
    assert 'name="new_password1"' in client.get(PASSWORD_PAGE).text
    assert (
        client.post(
            PASSWORD_PAGE,
            {"username": "lotte.w", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        ).status_code
        == 302
    )
    lotte.refresh_from_db()
    assert lotte.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("key", ["eid", "itsme"])
def test_a_recent_strong_sign_in_changes_the_password_without_the_current_one(client, marc, past, key):
    assert SIGN_INS[key](client).status_code == 302
    page = client.get(PASSWORD_PAGE).text
    assert 'name="old_password"' not in page and "uw huidige wachtwoord is niet nodig" in page
    past.advance(minutes=5)
    response = client.post(PASSWORD_PAGE, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    marc.refresh_from_db()
    assert marc.check_password(NEW_PASSWORD)
    assert client.get(PASSWORD_PAGE).status_code == 200  # still signed in


def test_an_eid_sign_in_older_than_five_minutes_is_no_proof(client, marc, past):
    eid(client)
    past.advance(minutes=5, seconds=1)
    page = client.get(PASSWORD_PAGE).text
    assert 'name="old_password"' in page and "Uw huidige wachtwoord vergeten?" in page
    response = client.post(PASSWORD_PAGE, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 200 and 'id="id_old_password_error"' in response.text
    with pytest.raises(ServiceError) as refused:
        services.password_change(
            actor=marc, password=NEW_PASSWORD, strong_sign_in=client.session["signed_in_with"]
        )
    assert refused.value.code == "proof_required"
    marc.refresh_from_db()
    assert marc.check_password(PASSWORD)


@pytest.mark.parametrize("key", ["token", "password"])
def test_a_sign_in_with_username_is_no_proof(client, marc, key):
    assert SIGN_INS[key](client).status_code == 302
    assert client.session["signed_in_with"]["key"] == key
    assert 'name="old_password"' in client.get(PASSWORD_PAGE).text
    with pytest.raises(ServiceError):
        services.password_change(
            actor=marc, password=NEW_PASSWORD, strong_sign_in=client.session["signed_in_with"]
        )


def test_the_service_checks_the_current_password(marc):
    with pytest.raises(ServiceError) as refused:
        services.password_change(actor=marc, password=NEW_PASSWORD, current_password="fout")
    assert refused.value.message_dict == {"old_password": ["Uw huidige wachtwoord is niet correct."]}
    services.password_change(actor=marc, password=NEW_PASSWORD, current_password=PASSWORD)
    marc.refresh_from_db()
    assert marc.check_password(NEW_PASSWORD)


def test_someone_elses_sign_in_is_no_proof(marc):
    other = PersonFactory()
    proof = services.sign_in_proof(person=other, key="eid")
    assert not services.strong_sign_in_recent(person=marc, sign_in=proof)
    assert services.strong_sign_in_recent(person=other, sign_in=proof)
    assert not services.strong_sign_in_recent(person=other, sign_in={**proof, "at": "gisteren"})
    assert not services.strong_sign_in_recent(person=other, sign_in=None)


def test_a_persona_switch_is_no_strong_key(client, world):
    _trainer, _classroom, sandbox, trainee = world.training
    assert eid(client, insz=trainee.insz, pin=sandbox.pin).status_code == 302
    assert services.strong_sign_in_recent(person=trainee, sign_in=client.session["signed_in_with"])
    colleague = sandbox.people.filter(part=Part.EMPLOYEE).first().person
    client.post(f"/opleiding/zandbak/personen/{colleague.pk}/wisselen/", {"next": "/"})
    assert signed_in(client, colleague)
    assert not services.strong_sign_in_recent(person=colleague, sign_in=client.session.get("signed_in_with"))
    page = client.get(PASSWORD_PAGE).text
    assert "Bevestig eerst wie u bent" in page and 'name="new_password1"' not in page


# --- Where a person finds their itsme code ------------------------------------------------------------


def test_digital_keys_show_the_simulated_itsme_code(client):
    person = PersonFactory(itsme_phone="32470999888")
    person.set_itsme_code(itsme_code(person.insz), origin=ItsmeCodeOrigin.SIMULATED)
    person.save()
    client.force_login(person)
    page = client.get("/mijn-digitale-sleutels/").text
    assert f'<dd class="number itsme-code">{itsme_code(person.insz)}</dd>' in page
    assert "Simulatie: een echte itsme-code kent alleen u" in page and "+32 470 99 98 88" in page


def test_a_privately_set_itsme_code_is_not_shown(client, marc):
    client.force_login(marc)
    page = client.get("/mijn-digitale-sleutels/").text
    assert CODE not in page and "alleen een hash" in page


def test_demo_people_use_the_documented_itsme_code(client):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert itsme(client, phone="+32 3 450 12 10", code=DEMO_ITSME_CODE).status_code == 302
    marc = Person.objects.get(insz="75031203339")
    assert signed_in(client, marc)
    assert (
        f'<dd class="number itsme-code">{DEMO_ITSME_CODE}</dd>' in client.get("/mijn-digitale-sleutels/").text
    )


def test_a_trainee_signs_in_with_the_itsme_on_the_card(client, world):
    trainer, classroom, sandbox, trainee = world.training
    client.force_login(trainer)
    card = client.get(reverse("training:cards", kwargs={"classroom_id": classroom.pk})).text
    phone = re.search(r'<dd class="number itsme-phone">([^<]+)</dd>', card).group(1)
    code = re.search(r'<dd class="number itsme-code">([^<]+)</dd>', card).group(1)
    assert phone == trainee.itsme_phone_display and code == itsme_code(trainee.insz)
    for part in sandbox.people.select_related("person"):
        assert part.person.itsme_phone_display in card and part.person.itsme_code_shown in card
    client.logout()
    assert itsme(client, phone=phone, code=code).status_code == 302 and signed_in(client, trainee)
