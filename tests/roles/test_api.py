"""The access decision API, GET /api/toegang/: the application's token, its parameters, and the decision
with its diagnosis in JSON with Dutch keys."""

from datetime import date

import pytest
from django.test import Client

from accessportal.identifiers import insz_format
from accessportal.propagation import propagations_apply_due
from roles import services as roles
from roles.models import SimulatedApplication
from roles.services import application_token_rotate
from worlds.numbers import insz_for

pytestmark = pytest.mark.django_db

URL = "/api/toegang/"
BELRAI_ROLE = "BelRAI VL - zorgverlener met certificaat"


@pytest.fixture
def tokens(catalogue) -> dict[str, str]:
    return {
        app.slug: application_token_rotate(actor=None, app=app) for app in SimulatedApplication.objects.all()
    }


def ask(client, token: str | None, **params):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.get(URL, params, **headers)


def query(world, toepassing: str = "eloket", hco: str = "800001") -> dict:
    return {"insz": world.main.user_person.insz, "toepassing": toepassing, "hco": hco}


def in_effect(frozen_clock) -> None:
    frozen_clock.advance(minutes=20)
    propagations_apply_due()


def link(body: dict, key: str) -> dict:
    return next(item for item in body["diagnose"] if item["schakel"] == key)


# Authentication


def test_without_a_token_the_answer_is_401_and_says_nothing_about_the_person(client, world, tokens):
    response = ask(client, None, **query(world))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["fout"] and "Authorization: Bearer" in body["fout"]
    person = world.main.user_person
    assert person.last_name not in response.text and person.insz not in response.text


@pytest.mark.parametrize("header", ["Bearer niet-het-juiste-token", "Basic dXNlcjpwYXNz", "Bearer", "token"])
def test_a_wrong_token_gets_401(client, world, tokens, header):
    response = client.get(URL, query(world), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert list(response.json()) == ["fout"]
    assert world.main.user_person.last_name not in response.text


def test_a_wrong_token_is_named_invalid(client, world, tokens):
    response = ask(client, "niet-het-juiste-token", **query(world))
    assert 'error="invalid_token"' in response["WWW-Authenticate"]
    assert response.json() == {"fout": "Het token is ongeldig."}


def test_a_signed_in_session_is_no_token(client, world, tokens):
    client.force_login(world.main.user_person)
    assert ask(client, None, **query(world)).status_code == 401


def test_a_rotated_token_stops_working_at_once(client, world, tokens):
    app = SimulatedApplication.objects.get(slug="eloket")
    new = application_token_rotate(actor=None, app=app)
    assert ask(client, tokens["eloket"], **query(world)).status_code == 401
    assert ask(client, new, **query(world)).status_code == 200


def test_the_token_of_another_application_gets_403(client, world, tokens):
    response = ask(client, tokens["evipa"], **query(world, toepassing="belrai"))
    assert response.status_code == 403
    assert response.json() == {"fout": "Dit token geeft enkel toegang tot de beslissingen van evipa."}
    assert response["Cache-Control"] == "no-store"
    assert ask(client, tokens["evipa"], **query(world, toepassing="onbekend")).status_code == 403


# Parameters and methods


def test_missing_parameters_get_400_with_a_dutch_message_each(client, world, tokens):
    response = ask(client, tokens["eloket"])
    assert response.status_code == 400
    body = response.json()
    assert body["fout"] == "Ongeldige parameters."
    assert set(body["parameters"]) == {"toepassing", "insz", "hco"}
    assert "De parameter hco ontbreekt" in body["parameters"]["hco"]
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"insz": "87113009141"}, "insz", "het controlegetal klopt niet"),
        ({"insz": "12345"}, "insz", "Een INSZ-nummer bestaat uit 11 cijfers."),
        ({"hco": ""}, "hco", "De parameter hco ontbreekt"),
        ({"hco": "80A001"}, "hco", "Een HCO-nummer bestaat enkel uit cijfers."),
        ({"hco": "1234567890123"}, "hco", "hoogstens 12 cijfers"),
    ],
)
def test_invalid_parameters_get_400(client, world, tokens, params, field, message):
    response = ask(client, tokens["eloket"], **{**query(world), **params})
    assert response.status_code == 400
    errors = response.json()["parameters"]
    assert list(errors) == [field] and message in errors[field]


def test_only_get_is_allowed(world, tokens):
    client = Client(enforce_csrf_checks=True)  # no CSRF page: the API answers 405 itself
    for method in ("post", "put", "delete", "patch"):
        response = getattr(client, method)(
            URL, HTTP_AUTHORIZATION=f"Bearer {tokens['eloket']}", content_type="application/json"
        )
        assert response.status_code == 405
        assert response["Allow"] == "GET, HEAD"
        assert response.json() == {"fout": "Alleen GET is toegestaan."}


# Decisions


