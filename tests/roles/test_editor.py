"""The roles editor: "Functies en Verantwoordelijkheden Hiërarchie" (manual 3.6.2, chapter 4 step 11).

"Overzicht Personeelsbestand" (a subafdeling's and a hoedanigheid's), the person with the tabs
Functie / Verantwoordelijkheden / Hiërarchie / Toegang, "Bewerken Functies" with its new row, changing
and removing a role; the states before and after the propagation delay; who may do what."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from accessportal import clock
from accessportal.fragments import fragments_clear
from accessportal.identifiers import insz_format, insz_portal_format
from accessportal.propagation import propagations_apply_due
from administrators.models import LocalAdministrator
from roles import services
from roles.models import Role, RoleAssignment
from roles.selectors import role_choices_for, stappenplan
from subdivisions.models import SubafdelingAdministrator
from tests.factories import (
    ApplicationRightFactory,
    PersonFactory,
    RoleAssignmentFactory,
    RoleFactory,
    SubafdelingAdministratorFactory,
    SubafdelingFactory,
    SubafdelingUserFactory,
)
from users import services as users
from users.models import ApplicationRight
from users.permissions import user_of_subafdeling
from worlds.numbers import insz_for

pytestmark = pytest.mark.django_db

ELOKET, VIPA = "e-loket-departement-zorg", "vipa"
BELRAI = "BelRAI VL - zorgverlener met certificaat"
FINANCE = "e-loket - Beheer Financiële gegevens"
INVALID_DATE = "Geen geldige datum: gebruik het formaat dd-mm-jjjj."
WARNING = (
    "Opgelet: indien u een profiel creëert, wijzigt of verwijdert zal uw actie binnen maximum 20 minuten "
    "van kracht zijn."
)


def text(response) -> str:
    return response.content.decode()


def staff_url(subafdeling, **query) -> str:
    path = reverse("roles:staff", kwargs={"subafdeling_id": subafdeling.pk})
    return f"{path}?{urlencode(query)}" if query else path


def hoedanigheid_url(activation, **query) -> str:
    path = reverse("roles:staff-hoedanigheid", kwargs={"hoedanigheid_id": activation.pk})
    return f"{path}?{urlencode(query)}" if query else path


def user_url(name, user, tab=None) -> str:
    path = reverse(f"roles:{name}", kwargs={"subafdeling_id": user.subafdeling_id, "user_id": user.pk})
    return f"{path}?tab={tab}" if tab else path


def assignment_url(name, assignment) -> str:
    user = assignment.user
    return reverse(
        f"roles:{name}",
        kwargs={"subafdeling_id": user.subafdeling_id, "user_id": user.pk, "assignment_id": assignment.pk},
    )


def assign(client, user, role, start="01-03-2026", end=""):
    return client.post(user_url("edit", user), {"role": role.pk, "start_date": start, "end_date": end})


def role(catalogue, name=BELRAI) -> Role:
    return catalogue["roles"][name]


def after_the_delay(frozen_clock) -> None:
    frozen_clock.advance(minutes=20)
    propagations_apply_due()


# --- "Overzicht Personeelsbestand" -------------------------------------------------------------


@pytest.mark.parametrize("level", ["sb", "tb", "htb", "co_htb"])
def test_every_manager_sees_the_overview_of_the_subafdeling(client, world, catalogue, level):
    main = world.main
    RoleAssignmentFactory(user=main.user, role=role(catalogue))
    client.force_login(getattr(main, level))
    response = client.get(staff_url(main.subafdeling))
    assert response.status_code == 200
    page = text(response)
    for label in (
        "<h1>Overzicht Personeelsbestand</h1>",
        "Dit scherm biedt een overzicht van de personen die geregistreerd zijn binnen uw organisatie en de "
        "functie die zij uitoefenen. Om het geheel van functies die deze personen uitoefenen te "
        "visualiseren, klik op deze persoon. Om de gegevens die aan een persoon gekoppeld zijn aan te "
        "passen, klik op het eerste icoon rechts van deze persoon.",
        "De lijst van de gebruikers tonen op basis van de volgende criteria",
        '<th scope="col">Naam</th>',
        '<th scope="col">Voornaam</th>',
        '<th scope="col">INSZ</th>',
        '<th scope="col">Functies</th>',
        '<th scope="col">Actie</th>',
        "Pagina 1 Eén item gevonden.",
        f"Subafdeling: {main.subafdeling.subdivision_type.name}: {main.subafdeling.name}",
        f"<li>{BELRAI}</li>",
        'title="Bewerken"',
        "Functies en Verantwoordelijkheden wijzigen",  # the menu
    ):
        assert label in page, label
    assert '<th scope="col">Subafdeling</th>' not in page
    person = main.user_person
    assert f'<a href="{user_url("person", main.user)}">{person.last_name}<' in page
    assert f'href="{user_url("edit", main.user)}"' in page
    assert insz_portal_format(person.insz) in page


def test_the_hoedanigheid_overview_lists_the_users_of_every_subafdeling(client, world, catalogue):
    main = world.main
    other = SubafdelingFactory(activation=main.activation, name="TWEEDE AFDELING")
    colleague = SubafdelingUserFactory(subafdeling=other, person=PersonFactory(last_name="Aerts"))
    SubafdelingUserFactory(subafdeling=world.outsider.subafdeling)  # never shown
    client.force_login(main.tb)
    response = client.get(hoedanigheid_url(main.activation))
    assert response.status_code == 200
    page = text(response)
    assert '<th scope="col">Subafdeling</th>' in page
    assert "Pagina 1 2 items gevonden." in page
    assert [row.pk for row in response.context["rows"]] == [colleague.pk, main.user.pk]
    assert f'<td>TWEEDE AFDELING<div class="help">{other.subdivision_type.name} · HCO-nummer: ' in page
    label = f"{other.subdivision_type.name}: TWEEDE AFDELING; HCO-nummer: {other.facility.hco_number}"
    assert f'<option value="{other.pk}">{label}</option>' in page
    assert user_url("person", colleague) in page and user_url("edit", main.user) in page
    assert response.context["subafdeling"] is None and response.context["manages_hoedanigheid"]
    only_other = client.get(hoedanigheid_url(main.activation, subafdeling=other.pk))
    assert [row.pk for row in only_other.context["rows"]] == [colleague.pk]
    foreign = client.get(hoedanigheid_url(main.activation, subafdeling=world.outsider.subafdeling.pk))
    assert "Kies een subafdeling uit de lijst." in text(foreign)
    assert len(foreign.context["rows"]) == 2  # an invalid criterion is ignored


def test_the_subafdelingsbeheerder_does_not_see_the_hoedanigheid_overview(client, world):
    client.force_login(world.main.sb)
    assert client.get(hoedanigheid_url(world.main.activation)).status_code == 404
    assert client.get(staff_url(world.main.subafdeling)).status_code == 200


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"naam": "peet"}, {"Peeters"}),
        ({"voornaam": "ann"}, {"Peeters", "Anneessens"}),
        ({"naam": "an", "voornaam": "ann"}, {"Anneessens"}),
        ({"functie": BELRAI}, {"Peeters"}),
        ({"functie": FINANCE}, {"Anneessens", "Peeters"}),
        ({"functie": FINANCE, "voornaam": "annick"}, {"Anneessens"}),
        ({"insz": "official"}, {"Anneessens"}),
        ({"insz": "digits"}, {"Anneessens"}),
        ({"insz": "start"}, {"Anneessens"}),
        ({"naam": "zzz"}, set()),
    ],
)
def test_criteria_combine_in_the_database(client, world, catalogue, criteria, expected):
    main = world.main
    main.user_person.last_name = "Bestaand"
    main.user_person.save()
    peeters = SubafdelingUserFactory(
        subafdeling=main.subafdeling, person=PersonFactory(last_name="Peeters", first_name="Ann")
    )
    anneessens = SubafdelingUserFactory(
        subafdeling=main.subafdeling,
        person=PersonFactory(
            last_name="Anneessens", first_name="Annick", insz=insz_for(5, born=date(1985, 7, 30))
        ),
    )
    RoleAssignmentFactory(user=peeters, role=role(catalogue))
    RoleAssignmentFactory(user=peeters, role=role(catalogue, FINANCE))
    RoleAssignmentFactory(user=anneessens, role=role(catalogue, FINANCE))
    insz = anneessens.person.insz
    if "functie" in criteria:
        criteria["functie"] = role(catalogue, criteria["functie"]).pk
    if "insz" in criteria:
        notations = {"official": insz_format(insz), "digits": insz, "start": "85.07.30"}
        criteria["insz"] = notations[criteria["insz"]]
    client.force_login(main.sb)
    response = client.get(staff_url(main.subafdeling, **criteria))
    assert {row.person.last_name for row in response.context["rows"]} == expected


def test_a_role_on_its_way_out_or_ended_is_not_listed_nor_found(client, frozen_clock, world, catalogue):
    main = world.main
    ended = RoleAssignmentFactory(
        user=main.user,
        role=role(catalogue),
        start_date=date(2020, 1, 1),
        end_date=date(2021, 1, 1),
        effective_end_date=date(2021, 1, 1),
    )
    removing = RoleAssignmentFactory(user=main.user, role=role(catalogue, FINANCE))
    services.role_remove(actor=main.sb, assignment=removing)
    client.force_login(main.sb)
    response = client.get(staff_url(main.subafdeling))
    assert response.context["rows"][0].current_roles == []
    assert f"<li>{BELRAI}</li>" not in text(response) and f"<li>{FINANCE}</li>" not in text(response)
    found = client.get(staff_url(main.subafdeling, functie=removing.role_id))
    assert list(found.context["rows"]) == []
    page = text(client.get(user_url("person", main.user)))  # the person's page shows both
    assert "Beëindigd" in page and "Verwijderd — van kracht om 10:20" in page
    assert ended.pk


def test_the_overview_is_paged_and_keeps_its_criteria(client, world):
    main = world.main
    for _ in range(24):
        SubafdelingUserFactory(subafdeling=main.subafdeling)
    client.force_login(main.sb)
    first = client.get(staff_url(main.subafdeling))
    assert "Pagina 1 25 items gevonden." in text(first) and len(first.context["rows"]) == 10
    third = client.get(staff_url(main.subafdeling, pagina=3))
    assert "Pagina 3 25 items gevonden." in text(third) and len(third.context["rows"]) == 5
    assert len(client.get(staff_url(main.subafdeling, aantal=50)).context["rows"]) == 25
    kept = text(client.get(staff_url(main.subafdeling, aantal=10, naam="")))
    assert "aantal=10" in kept and "pagina=2" in kept


def test_htmx_gets_only_the_list(client, world):
    client.force_login(world.main.sb)
    response = client.get(staff_url(world.main.subafdeling, naam="zzz"), headers={"HX-Request": "true"})
    page = text(response)
    assert 'id="personeelsbestand"' in page and "Pagina 1 Geen items gevonden." in page
    assert "Functionaliteiten" not in page and "<html" not in page


@pytest.mark.parametrize("level", ["subafdeling", "hoedanigheid"])
def test_the_query_count_does_not_grow_with_the_rows(client, world, catalogue, level):
    main = world.main

    def more(count):
        for _ in range(count):
            user = SubafdelingUserFactory(subafdeling=main.subafdeling)
            RoleAssignmentFactory(user=user, role=role(catalogue))
            RoleAssignmentFactory(user=user, role=role(catalogue, FINANCE))

    more(4)  # 5 users with the fixture's
    client.force_login(main.tb)
    url = staff_url(main.subafdeling, aantal=50)
    if level == "hoedanigheid":
        url = hoedanigheid_url(main.activation, aantal=50)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries), len(response.context["rows"])

    few, shown = count()
    assert shown == 5
    more(45)
    assert count() == (few, 50)
    assert few <= 10


def test_names_are_escaped(client, world):
    main = world.main
    main.user_person.last_name = "<script>alert(1)</script>"
    main.user_person.save()
    client.force_login(main.sb)
    for url in (staff_url(main.subafdeling), user_url("person", main.user), user_url("edit", main.user)):
        page = text(client.get(url))
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# --- The person ----------------------------------------------------------------------------------


def test_the_person_page_has_the_header_the_tabs_and_the_roles(client, frozen_clock, world, catalogue):
    main = world.main
    RoleAssignmentFactory(user=main.user, role=role(catalogue), start_date=date(2022, 9, 29))
    client.force_login(main.tb)
    response = client.get(user_url("person", main.user))
    assert response.status_code == 200
    page = text(response)
    for label in (
        f"Gebruiker: <strong>{main.user_person.full_name}</strong>",
        '<a href="?tab=functie" aria-current="page">Functie</a>',
        '<a href="?tab=verantwoordelijkheden">Verantwoordelijkheden</a>',
        '<a href="?tab=hierarchie">Hiërarchie</a>',
        '<a href="?tab=toegang">Toegang <span class="tab-addition">(simulator)</span></a>',
        f'href="{reverse("help")}#h-3-6-2">Over "Responsibility Management"</a>',
        f'href="{user_url("edit", main.user)}">Bewerken Functies</a>',
        '<th scope="col">Functie</th>',
        '<th scope="col">Startdatum</th>',
        '<th scope="col">Einddatum</th>',
        '<th scope="col">Status</th>',
        f'<td data-label="Functie">{BELRAI}</td>',
        '<td data-label="Startdatum">29/09/2022</td>',
        "Actief</span>",
    ):
        assert label in page, label
    assert response.context["help_section"] == "h-3-6-2"


def test_a_person_without_roles_is_told_so(client, world):
    client.force_login(world.main.sb)
    assert "Deze gebruiker heeft nog geen functie." in text(client.get(user_url("person", world.main.user)))


def test_an_unknown_tab_shows_the_functie_tab(client, world):
    client.force_login(world.main.sb)
    response = client.get(user_url("person", world.main.user, tab="<b>"))
    assert response.context["tab"] == "functie"


def test_the_states_of_a_role_before_and_after_the_propagation_delay(client, frozen_clock, world, catalogue):
    main = world.main
    client.force_login(main.sb)
    assert assign(client, main.user, role(catalogue)).status_code == 302
    assert assign(client, main.user, role(catalogue, FINANCE), start="01-04-2026").status_code == 302
    assert (
        assign(client, main.user, role(catalogue, "Moduleerder"), "01-01-2020", "31-12-2025").status_code
        == 302
    )
    page = text(client.get(user_url("person", main.user)))
    assert page.count("Opgeslagen — van kracht om 10:20") == 3
    after_the_delay(frozen_clock)
    page = text(client.get(user_url("person", main.user)))
    assert "Opgeslagen" not in page
    assert "Actief</span>" in page
    assert "Actief vanaf 01/04/2026" in page
    assert "Beëindigd" in page
    assignment = RoleAssignment.objects.get(role=role(catalogue))
    client.post(assignment_url("remove", assignment))
    page = text(client.get(user_url("person", main.user)))
    assert "Verwijderd — van kracht om 10:40" in page
    after_the_delay(frozen_clock)
    page = text(client.get(user_url("person", main.user)))
    assert BELRAI not in page and not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_a_saved_change_that_is_not_today_shows_its_date(client, world, catalogue):
    main = world.main
    with clock.simulated(datetime(2026, 3, 2, 23, 50, tzinfo=ZoneInfo("Europe/Brussels"))):
        client.force_login(main.sb)
        assign(client, main.user, role(catalogue))
        assert "Opgeslagen — van kracht om 03/03/2026 00:10" in text(
            client.get(user_url("person", main.user))
        )


def test_the_verantwoordelijkheden_tab_shows_the_responsible_persons_marked_as_assumed(client, world):
    """The manual shows the tab, not its content: the simulator keeps no responsible persons and says
    so in small print, with the way to the user's rights."""
    main = world.main
    client.force_login(main.tb)
    page = text(client.get(user_url("person", main.user, "verantwoordelijkheden")))
    for label in ("Verantwoordelijke", "Startdatum", "Einddatum", "Geen verantwoordelijkheden."):
        assert label in page, label
    assert "Toevoeging van de simulator" in page and "Responsibility Management" in page
    assert (
        reverse("users:edit", kwargs={"subafdeling_id": main.subafdeling.pk, "user_id": main.user.pk}) in page
    )


