"""Gebruikers - Subafdelingen, Een subafdeling toevoegen, and a subafdeling's own pages (manual 3.5.1,
3.6.1, chapter 4 steps 2-9; issue 5 items 1, 2, 3 and 5)."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accessportal.fragments import fragments_clear
from accessportal.http import CountedPaginator
from accessportal.models import AuditEvent
from accessportal.rows import PagedIds
from enterprises import services as enterprises
from roles.models import RoleAssignment
from subdivisions import selectors
from subdivisions.models import Subafdeling, SubafdelingAdministrator, SubafdelingStatus
from tests.factories import (
    ApplicationRightFactory,
    FacilityFactory,
    PersonFactory,
    RoleAssignmentFactory,
    RoleFactory,
    SubafdelingFactory,
    SubafdelingUserFactory,
)
from tests.matrix import LEVELS, LOGIN
from users.models import ApplicationRight

pytestmark = pytest.mark.django_db


def list_url(world):
    return reverse("subdivisions:list", kwargs={"hoedanigheid_id": world.main.activation.pk})


def add_url(world, name="subdivisions:add"):
    return reverse(name, kwargs={"hoedanigheid_id": world.main.activation.pk})


def detail_url(subafdeling, name="subdivisions:detail"):
    return reverse(name, kwargs={"subafdeling_id": subafdeling.pk})


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def terloo(world, catalogue):
    gz = catalogue["types"]["gezondheidszorg"]
    return enterprises.facility_register(
        enterprise=world.main.enterprise,
        hco_number="201870",
        name="HUIZE TERLOO",
        listings={gz: "HUIZE TERLOO"},
    )


def many_subafdelingen(world, catalogue, count, start=700000, **extra):
    gz = catalogue["types"]["gezondheidszorg"]
    return [
        SubafdelingFactory(
            activation=world.main.activation,
            subdivision_type=gz,
            facility=FacilityFactory(enterprise=world.main.enterprise, hco_number=str(start + n)),
            name=f"VOORZIENING {n:03d}",
            **extra,
        )
        for n in range(count)
    ]


# --- The list ---------------------------------------------------------------------------------


def test_list_shows_tabs_rows_and_the_add_choice(client, world):
    client.force_login(world.main.tb)
    response = client.get(list_url(world))
    page = response.text
    assert response.status_code == 200
    assert reverse("administrators:managers", kwargs={"hoedanigheid_id": world.main.activation.pk}) in page
    assert "De lijst van de subafdelingen tonen op basis van de volgende criteria" in page
    assert "Lijst van de subafdelingen" in page
    for label in (
        "Naam",
        "Identificatie",
        "Type",
        "Actie",
        "Uitvoeren",
        "Een subafdeling toevoegen",
        "Volgende",
    ):
        assert label in page
    assert "De subafdeling blokkeren" in page and "De subafdeling deblokkeren" in page
    assert world.main.subafdeling.name in page and "800001" in page
    assert world.outsider.subafdeling.name not in page
    assert detail_url(world.main.subafdeling) in page and "Bewerken" in page
    assert '<option value="gezondheidszorg"' in page


def test_combined_filters_and_paging(client, world, catalogue):
    many_subafdelingen(world, catalogue, 25)
    client.force_login(world.main.htb)
    page = client.get(list_url(world)).text
    assert "26 items gevonden." in page and "VOORZIENING 019" in page and "VOORZIENING 020" not in page
    assert "Eind" in page
    second = client.get(list_url(world), {"pagina": 2}).text
    assert "VOORZIENING 020" in second and "VOORZIENING 000" not in second and "Begin" in second
    gz = catalogue["types"]["gezondheidszorg"]
    filtered = client.get(
        list_url(world), {"naam": "voorziening 01", "identificatie": "70001", "type": gz.pk}
    )
    assert "10 items gevonden." in filtered.text
    none = client.get(list_url(world), {"naam": "voorziening", "identificatie": "800001"}).text
    assert "Geen subafdelingen gevonden voor deze criteria." in none
    bad = client.get(list_url(world), {"identificatie": "abc"})
    assert bad.status_code == 200
    assert "Een identificatie (HCO-nummer) bestaat enkel uit cijfers." in bad.text


def test_the_whole_lists_pages_are_the_orms_with_their_count(world, catalogue):
    """subafdeling_ids without a criterion (a statement compiled once, counting with its page) gives
    every page the ids and the count the ORM gives it; a page past the end shows the last one."""
    many_subafdelingen(world, catalogue, 25)
    activation = world.main.activation
    kept = selectors.subafdeling_ids(activation, {"naam": "", "identificatie": "", "type": None})
    orm = selectors.subafdeling_rows(activation).select_related(None).only("pk")
    assert isinstance(kept, PagedIds)
    for number in (1, 2, 3, "99", "x"):
        kept_page, orm_page = CountedPaginator(kept, 10).get_page(number), Paginator(orm, 10).get_page(number)
        assert (kept_page.number, kept_page.paginator.count) == (orm_page.number, orm_page.paginator.count)
        assert [row.pk for row in kept_page] == [row.pk for row in orm_page]
    assert len(PagedIds(kept.sql.removesuffix(" LIMIT %s OFFSET %s"), activation.pk)) == 26


def test_htmx_returns_only_the_results(client, world):
    client.force_login(world.main.htb)
    page = client.get(list_url(world), headers={"HX-Request": "true"}).text
    assert 'id="subafdelingen"' in page and "Functionaliteiten" not in page


@pytest.mark.parametrize("page", ["list", "detail"])
def test_query_count_does_not_grow_with_the_rows(client, world, catalogue, page):
    def count(n):
        Subafdeling.objects.filter(facility__hco_number__startswith="7").delete()
        many_subafdelingen(world, catalogue, n, start=700000 + 1000 * n)
        url = list_url(world) if page == "list" else detail_url(world.main.subafdeling)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.force_login(world.main.tb)
    small = count(5)
    assert small == count(50)
    assert small <= 12


def test_the_list_reads_the_subdivisies_once(client, world):
    """The criteria's "Type" and "Een subafdeling toevoegen" offer the same subdivisies: one read."""
    client.force_login(world.main.tb)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(list_url(world))
    assert page.status_code == 200 and 'name="type"' in page.text
    assert len([q for q in queries.captured_queries if 'FROM "enterprises_subdivisiontype"' in q["sql"]]) == 1


