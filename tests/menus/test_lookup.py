""" "Gebruikers opzoeken": a person across every subafdeling of the hoedanigheid the administrator
manages, by INSZ in any notation or by name, with their rights and roles; paged in the database."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accessportal.identifiers import insz_format
from enterprises import services as enterprises
from roles.services import role_assign
from subdivisions import services as subdivisions
from tests.factories import PersonFactory
from users import services as users

pytestmark = pytest.mark.django_db


def url(world) -> str:
    return f"/toegangsbeheer/hoedanigheden/{world.main.activation.pk}/gebruikers-opzoeken/"


def second_subafdeling(world, catalogue, hco="800011"):
    main, gz = world.main, catalogue["types"]["gezondheidszorg"]
    facility = enterprises.facility_register(
        enterprise=main.enterprise, hco_number=hco, name=f"TWEEDE {hco}", listings={gz: f"TWEEDE {hco}"}
    )
    return subdivisions.subafdeling_activate(
        actor=main.tb,
        activation=main.activation,
        facility=facility,
        subdivision_type=gz,
        email=f"t{hco}@example.be",
        applications=[catalogue["applications"]["vipa"]],
    )


def test_the_screen_has_the_manuals_title_and_finds_nobody_without_a_criterion(client, world):
    client.force_login(world.main.tb)
    page = client.get(url(world)).text
    assert "<h1>Gebruikers opzoeken</h1>" in page and "INSZ" in page and "Zoeken" in page
    assert world.main.user_person.last_name not in page.split('<aside class="portal-menu"')[0]


@pytest.mark.parametrize("notation", ["dotted", "compact", "spaced", "start"])
def test_the_insz_in_any_notation_finds_the_user_in_every_subafdeling_with_rights_and_roles(
    client, world, catalogue, notation
):
    main = world.main
    other = second_subafdeling(world, catalogue)
    users.user_add(
        actor=main.tb,
        subafdeling=other,
        person=main.user_person,
        email=main.user_person.email,
        applications=[catalogue["applications"]["vipa"]],
    )
    role = catalogue["roles"]["BelRAI VL - admin"]
    role_assign(actor=main.sb, user=main.user, role=role, start_date=date(2025, 1, 1))
    insz = main.user_person.insz
    typed = {
        "dotted": insz_format(insz),
        "compact": insz,
        "spaced": " ".join([insz[:2], insz[2:4], insz[4:6], insz[6:9], insz[9:]]),
        "start": insz[:6],
    }[notation]
    client.force_login(main.tb)
    page = client.get(url(world), {"insz": typed}).text
    results = page[page.index('id="gevonden"') :]
    assert results.count(f'<td data-label="Naam">{main.user_person.last_name}</td>') == 2
    assert main.subafdeling.name in results and other.name in results
    assert "E-loket Departement Zorg" in results and "Vlaams Infrastructuurfonds" in results
    assert "BelRAI VL - admin" in results
    assert results.count('<td data-label="Status">Actief</td>') == 2
    assert f"/toegangsbeheer/subafdelingen/{main.subafdeling.pk}/functies/{main.user.pk}/" in results


def test_a_name_finds_by_naam_or_voornaam_and_only_in_what_the_administrator_manages(client, world):
    main = world.main
    client.force_login(main.tb)
    page = client.get(url(world), {"naam": main.user_person.first_name.upper()}).text
    assert main.user_person.insz_display in page or insz_format(main.user_person.insz) in page
    outsider = world.outsider.user_person
    page = client.get(url(world), {"insz": outsider.insz}).text
    assert "Geen gebruiker gevonden in de subafdelingen die u beheert." in page
    assert outsider.last_name not in page


@pytest.mark.parametrize(
    "insz, message",
    [("abc", "Een INSZ-nummer bestaat enkel uit cijfers"), ("1" * 12, "Een INSZ-nummer telt 11 cijfers.")],
)
def test_bad_input_gets_a_dutch_message_and_finds_nobody(client, world, insz, message):
    client.force_login(world.main.tb)
    response = client.get(url(world), {"insz": insz})
    assert response.status_code == 200 and message in response.text
    assert 'id="gevonden"' not in response.text


def test_empty_criteria_ask_for_an_insz_or_a_name(client, world):
    client.force_login(world.main.tb)
    response = client.get(url(world), {"insz": "", "naam": "  "})
    assert "Geef een INSZ-nummer of een naam in." in response.text


def test_another_enterprises_administrator_gets_404(client, world):
    client.force_login(world.outsider.htb)
    assert client.get(url(world), {"insz": world.main.user_person.insz}).status_code == 404


def test_the_results_are_paged_in_the_database_with_a_constant_number_of_queries(client, world, catalogue):
    main = world.main
    client.force_login(main.tb)
    shared = "Peeters"

    def add(count):
        for _ in range(count):
            users.user_add(
                actor=main.sb,
                subafdeling=main.subafdeling,
                person=PersonFactory(last_name=shared),
                email="x@example.be",
                applications=[catalogue["applications"]["e-loket-departement-zorg"]],
            )

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(world), {"naam": shared})
        return len(queries), response

    add(3)
    few, _response = count()
    add(40)
    many, response = count()
    assert many == few <= 10
    assert "43 items gevonden." in response.text
    assert response.text.count('<td data-label="Naam">Peeters</td>') == 20
