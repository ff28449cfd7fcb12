"""Marc of the demo world signs in with itsme and his itsme code, finds the code under "Mijn digitale
sleutels", and changes his password only after proving who he is."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_itsme_with_the_code_and_a_password_after_a_strong_sign_in(portal, tmp_path):
    call_command("seed_demo")

    portal.goto(portal.url_for("/aanmelden/"))
    portal.get_by_role("link", name="Aanmelden met itsme").click()
    portal.get_by_label("GSM-nummer").fill("+32 3 450 12 10")
    portal.get_by_role("button", name="Verstuur").click()
    expect(portal.get_by_role("heading", level=1)).to_have_text("Bevestig in de itsme-app")
    portal.get_by_label("Uw itsme-code").fill("54321")
    portal.get_by_role("button", name="Bevestigen").click()
    expect(portal.locator(".error-summary")).to_contain_text(
        "Het gsm-nummer of de itsme-code is niet correct. Nog 2 pogingen"
    )
    portal.screenshot(path=tmp_path / "itsme-app.png", full_page=True)
    portal.get_by_label("Uw itsme-code").fill("12345")
    portal.get_by_role("button", name="Bevestigen").click()

    portal.goto(portal.url_for("/mijn-digitale-sleutels/"))
    expect(portal.locator(".itsme-code")).to_have_text("12345")

    portal.goto(portal.url_for("/toegangsbeheer/wachtwoord/"))
    expect(portal.get_by_text("U hebt nog geen wachtwoord")).to_be_visible()
    expect(portal.get_by_label("Oud wachtwoord")).to_have_count(0)
    portal.get_by_label("Nieuw wachtwoord *", exact=True).fill("Lente-in-Herselt-2026")
    portal.get_by_label("Nieuw wachtwoord bevestigen *").fill("Lente-in-Herselt-2026")
    portal.get_by_role("button", name="Opslaan").click()
    expect(portal.get_by_text("Uw wachtwoord werd gewijzigd")).to_be_visible()
    portal.screenshot(path=tmp_path / "password.png", full_page=True)
