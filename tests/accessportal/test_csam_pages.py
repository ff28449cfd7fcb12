"""CSAM's "WAT IS CSAM?" and "CONTACT", the BTB page's "Step-by-Step Guide", and the pages standing
for the places outside CSAM the manual sends people to: none of them is dead text that looks like a
link."""

import re

import pytest
from django.core.management import call_command

from accessportal.views import ELSEWHERE

pytestmark = pytest.mark.django_db


def test_the_csam_header_leads_to_real_pages(client):
    page = client.get("/").content.decode()
    assert '<a href="/wat-is-csam/">WAT IS CSAM?</a>' in page
    assert '<a href="/contact/">CONTACT</a>' in page


def test_wat_is_csam_says_what_the_manual_says(client):
    page = client.get("/wat-is-csam/").content.decode()
    assert "<h1>WAT IS CSAM?</h1>" in page
    assert "CSAM is een geheel van afspraken en van regels om het identiteits- en toegangsbeheer" in page
    for word in ("Identificatie", "Authenticatie", "Autorisatie", "Beheer van de mandaten"):
        assert f"<strong>{word}</strong>" in page
    for service in ("FAS", "BTB", "SSM"):
        assert f"<dt>{service}</dt>" in page
    assert "de Rijksdienst voor Sociale Zekerheid (RSZ)" in page
    assert 'href="/toegangsbeheer/help/#h-3-1"' in page


def test_contact_gathers_where_the_manual_sends_questions(client):
    page = client.get("/contact/").content.decode()
    assert 'href="/contactcenter-ehealth/"' in page and "+32-2-788 51 55" in page
    assert "support@ehealth.fgov.be" in page and "itsupport.zorg@vlaanderen.be" in page
    assert 'href="/extern/contactcenter-sociale-zekerheid/"' in page


def test_the_btb_page_has_its_step_by_step_guide_back(client):
    page = client.get("/beheer-toegangsbeheerders/").content.decode()
    assert (
        'Voor meer informatie over deze procedure, raadpleegt u onze "'
        '<a href="/toegangsbeheer/help/#h-3-2">Step-by-Step Guide</a>".'
    ) in page


@pytest.mark.parametrize("slug", ELSEWHERE)
def test_each_place_outside_csam_is_a_short_page_that_says_what_it_is_for(client, slug):
    page = client.get(f"/extern/{slug}/").content.decode()
    assert "Gesimuleerd" in page
    assert re.search(r"<h1>[^<]+</h1>", page)
    assert 'href="/toegangsbeheer/help/#h-' in page or 'href="/contactcenter-ehealth/"' in page


def test_the_departement_zorg_page_lists_per_application_its_right_hoedanigheden_and_roles(client):
    call_command("seed_demo")
    page = client.get("/departement-zorg/").content.decode()
    assert "Via eHealth toegang krijgen als zorgvoorziening tot gezondheidstoepassingen" in page
    for slug in ("evipa", "eloket", "belrai"):
        assert f'id="{slug}"' in page
    evipa = page.split('id="evipa"')[1].split("</section>")[0]
    assert "Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden" in evipa
    assert "Residentiële zorginstelling" in evipa and "Geen rol nodig" in evipa
    belrai = page.split('id="belrai"')[1].split("</section>")[0]
    assert "BelRAI VL - zorgverlener met certificaat" in belrai and "VSB caRat" not in belrai
    assert "Aanmelder binnen een voorziening (INSISTO)" in page  # every role, under its right


def test_no_template_shows_a_manual_place_as_dead_text(client, world):
    """The places the manual names are links wherever a screen shows them."""
    client.force_login(world.main.legal_rep)
    start = client.get("/beheer-toegangsbeheerders/hoofdtoegangsbeheerder/").content.decode()
    assert '<a href="/kbo-public-search/">KBO Public Search</a>' in start
    from django.template.loader import render_to_string

    done = render_to_string(
        "administrators/htb_done.html",
        {"draft": {"enterprise": world.main.enterprise}, "appointment": {"email": "x@example.be"}},
    )
    assert '<a href="/extern/mijn-egov-rollenbeheer/">Mijn eGov-rollenbeheer</a>' in done
    assert (
        '<a href="/extern/gebruikersbeheer-vlaamse-overheid/">Gebruikersbeheer van de Vlaamse overheid</a>'
        in done
    )
    assert '<a href="/toegangsbeheer/help/#h-3-2-4">gebruikershandleiding</a>' in done
    assert '<a href="/">csam.be</a> laat U:' in done