def test_the_kept_rows_show_a_change_at_the_next_request(client, world):
    """The rows are kept per process under what they show (subdivisions.selectors.ListedSubafdeling):
    a renamed or blocked subafdeling is a new key, and the page shows what a fresh one shows."""
    client.force_login(world.main.tb)

    def rows() -> str:
        page = client.get(list_url(world)).text
        return page[page.index("<tbody>") : page.index("</tbody>")]

    def fresh() -> str:
        fragments_clear()
        return rows()

    assert world.main.subafdeling.name in rows()
    Subafdeling.objects.filter(pk=world.main.subafdeling.pk).update(name="Hernoemde afdeling")
    renamed = rows()
    assert "Hernoemde afdeling</a>" in renamed and renamed == fresh()
    Subafdeling.objects.filter(pk=world.main.subafdeling.pk).update(status=SubafdelingStatus.GEBLOKKEERD)
    blocked = rows()
    assert blocked != renamed and blocked == fresh()


def test_outsiders_and_the_subafdelingsbeheerder_do_not_see_the_list(client, world):
    for person in (
        world.outsider.tb,
        world.outsider.htb,
        world.main.sb,
        world.main.user_person,
        world.nobody,
    ):
        client.force_login(person)
        assert client.get(list_url(world)).status_code == 404
        assert client.get(add_url(world), {"type": "gezondheidszorg"}).status_code == 404


# --- Blocking ---------------------------------------------------------------------------------