def test_the_hierarchie_tab_shows_the_chain_above_the_user(client, world):
    main = world.main
    client.force_login(main.sb)
    page = text(client.get(user_url("person", main.user, "hierarchie")))
    for line in (
        f"Benaming: <strong>{main.enterprise.name}</strong>",
        f"Hoofdtoegangsbeheerder: {main.htb.full_name}",
        f"Co-hoofdtoegangsbeheerder: {main.co_htb.full_name}",
        f"Hoedanigheid: <strong>{main.activation.hoedanigheid.name}</strong>",
        f"Lokale Beheerder: {main.tb.full_name}",
        f"Subafdelingsbeheerder: {main.sb.full_name}",
        f"HCO-nummer: {main.subafdeling.facility.hco_number}",
        f"Gebruiker: <strong>{main.user_person.full_name}</strong>",
    ):
        assert line in page, line
    assert "Toevoeging van de simulator" in page  # what the tab holds is the simulator's assumption
    assert "Lokale Beheerder (Hoofdtoegangsbeheerder)" not in page
    assert world.outsider.htb.full_name not in page


def test_without_lokale_beheerder_the_htb_is_shown_and_without_subafdelingsbeheerder_it_is_said(
    client, world
):
    main = world.main
    LocalAdministrator.objects.filter(activation=main.activation).update(ended_at=clock.now())
    SubafdelingAdministrator.objects.filter(subafdeling=main.subafdeling).update(ended_at=clock.now())
    client.force_login(main.htb)
    page = text(client.get(user_url("person", main.user, "hierarchie")))
    assert f"Lokale Beheerder (Hoofdtoegangsbeheerder): {main.htb.full_name}" in page
    assert (
        "Geen subafdelingsbeheerder: de lokale beheerder(s) van de hoedanigheid beheren deze subafdeling."
        in page
    )
    assert f"Lokale Beheerder: {main.tb.full_name}" not in page


