"""A trainer opens the demo world in the admin, as `make run` serves it."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from identity.models import Person

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_trainer_sees_the_demo_world_in_the_admin(portal, tmp_path):
    call_command("seed_demo")
    Person.objects.create_superuser(
        "85.07.30-033.28", password="trainer-wachtwoord", last_name="Trainer", first_name="Tine"
    )

    portal.goto(portal.url_for("/"))
    expect(portal.get_by_role("heading", level=1)).to_have_text(
        "CSAM, de toegangspoort tot de diensten van de overheid"
    )
    expect(portal.get_by_role("link", name="Aan de slag")).to_have_count(3)
    portal.screenshot(path=tmp_path / "csam-home.png", full_page=True)

    portal.goto(portal.url_for("/admin/"))
    portal.get_by_label("INSZ").fill("85.07.30-033.28")
    portal.get_by_label("Wachtwoord").fill("trainer-wachtwoord")
    portal.get_by_role("button", name="Aanmelden").click()
    portal.get_by_role("link", name="Ondernemingen (KBO)").first.click()
    for name in (
        "VZW ZORGNETWERK DE LINDE",
        "ORGANISATIE BROEDERS VAN LIEFDE VZW",
        "VZW ST BARBARA RUST EN VERZORGINGSTEHUIS",
    ):
        expect(portal.get_by_text(name).first).to_be_visible()
    portal.locator("#searchbar").fill("0406.633.304")
    portal.get_by_role("button", name="Zoeken").click()
    expect(portal.get_by_text("ORGANISATIE BROEDERS VAN LIEFDE VZW").first).to_be_visible()
    expect(portal.get_by_text("VZW ZORGNETWERK DE LINDE")).to_have_count(0)