def test_block_and_unblock_from_the_list_are_audited_and_keep_everything(client, world):
    subafdeling = world.main.subafdeling
    client.force_login(world.main.co_htb)
    url = add_url(world, "subdivisions:list-status")
    response = client.post(
        url, {"status-subafdeling": subafdeling.pk, "status-actie": "blokkeren"}, follow=True
    )
    assert f"De subafdeling {subafdeling.name} werd geblokkeerd." in messages_of(response)
    assert "Geblokkeerd" in response.text
    subafdeling.refresh_from_db()
    assert subafdeling.status == SubafdelingStatus.GEBLOKKEERD
    assert subafdeling.users.count() == 1 and subafdeling.authorisations.count() == 2
    assert subafdeling.administrators.filter(ended_at__isnull=True).count() == 1
    event = AuditEvent.objects.get(action="subafdeling.block")
    assert event.actor == world.main.co_htb and event.after == {"status": "GEBLOKKEERD"}

    again = client.post(url, {"status-subafdeling": subafdeling.pk, "status-actie": "blokkeren"}, follow=True)
    assert "Deze subafdeling is al geblokkeerd." in messages_of(again)
    assert AuditEvent.objects.filter(action="subafdeling.block").count() == 1

    response = client.post(
        url, {"status-subafdeling": subafdeling.pk, "status-actie": "deblokkeren"}, follow=True
    )
    assert f"De subafdeling {subafdeling.name} werd gedeblokkeerd." in messages_of(response)
    subafdeling.refresh_from_db()
    assert subafdeling.status == SubafdelingStatus.ACTIEF
    assert AuditEvent.objects.filter(action="subafdeling.unblock").count() == 1


def test_block_needs_a_selection_of_this_hoedanigheid(client, world):
    client.force_login(world.main.tb)
    url = add_url(world, "subdivisions:list-status")
    response = client.post(url, {"status-actie": "blokkeren"}, follow=True)
    assert "Selecteer een subafdeling." in messages_of(response)
    other = world.outsider.subafdeling
    response = client.post(url, {"status-subafdeling": other.pk, "status-actie": "blokkeren"}, follow=True)
    assert "Deze subafdeling hoort niet bij deze hoedanigheid." in messages_of(response)
    other.refresh_from_db()
    assert other.status == SubafdelingStatus.ACTIEF


def test_status_page_blocks_for_the_tb_and_only_shows_for_the_subafdelingsbeheerder(client, world):
    subafdeling = world.main.subafdeling
    url = detail_url(subafdeling, "subdivisions:status")
    client.force_login(world.main.sb)
    page = client.get(url).text
    assert "Beheer van de status van de subafdeling" in page and "Actief" in page
    assert "Uitvoeren" not in page
    response = client.post(url, {"actie": "blokkeren"}, follow=True)
    assert "U bent geen toegangsbeheerder van deze hoedanigheid." in messages_of(response)
    subafdeling.refresh_from_db()
    assert subafdeling.status == SubafdelingStatus.ACTIEF

    client.force_login(world.main.tb)
    assert "De subafdeling blokkeren" in client.get(url).text
    response = client.post(url, {"actie": "blokkeren"}, follow=True)
    assert f"De subafdeling {subafdeling.name} werd geblokkeerd." in messages_of(response)
    assert "Geblokkeerd" in response.text and "De subafdeling deblokkeren" in response.text
    client.force_login(world.main.sb)
    assert "Geblokkeerd" in client.get(detail_url(subafdeling)).text


# --- Een subafdeling toevoegen ----------------------------------------------------------------


def start_wizard(client, world, terloo):
    response = client.post(f"{add_url(world)}?type=gezondheidszorg", {"listing": terloo.listings.get().pk})
    assert response.status_code == 302
    return response["Location"]


def test_the_facility_choice_lists_only_facilities_not_yet_active(client, world, terloo, catalogue):
    client.force_login(world.main.htb)
    page = client.get(add_url(world), {"type": "gezondheidszorg"}).text
    assert "Een subafdeling toevoegen van het type Gezondheidszorg" in page
    assert "HUIZE TERLOO (201870)" in page
    assert "800001" not in page  # already a subafdeling of this type
    assert "800002" not in page  # another enterprise's facility
    other = world.outsider.subafdeling.facility.listings.get()
    response = client.post(f"{add_url(world)}?type=gezondheidszorg", {"listing": other.pk})
    assert response.status_code == 200
    assert "Deze voorziening kan niet als subafdeling van dit type toegevoegd worden." in response.text
    response = client.get(add_url(world), {"type": "onbekend"}, follow=True)
    assert "Kies het type van de subafdeling die u wilt toevoegen." in messages_of(response)