def test_the_toegang_tab_diagnoses_every_application_and_only_there(
    client, frozen_clock, world, catalogue, monkeypatch
):
    main = world.main
    client.force_login(main.sb)
    page = text(client.get(user_url("person", main.user, "toegang")))
    assert "Toevoeging van de simulator" in page
    assert "Toegang tot E-loket Departement Zorg: toegestaan." in page  # a right is in effect at once
    assert "Toegang tot BelRAI: geweigerd." in page  # no BelRAI VL role yet
    assert "Toegang tot eVIPA: geweigerd." in page
    assign(client, main.user, role(catalogue))
    after_the_delay(frozen_clock)
    page = text(client.get(user_url("person", main.user, "toegang")))
    assert "Toegang tot E-loket Departement Zorg: toegestaan." in page
    assert "Toegang tot BelRAI: toegestaan." in page

    def forbidden(**kwargs):
        raise AssertionError("the diagnosis is only computed on its tab")

    monkeypatch.setattr("roles.editor_views.access_decide", forbidden)
    for tab in ("functie", "verantwoordelijkheden", "hierarchie"):
        assert client.get(user_url("person", main.user, tab)).status_code == 200


# --- "Bewerken Functies" -------------------------------------------------------------------------


def test_the_edit_page_has_the_manual_s_labels_and_every_role_in_order(client, world, catalogue):
    main = world.main
    RoleAssignmentFactory(user=main.user, role=role(catalogue), start_date=date(2022, 9, 29))
    client.force_login(main.sb)
    response = client.get(user_url("edit", main.user))
    assert response.status_code == 200
    page = text(response)
    for label in (
        "<h1>Bewerken Functies</h1>",
        'Over "Responsibility Management"',
        "Pagina 1",
        '<th scope="col">Functie</th>',
        '<th scope="col">Startdatum</th>',
        '<th scope="col">Einddatum</th>',
        '<th scope="col">Status</th>',
        '<th scope="col">Actie</th>',
        "Startdatum *</label>",
        "Einddatum</label>",
        '<button type="submit" class="primary">Toevoegen</button>',
        f'href="{user_url("person", main.user)}">Terug</a>',
        "*: Datum formaat: (dd-mm-jjjj)",
        WARNING,
        '<td data-label="Startdatum">29/09/2022</td>',
        "Wijzigen",
        "Verwijderen",
        'method="post" novalidate',
        'type="text" name="start_date" placeholder="dd-mm-jjjj"',
        'type="text" name="end_date" placeholder="dd-mm-jjjj"',
    ):
        assert label in page, label
    assert " required" not in page.split('<tbody class="new-role">')[1]
    offered = [
        value.instance.name for value, _label in response.context["form"].fields["role"].choices if value
    ]
    assert offered == list(Role.objects.order_by("sort_order", "name").values_list("name", flat=True))
    assert (
        len(offered) == 16
        and offered[0] == BELRAI
        and offered[-1] == "Aanmelder binnen een voorziening (INSISTO)"
    )
    assert "disabled" not in page.split('id="id_role"')[1].split("</select>")[0]


