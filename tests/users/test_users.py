"""The users of a subafdeling: "Gebruikers" (manual 3.6.1, chapter 4 step 10).

The list (criteria, paging, CSV), adding a user, editing a user's data and rights, removing users,
and who may do what."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from accessportal import clock
from accessportal.fragments import fragments_clear
from accessportal.identifiers import insz_format, insz_portal_format
from accessportal.models import AuditEvent
from accessportal.services import ServiceError
from identity.models import Person
from roles.models import RoleAssignment
from tests.factories import PersonFactory, SubafdelingUserFactory
from users import services
from users.models import ApplicationRight, SubafdelingUser, UserStatus
from worlds.numbers import insz_for

pytestmark = pytest.mark.django_db

ELOKET, VIPA, EBM = "e-loket-departement-zorg", "vipa", "ebmpracticenet"


def url(subafdeling, name="list", **query) -> str:
    path = reverse(f"users:{name}", kwargs={"subafdeling_id": subafdeling.pk})
    return f"{path}?{urlencode(query)}" if query else path


def edit_url(user) -> str:
    return reverse("users:edit", kwargs={"subafdeling_id": user.subafdeling_id, "user_id": user.pk})


def text(response) -> str:
    return response.content.decode()


def start(client, subafdeling, insz, name="list"):
    return client.post(url(subafdeling, name), {"toevoegen-insz": insz})


def add_users(subafdeling, count, **kwargs):
    return [SubafdelingUserFactory(subafdeling=subafdeling, **kwargs) for _ in range(count)]


def app_id(catalogue, code) -> int:
    return catalogue["applications"][code].pk


def create(client, subafdeling, person, applications=(), email="gebruiker@voorziening.be", **extra):
    """Run the steps up to the confirmation; return its URL."""
    step1 = start(client, subafdeling, person.insz)
    assert step1.status_code == 302, text(step1)
    data = {
        "email": email,
        "local_email": "",
        "language": "nl",
        "title": "DE_HEER",
        "applications": list(applications),
        **extra,
    }
    step2 = client.post(step1["Location"], data)
    assert step2.status_code == 302, text(step2)
    assert "/aanmaken/bevestigen/" in step2["Location"]
    return step2["Location"]


# --- The list ----------------------------------------------------------------------------------


@pytest.mark.parametrize("level", ["sb", "tb", "htb", "co_htb"])
def test_every_manager_sees_the_list_with_its_controls(client, world, level):
    main = world.main
    client.force_login(getattr(main, level))
    response = client.get(url(main.subafdeling))
    assert response.status_code == 200
    page = text(response)
    for label in (
        "Gebruikers",
        "De lijst van de gebruikers tonen op basis van de volgende criteria",
        "Naam",
        "Voornaam",
        "Gebruikersnaam",
        "Type",
        "INSZ",
        "Status",
        "Beveiligde toepassingen",
        "Actie",
        "Aantal gebruikers",
        "Pagina 1 Eén item gevonden.",
        "Gebruiker(s) verwijderen",
        "Uitvoeren",
        "*De gebruikers exporteren (.csv)",
        "Een gebruiker toevoegen",
        "Volgende",
        "Bewerken",
        "Beheer subafdeling",
        f"Benaming: <strong>{main.enterprise.name}</strong>",
        f"Subafdeling: {main.subafdeling.subdivision_type.name}: {main.subafdeling.name}",
    ):
        assert label in page, label
    person = main.user_person
    assert f"<td>{person.last_name}</td>" in page
    assert insz_portal_format(person.insz) in page
    assert "<td>SS</td>" in page and "<td>Actief</td>" in page
    assert f'name="gebruiker" value="{main.user.pk}"' in page
    assert edit_url(main.user) in page


def test_the_filter_offers_only_the_applications_authorised_on_the_subafdeling(client, world, catalogue):
    client.force_login(world.main.sb)
    criteria = client.get(url(world.main.subafdeling)).context["criteria"]
    offered = set(criteria.fields["toepassing"].queryset.values_list("code", flat=True))
    assert offered == {ELOKET, VIPA}


def test_the_criteria_box_follows_the_authorisations_and_the_language(client, world, catalogue):
    """The box is kept per process (partials/criteria.html) under a key that names its choices and the
    language: a newly authorised application is offered at the next request, in the chosen language."""
    from subdivisions.services import subafdeling_authorisations_update

    main, apps = world.main, catalogue["applications"]
    client.force_login(main.tb)
    option = f'<option value="{apps[EBM].pk}">{apps[EBM].name}</option>'
    assert option not in text(client.get(url(main.subafdeling)))
    subafdeling_authorisations_update(
        actor=main.tb, subafdeling=main.subafdeling, applications=[apps[ELOKET], apps[VIPA], apps[EBM]]
    )
    assert option in text(client.get(url(main.subafdeling)))
    assert "Criteria wissen" in text(client.get(url(main.subafdeling)))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"  # the NL | FR | DE | EN switch
    french = text(client.get(url(main.subafdeling)))
    assert "Criteria wissen" not in french and option in french


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"naam": "peeters"}, {"Peeters"}),
        ({"voornaam": "ann"}, {"Peeters", "Anneessens"}),
        ({"naam": "an", "voornaam": "ann"}, {"Anneessens"}),
        ({"gebruikersnaam": "APEET"}, {"Peeters"}),
        ({"status": "INACTIEF"}, {"Slaper"}),
        ({"type": "SS", "status": "ACTIEF", "voornaam": "ann"}, {"Peeters", "Anneessens"}),
        ({"toepassing": "VIPA"}, {"Anneessens", "Slaper"}),
        ({"toepassing": "VIPA", "status": "ACTIEF"}, {"Anneessens"}),
        ({"toepassing": "ELOKET", "naam": "e"}, {"Peeters", "Bestaand"}),
    ],
)
def test_criteria_combine_in_the_database(client, world, catalogue, criteria, expected):
    main = world.main
    main.user_person.last_name = "Bestaand"
    main.user_person.save()
    apps = catalogue["applications"]
    for last, first, username, status, codes in (
        ("Peeters", "Ann", "apeeters", UserStatus.ACTIEF, [ELOKET]),
        ("Anneessens", "Annick", None, UserStatus.ACTIEF, [VIPA]),
        ("Slaper", "Bart", None, UserStatus.INACTIEF, [VIPA]),
    ):
        person = PersonFactory(last_name=last, first_name=first, username=username)
        user = SubafdelingUserFactory(subafdeling=main.subafdeling, person=person, status=status)
        for code in codes:
            ApplicationRight.objects.create(user=user, subafdeling=main.subafdeling, application=apps[code])
    if "toepassing" in criteria:
        criteria["toepassing"] = apps[ELOKET if criteria["toepassing"] == "ELOKET" else VIPA].pk
    client.force_login(main.sb)
    response = client.get(url(main.subafdeling, **criteria))
    shown = {row.last_name for row in response.context["listed"]}
    assert shown == expected


def test_an_unknown_type_or_an_application_not_authorised_finds_nothing_or_is_refused(
    client, world, catalogue
):
    client.force_login(world.main.sb)
    response = client.get(url(world.main.subafdeling, toepassing=app_id(catalogue, EBM), type="LB"))
    page = text(response)
    assert "Deze toepassing is niet geautoriseerd op deze subafdeling." in page
    assert "Selecteer een geldige keuze" in page  # the type LB does not exist here


@pytest.mark.parametrize("notation", ["dotted", "compact", "portal", "start"])
def test_the_insz_criterion_takes_any_notation(client, world, notation):
    main = world.main
    other = add_users(main.subafdeling, 1)[0].person
    value = {
        "dotted": insz_format(other.insz),
        "compact": other.insz,
        "portal": insz_portal_format(other.insz),
        "start": insz_format(other.insz)[:12],
    }[notation]
    client.force_login(main.sb)
    rows = client.get(url(main.subafdeling, insz=value)).context["listed"]
    assert [row.insz for row in rows] == [other.insz]


def test_bad_criteria_are_shown_next_to_their_field_and_ignored(client, world):
    client.force_login(world.main.sb)
    response = client.get(url(world.main.subafdeling, insz="85<script>", naam="x" * 101, aantal="7"))
    page = text(response)
    assert response.status_code == 200
    assert "Een INSZ-nummer bestaat enkel uit cijfers." in page
    assert "niet meer dan 100 tekens" in page
    assert "<script>" not in page and "85&lt;script&gt;" in page
    assert "Pagina 1 Eén item gevonden." in page


def test_markup_in_names_is_escaped(client, world):
    main = world.main
    person = PersonFactory(last_name="<b>Vet</b>", first_name="<i>x</i>")
    SubafdelingUserFactory(subafdeling=main.subafdeling, person=person)
    client.force_login(main.sb)
    page = text(client.get(url(main.subafdeling)))
    assert "<b>Vet</b>" not in page and "&lt;b&gt;Vet&lt;/b&gt;" in page


def test_paging_in_the_database_with_a_choice_of_page_size(client, world):
    main = world.main
    add_users(main.subafdeling, 24)
    client.force_login(main.sb)
    first = client.get(url(main.subafdeling))
    assert "Pagina 1 25 items gevonden." in text(first)
    assert len(first.context["listed"]) == 10
    third = client.get(url(main.subafdeling, pagina=3))
    assert "Pagina 3 25 items gevonden." in text(third) and len(third.context["listed"]) == 5
    assert len(client.get(url(main.subafdeling, aantal=20)).context["listed"]) == 20
    assert len(client.get(url(main.subafdeling, aantal=50)).context["listed"]) == 25
    assert "Pagina 1 " in text(client.get(url(main.subafdeling, pagina="abc")))
    paged = text(client.get(url(main.subafdeling, status="ACTIEF", aantal=10)))
    assert "status=ACTIEF" in paged and "pagina=2" in paged


def test_htmx_gets_only_the_list(client, world):
    client.force_login(world.main.sb)
    response = client.get(url(world.main.subafdeling, naam="zzz"), headers={"HX-Request": "true"})
    page = text(response)
    assert 'id="gebruikers"' in page and "Pagina 1 Geen items gevonden." in page
    assert "Functionaliteiten" not in page and "<html" not in page


@pytest.mark.parametrize("name", ["list", "export"])
def test_the_query_count_does_not_grow_with_the_rows(client, world, catalogue, name):
    main = world.main
    apps = catalogue["applications"]

    def more(count):
        for user in add_users(main.subafdeling, count):
            for code in (ELOKET, VIPA):
                ApplicationRight.objects.create(
                    user=user, subafdeling=main.subafdeling, application=apps[code]
                )

    more(4)  # 5 users with the fixture's
    client.force_login(main.sb)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(main.subafdeling, name, aantal=50))
            b"".join(response.streaming_content if response.streaming else [response.content])
        return len(queries)

    few = count()
    more(45)
    assert count() == few
    assert few <= 10


def test_the_list_reads_no_rights_it_does_not_show(client, world, catalogue):
    """The list shows no "Beveiligde toepassingen" (the export and the removal's confirmation do):
    reading the page's rights would be a query and their instances for nothing."""
    main = world.main
    ApplicationRight.objects.create(
        user=main.user, subafdeling=main.subafdeling, application=catalogue["applications"][VIPA]
    )
    client.force_login(main.sb)
    for query in ({}, {"naam": main.user.last_name[:3]}):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(main.subafdeling, **query))
        assert response.status_code == 200 and main.user.pk in [row.pk for row in response.context["listed"]]
        assert not [q for q in queries.captured_queries if "users_applicationright" in q["sql"]]
    assert catalogue["applications"][VIPA].name in csv_of(client.get(url(main.subafdeling, "export")))