def test_a_subdivisie_the_hoedanigheid_does_not_offer_is_refused(client, world, catalogue):
    """The subdivisies are read written out and held by their queryset (subdivision_types_of): a
    chosen one is still checked against the hoedanigheid's own, in the list's criteria as when adding."""
    client.force_login(world.main.htb)
    response = client.get(add_url(world), {"type": "jeugdhulp"}, follow=True)  # Jeugdhulp's, not this one's
    assert "Kies het type van de subafdeling die u wilt toevoegen." in messages_of(response)
    jeugdhulp = catalogue["types"]["jeugdhulp"]
    page = client.get(list_url(world), {"type": jeugdhulp.pk}).text
    assert "Jeugdhulp" not in page and world.main.subafdeling.name in page  # refused, so not applied


def test_add_terloo_managing_it_myself(client, world, terloo, catalogue):
    """Chapter 4 steps 5-9: Huize Terloo with the VIPA authorisation, managed by the HTB himself."""
    luc = world.main.htb
    client.force_login(luc)
    details = start_wizard(client, world, terloo)
    page = client.get(details).text
    assert "Identificatiegegevens van de subafdeling" in page and "201870" in page and "HUIZE TERLOO" in page
    assert "Contactgegevens van de subafdeling" in page and "E-mailadres van de subafdeling *" in page
    assert (
        "* Het e-mailadres van de subafdeling zal gebruikt worden voor eventuele communicatie die verband "
        "houdt met het domein waarop deze subafdeling betrekking heeft, zoals een gerichte "
        "informatiecampagne, ..."
    ) in page
    assert "Ik wil zelf instaan voor het beheer van de subafdeling" in page
    assert "Ik wil een beheerder aanstellen om de subafdeling te beheren" in page

    response = client.post(details, {"email": "", "beheer": "zelf"})
    assert response.status_code == 200 and "Geef het e-mailadres van de subafdeling in." in response.text
    response = client.post(details, {"email": "terloo@broedersvanliefde.be", "beheer": "zelf"})
    applications = response["Location"]
    page = client.get(applications).text
    vipa = catalogue["applications"]["vipa"]
    assert f"<strong>{vipa.name}</strong>" in page and "Vorige" in page and "Opslaan" in page
    response = client.post(applications, {})
    assert response.status_code == 200 and "Selecteer minstens één toepassing." in response.text
    confirm = client.post(applications, {"applications": [vipa.pk]})["Location"]
    page = client.get(confirm).text
    assert "Autorisaties die verbonden zullen worden met de subafdeling" in page
    assert "terloo@broedersvanliefde.be" in page and luc.last_name in page
    for label in ("Titel", "INSZ", "Taalkeuze", "Lokaal e-mailadres", "Bevestigen"):
        assert label in page
    assert vipa.name in page

    response = client.post(confirm, follow=True)
    assert "De subafdeling HUIZE TERLOO van het type Gezondheidszorg werd toegevoegd." in messages_of(
        response
    )
    assert "HUIZE TERLOO" in response.text and "201870" in response.text
    terloo_sub = Subafdeling.objects.get(facility=terloo)
    assert list(terloo_sub.applications.all()) == [vipa]
    assert terloo_sub.email == "terloo@broedersvanliefde.be"
    assert SubafdelingAdministrator.objects.get(subafdeling=terloo_sub).person == luc

    again = client.post(confirm, follow=True)
    assert "Deze voorziening is al als subafdeling van dit type geactiveerd." in messages_of(again)
    assert again.status_code == 200
    assert Subafdeling.objects.filter(facility=terloo).count() == 1