def test_roles_without_a_right_are_disabled_with_the_reason(client, world, catalogue):
    main = world.main
    newcomer = SubafdelingUserFactory(subafdeling=main.subafdeling)
    vipa_role = RoleFactory(name="VIPA - dossierbeheerder", application=catalogue["applications"][VIPA])
    client.force_login(main.sb)
    page = text(client.get(user_url("edit", newcomer)))
    assert page.count("— vereist het recht op E-loket Departement Zorg</option>") == 16
    assert f'<option value="{role(catalogue).pk}" disabled>{BELRAI} — vereist het recht op E-loket' in page
    page = text(client.get(user_url("edit", main.user)))
    assert "— vereist het recht op E-loket Departement Zorg" not in page
    assert (
        f'<option value="{vipa_role.pk}" disabled>VIPA - dossierbeheerder — vereist het recht op Vlaams '
        "Infrastructuurfonds voor Persoonsgebonden Aangelegenheden</option>"
    ) in page


def test_a_removed_right_disables_its_roles_at_once(client, world, catalogue):
    """Also when the list of roles was kept ({% keep %}) before: the disabled roles are in its key."""
    main = world.main
    client.force_login(main.sb)
    before = text(client.get(user_url("edit", main.user)))
    assert "— vereist het recht op E-loket Departement Zorg</option>" not in before
    users.user_update(
        actor=main.sb, user=main.user, email=main.user.email, local_email="", language="nl", applications=[]
    )
    assert not ApplicationRight.objects.filter(user=main.user).exists()
    client.force_login(main.sb)
    page = text(client.get(user_url("edit", main.user)))
    assert page.count("— vereist het recht op E-loket Departement Zorg</option>") == 16
    response = assign(client, main.user, role(catalogue))
    assert response.status_code == 200
    assert "Deze rol hoort bij E-loket Departement Zorg" in text(response)