def test_the_kept_rows_show_a_change_at_the_next_request(client, world):
    """The rows are kept per process under what they show (users.selectors.ListedUser): a renamed
    person, a blocked user, a user removed is a new key, and the page shows what a fresh one shows."""
    main = world.main
    client.force_login(main.sb)

    def rows() -> str:
        page = client.get(url(main.subafdeling)).text
        return page[page.index("<tbody>") : page.index("</tbody>")]

    def fresh() -> str:
        fragments_clear()
        return rows()

    assert main.user_person.last_name in rows()
    Person.objects.filter(pk=main.user_person.pk).update(last_name="Hernoemd")
    renamed = rows()
    assert "<td>Hernoemd</td>" in renamed and renamed == fresh()
    SubafdelingUser.objects.filter(pk=main.user.pk).update(status=UserStatus.INACTIEF)
    blocked = rows()
    assert blocked != renamed and blocked == fresh()
    SubafdelingUser.objects.filter(pk=main.user.pk).delete()
    assert "Hernoemd" not in rows()


# --- The CSV ------------------------------------------------------------------------------------


def csv_of(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_csv_has_a_bom_semicolons_every_filtered_row_and_the_rights(client, world, catalogue):
    main = world.main
    add_users(main.subafdeling, 12)
    client.force_login(main.tb)
    response = client.get(url(main.subafdeling, "export", aantal=10))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="gebruikers-')
    content = csv_of(response)
    assert content.startswith("\ufeff")
    lines = content.lstrip("\ufeff").splitlines()
    assert lines[0] == "Naam;Voornaam;Gebruikersnaam;Type;INSZ;Status;E-mailadres;Beveiligde toepassingen"
    assert len(lines) == 1 + 13  # every row, not one page
    person = main.user_person
    expected = (
        f"{person.last_name};{person.first_name};;SS;{insz_portal_format(person.insz)};Actief;"
        f"{main.user.email};E-loket Departement Zorg"
    )
    assert expected in lines
    only_eloket = client.get(url(main.subafdeling, "export", toepassing=app_id(catalogue, ELOKET)))
    assert len(csv_of(only_eloket).splitlines()) == 2
    by_name = csv_of(client.get(url(main.subafdeling, "export", naam=person.last_name, status="ACTIEF")))
    assert len(by_name.splitlines()) == 2


def test_the_csv_neutralises_formulas(client, world):
    main = world.main
    person = PersonFactory(last_name='=HYPERLINK("http://x")', first_name="+cmd", username="@SUM")
    SubafdelingUserFactory(subafdeling=main.subafdeling, person=person, email="-1@x.be")
    client.force_login(main.sb)
    content = csv_of(client.get(url(main.subafdeling, "export")))
    assert '\'=HYPERLINK(""http://x"")' in content
    assert ";'+cmd;'@SUM;SS;" in content and ";'-1@x.be;" in content


# --- Adding -------------------------------------------------------------------------------------


def test_adding_a_user_step_by_step(client, world, catalogue):
    main = world.main
    person = main.employee
    person.language = "fr"
    person.username = "emp.loyee"
    person.save()
    client.force_login(main.sb)
    step1 = start(client, main.subafdeling, insz_format(person.insz))
    assert step1.status_code == 302
    assert person.insz not in step1["Location"] and insz_format(person.insz) not in step1["Location"]

    page = text(client.get(step1["Location"]))
    for label in (
        "Een gebruiker aanmaken",
        "De velden met een * moeten verplicht worden ingevuld",
        "Identificatiegegevens",
        person.last_name,
        person.first_name,
        "Titel",
        insz_portal_format(person.insz),
        "Taalkeuze",
        '<option value="fr" selected>Frans</option>',
        "E-mailadres *",
        "Lokaal e-mailadres",
        "(dit adres mag gebruikt worden in het kader van uw individuele contacten met het contactcenter Eranova)",
        "Beveiligde toepassingen",
        "<strong>E-loket Departement Zorg</strong>",
        "<strong>Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden</strong>",
        "Annuleren",
        "Opslaan",
    ):
        assert label in page, label
    # Only what the screen needs from the register: not the username, not an address from elsewhere.
    assert (
        "<dt>Gebruikersnaam :</dt><dd></dd>" in page and "emp.loyee" not in page
    )  # the label, never the value
    assert person.email not in page
    assert "EBMPracticeNet" not in page  # not authorised on this subafdeling

    data = {
        "email": "nieuw@voorziening.be",
        "local_email": "lokaal@x.be",
        "language": "fr",
        "title": "JUFFROUW",
        "applications": [app_id(catalogue, VIPA)],
    }
    step2 = client.post(step1["Location"], data)
    assert step2.status_code == 302
    confirmation = text(client.get(step2["Location"]))
    for label in (
        "Een gebruiker aanmaken",
        "Creatiedatum",
        "Wijzigingsdatum",
        "Status",
        "Actief",
        "Frans",
        "Juffrouw",
        "nieuw@voorziening.be",
        "lokaal@x.be",
        "Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden",
        "Vorige",
        "Bevestigen",
    ):
        assert label in confirmation, label
    assert not SubafdelingUser.objects.filter(person=person).exists()  # nothing yet

    back = text(client.get(step1["Location"]))  # "Vorige" keeps the answers
    assert 'value="nieuw@voorziening.be"' in back and "checked" in back

    done = client.post(step2["Location"], follow=True)
    assert done.redirect_chain[-1][0] == url(main.subafdeling)
    assert f"De gegevens van de gebruiker {person.full_name} werden opgeslagen." in text(done)
    user = SubafdelingUser.objects.get(person=person, subafdeling=main.subafdeling)
    assert (user.email, user.local_email, user.language) == ("nieuw@voorziening.be", "lokaal@x.be", "fr")
    assert [right.application.code for right in user.rights.all()] == [VIPA]
    assert AuditEvent.objects.filter(action="user.add", target_id=str(user.pk), actor=main.sb).exists()
    assert "Pagina 1 2 items gevonden." in text(done)


def test_the_add_page_has_only_the_insz_field(client, world):
    main = world.main
    client.force_login(main.tb)
    page = text(client.get(url(main.subafdeling, "add")))
    assert "Een gebruiker toevoegen" in page and "INSZ" in page and "Volgende" in page
    assert "De lijst van de gebruikers tonen" not in page
    response = start(client, main.subafdeling, main.employee.insz, name="add")
    assert response.status_code == 302 and "/aanmaken/" in response["Location"]


@pytest.mark.parametrize("name", ["list", "add"])
def test_an_existing_user_opens_the_edit_page_never_added_twice(client, world, name):
    main = world.main
    client.force_login(main.sb)
    response = start(client, main.subafdeling, insz_portal_format(main.user_person.insz), name=name)
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == edit_url(main.user)
    assert SubafdelingUser.objects.filter(person=main.user_person).count() == 1


@pytest.mark.parametrize(
    ("insz", "message"),
    [
        ("79.02.28-135.18", "controlegetal klopt niet"),
        ("123", "Een INSZ-nummer bestaat uit 11 cijfers."),
        ("", "Dit veld is verplicht."),
        ("<script>", "Een INSZ-nummer bestaat uit 11 cijfers."),
        (insz_for(987_654), "Deze persoon is niet gekend in het rijksregister."),
    ],
)
@pytest.mark.parametrize("name", ["list", "add"])
def test_a_bad_or_unknown_insz_gets_a_message_and_no_form(client, world, insz, message, name):
    client.force_login(world.main.sb)
    response = start(client, world.main.subafdeling, insz, name=name)
    page = text(response)
    assert response.status_code == 200
    assert message in page and "<script>" not in page
    assert SubafdelingUser.objects.count() == 2  # the world's two users


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": ""}, "Dit veld is verplicht."),
        ({"email": "geen-adres"}, "Geef een geldig e-mailadres in."),
        ({"email": '"<script>"@x.be'}, "Geef een geldig e-mailadres in."),
        ({"email": "a@b.be, c@d.be"}, "Geef een geldig e-mailadres in."),
        ({"email": "a" * 250 + "@x.be"}, "niet meer dan 254 tekens"),
        ({"local_email": "<b>@x.be"}, "Geef een geldig e-mailadres in."),
        ({"language": "xx"}, "Kies een taal uit de lijst."),
        ({"title": "HERTOG"}, "Kies een titel uit de lijst."),
        ({"title": ""}, "Kies een titel uit de lijst."),
        ({"applications": ["EBM"]}, "Deze toepassing is niet geautoriseerd op deze subafdeling."),
        ({"applications": ["abc"]}, "Deze toepassing is niet geautoriseerd op deze subafdeling."),
    ],
)
def test_bad_answers_get_a_dutch_message_and_nothing_is_written(client, world, catalogue, data, message):
    main = world.main
    client.force_login(main.sb)
    step1 = start(client, main.subafdeling, main.employee.insz)
    if data.get("applications") == ["EBM"]:
        data["applications"] = [app_id(catalogue, EBM)]
    answers = {"email": "ok@x.be", "local_email": "", "language": "nl", "title": "DE_HEER", **data}
    response = client.post(step1["Location"], answers)
    page = text(response)
    assert response.status_code == 200
    assert message in page and "Er is een probleem" in page
    assert "<script>" not in page and "<b>@x.be" not in page
    assert not SubafdelingUser.objects.filter(person=main.employee).exists()


