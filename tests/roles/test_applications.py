"""The simulated applications (manual 2.2): their public pages, the sign-in through CSAM, the choice of
facility, the start page, the refusal with its diagnosis, and the audit of every attempt."""

from datetime import date

import pytest

from accessportal.models import AuditEvent
from accessportal.propagation import propagations_apply_due
from enterprises import services as enterprises
from roles import services as roles
from roles.models import SimulatedApplication
from subdivisions import services as subdivisions
from tests.labels import missing_in_order
from users import services as users

pytestmark = pytest.mark.django_db

BELRAI_ROLE = "BelRAI VL - zorgverlener met certificaat"


def work_url(slug: str, query: str = "") -> str:
    return f"/toepassingen/{slug}/aan-de-slag/" + (f"?{query}" if query else "")


def in_effect(frozen_clock) -> None:
    """Let the propagation delay pass: saved rights and roles reach the applications."""
    frozen_clock.advance(minutes=20)
    propagations_apply_due()


def second_facility(world, catalogue, hco: str = "800003"):
    """A second facility of the main enterprise, activated as a subafdeling, with the main user on it."""
    gz = catalogue["types"]["gezondheidszorg"]
    eloket = catalogue["applications"]["e-loket-departement-zorg"]
    facility = enterprises.facility_register(
        enterprise=world.main.enterprise, hco_number=hco, name="WZC DE TWEEDE", listings={gz: "WZC DE TWEEDE"}
    )
    subafdeling = subdivisions.subafdeling_activate(
        actor=world.main.tb,
        activation=world.main.activation,
        facility=facility,
        subdivision_type=gz,
        email="tweede@example.be",
        applications=[eloket],
        administrator=world.main.sb,
    )
    users.user_add(
        actor=world.main.sb,
        subafdeling=subafdeling,
        person=world.main.user_person,
        email=world.main.user_person.email,
        applications=[eloket],
    )
    return facility


def attempts():
    return list(
        AuditEvent.objects.filter(action__in=["application.sign_in", "application.refused"]).order_by("pk")
    )


# The public pages


@pytest.mark.parametrize(
    ("slug", "name", "screen"),
    [
        ("evipa", "eVIPA", "Wat kunt u in eVIPA doen?"),
        ("eloket", "E-loket Departement Zorg", "Via het E-loket"),
        ("belrai", "BelRAI", "Beoordelingsinstrumenten"),
    ],
)
def test_each_application_has_a_public_page_with_its_own_look(client, catalogue, slug, name, screen):
    response = client.get(f"/toepassingen/{slug}/")
    assert response.status_code == 200
    page = response.text
    assert f'class="application app-{slug}"' in page
    assert f"<title>{name}</title>" in page
    assert f"Welkom bij {name}" in page
    assert screen in page
    assert f'<a class="app-button" href="{work_url(slug)}">Aanmelden</a>' in page
    assert "Toevoeging van de simulator" in page
    assert "/static/css/applications.css" in page
    assert 'style="' not in page and "<script>" not in page  # the strict CSP holds


def test_the_public_page_says_which_right_and_roles_the_application_needs(client, catalogue):
    belrai = client.get("/toepassingen/belrai/").text
    assert "Het webgebaseerde beoordelingsinstrument voor zorgnoden" in belrai
    assert "U bent gebruiker van die subafdeling en hebt het recht op E-loket Departement Zorg." in belrai
    assert "U hebt een van de rollen hieronder." in belrai and f"<li>{BELRAI_ROLE}</li>" in belrai
    evipa = client.get("/toepassingen/evipa/").text
    assert "het recht op Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden" in evipa
    assert "U hebt een van de rollen hieronder." not in evipa and "geen: het recht volstaat." in evipa
    assert "Vlaanderen" in evipa and "is zorg" in evipa


def test_an_application_added_in_the_admin_gets_the_plain_look(client, catalogue):
    SimulatedApplication.objects.create(
        slug="vesta", name="VESTA", application=catalogue["applications"]["e-loket-departement-zorg"]
    )
    page = client.get("/toepassingen/vesta/").text
    assert 'class="application app-plain"' in page and "Welkom bij VESTA" in page