def test_toevoegen_saves_the_role_and_redirects_with_when_it_takes_effect(
    client, frozen_clock, world, catalogue
):
    main = world.main
    client.force_login(main.sb)
    response = assign(client, main.user, role(catalogue, FINANCE), start="22-11-2023", end="31-12-2030")
    assert response.status_code == 302 and response["Location"] == user_url("edit", main.user)
    assignment = RoleAssignment.objects.get(user=main.user)
    assert (assignment.role.name, assignment.start_date, assignment.end_date) == (
        FINANCE,
        date(2023, 11, 22),
        date(2030, 12, 31),
    )
    assert assignment.created_by == main.sb
    page = text(client.get(response["Location"]))
    assert (
        f"De functie {FINANCE} werd toegekend aan {main.user_person.full_name}. "
        "Opgeslagen: van kracht om 10:20."
    ) in page
    assert '<td data-label="Startdatum">22/11/2023</td>' in page
    assert '<td data-label="Einddatum">31/12/2030</td>' in page
    assert "Opgeslagen — van kracht om 10:20" in page


LABELS = {"start_date": "Startdatum", "end_date": "Einddatum", "role": "Functie"}


def in_summary(field: str, message: str) -> str:
    """The error summary names the field before a message that does not (issue 17)."""
    label = LABELS[field]
    return message if label.lower() in message.lower() else f"{label}: {message}"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start_date": ""}, "start_date", "De startdatum is verplicht."),
        ({"start_date": "31-02-2026"}, "start_date", INVALID_DATE),
        ({"start_date": "abc"}, "start_date", INVALID_DATE),
        (
            {"start_date": "2026-03-01"},
            "start_date",
            "Typ de datum als dd-mm-jjjj, met streepjes: 01-03-2026.",
        ),
        (
            {"start_date": "01/03/2026"},
            "start_date",
            "Typ de datum als dd-mm-jjjj, met streepjes: 01-03-2026.",
        ),
        ({"start_date": "1.3.2026"}, "start_date", "Typ de datum als dd-mm-jjjj, met streepjes: 01-03-2026."),
        ({"start_date": "01-03-0026"}, "start_date", INVALID_DATE),
        ({"end_date": "32/12/2026"}, "end_date", INVALID_DATE),
        (
            {"start_date": "01-03-2026", "end_date": "28-02-2026"},
            "end_date",
            "De einddatum mag niet voor de startdatum liggen.",
        ),
        ({"role": ""}, "role", "Kies een functie uit de lijst."),
        ({"role": "999999"}, "role", "Kies een functie uit de lijst."),
        ({"role": "abc"}, "role", "Kies een functie uit de lijst."),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_kept(client, world, catalogue, data, field, message):
    main = world.main
    client.force_login(main.sb)
    posted = {"role": role(catalogue).pk, "start_date": "01-03-2026", "end_date": "", **data}
    response = client.post(user_url("edit", main.user), posted)
    assert response.status_code == 200
    page = text(response)
    assert "Er is een probleem" in page
    assert f'<li><a href="#id_{field}">{in_summary(field, message)}</a></li>' in page  # the summary on top
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in page  # next to it
    for name in ("start_date", "end_date"):
        if posted[name]:
            assert f'value="{posted[name]}"' in page
    assert not RoleAssignment.objects.exists()


def test_a_disabled_role_forced_by_a_crafted_request_is_refused_by_the_service(client, world, catalogue):
    main = world.main
    newcomer = SubafdelingUserFactory(subafdeling=main.subafdeling)
    client.force_login(main.sb)
    response = assign(client, newcomer, role(catalogue))
    assert response.status_code == 200
    message = (
        "Deze rol hoort bij E-loket Departement Zorg: geef de gebruiker eerst het recht op die toepassing."
    )
    assert f'<ul class="errorlist" id="id_role_error"><li>{message}</li></ul>' in text(response)
    assert not RoleAssignment.objects.exists()


