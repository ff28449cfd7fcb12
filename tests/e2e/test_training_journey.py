"""Training mode: a trainer creates a classroom of 3; trainee 1 appoints their HTB (manual 3.2.2) in
their own sandbox; the trainer's dashboard shows the step done without reloading. A trainee blocks
their eID card with three wrong PINs; the trainer, typing a date meanwhile, sees it on the dashboard
and unblocks it there; the trainee signs in."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accessportal.identifiers import insz_format, kbo_format
from identity.models import Person
from training.models import Classroom
from training.services import classroom_build, classroom_create, legal_representative_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PASSWORD = "opleiding-dinsdag-2026"


def test_a_trainee_appoints_their_htb_and_the_dashboard_follows(portal, browser, live_server, tmp_path):
    call_command("seed_demo")
    call_command("createtrainer", username="tine", first_name="Tine", last_name="Opleider", password=PASSWORD)

    # The trainer signs in with her username and creates a classroom of 3.
    portal.goto(portal.url_for("/aanmelden/gebruikersnaam/?next=/opleiding/"))
    portal.get_by_label("Gebruikersnaam").fill("tine")
    portal.get_by_label("Wachtwoord").fill(PASSWORD)
    portal.get_by_role("button", name="Aanmelden").click()
    portal.get_by_label("Naam").fill("Dinsdagklas")
    portal.get_by_label("Aantal cursisten").fill("3")
    portal.get_by_label("Scenario").select_option(label="Een Hoofdtoegangsbeheerder aanstellen")
    portal.get_by_role("button", name="Aanmaken").click()
    dashboard = portal.locator("table").filter(has_text="HTB aangesteld")
    expect(dashboard.locator("tbody tr")).to_have_count(3)
    classroom = Classroom.objects.get(name="Dinsdagklas")
    sandbox = classroom.sandboxes.get(number=1)
    first_row = dashboard.locator("tbody tr").filter(has_text=sandbox.enterprise.name)
    expect(first_row).to_contain_text("nog niet")
    portal.screenshot(path=tmp_path / "dashboard-before.png", full_page=True)

    # Trainee 1, in a browser of their own, signs in with the card's number and PIN.
    trainee = legal_representative_of(sandbox)
    context = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels")
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/aanmelden/eid/?next=/beheer-toegangsbeheerders/hoofdtoegangsbeheerder/")
    page.get_by_label("Rijksregisternummer").fill(insz_format(trainee.insz))
    page.get_by_label("PIN-code").fill(sandbox.pin)
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page.get_by_text(re.compile("Simulatie"))).to_be_visible()
    page.get_by_label("Ondernemingsnummer").fill(kbo_format(sandbox.enterprise.kbo))
    page.get_by_role("button", name="Een Hoofdtoegangsbeheerder aanstellen").click()
    page.get_by_role("radio", name=trainee.full_name, exact=True).check()
    contact = page.locator("section").filter(has=page.get_by_role("heading", name="Uw contactgegevens"))
    contact.get_by_label("E-mail").fill("directie@oefenzorg.test")
    contact.get_by_label("Telefoon").fill("02 123 45 67")
    page.get_by_role("button", name="Volgende").click()
    page.get_by_role("checkbox", name="Ja, ik bevestig").check()
    page.get_by_role("button", name="Bevestig", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoofdtoegangsbeheerder aangesteld!")
    page.screenshot(path=tmp_path / "trainee-done.png", full_page=True)
    context.close()

    # The dashboard, polling, shows trainee 1's HTB step done; the others still have it to do.
    expect(first_row.locator("td").nth(1)).not_to_contain_text("nog niet", timeout=15_000)
    portal.screenshot(path=tmp_path / "dashboard-after.png", full_page=True)


def test_a_trainee_blocks_their_card_and_the_trainer_unblocks_it_from_the_dashboard(
    portal, browser, live_server
):
    call_command("createtrainer", username="tine", first_name="Tine", last_name="Opleider", password=PASSWORD)
    trainer = Person.objects.get(username="tine")
    classroom = classroom_create(trainer=trainer, name="Woensdagklas", size=2, scenario="htb")
    classroom_build(classroom_id=classroom.pk)
    sandbox = classroom.sandboxes.get(number=1)
    trainee = legal_representative_of(sandbox)

    # The trainer watches the dashboard and starts typing a date for trainee 2's clock.
    portal.goto(portal.url_for(f"/aanmelden/gebruikersnaam/?next=/opleiding/klassen/{classroom.pk}/"))
    portal.get_by_label("Gebruikersnaam").fill("tine")
    portal.get_by_label("Wachtwoord").fill(PASSWORD)
    portal.get_by_role("button", name="Aanmelden").click()
    dashboard = portal.locator("table").filter(has_text="HTB aangesteld")
    expect(dashboard.locator("tbody tr")).to_have_count(2)
    second = classroom.sandboxes.get(number=2)
    date_input = portal.locator(f"#klok-to-{second.pk}")
    date_input.click()
    date_input.press_sequentially("12-12-20")

    # Trainee 1 types a wrong PIN three times: the card is blocked.
    context = browser.new_context(locale="nl-BE", timezone_id="Europe/Brussels")
    page = context.new_page()
    page.set_default_timeout(10_000)
    wrong = "0000" if sandbox.pin != "0000" else "1111"
    page.goto(f"{live_server.url}/aanmelden/eid/")
    for _attempt in range(3):
        page.get_by_label("Rijksregisternummer").fill(insz_format(trainee.insz))
        page.get_by_label("PIN-code").fill(wrong)
        page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text("eID-kaart is nu geblokkeerd")

    # The dashboard, polling, shows the blocked card on trainee 1's row and says so politely; the
    # date the trainer is typing keeps its focus and its text.
    first_row = portal.locator("#cursist-1")
    expect(first_row).to_contain_text(f"eID-kaart van {trainee.full_name} geblokkeerd sinds", timeout=15_000)
    expect(portal.locator("#aankondigingen")).to_contain_text("Cursist 1: eID-kaart geblokkeerd")
    expect(date_input).to_be_focused()
    date_input.press_sequentially("30")
    expect(date_input).to_have_value("12-12-2030")

    # "Pauzeren" stops the polling (no script of our own), "Hervatten" starts it again.
    portal.get_by_role("link", name="Pauzeren").click()
    expect(portal.get_by_role("link", name="Hervatten")).to_be_focused()
    expect(portal.locator("#live")).not_to_have_attribute("data-hx-trigger", re.compile("."))
    portal.get_by_role("link", name="Hervatten").click()
    expect(portal.locator("#live")).to_have_attribute("data-hx-trigger", "every 3s")

    # The trainer unblocks the card from the dashboard.
    first_row.get_by_role("button", name=re.compile("Kaart deblokkeren")).click()
    expect(
        portal.get_by_text(f"De eID-kaart van {trainee.full_name} (cursist 1) is gedeblokkeerd.")
    ).to_be_visible()
    expect(portal.locator("#cursist-1")).not_to_contain_text("geblokkeerd sinds")

    # The trainee signs in with the card's PIN.
    page.get_by_label("Rijksregisternummer").fill(insz_format(trainee.insz))
    page.get_by_label("PIN-code").fill(sandbox.pin)
    page.get_by_role("button", name="Aanmelden", exact=True).click()
    expect(page.get_by_text(re.compile("Simulatie")).first).to_be_visible()
    context.close()
