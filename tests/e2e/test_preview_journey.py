"""'Wat verandert er?' in Chromium: the lokale beheerder opens the status of a subafdeling of 60 users,
reads who loses which application if it is blocked, pages through the names, blocks it, and the
status page then says who gets access back."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.screens import give_session
from tests.test_preview import add_users

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_block_preview_pages_the_names(portal, world, live_server):
    main = world.main
    add_users(main.subafdeling, 59, codes=("e-loket-departement-zorg", "vipa"))
    give_session(portal, main.tb, live_server.url)
    portal.goto(
        portal.url_for(reverse("subdivisions:status", kwargs={"subafdeling_id": main.subafdeling.pk}))
    )
    preview = portal.locator("section.preview")
    expect(preview.get_by_role("heading", name="Wat verandert er?")).to_be_visible()
    expect(preview).to_contain_text("59 gebruikers verliezen de toegang tot eVIPA (onmiddellijk).")
    expect(preview.get_by_role("listitem").filter(has_text="Pagina 1 van 3").first).to_be_visible()
    preview.get_by_role("link", name="Volgende").first.click()
    expect(portal.locator("section.preview")).to_contain_text("Pagina 2 van 3")
    portal.get_by_role("button", name="Uitvoeren").click()
    expect(portal.locator("section.preview")).to_contain_text("krijgen toegang tot")