def test_a_user_may_be_added_without_an_application(client, world):
    """The manual requires only the fields with a * ("E-mailadres *"); rights may follow later
    (docs/ARCHITECTURE.md, "Beveiligde toepassingen when adding a user")."""
    main = world.main
    client.force_login(main.sb)
    assert client.post(create(client, main.subafdeling, main.employee)).status_code == 302
    user = SubafdelingUser.objects.get(subafdeling=main.subafdeling, person=main.employee)
    assert not user.rights.exists()


def test_a_second_bevestigen_writes_nothing_and_shows_the_refusal(client, world, catalogue):
    main = world.main
    client.force_login(main.sb)
    confirm = create(client, main.subafdeling, main.employee, [app_id(catalogue, ELOKET)])
    assert client.post(confirm).status_code == 302
    again = client.post(confirm, follow=True)
    assert again.status_code == 200
    assert "Deze persoon is al gebruiker van deze subafdeling." in text(again)
    assert SubafdelingUser.objects.filter(person=main.employee).count() == 1
    assert AuditEvent.objects.filter(action="user.add").count() == 2 + 1  # the two worlds' and this one


def test_the_service_rechecks_on_bevestigen(client, world, catalogue):
    """An application withdrawn from the subafdeling between "Opslaan" and "Bevestigen" is refused."""
    main = world.main
    client.force_login(main.sb)
    confirm = create(client, main.subafdeling, main.employee, [app_id(catalogue, VIPA)])
    main.subafdeling.authorisations.filter(application__code=VIPA).delete()
    done = client.post(confirm, follow=True)
    assert "niet geautoriseerd op de subafdeling" in text(done)
    assert not SubafdelingUser.objects.filter(person=main.employee).exists()


