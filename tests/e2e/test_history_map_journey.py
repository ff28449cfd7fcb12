"""A trainer shows St Barbara's map (signed in as Jan Claes, its HTB), moves the date back to before
Lotte Willems was added (4 March 2024), and she disappears; back to today, she is there again."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_st_barbara_map_before_lotte(portal, tmp_path):
    call_command("seed_demo")
    portal.goto(portal.url_for("/aanmelden/eid/?next=/toegangsbeheer/ondernemingen/0422152314/"))
    portal.get_by_label("Rijksregisternummer").fill("79.02.28-135.19")
    portal.get_by_label("PIN-code").fill("1234")
    portal.get_by_role("button", name="Aanmelden").click()
    portal.get_by_role("link", name="Kaart van de onderneming").click()
    chart = portal.locator("figure.chain-map svg")
    expect(chart).to_be_visible()
    expect(chart.locator("text", has_text="Lotte Willems")).to_have_count(1)
    expect(chart.locator("text", has_text="Freddy Quintelier")).to_have_count(1)

    portal.get_by_label("Toestand op datum").fill("2024-03-03")
    portal.get_by_role("button", name="Tonen").click()
    expect(portal.get_by_text("Toestand op 03/03/2024")).to_be_visible()
    expect(chart.locator("text", has_text="Lotte Willems")).to_have_count(0)
    expect(chart.locator("text", has_text="Freddy Quintelier")).to_have_count(1)

    portal.get_by_role("link", name="Naar de huidige toestand").click()
    expect(chart.locator("text", has_text="Lotte Willems")).to_have_count(1)

    # Each node opens its screen: Freddy's subafdeling opens its users.
    chart.locator("a").filter(has_text="SINT-BARBARA-HERSELT (Centrum").first.click()
    expect(portal.get_by_role("heading", name="Gebruikers", exact=True)).to_be_visible()
