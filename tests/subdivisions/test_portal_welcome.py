"""The portal's front door: the Werkgever choice and the welcome page (manual 3.3, 3.5.1, ch. 4 step 1)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accessportal import clock
from accessportal.fragments import fragments_clear
from accessportal.identifiers import insz_compact
from administrators.models import LocalAdministrator
from identity.models import Person
from subdivisions.models import Subafdeling
from subdivisions.selectors import portal_capacities

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    call_command("seed_demo")


def person(insz):
    return Person.objects.get(insz=insz_compact(insz))


def welcome(client, who, **params):
    client.force_login(who)
    assert client.post("/toegangsbeheer/", {"quality": "werkgever"})["Location"] == "/toegangsbeheer/onthaal/"
    return client.get("/toegangsbeheer/onthaal/", params).text


def test_werkgever_is_chosen_once_per_session(client, demo):
    client.force_login(person("79.02.28-135.19"))
    assert client.get("/toegangsbeheer/onthaal/")["Location"] == "/toegangsbeheer/"
    assert "Werkgever" in client.get("/toegangsbeheer/").text
    client.post("/toegangsbeheer/", {"quality": "werkgever"})
    assert client.get("/toegangsbeheer/onthaal/").status_code == 200


def test_jan_sees_his_enterprise_hoedanigheden_and_subafdelingen(client, demo):
    page = welcome(client, person("79.02.28-135.19"))
    assert "Welkom De heer Jan Claes, u bevindt zich op de onthaalpagina van de toepassing" in page
    assert "Kies de onderneming of de organisatie waarvoor u wenst te werken in deze toepassing." in page
    assert (
        "Benaming: VZW ST BARBARA RUST EN VERZORGINGSTEHUIS; Ondernemingsnummer: 422.152.314 "
        "(Verantwoordelijke Toegangen Entiteit)"
    ) in page
    assert "Hoedanigheid: eHealth Gezondheidszorg; Ondernemingsnummer: 422.152.314 (Lokale Beheerder)" in page
    assert (
        "Subafdeling: Gezondheidszorg: T SUSTERHUYIS (4085); HCO-nummer: 4085 (Subafdelingsbeheerder)" in page
    )
    assert "Subafdeling: Thuiszorg: JACOBUSHUIS; HCO-nummer: 7166 (Subafdelingsbeheerder)" in page


def test_nina_sees_only_residentiele_zorginstelling(client, demo):
    page = welcome(client, person("93.07.17-078.56"))
    assert "Welkom Mevrouw Nina Peeters" in page
    assert (
        "Hoedanigheid: Residentiële zorginstelling; Ondernemingsnummer: 422.152.314 (Lokale Beheerder)"
        in page
    )
    assert (
        "Subafdeling: Residentiële zorginstelling: SINT-BARBARA-HERSELT (Centrum voor Kortverblijf, "
        "Oriënterend kortverblijf); HCO-nummer: 19555 (Subafdelingsbeheerder)"
    ) in page
    assert "eHealth Gezondheidszorg" not in page
    assert "Verantwoordelijke Toegangen Entiteit" not in page
    assert "T SUSTERHUYIS" not in page


def test_a_person_without_capacities_is_told_what_to_do(client, demo):
    page = welcome(client, person("02.04.15-022.15"))
    assert "U bent voor geen enkele onderneming of organisatie geregistreerd." in page


def test_choosing_another_enterprise(client, world):
    from datetime import date

    from administrators import services
    from enterprises import services as enterprises

    enterprises.employment_add(
        enterprise=world.outsider.enterprise, person=world.main.htb, start_date=date(2020, 1, 1)
    )
    services.co_htb_appoint(
        actor=world.outsider.htb, enterprise=world.outsider.enterprise, person=world.main.htb
    )
    page = welcome(client, world.main.htb, onderneming=world.outsider.enterprise.kbo)
    assert "(Co-Verantwoordelijke Toegangen Entiteit)" in page
    assert f"Benaming: {world.outsider.enterprise.name}" in page


def test_capacities_take_the_same_queries_for_small_and_large_enterprises(demo, world, catalogue):
    from enterprises import services as enterprises
    from subdivisions import services as subdivisions
    from tests.factories import FacilityFactory, FacilityListingFactory

    jan = person("79.02.28-135.19")
    with CaptureQueriesContext(connection) as small:
        portal_capacities(jan)
    barbara = jan.legal_mandates.get().enterprise
    ehealth = barbara.activations.get(hoedanigheid__code="ehealth-gezondheidszorg")
    gz = catalogue["types"]["gezondheidszorg"]
    for _ in range(20):
        facility = FacilityFactory(enterprise=barbara)
        FacilityListingFactory(facility=facility, subdivision_type=gz)
        subdivisions.subafdeling_activate(
            actor=jan,
            activation=ehealth,
            facility=facility,
            subdivision_type=gz,
            email="x@y.be",
            applications=[],
        )
    with CaptureQueriesContext(connection) as large:
        capacities = portal_capacities(jan)
    assert len(large) == len(small) <= 3  # the appointments, the hoedanigheden, the subafdelingen
    assert sum(len(h.subafdelingen) for c in capacities for h in c.hoedanigheden) == 26
    assert enterprises  # the services module above builds through the real rules


def _reached(person) -> tuple[set, set]:
    capacities = portal_capacities(person)
    activations = {h.activation.pk for c in capacities for h in c.hoedanigheden if h.manages}
    subafdelingen = {s.pk for c in capacities for h in c.hoedanigheden for s in h.subafdelingen}
    return activations, subafdelingen


def test_the_welcome_page_reaches_what_the_permissions_allow(world):
    """The capacities snapshot (one statement) gives the same hoedanigheden and subafdelingen as the
    permission reads every other screen uses, for every kind of appointment and for nobody."""
    from administrators.permissions import activations_managed_by
    from subdivisions.permissions import subafdelingen_managed_by

    for side in (world.main, world.outsider):
        for who in (side.htb, side.co_htb, side.tb, side.sb, side.user_person, side.employee):
            assert _reached(who) == (
                set(activations_managed_by(who).values_list("pk", flat=True)),
                set(subafdelingen_managed_by(who).values_list("pk", flat=True)),
            ), who
    assert _reached(world.nobody) == (set(), set())


def test_a_removed_co_htb_loses_the_welcome_page_at_the_next_request(client, world):
    from administrators import services as administrators
    from administrators.models import CoHtbAppointment

    main = world.main
    assert main.activation.hoedanigheid.name in welcome(client, main.co_htb)
    appointment = CoHtbAppointment.objects.current().get(person=main.co_htb, enterprise=main.enterprise)
    administrators.co_htb_remove(actor=main.htb, appointment=appointment)
    assert _reached(main.co_htb) == (set(), set())
    page = client.get("/toegangsbeheer/onthaal/").text
    assert main.subafdeling.name not in page and main.enterprise.name not in page


def test_the_kept_links_show_a_change_at_the_next_request(client, world):
    """The welcome page's links are kept per process under everything they show (CapacityLinks): a
    subafdeling renamed, a hoedanigheid's manager removed or the HTB's role changed is a new key, and
    what a page shows after each change is what a page rendered afresh shows."""
    main = world.main

    def page(who) -> str:
        text = welcome(client, who)
        return text[text.index("<main") : text.index("</main>")]

    def fresh(who) -> str:
        fragments_clear()
        return page(who)

    htb_first = page(main.htb)
    assert main.subafdeling.name in htb_first and fresh(main.htb) == htb_first
    Subafdeling.objects.filter(pk=main.subafdeling.pk).update(name="Hernoemde afdeling")
    renamed = page(main.htb)
    assert "Hernoemde afdeling" in renamed and main.subafdeling.name not in renamed
    assert renamed == fresh(main.htb)
    tb_page = page(main.tb)
    assert "(Lokale Beheerder)</a>" in tb_page
    LocalAdministrator.objects.filter(person=main.tb).update(ended_at=clock.now())
    gone = page(main.tb)
    assert "(Lokale Beheerder)</a>" not in gone and gone == fresh(main.tb)
