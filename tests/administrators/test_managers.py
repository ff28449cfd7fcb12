"""Access managers per hoedanigheid: "Beheer van de gebruikers" (manual 3.4.2 and 3.4.3).

The list (criteria, paging, CSV), changing the Lokale Beheerder, adding and removing co-LBs, and
who may do what."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.http import urlencode

from accessportal.identifiers import insz_format, insz_portal_format
from accessportal.models import AuditEvent, OutboxMail, StructuredMessage
from accessportal.services import ServiceError
from administrators import services
from administrators.models import AdministratorKind, LocalAdministrator
from tests.factories import LocalAdministratorFactory, PersonFactory
from worlds.numbers import insz_for

pytestmark = pytest.mark.django_db

LB, CO_LB = AdministratorKind.LB.value, AdministratorKind.CO_LB.value


def url(activation, name="managers", **query) -> str:
    path = reverse(f"administrators:{name}", kwargs={"hoedanigheid_id": activation.pk})
    if query:
        path += "?" + urlencode(query)
    return path


def text(response) -> str:
    return response.content.decode()


def start(client, activation, insz, kind=CO_LB):
    return client.post(url(activation), {"aanstellen-kind": kind, "aanstellen-insz": insz})


def appoint(client, activation, person, kind=CO_LB, email="beheer@voorziening.be", local_email=""):
    """Run the three steps; return the response of "Bevestigen" (a redirect to the list)."""
    step1 = start(client, activation, person.insz, kind)
    assert step1.status_code == 302, text(step1)
    step2 = client.post(step1["Location"], {"email": email, "local_email": local_email})
    assert step2.status_code == 302, text(step2)
    assert "/aanstellen/bevestigen/" in step2["Location"]
    return client.post(step2["Location"])


def co_lbs(activation, count):
    return [LocalAdministratorFactory(activation=activation, kind=CO_LB) for _ in range(count)]


def current(activation):
    return LocalAdministrator.objects.current().filter(activation=activation)


# --- The list ----------------------------------------------------------------------------------


def test_the_htb_sees_the_list_with_the_lb_and_every_control(client, world):
    main = world.main
    client.force_login(main.htb)
    response = client.get(url(main.activation))
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
        "Actie",
        "Aantal gebruikers",
        "Pagina 1 Eén item gevonden.",
        "Verwijderen gebruiker(s)",
        "*De gebruikers exporteren (.csv)",
        "Van lokale beheerder veranderen",
        "Een Co-Lokale Beheerder toevoegen",
        "Volgende",
        "Beheer van de gebruikers",  # the menu links here now
        f"Benaming: <strong>{main.enterprise.name}</strong>",
    ):
        assert label in page, label
    assert main.tb.last_name in page
    assert insz_portal_format(main.tb.insz) in page
    assert "<td>LB</td>" in page and "<td>Actief</td>" in page
    assert 'name="administrator"' not in page  # the LB has no checkbox: it is replaced, not removed


def test_the_lb_sees_the_list_but_changes_nothing(client, world):
    client.force_login(world.main.tb)
    response = client.get(url(world.main.activation))
    page = text(response)
    assert response.status_code == 200
    assert "Pagina 1 Eén item gevonden." in page and "*De gebruikers exporteren (.csv)" in page
    assert "Van lokale beheerder veranderen" not in page
    assert "Verwijderen gebruiker(s)" not in page


def test_without_an_appointed_lb_the_htb_is_shown_as_lb_and_nothing_is_written(client, world, catalogue):
    main = world.main
    activation = services.hoedanigheid_activate(
        actor=main.htb, enterprise=main.enterprise, hoedanigheid=catalogue["hoedanigheden"]["jeugdhulp"]
    )
    client.force_login(main.co_htb)
    page = text(client.get(url(activation)))
    assert "Pagina 1 Eén item gevonden." in page
    assert main.htb.last_name in page and "<td>LB</td>" in page
    assert not LocalAdministrator.objects.filter(activation=activation).exists()
    # as soon as a co-LB is added the HTB is still LB; once an LB is appointed the HTB disappears
    appoint(client, activation, main.employee)
    page = text(client.get(url(activation)))
    assert "Pagina 1 2 items gevonden." in page and main.htb.last_name in page
    appoint(client, activation, main.sb, kind=LB)
    page = text(client.get(url(activation)))
    assert main.htb.last_name not in page and "Pagina 1 2 items gevonden." in page


def test_co_lbs_are_listed_after_the_lb_with_a_checkbox(client, world):
    main = world.main
    added = co_lbs(main.activation, 2)
    client.force_login(main.htb)
    page = text(client.get(url(main.activation)))
    assert "Pagina 1 3 items gevonden." in page
    assert page.index("<td>LB</td>") < page.index("<td>co-LB</td>")  # the LB row comes first
    for administrator in added:
        assert f'name="administrator" value="{administrator.pk}"' in page
    assert page.count("<td>co-LB</td>") == 2


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [
        ({"naam": "peeters"}, {"Peeters"}),
        ({"voornaam": "ann"}, {"Peeters", "Anneessens"}),
        ({"naam": "an", "voornaam": "ann"}, {"Anneessens"}),
        ({"type": LB}, {"Lokaal"}),
        ({"type": CO_LB, "voornaam": "Ann"}, {"Peeters", "Anneessens"}),
        ({"gebruikersnaam": "APEET"}, {"Peeters"}),
        ({"status": "NIET_ACTIEF"}, {"Slaper"}),
        ({"status": "ACTIEF", "type": CO_LB, "naam": "e"}, {"Peeters", "Anneessens"}),
    ],
)
def test_criteria_combine_in_the_database(client, world, criteria, expected):
    main = world.main
    main.tb.last_name = "Lokaal"
    main.tb.save()
    for last, first, username, active in (
        ("Peeters", "Ann", "apeeters", True),
        ("Anneessens", "Annick", None, True),
        ("Slaper", "Bart", None, False),
    ):
        person = PersonFactory(last_name=last, first_name=first, username=username, is_active=active)
        LocalAdministratorFactory(activation=main.activation, person=person, kind=CO_LB)
    client.force_login(main.htb)
    response = client.get(url(main.activation, **criteria))
    shown = {row["person"].last_name for row in response.context["rows"]}
    assert shown == expected


@pytest.mark.parametrize("notation", ["dotted", "compact", "portal", "start"])
def test_the_insz_criterion_takes_any_notation(client, world, notation):
    main = world.main
    other = co_lbs(main.activation, 1)[0].person
    value = {
        "dotted": insz_format(other.insz),
        "compact": other.insz,
        "portal": insz_portal_format(other.insz),
        "start": insz_format(other.insz)[:12],
    }[notation]
    client.force_login(main.htb)
    rows = client.get(url(main.activation, insz=value)).context["rows"]
    assert [row["person"] for row in rows] == [other]


def test_bad_criteria_are_shown_next_to_their_field_and_ignored(client, world):
    client.force_login(world.main.htb)
    response = client.get(url(world.main.activation, insz="85<script>", naam="x" * 101, aantal="7"))
    page = text(response)
    assert response.status_code == 200
    assert "Een INSZ-nummer bestaat enkel uit cijfers." in page
    assert "niet meer dan 100 tekens" in page
    assert "<script>" not in page  # echoed escaped
    assert "Pagina 1 Eén item gevonden." in page


def test_paging_in_the_database_with_a_choice_of_page_size(client, world):
    main = world.main
    co_lbs(main.activation, 24)
    client.force_login(main.htb)
    first = client.get(url(main.activation))
    assert "Pagina 1 25 items gevonden." in text(first)
    assert len(first.context["rows"]) == 10
    third = client.get(url(main.activation, pagina=3))
    assert "Pagina 3 25 items gevonden." in text(third) and len(third.context["rows"]) == 5
    assert len(client.get(url(main.activation, aantal=20)).context["rows"]) == 20
    assert len(client.get(url(main.activation, aantal=50)).context["rows"]) == 25
    assert "Pagina 1 " in text(client.get(url(main.activation, pagina="abc")))
    # the pager keeps the criteria
    paged = text(client.get(url(main.activation, type=CO_LB, aantal=10)))
    assert "type=CO_LB" in paged and "pagina=2" in paged


def test_htmx_gets_only_the_list(client, world):
    client.force_login(world.main.htb)
    response = client.get(url(world.main.activation, naam="zzz"), headers={"HX-Request": "true"})
    page = text(response)
    assert 'id="gebruikers"' in page and "Pagina 1 Geen items gevonden." in page
    assert "Functionaliteiten" not in page and "<html" not in page


@pytest.mark.parametrize("name", ["managers", "managers-export"])
def test_the_query_count_does_not_grow_with_the_rows(client, world, name):
    main = world.main
    co_lbs(main.activation, 5)
    client.force_login(main.htb)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url(main.activation, name, aantal=50))
            b"".join(response.streaming_content if response.streaming else [response.content])
        return len(queries)

    few = count()
    co_lbs(main.activation, 45)
    assert count() == few
    assert few <= 10


# --- The CSV ------------------------------------------------------------------------------------


def csv_of(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def test_the_csv_has_a_bom_semicolons_and_every_filtered_row(client, world):
    main = world.main
    co_lbs(main.activation, 12)
    client.force_login(main.tb)
    response = client.get(url(main.activation, "managers-export", aantal=10))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="gebruikers-')
    content = csv_of(response)
    assert content.startswith("\ufeff")
    lines = content.lstrip("\ufeff").splitlines()
    assert lines[0] == "Naam;Voornaam;Gebruikersnaam;Type;INSZ;Status;E-mailadres;Lokaal e-mailadres"
    assert len(lines) == 1 + 13  # every row, not one page
    lb_line = f"{main.tb.last_name};{main.tb.first_name};;LB;{insz_portal_format(main.tb.insz)};Actief;"
    assert lines[1].startswith(lb_line)
    only_lb = csv_of(client.get(url(main.activation, "managers-export", type=LB))).splitlines()
    assert len(only_lb) == 2


def test_the_csv_neutralises_formulas(client, world):
    main = world.main
    person = PersonFactory(last_name='=HYPERLINK("http://x")', first_name="+cmd", username="@SUM")
    LocalAdministratorFactory(activation=main.activation, person=person, kind=CO_LB, local_email="-1@x.be")
    tabbed = PersonFactory(last_name="\tTab", first_name="\rCR", username="-2")
    LocalAdministratorFactory(activation=main.activation, person=tabbed, kind=CO_LB)
    client.force_login(main.htb)
    content = csv_of(client.get(url(main.activation, "managers-export")))
    assert '\'=HYPERLINK(""http://x"")' in content
    assert ";'+cmd;'@SUM;co-LB;" in content and ";'-1@x.be" in content
    assert "'\tTab;" in content and "'-2;" in content
    assert '"\'\rCR"' in content  # quoted by the CSV writer, neutralised all the same


def test_the_csv_of_the_htb_as_lb(client, world, catalogue):
    main = world.main
    activation = services.hoedanigheid_activate(
        actor=main.htb, enterprise=main.enterprise, hoedanigheid=catalogue["hoedanigheden"]["jeugdhulp"]
    )
    client.force_login(main.htb)
    lines = csv_of(client.get(url(activation, "managers-export"))).splitlines()
    assert len(lines) == 2 and lines[1].startswith(f"{main.htb.last_name};")
    assert ";LB;" in lines[1] and main.htb.email in lines[1]


# --- Appointing ----------------------------------------------------------------------------------


def test_adding_a_co_lb_step_by_step(client, world):
    main = world.main
    person = main.employee
    person.language = "fr"
    person.username = "emp.loyee"
    person.save()
    client.force_login(main.htb)
    step1 = start(client, main.activation, insz_format(person.insz))
    assert step1.status_code == 302
    assert person.insz not in step1["Location"] and insz_format(person.insz) not in step1["Location"]

    form = client.get(step1["Location"])
    page = text(form)
    for label in (
        "Een Co-Lokale Beheerder aanmaken",
        "De velden met een * moeten verplicht worden ingevuld",
        "Identificatiegegevens",
        person.last_name,
        person.first_name,
        "Titel",
        "INSZ",
        insz_portal_format(person.insz),
        "Taalkeuze",
        "Frans",
        "E-mailadres *",
        "Lokaal e-mailadres",
        "(dit adres mag gebruikt worden in het kader van uw individuele contacten met het contactcenter Eranova)",
        "Annuleren",
        "Opslaan",
    ):
        assert label in page, label
    # Only what the screen needs from the register: not the username, not an address from elsewhere.
    assert (
        "<dt>Gebruikersnaam :</dt><dd></dd>" in page and "emp.loyee" not in page
    )  # the label, never the value
    assert person.email not in page

    step2 = client.post(step1["Location"], {"email": "co.lb@voorziening.be", "local_email": "lokaal@x.be"})
    assert step2.status_code == 302
    confirmation = text(client.get(step2["Location"]))
    for label in (
        "Een Co-Lokale Beheerder aanmaken",
        "Creatiedatum",
        "Wijzigingsdatum",
        "Status",
        "Actief",
        "co.lb@voorziening.be",
        "lokaal@x.be",
        "Vorige",
        "Bevestigen",
    ):
        assert label in confirmation, label
    assert not current(main.activation).filter(person=person).exists()  # nothing yet

    # "Vorige" goes back to the form with the answers kept
    back = text(client.get(step1["Location"]))
    assert 'value="co.lb@voorziening.be"' in back

    done = client.post(step2["Location"], follow=True)
    assert done.redirect_chain[-1][0] == url(main.activation)
    assert "De gegevens van de Co-Lokale Beheerder werden opgeslagen" in text(done)
    administrator = current(main.activation).get(person=person)
    assert (administrator.kind, administrator.email, administrator.local_email) == (
        CO_LB,
        "co.lb@voorziening.be",
        "lokaal@x.be",
    )
    assert administrator.appointed_by == main.htb
    mail = OutboxMail.objects.get(person=person)
    assert mail.recipient == "co.lb@voorziening.be" and mail.language == "fr"
    assert main.activation.hoedanigheid.name in mail.subject and main.enterprise.name in mail.body
    assert StructuredMessage.objects.filter(recipient=person, category="appointment").exists()
    assert AuditEvent.objects.filter(
        action="local_administrator.appoint", target_id=str(administrator.pk)
    ).exists()
    # the new co-LB manages the hoedanigheid at once
    client.force_login(person)
    assert client.get(url(main.activation)).status_code == 200


def test_changing_the_lb_replaces_the_current_one(client, world):
    main = world.main
    client.force_login(main.co_htb)
    step1 = start(client, main.activation, main.employee.insz, kind=LB)
    assert "Een lokale beheerder aanmaken" in text(client.get(step1["Location"]))
    step2 = client.post(step1["Location"], {"email": "nieuwe.lb@voorziening.be"})
    confirmation = text(client.get(step2["Location"]))
    assert (
        f"{main.tb.full_name} is nu Lokale Beheerder van deze hoedanigheid en wordt vervangen."
        in confirmation
    )
    done = client.post(step2["Location"], follow=True)
    assert "De gegevens van de Lokale Beheerder werden opgeslagen" in text(done)
    lb = current(main.activation).get(kind=LB)
    assert lb.person == main.employee and lb.appointed_by == main.co_htb
    assert LocalAdministrator.objects.get(person=main.tb, activation=main.activation).ended_at is not None
    assert OutboxMail.objects.filter(recipient="nieuwe.lb@voorziening.be").count() == 1
    # the replaced LB loses access at the next request
    client.force_login(main.tb)
    assert client.get(url(main.activation)).status_code == 404


def test_a_second_bevestigen_writes_nothing_and_shows_the_refusal(client, world):
    main = world.main
    client.force_login(main.htb)
    step1 = start(client, main.activation, main.employee.insz)
    step2 = client.post(step1["Location"], {"email": "a@b.be"})
    assert client.post(step2["Location"]).status_code == 302
    again = client.post(step2["Location"], follow=True)
    assert again.status_code == 200
    assert "Deze persoon is al Lokale Beheerder of Co-Lokale Beheerder van deze hoedanigheid." in text(again)
    assert current(main.activation).filter(person=main.employee).count() == 1
    assert OutboxMail.objects.filter(person=main.employee).count() == 1


@pytest.mark.parametrize(
    ("insz", "message"),
    [
        ("79.02.28-135.18", "controlegetal klopt niet"),
        ("123", "Een INSZ-nummer bestaat uit 11 cijfers."),
        ("", "Dit veld is verplicht."),
        (insz_for(987_654), "Deze persoon is niet gekend in het rijksregister."),
    ],
)
def test_a_bad_or_unknown_insz_gets_a_message_and_no_form(client, world, insz, message):
    client.force_login(world.main.htb)
    response = start(client, world.main.activation, insz)
    page = text(response)
    assert response.status_code == 200
    assert message in page
    assert "E-mailadres" not in page and "Er is een probleem" in page


@pytest.mark.parametrize("who", ["tb", "htb", "co_lb"])
def test_a_person_who_already_administers_the_hoedanigheid_is_refused(client, world, catalogue, who):
    main = world.main
    activation = main.activation
    if who == "htb":  # the HTB is LB as long as nobody else is appointed
        activation = services.hoedanigheid_activate(
            actor=main.htb, enterprise=main.enterprise, hoedanigheid=catalogue["hoedanigheden"]["jeugdhulp"]
        )
        person = main.htb
    elif who == "co_lb":
        person = co_lbs(activation, 1)[0].person
    else:
        person = main.tb
    client.force_login(main.co_htb)
    for kind in (LB, CO_LB):
        response = start(client, activation, person.insz, kind)
        assert response.status_code == 200
        assert "Deze persoon is al Lokale Beheerder of Co-Lokale Beheerder van deze hoedanigheid." in text(
            response
        )


def test_any_person_of_the_register_may_be_appointed_also_of_another_enterprise(client, world):
    main, stranger = world.main, world.outsider.employee
    client.force_login(main.htb)
    done = appoint(client, main.activation, stranger)
    assert done.status_code == 302
    assert current(main.activation).filter(person=stranger, kind=CO_LB).exists()
    # ... who then sees this hoedanigheid, and still nothing else of this enterprise
    client.force_login(stranger)
    assert client.get(url(main.activation)).status_code == 200
    assert (
        client.get(reverse("administrators:enterprise", kwargs={"kbo": main.enterprise.kbo})).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"email": ""}, "Dit veld is verplicht."),
        ({"email": "<script>alert(1)</script>@x.be"}, "Geef een geldig e-mailadres in."),
        ({"email": '"<b>vet</b>"@x.be'}, "Geef een geldig e-mailadres in."),
        ({"email": "a@x.be, b@y.be"}, "Geef een geldig e-mailadres in."),
        ({"email": "a@x.be", "local_email": "<img src=x>@x.be"}, "Geef een geldig e-mailadres in."),
        ({"email": "a" * 250 + "@x.be"}, "niet meer dan 254 tekens"),
        ({"email": "geen-adres"}, "Geef een geldig e-mailadres in."),
    ],
)
def test_bad_e_mail_addresses_are_refused_next_to_the_field(client, world, data, field_message):
    main = world.main
    client.force_login(main.htb)
    step1 = start(client, main.activation, main.employee.insz)
    response = client.post(step1["Location"], data)
    page = text(response)
    assert response.status_code == 200
    assert field_message in page and "Er is een probleem" in page
    assert "<script>alert" not in page and "<img src=x>" not in page
    assert not current(main.activation).filter(person=main.employee).exists()


def test_the_service_checks_the_e_mail_addresses_again(world):
    main = world.main
    for email, local in (('"<b>"@x.be', ""), ("a@x.be", "a@x.be;b@x.be"), ("", "")):
        with pytest.raises(ServiceError):
            services.local_administrator_appoint(
                actor=main.htb,
                activation=main.activation,
                person=main.employee,
                kind=CO_LB,
                email=email,
                local_email=local,
            )
    assert not current(main.activation).filter(person=main.employee).exists()
    assert not OutboxMail.objects.filter(person=main.employee).exists()


def tampered(location: str) -> str:
    parts = urlsplit(location)
    token = parse_qs(parts.query)["aanvraag"][0]
    return f"{parts.path}?aanvraag={token[:-2]}{'AA' if not token.endswith('AA') else 'BB'}"


@pytest.mark.parametrize("step", ["form", "confirm"])
def test_a_tampered_reference_goes_back_to_the_list_and_writes_nothing(client, world, step):
    main = world.main
    client.force_login(main.htb)
    step1 = start(client, main.activation, main.employee.insz)
    location = step1["Location"]
    if step == "confirm":
        location = client.post(location, {"email": "a@b.be"})["Location"]
    for method in ("get", "post"):
        response = getattr(client, method)(
            tampered(location), {"email": "a@b.be"} if method == "post" else {}
        )
        assert response.status_code == 302 and response["Location"] == url(main.activation)
    page = text(client.get(url(main.activation)))
    assert "Deze aanvraag is verlopen of ongeldig. Begin opnieuw." in page
    assert not current(main.activation).filter(person=main.employee).exists()


def test_a_reference_of_another_hoedanigheid_or_session_or_hour_is_refused(
    client, world, catalogue, monkeypatch
):
    main = world.main
    other = services.hoedanigheid_activate(
        actor=main.htb, enterprise=main.enterprise, hoedanigheid=catalogue["hoedanigheden"]["jeugdhulp"]
    )
    client.force_login(main.htb)
    location = client.post(start(client, other, main.employee.insz)["Location"], {"email": "a@b.be"})[
        "Location"
    ]
    query = urlsplit(location).query
    # another hoedanigheid's answers
    assert client.post(f"{url(main.activation, 'managers-appoint-confirm')}?{query}").status_code == 302
    # another session (a co-HTB who got the link)
    client.force_login(main.co_htb)
    assert client.post(location)["Location"] == url(other)
    # more than an hour later
    client.force_login(main.htb)
    location = client.post(start(client, other, main.employee.insz)["Location"], {"email": "a@b.be"})[
        "Location"
    ]
    later = time.time() + 3601
    monkeypatch.setattr("django.core.signing.time.time", lambda: later)
    assert client.post(location)["Location"] == url(other)
    assert not LocalAdministrator.objects.filter(activation=other).exists()


def test_the_confirmation_needs_the_e_mail_step_first(client, world):
    main = world.main
    client.force_login(main.htb)
    location = start(client, main.activation, main.employee.insz)["Location"]
    skipped = location.replace("/aanstellen/", "/aanstellen/bevestigen/")
    response = client.post(skipped)
    assert response.status_code == 302 and response["Location"] == location
    assert not current(main.activation).filter(person=main.employee).exists()


def test_the_lb_and_co_lbs_cannot_appoint_or_remove(client, world):
    main = world.main
    co_lb = co_lbs(main.activation, 1)[0]
    for person in (main.tb, co_lb.person):
        client.force_login(person)
        response = start(client, main.activation, main.employee.insz)
        assert response.status_code == 302
        response = client.post(url(main.activation, "managers-remove"), {"administrator": [co_lb.pk]})
        assert response.status_code == 302 and response["Location"] == url(main.activation)
        token = signing.dumps(
            {"h": main.activation.pk, "ids": [co_lb.pk]}, salt="administrators.managers.remove"
        )
        assert client.post(url(main.activation, "managers-remove-confirm", selectie=token)).status_code == 302
        page = text(client.get(url(main.activation)))
        assert (
            "Enkel de (co-)hoofdtoegangsbeheerder kan toegangsbeheerders aanstellen of verwijderen." in page
        )
    assert current(main.activation).count() == 2
    with pytest.raises(ServiceError):
        services.local_administrator_appoint(
            actor=main.tb, activation=main.activation, person=main.employee, kind=CO_LB, email="a@b.be"
        )
    with pytest.raises(ServiceError):
        services.local_administrator_remove(actor=main.tb, administrator=co_lb)


def test_another_enterprise_gets_404_everywhere(client, world):
    main, outsider = world.main, world.outsider
    token = signing.dumps({"h": main.activation.pk, "ids": []}, salt="administrators.managers.remove")
    for person in (outsider.htb, outsider.co_htb, outsider.tb, main.sb, main.user_person, world.nobody):
        client.force_login(person)
        for name in ("managers", "managers-export", "managers-appoint", "managers-appoint-confirm"):
            assert client.get(url(main.activation, name)).status_code == 404, name
        assert start(client, main.activation, outsider.employee.insz).status_code == 404
        assert client.post(url(main.activation, "managers-remove"), {"administrator": [1]}).status_code == 404
        assert client.post(url(main.activation, "managers-remove-confirm", selectie=token)).status_code == 404
    assert client.get(url(main.activation).replace(str(main.activation.pk), "999999")).status_code == 404


# --- Removing -------------------------------------------------------------------------------------


def test_removing_co_lbs_with_a_confirmation(client, world):
    main = world.main
    first, second, kept = co_lbs(main.activation, 3)
    client.force_login(first.person)
    assert client.get(url(main.activation)).status_code == 200

    client.force_login(main.htb)
    response = client.post(url(main.activation, "managers-remove"), {"administrator": [first.pk, second.pk]})
    assert response.status_code == 302 and "/verwijderen/bevestigen/?selectie=" in response["Location"]
    confirmation = text(client.get(response["Location"]))
    assert "U verwijdert de volgende Co-Lokale Beheerders." in confirmation
    assert first.person.last_name in confirmation and second.person.last_name in confirmation
    assert kept.person.last_name not in confirmation
    assert current(main.activation).count() == 4  # nothing yet

    done = client.post(response["Location"], follow=True)
    assert "werden verwijderd." in text(done)
    assert set(current(main.activation).values_list("pk", flat=True)) == {
        kept.pk,
        current(main.activation).get(kind=LB).pk,
    }
    assert AuditEvent.objects.filter(action="local_administrator.remove").count() == 2
    assert StructuredMessage.objects.filter(recipient=first.person, category="appointment").exists()

    # the removed co-LB loses access at the next request
    client.force_login(first.person)
    assert client.get(url(main.activation)).status_code == 404
    assert client.get(reverse("administrators:hoedanigheid", args=[main.activation.pk])).status_code == 404

    # a second "Bevestigen" changes nothing and explains why
    client.force_login(main.htb)
    again = client.post(response["Location"], follow=True)
    assert again.status_code == 200
    assert "De geselecteerde gebruikers zijn geen beheerder meer van deze hoedanigheid." in text(again)
    assert AuditEvent.objects.filter(action="local_administrator.remove").count() == 2


@pytest.mark.parametrize(
    ("selection", "message"),
    [
        ("none", "Selecteer minstens één Co-Lokale Beheerder om te verwijderen."),
        ("lb", "De Lokale Beheerder kan niet verwijderd worden."),
        ("foreign", "Deze gebruiker is geen Co-Lokale Beheerder van deze hoedanigheid."),
        ("junk", "Deze gebruiker is geen Co-Lokale Beheerder van deze hoedanigheid."),
    ],
)
def test_a_bad_selection_is_refused_on_the_list(client, world, selection, message):
    main = world.main
    co_lbs(main.activation, 1)
    foreign = LocalAdministratorFactory(activation=world.outsider.activation, kind=CO_LB)
    data = {
        "none": {},
        "lb": {"administrator": [current(main.activation).get(kind=LB).pk]},
        "foreign": {"administrator": [foreign.pk]},
        "junk": {"administrator": ["x"]},
    }[selection]
    client.force_login(main.htb)
    response = client.post(url(main.activation, "managers-remove"), data, follow=True)
    assert response.status_code == 200
    assert message in text(response)
    assert current(main.activation).count() == 2 and foreign.ended_at is None


def test_a_tampered_selection_goes_back_to_the_list(client, world):
    main = world.main
    co_lb = co_lbs(main.activation, 1)[0]
    client.force_login(main.htb)
    location = client.post(url(main.activation, "managers-remove"), {"administrator": [co_lb.pk]})["Location"]
    forged = location[:-3] + ("abc" if not location.endswith("abc") else "xyz")
    response = client.post(forged, follow=True)
    assert "Deze aanvraag is verlopen of ongeldig. Begin opnieuw." in text(response)
    assert current(main.activation).filter(pk=co_lb.pk).exists()


def test_the_lb_is_never_removed_only_replaced(world):
    main = world.main
    lb = current(main.activation).get(kind=LB)
    with pytest.raises(ServiceError, match="kan niet verwijderd worden"):
        services.local_administrator_remove(actor=main.htb, administrator=lb)
    assert current(main.activation).filter(pk=lb.pk).exists()


def test_removing_twice_is_harmless(world):
    main = world.main
    co_lb = co_lbs(main.activation, 1)[0]
    services.local_administrator_remove(actor=main.co_htb, administrator=co_lb)
    services.local_administrator_remove(actor=main.co_htb, administrator=co_lb)
    assert AuditEvent.objects.filter(action="local_administrator.remove").count() == 1