def test_a_tampered_or_foreign_reference_goes_back_to_the_list(client, world):
    main = world.main
    client.force_login(main.sb)
    for name in ("create", "create-confirm"):
        response = client.get(url(main.subafdeling, name, aanvraag="vervalst"), follow=True)
        assert "Deze aanvraag is verlopen of ongeldig. Begin opnieuw." in text(response)
    # a reference of another session is worthless here
    step1 = start(client, main.subafdeling, main.employee.insz)
    client.force_login(main.tb)
    response = client.get(step1["Location"], follow=True)
    assert "Deze aanvraag is verlopen of ongeldig. Begin opnieuw." in text(response)


# --- Editing ------------------------------------------------------------------------------------


def test_editing_a_user_changes_data_and_rights(client, world, catalogue, frozen_clock):
    main = world.main
    user = main.user
    RoleAssignment.objects.create(
        user=user,
        role=catalogue["roles"]["BelRAI VL - zorgverlener met certificaat"],
        application=catalogue["applications"][ELOKET],
        start_date=clock.today(),
    )
    client.force_login(main.tb)
    form = client.get(edit_url(user))
    page = text(form)
    assert "Wijziging van de gegevens van een gebruiker" in page
    assert f'value="{user.email}"' in page
    assert page.count("checked") == 1  # the E-loket right
    step = client.post(
        edit_url(user),
        {
            "email": "nieuw@x.be",
            "local_email": "",
            "language": "de",
            "title": "MEVROUW",
            "applications": [app_id(catalogue, VIPA)],
        },
    )
    assert step.status_code == 302 and "/bewerken/bevestigen/" in step["Location"]
    confirmation = text(client.get(step["Location"]))
    assert "Wijziging van de gegevens van een subafdelingsverantwoordelijke" in confirmation
    assert "Mevrouw" in confirmation
    assert "nieuw@x.be" in confirmation and "Duits" in confirmation and "Bevestigen" in confirmation
    user.refresh_from_db()
    assert user.email != "nieuw@x.be"  # nothing yet

    frozen_clock.advance(minutes=5)
    done = client.post(step["Location"], follow=True)
    assert f"De gegevens van de gebruiker {main.user_person.full_name} werden gewijzigd." in text(done)
    user.refresh_from_db()
    assert (user.email, user.language, user.title) == ("nieuw@x.be", "de", "MEVROUW")
    assert user.modified_at == clock.now()
    assert [right.application.code for right in user.rights.all()] == [VIPA]
    assert not RoleAssignment.objects.filter(user=user).exists()  # its right is gone
    event = AuditEvent.objects.get(action="user.update", target_id=str(user.pk))
    assert event.before["applications"] == [ELOKET] and event.after["applications"] == [VIPA]
    assert event.before["email"] != event.after["email"] == "nieuw@x.be"