def test_a_saved_role_is_pending_with_the_moment_it_takes_effect(
    client, frozen_clock, world, catalogue, tokens
):
    roles.role_assign(
        actor=world.main.sb,
        user=world.main.user,
        role=catalogue["roles"][BELRAI_ROLE],
        start_date=date(2026, 3, 2),
    )
    response = ask(client, tokens["belrai"], **query(world, toepassing="belrai"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["toepassing"] == "belrai" and body["hco"] == "800001"
    assert body["beslissing"] == "IN_AFWACHTING"
    assert body["van_kracht_vanaf"] == "2026-03-02T10:20:00+01:00"
    assert body["rollen"] == []
    assert link(body, "right")["status"] == "in_orde" and link(body, "right")["van_kracht_vanaf"] is None
    role = link(body, "role")
    assert role["status"] == "in_afwachting"
    assert role["van_kracht_vanaf"] == "2026-03-02T10:20:00+01:00"
    assert role["handleiding"] == "3.6.2"
    assert [item["schakel"] for item in body["diagnose"]] == [
        "enterprise",
        "hoedanigheid",
        "subafdeling",
        "authorisation",
        "user",
        "right",
        "role",
    ]


def test_a_right_is_allowed_as_soon_as_it_is_saved(client, frozen_clock, world, tokens):
    body = ask(client, tokens["eloket"], **query(world)).json()
    assert body["beslissing"] == "TOEGESTAAN"
    assert body["van_kracht_vanaf"] is None
    assert {item["status"] for item in body["diagnose"]} == {"in_orde"}
    assert link(body, "right")["uitleg"].endswith("heeft het recht op E-loket Departement Zorg.")


def test_the_roles_in_effect_are_listed(client, frozen_clock, world, catalogue, tokens):
    roles.role_assign(
        actor=world.main.sb,
        user=world.main.user,
        role=catalogue["roles"][BELRAI_ROLE],
        start_date=date(2026, 3, 2),
    )
    in_effect(frozen_clock)
    body = ask(client, tokens["belrai"], **query(world, toepassing="belrai")).json()
    assert body["beslissing"] == "TOEGESTAAN"
    assert body["rollen"] == [BELRAI_ROLE]
    assert link(body, "role")["status"] == "in_orde"


def test_a_missing_role_is_refused_with_who_can_fix_it(client, frozen_clock, world, tokens):
    in_effect(frozen_clock)
    body = ask(client, tokens["belrai"], **query(world, toepassing="belrai")).json()
    assert body["beslissing"] == "GEWEIGERD"
    assert body["van_kracht_vanaf"] is None
    role = body["diagnose"][-1]
    assert role["schakel"] == "role" and role["titel"] == "Rol"
    assert role["status"] == "ontbreekt"
    assert role["handleiding"] == "3.6.2"
    assert role["op_te_lossen_door"] == [
        {"naam": world.main.sb.full_name, "hoedanigheid": "Subafdelingsbeheerder"}
    ]
    assert "heeft geen rol voor BelRAI" in role["uitleg"]


def test_a_person_unknown_in_the_register_is_refused(client, world, tokens):
    response = ask(client, tokens["eloket"], **{**query(world), "insz": insz_for(987_654)})
    assert response.status_code == 200
    body = response.json()
    assert body["beslissing"] == "GEWEIGERD"
    assert link(body, "user")["status"] == "ontbreekt"
    assert "Deze persoon is geen gebruiker" in link(body, "user")["uitleg"]


def test_an_unknown_facility_is_refused(client, world, tokens):
    body = ask(client, tokens["eloket"], **query(world, hco="123456")).json()
    assert body["beslissing"] == "GEWEIGERD"
    assert body["diagnose"] == [
        {
            "schakel": "facility",
            "titel": "Voorziening (HCO-nummer)",
            "status": "ontbreekt",
            "uitleg": "Er is geen voorziening met HCO-nummer 123456 in CoBRHA.",
            "op_te_lossen_door": [],
            "handleiding": "2.1.3",
            "van_kracht_vanaf": None,
        }
    ]


def test_the_insz_is_accepted_in_any_notation(client, frozen_clock, world, tokens):
    in_effect(frozen_clock)
    official = insz_format(world.main.user_person.insz)
    body = ask(client, tokens["eloket"], **{**query(world), "insz": official}).json()
    assert body["beslissing"] == "TOEGESTAAN"


def test_the_answer_is_dutch_whatever_the_language_asked(client, world, tokens):
    response = client.get(
        URL, query(world), HTTP_AUTHORIZATION=f"Bearer {tokens['eloket']}", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert link(response.json(), "hoedanigheid")["titel"] == "Hoedanigheid actief"
    anonymous = client.get(URL, query(world), HTTP_ACCEPT_LANGUAGE="fr")
    assert anonymous.json()["fout"].startswith("Authenticatie vereist")


def test_a_decision_takes_a_handful_of_queries(
    client, frozen_clock, world, tokens, django_assert_max_num_queries
):
    in_effect(frozen_clock)
    # the token with its application's roles, the person and the chain: one statement
    with django_assert_max_num_queries(1):
        allowed = ask(client, tokens["eloket"], **query(world))
    assert allowed.status_code == 200 and allowed.json()["beslissing"] == "TOEGESTAAN"
    # a refusal also reads who can fix the missing link
    with django_assert_max_num_queries(2):
        assert ask(client, tokens["belrai"], **query(world, toepassing="belrai")).status_code == 200
    with django_assert_max_num_queries(1):
        assert ask(client, "fout", **query(world)).status_code == 401
    # another application's token, or a faulty parameter: the token's statement, nothing more
    with django_assert_max_num_queries(1):
        assert ask(client, tokens["evipa"], **query(world, toepassing="eloket")).status_code == 403
    with django_assert_max_num_queries(1):
        assert ask(client, tokens["eloket"], **{**query(world), "hco": "80A001"}).status_code == 400
    with django_assert_max_num_queries(0):
        assert ask(client, None, **query(world)).status_code == 401
