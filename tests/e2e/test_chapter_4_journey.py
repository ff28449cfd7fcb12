"""Manual chapter 4, steps 1-10: Luc De Smet activates Huize Terloo with the VIPA authorisation,
adds Sarah Maes with the VIPA right and exports the users; right after "Bevestigen" Sarah gets into
eVIPA ("heeft nu toegang tot eVIPA", 3.6.1), without anyone touching a clock."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from subdivisions.models import Subafdeling
from users.models import SubafdelingUser

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIPA = "Vlaams Infrastructuurfonds voor Persoonsgebonden Aangelegenheden"


def test_chapter_4_huize_terloo_and_sarah_maes(portal, tmp_path):
    call_command("seed_demo")
    # 1. Luc signs in and chooses the hoedanigheid eHealth Gezondheidszorg.
    portal.goto(portal.url_for("/aanmelden/eid/?next=/toegangsbeheer/"))
    portal.get_by_label("Rijksregisternummer").fill("68.01.05-057.64")
    portal.get_by_label("PIN-code").fill("1234")
    portal.get_by_role("button", name="Aanmelden").click()
    portal.get_by_role("button", name="Werkgever").click()
    portal.get_by_role("link", name="Hoedanigheid: eHealth Gezondheidszorg").click()
    # 2-3. "Gebruikers - Subafdelingen" opens on its tab "Gebruikers"; he chooses the tab "Subafdelingen".
    portal.get_by_role("link", name="Gebruikers - Subafdelingen").click()
    tabs = portal.get_by_role("navigation", name="Gebruikers - Subafdelingen")
    expect(tabs.get_by_role("link", name="Gebruikers", exact=True)).to_have_attribute("aria-current", "page")
    expect(
        portal.get_by_text("De lijst van de gebruikers tonen op basis van de volgende criteria")
    ).to_be_visible()
    portal.screenshot(path=tmp_path / "step-3-tab-gebruikers.png", full_page=True)
    tabs.get_by_role("link", name="Subafdelingen").click()
    tabs = portal.get_by_role("navigation", name="Gebruikers - Subafdelingen")
    expect(tabs.get_by_role("link", name="Subafdelingen")).to_have_attribute("aria-current", "page")
    expect(tabs.get_by_role("link", name="Gebruikers", exact=True)).to_be_visible()
    expect(portal.get_by_text("RESIDENTIEEL KORTDUREND JONGERENPROGRAMMA-GENT")).to_be_visible()
    # 4. "Een subafdeling toevoegen": Gezondheidszorg.
    adding = portal.locator("#toevoegen")
    adding.get_by_label("Een subafdeling toevoegen").select_option(label="Gezondheidszorg")
    adding.get_by_role("button", name="Volgende").click()
    # 5. Huize Terloo.
    portal.get_by_label("Voorziening").select_option(label="HUIZE TERLOO (201870)")
    portal.get_by_role("button", name="Volgende").click()
    # 6. Its e-mail; "Ik wil zelf instaan voor het beheer van de subafdeling".
    expect(portal.get_by_text("201870")).to_be_visible()
    portal.get_by_label("E-mailadres van de subafdeling").fill("huizeterloo@broedersvanliefde.be")
    portal.get_by_label("Ik wil zelf instaan voor het beheer van de subafdeling").check()
    portal.get_by_role("button", name="Volgende").click()
    # 7. The VIPA authorisation, Opslaan.
    portal.get_by_label(VIPA).check()
    portal.get_by_role("button", name="Opslaan").click()
    # 8. The overview with "Autorisaties die verbonden zullen worden met de subafdeling", Bevestigen.
    expect(portal.get_by_text("Autorisaties die verbonden zullen worden met de subafdeling")).to_be_visible()
    portal.screenshot(path=tmp_path / "overview.png", full_page=True)
    portal.get_by_role("button", name="Bevestigen").click()
    terloo = Subafdeling.objects.get(facility__hco_number="201870")
    assert list(terloo.applications.values_list("code", flat=True)) == ["vipa"]
    # 9. Huize Terloo in the list: its name opens its users (step 10's screen).
    portal.get_by_role("link", name="HUIZE TERLOO", exact=True).click()
    expect(
        portal.get_by_text("Subafdeling: Gezondheidszorg: HUIZE TERLOO; HCO-nummer: 201870")
    ).to_be_visible()
    expect(portal.get_by_role("heading", name="Gebruikers", exact=True)).to_be_visible()
    # 10. "Een gebruiker toevoegen": Sarah Maes with the VIPA right.
    adding = portal.locator("#toevoegen")
    adding.get_by_label("INSZ").fill("90.06.14-212.39")
    adding.get_by_role("button", name="Volgende").click()
    expect(portal.get_by_role("heading", name="Een gebruiker aanmaken")).to_be_visible()
    expect(portal.get_by_label("Titel")).to_have_value("MEVROUW")  # from the national register, to choose
    portal.get_by_label("E-mailadres *").fill("sarah.maes@huizeterloo.be")
    portal.get_by_label(VIPA).check()
    portal.screenshot(path=tmp_path / "step-10-een-gebruiker-aanmaken.png", full_page=True)
    portal.get_by_role("button", name="Opslaan").click()
    expect(portal.get_by_text("20 minuten")).to_have_count(0)
    portal.get_by_role("button", name="Bevestigen").click()
    expect(portal.get_by_text("Pagina 1 Eén item gevonden.")).to_be_visible()
    expect(portal.locator("table")).to_contain_text("Maes")
    portal.screenshot(path=tmp_path / "users.png", full_page=True)
    sarah = SubafdelingUser.objects.get(subafdeling=terloo)
    assert list(sarah.rights.values_list("application__code", flat=True)) == ["vipa"]
    # "*De gebruikers exporteren (.csv)"
    with portal.expect_download() as download:
        portal.get_by_role("link", name="*De gebruikers exporteren (.csv)").click()
    content = download.value.path().read_bytes().decode("utf-8")
    assert content.startswith("\ufeff")
    assert "Maes;Sarah" in content and VIPA in content
    # Sarah signs in to eVIPA at once: the right is in effect, nobody moved a clock.
    portal.goto(portal.url_for("/afmelden/"))
    portal.get_by_role("button", name="Afmelden").click()
    portal.goto(portal.url_for("/toepassingen/evipa/"))
    portal.get_by_role("link", name="Aanmelden", exact=True).click()
    portal.get_by_role("link", name="Aanmelden met eID").click()
    portal.get_by_label("Rijksregisternummer").fill("90.06.14-212.39")
    portal.get_by_label("PIN-code").fill("1234")
    portal.get_by_role("button", name="Aanmelden").click()
    expect(portal.get_by_role("heading", name="Welkom Sarah Maes")).to_be_visible()
    expect(portal.get_by_text("U werkt voor HUIZE TERLOO (HCO-nummer 201870)")).to_be_visible()
    expect(
        portal.get_by_text(
            "U hebt toegang via de hoedanigheid eHealth Gezondheidszorg, de subdivisie Gezondheidszorg en het "
            f"recht op {VIPA}."
        )
    ).to_be_visible()
    portal.screenshot(path=tmp_path / "evipa.png", full_page=True)