def test_editing_refuses_an_application_not_authorised(client, world, catalogue):
    main = world.main
    client.force_login(main.sb)
    response = client.post(
        edit_url(main.user),
        {"email": "x@x.be", "language": "nl", "title": "DE_HEER", "applications": [app_id(catalogue, EBM)]},
    )
    assert response.status_code == 200
    assert "Deze toepassing is niet geautoriseerd op deze subafdeling." in text(response)
    assert list(main.user.rights.values_list("application__code", flat=True)) == [ELOKET]


def test_editing_vorige_keeps_the_answers(client, world, catalogue):
    main = world.main
    client.force_login(main.sb)
    step = client.post(
        edit_url(main.user),
        {"email": "vorige@x.be", "language": "nl", "title": "DE_HEER", "applications": []},
    )
    confirm = step["Location"]
    back = urlsplit(confirm).query
    page = text(client.get(f"{edit_url(main.user)}?{back}"))
    assert 'value="vorige@x.be"' in page


def test_a_user_of_another_subafdeling_is_not_found(client, world):
    client.force_login(world.main.sb)
    foreign = reverse(
        "users:edit", kwargs={"subafdeling_id": world.main.subafdeling.pk, "user_id": world.outsider.user.pk}
    )
    assert client.get(foreign).status_code == 404