def test_an_overlapping_period_of_the_same_role_is_refused(client, world, catalogue):
    main = world.main
    RoleAssignmentFactory(
        user=main.user, role=role(catalogue), start_date=date(2026, 1, 1), end_date=date(2026, 6, 30)
    )
    client.force_login(main.sb)
    response = assign(client, main.user, role(catalogue), start="01-06-2026")
    assert response.status_code == 200
    assert "De gebruiker heeft deze rol al voor een overlappende periode." in text(response)
    assert assign(client, main.user, role(catalogue), start="01-07-2026").status_code == 302
    assert RoleAssignment.objects.filter(user=main.user).count() == 2


def test_a_double_submit_creates_one_role(client, world, catalogue):
    main = world.main
    client.force_login(main.sb)
    first = assign(client, main.user, role(catalogue))
    second = assign(client, main.user, role(catalogue))
    assert first.status_code == 302
    assert second.status_code == 200
    assert "De gebruiker heeft deze rol al voor een overlappende periode." in text(second)
    assert RoleAssignment.objects.filter(user=main.user).count() == 1


def test_a_removing_row_has_no_actions(client, world, catalogue):
    main = world.main
    assignment = RoleAssignmentFactory(user=main.user, role=role(catalogue))
    services.role_remove(actor=main.sb, assignment=assignment)
    client.force_login(main.sb)
    page = text(client.get(user_url("edit", main.user)))
    assert "Verwijderd — van kracht om" in page
    assert (
        assignment_url("change", assignment) not in page and assignment_url("remove", assignment) not in page
    )


# --- Changing and removing a role ------------------------------------------------------------------


def test_wijzigen_changes_the_dates_after_the_delay(client, frozen_clock, world, catalogue):
    main = world.main
    assignment = RoleAssignmentFactory(user=main.user, role=role(catalogue), start_date=date(2026, 3, 1))
    client.force_login(main.tb)
    page = text(client.get(user_url("edit", main.user)))
    assert f'href="{assignment_url("change", assignment)}"' in page
    response = client.get(assignment_url("change", assignment))
    page = text(response)
    assert response.status_code == 200
    assert "<h1>Functie wijzigen</h1>" in page and BELRAI in page
    assert 'value="01-03-2026"' in page and "Startdatum *" in page and WARNING in page
    response = client.post(
        assignment_url("change", assignment), {"start_date": "01-03-2026", "end_date": "31-12-2026"}
    )
    assert response.status_code == 302 and response["Location"] == user_url("edit", main.user)
    page = text(client.get(response["Location"]))
    assert (
        f"De wijziging van de functie {BELRAI} van {main.user_person.full_name} werd opgeslagen: "
        "van kracht om 10:20."
    ) in page
    assert "Opgeslagen — van kracht om 10:20" in page
    assignment.refresh_from_db()
    assert assignment.end_date == date(2026, 12, 31) and assignment.effective_end_date is None
    after_the_delay(frozen_clock)
    assignment.refresh_from_db()
    assert assignment.effective_end_date == date(2026, 12, 31)
    assert "Actief</span>" in text(client.get(user_url("edit", main.user)))


def test_wijzigen_without_a_change_says_so(client, world, catalogue):
    main = world.main
    assignment = RoleAssignmentFactory(user=main.user, role=role(catalogue), start_date=date(2026, 3, 1))
    client.force_login(main.sb)
    response = client.post(assignment_url("change", assignment), {"start_date": "01-03-2026", "end_date": ""})
    assert response.status_code == 302
    assert f"De functie {BELRAI} van {main.user_person.full_name} werd niet gewijzigd." in text(
        client.get(response["Location"])
    )
    assignment.refresh_from_db()
    assert assignment.pending_until is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start_date": ""}, "start_date", "De startdatum is verplicht."),
        ({"start_date": "29-02-2026"}, "start_date", INVALID_DATE),
        ({"end_date": "morgen"}, "end_date", INVALID_DATE),
        ({"end_date": "01-01-2026"}, "end_date", "De einddatum mag niet voor de startdatum liggen."),
    ],
)
def test_wijzigen_refuses_bad_input_next_to_its_field(client, world, catalogue, data, field, message):
    main = world.main
    assignment = RoleAssignmentFactory(user=main.user, role=role(catalogue), start_date=date(2026, 3, 1))
    client.force_login(main.sb)
    response = client.post(
        assignment_url("change", assignment), {"start_date": "01-03-2026", "end_date": "", **data}
    )
    assert response.status_code == 200
    page = text(response)
    assert f'<li><a href="#id_{field}">{in_summary(field, message)}</a></li>' in page
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in page
    assignment.refresh_from_db()
    assert (assignment.start_date, assignment.end_date, assignment.pending_until) == (
        date(2026, 3, 1),
        None,
        None,
    )


def test_wijzigen_an_overlap_or_a_removed_role_is_refused(client, world, catalogue):
    main = world.main
    first = RoleAssignmentFactory(
        user=main.user, role=role(catalogue), start_date=date(2026, 1, 1), end_date=date(2026, 1, 31)
    )
    RoleAssignmentFactory(user=main.user, role=role(catalogue), start_date=date(2026, 3, 1))
    client.force_login(main.sb)
    response = client.post(assignment_url("change", first), {"start_date": "01-01-2026", "end_date": ""})
    assert "De gebruiker heeft deze rol al voor een overlappende periode." in text(response)
    services.role_remove(actor=main.sb, assignment=first)
    response = client.post(
        assignment_url("change", first), {"start_date": "01-01-2026", "end_date": "15-01-2026"}
    )
    assert response.status_code == 200
    assert "Deze rol is verwijderd en kan niet meer gewijzigd worden." in text(response)


