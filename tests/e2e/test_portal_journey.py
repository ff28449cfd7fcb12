"""Browser journeys of the portal (manual 3.3, 3.4.3, chapter 4 step 1)."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from administrators.models import HoedanigheidActivation, LocalAdministrator

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sign_in_to_portal(portal, insz):
    portal.goto(portal.url_for("/beheer-toegangsbeheerders/?stap=2"))
    portal.get_by_role("link", name="Toegangsbeheerders aanstellen", exact=True).click()
    portal.get_by_role("link", name="Aanmelden met eID").click()
    portal.get_by_label("Rijksregisternummer").fill(insz)
    portal.get_by_label("PIN-code").fill("1234")
    portal.get_by_role("button", name="Aanmelden").click()
    portal.get_by_role("button", name="Werkgever").click()  # "Krijgt u dit scherm, selecteer dan 'Werkgever'"


def test_nina_sees_only_residentiele_zorginstelling_at_st_barbara(portal, tmp_path):
    call_command("seed_demo")
    sign_in_to_portal(portal, "93.07.17-078.56")
    expect(
        portal.get_by_text("Welkom Mevrouw Nina Peeters, u bevindt zich op de onthaalpagina")
    ).to_be_visible()
    links = portal.locator(".capacity-links")
    expect(links.get_by_role("link")).to_have_count(3)  # her hoedanigheid and its two subafdelingen
    expect(links.get_by_role("link").first).to_have_text(
        "Hoedanigheid: Residentiële zorginstelling; Ondernemingsnummer: 422.152.314 (Lokale Beheerder)"
    )
    expect(links).not_to_contain_text("eHealth Gezondheidszorg")
    expect(links).to_contain_text(
        "SINT-BARBARA-HERSELT (Centrum voor Kortverblijf, Oriënterend kortverblijf)"
    )
    portal.screenshot(path=tmp_path / "welcome-nina.png", full_page=True)
    links.get_by_role("link").first.click()
    expect(portal.locator(".portal-context")).to_contain_text("Hoedanigheid: Residentiële zorginstelling")
    expect(portal.get_by_text("als Lokale Beheerder voor de volgende hoedanigheid")).to_be_visible()


def test_luc_activates_jeugdhulp_and_adds_sarah_as_co_lokale_beheerder(portal, tmp_path):
    call_command("seed_demo")
    sign_in_to_portal(portal, "68.01.05-057.64")
    portal.get_by_role("link", name="Benaming: ORGANISATIE BROEDERS VAN LIEFDE VZW").click()
    portal.get_by_label("De hoedanigheid activeren").select_option(label="Jeugdhulp")
    portal.get_by_role("button", name="Volgende").click()
    portal.get_by_label("E-mailadres").fill("jeugdhulp@broedersvanliefde.be")
    portal.get_by_role("button", name="Opslaan").click()
    expect(portal.get_by_text("jeugdhulp@broedersvanliefde.be")).to_be_visible()
    assert not HoedanigheidActivation.objects.filter(hoedanigheid__code="jeugdhulp").exists()
    portal.get_by_role("button", name="Bevestigen").click()
    expect(portal.get_by_text("De hoedanigheid Jeugdhulp werd geactiveerd.")).to_be_visible()
    expect(portal.locator(".portal-context")).to_contain_text("Hoedanigheid: Jeugdhulp")
    portal.screenshot(path=tmp_path / "jeugdhulp.png", full_page=True)
    activation = HoedanigheidActivation.objects.get(hoedanigheid__code="jeugdhulp")
    assert activation.enterprise.kbo == "0406633304"
    assert not LocalAdministrator.objects.filter(activation=activation).exists()  # Luc is LB as HTB
    portal.get_by_role("link", name="Home").click()
    expect(portal.locator(".capacity-links")).to_contain_text(
        "Hoedanigheid: Jeugdhulp; Ondernemingsnummer: 406.633.304 (Lokale Beheerder)"
    )

    # Manual 3.4.3: Sarah Maes becomes co-lokale beheerder of Jeugdhulp.
    portal.get_by_role("link", name="Hoedanigheid: Jeugdhulp").click()
    portal.get_by_role("link", name="Beheer van de gebruikers").click()
    appoint = portal.locator("#aanstellen")
    appoint.get_by_label("Actie").select_option(label="Een Co-Lokale Beheerder toevoegen")
    appoint.get_by_label("INSZ").fill("90.06.14-212.39")
    appoint.get_by_role("button", name="Volgende").click()
    expect(portal.get_by_role("heading", name="Een Co-Lokale Beheerder aanmaken")).to_be_visible()
    expect(portal.get_by_text("Maes", exact=True)).to_be_visible()  # from the national register
    portal.get_by_label("E-mailadres *").fill("sarah.maes@broedersvanliefde.be")
    portal.get_by_role("button", name="Opslaan").click()
    portal.get_by_role("button", name="Bevestigen").click()
    expect(portal.get_by_text("De gegevens van de Co-Lokale Beheerder werden opgeslagen")).to_be_visible()
    expect(portal.locator("table")).to_contain_text("Maes")
    portal.screenshot(path=tmp_path / "co-lb.png", full_page=True)
    sarah = LocalAdministrator.objects.current().get(activation=activation)
    assert (sarah.person.last_name, sarah.kind) == ("Maes", "CO_LB")
    portal.goto(portal.url_for("/mailbox/?aan=sarah.maes@broedersvanliefde.be"))
    expect(portal.locator(".mail")).to_have_count(1)