# --- Removing -----------------------------------------------------------------------------------


def test_removing_users_with_a_confirmation(client, world, catalogue):
    main = world.main
    others = add_users(main.subafdeling, 2)
    RoleAssignment.objects.create(
        user=main.user,
        role=catalogue["roles"]["BelRAI VL - zorgverlener met certificaat"],
        application=catalogue["applications"][ELOKET],
        start_date=clock.today(),
    )
    client.force_login(main.sb)
    chosen = [main.user.pk, others[0].pk]
    step = client.post(url(main.subafdeling, "remove"), {"actie": "verwijderen", "gebruiker": chosen})
    assert step.status_code == 302 and "selectie=" in step["Location"]
    page = text(client.get(step["Location"]))
    assert "Gebruiker(s) verwijderen" in page and "U verwijdert de volgende gebruikers" in page
    assert main.user_person.last_name in page and others[0].person.last_name in page
    assert others[1].person.last_name not in page
    assert SubafdelingUser.objects.filter(pk__in=chosen).count() == 2  # nothing yet
    done = client.post(step["Location"], follow=True)
    assert "werden verwijderd." in text(done)
    assert not SubafdelingUser.objects.filter(pk__in=chosen).exists()
    assert not ApplicationRight.objects.filter(user_id__in=chosen).exists()
    assert not RoleAssignment.objects.filter(user_id__in=chosen).exists()
    assert SubafdelingUser.objects.filter(pk=others[1].pk).exists()
    assert AuditEvent.objects.filter(action="users.remove", actor=main.sb).count() == 1
    # a second "Bevestigen" is refused with a message, no error page
    again = client.post(step["Location"], follow=True)
    assert again.status_code == 200
    assert "De geselecteerde personen zijn geen gebruiker meer van deze subafdeling." in text(again)