def test_verwijderen_asks_for_confirmation_then_removes_after_the_delay(
    client, frozen_clock, world, catalogue
):
    main = world.main
    assignment = RoleAssignmentFactory(user=main.user, role=role(catalogue))
    client.force_login(main.sb)
    response = client.get(assignment_url("remove", assignment))
    page = text(response)
    assert response.status_code == 200
    assert f"Wilt u de functie {BELRAI} van {main.user_person.full_name} verwijderen?" in page
    assert '<button type="submit" class="primary">Bevestigen</button>' in page
    assert f'href="{user_url("edit", main.user)}">Annuleren</a>' in page
    assert RoleAssignment.objects.get(pk=assignment.pk).removed_at is None  # a GET changes nothing
    response = client.post(assignment_url("remove", assignment))
    assert response.status_code == 302 and response["Location"] == user_url("edit", main.user)
    page = text(client.get(response["Location"]))
    assert (
        f"De verwijdering van de functie {BELRAI} van {main.user_person.full_name} werd opgeslagen: "
        "van kracht om 10:20."
    ) in page
    assert "Verwijderd — van kracht om 10:20" in page
    again = client.post(assignment_url("remove", assignment))  # a second click: nothing more
    assert again.status_code == 302
    after_the_delay(frozen_clock)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert client.get(assignment_url("remove", assignment)).status_code == 404


def test_verwijderen_a_role_that_never_took_effect_withdraws_it_at_once(
    client, frozen_clock, world, catalogue
):
    main = world.main
    client.force_login(main.sb)
    assign(client, main.user, role(catalogue))
    assignment = RoleAssignment.objects.get(user=main.user)
    response = client.post(assignment_url("remove", assignment), follow=True)
    assert f"De functie {BELRAI} van {main.user_person.full_name} werd verwijderd." in text(response)
    assert not RoleAssignment.objects.exists()


# --- Who may do what -----------------------------------------------------------------------------


def all_urls(user, assignment) -> list[str]:
    return [
        staff_url(user.subafdeling),
        hoedanigheid_url(user.subafdeling.activation),
        user_url("person", user),
        user_url("person", user, "toegang"),
        user_url("edit", user),
        assignment_url("change", assignment),
        assignment_url("remove", assignment),
    ]


@pytest.mark.parametrize(
    "level",
    [
        "nobody",
        "user_person",
        "employee",
        "legal_rep",
        "outsider_htb",
        "outsider_co_htb",
        "outsider_tb",
        "outsider_sb",
    ],
)
def test_everyone_else_gets_404_and_changes_nothing(client, world, catalogue, level):
    main = world.main
    assignment = RoleAssignmentFactory(user=main.user, role=role(catalogue))
    client.force_login(world.persona(level))
    for url in all_urls(main.user, assignment):
        assert client.get(url).status_code == 404, url
    assert assign(client, main.user, role(catalogue, FINANCE)).status_code == 404
    assert client.post(assignment_url("change", assignment), {"start_date": "01-01-2025"}).status_code == 404
    assert client.post(assignment_url("remove", assignment)).status_code == 404
    assignment.refresh_from_db()
    assert assignment.removed_at is None and assignment.start_date == date(2024, 1, 1)
    assert RoleAssignment.objects.count() == 1


def test_anonymous_visitors_are_sent_to_the_sign_in(client, world, catalogue):
    assignment = RoleAssignmentFactory(user=world.main.user, role=role(catalogue))
    for url in all_urls(world.main.user, assignment):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/aanmelden/"), url


def test_objects_reached_through_another_path_are_404(client, world, catalogue):
    main, outsider = world.main, world.outsider
    mine = RoleAssignmentFactory(user=main.user, role=role(catalogue))
    colleague = SubafdelingUserFactory(subafdeling=main.subafdeling)
    theirs = RoleAssignmentFactory(user=colleague, role=role(catalogue))
    foreign = RoleAssignmentFactory(user=outsider.user, role=role(catalogue))
    other_subafdeling = SubafdelingFactory(activation=main.activation)
    client.force_login(main.htb)
    kwargs = {"subafdeling_id": main.subafdeling.pk, "user_id": main.user.pk}
    for assignment in (theirs, foreign):  # a role of another user under this user's URL
        for name in ("change", "remove"):
            url = reverse(f"roles:{name}", kwargs={**kwargs, "assignment_id": assignment.pk})
            assert client.get(url).status_code == 404
            assert client.post(url, {"start_date": "01-01-2025"}).status_code == 404
    wrong_place = {"subafdeling_id": other_subafdeling.pk, "user_id": main.user.pk}  # the user is not there
    assert client.get(reverse("roles:person", kwargs=wrong_place)).status_code == 404
    assert client.get(reverse("roles:edit", kwargs=wrong_place)).status_code == 404
    foreign_user = {"subafdeling_id": main.subafdeling.pk, "user_id": outsider.user.pk}
    assert client.get(reverse("roles:person", kwargs=foreign_user)).status_code == 404
    assert client.get(staff_url(outsider.subafdeling)).status_code == 404
    assert client.get(hoedanigheid_url(outsider.activation)).status_code == 404
    assert client.get(user_url("person", outsider.user)).status_code == 404
    for assignment in (mine, theirs, foreign):
        assignment.refresh_from_db()
        assert assignment.removed_at is None


