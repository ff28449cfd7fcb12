"""Personal data minimisation. Looking a person up by INSZ to add or appoint them shows what the screen
needs from the national register (name, title, INSZ): never their username, never their personal
address or one another enterprise holds; an e-mail field starts from an address this enterprise already
holds for them, or empty. The access API answers with the decision and the diagnosis, never with the
person's name or other personal data: a token does not turn an INSZ into a name."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accessportal.identifiers import insz_format
from administrators import procedure
from administrators import services as administrators
from administrators.models import AdministratorKind
from enterprises import services as enterprises
from roles.models import SimulatedApplication
from roles.services import application_token_rotate
from users import services as users
from worlds.numbers import insz_for

pytestmark = pytest.mark.django_db

PRIVATE = "prive.adres@thuis.be"
ELSEWHERE = "werk@buitenstaander.be"
HELD = "bekend@hoofdzorg.be"


@pytest.fixture
def newcomer(world, catalogue):
    """An employee of the main enterprise with a username, a personal address, and a user of the
    outsider enterprise too (where that enterprise holds another address for them)."""
    person = world.main.employee
    person.username, person.email = "geheim.login", PRIVATE
    person.save()
    outsider = world.outsider
    enterprises.employment_add(
        enterprise=outsider.enterprise, person=person, start_date=outsider.user.created_at.date()
    )
    users.user_add(actor=outsider.sb, subafdeling=outsider.subafdeling, person=person, email=ELSEWHERE)
    return person


def shows_no_more_than_the_register(page: str, person) -> None:
    assert person.last_name in page and person.first_name in page
    for secret in ("geheim.login", PRIVATE, ELSEWHERE):
        assert secret not in page, secret


def email_value(page: str) -> str:
    start = page.index('name="email"')
    tag = page[page.rindex("<input", 0, start) : page.index(">", start)]
    return tag.split('value="')[1].split('"')[0] if 'value="' in tag else ""


def test_adding_a_user_shows_the_register_only(client, world, newcomer):
    main = world.main
    client.force_login(main.sb)
    base = f"/toegangsbeheer/subafdelingen/{main.subafdeling.pk}/gebruikers/"
    form = client.post(f"{base}toevoegen/", {"toevoegen-insz": insz_format(newcomer.insz)})["Location"]
    page = client.get(form).text
    shows_no_more_than_the_register(page, newcomer)
    assert email_value(page) == ""
    confirm = client.post(form, {"email": "nieuw@hoofdzorg.be", "language": "nl", "title": newcomer.title})[
        "Location"
    ]
    shows_no_more_than_the_register(client.get(confirm).text, newcomer)


def test_an_address_the_enterprise_holds_is_offered(client, world, catalogue, newcomer):
    main = world.main
    administrators.local_administrator_appoint(
        actor=main.htb,
        activation=main.activation,
        person=newcomer,
        kind=AdministratorKind.CO_LB,
        email=HELD,
    )
    client.force_login(main.sb)
    base = f"/toegangsbeheer/subafdelingen/{main.subafdeling.pk}/gebruikers/"
    form = client.post(f"{base}toevoegen/", {"toevoegen-insz": newcomer.insz})["Location"]
    assert email_value(client.get(form).text) == HELD


def test_appointing_a_local_administrator_shows_the_register_only(client, world, newcomer):
    main = world.main
    client.force_login(main.htb)
    base = f"/toegangsbeheer/hoedanigheden/{main.activation.pk}/gebruikers/"
    form = client.post(base, {"aanstellen-kind": "CO_LB", "aanstellen-insz": newcomer.insz})["Location"]
    page = client.get(form).text
    shows_no_more_than_the_register(page, newcomer)
    assert email_value(page) == ""
    confirm = client.post(form, {"email": "colb@hoofdzorg.be"})["Location"]
    shows_no_more_than_the_register(client.get(confirm).text, newcomer)


def test_a_subafdelingsbeheerder_is_shown_with_the_register_only(client, world, catalogue, newcomer):
    main = world.main
    gz = catalogue["types"]["gezondheidszorg"]
    enterprises.facility_register(
        enterprise=main.enterprise, hco_number="800121", name="HUIZE PRIVE", listings={gz: "HUIZE PRIVE"}
    )
    client.force_login(main.tb)
    base = f"/toegangsbeheer/hoedanigheden/{main.activation.pk}/subafdelingen/toevoegen/"
    listing = gz.listings.get(facility__hco_number="800121")
    details = client.post(f"{base}?type={gz.code}", {"listing": listing.pk})["Location"]
    applications = client.post(
        details, {"email": "huize@hoofdzorg.be", "beheer": "beheerder", "insz": newcomer.insz}
    )["Location"]
    vipa = catalogue["applications"]["vipa"]
    confirm = client.post(applications, {"applications": [vipa.pk]})["Location"]
    shows_no_more_than_the_register(client.get(confirm).text, newcomer)


def test_the_htb_confirmation_shows_the_register_only(client, world, newcomer):
    outsider = world.outsider  # the newcomer is employed there too
    client.force_login(outsider.legal_rep)
    draft = procedure.htb_draft_start(actor=outsider.legal_rep, kbo=outsider.enterprise.kbo)
    procedure.htb_draft_answer(
        actor=outsider.legal_rep,
        draft=draft,
        choice="OTHER",
        htb_insz=newcomer.insz,
        htb_email="htb@buitenstaander.be",
        htb_phone="02 123 45 67",
        requester_email="rep@buitenstaander.be",
        requester_phone="02 123 45 68",
    )
    page = client.get(f"/beheer-toegangsbeheerders/hoofdtoegangsbeheerder/{draft.pk}/bevestiging/").text
    shows_no_more_than_the_register(page, newcomer)


# --- The access API -------------------------------------------------------------------------------


@pytest.fixture
def token(catalogue) -> str:
    return application_token_rotate(actor=None, app=SimulatedApplication.objects.get(slug="eloket"))


def ask(client, token, insz, hco="800001") -> dict:
    response = client.get(
        "/api/toegang/",
        {"insz": insz, "toepassing": "eloket", "hco": hco},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 200
    return response.json()


def personal_data(person) -> list[str]:
    values = [person.first_name, person.last_name, person.full_name, person.email, person.insz]
    values += [insz_format(person.insz), person.username or "", person.phone]
    if person.birth_date:
        values.append(f"{person.birth_date:%d/%m/%Y}")
    return [value for value in values if value]


def test_the_api_names_no_person(client, world, frozen_clock, token):
    main = world.main
    person = main.user_person
    person.username, person.phone = "gebruiker.login", "0470 12 34 56"
    person.save()
    answers = [ask(client, token, person.insz)]  # saved, not yet in effect
    frozen_clock.advance(minutes=20)
    from accessportal.propagation import propagations_apply_due

    propagations_apply_due()
    answers.append(ask(client, token, person.insz))  # allowed
    users.user_update(
        actor=main.sb, user=main.user, email=main.user.email, local_email="", language="nl", applications=[]
    )
    answers.append(ask(client, token, person.insz))  # the right removed, still in effect until the delay
    for body in answers:
        text = json.dumps(body, ensure_ascii=False)
        for value in personal_data(person):
            assert value not in text, value
        assert "Deze persoon" in text
    # the administrators who can fix a missing link are named
    refused = ask(client, token, main.employee.insz)
    assert main.sb.full_name in json.dumps(refused, ensure_ascii=False)


def test_a_known_and_an_unknown_insz_get_the_same_refusal(client, world, token):
    known = ask(client, token, world.main.employee.insz)  # in the register, no user of the subafdeling
    unknown = ask(client, token, insz_for(987_654))
    assert known == unknown
    assert world.main.employee.last_name not in json.dumps(known, ensure_ascii=False)


def test_an_allowed_decision_reads_no_secrets_and_no_register_data(client, world, frozen_clock, token):
    """The API reads the person it is asked about as an id, the HTB it names as a name: no one's
    password, PIN or itsme code, username or birth date leaves the database for it."""
    with CaptureQueriesContext(connection) as queries:
        body = ask(client, token, world.main.user_person.insz)
    assert body["beslissing"] == "TOEGESTAAN"
    assert world.main.htb.full_name in json.dumps(body, ensure_ascii=False)
    statements = " ".join(query["sql"] for query in queries.captured_queries)
    for column in ("password", "pin", "itsme_code", "username", "birth_date", "insz"):
        assert f'."{column}"' not in statements, column