def test_removing_needs_a_selection_of_own_users(client, world):
    main = world.main
    client.force_login(main.sb)
    nothing = client.post(url(main.subafdeling, "remove"), {"actie": "verwijderen"}, follow=True)
    assert "Selecteer minstens één gebruiker om te verwijderen." in text(nothing)
    foreign = client.post(
        url(main.subafdeling, "remove"), {"gebruiker": [world.outsider.user.pk]}, follow=True
    )
    assert "Deze persoon is geen gebruiker van deze subafdeling." in text(foreign)
    assert SubafdelingUser.objects.filter(pk=world.outsider.user.pk).exists()
    tampered = client.get(url(main.subafdeling, "remove-confirm", selectie="x"), follow=True)
    assert "Deze aanvraag is verlopen of ongeldig. Begin opnieuw." in text(tampered)


# --- Services -----------------------------------------------------------------------------------


def test_the_services_refuse_a_non_manager_and_foreign_users(world, catalogue):
    main = world.main
    with pytest.raises(ServiceError):
        services.users_remove(actor=main.user_person, subafdeling=main.subafdeling, users=[main.user])
    with pytest.raises(ServiceError):
        services.users_remove(actor=main.sb, subafdeling=main.subafdeling, users=[world.outsider.user])
    with pytest.raises(ServiceError):
        services.user_update(
            actor=world.outsider.sb,
            user=main.user,
            email="a@b.be",
            local_email="",
            language="nl",
            applications=[],
        )
    with pytest.raises(ServiceError):
        services.user_update(
            actor=main.sb,
            user=main.user,
            email="a@b.be",
            local_email="",
            language="nl",
            applications=[catalogue["applications"][EBM]],
        )
    assert SubafdelingUser.objects.filter(pk=world.outsider.user.pk).exists()
    assert not AuditEvent.objects.filter(action__in=["users.remove", "user.update"]).exists()