def test_a_subafdelingsbeheerder_of_another_subafdeling_gets_404(client, world, catalogue):
    main = world.main
    other = SubafdelingFactory(activation=main.activation)
    other_sb = SubafdelingAdministratorFactory(subafdeling=other).person
    client.force_login(other_sb)
    assert client.get(staff_url(other)).status_code == 200
    assert client.get(staff_url(main.subafdeling)).status_code == 404
    assert client.get(user_url("edit", main.user)).status_code == 404


def test_the_stappenplan_links_the_roles_step_to_the_overview(world):
    step = next(step for step in stappenplan(world.main.enterprise) if step.manual == "3.6.2")
    assert step.url == hoedanigheid_url(world.main.activation)


def test_a_role_of_another_application_is_offered_once_the_user_has_its_right(world, catalogue):
    vipa = catalogue["applications"][VIPA]
    vipa_role = RoleFactory(application=vipa)
    user = user_of_subafdeling(world.main.subafdeling, world.main.user.pk)
    assert vipa_role.pk in role_choices_for(user)[1]
    ApplicationRightFactory(user=world.main.user, application=vipa)
    user = user_of_subafdeling(world.main.subafdeling, world.main.user.pk)
    assert vipa_role.pk not in role_choices_for(user)[1]


def test_when_every_role_is_greyed_the_page_says_why_and_links_to_the_rights(client, world, catalogue):
    main = world.main
    newcomer = SubafdelingUserFactory(subafdeling=main.subafdeling)
    client.force_login(main.sb)
    page = text(client.get(user_url("edit", newcomer)))
    name = newcomer.person.full_name
    assert f"U kunt {name} nu geen enkele functie toekennen." in page
    assert "E-loket Departement Zorg" in page.split('id="geen-functie"')[1].split("</div>")[0]
    rights = reverse("users:edit", kwargs={"subafdeling_id": main.subafdeling.pk, "user_id": newcomer.pk})
    assert f'<a href="{rights}">De rechten van {name} bewerken</a>' in page
    assert page.index('id="geen-functie"') < page.index('id="id_role"')  # above the list
    assert client.get(rights).status_code == 200  # the link leads somewhere the manager may go
    # A user with the right sees no such message.
    assert "geen enkele functie" not in text(client.get(user_url("edit", main.user)))


def test_adding_a_role_stays_within_ten_queries_with_the_session_and_the_user(client, world, catalogue):
    """issue 18: the POST "Toevoegen" (the checks, the role, its propagation, the audit event and its
    history) in at most ten queries, the session's and the signed-in person's included; the GET of the
    editor within eight."""
    main = world.main
    client.force_login(main.sb)
    client.get(user_url("edit", main.user))  # the session in the cache, as on every later page
    with CaptureQueriesContext(connection) as queries:
        response = assign(client, main.user, role(catalogue))
    assert response.status_code == 302
    added = RoleAssignment.objects.get(user=main.user, role=role(catalogue))
    assert added.pending_until is not None
    sql = [query["sql"] for query in queries.captured_queries]
    # Inside the test's transaction the service's atomic block is a savepoint and its release where
    # a request has BEGIN and COMMIT: ten in all. No lock on the user (the database's exclusion
    # constraint refuses a racing overlap, roles migration 0004); the event's period and scope in one
    # INSERT on PostgreSQL (accessportal.inserts), two on SQLite.
    assert len(sql) <= (10 if connection.vendor == "postgresql" else 11), "\n".join(sql)
    assert not [s for s in sql if "FOR UPDATE" in s], "\n".join(sql)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(user_url("edit", main.user)).status_code == 200
    assert len(queries) <= 8, "\n".join(query["sql"] for query in queries.captured_queries)


def test_the_kept_role_rows_follow_every_change_and_the_clock(client, frozen_clock, world, catalogue):
    """The rows are kept per process under what they show (roles.selectors.ListedAssignment, the
    "Status" as of today included): each step below is a new key, and the page shows what a fresh
    one shows."""
    main = world.main
    client.force_login(main.sb)

    def rows() -> str:
        page = text(client.get(user_url("edit", main.user)))
        return page[page.index('<table class="roles-table">') : page.index('<tbody class="new-role">')]

    def fresh() -> str:
        fragments_clear()
        return rows()

    seen = [rows()]

    def shows(words: str) -> None:
        now = rows()
        assert words in now and now not in seen and now == fresh()
        seen.append(now)

    assert assign(client, main.user, role(catalogue), start="05-03-2026").status_code == 302
    shows("Opgeslagen — van kracht om 10:20")
    frozen_clock.advance(days=1)  # the moment is no longer today's: its date is said
    shows("Opgeslagen — van kracht om 02/03/2026 10:20")
    propagations_apply_due()
    shows("Actief vanaf 05/03/2026")
    frozen_clock.advance(days=2)
    shows("Actief")
    Role.objects.filter(pk=role(catalogue).pk).update(name="Hernoemde functie")
    shows("Hernoemde functie")
    services.role_remove(actor=main.sb, assignment=RoleAssignment.objects.get(user=main.user))
    shows("Verwijderd — van kracht om")
    assert "Wijzigen" not in rows()