def test_an_unknown_application_is_not_found(client, world):
    assert client.get("/toepassingen/onbekend/").status_code == 404
    client.force_login(world.main.user_person)
    assert client.get(work_url("onbekend")).status_code == 404


# Signing in


def test_aanmelden_goes_through_the_csam_sign_in_and_back(client, world):
    response = client.get(work_url("eloket"))
    assert response.status_code == 302
    assert response["Location"] == "/aanmelden/?next=/toepassingen/eloket/aan-de-slag/"
    sign_in = client.get(response["Location"]).text
    assert "/aanmelden/eid/?next=/toepassingen/eloket/aan-de-slag/" in sign_in
    response = client.post(
        "/aanmelden/eid/?next=/toepassingen/eloket/aan-de-slag/",
        {"insz": world.main.user_person.insz, "pin": "1234"},
    )
    assert response.status_code == 302 and response["Location"] == work_url("eloket")
    assert f"Welkom {world.main.user_person.full_name}" in client.get(work_url("eloket")).text


def test_one_facility_is_decided_at_once_and_a_pending_role_says_from_when(
    client, frozen_clock, world, catalogue
):
    roles.role_assign(
        actor=world.main.sb,
        user=world.main.user,
        role=catalogue["roles"][BELRAI_ROLE],
        start_date=date(2026, 3, 2),
    )
    client.force_login(world.main.user_person)
    response = client.get(work_url("belrai"))
    assert response.status_code == 403
    page = response.text
    assert (
        "Uw toegang tot BelRAI is opgeslagen maar nog niet van kracht. Probeer opnieuw vanaf 10:20." in page
    )
    assert "Voor welke voorziening wenst u te werken?" not in page
    assert "Voorziening: VZW HOOFDZORG ZORG (HCO-nummer 800001)" in page
    assert 'class="diagnosis diagnosis-pending"' in page
    assert "wordt van kracht om 10:20" in page
    assert f'href="{work_url("belrai", "hco=800001")}">Opnieuw proberen</a>' in page


def test_once_in_effect_the_start_page_welcomes_the_person(client, frozen_clock, world):
    in_effect(frozen_clock)
    person = world.main.user_person
    client.force_login(person)
    response = client.get(work_url("eloket"))
    assert response.status_code == 200
    page = response.text
    assert f"Welkom {person.full_name}" in page
    assert "U werkt voor VZW HOOFDZORG ZORG (HCO-nummer 800001)" in page
    assert "Mijn aanvragen" in page
    assert "Uw rollen:" not in page  # the E-loket needs no role
    assert "Andere voorziening kiezen" not in page  # only one facility
    assert 'href="/afmelden/">Afmelden</a>' in page


def test_the_start_page_shows_the_roles_in_effect(client, frozen_clock, world, catalogue):
    roles.role_assign(
        actor=world.main.sb,
        user=world.main.user,
        role=catalogue["roles"][BELRAI_ROLE],
        start_date=date(2026, 3, 2),
    )
    in_effect(frozen_clock)
    client.force_login(world.main.user_person)
    response = client.get(work_url("belrai"))
    assert response.status_code == 200
    page = response.text
    assert "Uw rollen:" in page and f"<li>{BELRAI_ROLE}</li>" in page
    assert "Mijn cliënten" in page and "Nieuwe beoordeling" in page


def test_evipa_start_page_lists_the_dossiers(client, frozen_clock, world, catalogue):
    users.user_update(
        actor=world.main.sb,
        user=world.main.user,
        email=world.main.user.email,
        local_email="",
        language="nl",
        applications=[
            catalogue["applications"]["e-loket-departement-zorg"],
            catalogue["applications"]["vipa"],
        ],
    )
    in_effect(frozen_clock)
    client.force_login(world.main.user_person)
    page = client.get(work_url("evipa")).text
    assert "Mijn dossiers" in page and "VIPA-2026-0137" in page