# --- Who ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "level", ["nobody", "legal_rep", "user_person", "employee", "outsider_htb", "outsider_tb", "outsider_sb"]
)
def test_everybody_else_gets_404_on_every_page(client, world, level):
    main = world.main
    person = main.employee if level == "employee" else world.persona(level)
    client.force_login(person)
    for name in ("list", "export", "add", "create", "create-confirm", "remove-confirm"):
        assert client.get(url(main.subafdeling, name)).status_code == 404, name
    assert client.post(url(main.subafdeling, "remove")).status_code == 404
    assert client.post(url(main.subafdeling), {"toevoegen-insz": main.employee.insz}).status_code == 404
    assert client.get(edit_url(main.user)).status_code == 404
    assert SubafdelingUser.objects.count() == 2


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    response = client.get(url(world.main.subafdeling))
    assert response.status_code == 302 and response["Location"].startswith("/aanmelden/")


def test_a_persons_new_name_reaches_their_users_list(client, world):
    """The list searches and sorts the user's copy of the names: a renamed person is found by the new
    name at the next request, and a save of other fields (a sign-in's last_login) writes no copy."""
    main = world.main
    person = main.user.person
    person.last_name = "Vernieuwd"
    person.save()
    client.force_login(main.sb)
    found = client.get(url(main.subafdeling, naam="vernieuwd")).context["listed"]
    assert [row.pk for row in found] == [main.user.pk]
    assert SubafdelingUser.objects.get(pk=main.user.pk).last_name == "Vernieuwd"
    with CaptureQueriesContext(connection) as queries:
        person.save(update_fields=["last_login"])
    assert len(queries) == 1
