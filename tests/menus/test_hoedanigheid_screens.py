"""The hoedanigheid level's screens behind the menu: "De details van de hoedanigheid raadplegen of
wijzigen" (the e-mail), "Beheer van de hoedanigheden" and "Beheer van de toestemmingen"."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accessportal.models import AuditEvent
from accessportal.services import ServiceError
from administrators.models import HoedanigheidActivation
from administrators.services import hoedanigheid_email_update
from enterprises import services as enterprises
from subdivisions import services as subdivisions

pytestmark = pytest.mark.django_db


def details_url(activation) -> str:
    return f"/toegangsbeheer/hoedanigheden/{activation.pk}/details/"


def test_details_show_the_manuals_words_and_the_lb_changes_the_email(client, world):
    activation = world.main.activation
    client.force_login(world.main.tb)
    page = client.get(details_url(activation)).text
    assert "<h1>De details van de hoedanigheid raadplegen of wijzigen</h1>" in page
    for label in ("Benaming", "Ondernemingsnummer", "Creatiedatum", "E-mailadres", "Opslaan"):
        assert label in page
    done = client.post(details_url(activation), {"email": "  zorg@hoofdzorg.be "})
    assert done.status_code == 302 and done["Location"] == details_url(activation)
    activation.refresh_from_db()
    assert activation.email == "zorg@hoofdzorg.be"
    assert "Het e-mailadres van de hoedanigheid werd opgeslagen." in client.get(done["Location"]).text
    event = AuditEvent.objects.get(action="hoedanigheid.email_update")
    assert event.actor == world.main.tb and event.after == {"email": "zorg@hoofdzorg.be"}
    assert event.enterprise_kbo == world.main.enterprise.kbo


@pytest.mark.parametrize(
    "email, message",
    [
        ("", "Geef het e-mailadres van de hoedanigheid in."),
        ("geen-adres", "Geef een geldig e-mailadres in, bv. naam@voorbeeld.be."),
        ("a@b.be, c@d.be", "Geef een geldig e-mailadres in, bv. naam@voorbeeld.be."),
        ("<script>@x.be", "Geef een geldig e-mailadres in, bv. naam@voorbeeld.be."),
        ("x" * 250 + "@a.be", "niet meer dan 254 tekens"),
    ],
)
def test_a_bad_email_gets_a_dutch_message_next_to_the_field_and_changes_nothing(
    client, world, email, message
):
    activation = world.main.activation
    before = activation.email
    client.force_login(world.main.htb)
    response = client.post(details_url(activation), {"email": email})
    assert response.status_code == 200
    assert 'class="field field-error"' in response.text and message in response.text
    assert "<script>" not in response.text
    activation.refresh_from_db()
    assert activation.email == before
    assert not AuditEvent.objects.filter(action="hoedanigheid.email_update").exists()


def test_the_service_refuses_someone_who_does_not_manage_the_hoedanigheid(world):
    for outsider in (world.main.sb, world.main.user_person, world.outsider.htb):
        with pytest.raises(ServiceError):
            hoedanigheid_email_update(actor=outsider, activation=world.main.activation, email="x@y.be")
    assert HoedanigheidActivation.objects.get(pk=world.main.activation.pk).email != "x@y.be"


def test_another_enterprises_hoedanigheid_answers_404_and_a_post_changes_nothing(client, world):
    client.force_login(world.outsider.tb)
    response = client.post(details_url(world.main.activation), {"email": "kaper@x.be"})
    assert response.status_code == 404
    world.main.activation.refresh_from_db()
    assert world.main.activation.email != "kaper@x.be"


def test_beheer_van_de_hoedanigheden_lists_what_the_person_manages(client, world, catalogue):
    main = world.main
    jeugdhulp = catalogue["hoedanigheden"]["jeugdhulp"]
    from administrators.services import hoedanigheid_activate

    other = hoedanigheid_activate(actor=main.htb, enterprise=main.enterprise, hoedanigheid=jeugdhulp)
    url = f"/toegangsbeheer/hoedanigheden/{main.activation.pk}/hoedanigheden/"
    client.force_login(main.htb)
    page = client.get(url).text
    assert "<h1>Beheer van de hoedanigheden</h1>" in page
    assert "eHealth Gezondheidszorg" in page and "Jeugdhulp" in page
    assert main.tb.last_name in page  # the LB of eHealth Gezondheidszorg
    assert "de Hoofdtoegangsbeheerder" in page  # Jeugdhulp has no LB yet
    assert "Een hoedanigheid activeren" in page
    client.force_login(main.tb)  # the LB of one hoedanigheid sees that one only
    page = client.get(url).text
    assert f"/toegangsbeheer/hoedanigheden/{other.pk}/" not in page
    assert "Een hoedanigheid activeren" not in page


def test_beheer_van_de_toestemmingen_shows_each_subafdelings_applications(client, world, catalogue):
    main = world.main
    client.force_login(main.tb)
    page = client.get(f"/toegangsbeheer/hoedanigheden/{main.activation.pk}/toestemmingen/").text
    assert "<h1>Beheer van de toestemmingen</h1>" in page
    row = page[page.index(main.subafdeling.name) :]
    row = row[: row.index("</tr>")]
    assert "E-loket Departement Zorg" in row and "Vlaams Infrastructuurfonds" in row
    assert f"/toegangsbeheer/subafdelingen/{main.subafdeling.pk}/#autorisaties" in row
    assert '<td data-label="Status">Actief</td>' in row
    assert world.outsider.subafdeling.name not in page


def test_beheer_van_de_toestemmingen_runs_the_same_queries_for_many_subafdelingen(client, world, catalogue):
    main = world.main
    gz = catalogue["types"]["gezondheidszorg"]
    apps = catalogue["applications"]

    def add(count, start):
        for number in range(start, start + count):
            facility = enterprises.facility_register(
                enterprise=main.enterprise,
                hco_number=str(900000 + number),
                name=f"VOORZIENING {number}",
                listings={gz: f"VOORZIENING {number}"},
            )
            subdivisions.subafdeling_activate(
                actor=main.tb,
                activation=main.activation,
                facility=facility,
                subdivision_type=gz,
                email=f"v{number}@example.be",
                applications=[apps["vipa"]],
            )

    client.force_login(main.tb)
    url = f"/toegangsbeheer/hoedanigheden/{main.activation.pk}/toestemmingen/"

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    add(2, 0)
    few = count()
    add(25, 10)
    assert count() == few <= 10