def test_a_missing_role_is_refused_with_the_diagnosis_and_who_can_fix_it(client, frozen_clock, world):
    in_effect(frozen_clock)
    client.force_login(world.main.user_person)
    response = client.get(work_url("belrai"))
    assert response.status_code == 403
    page = response.text
    assert "U hebt geen toegang tot BelRAI." in page
    assert 'class="diagnosis diagnosis-refused"' in page
    assert "heeft geen rol voor BelRAI" in page
    assert f"{world.main.sb.full_name} (Subafdelingsbeheerder)" in page
    assert 'href="/toegangsbeheer/help/#h-3-6-2">Handleiding 3.6.2</a>' in page


def test_a_missing_right_is_refused(client, frozen_clock, world):
    in_effect(frozen_clock)
    client.force_login(world.main.user_person)
    page = client.get(work_url("evipa")).text
    assert "U hebt geen toegang tot eVIPA." in page
    assert "heeft geen recht op Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden" in page


def test_a_blocked_subafdeling_is_refused(client, frozen_clock, world):
    in_effect(frozen_clock)
    subdivisions.subafdeling_block(actor=world.main.tb, subafdeling=world.main.subafdeling)
    client.force_login(world.main.user_person)
    response = client.get(work_url("eloket"))
    assert response.status_code == 403
    assert "U hebt geen toegang tot E-loket Departement Zorg." in response.text
    assert "is geblokkeerd" in response.text
    assert attempts()[-1].after == {"hco": "800001", "status": "REFUSED", "broken": "subafdeling"}


def test_a_person_who_is_a_user_nowhere_is_told_who_can_add_them(client, world):
    client.force_login(world.main.employee)
    response = client.get(work_url("evipa"))
    assert response.status_code == 403
    page = response.text
    assert "U hebt geen toegang tot eVIPA." in page
    assert "is in geen enkele subafdeling als gebruiker geregistreerd" in page
    assert f"{world.main.htb.full_name} (Hoofdtoegangsbeheerder)" in page
    assert "Voorziening:" not in page


# Several facilities


def test_several_facilities_ask_which_one_first(client, frozen_clock, world, catalogue):
    second_facility(world, catalogue)
    client.force_login(world.main.user_person)
    response = client.get(work_url("eloket"))
    assert response.status_code == 200
    page = response.text
    assert "Voor welke voorziening wenst u te werken?" in page
    assert 'method="get"' in page and 'type="radio" name="hco" value="800001"' in page
    assert "VZW HOOFDZORG ZORG (HCO-nummer 800001)" in page and "WZC DE TWEEDE (HCO-nummer 800003)" in page
    assert ">Verder</button>" in page
    assert "Er is een probleem" not in page
    assert attempts() == []  # no decision yet


def test_the_chosen_facility_is_decided_with_a_way_back_to_the_choice(client, frozen_clock, world, catalogue):
    second_facility(world, catalogue)
    in_effect(frozen_clock)
    client.force_login(world.main.user_person)
    response = client.get(work_url("eloket", "hco=800003&verder=1"))
    assert response.status_code == 200
    assert "U werkt voor WZC DE TWEEDE (HCO-nummer 800003)" in response.text
    assert f'href="{work_url("eloket")}">Andere voorziening kiezen</a>' in response.text


def test_choosing_nothing_asks_again(client, world, catalogue):
    second_facility(world, catalogue)
    client.force_login(world.main.user_person)
    response = client.get(work_url("eloket", "verder=1"))
    assert response.status_code == 200
    assert "Er is een probleem" in response.text
    assert "Kies de voorziening waarvoor u wenst te werken." in response.text


@pytest.mark.parametrize("hco", ["800002", "999999", "abc", ""])
def test_a_facility_the_person_is_not_registered_for_is_never_decided(client, world, catalogue, hco):
    second_facility(world, catalogue)
    client.force_login(world.main.user_person)
    response = client.get(work_url("eloket", f"hco={hco}"))
    assert response.status_code == 200
    page = response.text
    assert "Voor welke voorziening wenst u te werken?" in page and "Er is een probleem" in page
    assert "VZW BUITENSTAANDER" not in page  # the outsider's facility (800002) is not named
    assert "diagnosis" not in page
    assert attempts() == []


