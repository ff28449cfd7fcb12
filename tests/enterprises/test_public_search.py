"""KBO Public Search (manual 3.2.2) and the CoBRHA Viewer (manual 1.2.3) of the simulation: search by
number in any notation or by name, bounded, paginated in the database, public data only."""

from datetime import date

import pytest
from django.core.management import call_command

from accessportal.identifiers import insz_format, insz_portal_format
from enterprises import services as enterprises
from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory, PersonFactory
from training.services import legal_representative_of

pytestmark = pytest.mark.django_db

KBO = "/kbo-public-search/"
COBRHA = "/cobrha-viewer/"


@pytest.fixture
def demo(db):
    call_command("seed_demo")


@pytest.mark.parametrize(
    "notation", ["0812.345.603", "0812345603", "812345603", "BE 0812 345 603", "be0812.345.603"]
)
def test_kbo_finds_de_linde_by_its_number_in_any_notation(client, demo, notation):
    page = client.get(KBO, {"zoek": notation}).content.decode()
    assert "VZW ZORGNETWERK DE LINDE" in page
    assert "0812.345.603" in page and "Lindelaan 12, 2000 Antwerpen" in page
    assert "Marc Vermeulen" in page and "Bestuurder" in page
    assert "Eén item gevonden." in page


def test_kbo_shows_names_and_functions_never_an_insz(client, demo):
    from identity.models import Person

    page = client.get(KBO, {"zoek": "de linde"}).content.decode()
    marc = Person.objects.get(first_name="Marc", last_name="Vermeulen")
    assert "Marc Vermeulen" in page
    for notation in (marc.insz, insz_format(marc.insz), insz_portal_format(marc.insz)):
        assert notation not in page
    assert "Els Janssens" not in page  # an employee, no legal function


def test_kbo_shows_only_current_legal_functions(client, catalogue):
    enterprise = EnterpriseFactory(name="VZW OUDE BESTUURDERS")
    current, former = (
        PersonFactory(first_name="Nu", last_name="Actief"),
        PersonFactory(first_name="Vroeger", last_name="Gestopt"),
    )
    enterprises.legal_mandate_add(
        enterprise=enterprise, person=current, function="Voorzitter", start_date=date(2020, 1, 1)
    )
    enterprises.legal_mandate_add(
        enterprise=enterprise,
        person=former,
        function="Bestuurder",
        start_date=date(2010, 1, 1),
        end_date=date(2015, 1, 1),
    )
    page = client.get(KBO, {"zoek": "oude bestuurders"}).content.decode()
    assert "Nu Actief" in page and "Voorzitter" in page and "Vroeger Gestopt" not in page


def test_kbo_refuses_a_wrong_number_and_bounds_the_search_in_dutch(client, demo):
    wrong = client.get(KBO, {"zoek": "0812.345.604"})
    assert wrong.status_code == 200
    assert "Dit ondernemingsnummer is ongeldig: het controlegetal klopt niet." in wrong.content.decode()
    long = client.get(KBO, {"zoek": "x" * 101}).content.decode()
    assert "Uw zoekterm is te lang: ten hoogste 100 tekens." in long
    assert "Geef minstens 2 tekens in." in client.get(KBO, {"zoek": "x"}).content.decode()
    assert "Geen onderneming gevonden." in client.get(KBO, {"zoek": "bestaat niet"}).content.decode()
    assert "Ondernemingsnummer of naam" in client.get(KBO).content.decode()  # no search yet: no error


def test_kbo_finds_a_trainee_s_sandbox_enterprise(client, world):
    _trainer, _classroom, sandbox, _trainee = world.training
    page = client.get(KBO, {"zoek": sandbox.enterprise.kbo}).content.decode()
    assert sandbox.enterprise.name in page
    assert legal_representative_of(sandbox).full_name in page


def test_kbo_paginates_in_the_database(client, catalogue, django_assert_max_num_queries):
    for number in range(25):
        enterprise = EnterpriseFactory(name=f"VZW REEKS {number:02d}")
        enterprises.legal_mandate_add(
            enterprise=enterprise, person=PersonFactory(), function="Bestuurder", start_date=date(2020, 1, 1)
        )
    with django_assert_max_num_queries(4):
        first = client.get(KBO, {"zoek": "vzw reeks"}).content.decode()
    assert "25 items gevonden." in first and "VZW REEKS 00" in first and "VZW REEKS 10" not in first
    third = client.get(KBO, {"zoek": "vzw reeks", "pagina": 3}).content.decode()
    assert "VZW REEKS 24" in third and "VZW REEKS 00" not in third
    assert Enterprise.objects.filter(name__startswith="VZW REEKS").count() == 25


@pytest.mark.parametrize(
    ("query", "found", "absent"),
    [
        ("201870", "HUIZE TERLOO", "DE OASE"),
        ("0406.633.304", "KLIMOP", "WZC DE LINDE"),  # the facilities of an enterprise, by its number
        ("406633304", "GASTHUIS SINT-JOZEF", "WZC DE LINDE"),
        ("huize terloo", "HUIZE TERLOO", "KLIMOP"),
        ("oriënterend kortverblijf", "19555", "HUIZE TERLOO"),  # by the name of a listing
    ],
)
def test_cobrha_finds_facilities_by_hco_number_enterprise_number_or_name(client, demo, query, found, absent):
    page = client.get(COBRHA, {"zoek": query}).content.decode()
    assert found in page and absent not in page


def test_cobrha_shows_the_enterprise_and_the_subdivisies(client, demo):
    page = client.get(COBRHA, {"zoek": "201870"}).content.decode()
    assert "ORGANISATIE BROEDERS VAN LIEFDE VZW" in page and "0406.633.304" in page
    assert "Gezondheidszorg: HUIZE TERLOO" in page


def test_cobrha_bounds_the_search_in_dutch(client, demo):
    assert "Uw zoekterm is te lang" in client.get(COBRHA, {"zoek": "9" * 101}).content.decode()
    assert "Geen voorziening gevonden." in client.get(COBRHA, {"zoek": "99999999"}).content.decode()


def test_htb_start_links_to_kbo_public_search(client, world):
    client.force_login(world.main.legal_rep)
    page = client.get("/beheer-toegangsbeheerders/hoofdtoegangsbeheerder/").content.decode()
    assert 'Gebruik <a href="/kbo-public-search/">KBO Public Search</a> als u niet zeker weet' in page