def test_add_with_another_administrator(client, world, terloo, catalogue):
    client.force_login(world.main.tb)
    details = start_wizard(client, world, terloo)
    response = client.post(details, {"email": "t@example.be", "beheer": "beheerder", "insz": ""})
    assert "Geef het INSZ van de subafdelingsbeheerder in." in response.text
    unknown = PersonFactory.build().insz
    response = client.post(details, {"email": "t@example.be", "beheer": "beheerder", "insz": unknown})
    assert response.status_code == 200
    assert "Deze persoon is niet gekend in het rijksregister." in response.text
    employee = world.main.employee
    applications = client.post(
        details, {"email": "t@example.be", "beheer": "beheerder", "insz": employee.insz_display}
    )["Location"]
    # "Vorige" keeps the answers
    assert "t@example.be" in client.get(details).text
    confirm = client.post(applications, {"applications": [catalogue["applications"]["vipa"].pk]})["Location"]
    assert employee.last_name in client.get(confirm).text
    client.post(confirm)
    subafdeling = Subafdeling.objects.get(facility=terloo)
    assert subafdeling.administrators.get().person == employee
    event = AuditEvent.objects.filter(action="subafdeling.activate").latest("pk")
    assert event.actor == world.main.tb and event.after["administrator"] == employee.insz


def test_wizard_steps_refuse_tampered_or_foreign_references(client, world, terloo):
    client.force_login(world.main.htb)
    details = start_wizard(client, world, terloo)
    token = details.split("aanvraag=")[1]
    response = client.get(f"{add_url(world, 'subdivisions:add-details')}?aanvraag={token}x", follow=True)
    assert "Deze aanvraag is verlopen of ongeldig. Begin opnieuw." in messages_of(response)
    confirm = f"{add_url(world, 'subdivisions:add-confirm')}?aanvraag={token}"
    assert client.get(confirm)["Location"] == details  # e-mail not given yet
    client.force_login(world.main.tb)  # another session: the answers are not there
    response = client.get(details, follow=True)
    assert "Deze aanvraag is verlopen of ongeldig. Begin opnieuw." in messages_of(response)


# --- The subafdeling's own pages --------------------------------------------------------------


def test_detail_page_for_the_subafdelingsbeheerder(client, world, catalogue):
    subafdeling = world.main.subafdeling
    client.force_login(world.main.sb)
    page = client.get(detail_url(subafdeling)).text
    assert "De details van de subafdeling raadplegen" in page
    for text in (
        "800001",
        subafdeling.name,
        "Gezondheidszorg",
        subafdeling.email,
        "Actief",
        world.main.sb.last_name,
    ):
        assert text in page
    assert catalogue["applications"]["vipa"].name in page
    assert 'type="checkbox"' not in page
    assert "Beheer subafdeling" in page and "Hoedanigheidsbeheer" not in page
    response = client.post(detail_url(subafdeling), {"applications": []}, follow=True)
    assert "U bent geen toegangsbeheerder van deze hoedanigheid." in messages_of(response)
    assert subafdeling.authorisations.count() == 2


def test_other_subafdelingen_are_invisible(client, world):
    other_sb_sub = SubafdelingFactory(activation=world.main.activation)
    client.force_login(world.main.sb)
    assert client.get(detail_url(other_sb_sub)).status_code == 404
    assert client.get(detail_url(other_sb_sub, "subdivisions:status")).status_code == 404
    client.force_login(world.outsider.tb)
    assert client.get(detail_url(world.main.subafdeling)).status_code == 404
    assert (
        client.post(
            detail_url(world.main.subafdeling, "subdivisions:status"), {"actie": "blokkeren"}
        ).status_code
        == 404
    )


def test_adding_an_authorisation_is_immediate_and_audited(client, world, catalogue):
    apps = catalogue["applications"]
    subafdeling = world.main.subafdeling
    client.force_login(world.main.tb)
    extra = next(
        app
        for app in world.main.activation.hoedanigheid.applications.all()
        if app.code not in ("vipa", "e-loket-departement-zorg")
    )
    response = client.post(
        detail_url(subafdeling),
        {"applications": [apps["vipa"].pk, apps["e-loket-departement-zorg"].pk, extra.pk]},
        follow=True,
    )
    assert "De autorisaties van de subafdeling werden opgeslagen." in messages_of(response)
    assert subafdeling.authorisations.filter(application=extra).exists()
    event = AuditEvent.objects.get(action="subafdeling.authorisations_update")
    assert extra.code in event.after["applications"] and event.after["rights_removed"] == 0