def test_a_forged_facility_with_a_single_registration_shows_the_choice_with_an_error(client, world):
    client.force_login(world.main.user_person)
    response = client.get(work_url("eloket", "hco=800002"))
    assert response.status_code == 200
    page = response.text
    assert "U bent niet als gebruiker geregistreerd voor die voorziening." in page
    assert "VZW HOOFDZORG ZORG (HCO-nummer 800001)" in page and "VZW BUITENSTAANDER" not in page
    assert attempts() == []


# The audit trail


def test_every_attempt_is_audited_in_its_own_event(client, frozen_clock, world, catalogue):
    person = world.main.user_person
    client.force_login(person)
    roles.role_assign(
        actor=world.main.sb,
        user=world.main.user,
        role=catalogue["roles"][BELRAI_ROLE],
        start_date=date(2026, 3, 2),
    )
    client.get(work_url("belrai"))
    client.get(work_url("eloket"))
    client.get(work_url("evipa"))
    client.force_login(world.nobody)
    client.get(work_url("evipa"))
    pending, allowed, refused, nowhere = attempts()
    belrai = SimulatedApplication.objects.get(slug="belrai")
    assert pending.action == "application.refused" and pending.actor == person
    assert (pending.target_type, pending.target_id) == ("roles.SimulatedApplication", str(belrai.pk))
    assert pending.enterprise_kbo == world.main.enterprise.kbo
    assert pending.after == {"hco": "800001", "status": "PENDING", "broken": "role"}
    assert allowed.action == "application.sign_in" and allowed.target_repr == "E-loket Departement Zorg"
    assert allowed.after == {"hco": "800001", "status": "ALLOWED", "broken": None}
    assert refused.action == "application.refused" and refused.target_repr == "eVIPA"
    assert refused.after == {"hco": "800001", "status": "REFUSED", "broken": "right"}
    assert nowhere.actor == world.nobody and nowhere.enterprise_kbo == ""
    assert nowhere.after == {"hco": None, "status": "REFUSED", "broken": "user"}


def test_the_work_page_runs_a_bounded_number_of_queries(
    client, frozen_clock, world, catalogue, django_assert_max_num_queries
):
    in_effect(frozen_clock)
    client.force_login(world.main.user_person)
    client.get(work_url("belrai"))  # warm the session
    with django_assert_max_num_queries(18):  # 16, and the hoedanigheden with their subdivisies it needs
        assert client.get(work_url("belrai")).status_code == 403


# What the application needs (manual 2.1.2: the application itself tells which hoedanigheid)


NEEDS_EVIPA = [
    "Wat eVIPA nodig heeft",
    "Hoedanigheid en subdivisie",
    "eHealth Gezondheidszorg",
    "Gezondheidszorg",
    "Thuiszorg",
    "Jeugdhulp",
    "Residentiële zorginstelling",
    "Recht (beveiligde toepassing)",
    "Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden",
    "Rol",
    "geen: het recht volstaat.",
]


def in_order(page: str, words: list[str]) -> bool:
    return missing_in_order(page, words) is None


def test_the_public_page_names_hoedanigheid_subdivisie_right_and_roles(client, catalogue):
    assert in_order(client.get("/toepassingen/evipa/").text, NEEDS_EVIPA)
    belrai = client.get("/toepassingen/belrai/").text
    assert in_order(
        belrai, ["Wat BelRAI nodig heeft", "E-loket Departement Zorg", "een van deze rollen:", BELRAI_ROLE]
    )


def test_the_refusal_names_what_the_application_needs(client, world):
    client.force_login(world.main.user_person)  # the E-loket right, not the VIPA one
    response = client.get(work_url("evipa"))
    assert response.status_code == 403
    assert in_order(response.text, ["U hebt geen toegang tot eVIPA.", *NEEDS_EVIPA])


def test_the_start_page_says_through_which_hoedanigheid_subdivisie_and_right_one_got_in(client, world):
    client.force_login(world.main.user_person)
    page = client.get(work_url("eloket")).text
    assert (
        "U hebt toegang via de hoedanigheid eHealth Gezondheidszorg, de subdivisie Gezondheidszorg en het "
        "recht op E-loket Departement Zorg." in page
    )
    assert "Wat E-loket Departement Zorg nodig heeft" in page