def test_removing_an_authorisation_lists_and_removes_dependent_rights_and_roles(client, world, catalogue):
    apps = catalogue["applications"]
    subafdeling = world.main.subafdeling
    user = world.main.user  # holds the E-loket right
    other = SubafdelingUserFactory(subafdeling=subafdeling)
    ApplicationRightFactory(user=other, application=apps["vipa"])
    role = RoleAssignmentFactory(
        user=user, role=RoleFactory(name="Moduleerder X", application=apps["e-loket-departement-zorg"])
    )
    outsider_right = ApplicationRight.objects.filter(application=apps["e-loket-departement-zorg"]).exclude(
        subafdeling=subafdeling
    )
    outsider_rights = outsider_right.count()
    client.force_login(world.main.htb)
    response = client.post(detail_url(subafdeling), {"applications": [apps["vipa"].pk]})
    confirm = response["Location"]
    assert confirm.startswith(detail_url(subafdeling, "subdivisions:authorisations-confirm"))
    assert subafdeling.authorisations.count() == 2  # nothing removed yet
    page = client.get(confirm).text
    assert (
        "Autorisaties die weggehaald zullen worden" in page and apps["e-loket-departement-zorg"].name in page
    )
    assert user.person.last_name in page and "Moduleerder X" in page
    assert other.person.last_name not in page  # their VIPA right stays
    response = client.post(confirm, follow=True)
    assert "De autorisaties van de subafdeling werden opgeslagen." in messages_of(response)
    assert list(subafdeling.applications.all()) == [apps["vipa"]]
    assert not ApplicationRight.objects.filter(user=user).exists()
    assert not RoleAssignment.objects.filter(pk=role.pk).exists()
    assert ApplicationRight.objects.filter(user=other, application=apps["vipa"]).exists()
    assert outsider_right.count() == outsider_rights
    event = AuditEvent.objects.get(action="subafdeling.authorisations_update")
    assert event.after["rights_removed"] == 1 and event.after["roles_removed"] == 1
    assert event.before["applications"] == ["e-loket-departement-zorg", "vipa"]


def test_withdrawing_every_authorisation_keeps_the_subafdeling_and_its_users(client, world):
    """Why only the addition's screen asks for at least one application (docs/ARCHITECTURE.md): a
    subafdeling without authorisations is a state the detail page reaches, and keeps its users."""
    subafdeling = world.main.subafdeling
    client.force_login(world.main.htb)
    confirm = client.post(detail_url(subafdeling), {})["Location"]
    response = client.post(confirm, follow=True)
    assert "De autorisaties van de subafdeling werden opgeslagen." in messages_of(response)
    assert not subafdeling.authorisations.exists()
    assert subafdeling.users.filter(pk=world.main.user.pk).exists()


def test_removal_confirmation_refuses_a_tampered_selection(client, world):
    client.force_login(world.main.tb)
    url = detail_url(world.main.subafdeling, "subdivisions:authorisations-confirm")
    response = client.get(url, {"selectie": "x"}, follow=True)
    assert "Deze aanvraag is verlopen of ongeldig. Begin opnieuw." in messages_of(response)


# --- Access matrix of these routes (also declared in tests/matrix_subdivisions.py) -------------


@pytest.mark.parametrize("level", LEVELS)
def test_matrix_entries(client, world, level):
    from tests.matrix_subdivisions import EXPECTATIONS
    from tests.test_access_matrix import iter_routes, sample_path

    person = world.persona(level)
    if person is not None:
        client.force_login(person)
    routes = dict(iter_routes())
    failures = []
    for key, expect in EXPECTATIONS.items():
        response = getattr(client, expect.method)(sample_path(routes[key], expect.kwargs(world)))
        wanted = expect.for_level(level)
        if wanted == LOGIN:
            ok = response.status_code == 302 and response["Location"].startswith("/aanmelden/")
        else:
            ok = response.status_code == wanted
        if not ok:
            failures.append(f"{key}: got {response.status_code}, expected {wanted}")
    assert not failures, "\n".join(failures)
